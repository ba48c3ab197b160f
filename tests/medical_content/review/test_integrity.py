"""Regression tests for the holes a review found in the clinical review workflow.

Each test follows what the people involved do in the admin (an editor writes and submits, a
publisher passes the editorial check, a medical reviewer approves) and says in its docstring
what someone met before the fix. Between them they prove that an approval covers exactly the
content a clinician approved, no more (not an edit made while approving, not content a later
review replaced, not a revision rewritten by autosave), that nobody extends a review period
or passes their own editorial check, and that old data (a passed review date, the typed
"medical reviewer" credit, a login kept in a profile's draft, a pre-upgrade database) neither
breaks a page nor loses its review.
"""

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticlePage, ClinicalApproval, ExpertProfilePage
from medical_content.review.roles import (
    CLINICAL_REVIEW,
    EDITORIAL_CHECK,
    PUBLISHERS,
    WORKFLOW_NAME,
)
from medical_content.review.rules import fingerprint
from tests.people import make_user

from ..admin_flow import current_task, edit_url, messages, text, workflow_action_url

NOT_APPROVED = "This version has not passed clinical review, so it cannot be published."
NOT_IN_FUTURE = "The next review must be in the future."
SELF_SUBMITTED = "You submitted this article for review, so another publisher must check it."
NO_PERMISSION = "you do not have permission"
APPROVE_BUTTON = 'data-workflow-action-name="approve"'
REVIEWED_BY = "Medically reviewed by"


# --- Helpers (as in test_workflow.py) --------------------------------------------------


def revert_url(page, revision) -> str:
    return f"/admin/pages/{page.pk}/revisions/{revision.pk}/revert/"


def fresh(page) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def another_publisher(db):
    return make_user("publisher-2", PUBLISHERS)


# --- 1. A next review date that has since passed -----------------------------------------


def _overdue_gout(article_index, author, reviewer_expert) -> ArticlePage:
    """Approved 400 days ago, live, with an editor-chosen next review 35 days ago: stored on
    the page and its revision as a database from before the form check holds it."""
    passed = today() - datetime.timedelta(days=35)
    article = factories.ArticlePageFactory(
        parent=article_index,
        title="Gout",
        slug="gout",
        next_review_due=passed,
        credits=factories.credits((CreditRole.AUTHOR, author)),
        body=factories.stream_data(("paragraph", "<p>Drink plenty of water.</p>")),
    )
    approved_at = timezone.now() - datetime.timedelta(days=400)
    factories.approve_and_publish(article, reviewer_expert, approved_at=approved_at)
    article = fresh(article)
    assert article.live_revision.as_object().next_review_due == passed
    return article


