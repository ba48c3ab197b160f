"""Import patient ratings from a CSV file, all or nothing.

Columns (a header row is required; order does not matter):
  expert    the expert profile's slug, e.g. dr-imogen-varga
  score     a whole number from 1 to 5
  rated_on  the date of the rating, YYYY-MM-DD
  source    where it came from, e.g. "Riverside outpatient survey 2026"
  comment   optional free text
  status    optional: pending (the default), approved or rejected

Every row is checked before anything is written. If any row is wrong, the command names each
bad row and what is wrong with it, and imports nothing.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...choices import RatingStatus
from ...models import ExpertProfilePage, PatientRating, RatingSummary
from ...models.ratings import MAX_SCORE, MIN_SCORE

REQUIRED_COLUMNS = {"expert", "score", "rated_on", "source"}
OPTIONAL_COLUMNS = {"comment", "status"}
MAX_ROWS = 100_000


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}"


class Command(BaseCommand):
    help = "Import patient ratings from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )

    def handle(self, *args: Any, csv_file: Path, dry_run: bool = False, **options: Any) -> None:
        try:
            with csv_file.open(newline="", encoding="utf-8-sig") as handle:
                ratings, errors = parse_ratings(handle)
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise CommandError(f"Cannot read {csv_file}: {e}") from e
        if errors:
            raise CommandError(
                f"Nothing imported: {len({e.row for e in errors})} row(s) have problems.\n"
                + "\n".join(str(e) for e in errors)
            )
        if dry_run:
            self.stdout.write(f"{len(ratings)} rating(s) are valid; nothing written (dry run).")
            return
        with transaction.atomic():
            PatientRating.objects.bulk_create(ratings)
            for expert_id in sorted({r.expert_id for r in ratings}):
                RatingSummary.refresh_for(expert_id)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(ratings)} rating(s)."))


def parse_ratings(handle) -> tuple[list[PatientRating], list[RowError]]:
    """Read and check every row; return the unsaved ratings and every problem found."""
    reader = csv.reader(handle)
    fieldnames = [c.strip().lower() for c in next(reader, [])]
    columns = set(fieldnames)
    missing = REQUIRED_COLUMNS - columns
    if missing:
        return [], [RowError(1, f"missing column(s): {', '.join(sorted(missing))}")]
    unknown = columns - REQUIRED_COLUMNS - OPTIONAL_COLUMNS
    if unknown:
        return [], [RowError(1, f"unknown column(s): {', '.join(sorted(unknown))}")]

    experts = dict(ExpertProfilePage.objects.values_list("slug", "pk"))
    ratings: list[PatientRating] = []
    errors: list[RowError] = []
    # Row 1 is the header, so the first data row is row 2, as a spreadsheet numbers it. A blank
    # line is a row there too (csv.DictReader would skip it and misnumber every later row).
    for number, values in enumerate(reader, start=2):
        if not values:
            continue
        if number > MAX_ROWS + 1:
            errors.append(RowError(number, f"more than {MAX_ROWS} rows; split the file"))
            break
        if len(values) > len(fieldnames):
            errors.append(RowError(number, "more values than columns"))
            continue
        row = {
            name: value.strip() for name, value in zip(fieldnames, values, strict=False) if name
        }
        rating, problems = _rating_from(row, experts)
        errors += [RowError(number, p) for p in problems]
        if rating is not None and not problems:
            ratings.append(rating)
    return ratings, errors


def _rating_from(row: dict[str, str], experts: dict[str, int]):
    problems = []
    expert_id = experts.get(row.get("expert", ""))
    if expert_id is None:
        problems.append(f"no expert profile with slug {row.get('expert', '')!r}")
    score_text = row.get("score", "")
    score = int(score_text) if score_text.isascii() and score_text.isdigit() else None
    if score is None or not MIN_SCORE <= score <= MAX_SCORE:
        problems.append(f"score {score_text!r} is not a whole number from 1 to 5")
    try:
        rated_on = datetime.date.fromisoformat(row.get("rated_on", ""))
    except ValueError:
        rated_on = None
        problems.append(f"rated_on {row.get('rated_on', '')!r} is not a date (YYYY-MM-DD)")
    source = row.get("source", "")
    if not source:
        problems.append("source is empty")
    elif len(source) > PatientRating._meta.get_field("source").max_length:
        problems.append("source is longer than 150 characters")
    comment = row.get("comment", "")
    if len(comment) > PatientRating._meta.get_field("comment").max_length:
        problems.append("comment is longer than 2,000 characters")
    status = row.get("status", "") or RatingStatus.PENDING
    if status not in RatingStatus.values:
        problems.append(f"status {status!r} is not one of {', '.join(RatingStatus.values)}")
    if problems:
        return None, problems
    return (
        PatientRating(
            expert_id=expert_id,
            score=score,
            rated_on=rated_on,
            source=source,
            comment=comment,
            status=status,
        ),
        [],
    )
