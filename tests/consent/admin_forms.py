"""Helpers the consent admin tests share: reading and posting the admin's forms as a browser would.

The admin's own pages are read with an HTML parser (the form's fields, its options, the error
messages under a field or at the top of the page), changed and posted back. Plain functions, so
any test module can import them; the fixtures built on them live in conftest.py.
"""

import html
import re
from html.parser import HTMLParser

from django.urls import reverse

VIEWSETS = ["consent_groups", "consent_cookies", "consent_tags"]
SETTINGS_URL = reverse("wagtailsettings:edit", args=["consent", "consentsettings"])


# --- Reading admin pages as a browser would ----------------------------------------------


class _EditorFormReader(HTMLParser):
    """The fields of the admin's edit form (#w-editor-form) as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.in_template = 0
        self.data = {}
        self.disabled = set()
        self.options = {}
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "w-editor-form":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        name = attrs.get("name")
        if tag in ("input", "select", "textarea") and name and "disabled" in attrs:
            self.disabled.add(name)
            name = None  # a browser does not send a disabled field
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.options.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value", ""), ""]
            self.options[self._select].append(self._option)
            if self._select and ("selected" in attrs or self._select not in self.data):
                self.data[self._select] = self._option[0]
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()
        elif self._textarea:
            self.data[self._textarea] += data


def read_form(response):
    assert response.status_code == 200, response
    reader = _EditorFormReader()
    reader.feed(response.content.decode())
    assert reader.data, "no edit form on the page"
    return reader


def option_value(form, field, label):
    """The value of the option a person picks by its label."""
    return next(value for value, text in form.options[field] if text == label)


def submit(client, url, **changes):
    """Open the form at `url`, change some fields (None empties a checkbox), post it back."""
    form = read_form(client.get(url))
    data = {**form.data, **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def field_errors(response, name):
    """The error messages the page shows under the field `name`."""
    match = re.search(
        rf'data-contentpath="{re.escape(name)}">\s*<div class="w-field__errors"[^>]*>(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    if not match:
        return []
    found = re.findall(r'<p class="error-message">(.*?)</p>', match.group(1), re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


class _ErrorMessageReader(HTMLParser):
    """Texts of the error messages (`<li class="error">`), without their buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.messages = []
        self._depth = 0  # <li> nesting inside an error message
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            if self._depth:
                self._depth += 1
            elif "error" in (dict(attrs).get("class") or "").split():
                self._depth = 1
                self.messages.append("")
        elif self._depth and tag in ("button", "script", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "li" and self._depth:
            self._depth -= 1
        elif self._depth and tag in ("button", "script", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._depth and not self._skip:
            self.messages[-1] = " ".join(f"{self.messages[-1]} {data}".split())


def page_errors(response):
    """The error messages at the top of the page (the form's own errors among them)."""
    reader = _ErrorMessageReader()
    reader.feed(response.content.decode())
    return " | ".join(reader.messages)


def post_tag_form(client, **fields):
    """Post the add-tag form, picking the group by its label."""
    url = reverse("consent_tags:add")
    form = read_form(client.get(url))
    group = option_value(form, "group", fields.pop("group", "Analytics"))
    return client.post(url, {**form.data, "name": "A tag", "group": group, **fields})