@pytest.mark.django_db
class TestPassedReviewDate:
    def test_an_overdue_article_in_review_is_published_with_a_new_period(
        self, article_index, author, reviewer_expert, as_user, editor, publisher, reviewer
    ):
        """Before: the reviewer's Approve on an overdue article whose chosen date had passed
        was a server error (the model's clean ran on publishing), so it could never be
        re-reviewed. The revision here keeps its passed date, as one submitted before the
        upgrade does."""
        article = _overdue_gout(article_index, author, reviewer_expert)
        workflow = article.get_workflow()
        assert workflow.name == WORKFLOW_NAME
        workflow.start(article, editor)
        as_user(publisher).post(workflow_action_url(article), {"comment": ""})
        assert current_task(article) == CLINICAL_REVIEW

        response = as_user(reviewer).post(workflow_action_url(article), {"comment": "Current."})

        assert response.status_code == 302
        article = fresh(article)
        assert article.live
        assert current_task(article) is None
        approval = article.review_approval
        assert approval.revision_id == article.live_revision_id
        assert approval.approved_on == today()
        assert approval.next_review_due == today() + datetime.timedelta(days=365)

    def test_an_overdue_article_submitted_unchanged_is_re_reviewed(
        self,
        article_index,
        author,
        reviewer_expert,
        as_user,
        editor,
        publisher,
        reviewer,
        edit_form,
    ):
        """Before: a server error when the reviewer approved. The editor submits the article
        as the editor shows it, passed date included."""
        article = _overdue_gout(article_index, author, reviewer_expert)
        response = as_user(editor).post(
            edit_url(article), edit_form(article, action="action-submit")
        )
        assert response.status_code == 302, messages(response.content.decode())
        as_user(publisher).post(workflow_action_url(article), {"comment": ""})
        response = as_user(reviewer).post(workflow_action_url(article), {"comment": "Current."})
        assert response.status_code == 302
        article = fresh(article)
        assert article.live
        assert article.review_approval.approved_on == today()
        assert article.review_approval.next_review_due == today() + datetime.timedelta(days=365)

    @pytest.mark.parametrize("days", [-1, 0])
    def test_the_form_refuses_a_date_not_in_the_future(
        self, article_index, author, reviewer_expert, as_user, editor, edit_form, days
    ):
        """The check the model used to make on publishing is made where the editor chooses
        the date (here after the last review, a year ago, but not after today)."""
        article = _overdue_gout(article_index, author, reviewer_expert)
        revisions = article.revisions.count()
        day = today() + datetime.timedelta(days=days)
        response = as_user(editor).post(
            edit_url(article),
            edit_form(article, next_review_due=day.isoformat(), action="action-submit"),
        )
        assert response.status_code == 200
        assert NOT_IN_FUTURE in text(response.content.decode())
        assert article.revisions.count() == revisions
        assert current_task(article) is None


# --- 2. Approving from the editor together with a change ---------------------------------


@pytest.mark.django_db
def test_approving_with_a_change_approves_neither_version(
    at_clinical_review, as_user, reviewer, publisher, edit_form, reader_client
):
    """Before: a reviewer who corrected a dose and clicked Approve in the editor recorded an
    approval of the uncorrected version, which a publisher could then restore and publish:
    readers got the wrong dose marked "Medically reviewed". (Since finding 11 the editor is
    read-only to reviewers, and the change is refused outright.)"""
    article = at_clinical_review()
    submitted = article.get_latest_revision()

    response = as_user(reviewer).post(
        edit_url(article),
        edit_form(
            article,
            body="<p>Take 10mg only.</p>",
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        ),
    )

    assert response.status_code == 200
    assert not ClinicalApproval.objects.filter(page=article).exists()
    assert fresh(article).get_latest_revision().pk == submitted.pk
    assert current_task(article) == CLINICAL_REVIEW
    # A publisher restores the submitted version and presses Publish.
    client = as_user(publisher)
    client.post(
        revert_url(article, submitted),
        edit_form(article, revision=submitted, action="action-publish"),
    )
    response = client.post(edit_url(article), edit_form(article, action="action-publish"))
    assert response.status_code in (200, 302)
    assert not fresh(article).live
    assert not ClinicalApproval.objects.filter(page=article).exists()
    assert reader_client.get("/articles/shingles/").status_code == 404


# --- 3. A superseded approval ------------------------------------------------------------


