"""Control characters in what editors type: refused with a form error on the field.

Before the fix a title with an invisible character pasted from another program (`\\x01`) was
saved, and then Wagtail's Excel downloads (site history, aging pages, the review schedule)
answered with a server error; site history stayed broken after the title was corrected,
because its log entries keep the old title. Each test posts the admin form as a browser posts
it, as an editor.
"""

import io
from importlib import import_module

import openpyxl
import pytest
from django.apps import apps
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page, PageLogEntry, get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticlePage, ExpertProfilePage, StaffMember
from safe_text.control_characters import MULTI_LINE_MESSAGE, SINGLE_LINE_MESSAGE
from tests.people import client_for

from .admin_flow import edit_url

ARTICLE = {
    "publication_date": "2026-02-01",
    "credits": inline_formset([]),
    "related_procedures": inline_formset([]),
    "body": streamfield([]),
}
EXPERT = {name: inline_formset([]) for name in ("specialties", "qualifications", "locations")}
# Every page type, the fixture of the page it is created under, and what else its create form
# posts for a draft (Wagtail checks most required fields only on publishing).
PAGE_TYPES = {
    "homepage": ("root", {}),
    "articleindexpage": ("home", {}),
    "expertindexpage": ("home", {}),
    "specialtyindexpage": ("home", {}),
    "procedureindexpage": ("home", {}),
    "articlepage": ("article_index", ARTICLE),
    "expertprofilepage": ("expert_index", EXPERT),
    "specialtypage": ("specialty_index", {}),
    "procedurepage": ("procedure_index", {}),
}
# Required even in a draft (a foreign key): the fixture whose page it names.
CHOSEN_PAGES = {"procedurepage": {"specialty": "vascular"}}
PROJECT_APPS = {"medical_content", "consent", "themes"}
UNICODE_TITLE = "Échographie — 超音波検査, تصوير بالموجات, УЗИ 🩺"


def add_url(model_name: str, parent) -> str:
    return f"/admin/pages/add/medical_content/{model_name}/{parent.pk}/"


def draft_form(**fields) -> dict:
    """A create form as "Save draft" posts it: the page "a-page"."""
    return nested_form_data({"slug": "a-page", "comments": inline_formset([]), **fields})


def field_errors(response, name: str) -> list[str]:
    return response.context["form"].errors.get(name, [])


def inline_errors(response, relation: str) -> list[dict]:
    return [form.errors for form in response.context["form"].formsets[relation].forms]


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


@pytest.fixture
def article(article_index):
    return factories.ArticlePageFactory(
        parent=article_index,
        title="Gout",
        slug="gout",
        credits=factories.credits((CreditRole.AUTHOR, factories.ExpertProfilePageFactory())),
        body=factories.stream_data(("paragraph", "<p>Drink plenty of water.</p>")),
    )


def test_every_page_type_of_the_project_is_covered():
    """A new page type must join PAGE_TYPES, so its create form is tested below."""
    project_pages = {
        model._meta.model_name
        for model in get_page_models()
        if model._meta.app_label in PROJECT_APPS
    }
    assert project_pages == set(PAGE_TYPES)


@pytest.mark.django_db
class TestPageForms:
    @pytest.mark.parametrize("model_name", PAGE_TYPES)
    def test_a_title_with_a_control_character_is_refused_on_every_create_form(
        self, request, editor_client, model_name
    ):
        parent_fixture, fields = PAGE_TYPES[model_name]
        parent = request.getfixturevalue(parent_fixture)
        for name, fixture in CHOSEN_PAGES.get(model_name, {}).items():
            fields = {**fields, name: request.getfixturevalue(fixture).pk}
        data = draft_form(title="Deep vein\x01 thrombosis", **fields)
        pages_before = Page.objects.count()

        response = editor_client.post(add_url(model_name, parent), data)

        assert response.status_code == 200
        assert response.context["form"].errors == {"title": [SINGLE_LINE_MESSAGE]}
        assert SINGLE_LINE_MESSAGE in response.content.decode()
        assert Page.objects.count() == pages_before

    def test_a_title_in_any_script_still_saves(self, editor_client, article_index):
        data = draft_form(title=UNICODE_TITLE, **ARTICLE)

        response = editor_client.post(add_url("articlepage", article_index), data)

        assert response.status_code == 302, response.context["form"].errors
        page = ArticlePage.objects.get(slug="a-page")
        assert page.draft_title == UNICODE_TITLE

    def test_editing_a_title_to_hold_a_control_character_saves_nothing(
        self, editor_client, article, edit_form
    ):
        revisions = article.revisions.count()

        response = editor_client.post(edit_url(article), edit_form(article, title="Gout\x7f"))

        assert response.status_code == 200
        assert field_errors(response, "title") == [SINGLE_LINE_MESSAGE]
        assert article.revisions.count() == revisions
        article.refresh_from_db()
        assert article.draft_title == "Gout"

    @pytest.mark.parametrize(
        ("field", "message"),
        [("seo_title", SINGLE_LINE_MESSAGE), ("search_description", MULTI_LINE_MESSAGE)],
    )
    def test_the_promote_tab_refuses_them_too(
        self, editor_client, article, edit_form, field, message
    ):
        revisions = article.revisions.count()

        response = editor_client.post(
            edit_url(article), edit_form(article, **{field: "Gout:\x1b[31m a guide"})
        )

        assert response.status_code == 200
        assert field_errors(response, field) == [message]
        assert article.revisions.count() == revisions

    def test_a_multi_line_field_keeps_line_breaks_and_tabs_but_refuses_other_controls(
        self, editor_client, article, edit_form
    ):
        refused = editor_client.post(
            edit_url(article), edit_form(article, standfirst="Swollen\x0c joints.")
        )
        assert refused.status_code == 200
        assert field_errors(refused, "standfirst") == [MULTI_LINE_MESSAGE]

        kept = editor_client.post(
            edit_url(article),
            edit_form(
                article, standfirst="Swollen joints.\r\n\tMostly the big toe.", title="Gout"
            ),
        )
        assert kept.status_code == 302
        draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision().as_object()
        assert draft.standfirst == "Swollen joints.\r\n\tMostly the big toe."

    def test_a_line_of_an_inline_panel_is_refused_on_its_row(self, editor_client, expert_index):
        specialty = factories.SpecialtyPageFactory()
        data = nested_form_data(
            {
                "title": "Dr Lena Fictus",
                "slug": "dr-lena-fictus",
                "given_name": "Lena",
                "family_name": "Fictus",
                "comments": inline_formset([]),
                "specialties": inline_formset([{"specialty": specialty.pk}]),
                "qualifications": inline_formset(
                    [{"title": "MB BS", "institution": "A medical\x02 school", "year": "2008"}]
                ),
                "locations": inline_formset([{"name": "Hill Clinic", "town": "Upton"}]),
            }
        )

        response = editor_client.post(add_url("expertprofilepage", expert_index), data)

        assert response.status_code == 200
        assert inline_errors(response, "qualifications") == [
            {"institution": [SINGLE_LINE_MESSAGE]}
        ]
        assert inline_errors(response, "locations") == [{}]
        assert not ExpertProfilePage.objects.filter(slug="dr-lena-fictus").exists()

    def test_a_line_inside_a_body_block_is_refused(self, editor_client, article_index):
        question = {"question": "Is it\x01 contagious?", "answer": rich_text("<p>Yes.</p>")}
        data = draft_form(
            title="Shingles", **{**ARTICLE, "body": streamfield([("question", question)])}
        )

        response = editor_client.post(add_url("articlepage", article_index), data)

        assert response.status_code == 200
        (error,) = response.context["form"].errors.as_data()["body"]
        assert error.as_json_data() == {
            "blockErrors": {0: {"blockErrors": {"question": {"messages": [SINGLE_LINE_MESSAGE]}}}}
        }
        assert not ArticlePage.objects.filter(slug="a-page").exists()


