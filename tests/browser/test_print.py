"""A reader prints an article or an expert profile: the content and who reviewed it, where each
link goes, and nothing of the site around it (header, navigation, banner, footer links)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"
PROFILE = "/experts/dr-imogen-varga/"
LEFT_OUT = [".site-header", ".breadcrumbs", "#consent-banner", ".site-footer__links"]

# The text printed after each link in the page's content, from the print stylesheet.
PRINTED_AFTER = """() => [...document.querySelectorAll("main a[href]:not([href^='#'])")]
    .map(a => ({href: a.getAttribute("href"), after: getComputedStyle(a, "::after").content}))"""


def printed(reader_page: Page, url: str) -> Page:
    reader_page.goto(url)
    reader_page.locator("#consent-banner").wait_for(state="visible")  # a first visit
    reader_page.emulate_media(media="print")
    return reader_page


@pytest.mark.parametrize("path", [ARTICLE, PROFILE])
def test_only_the_content_is_printed(consent_site: str, reader_page: Page, path: str) -> None:
    page = printed(reader_page, consent_site + path)
    for selector in LEFT_OUT:
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("does not replace advice from a doctor")
    # The page's canonical address, from the Site's hostname.
    expect(page.get_by_text(re.compile(rf"^Printed from https?://\S+{path}$"))).to_be_visible()


def test_an_article_prints_its_review_line_and_where_its_links_go(
    consent_site: str, reader_page: Page, results_dir: Path
) -> None:
    page = printed(reader_page, consent_site + ARTICLE)
    expect(page.locator(".article__reviewed")).to_contain_text("Medically reviewed by")
    links = page.evaluate(PRINTED_AFTER)
    assert links, "the article links to its authors and procedures"
    for link in links:
        assert link["after"] == f'" ({link["href"]})"', link
    page.pdf(path=results_dir / "article-printed.pdf")
    page.screenshot(path=results_dir / "article-printed.png", full_page=True)


def test_on_screen_the_printed_address_is_not_shown(consent_site: str, reader_page: Page) -> None:
    reader_page.goto(consent_site + ARTICLE)
    expect(reader_page.get_by_text("Printed from")).to_be_hidden()
    expect(reader_page.locator(".site-header")).to_be_visible()
