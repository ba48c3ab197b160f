"""Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F).

No reader or editor means to type one; they arrive pasted from a PDF or a terminal, or sent on
purpose in a URL (`next=/%01`). Stored, they break what reads the value later: openpyxl
refuses them in an XLSX export, log lines and e-mail headers split on them. So:

- a line an editor types (a title, a name, a short text block) refuses them with a form error
  (`validate_single_line`), and the editor sees which field to fix;
- a value a request supplies (a path, a browser's User-Agent) is stored without them
  (`without_control_characters`), since nobody is there to read an error.

Multi-line text (a comment, a paragraph) keeps its line breaks and tabs: see `MULTI_LINE`.
"""

import re

from django.core.validators import RegexValidator

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# What a multi-line text may not hold: every control character except tab, line feed and
# carriage return.
MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SINGLE_LINE_MESSAGE = (
    "Remove the invisible control character (such as a tab, a line break or a character "
    "pasted from another program): this field holds one line of plain text."
)
MULTI_LINE_MESSAGE = (
    "Remove the invisible control character (a character pasted from another program): "
    "only line breaks and tabs may appear in this text."
)

validate_single_line = RegexValidator(
    CONTROL_CHARACTERS, SINGLE_LINE_MESSAGE, code="control_character", inverse_match=True
)
validate_multi_line = RegexValidator(
    MULTI_LINE, MULTI_LINE_MESSAGE, code="control_character", inverse_match=True
)


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def without_control_characters(value: str) -> str:
    """The value with every control character removed (for what a request supplies)."""
    return CONTROL_CHARACTERS.sub("", value)
