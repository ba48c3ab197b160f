"""Proof of consent: every decision writes exactly one record, and only a real decision does.

Proves what a record holds (method, each optional group by name and version, policy version,
the banner's exact words, path, browser family, never an IP address or the full user agent),
that one reader's decisions chain by a signed consent id that a tampered cookie cannot borrow,
that a re-asked reader is marked, that forged posts write nothing, that a failed write sets no
cookie at all, and that records outlive the groups and banner words they name.
"""

import logging
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from unittest import mock
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.db import DatabaseError
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.test import Client

from consent.cookie import CONSENT_ID_COOKIE
from consent.models import BannerVersion, ConsentGroup, ConsentRecord, RecordMethod
from consent.records import SALT
from consent.views import NOT_SAVED
from safe_text.control_characters import has_control_characters
from tests.concurrency import NoRedirects, needs_database_server
from tests.consent.test_decision_view import DECIDE, post_decision
from tests.consent.test_preference_centre import PREFERENCES, csrf_token

IP_ADDRESS = "203.0.113.77"

USER_AGENTS = {
    "Firefox": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Firefox on iOS": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15"
    ),
    "Chrome": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
    ),
    "Chrome on iOS": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1"
    ),
    "Safari": (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
    ),
    "Edge": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87"
    ),
    # What headless Chromium (as in the browser tests) sends: still Chrome, not Safari.
    "Headless Chrome": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36"
    ),
    "curl": "curl/8.5.0",
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
}
BROWSER_OF = {
    "Firefox": "Firefox",
    "Firefox on iOS": "Firefox",
    "Chrome": "Chrome",
    "Chrome on iOS": "Chrome",
    "Safari": "Safari",
    "Edge": "Edge",
    "Headless Chrome": "Chrome",
    "curl": "Other",
    "Googlebot": "Other",
}


def only_record():
    assert ConsentRecord.objects.count() == 1
    return ConsentRecord.objects.get()


def latest_record():
    return ConsentRecord.objects.order_by("-pk").first()


def expected_groups(config, accepted):
    return [
        {
            "varname": group.varname,
            "name": group.name,
            "version": group.version,
            "accepted": group.varname in accepted,
        }
        for group in config.optional_groups
    ]


def consent_id_in(response) -> uuid.UUID:
    """The id a response's signed consent id cookie carries ("<uuid>:<time>:<signature>")."""
    return uuid.UUID(response.cookies[CONSENT_ID_COOKIE].value.split(":")[0])


def save_preferences(client, data):
    """A POST from the preference centre's own form, with its CSRF token."""
    token = csrf_token(client.get(PREFERENCES).content.decode())
    return client.post(PREFERENCES, {"csrfmiddlewaretoken": token, **data})


