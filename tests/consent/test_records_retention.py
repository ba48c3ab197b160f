"""How long proof of consent is kept, and the consent id a reader can quote.

Proves the retention setting (2 years by default, at least a day, edited by privacy admins);
that `prune_consent_records` deletes only records older than it, in batches, says how many,
deletes nothing on a dry run or a second run, follows a changed setting and keeps banner
versions; and that the preference centre shows a reader their consent id and the date of their
decision once they have decided, while public pages never show it.
"""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consent.models import BannerVersion, ConsentRecord, ConsentSettings, RecordMethod
from tests.consent.admin_forms import field_errors, read_form, submit

PREFERENCES = "/consent/preferences/"
DECIDE = "/consent/decide/"
SAME_ORIGIN = "http://testserver"


def make_record(age_days: float, banner_version: BannerVersion | None = None) -> ConsentRecord:
    return ConsentRecord.objects.create(
        consent_id=uuid.uuid4(),
        decided_at=timezone.now() - timedelta(days=age_days),
        method=RecordMethod.ACCEPT_ALL,
        groups=[],
        policy_version=1,
        banner_version=banner_version,
    )


def prune(*args: str) -> str:
    out = StringIO()
    call_command("prune_consent_records", *args, stdout=out)
    return out.getvalue()


# --- The setting -------------------------------------------------------------------------


@pytest.mark.django_db
class TestRetentionSetting:
    def test_defaults_to_two_years(self, consent_settings):
        assert consent_settings.record_retention_days == 730

    def test_privacy_admin_sees_it_in_the_settings_form(self, privacy_client, settings_url):
        assert read_form(privacy_client.get(settings_url)).data["record_retention_days"] == "730"

    def test_privacy_admin_changes_it(self, privacy_client, settings_url):
        assert submit(privacy_client, settings_url, record_retention_days="365").status_code == 302
        assert ConsentSettings.objects.get().record_retention_days == 365

    def test_zero_is_refused_in_the_admin(self, privacy_client, settings_url):
        response = submit(privacy_client, settings_url, record_retention_days="0")
        assert response.status_code == 200
        assert field_errors(response, "record_retention_days") == [
            "Ensure this value is greater than or equal to 1."
        ]
        assert ConsentSettings.objects.get().record_retention_days == 730

    def test_zero_is_refused_by_full_clean(self, consent_settings):
        consent_settings.record_retention_days = 0
        with pytest.raises(ValidationError) as error:
            consent_settings.full_clean()
        assert "record_retention_days" in error.value.message_dict


# --- The command -------------------------------------------------------------------------


@pytest.mark.django_db
class TestPruneConsentRecords:
    def test_deletes_only_records_older_than_the_retention(self, consent_settings):
        old = [make_record(731), make_record(2000)]
        kept = [make_record(729), make_record(0)]

        output = prune()

        assert "Deleted 2 consent records older than 730 days" in output
        assert set(ConsentRecord.objects.values_list("pk", flat=True)) == {r.pk for r in kept}
        assert not ConsentRecord.objects.filter(pk__in=[r.pk for r in old]).exists()

    def test_deletes_in_batches(self, consent_settings):
        for _ in range(5):
            make_record(800)
        make_record(10)

        with CaptureQueriesContext(connection) as queries:
            output = prune("--batch-size", "2")

        deletes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("DELETE")]
        assert len(deletes) == 3
        assert "Deleted 5 consent records" in output
        assert ConsentRecord.objects.count() == 1

    def test_dry_run_deletes_nothing(self, consent_settings):
        make_record(800)
        make_record(10)

        with CaptureQueriesContext(connection) as queries:
            output = prune("--dry-run")

        assert "Would delete 1 consent records" in output
        assert not [q for q in queries if q["sql"].lstrip().upper().startswith("DELETE")]
        assert ConsentRecord.objects.count() == 2

    def test_second_run_deletes_nothing(self, consent_settings):
        make_record(800)
        make_record(10)
        prune()

        assert "Deleted 0 consent records" in prune()
        assert ConsentRecord.objects.count() == 1

    def test_follows_a_changed_retention(self, consent_settings):
        make_record(60)
        recent = make_record(10)
        assert "Deleted 0" in prune()

        consent_settings.record_retention_days = 30
        consent_settings.save()

        assert "Deleted 1 consent records older than 30 days" in prune()
        assert list(ConsentRecord.objects.values_list("pk", flat=True)) == [recent.pk]

    def test_keeps_banner_versions(self, consent_settings):
        before = set(BannerVersion.objects.all())  # the settings' own words, stored on save
        shared = BannerVersion.for_words("Cookies", "<p>Shared</p>")
        only_old = BannerVersion.for_words("Cookies", "<p>Old</p>")
        make_record(800, shared)
        make_record(800, only_old)
        make_record(10, shared)

        prune()

        assert ConsentRecord.objects.get().banner_version == shared
        assert set(BannerVersion.objects.all()) == before | {shared, only_old}

    def test_refuses_a_batch_size_below_one(self, consent_settings):
        with pytest.raises(CommandError, match="at least 1"):
            prune("--batch-size", "0")


# --- The consent id a reader can quote ---------------------------------------------------


@pytest.mark.django_db
class TestConsentIdOnThePreferenceCentre:
    @pytest.fixture
    def decided(self, client, consent_config):
        response = client.post(DECIDE, {"choice": "accept_all"}, HTTP_ORIGIN=SAME_ORIGIN)
        assert response.status_code == 303
        return ConsentRecord.objects.get()

    def test_shows_the_consent_id_and_date_after_a_decision(self, client, decided):
        html = client.get(PREFERENCES).content.decode()

        assert f"Your consent ID: <code>{decided.consent_id}</code>" in html
        assert f"{decided.decided_at:%-d %B %Y}" in html
        assert "Quote it if you ask us about your choices." in html

    def test_shows_no_consent_id_before_any_decision(self, client, consent_config):
        html = client.get(PREFERENCES).content.decode()
        assert "Your consent ID" not in html

    def test_shows_no_consent_id_for_a_tampered_cookie(self, client, decided):
        client.cookies["consent_id"] = f"{uuid.uuid4()}:forged"
        html = client.get(PREFERENCES).content.decode()
        assert "Your consent ID" not in html

    def test_public_pages_never_show_it(self, client, home, decided):
        response = client.get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert str(decided.consent_id) not in html
        assert "Your consent ID" not in html
