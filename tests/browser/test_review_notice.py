"""A reader is told plainly when an article is overdue for its clinical review.

The server renders the notice shown or hidden as of the day it rendered the page; a cached
copy can be served for days after, so the reader's browser decides again from the due date
in the markup. Without JavaScript the server's decision stands.
"""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICE = "This page is due for review"
CURRENT = "/articles/deep-vein-thrombosis/"  # approved 45 days ago: due in about 320 days
OVERDUE = "/articles/varicose-veins/"  # approved 380 days ago: overdue by 15 days


def _due_date(page: Page) -> datetime.date:
    return datetime.date.fromisoformat(
        page.locator(".review-notice").get_attribute("data-review-due")
    )


def test_an_overdue_article_says_so(demo_site: str, reader_page: Page) -> None:
    reader_page.goto(demo_site + OVERDUE)
    notice = reader_page.locator(".review-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(NOTICE)
    # Never hidden or withdrawn: the article and its real review date stay in place.
    expect(reader_page.locator("h1")).to_have_text("Varicose veins and how they are treated")
    expect(reader_page.locator(".article__reviewed")).to_contain_text("Medically reviewed by")


def test_a_current_article_shows_no_notice(demo_site: str, reader_page: Page) -> None:
    reader_page.goto(demo_site + CURRENT)
    expect(reader_page.get_by_text(NOTICE)).to_be_hidden()


def test_a_page_rendered_before_its_due_date_turns_overdue_in_the_browser(
    demo_site: str, reader_page: Page
) -> None:
    """The markup says "not overdue" (as a cached copy from before the due date would); a
    reader whose day is after the due date is still told."""
    reader_page.goto(demo_site + CURRENT)
    due = _due_date(reader_page)
    html = reader_page.content()
    assert 'class="review-notice"' in html and " hidden" in html.split('class="review-notice"')[1]

    reader_page.clock.set_fixed_time(datetime.datetime.combine(due, datetime.time(9)))
    reader_page.reload()
    expect(reader_page.get_by_text(NOTICE)).to_be_hidden()  # due today: not yet overdue

    day_after = due + datetime.timedelta(days=1)
    reader_page.clock.set_fixed_time(datetime.datetime.combine(day_after, datetime.time(9)))
    reader_page.reload()
    expect(reader_page.locator(".review-notice")).to_be_visible()


@pytest.mark.parametrize(("path", "shown"), [(OVERDUE, True), (CURRENT, False)])
def test_without_javascript_the_server_decides(
    demo_site: str, browser: Browser, path: str, shown: bool
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site + path)
        notice = page.locator(".review-notice")
        if shown:
            expect(notice).to_be_visible()
        else:
            expect(notice).to_be_hidden()
    finally:
        context.close()
