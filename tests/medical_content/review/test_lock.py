"""While an article is in clinical review, its content stays what the editor submitted.

Medical reviewers comment, approve or request changes; they do not edit the content under
review (before: Wagtail's group approval task let every member of the task's group save new
drafts, so a reviewer could approve a version they had written themselves). The editor is
shown to them read-only, with Wagtail's lock message saying why, and every route that saves
a revision refuses them: the edit form (Save draft, autosave, Approve with a change), the
revert of an old revision, the admin API and a lock of their own. Editors keep what Wagtail
gives them (the page is locked to them during the review too); superusers still edit, and
an approval never covers content that appeared after the submission.
"""

import json

import pytest
from wagtail.models import TaskState, WorkflowState

from medical_content.models import ArticlePage, ClinicalApproval
from medical_content.review.roles import (
    CLINICAL_REVIEW,
    EDITORIAL_CHECK,
    MEDICAL_REVIEWERS,
    PUBLISHERS,
)
from tests.people import make_user

from ..admin_flow import current_task, edit_url, messages, review_buttons, workflow_action_url

UNDER_REVIEW = "This page is under clinical review"
REVIEWERS_ROLE = "reviewers comment, approve or request changes"
NOT_SAVED = "The page could not be saved as it is locked."
PAGE_LOCKED = "Page locked"
SAVE_DRAFT = 'name="action-save"'  # hidden from whoever the page is locked for
CHANGED = "<p>Take 800mg aciclovir five times a day.</p>"


def fresh(page) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def revisions(page) -> int:
    return fresh(page).revisions.count()


def latest_text(page) -> str:
    return json.dumps(fresh(page).get_latest_revision().content)


def autosave(client, page, form: dict):
    """What Wagtail 8's autosave posts."""
    revision = fresh(page).get_latest_revision()
    form = {**form, "overwrite_revision_id": str(revision.pk)}
    return client.post(edit_url(page), form, headers={"accept": "application/json"})


@pytest.mark.django_db
class TestReviewerSeesTheArticleReadOnly:
    def test_the_editor_is_locked_and_says_why(self, at_clinical_review, as_user, reviewer):
        article = at_clinical_review()
        html = as_user(reviewer).get(edit_url(article)).content.decode()
        assert UNDER_REVIEW in messages(html)
        assert REVIEWERS_ROLE in messages(html)
        assert PAGE_LOCKED in html
        assert SAVE_DRAFT not in html
        assert "content-locked" in html

    def test_save_draft_saves_no_revision_and_says_so(
        self, at_clinical_review, as_user, reviewer, edit_form
    ):
        article = at_clinical_review()
        before = revisions(article)
        response = as_user(reviewer).post(edit_url(article), edit_form(article, body=CHANGED))
        assert response.status_code == 200
        assert NOT_SAVED in messages(response.content.decode())
        assert revisions(article) == before
        assert "aciclovir" not in latest_text(article)
        assert current_task(article) == CLINICAL_REVIEW

    def test_autosave_saves_no_revision(self, at_clinical_review, as_user, reviewer, edit_form):
        article = at_clinical_review()
        before = revisions(article)
        response = autosave(as_user(reviewer), article, edit_form(article, body=CHANGED))
        assert response.status_code == 400
        assert response.json()["error_code"] == "locked"
        assert revisions(article) == before
        assert "aciclovir" not in latest_text(article)

    def test_approve_with_a_change_in_the_edit_form_saves_nothing(
        self, at_clinical_review, as_user, reviewer, edit_form
    ):
        article = at_clinical_review()
        before = revisions(article)
        response = as_user(reviewer).post(
            edit_url(article),
            edit_form(
                article,
                body=CHANGED,
                **{"action-workflow-action": "true", "workflow-action-name": "approve"},
            ),
        )
        assert response.status_code == 200
        assert NOT_SAVED in messages(response.content.decode())
        assert revisions(article) == before
        assert not ClinicalApproval.objects.filter(page=article).exists()
        assert current_task(article) == CLINICAL_REVIEW

    def test_reverting_to_an_old_revision_saves_nothing(
        self, at_clinical_review, as_user, reviewer, edit_form, superuser
    ):
        article = at_clinical_review()
        older = fresh(article).get_latest_revision()
        # The reviewer looks for an older version to restore: here one a superuser replaced.
        as_user(superuser).post(edit_url(article), edit_form(article, body=CHANGED))
        before = revisions(article)
        client = as_user(reviewer)
        url = f"/admin/pages/{article.pk}/revisions/{older.pk}/revert/"
        response = client.post(url, edit_form(article, revision=older))
        assert response.status_code in (200, 302, 403)
        assert revisions(article) == before

    def test_the_admin_api_revert_saves_nothing(
        self, at_clinical_review, as_user, reviewer, editor
    ):
        """Wagtail's admin API reverts to a revision for anyone who may open the editor,
        whatever the lock: the editor here (the reviewer is not shown the page at all)."""
        article = at_clinical_review()
        submitted = fresh(article).get_latest_revision()
        before = revisions(article)
        for person, refused in ((reviewer, (403, 404)), (editor, (403,))):
            response = as_user(person).post(
                f"/admin/api/main/pages/{article.pk}/action/revert_to_page_revision/",
                data=json.dumps({"revision_id": submitted.pk}),
                content_type="application/json",
            )
            assert response.status_code in refused, (person, response.status_code)
            assert revisions(article) == before

    def test_a_reviewer_cannot_lock_the_page_to_unlock_the_editor(
        self, at_clinical_review, as_user, reviewer, edit_form
    ):
        article = at_clinical_review()
        client = as_user(reviewer)
        client.post(f"/admin/pages/{article.pk}/lock/")
        assert not fresh(article).locked
        before = revisions(article)
        client.post(edit_url(article), edit_form(article, body=CHANGED))
        assert revisions(article) == before

    def test_a_lock_taken_before_the_review_is_released_when_it_starts(
        self, submit, author, as_user, publisher, edit_form, django_user_model
    ):
        """Someone who is a publisher and a medical reviewer locks the article during the
        editorial check: Wagtail would keep their lock (they are in the review's group), and
        a page lock lets its holder edit."""
        both = make_user("both", PUBLISHERS, MEDICAL_REVIEWERS)
        article = submit(author)
        client = as_user(both)
        client.post(f"/admin/pages/{article.pk}/lock/")
        assert fresh(article).locked
        as_user(publisher).post(workflow_action_url(article), {"comment": ""})
        assert current_task(article) == CLINICAL_REVIEW

        assert not fresh(article).locked
        client = as_user(both)
        assert UNDER_REVIEW in messages(client.get(edit_url(article)).content.decode())
        before = revisions(article)
        client.post(edit_url(article), edit_form(article, body=CHANGED))
        assert revisions(article) == before