@pytest.mark.django_db
def test_an_approval_replaced_by_a_later_review_does_not_cover_the_old_content(
    reviewed, as_user, publisher, another_publisher, reviewer, edit_form, reader_client
):
    """Before: after a second review added a warning, a publisher could restore the first
    version and publish it: its old approval still counted, so readers lost the warning on a
    page marked "Medically reviewed" with the new date."""
    first = reviewed.live_revision
    as_user(publisher).post(
        edit_url(reviewed),
        edit_form(
            reviewed,
            body="<p>Rest, fluids and paracetamol. Do not take ibuprofen.</p>",
            action="action-submit",
        ),
    )
    as_user(another_publisher).post(workflow_action_url(reviewed), {"comment": ""})
    as_user(reviewer).post(workflow_action_url(reviewed), {"comment": "Warning added."})
    second = fresh(reviewed).live_revision
    assert second.pk != first.pk
    assert "Do not take ibuprofen." in reader_client.get("/articles/shingles/").content.decode()

    client = as_user(publisher)
    response = client.post(
        revert_url(reviewed, first),
        edit_form(reviewed, revision=first, action="action-publish"),
        follow=True,
    )
    assert NOT_APPROVED in messages(response.content.decode())
    response = client.post(
        edit_url(reviewed), edit_form(reviewed, action="action-publish"), follow=True
    )

    article = fresh(reviewed)
    assert article.live_revision_id == second.pk
    assert article.review_approval.revision_id == second.pk
    html = reader_client.get("/articles/shingles/").content.decode()
    assert "Do not take ibuprofen." in html
    assert ClinicalApproval.objects.covering(first) is None


# --- 4. The next review date without a clinician -----------------------------------------


@pytest.mark.django_db
class TestPublisherChangesTheNextReview:
    def test_pushing_the_review_back_keeps_the_reviewers_date(
        self, reviewed, as_user, publisher, edit_form
    ):
        """Before: a publisher could change only the next review date to 2099 and publish
        (same clinical content, so allowed): readers were told an article was current for
        decades on a review nobody made."""
        original = reviewed.review_approval
        response = as_user(publisher).post(
            edit_url(reviewed),
            edit_form(reviewed, next_review_due="2099-01-01", action="action-publish"),
            follow=True,
        )
        assert NOT_APPROVED not in messages(response.content.decode())
        article = fresh(reviewed)
        assert article.live_revision_id != original.revision_id
        carried = article.review_approval
        assert carried.carried_from_id == original.pk
        assert carried.next_review_due == original.next_review_due
        assert carried.next_review_due <= today() + datetime.timedelta(days=365)

    def test_bringing_the_review_forward_is_kept(self, reviewed, as_user, publisher, edit_form):
        sooner = today() + datetime.timedelta(days=30)
        as_user(publisher).post(
            edit_url(reviewed),
            edit_form(reviewed, next_review_due=sooner.isoformat(), action="action-publish"),
        )
        assert fresh(reviewed).review_approval.next_review_due == sooner


# --- 5. Autosave overwriting an approved or reviewed revision ----------------------------


def autosave(client, page, form: dict, revision: Revision):
    """What Wagtail 8's autosave posts: the form, rewriting the latest revision in place."""
    form = {**form, "overwrite_revision_id": str(revision.pk)}
    return client.post(edit_url(page), form, headers={"accept": "application/json"})


@pytest.mark.django_db
class TestAutosave:
    def test_autosave_never_rewrites_the_live_approved_revision(
        self, reviewed, as_user, editor, superuser, edit_form, reader_client
    ):
        """Before: the editor's autosave rewrote the live, approved revision in place, so the
        approval (and any later publish of it, here a superuser's) showed "Medically reviewed
        by" on text no reviewer had read."""
        approved = reviewed.live_revision
        approval = reviewed.review_approval
        assert approved.user == editor

        response = autosave(
            as_user(editor),
            reviewed,
            edit_form(reviewed, body="<p>Stop all fluids.</p>"),
            approved,
        )

        assert response.status_code == 200
        saved = response.json()
        assert saved["success"]
        assert saved["revision_id"] != approved.pk
        approved.refresh_from_db()
        assert "Stop all fluids." not in json.dumps(approved.content)
        assert fingerprint(approved.content) == approval.fingerprint

        response = as_user(superuser).post(
            f"/admin/api/main/pages/{reviewed.pk}/action/publish/",
            data="{}",
            content_type="application/json",
        )
        assert response.status_code == 200
        html = reader_client.get("/articles/shingles/").content.decode()
        assert "Stop all fluids." in html
        assert REVIEWED_BY not in html

    def test_autosave_never_rewrites_the_revision_under_review(
        self, submit, author, publisher, as_user, edit_form
    ):
        """Before: the submitter's autosave rewrote the revision the editorial check was given,
        so the check was passed on text its checker never saw."""
        article = submit(author, by=publisher)
        submitted = article.get_latest_revision()
        content = json.dumps(submitted.content)

        response = autosave(
            as_user(publisher),
            article,
            edit_form(article, body="<p>Stop all fluids.</p>"),
            submitted,
        )

        assert response.status_code == 200
        assert response.json()["revision_id"] != submitted.pk
        submitted.refresh_from_db()
        assert json.dumps(submitted.content) == content
        assert fresh(article).get_latest_revision().pk != submitted.pk


