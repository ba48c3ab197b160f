"""Who may do what in the editorial workflow, as each role meets it in the admin.

Proves the data migrations (the four groups and what each may do; "Moderators" gone and
Wagtail's default workflow approved by Publishers), that every article index gets the
"Clinical review" workflow and the page permissions however it is made (and only once), that
editors write and submit but never publish, and that each role stays out of the others' areas.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowState

from consent.models import ConsentGroup
from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticleIndexPage, ArticlePage
from medical_content.review.roles import (
    EDITORIAL_CHECK,
    EDITORS,
    MEDICAL_REVIEWERS,
    PUBLISHERS,
    WORKFLOW_NAME,
    set_up_article_index,
)

PRIVACY_ADMINS = "Privacy admins"
INDEX_PERMISSIONS = {
    EDITORS: {"add_page", "change_page", "lock_page"},
    PUBLISHERS: {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
}


def page_permissions(group_name: str, page) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(group__name=group_name, page=page).values_list(
            "permission__codename", flat=True
        )
    )


def sidebar_labels(response) -> dict[str, list[str]]:
    """The admin menu as the sidebar shows it: top-level label -> labels of its sub-items."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no sidebar on the page"
    modules = json.loads(match.group(1))["modules"]
    main = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return {
        item["_args"][0]["label"]: [child["_args"][0]["label"] for child in item["_args"][1]]
        if item["_type"] == "wagtail.sidebar.SubMenuItem"
        else []
        for item in main["_args"][0]
    }


@pytest.fixture
def draft_article(article_index, author):
    """A draft article by `author` that nobody has submitted yet."""
    return factories.ArticlePageFactory(
        parent=article_index,
        title="Gout",
        slug="gout",
        live=False,
        credits=factories.credits((CreditRole.AUTHOR, author)),
        body=factories.stream_data(("paragraph", "<p>Drink water.</p>")),
    )


# --- The groups the migrations create ---------------------------------------------------


@pytest.mark.django_db
class TestGroups:
    def test_the_four_roles_exist(self):
        names = set(Group.objects.values_list("name", flat=True))
        assert {EDITORS, PUBLISHERS, MEDICAL_REVIEWERS, PRIVACY_ADMINS} <= names

    def test_publishers_may_publish_pages_and_editors_may_not(self, home, publisher, editor):
        procedure = factories.ProcedurePageFactory()
        assert procedure.permissions_for_user(publisher).can_publish()
        assert procedure.permissions_for_user(editor).can_edit()
        assert not procedure.permissions_for_user(editor).can_publish()
        assert not GroupPagePermission.objects.filter(
            group__name=EDITORS, permission__codename="publish_page"
        ).exists()

    def test_publishers_manage_staff_members_and_patient_ratings(self, publisher):
        for model in ("staffmember", "patientrating"):
            for action in ("add", "change", "delete", "view"):
                assert publisher.has_perm(f"medical_content.{action}_{model}"), (action, model)

    def test_medical_reviewers_only_enter_the_admin(self, home, reviewer):
        group = Group.objects.get(name=MEDICAL_REVIEWERS)
        held = {
            (app, codename)
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
            # Wagtail's own migrations give every admin group the read-only choosers.
            if not codename.startswith("choose_")
        }
        assert held == {("wagtailadmin", "access_admin")}
        assert not GroupPagePermission.objects.filter(group=group).exists()
        assert not home.permissions_for_user(reviewer).can_edit()

    def test_privacy_admins_have_no_page_permissions(self, draft_article, privacy_admin):
        assert not GroupPagePermission.objects.filter(group__name=PRIVACY_ADMINS).exists()
        assert not draft_article.permissions_for_user(privacy_admin).can_edit()

    def test_moderators_are_gone_and_the_default_workflow_is_approved_by_publishers(self):
        assert not Group.objects.filter(name="Moderators").exists()
        assert not Workflow.objects.filter(name="Moderators approval").exists()
        root_workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
        assert root_workflow.name == "Publisher approval"
        [task] = [task.specific for task in root_workflow.tasks]
        assert task.name == "Publisher approval"
        assert list(task.groups.values_list("name", flat=True)) == [PUBLISHERS]

    def test_clinical_review_is_an_editorial_check_then_a_clinical_review(self):
        workflow = Workflow.objects.get(name=WORKFLOW_NAME)
        steps = [
            (task.name, list(task.specific.groups.values_list("name", flat=True)))
            for task in workflow.tasks
        ]
        assert steps == [
            (EDITORIAL_CHECK, [PUBLISHERS]),
            ("Clinical review by a medical reviewer", [MEDICAL_REVIEWERS]),
        ]


# --- The article index: workflow and page permissions -----------------------------------