@pytest.mark.django_db
class TestOneRecordPerDecision:
    @pytest.mark.parametrize(
        "data, method, accepted",
        [
            ({"choice": "accept_all"}, RecordMethod.ACCEPT_ALL, {"analytics", "advertising"}),
            ({"choice": "reject_all"}, RecordMethod.REJECT_ALL, set()),
            ({"choice": "custom", "groups": ["analytics"]}, RecordMethod.CUSTOM, {"analytics"}),
        ],
        ids=["accept all", "reject all", "custom analytics only"],
    )
    def test_decision_writes_one_record(self, client, consent_config, data, method, accepted):
        response = post_decision(client, {**data, "next": "/articles/"})
        assert response.status_code == 303

        record = only_record()
        assert record.method == method
        assert record.groups == expected_groups(consent_config, accepted)
        assert {group["varname"] for group in record.groups} == {"analytics", "advertising"}
        assert record.policy_version == consent_config.policy_version
        assert record.path == "/articles/"
        assert record.re_ask is False
        assert record.consent_id == consent_id_in(response)

    def test_json_decision_writes_one_record_too(self, client):
        response = post_decision(client, {"choice": "accept_all"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert only_record().method == RecordMethod.ACCEPT_ALL

    def test_rejecting_after_accepting_is_a_withdrawal(self, client, consent_config):
        post_decision(client, {"choice": "accept_all"})
        post_decision(client, {"choice": "reject_all"})

        first, second = ConsentRecord.objects.order_by("pk")
        assert first.method == RecordMethod.ACCEPT_ALL
        assert second.method == RecordMethod.WITHDRAWAL
        assert second.groups == expected_groups(consent_config, set())

    def test_dropping_one_accepted_group_is_a_withdrawal(self, client):
        post_decision(client, {"choice": "accept_all"})
        post_decision(client, {"choice": "custom", "groups": ["advertising"]})
        assert latest_record().method == RecordMethod.WITHDRAWAL

    def test_accepting_more_is_no_withdrawal(self, client):
        post_decision(client, {"choice": "reject_all"})
        post_decision(client, {"choice": "custom", "groups": ["analytics"]})
        assert latest_record().method == RecordMethod.CUSTOM

    def test_preference_centre_records_its_own_path(self, csrf_client, consent_config):
        response = save_preferences(csrf_client, {"choice": "custom", "groups": "analytics"})
        assert response.status_code == 303

        record = only_record()
        assert record.path == PREFERENCES
        assert record.method == RecordMethod.CUSTOM
        assert record.groups == expected_groups(consent_config, {"analytics"})

    def test_withdrawal_in_the_preference_centre(self, csrf_client):
        save_preferences(csrf_client, {"choice": "accept_all"})
        save_preferences(csrf_client, {"choice": "custom"})
        assert [r.method for r in ConsentRecord.objects.order_by("pk")] == [
            RecordMethod.ACCEPT_ALL,
            RecordMethod.WITHDRAWAL,
        ]

    def test_next_elsewhere_records_the_home_page(self, client):
        post_decision(client, {"choice": "accept_all", "next": "https://evil.example/x"})
        assert only_record().path == "/"

    def test_policy_version_follows_the_settings(self, client, consent_settings):
        consent_settings.policy_version = 5
        consent_settings.save()
        post_decision(client, {"choice": "reject_all"})
        assert only_record().policy_version == 5

    @pytest.mark.parametrize("agent", list(USER_AGENTS))
    def test_only_the_browser_family_is_kept(self, client, agent):
        user_agent = USER_AGENTS[agent]
        post_decision(client, {"choice": "accept_all"}, HTTP_USER_AGENT=user_agent)

        record = only_record()
        assert record.browser == BROWSER_OF[agent]
        assert not re.search(r"\d", record.browser)  # no version
        for value in self.stored_values(record):
            assert user_agent not in value

    def test_no_user_agent_is_other(self, client):
        post_decision(client, {"choice": "accept_all"})
        assert only_record().browser == "Other"

    @pytest.mark.parametrize("forwarded", [False, True], ids=["direct", "behind a proxy"])
    def test_no_ip_address_is_stored(self, client, forwarded):
        headers = {"REMOTE_ADDR": IP_ADDRESS, "HTTP_USER_AGENT": USER_AGENTS["Firefox"]}
        if forwarded:
            headers["HTTP_X_FORWARDED_FOR"] = IP_ADDRESS
            headers["HTTP_X_REAL_IP"] = IP_ADDRESS
        post_decision(client, {"choice": "accept_all", "next": "/articles/"}, **headers)

        record = only_record()
        for value in self.stored_values(record):
            assert IP_ADDRESS not in value
            assert "203.0.113" not in value

    @staticmethod
    def stored_values(record):
        """Every column of the record's row as the database holds it, as text."""
        row = ConsentRecord.objects.filter(pk=record.pk).values().get()
        return [str(value) for value in row.values()]


# What the hardening issue sent: a `next` that is a path of this site but for a control
# character (stored, it broke the XLSX export for every privacy admin).
CONTROL_CHARACTER_NEXTS = ["/%01", "/%00", "/%0B", "/%1B[31m", "/articles/%01"]


@pytest.mark.django_db
class TestNoControlCharacterIsStored:
    @pytest.mark.parametrize("target", CONTROL_CHARACTER_NEXTS)
    def test_a_next_with_a_control_character_records_the_home_page(self, client, target):
        response = client.post(
            DECIDE,
            f"choice=reject_all&next={target}",
            content_type="application/x-www-form-urlencoded",
            HTTP_ORIGIN="http://testserver",
        )
        assert response.status_code == 303
        assert response["Location"] == "/"
        assert only_record().path == "/"

    def test_a_json_decision_records_the_home_page_too(self, client):
        post_decision(
            client, {"choice": "accept_all", "next": "/\x01"}, HTTP_ACCEPT="application/json"
        )
        assert only_record().path == "/"

    def test_no_stored_value_holds_a_control_character(self, client):
        post_decision(
            client,
            {"choice": "accept_all", "next": "/articles/\x1b[31m"},
            HTTP_USER_AGENT="Mozilla/5.0\x00\x01 Firefox/128.0\x0b",
        )
        row = ConsentRecord.objects.values().get()
        assert not [value for value in row.values() if has_control_characters(str(value))]


@pytest.mark.django_db
class TestConsentIdChain:
    def test_a_readers_decisions_share_one_id(self, client):
        first = post_decision(client, {"choice": "accept_all"})
        second = post_decision(client, {"choice": "reject_all"})

        ids = {record.consent_id for record in ConsentRecord.objects.all()}
        assert len(ids) == 1
        assert consent_id_in(first) == consent_id_in(second) == ids.pop()

    def test_banner_and_preference_centre_decisions_chain(self, csrf_client):
        post_decision(csrf_client, {"choice": "accept_all"})
        save_preferences(csrf_client, {"choice": "reject_all"})
        assert ConsentRecord.objects.values("consent_id").distinct().count() == 1
        assert ConsentRecord.objects.count() == 2

    def test_another_reader_gets_another_id(self, client):
        post_decision(client, {"choice": "accept_all"})
        post_decision(Client(), {"choice": "accept_all"})
        assert ConsentRecord.objects.values("consent_id").distinct().count() == 2

    def test_id_cookie_is_http_only_and_lasts_as_long_as_the_decision(
        self, client, consent_config, consent_cookie_name
    ):
        response = post_decision(client, {"choice": "accept_all"})
        morsel = response.cookies[CONSENT_ID_COOKIE]
        assert morsel["httponly"]
        assert morsel["samesite"] == response.cookies[consent_cookie_name]["samesite"] == "Lax"
        assert morsel["max-age"] == consent_config.lifetime_seconds
        assert morsel["path"] == "/"
        assert not morsel["secure"]

    def test_id_cookie_lifetime_follows_the_settings(self, client, consent_settings):
        consent_settings.lifetime_days = 30
        consent_settings.save()
        morsel = post_decision(client, {"choice": "accept_all"}).cookies[CONSENT_ID_COOKIE]
        assert morsel["max-age"] == 30 * 86400

    def test_id_cookie_is_secure_over_https(self, client):
        response = post_decision(
            client, {"choice": "accept_all"}, secure=True, HTTP_ORIGIN="https://testserver"
        )
        assert response.cookies[CONSENT_ID_COOKIE]["secure"]


@pytest.mark.django_db
class TestTamperedConsentId:
    @pytest.fixture
    def other_readers_cookie(self):
        """Reader A's signed consent id cookie, and the id it carries."""
        other = Client()
        response = post_decision(other, {"choice": "accept_all"})
        return response.cookies[CONSENT_ID_COOKIE].value, consent_id_in(response)

    @staticmethod
    def altered(value: str) -> list[str]:
        """The value with one character changed: in the id, and in the signature."""
        flip = {"0": "1"}

        def change(text, index):
            character = text[index]
            replacement = flip.get(character, "0" if character != "0" else "1")
            return text[:index] + replacement + text[index + 1 :]

        return [change(value, 0), change(value, len(value) - 1)]

    def assert_new_id(self, client, *not_ids):
        response = post_decision(client, {"choice": "reject_all"})
        assert response.status_code == 303
        record = latest_record()
        issued = consent_id_in(response)
        assert record.consent_id == issued
        assert issued not in not_ids
        return issued

    def test_unsigned_uuid_gets_a_new_id(self, client):
        made_up = uuid.uuid4()
        client.cookies[CONSENT_ID_COOKIE] = str(made_up)
        self.assert_new_id(client, made_up)
        assert not ConsentRecord.objects.filter(consent_id=made_up).exists()

    @pytest.mark.parametrize("where", [0, 1], ids=["in the id", "in the signature"])
    def test_another_readers_cookie_altered_by_one_character(
        self, client, other_readers_cookie, where
    ):
        value, other_id = other_readers_cookie
        tampered = self.altered(value)[where]
        assert tampered != value
        client.cookies[CONSENT_ID_COOKIE] = tampered
        self.assert_new_id(client, other_id, uuid.UUID(tampered.split(":")[0]))
        assert ConsentRecord.objects.filter(consent_id=other_id).count() == 1

    @pytest.mark.parametrize(
        "value",
        ["garbage", "::", "a:b:c", "x" * 10 * 1024, f"{uuid.uuid4()}:1:{'A' * 43}"],
        ids=["garbage", "colons", "three parts", "10 KB", "uuid with a forged signature"],
    )
    def test_garbage_gets_a_new_id(self, client, value):
        client.cookies[CONSENT_ID_COOKIE] = value
        self.assert_new_id(client)
        assert ConsentRecord.objects.count() == 1

    def test_signed_value_that_is_no_uuid_gets_a_new_id(self, client):
        response = HttpResponse()
        response.set_signed_cookie(CONSENT_ID_COOKIE, "not-a-uuid", salt=SALT)
        client.cookies[CONSENT_ID_COOKIE] = response.cookies[CONSENT_ID_COOKIE].value
        self.assert_new_id(client)

    def test_value_signed_for_another_purpose_gets_a_new_id(self, client):
        response = HttpResponse()
        made_up = uuid.uuid4()
        response.set_signed_cookie(CONSENT_ID_COOKIE, str(made_up), salt="another.purpose")
        client.cookies[CONSENT_ID_COOKIE] = response.cookies[CONSENT_ID_COOKIE].value
        self.assert_new_id(client, made_up)

    def test_new_id_then_chains(self, client):
        client.cookies[CONSENT_ID_COOKIE] = "garbage"
        issued = self.assert_new_id(client)
        post_decision(client, {"choice": "accept_all"})
        assert latest_record().consent_id == issued


@pytest.mark.django_db
class TestReAsk:
    def test_first_decision_is_not_a_re_ask(self, client):
        post_decision(client, {"choice": "accept_all"})
        assert only_record().re_ask is False

    def test_changing_ones_mind_is_not_a_re_ask(self, client):
        post_decision(client, {"choice": "accept_all"})
        post_decision(client, {"choice": "reject_all"})
        assert latest_record().re_ask is False

    def test_decision_after_a_policy_change_is_a_re_ask(self, client, consent_settings):
        post_decision(client, {"choice": "accept_all"})
        consent_settings.policy_version += 1
        consent_settings.save()
        post_decision(client, {"choice": "accept_all"})

        first, second = ConsentRecord.objects.order_by("pk")
        assert (first.re_ask, second.re_ask) == (False, True)
        assert (first.policy_version + 1) == second.policy_version
        assert first.consent_id == second.consent_id

    def test_cookie_from_an_older_policy_is_a_re_ask(
        self, client, consent_settings, accept_all_cookie, consent_cookie_name
    ):
        client.cookies[consent_cookie_name] = accept_all_cookie
        consent_settings.policy_version += 1
        consent_settings.save()
        post_decision(client, {"choice": "reject_all"})
        assert only_record().re_ask is True

    def test_expired_decision_is_a_re_ask(self, client, make_consent_cookie, consent_cookie_name):
        client.cookies[consent_cookie_name] = make_consent_cookie(
            accepted=["analytics"], at=1_000_000_000
        )
        post_decision(client, {"choice": "accept_all"})
        assert only_record().re_ask is True


@pytest.mark.django_db
class TestForgedDecisionsWriteNothing:
    @pytest.mark.parametrize(
        "data, headers, status",
        [
            ({"choice": "accept_all"}, {"HTTP_ORIGIN": "https://evil.example"}, 403),
            ({"choice": "accept_all"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
            ({"choice": "custom", "groups": ["nosuchgroup"]}, {}, 400),
            ({"choice": "accept"}, {}, 400),
            ({}, {}, 400),
        ],
        ids=["cross-site Origin", "cross-site fetch", "unknown group", "unknown choice", "none"],
    )
    def test_refused_post_writes_no_record(self, client, data, headers, status):
        response = post_decision(client, data, **headers)
        assert response.status_code == status
        assert not ConsentRecord.objects.exists()
        assert not BannerVersion.objects.exists()
        assert CONSENT_ID_COOKIE not in response.cookies

    @pytest.mark.parametrize("method", ["get", "head", "put"])
    def test_other_methods_write_no_record(self, client, method):
        response = getattr(client, method)(DECIDE, HTTP_ORIGIN="http://testserver")
        assert response.status_code == 405
        assert not ConsentRecord.objects.exists()

    def test_bad_preference_centre_post_writes_no_record(self, csrf_client):
        response = save_preferences(csrf_client, {"choice": "custom", "groups": "nosuchgroup"})
        assert response.status_code == 400
        assert not ConsentRecord.objects.exists()

    def test_preference_centre_post_without_token_writes_no_record(self, csrf_client):
        response = csrf_client.post(PREFERENCES, {"choice": "accept_all"})
        assert response.status_code == 403
        assert not ConsentRecord.objects.exists()

    def test_viewing_the_preference_centre_writes_no_record(self, client):
        client.get(PREFERENCES)
        assert not ConsentRecord.objects.exists()


FAILURES = {
    "record": lambda: mock.patch.object(
        ConsentRecord.objects, "create", side_effect=DatabaseError("disk full")
    ),
    "banner version": lambda: mock.patch.object(
        BannerVersion.objects, "get_or_create", side_effect=DatabaseError("disk full")
    ),
}


@pytest.mark.django_db
class TestFailedWrite:
    @pytest.mark.parametrize("failing", list(FAILURES))
    @pytest.mark.parametrize("accept", ["text/html", "application/json"])
    def test_decision_without_proof_sets_no_cookie(self, client, failing, accept):
        client.cookies["_ga"] = "GA1.1.1.1"  # a withdrawal would otherwise delete it
        with FAILURES[failing]():
            response = post_decision(client, {"choice": "reject_all"}, HTTP_ACCEPT=accept)

        assert response.status_code == 503
        assert response.content.decode() == NOT_SAVED
        assert response["Content-Type"].startswith("text/plain")
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        assert not ConsentRecord.objects.exists()

    def test_earlier_decision_stands(self, client, consent_cookie_name):
        post_decision(client, {"choice": "accept_all"})
        before = client.cookies[consent_cookie_name].value
        with FAILURES["record"]():
            response = post_decision(client, {"choice": "reject_all"})
        assert response.status_code == 503
        assert client.cookies[consent_cookie_name].value == before
        assert only_record().method == RecordMethod.ACCEPT_ALL

    @pytest.mark.parametrize("failing", list(FAILURES))
    def test_preference_centre_without_proof_sets_no_cookie(self, csrf_client, failing):
        token = csrf_token(csrf_client.get(PREFERENCES).content.decode())
        with FAILURES[failing]():
            response = csrf_client.post(
                PREFERENCES, {"csrfmiddlewaretoken": token, "choice": "accept_all"}
            )

        assert response.status_code == 503
        assert response.content.decode() == NOT_SAVED
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        assert not ConsentRecord.objects.exists()

    @pytest.mark.parametrize("view", [DECIDE, PREFERENCES])
    def test_each_refusal_is_logged_with_its_cause(self, client, csrf_client, caplog, view):
        with caplog.at_level(logging.ERROR, logger="consent.views"), FAILURES["record"]():
            if view == DECIDE:
                response = post_decision(client, {"choice": "reject_all"})
            else:
                response = save_preferences(csrf_client, {"choice": "accept_all"})

        assert response.status_code == 503
        [logged] = [entry for entry in caplog.records if entry.name == "consent.views"]
        assert logged.levelno == logging.ERROR
        assert view in logged.getMessage()
        cause = logged.exc_info[1]
        assert isinstance(cause, DatabaseError)
        assert str(cause) == "disk full"

    def test_next_decision_works_again(self, client):
        with FAILURES["record"]():
            post_decision(client, {"choice": "accept_all"})
        response = post_decision(client, {"choice": "accept_all"})
        assert response.status_code == 303
        assert only_record().consent_id == consent_id_in(response)


@pytest.mark.django_db
class TestBannerVersions:
    def test_same_words_share_one_version(self, client, consent_config):
        post_decision(client, {"choice": "accept_all"})
        post_decision(Client(), {"choice": "reject_all"})

        version = BannerVersion.objects.get()
        assert set(ConsentRecord.objects.values_list("banner_version", flat=True)) == {version.pk}
        assert version.title == consent_config.banner_title
        assert version.text == str(consent_config.banner_html)

    def test_new_title_makes_a_new_version_and_keeps_the_old(
        self, client, consent_settings, django_capture_on_commit_callbacks
    ):
        post_decision(client, {"choice": "accept_all"})
        old = only_record()
        old_title = old.banner_version.title

        with django_capture_on_commit_callbacks(execute=True):
            consent_settings.banner_title = "We use cookies, and here is why"
            consent_settings.save()
        post_decision(client, {"choice": "reject_all"})

        new = latest_record()
        assert BannerVersion.objects.count() == 2
        assert new.banner_version != old.banner_version
        assert new.banner_version.title == "We use cookies, and here is why"
        old.refresh_from_db()
        assert old.banner_version.title == old_title == "Cookies on this site"

    def test_new_text_makes_a_new_version(self, client, consent_settings):
        post_decision(client, {"choice": "accept_all"})
        consent_settings.banner_text = "<p>Different <b>words</b>.</p>"
        consent_settings.save()
        post_decision(client, {"choice": "accept_all"})

        texts = [r.banner_version.text for r in ConsentRecord.objects.order_by("pk")]
        assert texts[0] != texts[1]
        assert "Different" in texts[1]

    def test_saving_new_words_stores_them_before_any_reader_decides(self, consent_settings):
        consent_settings.banner_title = "Cookies, plainly"
        consent_settings.save()
        assert BannerVersion.objects.filter(title="Cookies, plainly").exists()
        assert not ConsentRecord.objects.exists()

    def test_a_decision_from_a_cached_page_records_the_words_that_page_showed(
        self, client, home, consent_settings, django_capture_on_commit_callbacks
    ):
        page = client.get("/").content.decode()
        shown = re.search(r'name="banner" value="([0-9a-f]{64})"', page).group(1)
        assert page.count(f'name="banner" value="{shown}"') == 3  # banner, customise, noscript
        with django_capture_on_commit_callbacks(execute=True):
            consent_settings.banner_title = "New words the reader never saw"
            consent_settings.save()

        post_decision(client, {"choice": "accept_all", "banner": shown})
        assert only_record().banner_version.digest == shown
        assert only_record().banner_version.title == "Cookies on this site"

    @pytest.mark.parametrize("posted", ["0" * 64, "not-a-digest", "x" * 5000, ""])
    def test_an_unknown_or_missing_digest_records_the_current_words(self, client, posted):
        post_decision(client, {"choice": "reject_all", "banner": posted})
        assert only_record().banner_version.title == "Cookies on this site"

    def test_banner_words_in_use_cannot_be_deleted(self, client):
        post_decision(client, {"choice": "accept_all"})
        with pytest.raises(ProtectedError):
            BannerVersion.objects.get().delete()


@pytest.mark.django_db
class TestRecordsOutliveTheirGroups:
    def test_deleting_a_group_keeps_its_records(self, client, consent_groups):
        post_decision(client, {"choice": "custom", "groups": ["analytics"]})
        before = only_record()

        ConsentGroup.objects.get(varname="analytics").delete()

        after = only_record()
        assert after.pk == before.pk
        assert after.groups == before.groups
        analytics = next(g for g in after.groups if g["varname"] == "analytics")
        assert analytics["accepted"] is True
        assert analytics["name"] == consent_groups["analytics"].name

    def test_next_record_names_only_the_remaining_groups(self, client, consent_groups):
        ConsentGroup.objects.get(varname="analytics").delete()
        post_decision(client, {"choice": "accept_all"})
        assert [g["varname"] for g in only_record().groups] == ["advertising"]


@needs_database_server
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestConcurrentDecisions:
    REQUESTS = 200
    THREADS = 20

    def test_every_concurrent_decision_gets_its_own_record(self, live_server):
        statuses = []
        lock = threading.Lock()

        def decide(number):
            data = [("choice", "accept_all" if number % 2 else "reject_all"), ("next", "/")]
            headers = {"Origin": live_server.url}
            if number % 3 == 0:
                headers["Accept"] = "application/json"
            url = f"{live_server.url}{DECIDE}"  # always the live server's http URL
            request = Request(url, data=urlencode(data).encode(), headers=headers)  # noqa: S310
            opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects())
            try:
                with opener.open(request, timeout=30) as response:
                    status = response.status
            except HTTPError as error:
                status = error.code
            with lock:
                statuses.append(status)

        with ThreadPoolExecutor(max_workers=self.THREADS) as pool:
            list(pool.map(decide, range(self.REQUESTS)))

        assert len(statuses) == self.REQUESTS
        assert set(statuses) <= {200, 303}, sorted(set(statuses))
        assert ConsentRecord.objects.count() == self.REQUESTS
        assert ConsentRecord.objects.values("consent_id").distinct().count() == self.REQUESTS
        assert BannerVersion.objects.count() == 1
        assert set(ConsentRecord.objects.values_list("banner_version", flat=True)) == {
            BannerVersion.objects.get().pk
        }