# --- 6. Old revisions with the typed "medical reviewer" credit ---------------------------


@pytest.mark.django_db
def test_a_revision_with_a_typed_medical_reviewer_credit_still_renders(
    live_gout, as_user, publisher, reviewer_expert
):
    """Before: a server error in the revision view and the draft preview of any revision
    saved before the typed credit was removed (its role no longer exists)."""
    content = dict(live_gout.live_revision.content)
    content["credits"] = [
        *content["credits"],
        {
            "pk": None,
            "page": live_gout.pk,
            "sort_order": 1,
            "role": "medical_reviewer",
            "expert": reviewer_expert.pk,
            "staff": None,
        },
    ]
    legacy = Revision.objects.create(
        content_object=live_gout,
        base_content_type=live_gout.get_base_content_type(),
        content=content,
        object_str="Gout",
    )
    ArticlePage.objects.filter(pk=live_gout.pk).update(
        latest_revision=legacy, has_unpublished_changes=True
    )
    client = as_user(publisher)

    for url in (
        f"/admin/pages/{live_gout.pk}/revisions/{legacy.pk}/view/",
        f"/admin/pages/{live_gout.pk}/view_draft/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Drink plenty of water." in html
        assert "Dr Ada Okafor" in html


# --- 7. Fingerprints: what the admin adds does not count, what readers see does ----------


@pytest.mark.django_db
class TestFingerprint:
    def test_a_date_only_change_to_a_factory_made_article_can_be_published(
        self, live_gout, as_user, publisher, edit_form, reader_client
    ):
        """Before: an article made by the factories (demo data, imports) differed from the
        same article saved by the editor (Draftail's block keys, block ids), so a publisher
        changing only its next review date was told it had not passed clinical review."""
        approved = live_gout.live_revision
        sooner = today() + datetime.timedelta(days=30)
        response = as_user(publisher).post(
            edit_url(live_gout),
            edit_form(live_gout, next_review_due=sooner.isoformat(), action="action-publish"),
            follow=True,
        )
        assert NOT_APPROVED not in messages(response.content.decode())
        article = fresh(live_gout)
        saved = article.live_revision
        assert saved.pk != approved.pk
        # The editor did add its bookkeeping; it does not count.
        assert "data-block-key" in json.dumps(saved.content)
        assert "data-block-key" not in json.dumps(approved.content)
        assert fingerprint(saved.content) == fingerprint(approved.content)
        assert article.review_approval.next_review_due == sooner
        assert REVIEWED_BY in reader_client.get("/articles/gout/").content.decode()

    @pytest.fixture
    def content(self, article_index, author, reviewer_expert) -> dict:
        """A factory article's stored content: a question and answer, two credits."""
        article = factories.ArticlePageFactory(
            parent=article_index,
            title="Gout",
            slug="gout",
            credits=factories.credits(
                (CreditRole.AUTHOR, author), (CreditRole.AUTHOR, reviewer_expert)
            ),
        )
        return Revision.objects.get(pk=article.save_revision().pk).content

    def test_an_unchanged_copy_fingerprints_the_same(self, content):
        copy = json.loads(json.dumps(content))
        copy["credits"] = [{**row, "pk": None} for row in copy["credits"]]
        body = json.loads(copy["body"])
        body[0]["id"] = "0c7e9a4f-21b3-4b2e-9d31-7c1f3c6f2a10"
        body[0]["value"]["answer"] = '<p data-block-key="x1y2z">A short answer.</p>'
        copy["body"] = json.dumps(body)
        assert fingerprint(copy) == fingerprint(content)

    def _answer(self, content: dict, answer: str) -> dict:
        body = json.loads(content["body"])
        assert body[0]["value"]["answer"] == "<p>A short answer.</p>"
        body[0]["value"]["answer"] = answer
        return {**content, "body": json.dumps(body)}

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(lambda c, t: t._answer(c, "<p>A short answer!</p>"), id="answer"),
            pytest.param(
                lambda c, t: t._answer(c, '<p data-block-key="a">A short answer!</p>'),
                id="answer-saved-by-the-editor",
            ),
            pytest.param(
                lambda c, t: {
                    **c,
                    "credits": [
                        {**row, "sort_order": i} for i, row in enumerate(reversed(c["credits"]))
                    ],
                },
                id="credit-order",
            ),
            pytest.param(lambda c, t: {**c, "title": "Gout!"}, id="title"),
            pytest.param(lambda c, t: {**c, "slug": "gout-2"}, id="slug"),
        ],
    )
    def test_a_change_readers_can_see_fingerprints_differently(self, content, change):
        assert fingerprint(change(content, self)) != fingerprint(content)