@pytest.mark.django_db
class TestArticleIndexSetUp:
    def assert_set_up(self, index):
        assert WorkflowPage.objects.get(page=index).workflow.name == WORKFLOW_NAME
        for group_name, codenames in INDEX_PERMISSIONS.items():
            assert page_permissions(group_name, index) == codenames, group_name
        assert page_permissions(MEDICAL_REVIEWERS, index) == set()

    def test_an_index_made_by_the_factory_is_set_up(self, article_index):
        self.assert_set_up(article_index)

    def test_an_index_made_in_the_admin_by_a_superuser_is_set_up(self, home, as_user, superuser):
        response = as_user(superuser).post(
            f"/admin/pages/add/medical_content/articleindexpage/{home.pk}/",
            {"title": "Health articles", "slug": "articles", "action-publish": "publish"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        self.assert_set_up(ArticleIndexPage.objects.get(slug="articles"))

    def test_setting_up_twice_adds_nothing(self, article_index):
        permissions = GroupPagePermission.objects.count()
        workflow_pages = WorkflowPage.objects.count()
        set_up_article_index(article_index)
        set_up_article_index(article_index)
        assert GroupPagePermission.objects.count() == permissions
        assert WorkflowPage.objects.count() == workflow_pages
        self.assert_set_up(article_index)

    def test_articles_inherit_the_clinical_review_workflow(self, draft_article):
        assert draft_article.get_workflow().name == WORKFLOW_NAME


# --- Editors: write and submit, never publish -------------------------------------------


@pytest.mark.django_db
class TestEditors:
    def test_an_editor_creates_an_article_and_submits_it_for_review(
        self, article_index, author, as_user, editor, new_article_form, client
    ):
        response = as_user(editor).post(
            f"/admin/pages/add/medical_content/articlepage/{article_index.pk}/",
            new_article_form(author, action="action-submit"),
        )
        assert response.status_code == 302
        draft_article = ArticlePage.objects.get(slug="shingles")
        assert not draft_article.live
        state = WorkflowState.objects.get(object_id=str(draft_article.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == WORKFLOW_NAME
        assert state.current_task_state.task.name == EDITORIAL_CHECK
        client.logout()
        assert client.get("/articles/shingles/").status_code == 404

    def test_the_editor_is_offered_submit_and_not_publish(self, draft_article, as_user, editor):
        html = as_user(editor).get(f"/admin/pages/{draft_article.pk}/edit/").content.decode()
        assert 'name="action-submit"' in html
        assert 'name="action-publish"' not in html

    def test_a_forged_publish_by_an_editor_leaves_an_approved_draft_unpublished(
        self, draft_article, reviewer_expert, as_user, editor, edit_form, client
    ):
        # Clinical approval is not what stops the editor here: the role is.
        factories.approve(draft_article.save_revision(), reviewer_expert)
        response = as_user(editor).post(
            f"/admin/pages/{draft_article.pk}/edit/",
            edit_form(draft_article, action="action-publish"),
        )
        assert response.status_code in (200, 302)
        draft_article.refresh_from_db()
        assert not draft_article.live
        client.logout()
        assert client.get("/articles/gout/").status_code == 404

    def test_an_editor_cannot_publish_an_approved_draft_through_bulk_actions(
        self, draft_article, reviewer_expert, as_user, editor
    ):
        factories.approve(draft_article.save_revision(), reviewer_expert)
        as_user(editor).post(
            f"/admin/bulk/wagtailcore/page/publish/?id={draft_article.pk}",
            {"include_descendants": ""},
        )
        draft_article.refresh_from_db()
        assert not draft_article.live


# --- Each role stays in its own area -----------------------------------------------------


def consent_admin_urls() -> list[str]:
    group = ConsentGroup.objects.first()
    return [
        reverse("consent_groups:index"),
        reverse("consent_groups:add"),
        reverse("consent_groups:edit", args=[group.pk]),
        reverse("consent_cookies:index"),
        reverse("consent_tags:index"),
        reverse("wagtailsettings:edit", args=["consent", "consentsettings"]),
    ]


@pytest.mark.django_db
class TestSeparationOfRoles:
    @pytest.mark.parametrize("role", ["editor", "reviewer", "publisher"])
    def test_editorial_roles_are_refused_the_consent_admin(self, role, request, as_user):
        client = as_user(request.getfixturevalue(role))
        for url in consent_admin_urls():
            response = client.get(url)
            assert response.status_code in (302, 403), url
            if response.status_code == 302:
                assert response["Location"] == reverse("wagtailadmin_home"), url
            assert 'id="w-editor-form"' not in response.content.decode(), url

    @pytest.mark.parametrize("role", ["editor", "reviewer"])
    def test_editorial_roles_cannot_add_a_cookie_group(self, role, request, as_user):
        groups = ConsentGroup.objects.count()
        as_user(request.getfixturevalue(role)).post(
            reverse("consent_groups:add"),
            {"name": "Tracking", "varname": "tracking", "purpose": "analytics", "ordering": 9},
        )
        assert ConsentGroup.objects.count() == groups

    def test_a_privacy_admin_cannot_open_or_change_an_article(
        self, draft_article, as_user, privacy_admin, edit_form
    ):
        client = as_user(privacy_admin)
        response = client.get(f"/admin/pages/{draft_article.pk}/edit/")
        assert response.status_code in (302, 403)
        assert 'id="w-editor-form"' not in response.content.decode()
        client.post(
            f"/admin/pages/{draft_article.pk}/edit/",
            edit_form(
                draft_article, body="<p>Changed by a privacy admin.</p>", action="action-submit"
            ),
        )
        draft_article.refresh_from_db()
        assert draft_article.latest_revision is None
        assert draft_article.body.raw_data[0]["value"] == "<p>Drink water.</p>"

    def test_a_privacy_admin_cannot_create_an_article(
        self, article_index, author, as_user, privacy_admin, new_article_form
    ):
        as_user(privacy_admin).post(
            f"/admin/pages/add/medical_content/articlepage/{article_index.pk}/",
            new_article_form(author, action="action-submit"),
        )
        assert not ArticlePage.objects.filter(slug="shingles").exists()

    def test_a_privacy_admin_does_not_see_the_medical_content_menu(
        self, draft_article, as_user, privacy_admin
    ):
        menu = sidebar_labels(as_user(privacy_admin).get(reverse("wagtailadmin_home")))
        assert "Cookie consent" in menu
        assert "Medical content" not in menu, menu["Medical content"]

    def test_an_editor_sees_the_medical_content_menu(self, draft_article, as_user, editor):
        menu = sidebar_labels(as_user(editor).get(reverse("wagtailadmin_home")))
        assert "Medical content" in menu
