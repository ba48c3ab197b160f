"""Demo consent set-up: an analytics and an advertising tag that load from the local stub, and
eight weeks of fictional consent records so the privacy admins' report has something to show.

Safe to run again: nothing is duplicated. `--demo-logins` adds the `privacy` login (DEBUG only).
"""

import datetime
import random
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from consent.choices import TagKind
from consent.models import (
    BannerVersion,
    ConsentCookie,
    ConsentGroup,
    ConsentRecord,
    ConsentSettings,
    ConsentTag,
    RecordMethod,
)
from consent.snapshot import get_snapshot

PRIVACY_LOGIN = {"username": "privacy", "password": "privacy-demo", "group": "Privacy admins"}


class Command(BaseCommand):
    help = "Create the demo's consent-gated tags (pointing at a local stub) and demo login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ad-script-url",
            default="http://127.0.0.1:8000/_stub/tags/ads.js",
            help="Where the demo advertising tag loads from (the demo server's stub).",
        )
        parser.add_argument(
            "--demo-logins",
            action="store_true",
            help="Also create the privacy admin demo login with its known password (DEBUG only).",
        )

    def handle(self, *args: Any, ad_script_url: str, demo_logins: bool = False, **options: Any):
        if demo_logins and not settings.DEBUG:
            raise CommandError("Demo logins have public passwords; refusing with DEBUG off.")
        analytics = ConsentGroup.objects.get(varname="analytics")
        advertising = ConsentGroup.objects.get(varname="advertising")
        _, created = ConsentTag.objects.get_or_create(
            name="Demo analytics (GA4, local stub)",
            defaults={"group": analytics, "kind": TagKind.GA4, "tag_id": "G-DEMO0001"},
        )
        if created:  # once: a privacy admin may turn it off afterwards
            consent_settings = ConsentSettings.load()
            consent_settings.google_consent_mode = True
            consent_settings.save()
        ConsentTag.objects.get_or_create(
            name="Demo advertising (local stub)",
            defaults={"group": advertising, "kind": TagKind.SCRIPT, "url": ad_script_url},
        )
        ConsentCookie.objects.get_or_create(
            cookiegroup=advertising,
            name="stub_ad_id",
            domain="",
            defaults={
                "provider": "Demo ad network (a local stub)",
                "purpose": "Tells visits apart to measure adverts.",
                "duration": "2 years",
                "path": "/",
            },
        )
        if not ConsentRecord.objects.exists():
            self._records()
        if demo_logins:
            self._login()
        self.stdout.write(self.style.SUCCESS("Demo consent set-up is in place."))

    def _login(self) -> None:
        User = get_user_model()
        user = User.objects.filter(username=PRIVACY_LOGIN["username"]).first()
        if user is None:
            user = User(username=PRIVACY_LOGIN["username"], email="privacy@example.com")
            user.set_password(PRIVACY_LOGIN["password"])
            user.save()
        user.groups.add(Group.objects.get(name=PRIVACY_LOGIN["group"]))

    def _records(self, weeks: int = 8, per_week: int = 15) -> None:
        """Fictional decisions, a fixed pseudo-random mix (about 60% accept analytics)."""
        config = get_snapshot(None)
        banner = BannerVersion.for_words(config.banner_title, str(config.banner_html))
        optional = [g for g in config.groups if not g.is_required]
        rng = random.Random(2026)  # noqa: S311  (demo data, not security)
        now = timezone.now()
        records = []
        for n in range(weeks * per_week):
            roll = rng.random()
            if roll < 0.45:
                method, accepted = RecordMethod.ACCEPT_ALL, {g.varname for g in optional}
            elif roll < 0.8:
                method, accepted = RecordMethod.REJECT_ALL, set()
            else:
                method, accepted = RecordMethod.CUSTOM, {"analytics"}
            records.append(
                ConsentRecord(
                    consent_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    decided_at=now - datetime.timedelta(hours=n * 24 * 7 // per_week + 1),
                    method=method,
                    groups=[
                        {
                            "varname": g.varname,
                            "name": g.name,
                            "version": g.version,
                            "accepted": g.varname in accepted,
                        }
                        for g in optional
                    ],
                    policy_version=config.policy_version,
                    banner_version=banner,
                    path="/",
                    browser=rng.choice(["Chrome", "Safari", "Firefox", "Edge"]),
                )
            )
        ConsentRecord.objects.bulk_create(records)
