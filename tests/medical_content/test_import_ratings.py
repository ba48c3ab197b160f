"""Staff import patient ratings from a survey's CSV file: all rows or none.

`manage.py import_patient_ratings FILE` checks every row first; a bad row is named ("Row N",
counting the header as row 1, as a spreadsheet does) with what is wrong, and nothing is written.
"""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from medical_content import factories
from medical_content.choices import RatingStatus
from medical_content.models import PatientRating, RatingSummary

HEADER = "expert,score,rated_on,source,comment,status"


@pytest.fixture
def ada(expert_index):
    return factories.ExpertProfilePageFactory(parent=expert_index, slug="dr-ada-quill")


@pytest.fixture
def bo(expert_index):
    return factories.ExpertProfilePageFactory(parent=expert_index, slug="prof-bo-reyes")


@pytest.fixture
def existing(ada, bo):
    """Ratings already on the site before an import, with their stored summaries."""
    factories.PatientRatingFactory(expert=ada, score=3)
    factories.PatientRatingFactory(expert=bo, score=2)
    return _state()


def _state() -> tuple[int, dict[int, tuple[int, Decimal]]]:
    """What an import may change: the number of ratings and every stored summary."""
    summaries = {s.expert_id: (s.count, s.average) for s in RatingSummary.objects.all()}
    return PatientRating.objects.count(), summaries


