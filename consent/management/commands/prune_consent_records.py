"""Delete proof of consent older than the retention period privacy admins set.

Run daily from cron. Deletes in small batches (one short DELETE each) so a large table is never
locked for long. The cut-off is fixed when the command starts, so a record written while it runs
is never touched. Banner versions are kept: they are small, and older records may still point
at them. Safe to run again: a second run finds nothing to delete.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from consent.models import ConsentRecord, ConsentSettings

DEFAULT_BATCH_SIZE = 1000


class Command(BaseCommand):
    help = "Delete consent records older than the retention period in Banner and policy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Records deleted per query (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many records would be deleted.",
        )

    def handle(self, *args: Any, batch_size: int, dry_run: bool = False, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        days = ConsentSettings.load().record_retention_days
        cutoff = timezone.now() - timedelta(days=days)
        expired = ConsentRecord.objects.filter(decided_at__lt=cutoff)
        when = f"older than {days} days (decided before {cutoff:%Y-%m-%d %H:%M} UTC)"
        if dry_run:
            self.stdout.write(f"Would delete {expired.count()} consent records {when}.")
            return
        deleted = 0
        while True:
            pks = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            # The cut-off again, not only the pks: the batch can never reach a newer record.
            count, _ = expired.filter(pk__in=pks).delete()
            deleted += count
        self.stdout.write(f"Deleted {deleted} consent records {when}.")
