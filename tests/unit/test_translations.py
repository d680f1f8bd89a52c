"""Vietnamese is the default language: every message in the code and templates
must have a Vietnamese translation in the catalogue."""
import os

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _extracted_ids():
    with open(os.path.join(ROOT, "babel.cfg"), encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = dict(DEFAULT_KEYWORDS, _l=None, lazy_gettext=None)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalogue():
    with open(os.path.join(ROOT, "translations", "vi", "LC_MESSAGES", "messages.po"), "rb") as fh:
        return read_po(fh, locale="vi")


def test_every_message_has_a_vietnamese_translation():
    catalogue = _catalogue()
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                  if m.id and (all(m.string) if isinstance(m.string, (list, tuple)) else m.string)}
    missing = sorted(_extracted_ids() - translated)
    assert not missing, "Missing Vietnamese translations (run `python tools/i18n.py update`):\n" + "\n".join(missing)


def test_placeholders_survive_translation():
    import re

    for message in _catalogue():
        if not message.id or not message.string or not isinstance(message.id, str):
            continue
        assert set(re.findall(r"%\((\w+)\)s", message.id)) == set(re.findall(r"%\((\w+)\)s", message.string)), message.id