@pytest.mark.django_db
class TestReviewerStillReviews:
    def test_the_locked_editor_offers_approve_and_request_changes(
        self, at_clinical_review, as_user, reviewer
    ):
        article = at_clinical_review()
        html = as_user(reviewer).get(edit_url(article)).content.decode()
        buttons = review_buttons(html)
        assert set(buttons) == {"Approve", "Approve with comment", "Request changes"}
        assert buttons["Approve"] == workflow_action_url(article, "approve")

    def test_the_reviewer_approves_from_the_locked_editor(
        self, at_clinical_review, as_user, reviewer, reader_client
    ):
        article = at_clinical_review()
        submitted = fresh(article).get_latest_revision()
        client = as_user(reviewer)
        url = review_buttons(client.get(edit_url(article)).content.decode())["Approve"]
        response = client.post(url, {"comment": "Doses checked.", "next": edit_url(article)})
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
        article = fresh(article)
        assert article.live
        assert article.live_revision_id == submitted.pk
        assert ClinicalApproval.objects.get(page=article).revision_id == submitted.pk
        assert reader_client.get("/articles/shingles/").status_code == 200

    def test_the_reviewer_requests_changes_with_a_comment(
        self, at_clinical_review, as_user, reviewer
    ):
        article = at_clinical_review()
        before = revisions(article)
        client = as_user(reviewer)
        url = review_buttons(client.get(edit_url(article)).content.decode())["Request changes"]
        response = client.post(
            url, {"comment": "The dose is out of date.", "next": edit_url(article)}
        )
        # Back to the dashboard, which they may open (the article's editor is no longer theirs).
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
        assert "permission" not in messages(client.get(response["Location"]).content.decode())
        state = fresh(article).current_workflow_state
        assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
        rejected = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_REJECTED)
        assert rejected.comment == "The dose is out of date."
        assert revisions(article) == before

    def test_after_requesting_changes_the_reviewer_cannot_edit_and_the_editor_can(
        self, at_clinical_review, as_user, reviewer, editor, edit_form
    ):
        article = at_clinical_review()
        as_user(reviewer).post(workflow_action_url(article, "reject"), {"comment": "Dose."})
        before = revisions(article)
        response = as_user(reviewer).post(edit_url(article), edit_form(article, body=CHANGED))
        assert response.status_code in (302, 403)
        assert revisions(article) == before

        response = as_user(editor).post(edit_url(article), edit_form(article, body=CHANGED))
        assert response.status_code == 302
        assert revisions(article) == before + 1
        assert "aciclovir" in latest_text(article)


@pytest.mark.django_db
class TestOthersDuringReview:
    def test_an_editor_outside_review_still_edits(
        self, live_gout, as_user, editor, edit_form, reader_client
    ):
        before = revisions(live_gout)
        response = as_user(editor).post(edit_url(live_gout), edit_form(live_gout, body=CHANGED))
        assert response.status_code == 302
        assert revisions(live_gout) == before + 1
        assert "aciclovir" in latest_text(live_gout)

    def test_an_editor_is_locked_out_during_clinical_review_as_before(
        self, at_clinical_review, as_user, editor, edit_form
    ):
        article = at_clinical_review()
        client = as_user(editor)
        assert UNDER_REVIEW in messages(client.get(edit_url(article)).content.decode())
        before = revisions(article)
        response = client.post(edit_url(article), edit_form(article, body=CHANGED))
        assert NOT_SAVED in messages(response.content.decode())
        assert revisions(article) == before

    def test_an_approval_never_covers_a_revision_made_after_the_submission(
        self, at_clinical_review, as_user, reviewer, superuser, edit_form, reader_client
    ):
        """A superuser (the only one who may still edit) changes the text while the reviewer
        reads the submitted version: the reviewer's approval covers neither version, and the
        change goes back through the whole workflow."""
        article = at_clinical_review()
        submitted = fresh(article).get_latest_revision()
        approve = workflow_action_url(article)  # as the reviewer's dashboard showed it
        response = as_user(superuser).post(edit_url(article), edit_form(article, body=CHANGED))
        assert response.status_code == 302
        changed = fresh(article).get_latest_revision()
        assert changed.pk != submitted.pk

        as_user(reviewer).post(approve, {"comment": "Doses checked."})

        article = fresh(article)
        assert not article.live
        assert not ClinicalApproval.objects.filter(page=article).exists()
        assert ClinicalApproval.objects.covering(changed) is None
        assert current_task(article) == EDITORIAL_CHECK
        assert reader_client.get("/articles/shingles/").status_code == 404
