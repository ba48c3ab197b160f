"""Editors see an article's reading level (SMOG grade) in the page editor's Checks panel.

An editor opens an article, opens Checks, and reads the grade under "Content metrics": a hard
article is also listed under "Issues found", an easy one is not, a short one is not graded,
and the grade follows the text as the editor changes it. Other pages keep Wagtail's checks
only. The expected grades are hand-computed (tests/medical_content/test_readability.py), and
the script is checked against the Python reference word by word, in the same Chromium.

Screenshots of the panel go to /tmp/smog/.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from medical_content import factories
from medical_content.models import ArticleIndexPage, ArticlePage, ExpertProfilePage
from medical_content.readability import count_syllables, smog
from tests.medical_content.test_readability import EASY, HARD, SYLLABLES, HandGraded

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Where a reviewer looks at the panel as an editor sees it; not used by any assertion.
SCREENSHOTS = Path(os.environ.get("SMOG_SCREENSHOTS", "/tmp/smog"))  # noqa: S108
# The preview is rendered and checked in an iframe after the panel opens: allow for it.
CHECKS_TIMEOUT = 20_000
ISSUE = "Reading level too high for patient information"
USERNAME, PASSWORD = "checks-admin", "checks-admin-pass"


@pytest.fixture
def admin_tab(demo_site: str, reader_page: Page) -> Iterator[Page]:
    """A browser tab logged in to the admin through its login form.

    A superuser: the editors' group permissions are not what this module tests.
    """
    get_user_model().objects.create_superuser(USERNAME, "checks@example.com", PASSWORD)
    page = reader_page
    page.goto(demo_site + "/admin/login/")
    page.locator("input[name=username]").fill(USERNAME)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield page


def make_article(text: HandGraded) -> ArticlePage:
    return factories.ArticlePageFactory(
        parent=ArticleIndexPage.objects.get(),
        title=text.title,
        standfirst=text.standfirst,
        body=factories.stream_data(
            *(
                ("question", {"question": question, "answer": f"<p>{answer}</p>"})
                for question, answer in text.questions
            )
        ),
    )


def open_checks(page: Page, base_url: str, page_id: int) -> Locator:
    """Open the page's editor and its Checks panel; returns the panel.

    Sets `window.editsNoticed` when Wagtail notices an edit (see `edit_field`).
    """
    page.add_init_script(
        "document.addEventListener('w-unsaved:add', () => { window.editsNoticed = true })"
    )
    page.goto(f"{base_url}/admin/pages/{page_id}/edit/")
    page.get_by_role("button", name="Toggle checks").click()
    panel = page.locator('[data-side-panel="checks"]')
    expect(panel).to_be_visible()
    return panel


def edit_field(page: Page, selector: str, text: str) -> None:
    """Replace a field's text, as an editor types it, until Wagtail notices the edit.

    Wagtail takes the form as its saved state in the first seconds after loading (w-unsaved,
    sometimes twice); text typed before then counts as saved and does not refresh the preview.
    A trailing space, which changes no grade, makes the next attempt an edit again.
    """
    for attempt in range(3):
        page.evaluate("window.editsNoticed = false")
        page.locator(selector).fill(text + " " * attempt)
        try:
            page.wait_for_function("window.editsNoticed === true", timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    pytest.fail(f"Wagtail did not notice the edit to {selector}")


def smog_metric(panel: Locator) -> tuple[Locator, Locator, Locator]:
    """The SMOG metric under Content metrics: (heading, grade, summary)."""
    metric = panel.locator("[data-smog-metric]")
    return (
        metric.get_by_role("heading", name="Reading level (SMOG grade)"),
        metric.locator("[data-smog-grade]"),
        metric.locator("[data-smog-summary]"),
    )


def test_script_counts_exactly_as_the_python_reference(reader_page: Page) -> None:
    page = reader_page
    page.set_content('<!doctype html><html lang="en"><body></body></html>')
    page.add_script_tag(path=finders.find("medical_content/readability.js"))
    api = "window.medicalContentReadability"

    checked = [word for counts in SYLLABLES.values() for word in counts]
    checked += [word for text in (HARD, EASY) for found in text.polysyllables for word in found]
    assert page.evaluate(f"ws => ws.map({api}.countSyllables)", checked) == [
        count_syllables(word) for word in checked
    ]
    for text in (HARD, EASY):
        expected = smog(text.blocks)
        result = page.evaluate(f"b => {api}.smog(b, 10)", text.blocks)
        assert (result["sentences"], result["polysyllables"]) == (
            expected.sentences,
            expected.polysyllables,
        )
        assert result["grade"] == pytest.approx(expected.grade)


def test_hard_article_shows_its_grade_and_an_issue(demo_site: str, admin_tab: Page) -> None:
    article = make_article(HARD)
    panel = open_checks(admin_tab, demo_site, article.pk)
    heading, grade, summary = smog_metric(panel)

    expect(grade).to_have_text(HARD.grade, timeout=CHECKS_TIMEOUT)
    expect(heading).to_be_visible()
    expect(summary).to_have_text("Too hard: aim for 10 or lower for patient information")
    issues = panel.locator("[data-checks-panel]")
    expect(issues).to_contain_text(ISSUE)
    expect(issues).to_contain_text(
        "The SMOG grade, under Content metrics, is above 10. Use shorter sentences and "
        "everyday words, and explain the medical terms you keep."
    )
    # Counted with Wagtail's own issues, on the panel and on its toggle.
    expect(panel.locator("[data-content-checker-count]")).to_have_text("1")
    expect(admin_tab.get_by_role("button", name="Toggle checks")).to_contain_text("1")
    panel.screenshot(path=SCREENSHOTS / "hard-article.png")


def test_easy_article_shows_its_grade_without_an_issue_and_follows_edits(
    demo_site: str, admin_tab: Page
) -> None:
    article = make_article(EASY)
    panel = open_checks(admin_tab, demo_site, article.pk)
    _, grade, summary = smog_metric(panel)

    expect(grade).to_have_text(EASY.grade, timeout=CHECKS_TIMEOUT)
    expect(summary).to_have_text("Within the target of 10 or lower")
    expect(panel.locator("[data-checks-panel]")).not_to_contain_text(ISSUE)
    panel.screenshot(path=SCREENSHOTS / "easy-article.png")

    # The hard article's standfirst: 2 sentences for 2, 9 polysyllables for none, so
    # 11 in 13 sentences: 1.0430 * sqrt(11 * 30 / 13) + 3.1291 = 8.384.
    edited = HandGraded(EASY.title, HARD.standfirst, EASY.questions, [], "")
    assert f"{smog(edited.blocks).grade:.1f}" == "8.4"
    edit_field(admin_tab, "#id_standfirst", HARD.standfirst)
    expect(grade).to_have_text("8.4", timeout=CHECKS_TIMEOUT)
    expect(summary).to_have_text("Within the target of 10 or lower")


def test_short_demo_article_is_not_graded(demo_site: str, admin_tab: Page) -> None:
    article = ArticlePage.objects.get(slug="varicose-veins")
    panel = open_checks(admin_tab, demo_site, article.pk)
    _, grade, summary = smog_metric(panel)

    expect(grade).to_have_text("Not graded", timeout=CHECKS_TIMEOUT)
    expect(summary).to_have_text(
        re.compile(r"^Too short to grade: \d sentences; SMOG needs 10 or more$")
    )
    expect(panel.locator("[data-checks-panel]")).not_to_contain_text(ISSUE)
    panel.screenshot(path=SCREENSHOTS / "short-article.png")


def test_other_pages_get_wagtails_metrics_without_a_grade(demo_site: str, admin_tab: Page) -> None:
    expert = ExpertProfilePage.objects.live().first()
    panel = open_checks(admin_tab, demo_site, expert.pk)

    expect(panel.locator("[data-content-word-count]")).to_have_text(
        re.compile(r"^\d+$"), timeout=CHECKS_TIMEOUT
    )
    expect(panel.locator("[data-smog-metric]")).to_have_count(0)


def test_userbar_on_a_hard_article_lists_the_issue(demo_site: str, admin_tab: Page) -> None:
    """The same check runs in Wagtail's userbar checker, on the page as readers see it."""
    article = make_article(HARD)
    admin_tab.goto(demo_site + article.url)
    admin_tab.get_by_role("button", name="View Wagtail quick actions").click()
    admin_tab.get_by_role("menuitem", name=re.compile("Checks")).click()

    expect(admin_tab.get_by_role("dialog")).to_contain_text(ISSUE, timeout=CHECKS_TIMEOUT)