# --- 8. The expert profile's login link ---------------------------------------------------


def profile_form(profile: ExpertProfilePage, action=None, **fields) -> dict:
    """The expert profile editor's form for the profile as stored, as a browser posts it."""
    values = {
        "title": profile.title,
        "slug": profile.slug,
        "honorific": profile.honorific,
        "given_name": profile.given_name,
        "family_name": profile.family_name,
        "job_title": profile.job_title,
        "photo": "",
        "short_bio": profile.short_bio,
        "bio": rich_text(profile.bio or "<p>A consultant.</p>"),
        "registration_body": profile.registration_body,
        "registration_number": profile.registration_number,
        "languages": profile.languages,
        "seo_title": profile.seo_title,
        "search_description": profile.search_description,
        "go_live_at": "",
        "expire_at": "",
        "user": profile.user_id or "",
        **fields,
    }
    if action:
        values[action] = action
    specialties = inline_formset(
        [{"id": row.pk, "specialty": row.specialty_id} for row in profile.specialties.all()],
        initial=profile.specialties.count(),
    )
    for index in range(profile.specialties.count()):
        specialties[str(index)]["ORDER"] = str(index + 1)
    return nested_form_data(
        {
            **values,
            "specialties": specialties,
            "qualifications": inline_formset([]),
            "locations": inline_formset([]),
            "comments": inline_formset([]),
        }
    )


