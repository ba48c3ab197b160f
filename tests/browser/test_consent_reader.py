"""A reader meets the consent banner in a real Chromium: what they see, and what never runs.

Tags of the demo (a GA4 tag in "analytics", an advertising script in "advertising") load from
a stub on the live server that records itself in `window.stubTags` and sets the cookies the
real scripts would. Every request the page makes is recorded, so "no tag was requested" and
"no call to /consent/ on a page view" are asserted on what the browser actually did.
"""

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from consent import cookie
from consent.models import ConsentRecord, ConsentSettings
from consent.snapshot import get_snapshot

from .conftest import LOCAL_HOSTS, RequestLog
from .consent_pages import (
    CONSENT_COOKIE,
    CONSENT_ID_COOKIE,
    GA4_HIT,
    STUB,
    Requests,
    browser_cookies,
    consent_values,
    is_hit,
    wait_for_consent_script,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"
TAG_COOKIES = {"_ga", "_ga_STUB", "stub_ad_id"}
VECTORS = Path(__file__).resolve().parents[1] / "consent" / "cookie_vectors.json"
SAVED = "Your cookie choices have been saved."


@pytest.fixture
def reader(reader_page: Page, requests: Requests) -> Page:
    """`reader_page` with every request it makes recorded in `requests`."""
    return requests.attach(reader_page)


@pytest.fixture
def open_tab(browser: Browser, request_log: RequestLog) -> Iterator[Callable[..., Page]]:
    """Opens a tab in a context of its own, local requests only like `reader_page`, with other
    context options (e.g. `java_script_enabled=False`); `block` aborts paths containing it."""
    contexts: list[BrowserContext] = []

    def open_(block: str | None = None, **options) -> Page:
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="en-GB", **options
        )
        contexts.append(context)

        def only_local(route: Route) -> None:
            url = route.request.url
            if urlsplit(url).hostname not in LOCAL_HOSTS:
                request_log.blocked.append(url)
                route.abort("blockedbyclient")
            elif block and block in urlsplit(url).path:
                route.abort("blockedbyclient")
            else:
                route.continue_()

        context.route("**/*", only_local)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def wait_for_tags(page: Page, *names: str) -> None:
    page.wait_for_function(
        "names => names.every(n => (window.stubTags || []).includes(n))", arg=list(names)
    )


def stub_tags(page: Page):
    return page.evaluate("() => window.stubTags")


def banner(page: Page):
    return page.locator("#consent-banner")


def accept_all(page: Page) -> None:
    banner(page).get_by_role("button", name="Accept all").click()
    expect(banner(page)).to_be_hidden()
    wait_for_tags(page, "ga4", "ads")


def assert_nothing_runs(page: Page, requests: Requests) -> None:
    assert requests.to(STUB) == []
    assert stub_tags(page) is None
    assert not TAG_COOKIES & set(browser_cookies(page))


def cookie_for(base_url: str, value: str, path: str = "/") -> dict:
    host = urlsplit(base_url).hostname
    return {"name": CONSENT_COOKIE, "value": value, "domain": host, "path": path}


