"""Clinical review: an article reaches readers only once a medical reviewer has approved it.

Everything here goes through the admin as the people involved would: an editor writes and
submits, a publisher passes the editorial check, a medical reviewer (whose login is linked to
their public profile) gives the clinical approval, and the workflow publishes. Proves what
readers see ("Medically reviewed by", the dates, the structured data), who is refused and
told why, that no other route publishes an unapproved version (except a superuser's, which
readers then see as unreviewed), that edits need the whole review again, that a change of
schedule alone keeps the approval, and the overdue notice.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision, WorkflowState

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticlePage, ClinicalApproval
from medical_content.review.roles import EDITORIAL_CHECK, EDITORS, MEDICAL_REVIEWERS, PUBLISHERS
from tests.people import make_user

from ..admin_flow import (
    add_url,
    current_task,
    edit_url,
    messages,
    offers_approve,
    review_buttons,
    text,
    workflow_action_url,
)

CLINICAL_REVIEW = "Clinical review by a medical reviewer"
NOT_APPROVED = "This version has not passed clinical review, so it cannot be published."
DRAFT_KEPT = "Your changes were saved as a draft and not published."
AUTHOR_REFUSED = "You are credited as an author of this article, so you cannot approve it."
NOT_LINKED = "Your login is not linked to an expert profile"
NO_AUTHOR = "Credit at least one author before you submit this article for review"
PUBLISH_BUTTON = 'name="action-publish"'


# --- Reading pages as a person would -----------------------------------------------------


def reviewed_line(html: str) -> str | None:
    match = re.search(r'<p class="article__reviewed">(.*?)</p>', html, re.S)
    return text(match.group(1)) if match else None


def medical_web_page(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    objects = [o for block in blocks for o in json.loads(block)]
    [page] = [o for o in objects if o.get("@type") == "MedicalWebPage"]
    return page


def review_notice(html: str) -> str:
    """The opening tag of the "due for review" notice."""
    match = re.search(r'<p class="review-notice"[^>]*>', html)
    assert match, "no review notice on the page"
    return match.group(0)


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def admin_today() -> datetime.date:
    return timezone.localdate()


# --- The people and the articles ---------------------------------------------------------


def assert_live_gout_unchanged(article, reader_client):
    """The approved version is still what readers get, with its reviewer."""
    article.refresh_from_db()
    assert article.live
    html = reader_client.get("/articles/gout/").content.decode()
    assert "Drink plenty of water." in html
    assert "Stop drinking water." not in html
    assert reviewed_line(html).startswith("Medically reviewed by Prof Imogen Varga on")


# --- The whole flow ----------------------------------------------------------------------


@pytest.mark.django_db
class TestClinicalReviewFlow:
    def test_readers_get_a_404_until_the_medical_reviewer_approves(
        self, at_clinical_review, as_user, reviewer, reader_client
    ):
        article = at_clinical_review()
        assert reader_client.get("/articles/shingles/").status_code == 404

        client = as_user(reviewer)
        editor_html = client.get(edit_url(article)).content.decode()
        assert offers_approve(editor_html)
        response = client.post(workflow_action_url(article), {"comment": "Doses checked."})
        # The reviewer is sent to the dashboard, which they can open.
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200

        article.refresh_from_db()
        assert article.live
        assert current_task(article) is None
        assert reader_client.get("/articles/shingles/").status_code == 200

    def test_the_reviewer_approves_from_the_editor_with_a_comment(
        self, at_clinical_review, as_user, reviewer, reader_client
    ):
        article = at_clinical_review()
        client = as_user(reviewer)
        # The editor is read-only to the reviewer; its "Approve with comment" posts to
        # Wagtail's workflow action view, with the comment from its dialog.
        buttons = review_buttons(client.get(edit_url(article)).content.decode())
        response = client.post(
            buttons["Approve with comment"],
            {"comment": "Doses checked.", "next": edit_url(article)},
        )
        assert response.status_code == 302
        article.refresh_from_db()
        assert article.live, (
            f"not published: the workflow is back at {current_task(article)!r} with "
            f"{article.revisions.count()} revisions"
        )
        assert ClinicalApproval.objects.get(page=article).comment == "Doses checked."
        html = reader_client.get("/articles/shingles/").content.decode()
        assert reviewed_line(html).startswith("Medically reviewed by Prof Imogen Varga on")

    def test_after_approving_from_the_editor_the_reviewer_sees_no_permission_error(
        self, at_clinical_review, as_user, reviewer
    ):
        article = at_clinical_review()
        client = as_user(reviewer)
        approve = review_buttons(client.get(edit_url(article)).content.decode())["Approve"]
        # The button's script sends the editor's address as `next`, which the reviewer may
        # no longer open once the article is published.
        response = client.post(approve, {"next": edit_url(article)}, follow=True)
        assert response.status_code == 200
        assert "you do not have permission" not in messages(response.content.decode())

    def test_an_editors_submission_starts_at_the_editorial_check(
        self, submit, author, reader_client
    ):
        article = submit(author)
        assert not article.live
        assert current_task(article) == EDITORIAL_CHECK
        assert reader_client.get("/articles/shingles/").status_code == 404

    def test_readers_see_who_reviewed_it_and_when(self, reviewed, reader_client, reviewer_expert):
        html = reader_client.get("/articles/shingles/").content.decode()
        today = admin_today()
        assert (
            reviewed_line(html) == f"Medically reviewed by Prof Imogen Varga on {long_date(today)}"
        )
        assert f'<a href="{reviewer_expert.url}">Prof Imogen Varga</a>' in html
        dates = text(re.search(r'<dl class="article__dates">.*?</dl>', html, re.S).group(0))
        assert f"Last reviewed {long_date(today)}" in dates
        next_due = today + datetime.timedelta(days=365)
        assert f"Next review due {long_date(next_due)}" in dates
        assert re.search(r"\shidden\b", review_notice(html))

    def test_structured_data_names_the_reviewer_and_the_review_date(
        self, reviewed, reader_client, reviewer_expert
    ):
        data = medical_web_page(reader_client.get("/articles/shingles/").content.decode())
        assert data["lastReviewed"] == admin_today().isoformat()
        assert data["reviewedBy"] == [
            {
                "@type": "Physician",
                "name": "Prof Imogen Varga",
                "url": f"http://localhost{reviewer_expert.url}",
            }
        ]

    def test_the_approval_records_reviewer_profile_live_revision_and_comment(
        self, reviewed, reviewer, reviewer_expert
    ):
        [approval] = ClinicalApproval.objects.filter(page=reviewed)
        assert approval.reviewer == reviewer
        assert approval.expert.pk == reviewer_expert.pk
        assert approval.reviewer_name == "Prof Imogen Varga"
        assert approval.revision_id == reviewed.live_revision_id
        assert approval.comment == "Doses checked against the 2025 guideline."
        assert approval.carried_from is None
        assert reviewed.review_approval == approval


# --- Who may approve, and what they are told ---------------------------------------------


def assert_refused(response, article):
    """A refused approval: no server error, no approval, not published, still in review."""
    assert response.status_code in (200, 302, 403), response.status_code
    article.refresh_from_db()
    assert not article.live
    assert not ClinicalApproval.objects.filter(page=article).exists()
    assert current_task(article) == CLINICAL_REVIEW


@pytest.mark.django_db
class TestWhoMayApprove:
    def test_a_reviewer_credited_as_author_is_told_why_and_offered_no_approve(
        self, at_clinical_review, author, reviewer_expert, as_user, reviewer
    ):
        article = at_clinical_review(author, reviewer_expert)
        html = as_user(reviewer).get(edit_url(article)).content.decode()
        assert AUTHOR_REFUSED in messages(html)
        assert not offers_approve(html)

    def test_a_forged_approval_by_a_reviewer_credited_as_author_is_refused(
        self,
        at_clinical_review,
        author,
        reviewer_expert,
        as_user,
        reviewer,
        reader_client,
        edit_form,
    ):
        article = at_clinical_review(author, reviewer_expert)
        client = as_user(reviewer)
        response = client.post(workflow_action_url(article), {"comment": "Fine by me."})
        assert_refused(response, article)
        refused = client.get(response["Location"])
        assert refused.status_code == 200
        assert "you do not have permission" in messages(refused.content.decode())
        # The same approval sent with the editor's form (its "Approve" button).
        response = client.post(
            edit_url(article),
            edit_form(
                article,
                **{"action-workflow-action": "true", "workflow-action-name": "approve"},
            ),
        )
        assert_refused(response, article)
        assert reader_client.get("/articles/shingles/").status_code == 404

    def test_a_reviewer_without_a_linked_profile_is_told_why_and_refused(
        self, at_clinical_review, as_user, django_user_model
    ):
        article = at_clinical_review()
        unlinked = django_user_model.objects.create_user("unlinked", password="x")
        unlinked.groups.add(Group.objects.get(name=MEDICAL_REVIEWERS))
        client = as_user(unlinked)
        html = client.get(edit_url(article)).content.decode()
        assert NOT_LINKED in messages(html)
        assert not offers_approve(html)
        assert_refused(client.post(workflow_action_url(article), {"comment": ""}), article)

    def test_a_clinician_outside_the_reviewers_group_cannot_approve(
        self, at_clinical_review, as_user, django_user_model
    ):
        article = at_clinical_review()
        clinician = django_user_model.objects.create_user("clinician", password="x")
        clinician.groups.add(Group.objects.get(name=EDITORS))
        profile = factories.ExpertProfilePageFactory()
        profile.user = clinician
        profile.save()
        client = as_user(clinician)
        assert not offers_approve(client.get(edit_url(article)).content.decode())
        assert_refused(client.post(workflow_action_url(article), {"comment": ""}), article)

    def test_a_publisher_cannot_give_the_clinical_approval(
        self, at_clinical_review, as_user, publisher
    ):
        article = at_clinical_review()
        client = as_user(publisher)
        assert not offers_approve(client.get(edit_url(article)).content.decode())
        assert_refused(client.post(workflow_action_url(article), {"comment": ""}), article)

    def test_the_author_cannot_pass_the_editorial_check_of_their_own_article(
        self, submit, author, as_user, publisher
    ):
        author.user = publisher
        author.save()
        article = submit(author)
        client = as_user(publisher)
        html = client.get(edit_url(article)).content.decode()
        assert AUTHOR_REFUSED in messages(html)
        response = client.post(workflow_action_url(article), {"comment": ""})
        assert response.status_code in (302, 403)
        assert current_task(article) == EDITORIAL_CHECK


# --- Submitting ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestSubmitting:
    def test_an_article_without_an_author_cannot_be_submitted(
        self, article_index, as_user, editor, new_article_form
    ):
        form = new_article_form(action="action-submit")
        staff = factories.StaffMemberFactory()
        form.update(
            {
                "credits-TOTAL_FORMS": "1",
                "credits-0-role": CreditRole.EDITOR,
                "credits-0-expert": "",
                "credits-0-staff": staff.pk,
                "credits-0-ORDER": "0",
                "credits-0-DELETE": "",
            }
        )
        response = as_user(editor).post(add_url(article_index), form)
        assert response.status_code == 200
        assert NO_AUTHOR in text(response.content.decode())
        assert not WorkflowState.objects.exists()
        assert not ArticlePage.objects.filter(slug="shingles", live=True).exists()

    def test_a_draft_without_an_author_may_be_saved(
        self, article_index, as_user, editor, new_article_form
    ):
        response = as_user(editor).post(add_url(article_index), new_article_form())
        assert response.status_code == 302
        article = ArticlePage.objects.get(slug="shingles")
        assert not article.live
        assert current_task(article) is None

    def test_the_next_review_cannot_be_due_before_the_last_review(
        self, reviewed, as_user, publisher, edit_form
    ):
        revisions = reviewed.revisions.count()
        yesterday = admin_today() - datetime.timedelta(days=1)
        response = as_user(publisher).post(
            edit_url(reviewed),
            edit_form(reviewed, next_review_due=yesterday.isoformat(), action="action-submit"),
        )
        assert response.status_code == 200
        assert (
            "The next review must be due after the last clinical review "
            f"({long_date(admin_today())})." in text(response.content.decode())
        )
        assert reviewed.revisions.count() == revisions
        assert current_task(reviewed) is None


# --- No way round the review for a publisher ---------------------------------------------


@pytest.mark.django_db
class TestNoBypass:
    def test_publish_button_keeps_the_changes_as_a_draft_and_says_why(
        self, live_gout, as_user, publisher, edit_form, reader_client
    ):
        client = as_user(publisher)
        assert PUBLISH_BUTTON in client.get(edit_url(live_gout)).content.decode()
        response = client.post(
            edit_url(live_gout),
            edit_form(live_gout, body="<p>Stop drinking water.</p>", action="action-publish"),
            follow=True,
        )
        assert response.status_code == 200
        shown = messages(response.content.decode())
        assert DRAFT_KEPT in shown
        assert NOT_APPROVED in shown
        assert_live_gout_unchanged(live_gout, reader_client)
        draft = live_gout.get_latest_revision().as_object()
        assert draft.body.raw_data[0]["value"].endswith("Stop drinking water.</p>")
        # The unapproved draft is now the latest version: Publish is no longer offered.
        assert PUBLISH_BUTTON not in client.get(edit_url(live_gout)).content.decode()

    def test_creating_an_article_with_publish_leaves_it_unpublished(
        self, article_index, author, as_user, publisher, new_article_form, reader_client
    ):
        as_user(publisher).post(
            add_url(article_index), new_article_form(author, action="action-publish")
        )
        assert not ArticlePage.objects.filter(slug="shingles", live=True).exists()
        assert reader_client.get("/articles/shingles/").status_code == 404

    def test_bulk_publish_does_not_publish_an_unapproved_draft(
        self, live_gout, as_user, publisher, edit_form, reader_client
    ):
        client = as_user(publisher)
        client.post(edit_url(live_gout), edit_form(live_gout, body="<p>Stop drinking water.</p>"))
        url = f"/admin/bulk/wagtailcore/page/publish/?id={live_gout.pk}"
        confirm = client.get(url)
        assert confirm.status_code == 200
        assert "You don't have permission to publish this page" in text(confirm.content.decode())
        response = client.post(url, {"include_descendants": ""})
        assert response.status_code in (200, 302)
        assert_live_gout_unchanged(live_gout, reader_client)

    def test_bulk_publish_of_the_index_with_its_subpages_skips_unapproved_drafts(
        self, live_gout, article_index, author, as_user, publisher, reader_client
    ):
        factories.ArticlePageFactory(
            parent=article_index,
            title="Acne",
            slug="acne",
            live=False,
            credits=factories.credits((CreditRole.AUTHOR, author)),
        )
        as_user(publisher).post(
            f"/admin/bulk/wagtailcore/page/publish/?id={article_index.pk}",
            {"include_descendants": "on"},
        )
        assert not ArticlePage.objects.get(slug="acne").live
        assert reader_client.get("/articles/acne/").status_code == 404

    def test_the_admin_api_refuses_to_publish_an_unapproved_draft(
        self, live_gout, as_user, publisher, edit_form, reader_client
    ):
        client = as_user(publisher)
        client.post(edit_url(live_gout), edit_form(live_gout, body="<p>Stop drinking water.</p>"))
        response = client.post(
            f"/admin/api/main/pages/{live_gout.pk}/action/publish/",
            data="{}",
            content_type="application/json",
        )
        assert response.status_code == 403
        assert "permission to publish" in response.json()["detail"]
        assert_live_gout_unchanged(live_gout, reader_client)

    def test_a_copy_is_never_published_from_the_copy_form(
        self, live_gout, article_index, as_user, publisher, reader_client
    ):
        response = as_user(publisher).post(
            f"/admin/pages/{live_gout.pk}/copy/",
            {
                "new_title": "Gout (copy)",
                "new_slug": "gout-copy",
                "new_parent_page": article_index.pk,
                "publish_copies": "on",
            },
        )
        assert response.status_code in (200, 302)
        assert not ArticlePage.objects.filter(slug="gout-copy", live=True).exists()
        assert reader_client.get("/articles/gout-copy/").status_code == 404

    def test_reverting_to_a_never_approved_version_and_publishing_is_refused(
        self, article_index, author, reviewer_expert, as_user, publisher, edit_form, reader_client
    ):
        article = factories.ArticlePageFactory(
            parent=article_index,
            title="Gout",
            slug="gout",
            live=False,
            credits=factories.credits((CreditRole.AUTHOR, author)),
            body=factories.stream_data(("paragraph", "<p>Stop drinking water.</p>")),
        )
        never_approved = article.save_revision()
        article.body = factories.stream_data(("paragraph", "<p>Drink plenty of water.</p>"))
        factories.approve_and_publish(article, reviewer_expert)

        response = as_user(publisher).post(
            f"/admin/pages/{article.pk}/revisions/{never_approved.pk}/revert/",
            edit_form(article, revision=never_approved, action="action-publish"),
            follow=True,
        )
        assert response.status_code == 200
        assert NOT_APPROVED in messages(response.content.decode())
        assert_live_gout_unchanged(article, reader_client)

    def test_a_superuser_publishes_directly_and_readers_see_no_review(
        self, live_gout, as_user, superuser, edit_form, reader_client
    ):
        response = as_user(superuser).post(
            edit_url(live_gout),
            edit_form(live_gout, body="<p>Stop drinking water.</p>", action="action-publish"),
        )
        assert response.status_code == 302
        html = reader_client.get("/articles/gout/").content.decode()
        assert "Stop drinking water." in html
        assert reviewed_line(html) is None
        assert "Medically reviewed by" not in html
        assert "Not yet clinically reviewed" in text(html)
        data = medical_web_page(html)
        assert "reviewedBy" not in data
        assert "lastReviewed" not in data


# --- Editing an approved article ---------------------------------------------------------


@pytest.mark.django_db
class TestEditingAfterApproval:
    def test_a_submitted_edit_leaves_the_approved_version_live(
        self, reviewed, as_user, publisher, edit_form, reader_client
    ):
        before = reader_client.get("/articles/shingles/").content.decode()
        response = as_user(publisher).post(
            edit_url(reviewed),
            edit_form(reviewed, body="<p>Take aciclovir at once.</p>", action="action-submit"),
        )
        assert response.status_code == 302
        after = reader_client.get("/articles/shingles/").content.decode()
        assert "Take aciclovir at once." not in after
        assert "Rest, fluids and paracetamol." in after
        assert reviewed_line(after) == reviewed_line(before)
        assert current_task(reviewed) == EDITORIAL_CHECK
        reviewed.refresh_from_db()
        assert reviewed.live_revision_id != reviewed.latest_revision_id

    def test_the_edit_needs_both_steps_again_before_it_is_published(
        self, reviewed, as_user, publisher, reviewer, edit_form, reader_client, db
    ):
        first = ClinicalApproval.objects.get(page=reviewed)
        client = as_user(publisher)
        client.post(
            edit_url(reviewed),
            edit_form(reviewed, body="<p>Take aciclovir at once.</p>", action="action-submit"),
        )
        reviewed.refresh_from_db()
        edited = reviewed.get_latest_revision()
        # The old approval does not let the edit skip the review.
        assert PUBLISH_BUTTON not in client.get(edit_url(reviewed)).content.decode()
        # Whoever submitted it may not pass its editorial check: another publisher does.
        client.post(workflow_action_url(reviewed), {"comment": ""})
        assert current_task(reviewed) == EDITORIAL_CHECK
        colleague = make_user("publisher-2", PUBLISHERS)
        as_user(colleague).post(workflow_action_url(reviewed), {"comment": ""})
        assert current_task(reviewed) == CLINICAL_REVIEW
        assert "Take aciclovir" not in reader_client.get("/articles/shingles/").content.decode()

        as_user(reviewer).post(workflow_action_url(reviewed), {"comment": "Second look."})
        reviewed.refresh_from_db()
        assert reviewed.live_revision_id == edited.pk
        assert (
            "Take aciclovir at once." in reader_client.get("/articles/shingles/").content.decode()
        )
        second = ClinicalApproval.objects.get(revision=edited)
        assert second.comment == "Second look."
        assert second.carried_from is None
        assert second.pk != first.pk
        assert reviewed.review_approval == second

    def test_a_reviewers_edit_is_refused_and_their_approval_publishes_the_submission(
        self, at_clinical_review, as_user, reviewer, edit_form, reader_client
    ):
        article = at_clinical_review()
        submitted = article.get_latest_revision()
        client = as_user(reviewer)
        # Reviewers comment, approve or request changes: the text they approve is the
        # editor's, not a correction of their own.
        client.post(edit_url(article), edit_form(article, body="<p>Take aciclovir.</p>"))
        client.post(workflow_action_url(article), {"comment": "Checked."})
        article.refresh_from_db()
        assert article.live_revision_id == submitted.pk
        assert "Take aciclovir." not in reader_client.get("/articles/shingles/").content.decode()

    def test_an_approval_of_an_earlier_version_does_not_cover_a_later_edit(
        self, at_clinical_review, as_user, reviewer, publisher, superuser, edit_form, reader_client
    ):
        # A superuser (the only one who may still edit in this step) changes the text while
        # the reviewer, who opened the earlier version, approves. The edit has been approved
        # by nobody, so no publisher may publish it.
        article = at_clinical_review()
        approve_earlier = workflow_action_url(article)
        as_user(superuser).post(
            edit_url(article), edit_form(article, body="<p>Stop drinking water.</p>")
        )
        article.refresh_from_db()
        edit = article.get_latest_revision()
        as_user(reviewer).post(approve_earlier, {"comment": "Looks right."})

        client = as_user(publisher)
        client.post(edit_url(article), edit_form(article, action="action-publish"))
        article.refresh_from_db()
        assert not article.live, "published an edit that no reviewer approved"
        assert reader_client.get("/articles/shingles/").status_code == 404
        assert PUBLISH_BUTTON not in client.get(edit_url(article)).content.decode()
        assert not ClinicalApproval.objects.filter(revision=edit).exists()

    def test_a_draft_never_shows_the_old_approval_even_in_preview(
        self, reviewed, as_user, publisher, edit_form, reader_client
    ):
        client = as_user(publisher)
        client.post(edit_url(reviewed), edit_form(reviewed, body="<p>Take aciclovir.</p>"))
        preview_url = f"/admin/pages/{reviewed.pk}/edit/preview/"
        form = edit_form(reviewed)
        assert client.post(preview_url, form).json()["is_valid"]
        preview = client.get(preview_url).content.decode()
        assert "Take aciclovir." in preview
        assert "Medically reviewed by" not in preview
        draft = client.get(f"/admin/pages/{reviewed.pk}/view_draft/").content.decode()
        assert "Take aciclovir." in draft
        assert "Medically reviewed by" not in draft
        # Readers still get the approved version, with its reviewer.
        live = reader_client.get("/articles/shingles/").content.decode()
        assert "Take aciclovir." not in live
        assert reviewed_line(live).startswith("Medically reviewed by Prof Imogen Varga")


# --- Schedules ---------------------------------------------------------------------------


def move_schedule_into_the_past(revision: Revision) -> None:
    """As if the go-live time had come: what `publish_scheduled` looks at."""
    past = timezone.now() - datetime.timedelta(minutes=5)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])


@pytest.mark.django_db
class TestSchedules:
    def test_a_new_go_live_date_alone_keeps_the_approval(
        self, reviewed, as_user, publisher, edit_form, reader_client
    ):
        original = ClinicalApproval.objects.get(page=reviewed)
        go_live = timezone.now() + datetime.timedelta(days=2)
        response = as_user(publisher).post(
            edit_url(reviewed),
            edit_form(
                reviewed,
                go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
                action="action-publish",
            ),
            follow=True,
        )
        assert NOT_APPROVED not in messages(response.content.decode())
        [scheduled] = Revision.objects.filter(
            object_id=str(reviewed.pk), approved_go_live_at__isnull=False
        )

        move_schedule_into_the_past(scheduled)
        call_command("publish_scheduled")

        reviewed.refresh_from_db()
        assert reviewed.live
        assert reviewed.live_revision_id == scheduled.pk
        carried = ClinicalApproval.objects.get(revision=scheduled)
        assert carried.carried_from == original
        assert carried.reviewer_name == "Prof Imogen Varga"
        assert carried.approved_at == original.approved_at
        html = reader_client.get("/articles/shingles/").content.decode()
        assert reviewed_line(html) == (
            f"Medically reviewed by Prof Imogen Varga on {long_date(original.approved_on)}"
        )

    def test_a_new_go_live_date_with_changed_text_is_not_scheduled(
        self, live_gout, as_user, publisher, edit_form, reader_client
    ):
        go_live = timezone.now() + datetime.timedelta(days=2)
        response = as_user(publisher).post(
            edit_url(live_gout),
            edit_form(
                live_gout,
                body="<p>Stop drinking water.</p>",
                go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
                action="action-publish",
            ),
            follow=True,
        )
        assert NOT_APPROVED in messages(response.content.decode())
        assert not Revision.objects.filter(
            object_id=str(live_gout.pk), approved_go_live_at__isnull=False
        ).exists()
        call_command("publish_scheduled")
        assert_live_gout_unchanged(live_gout, reader_client)

    def test_an_expiry_date_set_by_a_publisher_takes_the_article_down(
        self, reviewed, as_user, publisher, edit_form, reader_client
    ):
        expire = timezone.now() + datetime.timedelta(days=30)
        response = as_user(publisher).post(
            edit_url(reviewed),
            edit_form(
                reviewed,
                expire_at=timezone.localtime(expire).strftime("%Y-%m-%d %H:%M"),
                action="action-publish",
            ),
            follow=True,
        )
        assert NOT_APPROVED not in messages(response.content.decode())
        reviewed.refresh_from_db()
        assert reviewed.expire_at is not None
        assert reader_client.get("/articles/shingles/").status_code == 200

        # The expiry date comes.
        past = timezone.now() - datetime.timedelta(minutes=5)
        ArticlePage.objects.filter(pk=reviewed.pk).update(expire_at=past)
        call_command("publish_scheduled")

        reviewed.refresh_from_db()
        assert not reviewed.live
        assert reviewed.expired
        assert reader_client.get("/articles/shingles/").status_code == 404


# --- Overdue reviews ---------------------------------------------------------------------


def _reviewed_days_ago(article_index, author, reviewer_expert, days: int) -> ArticlePage:
    article = factories.ArticlePageFactory(
        parent=article_index,
        title="Gout",
        slug="gout",
        credits=factories.credits((CreditRole.AUTHOR, author)),
    )
    approved_at = timezone.now() - datetime.timedelta(days=days)
    factories.approve_and_publish(article, reviewer_expert, approved_at=approved_at)
    return article


@pytest.mark.django_db
class TestOverdueReview:
    def test_an_overdue_article_shows_the_notice(
        self, article_index, author, reviewer_expert, reader_client
    ):
        article = _reviewed_days_ago(article_index, author, reviewer_expert, 400)
        html = reader_client.get("/articles/gout/").content.decode()
        notice = review_notice(html)
        assert "hidden" not in notice
        assert "This page is due for review." in text(html)
        due = article.review_approval.next_review_due
        assert due < admin_today()
        assert f'data-review-due="{due.isoformat()}"' in notice

    def test_a_current_article_hides_the_notice(
        self, article_index, author, reviewer_expert, reader_client
    ):
        _reviewed_days_ago(article_index, author, reviewer_expert, 10)
        notice = review_notice(reader_client.get("/articles/gout/").content.decode())
        assert re.search(r"\shidden\b", notice)

    def test_structured_data_keeps_the_real_review_date_when_overdue(
        self, article_index, author, reviewer_expert, reader_client
    ):
        article = _reviewed_days_ago(article_index, author, reviewer_expert, 400)
        data = medical_web_page(reader_client.get("/articles/gout/").content.decode())
        assert data["lastReviewed"] == article.review_approval.approved_on.isoformat()
        assert data["reviewedBy"][0]["name"] == "Prof Imogen Varga"
