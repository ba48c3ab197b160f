"""The consent banner and preference centre work by keyboard alone and pass axe.

Keyboard: the banner's choices come right after the skip link, Customise opens its panel and
moves focus into it, saving hands focus back to the page, and the preference centre's choices
are reached and used with Tab, Space and Enter. The fixed banner never covers the element that
has focus (WCAG 2.2, 2.4.11), on a desktop and on a phone-sized viewport. axe-core finds no
violation on an article with the banner, with its panel open, and on the preference centre.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from consent.snapshot import get_snapshot

from .consent_pages import STUB, consent_values, wait_for_consent_script

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"
PREFERENCES = "/consent/preferences/"

FOCUSED = """() => {
    const e = document.activeElement, banner = document.getElementById("consent-banner");
    const r = e.getBoundingClientRect();
    const b = banner ? banner.getBoundingClientRect() : { top: 0, bottom: 0, left: 0, right: 0 };
    return {
        tag: e.tagName.toLowerCase(),
        id: e.id,
        text: (e.innerText || e.value || "").trim().replace(/\\s+/g, " ").slice(0, 60),
        type: e.type || "",
        checked: !!e.checked,
        inBanner: !!banner && banner.contains(e),
        bannerShown: !!banner && !banner.hidden,
        box: [r.top, r.bottom, r.left, r.right],
        banner: [b.top, b.bottom, b.left, b.right],
    };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, text: str, limit: int = 60) -> dict:
    """Press Tab until the element whose text is `text` has focus; fail after `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["text"] == text:
            return now
        seen.append(now["text"] or now["tag"])
    pytest.fail(f"{text!r} not reached in {limit} tabs; focus went through {seen}")


class TestKeyboard:
    def test_banner_choices_follow_the_skip_link_and_customise_works_by_keyboard(
        self, consent_site: str, reader_page: Page
    ) -> None:
        page = reader_page
        stub_requests: list[str] = []
        page.on("request", lambda r: stub_requests.append(r.url) if STUB in r.url else None)
        page.goto(consent_site + ARTICLE)
        wait_for_consent_script(page)

        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Skip to main content"
        first_tabs = []
        for _ in range(5):
            page.keyboard.press("Tab")
            first_tabs.append(focused(page))
        reached = [item["text"] for item in first_tabs if item["inBanner"]]
        assert {"Accept all", "Reject all", "Customise"} <= set(reached), first_tabs
        for _ in range(5):
            if focused(page)["text"] == "Customise":
                break
            page.keyboard.press("Shift+Tab")
        customise = page.get_by_role("button", name="Customise")
        expect(customise).to_be_focused()

        page.keyboard.press("Enter")
        expect(customise).to_have_attribute("aria-expanded", "true")
        first_box = page.locator("#consent-customise").get_by_role("checkbox").first
        expect(first_box).to_be_focused()
        expect(first_box).to_have_accessible_name("Analytics")
        page.keyboard.press("Space")
        expect(first_box).to_be_checked()

        tab_to(page, "Save my choices", limit=5)
        page.keyboard.press("Enter")
        expect(page.locator("#consent-banner")).to_be_hidden()
        expect(page.get_by_role("main")).to_be_focused()
        page.wait_for_function("() => (window.stubTags || []).includes('ga4')")
        assert page.evaluate("() => window.stubTags") == ["ga4"]
        assert not any("ads.js" in url for url in stub_requests)
        assert consent_values(page)["advertising"] == "-1"

    def test_preference_centre_works_by_keyboard(self, consent_site: str, reader_page: Page):
        page = reader_page
        page.goto(consent_site + PREFERENCES)
        wait_for_consent_script(page)

        tab_to(page, "Reject all")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Your cookie choices have been saved.")).to_be_visible()
        values = consent_values(page)
        assert (values["analytics"], values["advertising"]) == ("-1", "-1")

        box = page.get_by_role("checkbox", name="Allow analytics cookies")
        for _ in range(60):
            page.keyboard.press("Tab")
            if box.evaluate("e => e === document.activeElement"):
                break
        expect(box).to_be_focused()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
        tab_to(page, "Save my choices", limit=5)
        page.keyboard.press("Enter")
        # The button is far below the news that the choice was saved: focus goes to the news.
        status = page.locator("[data-consent-status]")
        expect(status).to_have_text("Your cookie choices have been saved.")
        expect(status).to_be_focused()
        expect(status).to_be_in_viewport()
        expect(page.get_by_role("checkbox", name="Allow analytics cookies")).to_be_checked()
        values = consent_values(page)
        assert values["analytics"] == get_snapshot().versions["analytics"]
        assert values["advertising"] == "-1"

    @pytest.mark.parametrize(
        "viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 667}]
    )
    # Scroll padding alone is not enough: the page's last links (related articles, the
    # footer's "Cookie settings") could not scroll above the banner without room at the end.
    def test_banner_never_hides_the_focused_element(
        self, consent_site: str, reader_page: Page, viewport: dict
    ) -> None:
        page = reader_page
        page.set_viewport_size(viewport)
        page.goto(consent_site + ARTICLE)
        wait_for_consent_script(page)
        expect(page.locator("#consent-banner")).to_be_visible()

        hidden, outside = [], 0
        for _ in range(40):
            page.keyboard.press("Tab")
            item = focused(page)
            assert item["bannerShown"]
            top, bottom, left, right = item["box"]
            if item["inBanner"] or item["tag"] == "body" or bottom - top <= 0:
                continue
            outside += 1
            b_top, b_bottom, b_left, b_right = item["banner"]
            if top < b_bottom and bottom > b_top and left < b_right and right > b_left:
                hidden.append(
                    f"{item['tag']} {item['text']!r} at {item['box']} under {item['banner']}"
                )
        assert outside >= 20  # the walk really went through the page
        assert hidden == [], "\n".join(hidden)


class TestAxe:
    def test_article_with_the_banner_has_no_violations(
        self, consent_site: str, reader_page: Page
    ) -> None:
        page = reader_page
        page.goto(consent_site + ARTICLE)
        wait_for_consent_script(page)
        expect(page.locator("#consent-banner")).to_be_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()

    def test_article_with_the_customise_panel_open_has_no_violations(
        self, consent_site: str, reader_page: Page
    ) -> None:
        page = reader_page
        page.goto(consent_site + ARTICLE)
        wait_for_consent_script(page)
        page.get_by_role("button", name="Customise").click()
        expect(page.locator("#consent-customise")).to_be_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()

    def test_preference_centre_fits_a_phone(self, consent_site: str, reader_page: Page) -> None:
        page = reader_page
        page.set_viewport_size({"width": 375, "height": 667})
        page.goto(consent_site + PREFERENCES)
        wait_for_consent_script(page)
        # No sideways scrolling: each cookie is a block of labelled lines on a phone.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        first = page.locator(".consent-cookies tbody tr").first
        expect(first.locator("td").first).to_be_visible()
        label = first.locator("td").first.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert label == '"Set by: " / ""'  # shown, not read out twice
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()

    def test_preference_centre_has_no_violations(
        self, consent_site: str, reader_page: Page
    ) -> None:
        page = reader_page
        page.goto(consent_site + PREFERENCES)
        wait_for_consent_script(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Cookie settings")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