class TestFirstVisit:
    def test_banner_offers_three_equal_choices_and_nothing_runs(
        self, consent_site: str, reader: Page, requests: Requests, request_log: RequestLog
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)

        shown = banner(reader)
        expect(shown).to_be_visible()
        expect(shown).to_have_attribute("aria-labelledby", "consent-banner-title")
        buttons = [
            shown.get_by_role("button", name=name, exact=True)
            for name in ("Accept all", "Reject all", "Customise")
        ]
        boxes = [button.bounding_box() for button in buttons]
        looks = [
            button.evaluate(
                "b => { const s = getComputedStyle(b);"
                " return [s.fontWeight, s.fontSize, s.backgroundColor, s.color]; }"
            )
            for button in buttons
        ]
        for box, look in zip(boxes[1:], looks[1:], strict=True):
            assert abs(box["width"] - boxes[0]["width"]) <= 1, boxes
            assert abs(box["height"] - boxes[0]["height"]) <= 1, boxes
            assert look == looks[0], looks

        # Nothing pre-ticked, even once the Customise panel is open.
        shown.get_by_role("button", name="Customise").click()
        expect(shown.get_by_role("checkbox")).to_have_count(2)
        for box in shown.get_by_role("checkbox").all():
            expect(box).not_to_be_checked()
        assert shown.locator("[checked], [aria-checked=true], option[selected]").count() == 0

        # Where the cookies are listed: the cookie policy, or the preference centre's list.
        policy = shown.get_by_role("link", name=re.compile(r"cookie", re.IGNORECASE))
        expect(policy).to_have_count(1)
        policy_url = get_snapshot().cookie_policy_url or "/consent/preferences/"
        expect(policy).to_have_attribute("href", policy_url)

        assert requests.to(STUB) == []
        assert stub_tags(reader) is None
        assert reader.context.cookies() == []
        assert request_log.blocked == []

    def test_banner_does_not_move_the_page_and_pads_the_scroll_area(
        self, consent_site: str, reader: Page, open_tab
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_visible()
        # The same page as it is before the script runs (its script never arrives).
        unscripted = open_tab(block="/consent/consent.min.js")
        unscripted.goto(consent_site + ARTICLE)
        expect(banner(unscripted)).to_be_hidden()

        assert reader.locator("h1").bounding_box() == unscripted.locator("h1").bounding_box()
        assert banner(reader).evaluate("b => getComputedStyle(b).position") == "fixed"
        padding = reader.evaluate(
            "() => getComputedStyle(document.documentElement).scrollPaddingBottom"
        )
        height = banner(reader).bounding_box()["height"]
        assert padding.endswith("px")
        assert abs(float(padding[:-2]) - height) <= 1, (padding, height)

    def test_home_page_shows_the_banner_and_sets_no_cookie(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + "/")
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_visible()
        assert requests.to(STUB) == []
        assert stub_tags(reader) is None
        assert reader.context.cookies() == []


class TestRejectAll:
    def test_reject_all_then_reload_runs_nothing_and_asks_nothing(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        banner(reader).get_by_role("button", name="Reject all").click()
        expect(banner(reader)).to_be_hidden()
        expect(reader.locator("[data-consent-status]")).to_have_text(SAVED)

        assert set(browser_cookies(reader)) == {CONSENT_COOKIE, CONSENT_ID_COOKIE}
        values = consent_values(reader)
        assert values["analytics"] == "-1"
        assert values["advertising"] == "-1"
        # The choice is applied in the task that says it was saved: a tag would have been
        # activated by now, but its request could still be on its way to this list.
        expect(reader.locator("template[data-consent-activated]")).to_have_count(0)
        assert requests.to(STUB) == []

        requests.clear()
        reader.reload()
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_hidden()
        assert requests.to(STUB) == []
        assert stub_tags(reader) is None
        # A decided reader costs no request to the consent layer on a page view.
        assert requests.to("/consent/") == []
        assert set(browser_cookies(reader)) == {CONSENT_COOKIE, CONSENT_ID_COOKIE}


class TestAcceptAll:
    def test_accept_all_runs_the_tags_at_once_and_on_the_next_page(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + "/")
        wait_for_consent_script(reader)
        assert requests.to(STUB) == []

        accept_all(reader)  # no reload: the tags run on the page where the reader chose
        assert reader.evaluate(
            "() => window.dataLayer.some(a => a[0] === 'config' && a[1] === 'G-DEMO0001')"
        )
        expect(reader.locator("[data-consent-status]")).to_have_text(SAVED)
        assert [r for r in requests.to("/consent/") if not r.startswith("POST ")] == []
        values = consent_values(reader)
        config = get_snapshot()
        assert values["analytics"] == config.versions["analytics"]
        assert values["advertising"] == config.versions["advertising"]

        requests.clear()
        reader.goto(consent_site + ARTICLE)
        wait_for_tags(reader, "ga4", "ads")
        expect(banner(reader)).to_be_hidden()
        assert requests.to("/consent/") == []
        assert sorted(stub_tags(reader)) == ["ads", "ga4"]


class TestCustomise:
    def test_customise_runs_only_the_chosen_group(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        customise = banner(reader).get_by_role("button", name="Customise")
        expect(customise).to_have_attribute("aria-expanded", "false")
        customise.click()
        expect(customise).to_have_attribute("aria-expanded", "true")
        panel = reader.locator("#" + customise.get_attribute("aria-controls"))
        expect(panel).to_be_visible()

        panel.get_by_role("checkbox", name="Analytics").check()
        panel.get_by_role("button", name="Save my choices").click()
        wait_for_tags(reader, "ga4")
        expect(banner(reader)).to_be_hidden()

        values = consent_values(reader)
        assert values["advertising"] == "-1"
        assert values["analytics"] == get_snapshot().versions["analytics"]
        # On the next page too, only analytics runs.
        reader.goto(consent_site + "/")
        wait_for_tags(reader, "ga4")
        assert stub_tags(reader) == ["ga4"]
        assert requests.to(STUB + "ads.js") == []
        assert "stub_ad_id" not in browser_cookies(reader)


class TestWithdraw:
    def test_reject_all_in_the_preference_centre_deletes_cookies_and_stops_tags(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        accept_all(reader)
        assert set(browser_cookies(reader)) >= TAG_COOKIES

        # The preference centre runs the accepted tags too. Withdraw once they have run and
        # its page view was requested (picked by its address, not the article's late one): a
        # tag still loading would otherwise set its cookies after the withdrawal, or send its
        # hit after `requests.clear()` below.
        with reader.expect_request(is_hit(GA4_HIT, "preferences")):
            reader.get_by_role("contentinfo").get_by_role("link", name="Cookie settings").click()
        expect(reader.locator("h1")).to_have_text("Cookie settings")
        wait_for_consent_script(reader)
        wait_for_tags(reader, "ga4", "ads")
        # Withdrawing is as easy as giving: the page opens with the two one-click choices.
        first_buttons = reader.get_by_role("main").get_by_role("button")
        expect(first_buttons.nth(0)).to_have_text("Reject all")
        expect(first_buttons.nth(1)).to_have_text("Accept all")

        first_buttons.nth(0).click()
        expect(reader.get_by_text("Your cookie choices have been saved.")).to_be_visible()
        assert not TAG_COOKIES & set(browser_cookies(reader))
        values = consent_values(reader)
        assert (values["analytics"], values["advertising"]) == ("-1", "-1")

        requests.clear()
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_hidden()
        assert_nothing_runs(reader, requests)

    def test_withdrawing_analytics_only_keeps_advertising(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        accept_all(reader)
        assert set(browser_cookies(reader)) >= TAG_COOKIES

        # Its page view requested (see above), its hit cannot reach `requests` after the clear.
        with reader.expect_request(is_hit(GA4_HIT, "preferences")):
            reader.goto(consent_site + "/consent/preferences/")
        analytics = reader.get_by_role("checkbox", name="Allow analytics cookies")
        advertising = reader.get_by_role("checkbox", name="Allow advertising cookies")
        expect(analytics).to_be_checked()
        expect(advertising).to_be_checked()
        analytics.uncheck()
        reader.get_by_role("button", name="Save my choices").click()
        expect(reader.get_by_text("Your cookie choices have been saved.")).to_be_visible()

        jar = set(browser_cookies(reader))
        assert "stub_ad_id" in jar
        assert not {"_ga", "_ga_STUB"} & jar
        values = consent_values(reader)
        assert values["analytics"] == "-1"
        assert values["advertising"] == get_snapshot().versions["advertising"]

        requests.clear()
        reader.goto(consent_site + ARTICLE)
        wait_for_tags(reader, "ads")
        assert stub_tags(reader) == ["ads"]
        assert requests.to(STUB + "google/") == []
        assert not {"_ga", "_ga_STUB"} & set(browser_cookies(reader))

    def test_a_tag_still_loading_when_the_reader_withdraws_leaves_no_cookie(
        self, consent_site: str, reader: Page
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        accept_all(reader)
        reader.context.clear_cookies(name="stub_ad_id")

        # The preference centre runs the accepted tags too; hold the ad script in flight.
        held: list[Route] = []
        reader.route("**" + STUB + "ads.js", lambda route: held.append(route))
        with reader.expect_request("**" + STUB + "ads.js"):
            reader.goto(consent_site + "/consent/preferences/", wait_until="domcontentloaded")
        wait_for_consent_script(reader)
        reader.get_by_role("main").get_by_role("button", name="Reject all").click()
        expect(reader.locator("[data-consent-status]")).to_have_text(SAVED)
        assert consent_values(reader)["advertising"] == "-1"

        # Inserted before the withdrawal, it still runs once it arrives, and sets its cookie;
        # the script removes it as the tag finishes loading.
        for _ in range(100):  # the route handler runs as Playwright dispatches its events
            if held:
                break
            reader.wait_for_timeout(20)
        (route,) = held
        route.continue_()
        wait_for_tags(reader, "ads")
        reader.wait_for_function("() => !document.cookie.includes('stub_ad_id')")
        assert "stub_ad_id" not in browser_cookies(reader)

    def test_script_deletes_cookies_of_declined_groups_left_in_the_browser(
        self, consent_site: str, reader: Page
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        banner(reader).get_by_role("button", name="Reject all").click()
        expect(banner(reader)).to_be_hidden()
        # As a tag sets them (document.cookie: host-only), e.g. from before the withdrawal.
        leftovers = ["_ga", "_ga_OLD", "stub_ad_id", "site_theme"]
        reader.context.add_cookies(
            [{"name": name, "value": "1", "url": consent_site + "/"} for name in leftovers]
        )

        reader.goto(consent_site + "/")
        wait_for_consent_script(reader)
        # The declared ones go (`_ga_*` is a prefix); a cookie nobody declared is not touched.
        assert set(browser_cookies(reader)) == {CONSENT_COOKIE, CONSENT_ID_COOKIE, "site_theme"}


class TestPreferenceCentre:
    def test_a_first_choice_made_here_is_shown_as_the_standing_choice_in_place(
        self, consent_site: str, reader: Page
    ) -> None:
        reader.goto(consent_site + "/consent/preferences/")
        wait_for_consent_script(reader)
        current = reader.locator("[data-consent-current]")
        expect(current).to_contain_text("You have not made a choice yet")

        reader.get_by_role("main").get_by_role("button", name="Accept all").click()
        expect(reader.locator("[data-consent-status]")).to_have_text(SAVED)
        # Saved in place: no reload, and the page no longer says there is no choice.
        assert reader.url == consent_site + "/consent/preferences/"
        today = timezone.localdate()
        expect(current).to_contain_text(
            f"You made your choice on {today.day} {today:%B} {today.year}."
        )
        expect(current).not_to_contain_text("You have not made a choice yet")
        record = ConsentRecord.objects.latest("pk")
        assert (record.method, record.path) == ("accept_all", "/consent/preferences/")
        expect(current.locator(".consent-id code")).to_have_text(str(record.consent_id))


class TestAskedAgain:
    def test_raised_policy_version_asks_again_and_runs_nothing_until_answered(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        # Until GA4's page view has been requested: the reload below is the same address, so
        # a late hit of this page could not be told from one of the next by its content.
        with reader.expect_request(is_hit(GA4_HIT)):
            accept_all(reader)

        settings = ConsentSettings.load()
        settings.policy_version += 1
        settings.save()

        requests.clear()
        reader.reload()
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_visible()
        assert requests.to(STUB) == []
        assert stub_tags(reader) is None

        banner(reader).get_by_role("button", name="Accept all").click()
        wait_for_tags(reader, "ga4", "ads")
        assert consent_values(reader)["_policy"] == str(settings.policy_version)

    def test_decision_older_than_the_lifetime_asks_again(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        config = get_snapshot()
        expired = int(time.time()) - config.lifetime_seconds - 60
        value = cookie.encode(config.versions, [], policy=config.policy_version, now=expired)
        reader.context.add_cookies([cookie_for(consent_site, f'"{value}"')])

        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_visible()
        assert requests.to(STUB) == []
        assert stub_tags(reader) is None


class TestCookieValues:
    def test_the_page_script_agrees_with_every_cookie_test_vector(
        self, consent_site: str, reader: Page
    ) -> None:
        data = json.loads(VECTORS.read_text(encoding="utf-8"))
        reader.goto(consent_site + ARTICLE)
        wait_for_consent_script(reader)
        got = reader.evaluate(
            "([vectors, config, now]) =>"
            " vectors.map(v => window.consentLayer.evaluate(v.raw, config, now, !!v.gpc))",
            [data["vectors"], data["config"], data["now"]],
        )
        mismatches = [
            f"{vector['name']}: expected {vector['expected']}, got {result}"
            for vector, result in zip(data["vectors"], got, strict=True)
            if result != vector["expected"]
        ]
        assert len(got) == len(data["vectors"]) > 0
        assert mismatches == []

    def test_tampered_consent_cookies_show_the_banner_and_run_nothing(
        self, consent_site: str, reader: Page, requests: Requests
    ) -> None:
        config = get_snapshot()
        now, policy = int(time.time()), config.policy_version
        valid = cookie.encode(config.versions, [], policy=policy, now=now)
        cases = {
            "ordering attack": [
                f"analytics=zzz|advertising=2999-01-01T00:00:00+00:00|_policy={policy}|_at={now}"
            ],
            "future version, group missing": [
                f"analytics=2999-01-01T00:00:00+00:00|_policy={policy}|_at={now}"
            ],
            "newer policy": [valid.replace(f"_policy={policy}", f"_policy={policy + 1}")],
            "older policy": [valid.replace(f"_policy={policy}", f"_policy={policy - 1}")],
            "policy not a number": [valid.replace(f"_policy={policy}", "_policy=x")],
            "future-dated decision": [valid.replace(f"_at={now}", f"_at={now + 2 * 86400}")],
            # Two consent cookies (another path): no telling which one is current.
            "two cookies": [valid, valid],
        }
        problems = []
        for name, values in cases.items():
            reader.context.clear_cookies()
            reader.context.add_cookies(
                [
                    cookie_for(consent_site, f'"{value}"', path=("/", "/articles/")[index])
                    for index, value in enumerate(values)
                ]
            )
            requests.clear()
            reader.goto(consent_site + ARTICLE)
            wait_for_consent_script(reader)
            if not banner(reader).is_visible():
                problems.append(f"{name}: no banner")
            if requests.to(STUB) or stub_tags(reader) is not None:
                problems.append(f"{name}: tags ran {requests.to(STUB)}")
        assert problems == []

        # The same way of setting the cookie, with the untouched value: the tags run.
        reader.context.clear_cookies()
        reader.context.add_cookies([cookie_for(consent_site, f'"{valid}"')])
        reader.goto(consent_site + ARTICLE)
        wait_for_tags(reader, "ga4", "ads")
        expect(banner(reader)).to_be_hidden()


class TestWithoutJavaScript:
    def test_noscript_banner_and_preference_centre_work_as_plain_forms(
        self, consent_site: str, open_tab, requests: Requests
    ) -> None:
        page = requests.attach(open_tab(java_script_enabled=False))
        responses: list[tuple[str, str, int]] = []
        page.on(
            "response",
            lambda r: responses.append((r.request.method, urlsplit(r.url).path, r.status)),
        )
        page.goto(consent_site + ARTICLE)

        static = page.get_by_role("region", name=get_snapshot().banner_title)
        expect(static).to_be_visible()
        expect(banner(page)).to_be_hidden()  # the script's banner needs the script
        expect(static.get_by_role("button", name="Accept all")).to_be_visible()
        expect(static.get_by_role("button", name="Reject all")).to_be_visible()
        expect(static.get_by_role("link", name="Customise")).to_have_attribute(
            "href", "/consent/preferences/"
        )

        responses.clear()
        # The answer (303) leads back to the page the tab is already on, so wait_for_url
        # would return at once: wait for that navigation itself.
        with page.expect_navigation(url=consent_site + ARTICLE):
            static.get_by_role("button", name="Reject all").click()
        expect(page.locator("h1")).to_be_visible()
        assert responses[:2] == [("POST", "/consent/decide/", 303), ("GET", ARTICLE, 200)]
        values = consent_values(page)
        assert (values["analytics"], values["advertising"]) == ("-1", "-1")

        page.goto(consent_site + "/consent/preferences/")
        page.get_by_role("checkbox", name="Allow analytics cookies").check()
        page.get_by_role("button", name="Save my choices").click()
        expect(page.get_by_text("Your cookie choices have been saved.")).to_be_visible()
        values = consent_values(page)
        assert values["analytics"] == get_snapshot().versions["analytics"]
        assert values["advertising"] == "-1"
        expect(page.get_by_role("checkbox", name="Allow analytics cookies")).to_be_checked()

        page.goto(consent_site + ARTICLE)
        expect(page.locator("h1")).to_be_visible()
        assert requests.to(STUB) == []
        assert not TAG_COOKIES & set(browser_cookies(page))
