"""Spreadsheet downloads (CSV and XLSX) that whatever was stored can go into.

Used by every admin download of the project: the consent records report and the cookies list
(privacy admins), the patient ratings and the review schedule (editors and publishers). What
they export was typed by an editor or sent by a request, so a cell may hold:

- a control character (a row stored before requests lost them, a character pasted from another
  program): openpyxl refuses it, and the whole XLSX download was a 500. The cell loses it;
  tabs and line breaks stay, as in a multi-line text (`MULTI_LINE`).
- a formula (`=HYPERLINK(...)`, `+cmd|...`, `-2+3`, `@SUM(...)`): a spreadsheet program runs a
  CSV cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one).
  Following OWASP's advice on CSV injection, such a text cell starts with an apostrophe, which
  makes it text. An XLSX cell is already written as text (Wagtail marks it so), except a
  column heading, which gets the apostrophe in both formats.
"""

from safe_text.control_characters import MULTI_LINE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "csv"


def spreadsheet_cell(value, *, quote_formula: bool = True):
    """What a download writes for `value`: text without control characters, and, with
    `quote_formula`, never the start of a formula; numbers, dates and booleans as they are
    (a spreadsheet still sums and sorts them)."""
    if not isinstance(value, str):
        return value
    value = MULTI_LINE.sub("", value)
    if quote_formula and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """For a view on Wagtail's `SpreadsheetExportMixin` (list it first among the bases).

    Every cell of both formats passes through `preprocess_field_value` after the view's own
    formatting (a foreign key is its text by then), and every heading through `get_heading`
    (the records report names its columns after cookie groups).
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_cell(value, quote_formula=export_format == CSV)

    def get_heading(self, queryset, field):
        return spreadsheet_cell(super().get_heading(queryset, field))
