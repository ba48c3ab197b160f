"""One new page per create form, whatever Wagtail 8's autosave and the editor's click race to do.

Wagtail's create form posts to the create URL until an autosave's answer gives it the new
page's edit URL. Before the fix, an editor who chose "Submit to Clinical review" while that
answer was on its way met "The slug ... is already in use within the parent page" (the
autosave had created the article), with "Autosave is paused", and every later post of that
form failed the same way; both at the server at once gave a 500 ("database is locked").

Each test posts what the browser posts: the create form (with the token of its own that the
editor page gives each form), as an autosave (`Accept: application/json`) or as the
editor's click, in the orders the two can reach the server.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.db import OperationalError
from wagtail.models import Revision

from medical_content.models import ArticlePage, PageCreation
from medical_content.review.roles import EDITORIAL_CHECK
from tests.concurrency import NoRedirects, needs_database_server
from tests.people import make_user

from .admin_flow import add_url, current_task, edit_url, messages, text

AUTOSAVE = {"accept": "application/json"}
SLUG_IN_USE = "The slug 'shingles' is already in use within the parent page"
SUBMITTED = "has been submitted for moderation"


def open_create_form(client, index) -> dict:
    """The hidden fields the editor page gives a new create form (its token), as a browser
    would send them back with the form."""
    html = client.get(add_url(index)).content.decode()
    return dict(
        re.findall(
            r'<input type="hidden" form="page-edit-form" name="([^"]+)" value="([^"]*)"', html
        )
    )


def shingles(index) -> list[ArticlePage]:
    return list(ArticlePage.objects.child_of(index).filter(title="Shingles"))


@pytest.mark.django_db
class TestCreateFormPostedTwice:
    def test_a_submit_sent_before_the_autosave_answer_submits_the_page_the_autosave_created(
        self, article_index, author, as_user, editor, new_article_form
    ):
        """Before: "The slug 'shingles' is already in use within the parent page", nothing
        submitted, and the article left as an autosaved draft."""
        client = as_user(editor)
        form = open_create_form(client, article_index)
        saved = client.post(
            add_url(article_index), {**new_article_form(author), **form}, headers=AUTOSAVE
        )
        assert saved.status_code == 200
        assert saved.json()["success"]

        # The click left before the autosave's answer came back: the same form, to the same
        # URL, without the ids that answer would have given the new credit row.
        response = client.post(
            add_url(article_index),
            {
                **new_article_form(
                    author, action="action-submit", standfirst="Written at the last moment."
                ),
                **form,
            },
            follow=True,
        )

        assert SLUG_IN_USE not in text(response.content.decode())
        assert SUBMITTED in messages(response.content.decode())
        (article,) = shingles(article_index)
        assert current_task(article) == EDITORIAL_CHECK
        submitted = article.get_latest_revision().as_object()
        assert submitted.standfirst == "Written at the last moment."
        assert [c.expert_id for c in submitted.credits.all()] == [author.pk]  # not credited twice

    def test_an_autosave_retried_after_a_lost_answer_saves_the_same_draft_and_gives_the_edit_url(
        self, article_index, author, as_user, editor, new_article_form
    ):
        """Wagtail retries an autosave whose answer was lost, to the create URL again. Before:
        a slug error, and autosave paused for good."""
        client = as_user(editor)
        form = open_create_form(client, article_index)
        first = client.post(
            add_url(article_index), {**new_article_form(author), **form}, headers=AUTOSAVE
        )
        assert first.status_code == 200

        again = client.post(
            add_url(article_index),
            {**new_article_form(author, standfirst="A second thought."), **form},
            headers=AUTOSAVE,
        )

        assert again.status_code == 200, again.content
        answer = again.json()
        (article,) = shingles(article_index)
        # What the lost answer would have taught the form: where the page is now edited, and
        # the id of the credit row the first save created (without it, the next save doubles it).
        assert answer["url"] == edit_url(article)
        assert answer["field_updates"] == first.json()["field_updates"]
        # The draft the first autosave made, saved again in place, as Wagtail's edit view does.
        assert answer["revision_id"] == first.json()["revision_id"]
        assert Revision.objects.for_instance(article).count() == 1
        assert article.get_latest_revision().as_object().standfirst == "A second thought."

    def test_an_autosave_that_arrives_after_the_submit_changes_nothing(
        self, article_index, author, as_user, editor, new_article_form
    ):
        """The click reached the server first and created the article in review; the autosave
        sent just before it carries older text and must not replace what was submitted."""
        client = as_user(editor)
        form = open_create_form(client, article_index)
        submit = client.post(
            add_url(article_index), {**new_article_form(author, action="action-submit"), **form}
        )
        assert submit.status_code == 302
        (article,) = shingles(article_index)
        submitted = article.get_latest_revision()

        late = client.post(
            add_url(article_index),
            {**new_article_form(author, standfirst="Older text."), **form},
            headers=AUTOSAVE,
        )

        assert late.status_code == 400
        assert late.json()["success"] is False
        assert shingles(article_index) == [article]
        assert article.get_latest_revision() == submitted
        assert current_task(article) == EDITORIAL_CHECK

    def test_two_forms_with_the_same_slug_still_make_two_attempts(
        self, article_index, author, as_user, editor, new_article_form
    ):
        """Another form (another tab, another article) is never merged into the first page:
        it gets Wagtail's own slug error, and its editor keeps what they typed."""
        client = as_user(editor)
        first = open_create_form(client, article_index)
        second = open_create_form(client, article_index)
        assert first != second
        client.post(
            add_url(article_index), {**new_article_form(author), **first}, headers=AUTOSAVE
        )

        response = client.post(
            add_url(article_index),
            {
                **new_article_form(author, action="action-submit", standfirst="Another article."),
                **second,
            },
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert SLUG_IN_USE in text(html)
        assert "Another article." in html
        (article,) = shingles(article_index)
        assert current_task(article) is None

    def test_another_login_cannot_post_into_the_page_a_form_created(
        self, article_index, author, as_user, editor, db, new_article_form
    ):
        client = as_user(editor)
        form = open_create_form(client, article_index)
        client.post(add_url(article_index), {**new_article_form(author), **form}, headers=AUTOSAVE)
        other = make_user("other-editor", "Editors")

        response = as_user(other).post(
            add_url(article_index),
            {**new_article_form(author, action="action-submit", standfirst="Not theirs."), **form},
        )

        assert SLUG_IN_USE in text(response.content.decode())
        (article,) = shingles(article_index)
        assert article.get_latest_revision().as_object().standfirst != "Not theirs."
        assert current_task(article) is None

    @pytest.mark.parametrize("token", ["", "short", "x" * 500, "<script>"])
    def test_a_missing_or_odd_token_is_a_plain_create(
        self, article_index, author, as_user, editor, new_article_form, token
    ):
        response = as_user(editor).post(
            add_url(article_index),
            {**new_article_form(author, action="action-submit"), "create_form_token": token},
        )

        assert response.status_code == 302
        (article,) = shingles(article_index)
        assert current_task(article) == EDITORIAL_CHECK
        assert not PageCreation.objects.exists()

    def test_a_busy_database_answers_the_autosave_with_a_clear_error(
        self, article_index, author, as_user, editor, new_article_form, monkeypatch
    ):
        """SQLite's "database is locked" (a write that waited longer than its timeout) is an
        answer the autosave can show ("A server error occurred"), not a 500 page."""
        client = as_user(editor)
        form = open_create_form(client, article_index)

        def locked(*args, **kwargs):
            raise OperationalError("database is locked")

        monkeypatch.setattr(PageCreation.objects, "create", locked)
        response = client.post(
            add_url(article_index), {**new_article_form(author), **form}, headers=AUTOSAVE
        )

        assert response.status_code == 503
        assert response.json() == {
            "success": False,
            "error_code": "server_busy",
            "error_message": "The server is busy. Your changes will be saved with your next edit.",
        }
        assert shingles(article_index) == []


@needs_database_server
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestAutosaveAndSubmitAtOnce:
    ROUNDS = 8

    def test_whatever_reaches_the_server_first_one_page_is_submitted(
        self, live_server, article_index, author, editor, new_article_form
    ):
        """The autosave and the click of one form, sent together, in each round."""
        opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects())
        base = live_server.url

        def post(url, data, headers=None):
            request = Request(base + url, data=urlencode(data).encode(), headers=headers or {})  # noqa: S310
            try:
                with opener.open(request, timeout=60) as response:
                    return response.status, response.read().decode()
            except HTTPError as error:
                return error.code, error.read().decode()

        login = opener.open(base + "/admin/login/").read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        post("/admin/login/", {"csrfmiddlewaretoken": csrf, "username": "editor", "password": "x"})
        statuses = []
        for round_ in range(self.ROUNDS):
            html = opener.open(base + add_url(article_index)).read().decode()
            hidden = dict(
                re.findall(r'<input type="hidden"[^>]*name="([^"]+)" value="([^"]*)"', html)
            )
            title = f"Shingles {round_}"
            form = {
                **new_article_form(author, title=title, slug=f"shingles-{round_}"),
                "csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"],
                "create_form_token": hidden["create_form_token"],
            }
            barrier = threading.Barrier(2)

            def send(action, form=form, barrier=barrier):
                barrier.wait()
                if action == "autosave":
                    return post(add_url(article_index), form, {"Accept": "application/json"})
                return post(add_url(article_index), {**form, "action-submit": "1"})

            with ThreadPoolExecutor(max_workers=2) as pool:
                autosave, submit = pool.map(send, ["autosave", "submit"])
            statuses.append((autosave[0], submit[0]))
            (article,) = ArticlePage.objects.filter(title=title)
            assert current_task(article) == EDITORIAL_CHECK, (round_, autosave, submit[0])

        assert {submit for _, submit in statuses} == {302}, statuses
        assert {autosave for autosave, _ in statuses} <= {200, 400}, statuses