@pytest.mark.django_db
class TestExpertLogin:
    @pytest.fixture
    def unlinked_login(self, db):
        return make_user("dr-u")

    @pytest.fixture
    def draft_then_moved(self, expert_index, unlinked_login):
        """Profile A has a draft linking login U (saved before the link became an account
        setting); U has since been linked to profile B, which is live."""
        a = factories.ExpertProfilePageFactory(parent=expert_index, title="Dr A")
        a.save_revision().publish()
        b = factories.ExpertProfilePageFactory(parent=expert_index, title="Dr B")
        b.save_revision().publish()
        a = ExpertProfilePage.objects.get(pk=a.pk)
        a.user = unlinked_login
        a.save_revision()
        b = ExpertProfilePage.objects.get(pk=b.pk)
        b.user = unlinked_login
        b.save_revision().publish()
        return ExpertProfilePage.objects.get(pk=a.pk), ExpertProfilePage.objects.get(pk=b.pk)

    def _assert_link_unchanged(self, a, b, unlinked_login):
        a.refresh_from_db()
        b.refresh_from_db()
        assert a.live and not a.has_unpublished_changes
        assert a.user_id is None
        assert b.user_id == unlinked_login.pk

    def test_publishing_an_old_draft_never_takes_a_login_back(
        self, draft_then_moved, unlinked_login
    ):
        """Before: publishing profile A's old draft tried to link U to A as well (an
        integrity error), or took it from the reviewer's current profile."""
        a, b = draft_then_moved
        a.get_latest_revision().publish()
        self._assert_link_unchanged(a, b, unlinked_login)

    def test_bulk_publishing_an_old_draft_never_takes_a_login_back(
        self, draft_then_moved, unlinked_login, as_user, superuser
    ):
        """Before: a server error from the admin's bulk publish."""
        a, b = draft_then_moved
        response = as_user(superuser).post(
            f"/admin/bulk/wagtailcore/page/publish/?id={a.pk}", {"include_descendants": ""}
        )
        assert response.status_code in (200, 302)
        self._assert_link_unchanged(a, b, unlinked_login)

    def test_linking_a_login_takes_effect_without_publishing(
        self, reviewer_expert, unlinked_login, as_user, superuser
    ):
        """Before: on a live profile the link waited in a draft until someone published the
        profile, so the new reviewer was refused as "not linked" meanwhile."""
        reviewer_expert.save_revision().publish()
        response = as_user(superuser).post(
            edit_url(reviewer_expert), profile_form(reviewer_expert, user=unlinked_login.pk)
        )
        assert response.status_code == 302, text(response.content.decode())[:2000]
        reviewer_expert.refresh_from_db()
        assert reviewer_expert.user_id == unlinked_login.pk
        assert reviewer_expert.has_unpublished_changes

    def test_a_login_linked_elsewhere_is_refused_with_a_message(
        self, expert_index, reviewer_expert, reviewer, as_user, superuser
    ):
        other = factories.ExpertProfilePageFactory(parent=expert_index, title="Dr Other")
        response = as_user(superuser).post(edit_url(other), profile_form(other, user=reviewer.pk))
        assert response.status_code == 200
        assert "This login is already linked to Prof Imogen Varga." in text(
            response.content.decode()
        )
        other.refresh_from_db()
        assert other.user_id is None

    def test_only_people_who_manage_logins_see_the_field(
        self, reviewer_expert, unlinked_login, as_user, editor, superuser
    ):
        url = edit_url(reviewer_expert)
        assert 'name="user"' in as_user(superuser).get(url).content.decode()
        client = as_user(editor)
        assert 'name="user"' not in client.get(url).content.decode()
        # A forged field from an editor is ignored.
        response = client.post(url, profile_form(reviewer_expert, user=unlinked_login.pk))
        assert response.status_code == 302
        reviewer_expert.refresh_from_db()
        assert reviewer_expert.user_id is None


# --- 9. Passing the editorial check of one's own submission -------------------------------


@pytest.mark.django_db
def test_whoever_submitted_cannot_pass_the_editorial_check(
    submit, author, as_user, publisher, another_publisher
):
    """Before: a publisher could write an article, submit it and pass its editorial check
    themselves: the check a second person makes was skipped."""
    article = submit(author, by=publisher)
    assert current_task(article) == EDITORIAL_CHECK
    client = as_user(publisher)

    html = client.get(edit_url(article)).content.decode()
    assert APPROVE_BUTTON not in html
    assert SELF_SUBMITTED in messages(html)

    response = client.post(workflow_action_url(article), {"comment": ""})
    assert response.status_code == 302
    refused = client.get(response["Location"])
    assert refused.status_code == 200
    assert NO_PERMISSION in messages(refused.content.decode())
    assert current_task(article) == EDITORIAL_CHECK

    colleague = as_user(another_publisher)
    assert APPROVE_BUTTON in colleague.get(edit_url(article)).content.decode()
    response = colleague.post(workflow_action_url(article), {"comment": ""})
    assert response.status_code == 302
    assert current_task(article) == CLINICAL_REVIEW


