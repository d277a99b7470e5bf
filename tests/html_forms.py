"""Reading a page's forms as a browser would submit them (for tests that post them back)."""

from __future__ import annotations

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """The values a browser would submit from the page's main form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n")


def form_values(response) -> dict:
    parser = FormValues()
    parser.feed(response.content.decode())
    parser.values.pop("language", None)
    parser.values.pop("next", None)
    return parser.values


class Forms(HTMLParser):
    """Every POST form of a page: its action and the names of its fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._current = {"action": a.get("action") or "", "fields": {}}
                self.forms.append(self._current)
            return
        if self._current is None or not a.get("name"):
            return
        if tag in ("input", "select", "textarea") and a.get("type") not in ("submit", "button"):
            self._current["fields"][a["name"]] = a.get("type") or tag

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms
