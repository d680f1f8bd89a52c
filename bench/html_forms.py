"""Just enough of an HTML form reader for the benches: the fields a browser would send."""
from __future__ import annotations

import re
from html.parser import HTMLParser

class FormParser(HTMLParser):
    """Every <form>: its action and the fields a browser would send (hidden, text, checked
    boxes and radios, selected options, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": [], "names": set()})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            form["names"].add(name)
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("file", "submit", "button", "image", "reset"):
                form["fields"].append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            form["names"].add(name)
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea" and name:
            form["names"].add(name)
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            name, first, selected = self._select
            value = selected if selected is not None else first
            if value is not None:
                self.forms[-1]["fields"].append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None


def form_having(html: str, field_name: str) -> dict | None:
    parser = FormParser()
    parser.feed(html)
    return next((form for form in parser.forms if field_name in form["names"]), None)


def replace_fields(fields: list, **values) -> list:
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
