"""Global Privacy Control and Google Consent Mode, in a real Chromium.

GPC reaches the site two ways: the `Sec-GPC: 1` request header (the server sees it) and
`navigator.globalPrivacyControl` (the banner script sees it, and posts `gpc=1` with every
choice). Either way advertising is refused: no advertising tag is requested, while analytics
is still asked for. Only ticking advertising in the preference centre, where the reader is
told why it is off, turns it on.

Consent Mode (on in the demo): a Google tag hears `consent default` (all denied) and the
reader's `consent update` before `js` and `config`, and a withdrawal on the same page sends an
update with everything denied. The GA4 stub (config/tag_stub.py) reports the consent state it
saw in each hit (`gcs`), and sets no `_ga` cookie while analytics storage is denied.
"""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import Max
from playwright.sync_api import Page, Response, expect

from consent.models import ConsentGroup, ConsentRecord, ConsentSettings, ConsentTag
from consent.snapshot import get_snapshot

from .conftest import RequestLog
from .consent_pages import (
    DENIED,
    GRANTED,
    STUB,
    Readers,
    Requests,
    browser_cookies,
    consent_commands,
    consent_values,
    data_layer,
    stub_tags_run,
    wait_for_consent_script,
    wait_for_stub_hits,
    wait_for_stub_tags,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"
ARTICLES = "/articles/"  # the article index: another page with the tags
PREFERENCES = "/consent/preferences/"
SAVED = "Your cookie choices have been saved."
GPC_NOTE = (
    "Advertising is off because your browser sends a Global Privacy Control signal, "
    "which we take as your refusal."
)
ANALYTICS_ONLY = {**DENIED, "analytics_storage": "granted"}


@pytest.fixture
def last_record_pk(consent_site: str) -> int:
    """The newest consent record before the test (the demo's fictional ones)."""
    return ConsentRecord.objects.aggregate(top=Max("pk"))["top"] or 0


def new_records(after_pk: int) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(pk__gt=after_pk).order_by("pk"))


def accepted_in(record: ConsentRecord) -> dict[str, bool]:
    return {group["varname"]: group["accepted"] for group in record.groups}


def banner(page: Page):
    return page.locator("#consent-banner")