def _csv(tmp_path, *lines: str, name: str = "ratings.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _import(path, *args) -> str:
    out = io.StringIO()
    call_command("import_patient_ratings", str(path), *args, stdout=out)
    return out.getvalue()


def _refused(path, *args) -> str:
    with pytest.raises(CommandError) as error:
        _import(path, *args)
    return str(error.value)


GOOD_ROWS = (
    HEADER,
    "dr-ada-quill,5,2026-01-10,Riverside outpatient survey 2026,Very kind,approved",
    "dr-ada-quill,4,2026-01-11,Riverside outpatient survey 2026,,approved",
    'prof-bo-reyes,3,2026-01-12,Eastbridge ward survey,"Clear, but rushed",approved',
    "prof-bo-reyes,1,2026-01-13,Eastbridge ward survey,,rejected",
    "dr-ada-quill,1,2026-01-14,Riverside outpatient survey 2026,,pending",
)


@pytest.mark.django_db
class TestImportGoodFile:
    def test_imports_every_row_and_refreshes_both_summaries(self, tmp_path, ada, bo):
        output = _import(_csv(tmp_path, *GOOD_ROWS))

        assert "Imported 5 rating(s)." in output
        assert PatientRating.objects.filter(expert=ada).count() == 3
        assert PatientRating.objects.filter(expert=bo).count() == 2
        # Only approved rows count: Ada 5 and 4, Bo 3.
        assert RatingSummary.objects.get(expert=ada).count == 2
        assert RatingSummary.objects.get(expert=ada).average == Decimal("4.50")
        assert RatingSummary.objects.get(expert=bo).count == 1
        assert RatingSummary.objects.get(expert=bo).average == Decimal("3.00")

    def test_imported_values_are_stored_as_written(self, tmp_path, bo):
        _import(_csv(tmp_path, *GOOD_ROWS[:1], *GOOD_ROWS[3:4]))
        rating = PatientRating.objects.get()
        assert (rating.expert_id, rating.score, rating.status) == (bo.pk, 3, "approved")
        assert rating.rated_on.isoformat() == "2026-01-12"
        assert rating.source == "Eastbridge ward survey"
        assert rating.comment == "Clear, but rushed"

    def test_existing_ratings_are_kept_and_counted_with_new_ones(self, tmp_path, existing, ada):
        _import(_csv(tmp_path, HEADER, "dr-ada-quill,5,2026-01-10,Survey,,approved"))
        summary = RatingSummary.objects.get(expert=ada)
        assert (summary.count, summary.average) == (2, Decimal("4.00"))  # 3 and 5

    def test_imported_rating_shows_on_the_profile(self, client, tmp_path, ada):
        _import(_csv(tmp_path, HEADER, "dr-ada-quill,4,2026-01-10,Survey,,approved"))
        assert "4.0 out of 5 from 1 patient<" in client.get(ada.url).content.decode()

    def test_status_defaults_to_pending_without_a_status_column(self, tmp_path, ada):
        _import(
            _csv(
                tmp_path,
                "expert,score,rated_on,source",
                "dr-ada-quill,5,2026-01-10,Survey",
                "dr-ada-quill,4,2026-01-11,Survey",
            )
        )
        assert set(PatientRating.objects.values_list("status", flat=True)) == {"pending"}
        assert RatingSummary.objects.get(expert=ada).count == 0

    def test_status_defaults_to_pending_when_empty(self, tmp_path, ada):
        _import(_csv(tmp_path, HEADER, "dr-ada-quill,5,2026-01-10,Survey,Fine,"))
        assert PatientRating.objects.get().status == RatingStatus.PENDING
        assert RatingSummary.objects.get(expert=ada).count == 0

    def test_columns_in_any_order_case_and_spacing(self, tmp_path, ada):
        _import(
            _csv(
                tmp_path,
                " Source , STATUS ,Score,Rated_On,Expert",
                "Survey,approved, 4 ,2026-01-10, dr-ada-quill ",
            )
        )
        rating = PatientRating.objects.get()
        assert (rating.expert_id, rating.score, rating.status) == (ada.pk, 4, "approved")

    def test_utf8_bom_before_the_header_is_accepted(self, tmp_path, ada):
        path = _csv(
            tmp_path,
            HEADER,
            "dr-ada-quill,5,2026-01-10,Enquête patients,Très bien,approved",
            encoding="utf-8-sig",
        )
        assert path.read_bytes().startswith(b"\xef\xbb\xbfexpert,")
        assert "Imported 1 rating(s)." in _import(path)
        assert PatientRating.objects.get().comment == "Très bien"

    def test_header_only_imports_nothing(self, tmp_path, existing):
        assert "Imported 0 rating(s)." in _import(_csv(tmp_path, HEADER))
        assert _state() == existing

    def test_same_file_twice_imports_twice(self, tmp_path, ada, bo):
        # There is no de-duplication: importing a file again adds its rows again, and the
        # approved duplicates count twice in the aggregate.
        path = _csv(tmp_path, *GOOD_ROWS)
        _import(path)
        _import(path)
        assert PatientRating.objects.count() == 10
        assert RatingSummary.objects.get(expert=ada).count == 4
        assert RatingSummary.objects.get(expert=bo).count == 2


@pytest.mark.django_db
class TestImportDryRun:
    def test_dry_run_reports_the_count_and_writes_nothing(self, tmp_path, existing):
        output = _import(_csv(tmp_path, *GOOD_ROWS), "--dry-run")
        assert "5 rating(s) are valid; nothing written (dry run)." in output
        assert _state() == existing

    def test_dry_run_still_names_bad_rows(self, tmp_path, existing):
        message = _refused(
            _csv(tmp_path, HEADER, "dr-ada-quill,9,2026-01-10,Survey,,approved"), "--dry-run"
        )
        assert "Row 2: score '9' is not a whole number from 1 to 5" in message
        assert _state() == existing


GOOD = "dr-ada-quill,5,2026-01-10,Survey,,approved"


@pytest.mark.django_db
class TestImportBadRow:
    @pytest.mark.parametrize(
        ("bad_row", "problem"),
        [
            ("dr-ada-quill,6,2026-01-10,Survey,,approved", "score '6' is not a whole number"),
            ("dr-ada-quill,0,2026-01-10,Survey,,approved", "score '0' is not a whole number"),
            ("dr-ada-quill,-1,2026-01-10,Survey,,approved", "score '-1' is not a whole number"),
            ("dr-ada-quill,abc,2026-01-10,Survey,,approved", "score 'abc' is not a whole number"),
            ("dr-ada-quill,4.5,2026-01-10,Survey,,approved", "score '4.5' is not a whole number"),
            ("dr-ada-quill,,2026-01-10,Survey,,approved", "score '' is not a whole number"),
            ("dr-nobody,5,2026-01-10,Survey,,approved", "no expert profile with slug 'dr-nobody'"),
            ("dr-ada-quill,5,31/12/2026,Survey,,approved", "rated_on '31/12/2026' is not a date"),
            ("dr-ada-quill,5,2026-02-30,Survey,,approved", "rated_on '2026-02-30' is not a date"),
            ("dr-ada-quill,5,2026-01-10,,,approved", "source is empty"),
            ("dr-ada-quill,5,2026-01-10,  ,,approved", "source is empty"),
            ("dr-ada-quill,5,2026-01-10," + "s" * 151 + ",,approved", "source is longer than 150"),
            (
                "dr-ada-quill,5,2026-01-10,Survey," + "c" * 2001 + ",",
                "comment is longer than 2,000",
            ),
            ("dr-ada-quill,5,2026-01-10,Survey,,published", "status 'published' is not one of"),
            ("dr-ada-quill,5,2026-01-10,Survey,,approved,extra", "more values than columns"),
            ("dr-ada-quill,5", "rated_on '' is not a date"),
        ],
    )
    def test_one_bad_row_among_good_ones_names_the_row_and_imports_nothing(
        self, tmp_path, existing, bad_row, problem
    ):
        message = _refused(_csv(tmp_path, HEADER, GOOD, GOOD, bad_row, GOOD))
        assert message.startswith("Nothing imported: ")
        # Header is row 1, so the third data row is row 4.
        assert f"Row 4: {problem}" in message
        for good_row in ("Row 2", "Row 3", "Row 5"):
            assert good_row not in message
        assert _state() == existing

    def test_every_bad_row_is_named_with_each_problem(self, tmp_path, existing):
        message = _refused(
            _csv(
                tmp_path,
                HEADER,
                "dr-ada-quill,6,2026-01-10,Survey,,approved",
                GOOD,
                "dr-nobody,abc,31/12/2026,,,maybe",
                "dr-ada-quill,5,2026-01-10,Survey,,approved,extra",
            )
        )
        assert message.startswith("Nothing imported: ")
        assert "Row 2: score '6' is not a whole number from 1 to 5" in message
        assert "Row 3" not in message
        assert "Row 4: no expert profile with slug 'dr-nobody'" in message
        assert "Row 4: score 'abc' is not a whole number from 1 to 5" in message
        assert "Row 4: rated_on '31/12/2026' is not a date (YYYY-MM-DD)" in message
        assert "Row 4: source is empty" in message
        assert "Row 4: status 'maybe' is not one of pending, approved, rejected" in message
        assert "Row 5: more values than columns" in message
        assert _state() == existing

    def test_summary_line_counts_bad_rows_not_problems(self, tmp_path, existing):
        message = _refused(
            _csv(tmp_path, HEADER, GOOD, "dr-nobody,9,2026-01-10,Survey,,approved", GOOD)
        )
        assert "Row 3: no expert profile with slug 'dr-nobody'" in message
        assert "Row 3: score '9' is not a whole number from 1 to 5" in message
        assert message.startswith("Nothing imported: 1 row(s) have problems.")

    def test_rows_are_numbered_as_records_with_quoted_newlines(self, tmp_path, existing):
        # A comment may span lines inside quotes; it is still one row.
        message = _refused(
            _csv(
                tmp_path,
                HEADER,
                'dr-ada-quill,5,2026-01-10,Survey,"Line one',
                'line two",approved',
                "dr-ada-quill,7,2026-01-10,Survey,,approved",
            )
        )
        assert "Row 3: score '7'" in message
        assert _state() == existing

    def test_blank_line_does_not_shift_row_numbers(self, tmp_path, existing):
        message = _refused(_csv(tmp_path, HEADER, GOOD, "", "dr-ada-quill,7,2026-01-10,S,,"))
        # The bad row is on line 4 of the file (row 4 in a spreadsheet).
        assert "Row 4: score '7'" in message

    def test_superscript_digit_score_is_a_row_error_not_a_traceback(self, tmp_path, existing):
        message = _refused(_csv(tmp_path, HEADER, "dr-ada-quill,²,2026-01-10,Survey,,approved"))
        assert "Row 2: score '²' is not a whole number from 1 to 5" in message
        assert _state() == existing


@pytest.mark.django_db
class TestImportBadFile:
    def test_missing_required_column_is_named(self, tmp_path, existing):
        message = _refused(
            _csv(tmp_path, "expert,score,source", "dr-ada-quill,5,Survey"),
        )
        assert "Row 1: missing column(s): rated_on" in message
        assert _state() == existing

    def test_every_missing_column_is_named(self, tmp_path, existing):
        message = _refused(_csv(tmp_path, "expert,comment", "dr-ada-quill,Nice"))
        assert "Row 1: missing column(s): rated_on, score, source" in message

    def test_unknown_extra_column_is_refused(self, tmp_path, existing):
        message = _refused(_csv(tmp_path, HEADER + ",rating", GOOD + ",5"))
        assert "Row 1: unknown column(s): rating" in message
        assert _state() == existing

    def test_empty_file_is_refused(self, tmp_path, existing):
        path = tmp_path / "empty.csv"
        path.write_bytes(b"")
        message = _refused(path)
        assert "Row 1: missing column(s): expert, rated_on, score, source" in message
        assert _state() == existing

    @pytest.mark.parametrize(
        "content",
        [
            b"\xff\xfee\x00x\x00p\x00e\x00r\x00t\x00",  # UTF-16 (Excel's "Unicode text")
            HEADER.encode() + b"\ndr-ada-quill,5,2026-01-10,Enqu\xeate,Tr\xe8s bien,approved\n",
        ],
        ids=["utf-16", "latin-1-row"],
    )
    def test_file_that_is_not_utf8_is_refused(self, tmp_path, existing, content):
        path = tmp_path / "ratings.csv"
        path.write_bytes(content)
        message = _refused(path)
        assert message.startswith(f"Cannot read {path}:")
        assert "codec can't decode" in message
        assert _state() == existing

    def test_bad_bytes_after_good_rows_import_nothing(self, tmp_path, existing):
        path = tmp_path / "ratings.csv"
        path.write_bytes(
            ("\n".join([HEADER, GOOD, GOOD, GOOD]) + "\n").encode()
            + b"dr-ada-quill,5,2026-01-10,Survey,Tr\xe8s bien,approved\n"
        )
        _refused(path)
        assert _state() == existing

    def test_nonexistent_path_is_refused(self, tmp_path, existing):
        path = tmp_path / "no-such-file.csv"
        message = _refused(path)
        assert message.startswith(f"Cannot read {path}:")
        assert _state() == existing

    def test_directory_is_refused(self, tmp_path, existing):
        assert _refused(tmp_path).startswith(f"Cannot read {tmp_path}:")