@pytest.mark.django_db
class TestSnippetForms:
    def test_a_staff_member_name_with_a_control_character_is_refused(self, editor_client):
        response = editor_client.post(
            "/admin/snippets/medical_content/staffmember/add/",
            {"name": "Sam\x01 Editor", "job_title": "Health content editor"},
        )

        assert response.status_code == 200
        assert field_errors(response, "name") == [SINGLE_LINE_MESSAGE]
        assert not StaffMember.objects.exists()

    def test_a_staff_member_name_in_any_script_saves(self, editor_client):
        response = editor_client.post(
            "/admin/snippets/medical_content/staffmember/add/", {"name": "Zoë Ñúñez 张伟"}
        )

        assert response.status_code == 302
        assert StaffMember.objects.get().name == "Zoë Ñúñez 张伟"


# --- Pages saved with a control character before the fix -----------------------------------


@pytest.fixture
def remove_control_characters():
    """The function the cleanup migration runs."""
    migration = import_module("medical_content.migrations.0009_remove_control_characters")
    return lambda: migration.remove_control_characters(apps, None)


@pytest.fixture
def saved_before_the_fix(article, editor):
    """The article "Gout" as it was saved before the fix: its title, and the site history's
    copy of it, hold `\\x01`; so does a staff member's name and its history."""
    ArticlePage.objects.filter(pk=article.pk).update(title="Go\x01ut", draft_title="Go\x01ut")
    article.refresh_from_db()
    log(article, "wagtail.edit", user=editor)
    staff = factories.StaffMemberFactory(name="Sam\x01 Editor")
    log(staff, "wagtail.create", user=editor)
    return article, staff


def xlsx_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.django_db
class TestCleanupMigration:
    def test_titles_and_site_history_labels_lose_their_control_characters(
        self, saved_before_the_fix, remove_control_characters
    ):
        article, _ = saved_before_the_fix
        untouched = Page.get_first_root_node().get_children().exclude(pk=article.pk).first()

        remove_control_characters()

        article.refresh_from_db()
        assert (article.title, article.draft_title) == ("Gout", "Gout")
        labels = set(PageLogEntry.objects.filter(page=article).values_list("label", flat=True))
        assert labels == {"Gout"}
        assert ModelLogEntry.objects.get(action="wagtail.create").label == "Sam Editor"
        assert Page.objects.get(pk=untouched.pk).title == untouched.title

    def test_a_line_break_in_an_old_title_becomes_a_space(
        self, article, remove_control_characters
    ):
        ArticlePage.objects.filter(pk=article.pk).update(title="Gout\nand diet")

        remove_control_characters()

        article.refresh_from_db()
        assert article.title == "Gout and diet"

    def test_site_history_downloads_as_excel_afterwards(
        self, saved_before_the_fix, remove_control_characters, admin_client
    ):
        remove_control_characters()

        response = admin_client.get("/admin/reports/site-history/?export=xlsx")

        assert response.status_code == 200
        names = {row[1] for row in xlsx_rows(response)}
        assert {"Gout", "Sam Editor"} <= names

    def test_the_review_schedule_downloads_as_excel_afterwards(
        self, saved_before_the_fix, remove_control_characters, editor
    ):
        remove_control_characters()

        response = client_for(editor).get("/admin/reports/review-schedule/?export=xlsx")

        assert response.status_code == 200
        assert "Gout" in {row[0] for row in xlsx_rows(response)}
