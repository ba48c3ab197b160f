"""An article goes from an editor's draft to readers through the clinical review workflow.

One end-to-end flow in a real Chromium, through Wagtail's own admin UI and the demo logins:
the editor writes an article (a Q&A body, an author and an editor credited, related
procedures), previews it in the site's theme and submits it to "Clinical review"; a publisher
passes the editorial check; a medical reviewer opens the article, read-only to them while it
is in their review, and approves it with a comment from the editor, which publishes it. An
anonymous reader gets a 404 until the clinical approval, then the article with "Medically
reviewed by" the reviewer. Each person has a browser context of their own, as they would have
a machine of their own, and no request of any of them may leave the local host.

Screenshots of each step go to /tmp/e2e/ (or $E2E_SCREENSHOTS).
"""

import contextlib
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import (
    APIResponse,
    Browser,
    BrowserContext,
    Locator,
    Page,
    Response,
    Route,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

from medical_content.models import ArticleIndexPage, ArticlePage
from medical_content.review.roles import EDITORIAL_CHECK, WORKFLOW_NAME

from .conftest import RequestLog, local_only_context
from .consent_pages import wait_for_consent_script

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Where a person looks at the flow afterwards; overridable for CI artefacts.
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e"))  # noqa: S108
# Choosers, autosave and the preview each make a round trip to the live server.
TIMEOUT = 20_000

TITLE = "Leg clots after surgery: what to look for"
SLUG = "leg-clots-after-surgery-what-to-look-for"
STANDFIRST = "How to spot a blood clot in your leg in the weeks after an operation."
QUESTION = "What does a clot in the leg feel like?"
ANSWER = "Throbbing pain, swelling and warmth in one calf, often worse when you walk."
AUTHOR = "Dr Imogen Varga"
EDITOR = "Morgan Ashby"
REVIEWER = "Dr Tomás Adeyemi"  # the "reviewer" login's expert profile
PROCEDURES = ["Deep vein thrombosis", "Venous duplex ultrasound"]
COMMENT = "Checked against the current guideline on venous thromboembolism."


@pytest.fixture
def demo_logins(demo_site: str) -> str:
    """The demo site with its documented logins (editor, publisher, reviewer, admin).

    `load_demo_data --demo-logins` refuses to run with DEBUG off, as the test settings have it.
    """
    with override_settings(DEBUG=True):
        call_command("load_demo_data", demo_logins=True, stdout=io.StringIO())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return demo_site


@pytest.fixture
def server_errors() -> list[str]:
    return []


@pytest.fixture
def open_staff_tab(
    browser: Browser, request_log: RequestLog, server_errors: list[str]
) -> Iterator[Callable[[], Page]]:
    """Opens a tab in a new browser context (a person at their own machine): requests to
    other hosts are aborted and recorded in `request_log`, server errors in `server_errors`."""
    contexts: list[BrowserContext] = []

    def record_server_error(response: Response) -> None:
        if response.status >= 500:
            server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def open_() -> Page:
        context = local_only_context(browser, request_log)
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        tab = context.new_page()
        tab.on("response", record_server_error)
        return tab

    yield open_
    for context in contexts:
        context.close()


def log_in(tab: Page, base_url: str, username: str) -> None:
    """Through the admin's login form, with the demo password (username + "-demo")."""
    tab.goto(base_url + "/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(f"{username}-demo")
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
    expect(tab.get_by_role("heading", name="Clearwell Health", level=1)).to_be_visible()


def choose(tab: Page, chooser: Locator, button: str, search: str, title: str) -> None:
    """Open a page or snippet chooser, search it and pick `title`."""
    chooser.get_by_role("button", name=button).click()
    dialog = tab.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("textbox", name=re.compile("Search")).fill(search)
    dialog.get_by_role("link", name=title, exact=True).click()
    expect(dialog).to_be_hidden()
    expect(chooser).to_contain_text(title)


def write_article(tab: Page) -> None:
    """On the new article form: the title, the standfirst, the author's credit, a question."""
    tab.get_by_placeholder("Page title*").fill(TITLE)
    tab.get_by_role("textbox", name="Standfirst").fill(STANDFIRST)
    # A new article starts with no credits (a draft may be saved before anyone is credited).
    tab.get_by_role("button", name="Add credit").click()
    choose(
        tab,
        tab.locator("#id_credits-0-expert-chooser"),
        "Choose a page (Expert profile page)",
        "Varga",
        AUTHOR,
    )
    expect(tab.locator("#id_credits-0-role")).to_have_value("author")
    tab.get_by_role("button", name="Insert a block").click()
    tab.get_by_role("option", name="Question").click()
    tab.get_by_role("textbox", name="Question").fill(QUESTION)
    answer = tab.locator('[data-contentpath="answer"]').get_by_role("textbox")
    answer.click()  # Draftail: a contenteditable, typed into as an editor would
    answer.press_sequentially(ANSWER)
    expect(answer).to_have_text(ANSWER)
    # Draftail copies its text into the form every 250 ms; a person's next click comes later.
    expect(tab.locator('input[name="body-0-value-answer"]')).to_have_value(
        re.compile(re.escape(ANSWER))
    )


def submit_for_review(tab: Page) -> None:
    tab.get_by_role("button", name="More actions").click()
    tab.get_by_role("button", name="Submit to Clinical review").click()


def awaiting_review(tab: Page) -> Locator:
    """The dashboard's row for the article in the "Awaiting your review" panel."""
    panel = tab.get_by_role("region", name="Awaiting your review")
    return panel.get_by_role("row").filter(has_text=TITLE)


def assert_not_public(open_staff_tab: Callable[[], Page], base_url: str, screenshot: str) -> None:
    reader = open_staff_tab()
    response = reader.goto(f"{base_url}/articles/{SLUG}/")
    assert response is not None and response.status == 404
    expect(reader.locator("h1")).to_have_text("Page not found")
    reader.screenshot(path=SCREENSHOTS / screenshot)
    reader.context.close()


def test_article_reaches_readers_only_after_editorial_and_clinical_review(
    demo_logins: str,
    open_staff_tab: Callable[[], Page],
    request_log: RequestLog,
    server_errors: list[str],
) -> None:
    base_url = demo_logins
    index = ArticleIndexPage.objects.get()

    # The editor writes the article.
    editor = open_staff_tab()
    log_in(editor, base_url, "editor")
    editor.goto(f"{base_url}/admin/pages/{index.pk}/")
    expect(editor.get_by_role("heading", name="Health articles", level=1)).to_be_visible()
    # The index takes articles only, so Wagtail goes straight to the article form.
    editor.get_by_role("link", name="Add child page").first.click()
    expect(editor).to_have_url(
        re.compile(rf"/admin/pages/add/medical_content/articlepage/{index.pk}/$")
    )

    write_article(editor)
    editor.get_by_role("button", name="Add credit").click()
    editor.locator("#id_credits-1-role").select_option(label="Editor")
    choose(
        editor,
        editor.locator("#id_credits-1-staff-chooser"),
        "Choose staff member",
        "Ashby",
        EDITOR,
    )

    for number, procedure in enumerate(PROCEDURES):
        editor.get_by_role("button", name="Add Procedure").click()
        choose(
            editor,
            editor.locator(f"#id_related_procedures-{number}-procedure-chooser"),
            "Choose a page (Procedure page)",
            procedure.split()[0],
            procedure,
        )

    # Wagtail 8 autosaves the new page as a draft; the editor then works on its edit view.
    expect(editor.get_by_text("Saved", exact=True)).to_be_visible()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(editor.locator("footer").get_by_text("There are validation errors")).to_be_hidden()
    # The whole form at once, as on a tall screen.
    editor.set_viewport_size({"width": 1280, "height": 2400})
    editor.get_by_role("tab", name="Content").scroll_into_view_if_needed()
    editor.screenshot(path=SCREENSHOTS / "01-editor-form-filled.png")
    editor.set_viewport_size({"width": 1280, "height": 800})

    # The preview, in the site's theme, shows what was just written.
    editor.get_by_role("button", name="Toggle preview").click()
    editor.get_by_label("Preview in desktop size").click()
    preview = editor.frame_locator("#w-preview-iframe")
    expect(
        preview.locator(".site-header").get_by_role("link", name="Clearwell Health")
    ).to_be_visible()
    expect(preview.locator("h1")).to_have_text(TITLE)
    expect(preview.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(preview.get_by_text(ANSWER)).to_be_visible()
    credits = preview.locator(".article__credits")
    expect(credits).to_contain_text(f"Written by {AUTHOR}")
    expect(credits).to_contain_text(f"Edited by {EDITOR}")
    for procedure in PROCEDURES:
        expect(
            preview.get_by_role("region", name="Related procedures").get_by_role(
                "link", name=procedure
            )
        ).to_be_visible()
    # Nobody has approved this version, and the preview does not pretend otherwise.
    expect(preview.get_by_text("Not yet clinically reviewed")).to_be_visible()
    expect(preview.get_by_text("Medically reviewed by")).to_have_count(0)
    editor.screenshot(path=SCREENSHOTS / "02-preview.png")

    submit_for_review(editor)
    expect(editor.get_by_role("status")).to_contain_text(
        f"Page '{TITLE}' has been submitted for moderation."
    )
    expect(editor.get_by_text("has been submitted for moderation")).to_be_visible()
    expect(editor.get_by_role("row").filter(has_text=TITLE)).to_contain_text(
        re.compile("in moderation", re.IGNORECASE)
    )
    # The message slides in: screenshot it once it has.
    editor.locator(".messages").evaluate(
        "m => Promise.all(m.getAnimations({subtree: true}).map(a => a.finished))"
    )
    editor.screenshot(path=SCREENSHOTS / "03-submitted.png")
    editor.context.close()

    assert_not_public(open_staff_tab, base_url, "04-reader-404-before-review.png")

    # A publisher passes the editorial check from the dashboard.
    publisher = open_staff_tab()
    log_in(publisher, base_url, "publisher")
    row = awaiting_review(publisher)
    expect(row).to_contain_text("editor")  # submitted by
    publisher.screenshot(path=SCREENSHOTS / "05-publisher-dashboard.png")
    row.get_by_role("button", name="Actions").click()
    # The action posts, then lands on the dashboard the tab is already on: to_have_url would
    # pass at once, so wait for that navigation (the approval is saved by then).
    with publisher.expect_navigation(url=re.compile(r"/admin/$")):
        row.get_by_role("button", name="Approve", exact=True).click()
    expect(awaiting_review(publisher)).to_have_count(0)
    publisher.context.close()

    # Passing the editorial check publishes nothing.
    assert_not_public(open_staff_tab, base_url, "06-reader-404-after-editorial-check.png")

    # The medical reviewer opens the article: read-only to them, with the reason, and their
    # review's actions in the editor's menu.
    reviewer = open_staff_tab()
    log_in(reviewer, base_url, "reviewer")
    row = awaiting_review(reviewer)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("link", name="Edit", exact=True).click()
    expect(reviewer).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(reviewer.locator(".messages")).to_contain_text(
        "This page is under clinical review: reviewers comment, approve or request changes"
    )
    expect(reviewer.locator("body")).to_have_class(re.compile(r"\bcontent-locked\b"))
    expect(reviewer.get_by_role("button", name="Save draft")).to_have_count(0)
    footer = reviewer.locator("footer")
    expect(footer.get_by_role("button", name="Approve", exact=True)).to_be_visible()
    reviewer.screenshot(path=SCREENSHOTS / "07-reviewer-locked-editor.png")

    # They approve, with a comment; finishing the workflow publishes.
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Approve with comment", exact=True).click()
    dialog = reviewer.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Approve with comment")).to_be_visible()
    dialog.get_by_label("Comment").fill(COMMENT)
    reviewer.screenshot(path=SCREENSHOTS / "08-reviewer-approve-dialog.png")
    # As above: the dialog posts, and only its answer sends the tab back to the dashboard.
    # Until then the row may already be out of reach (behind the dialog), and closing the
    # context could cut the approval short.
    with reviewer.expect_navigation(url=re.compile(r"/admin/$")):
        dialog.get_by_role("button", name="Approve with comment").click()
    expect(awaiting_review(reviewer)).to_have_count(0)
    reviewer.screenshot(path=SCREENSHOTS / "09-reviewer-after-approval.png")
    reviewer.context.close()

    article = ArticlePage.objects.get(slug=SLUG)
    assert article.live
    assert article.review_approval is not None
    assert article.review_approval.comment == COMMENT

    # An anonymous reader now finds the article, reviewed by the reviewer today.
    reader = open_staff_tab()
    response = reader.goto(f"{base_url}/articles/{SLUG}/")
    assert response is not None and response.status == 200
    wait_for_consent_script(reader)
    reader.locator("#consent-banner").get_by_role("button", name="Reject all").click()
    expect(reader.locator("#consent-banner")).to_be_hidden()

    today = timezone.localdate()
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator(".article__reviewed")).to_have_text(
        f"Medically reviewed by {REVIEWER} on {today.day} {today:%B %Y}"
    )
    expect(
        reader.locator(".article__reviewed").get_by_role("link", name=REVIEWER)
    ).to_have_attribute("href", "/experts/dr-tomas-adeyemi/")
    credits = reader.locator(".article__credits")
    expect(credits).to_contain_text(f"Written by {AUTHOR}")
    expect(credits).to_contain_text(f"Edited by {EDITOR}")
    expect(reader.get_by_text(STANDFIRST)).to_be_visible()
    expect(reader.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(reader.get_by_text(ANSWER)).to_be_visible()
    related = reader.get_by_role("region", name="Related procedures")
    expect(related.get_by_role("link")).to_have_text(PROCEDURES)
    # Two columns, one procedure each, starting level.
    tops = {round(item.bounding_box()["y"]) for item in related.get_by_role("listitem").all()}
    assert len(tops) == 1, tops
    reader.screenshot(path=SCREENSHOTS / "10-public-article.png", full_page=True)

    assert request_log.blocked == []
    assert server_errors == []


# --- Submitting a new article right after typing -------------------------------------------
#
# Wagtail 8's create form posts to the create URL until the first autosave's answer gives it
# the edit URL. Before the fix, a click on "Submit to Clinical review" while that answer was
# on its way failed with "The slug ... is already in use within the parent page" and
# "Autosave is paused". Each case holds the form's first autosave (Playwright's routing) to
# place the click at one moment of its round trip; autosaves the form sends after that wait
# until the submission is done, so that no two requests reach the server at once.


@dataclass
class HeldAutosaves:
    """The form's autosave requests, held in the browser until the test lets each go."""

    routes: list[Route] = field(default_factory=list)
    answers: dict[int, APIResponse] = field(default_factory=dict)

    def hold(self, route: Route) -> None:
        request = route.request
        if request.method == "POST" and "application/json" in request.headers.get("accept", ""):
            self.routes.append(route)
        else:
            route.fallback()

    def wait_for_first(self, tab: Page) -> None:
        # Route handlers run only while the test waits on the browser.
        for _ in range(TIMEOUT // 100):
            if self.routes:
                return
            tab.wait_for_timeout(100)
        raise AssertionError("the form sent no autosave")

    def reach_server(self, number: int = 0) -> APIResponse:
        """Send a held autosave on to the server and keep its answer from the browser."""
        self.answers[number] = self.routes[number].fetch()
        return self.answers[number]

    def answer(self, number: int = 0) -> None:
        answer = self.answers[number] if number in self.answers else self.reach_server(number)
        # Once the tab has left the form, nobody is waiting for this answer any more.
        with contextlib.suppress(PlaywrightError):
            self.routes[number].fulfill(response=answer)

    def answer_all(self) -> list[int]:
        """Let every autosave go (each reaches the server now); their status codes."""
        for number in range(len(self.routes)):
            self.answer(number)
        return [answer.status for answer in self.answers.values()]


NEW_ARTICLE_CASES = {
    # The click reaches the server first; the autosave sent before it, after it.
    "autosave-sent-not-yet-saved": ("click", "answer"),
    # The autosave has created the article, and the form has not heard yet.
    "autosave-saved-answer-held": ("reach_server", "click", "answer"),
    # The answer arrives as the editor clicks, or a moment before.
    "answer-arrives-with-the-click": ("answer", "click"),
    "answer-arrived-300ms-before": ("answer", "wait", "click"),
}


@pytest.mark.parametrize("steps", NEW_ARTICLE_CASES.values(), ids=NEW_ARTICLE_CASES.keys())
def test_submitting_a_new_article_right_after_typing_submits_it_once(
    demo_logins: str,
    open_staff_tab: Callable[[], Page],
    request_log: RequestLog,
    server_errors: list[str],
    steps: tuple[str, ...],
) -> None:
    base_url = demo_logins
    index = ArticleIndexPage.objects.get()
    editor = open_staff_tab()
    log_in(editor, base_url, "editor")
    autosaves = HeldAutosaves()
    editor.route(
        re.compile(r"/admin/pages/(add/medical_content/articlepage/\d+|\d+/edit)/$"),
        autosaves.hold,
    )
    editor.goto(f"{base_url}/admin/pages/add/medical_content/articlepage/{index.pk}/")

    write_article(editor)
    autosaves.wait_for_first(editor)
    for step in steps:
        if step == "click":
            submit_for_review(editor)
            # "created and submitted" when the click created the article.
            expect(editor.get_by_role("status")).to_contain_text(
                re.compile(
                    rf"Page '{re.escape(TITLE)}' (created and|has been) submitted for moderation\."
                )
            )
        elif step == "wait":
            editor.wait_for_timeout(300)
        else:
            getattr(autosaves, step)()
    # Autosaves the form sent before the click and that reach the server after it: each
    # answered, and refused if older than what was submitted (checked below).
    assert set(autosaves.answer_all()) <= {200, 400}

    expect(editor.get_by_role("row").filter(has_text=TITLE)).to_contain_text(
        re.compile("in moderation", re.IGNORECASE)
    )
    article = ArticlePage.objects.get(title=TITLE)  # one article
    state = article.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME
    assert state.current_task_state.task.name == EDITORIAL_CHECK
    submitted = article.get_latest_revision().as_object()
    assert [credit.expert.title for credit in submitted.credits.all()] == [AUTHOR]
    assert [block.value["question"] for block in submitted.body] == [QUESTION]
    assert request_log.blocked == []
    assert server_errors == []
