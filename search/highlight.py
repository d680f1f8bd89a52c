"""Highlighted matches as safe markup built here, never from user HTML.

Pure module (markupsafe only). Every piece of text is escaped; the only markup
added is ``<mark>``. A token is highlighted when its folded form is a word the
query searched for (the user's words, their synonyms and corrections) or starts
with the prefix being typed, so "mat ong" marks "Mật ong" in a name.
"""
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from vntext import fold_key, nfc

_TOKEN = re.compile(r"\w+")
_GAP_INSIDE_MARK = re.compile(r"\s+")
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class MatchTerms:
    folded: frozenset = frozenset()
    prefix: str = ""

    def __bool__(self):
        return bool(self.folded or self.prefix)

    def matches(self, token: str) -> bool:
        key = fold_key(token)
        return key in self.folded or bool(self.prefix and key.startswith(self.prefix))


def match_terms(plan) -> MatchTerms:
    """The words of a ``search.plan.QueryPlan`` worth marking."""
    return MatchTerms(frozenset(word.folded for word in plan.words()), plan.prefix)


def _spans(text: str, terms: MatchTerms) -> list:
    """(start, end) of marked runs; neighbouring matches merge into one run."""
    spans = []
    for match in _TOKEN.finditer(text):
        if not terms.matches(match.group(0)):
            continue
        start, end = match.span()
        if spans and _GAP_INSIDE_MARK.fullmatch(text[spans[-1][1]:start]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def highlight(text, terms: MatchTerms) -> Markup:
    """Escaped ``text`` with matched words wrapped in <mark>."""
    text = nfc(text or "")
    parts, position = [], 0
    for start, end in _spans(text, terms) if terms else ():
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def snippet(text, terms: MatchTerms, width: int = SNIPPET_CHARS) -> Markup:
    """A window of ``text`` around its first match (or its start), highlighted."""
    text = nfc(text or "")
    if len(text) <= width:
        return highlight(text, terms)
    spans = _spans(text, terms) if terms else []
    start = max(0, spans[0][0] - width // 4) if spans else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    body = highlight(text[start:end], terms)
    return Markup("").join([Markup("… ") if start else Markup(""), body,
                            Markup(" …") if end < len(text) else Markup("")])