def choose(page: Page, button) -> Response:
    """Click a consent button; the saved decision's response (the script posts with fetch),
    once the script has applied it and said so."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/consent/" in r.url
    ) as answer:
        button.click()
    expect(page.locator("[data-consent-status]")).to_have_text(SAVED)
    return answer.value


def posted_fields(response: Response) -> str:
    """The multipart body the script posted (field names and values, as text)."""
    return response.request.post_data or ""


class TestGlobalPrivacyControlInTheBanner:
    def test_navigator_flag_offers_analytics_only_and_no_advertising_runs(
        self,
        consent_site: str,
        readers: Readers,
        requests: Requests,
        request_log: RequestLog,
        last_record_pk: int,
    ) -> None:
        reader = readers.open(navigator=True)
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        assert reader.evaluate("() => navigator.globalPrivacyControl") is True

        shown = banner(reader)
        expect(shown).to_be_visible()
        expect(shown.get_by_text(GPC_NOTE)).to_be_visible()
        for name in ("Accept analytics", "Reject all", "Customise"):
            expect(shown.get_by_role("button", name=name, exact=True)).to_be_visible()
        expect(shown.get_by_text("Accept all", exact=True)).to_be_hidden()
        expect(shown.get_by_role("button", name="Accept all", exact=True)).to_have_count(0)

        # Customise: advertising cannot be ticked, and says why.
        shown.get_by_role("button", name="Customise").click()
        analytics = shown.get_by_role("checkbox", name="Analytics")
        advertising = shown.get_by_role("checkbox", name="Advertising")
        expect(analytics).to_be_enabled()
        expect(advertising).to_be_disabled()
        expect(advertising).to_have_accessible_description(
            "Off because of your browser's Global Privacy Control signal. "
            "You can still turn it on in cookie settings."
        )

        # Analytics is still asked for: nothing has run yet.
        assert requests.to(STUB) == []
        assert stub_tags_run(reader) is None

        answer = choose(reader, shown.get_by_role("button", name="Accept analytics"))
        assert answer.status == 200
        assert 'name="gpc"' in posted_fields(answer)
        assert "sec-gpc" not in answer.request.all_headers()  # the flag alone, no header
        assert answer.json()["groups"] == {"analytics": "accepted", "advertising": "declined"}
        expect(shown).to_be_hidden()
        wait_for_stub_tags(reader, "ga4")
        wait_for_stub_hits(reader, 1)

        values = consent_values(reader)
        assert values["analytics"] == get_snapshot().versions["analytics"]
        assert values["advertising"] == "-1"
        assert values["_gpc"] == "1"
        (record,) = new_records(last_record_pk)
        assert record.gpc is True
        assert accepted_in(record) == {"analytics": True, "advertising": False}

        # On the next page too: analytics runs, advertising never does.
        reader.goto(consent_site + ARTICLES)
        wait_for_stub_tags(reader, "ga4")
        expect(banner(reader)).to_be_hidden()
        assert stub_tags_run(reader) == ["ga4"]
        assert requests.to(STUB + "ads.js") == []
        assert "stub_ad_id" not in browser_cookies(reader)
        assert "_ga" in browser_cookies(reader)
        assert request_log.blocked == []

    def test_advertising_ticked_against_the_disabled_box_is_still_refused(
        self, consent_site: str, readers: Readers, requests: Requests, last_record_pk: int
    ) -> None:
        """The server, not the disabled checkbox, enforces the signal: a form posted with
        `gpc=1` and advertising ticked (a tampered page) accepts no advertising."""
        reader = readers.open(navigator=True)
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        shown = banner(reader)
        shown.get_by_role("button", name="Customise").click()
        advertising = shown.get_by_role("checkbox", name="Advertising")
        expect(advertising).to_be_disabled()
        advertising.evaluate("box => { box.disabled = false; box.checked = true; }")
        shown.get_by_role("checkbox", name="Analytics").check()

        answer = choose(reader, shown.get_by_role("button", name="Save my choices"))
        body = posted_fields(answer)
        assert 'name="groups"\r\n\r\nadvertising' in body  # really asked for advertising
        assert 'name="gpc"\r\n\r\n1' in body
        assert answer.json()["groups"] == {"analytics": "accepted", "advertising": "declined"}
        values = consent_values(reader)
        assert (values["advertising"], values["_gpc"]) == ("-1", "1")
        (record,) = new_records(last_record_pk)
        assert (record.gpc, accepted_in(record)["advertising"]) == (True, False)

        wait_for_stub_tags(reader, "ga4")
        reader.goto(consent_site + ARTICLES)
        wait_for_stub_tags(reader, "ga4")
        assert requests.to(STUB + "ads.js") == []

    def test_header_only_keeps_accept_all_but_the_server_drops_advertising(
        self,
        consent_site: str,
        readers: Readers,
        requests: Requests,
        request_log: RequestLog,
        last_record_pk: int,
    ) -> None:
        reader = readers.open(header=True)
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        assert reader.evaluate("() => navigator.globalPrivacyControl") is not True

        # The page is the same for everyone (cacheable): the script cannot see the header.
        shown = banner(reader)
        expect(shown).to_be_visible()
        expect(shown.get_by_text(GPC_NOTE)).to_be_hidden()
        accept = shown.get_by_role("button", name="Accept all", exact=True)
        expect(accept).to_be_visible()
        assert requests.to(STUB) == []

        answer = choose(reader, accept)
        assert answer.request.all_headers().get("sec-gpc") == "1"
        assert 'name="gpc"' not in posted_fields(answer)
        assert answer.json()["groups"] == {"analytics": "accepted", "advertising": "declined"}
        expect(shown).to_be_hidden()
        wait_for_stub_tags(reader, "ga4")

        values = consent_values(reader)
        assert values["analytics"] == get_snapshot().versions["analytics"]
        assert (values["advertising"], values["_gpc"]) == ("-1", "1")
        (record,) = new_records(last_record_pk)
        assert record.gpc is True
        assert record.method == "accept_all_gpc"  # the server refused advertising
        assert accepted_in(record) == {"analytics": True, "advertising": False}

        reader.goto(consent_site + ARTICLES)
        wait_for_stub_tags(reader, "ga4")
        assert stub_tags_run(reader) == ["ga4"]
        assert requests.to(STUB + "ads.js") == []
        assert "stub_ad_id" not in browser_cookies(reader)
        assert request_log.blocked == []


class TestGlobalPrivacyControlInThePreferenceCentre:
    def test_explains_why_advertising_is_off_and_honours_an_explicit_opt_in(
        self,
        consent_site: str,
        readers: Readers,
        requests: Requests,
        request_log: RequestLog,
        last_record_pk: int,
    ) -> None:
        reader = readers.open(header=True, navigator=True)
        reader.goto(consent_site + PREFERENCES)
        wait_for_consent_script(reader)
        main = reader.get_by_role("main")
        expect(
            main.get_by_text(
                "Off because your browser sends a Global Privacy Control signal", exact=False
            )
        ).to_be_visible()
        but_advertising = main.get_by_role("button", name="Accept all but advertising")
        expect(but_advertising).to_be_visible()
        expect(main.get_by_role("button", name="Accept all", exact=True)).to_have_count(0)

        choose(reader, but_advertising)
        analytics = reader.get_by_role("checkbox", name="Allow analytics cookies")
        advertising = reader.get_by_role("checkbox", name="Allow advertising cookies")
        expect(analytics).to_be_checked()
        expect(advertising).not_to_be_checked()
        values = consent_values(reader)
        assert (values["advertising"], values["_gpc"]) == ("-1", "1")

        # Control: so far advertising stays off on the articles.
        reader.goto(consent_site + ARTICLE)
        wait_for_stub_tags(reader, "ga4")
        assert requests.to(STUB + "ads.js") == []

        reader.goto(consent_site + PREFERENCES)
        advertising = reader.get_by_role("checkbox", name="Allow advertising cookies")
        expect(advertising).to_be_enabled()
        advertising.check()
        answer = choose(reader, reader.get_by_role("button", name="Save my choices"))
        assert answer.json()["groups"] == {"analytics": "accepted", "advertising": "accepted"}
        # The opt-in runs the ads tag on this page at once, as the choice is saved; once it has
        # run its request was recorded, and the clear below cannot leave it to be counted as
        # the next page's.
        wait_for_stub_tags(reader, "ads")
        expect(advertising).to_be_checked()
        values = consent_values(reader)
        assert values["advertising"] == get_snapshot().versions["advertising"]
        assert values["_gpc"] == "1"
        records = new_records(last_record_pk)
        assert [(r.gpc, accepted_in(r)["advertising"]) for r in records] == [
            (True, False),
            (True, True),
        ]

        # The opt-in holds on later pages, with GPC still on.
        requests.clear()
        reader.goto(consent_site + ARTICLE)
        wait_for_stub_tags(reader, "ga4", "ads")
        expect(banner(reader)).to_be_hidden()
        assert len(requests.to(STUB + "ads.js")) == 1
        assert "stub_ad_id" in browser_cookies(reader)
        assert request_log.blocked == []

    def test_accept_all_given_before_the_signal_no_longer_runs_advertising(
        self, consent_site: str, readers: Readers, requests: Requests, request_log: RequestLog
    ) -> None:
        before = readers.open()
        before.goto(consent_site + ARTICLE)
        wait_for_consent_script(before)
        choose(before, banner(before).get_by_role("button", name="Accept all"))
        wait_for_stub_tags(before, "ga4", "ads")  # control: without GPC advertising runs
        assert "_gpc" not in consent_values(before)
        jar = before.context.cookies()
        assert {"stub_ad_id", "_ga"} <= {c["name"] for c in jar}

        reader = readers.open(header=True, navigator=True)
        reader.context.add_cookies(jar)
        requests.clear()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        wait_for_stub_tags(reader, "ga4")
        expect(banner(reader)).to_be_hidden()
        assert stub_tags_run(reader) == ["ga4"]
        assert requests.to(STUB + "ads.js") == []
        # The advertising cookie left from before is deleted like any refused group's.
        assert "stub_ad_id" not in browser_cookies(reader)
        assert "_ga" in browser_cookies(reader)
        # The preference centre agrees: advertising off, analytics on.
        reader.goto(consent_site + PREFERENCES)
        expect(reader.get_by_role("checkbox", name="Allow analytics cookies")).to_be_checked()
        expect(
            reader.get_by_role("checkbox", name="Allow advertising cookies")
        ).not_to_be_checked()

        # Only the script knows (no header reaches the server, e.g. a proxy strips it): the
        # server ticks advertising from the old decision; the script unticks it, so saving
        # the page as shown does not turn advertising on under GPC.
        flag_only = readers.open(navigator=True)
        flag_only.context.add_cookies(jar)
        flag_only.goto(consent_site + PREFERENCES)
        wait_for_consent_script(flag_only)
        advertising = flag_only.get_by_role("checkbox", name="Allow advertising cookies")
        expect(advertising).not_to_be_checked()
        expect(flag_only.get_by_text("Off because your browser sends")).to_be_visible()
        flag_only.get_by_role("button", name="Save my choices").click()
        expect(flag_only.get_by_text("Your cookie choices have been saved.")).to_be_visible()
        values = consent_values(flag_only)
        assert (values["advertising"], values["_gpc"]) == ("-1", "1")
        assert request_log.blocked == []


class TestConsentMode:
    def test_accept_all_then_withdrawal_in_the_preference_centre(
        self, consent_site: str, readers: Readers, requests: Requests, request_log: RequestLog
    ) -> None:
        reader = readers.open()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        # Basic mode: no Google tag, and no dataLayer, before a decision.
        assert requests.to(STUB + "google/") == []
        assert reader.evaluate("() => window.dataLayer") is None

        choose(reader, banner(reader).get_by_role("button", name="Accept all"))
        wait_for_stub_tags(reader, "ga4")
        (hit,) = wait_for_stub_hits(reader, 1)
        assert data_layer(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", GRANTED],
            ["js", "<Date>"],
            ["config", "G-DEMO0001"],
        ]
        assert hit["gcs"] == "ad_storage=granted;analytics_storage=granted"
        assert "_ga" in browser_cookies(reader)

        # The preference centre runs the tag too; "Reject all" there saves in place.
        reader.goto(consent_site + PREFERENCES)
        wait_for_stub_hits(reader, 1)
        assert consent_commands(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", GRANTED],
        ]
        requests.clear()
        choose(reader, reader.get_by_role("main").get_by_role("button", name="Reject all"))
        expect(reader.get_by_role("heading", level=1)).to_have_text("Cookie settings")
        assert requests.to(PREFERENCES) == [f"POST {consent_site}{PREFERENCES}"]  # no reload
        assert consent_commands(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", GRANTED],
            ["consent", "update", DENIED],
        ]
        assert data_layer(reader)[-1] == ["consent", "update", DENIED]
        assert not {"_ga", "_ga_STUB", "stub_ad_id"} & set(browser_cookies(reader))
        values = consent_values(reader)
        assert (values["analytics"], values["advertising"]) == ("-1", "-1")
        assert request_log.blocked == []

    def test_analytics_only_grants_analytics_storage_and_reject_all_loads_no_google_tag(
        self, consent_site: str, readers: Readers
    ) -> None:
        reader = readers.open()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        shown = banner(reader)
        shown.get_by_role("button", name="Customise").click()
        shown.get_by_role("checkbox", name="Analytics").check()
        choose(reader, shown.get_by_role("button", name="Save my choices"))
        wait_for_stub_tags(reader, "ga4")
        (hit,) = wait_for_stub_hits(reader, 1)
        assert data_layer(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", ANALYTICS_ONLY],
            ["js", "<Date>"],
            ["config", "G-DEMO0001"],
        ]
        assert hit["gcs"] == "ad_storage=denied;analytics_storage=granted"
        # The same on the next page, from the cookie.
        reader.goto(consent_site + ARTICLES)
        wait_for_stub_hits(reader, 1)
        assert consent_commands(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", ANALYTICS_ONLY],
        ]

        # Another reader's requests, told from the first tab's by the tab that made them (the
        # first tab's page view can still be on its way to `requests`).
        rejecting = readers.open()
        rejecting_requests = Requests()
        rejecting_requests.attach(rejecting)
        rejecting.goto(consent_site + ARTICLE)
        wait_for_consent_script(rejecting)
        choose(rejecting, banner(rejecting).get_by_role("button", name="Reject all"))
        rejecting.reload()
        wait_for_consent_script(rejecting)
        assert rejecting_requests.to(STUB) == []
        assert rejecting.evaluate("() => window.dataLayer") is None
        assert stub_tags_run(rejecting) is None

    def test_switched_off_no_consent_commands_but_the_tag_still_runs(
        self, consent_site: str, readers: Readers
    ) -> None:
        settings = ConsentSettings.load()
        assert settings.google_consent_mode is True  # the demo turns it on
        settings.google_consent_mode = False
        settings.save()

        reader = readers.open()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        choose(reader, banner(reader).get_by_role("button", name="Accept all"))
        wait_for_stub_tags(reader, "ga4", "ads")
        (hit,) = wait_for_stub_hits(reader, 1)
        assert data_layer(reader) == [["js", "<Date>"], ["config", "G-DEMO0001"]]
        assert hit["gcs"] == "ad_storage=;analytics_storage="
        assert "_ga" in browser_cookies(reader)

        # A withdrawal then sends nothing either.
        reader.goto(consent_site + PREFERENCES)
        wait_for_stub_hits(reader, 1)
        choose(reader, reader.get_by_role("main").get_by_role("button", name="Reject all"))
        assert consent_commands(reader) == []

    def test_a_google_ads_tag_in_custom_html_hears_the_default_first(
        self, consent_site: str, readers: Readers
    ) -> None:
        """Google Ads is usually a custom HTML snippet, not a GA4 or Tag Manager tag: the
        default must be in dataLayer before any tag runs, and a withdrawal must reach it,
        even with analytics declined (so no Google tag of ours ever loads)."""
        ConsentTag.objects.create(
            name="Google Ads (custom HTML)",
            group=ConsentGroup.objects.get(varname="advertising"),
            kind="html",
            ordering=-5,
            html="<script>window.adsSaw = JSON.stringify("
            "(window.dataLayer || []).map(a => Array.from(a)));</script>",
        )
        reader = readers.open()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        banner(reader).get_by_role("button", name="Customise").click()
        banner(reader).get_by_role("checkbox", name="Advertising").check()
        choose(reader, banner(reader).get_by_role("button", name="Save my choices"))
        reader.wait_for_function("() => window.adsSaw !== undefined")
        ads_only = {**GRANTED, "analytics_storage": "denied"}
        assert json.loads(reader.evaluate("() => window.adsSaw")) == [
            ["consent", "default", DENIED],
            ["consent", "update", ads_only],
        ]

        reader.goto(consent_site + PREFERENCES)
        reader.wait_for_function("() => window.adsSaw !== undefined")
        choose(reader, reader.get_by_role("main").get_by_role("button", name="Reject all"))
        assert consent_commands(reader) == [
            ["consent", "default", DENIED],
            ["consent", "update", ads_only],
            ["consent", "update", DENIED],
        ]


class TestAxe:
    def test_banner_in_its_gpc_form_with_customise_open_has_no_violations(
        self, consent_site: str, readers: Readers
    ) -> None:
        reader = readers.open(navigator=True)
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        expect(banner(reader).get_by_text(GPC_NOTE)).to_be_visible()
        banner(reader).get_by_role("button", name="Customise").click()
        expect(reader.locator("#consent-customise")).to_be_visible()
        expect(banner(reader).get_by_role("checkbox", name="Advertising")).to_be_disabled()
        results = Axe().run(reader)
        assert results.violations_count == 0, results.generate_report()
