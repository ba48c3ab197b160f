"""A reader finds the deep vein thrombosis article from the home page and checks who wrote it.

What is asserted is what a reader sees and uses (headings, credits, links, the loaded figure),
found by role and text rather than by CSS class wherever the page gives a role.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import RequestLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Deep vein thrombosis: symptoms, treatment and recovery"
AUTHOR = "Dr Imogen Varga"


def test_reader_follows_the_home_page_to_the_dvt_article_and_its_author(
    demo_site: str, reader_page: Page, request_log: RequestLog, results_dir: Path
) -> None:
    page = reader_page
    page.goto(demo_site + "/")
    page.get_by_role("link", name=TITLE).click()

    expect(page).to_have_url(re.compile(r"/articles/deep-vein-thrombosis/$"))
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"\S"))
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(TITLE)

    credits = page.locator(".article__credits")
    expect(credits.locator("span", has_text="Written by")).to_have_text(f"Written by {AUTHOR}")
    expect(credits.locator("span", has_text="Edited by")).to_contain_text("Morgan Ashby")
    expect(page.locator(".article__reviewed")).to_contain_text(
        "Medically reviewed by Dr Tomás Adeyemi"
    )

    urgent = page.get_by_role("complementary", name=re.compile(r"^Call 999"))
    expect(urgent).to_contain_text("Urgent advice")
    expect(urgent).to_have_class(re.compile(r"\bcallout--urgent\b"))

    travel = page.get_by_role("region", name="Preventing clots when you travel")
    expect(travel.get_by_role("heading", level=2)).to_have_text("Preventing clots when you travel")
    expect(travel.get_by_role("heading", level=3)).to_have_count(2)

    figure_image = page.locator("figure img")
    expect(figure_image).to_have_attribute("alt", re.compile(r"deep veins"))
    figure_image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=figure_image.element_handle()
    )

    page.screenshot(path=results_dir / "article.png", full_page=True)
    assert request_log.blocked == []
    assert request_log.failed == []

    author_box = page.get_by_role("complementary", name=f"About the author: {AUTHOR}")
    author_box.get_by_role("link", name="View profile").click()
    expect(page).to_have_url(re.compile(r"/experts/dr-imogen-varga/$"))
    expect(page.locator("h1")).to_have_text(AUTHOR)
    assert request_log.blocked == []


def test_reader_finds_the_article_from_the_article_list(
    demo_site: str, reader_page: Page, request_log: RequestLog
) -> None:
    """A second live-server test: proves the flushed database was restored for it (the demo
    content loads again onto Wagtail's root page) and that nothing leaks between tests."""
    page = reader_page
    page.goto(demo_site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health articles").click()

    expect(page.locator("h1")).to_have_text("Health articles")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("h1")).to_have_text(TITLE)
    assert request_log.blocked == []
    assert request_log.failed == []