# --- 10. Migration 0004 on a database from before it --------------------------------------

BEFORE_0004 = ("medical_content", "0003_clinical_review_records")
REVIEWED_ON = datetime.date(2026, 3, 4)


def _page(apps, model: str, path: str, **fields):
    """A live page made with historical models: a child of the root, by hand."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Locale = apps.get_model("wagtailcore", "Locale")
    content_type, _ = ContentType.objects.get_or_create(app_label="medical_content", model=model)
    return apps.get_model("medical_content", model).objects.create(
        path=path,
        depth=2,
        numchild=0,
        url_path=f"/{fields['slug']}/",
        draft_title=fields["title"],
        live=True,
        content_type=content_type,
        locale=Locale.objects.first(),
        **fields,
    )


def _old_site(apps) -> tuple[int, int]:
    """A live article whose editors typed its medical reviewer and review date, and a login
    in Wagtail's "Moderators" group. Returns the article's and the login's ids."""
    expert = _page(
        apps,
        "expertprofilepage",
        "0001ZZZY",
        title="Prof Imogen Varga",
        slug="imogen-varga",
        honorific="Prof",
        given_name="Imogen",
        family_name="Varga",
        job_title="Consultant rheumatologist",
        short_bio="A rheumatologist.",
    )
    body = json.dumps([{"type": "paragraph", "value": "<p>Drink plenty of water.</p>"}])
    article = _page(
        apps,
        "articlepage",
        "0001ZZZZ",
        title="Gout",
        slug="gout",
        standfirst="Painful joints.",
        body=body,
        last_reviewed=REVIEWED_ON,
    )
    apps.get_model("medical_content", "ArticleCredit").objects.create(
        page=article, role="medical_reviewer", expert=expert, sort_order=0
    )
    Revision = apps.get_model("wagtailcore", "Revision")
    revision = Revision.objects.create(
        content_type_id=article.content_type_id,
        base_content_type_id=article.content_type_id,
        object_id=str(article.pk),
        object_str="Gout",
        created_at=timezone.now(),
        content={"title": "Gout", "slug": "gout", "standfirst": "Painful joints.", "body": body},
    )
    article.live_revision = revision
    article.latest_revision = revision
    article.save()
    moderators = apps.get_model("auth", "Group").objects.create(name="Moderators")
    user = apps.get_model("auth", "User").objects.create(username="old-moderator")
    user.groups.add(moderators)
    return article.pk, user.pk


def _migrate(target: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_0004_keeps_typed_reviews_and_moderators(django_user_model):
    """Before: upgrading deleted the typed "medical reviewer" credits, so every live article
    lost "Medically reviewed by" (and could not be republished without a new review), and
    Wagtail's Moderators kept a group with no workflow, losing their publishing role."""
    try:
        old = _migrate([BEFORE_0004]).loader.project_state([BEFORE_0004]).apps
        article_id, user_id = _old_site(old)
    finally:
        # Forward to the latest migrations, even after a failure: other tests need them.
        _migrate()

    article = ArticlePage.objects.get(pk=article_id)
    approval = article.review_approval
    assert approval is not None
    assert approval.revision_id == article.live_revision_id
    assert approval.reviewer is None
    assert approval.expert.title == "Prof Imogen Varga"
    assert approval.reviewer_name == "Prof Imogen Varga"
    assert approval.approved_on == REVIEWED_ON
    assert approval.comment.startswith("Imported")
    assert ClinicalApproval.objects.covering(article.live_revision) == approval
    assert not article.credits.exists()
    user = django_user_model.objects.get(pk=user_id)
    assert list(user.groups.values_list("name", flat=True)) == [PUBLISHERS]
    assert not user.groups.model.objects.filter(name="Moderators").exists()
