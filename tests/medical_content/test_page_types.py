"""Wagtail's own assertions for every page type: tree rules, rendering, preview, editing,
and creation through the admin form as an editor would submit it."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import (
    ArticleIndexPage,
    ArticlePage,
    ExpertIndexPage,
    ExpertProfilePage,
    HomePage,
    ProcedureIndexPage,
    ProcedurePage,
    SpecialtyIndexPage,
    SpecialtyPage,
)


class TestPageTreeRules(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_and_holds_the_indexes(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {ArticleIndexPage, ExpertIndexPage, SpecialtyIndexPage, ProcedureIndexPage}
        )

    def test_articles_live_only_under_the_article_index(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, {})

    def test_profiles_live_only_under_the_expert_directory(self):
        self.assertAllowedParentPageTypes(ExpertIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ExpertIndexPage, {ExpertProfilePage})
        self.assertAllowedParentPageTypes(ExpertProfilePage, {ExpertIndexPage})
        self.assertAllowedSubpageTypes(ExpertProfilePage, {})

    def test_taxonomy_pages_live_under_their_indexes(self):
        self.assertAllowedParentPageTypes(SpecialtyIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(SpecialtyIndexPage, {SpecialtyPage})
        self.assertAllowedSubpageTypes(SpecialtyPage, {})
        self.assertAllowedParentPageTypes(ProcedureIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProcedureIndexPage, {ProcedurePage})
        self.assertAllowedSubpageTypes(ProcedurePage, {})

    def test_an_article_cannot_be_created_directly_under_the_home_page(self):
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(ExpertIndexPage, ArticlePage)


class TestPagesRenderPreviewAndEdit(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = factories.ArticlePageFactory()
        cls.expert = cls.article.credits.first().expert
        cls.article_index = cls.article.get_parent().specific
        cls.expert_index = cls.expert.get_parent().specific
        cls.home = cls.article_index.get_parent().specific
        cls.procedure = factories.ProcedurePageFactory()
        cls.specialty = cls.procedure.specialty
        cls.procedure_index = cls.procedure.get_parent().specific
        cls.specialty_index = cls.specialty.get_parent().specific

    def setUp(self):
        self.user = self.login()

    def test_every_page_renders_is_editable_and_previewable(self):
        pages = (
            self.home,
            self.article_index,
            self.article,
            self.expert_index,
            self.expert,
            self.specialty_index,
            self.specialty,
            self.procedure_index,
            self.procedure,
        )
        for page in pages:
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)
                if page is not self.article:
                    self.assertPageIsPreviewable(page)
                    self.assertPageIsEditable(page)

    def test_article_is_editable_and_previewable_in_the_site_theme(self):
        # Wagtail cannot read a StreamField's values back from the edit form's HTML (the
        # widget is built by JavaScript), so the test posts what the browser would send.
        post_data = self._article_form_data()
        self.assertPageIsEditable(self.article, post_data=post_data)
        self.assertPageIsPreviewable(self.article, post_data=post_data)

        self.client.force_login(self.user)  # the assertions above log their own user out
        preview_url = f"/admin/pages/{self.article.pk}/edit/preview/"
        self.client.post(preview_url, post_data)
        preview = self.client.get(preview_url)
        self.assertContains(preview, "Edited in the admin.")
        self.assertContains(preview, f'Written by <a href="{self.expert.url}">')
        self.assertContains(preview, 'class="site-header"')
        # The related procedure chosen in the form, not yet saved anywhere, is in the preview.
        self.assertContains(preview, f'<li><a href="{self.procedure.url}">{self.procedure.title}')

    def _article_form_data(self) -> dict:
        credit = self.article.credits.get()
        return nested_form_data(
            {
                "title": self.article.title,
                "slug": self.article.slug,
                "standfirst": self.article.standfirst,
                "publication_date": "2026-01-10",
                "last_reviewed": "2026-01-10",
                "next_review_due": "2027-01-10",
                "credits": inline_formset(
                    [
                        {
                            "id": credit.pk,
                            "role": credit.role,
                            "expert": credit.expert_id,
                            "staff": "",
                        }
                    ],
                    initial=1,
                ),
                "body": streamfield([("paragraph", rich_text("<p>Edited in the admin.</p>"))]),
                "related_procedures": inline_formset([{"procedure": self.procedure.pk}]),
            }
        )


class TestEditorsCreatePagesInTheAdmin(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article_index = factories.ArticleIndexPageFactory()
        cls.expert_index = factories.ExpertIndexPageFactory()
        cls.expert = factories.ExpertProfilePageFactory(parent=cls.expert_index)
        cls.staff = factories.StaffMemberFactory(name="Sam Editor")
        cls.specialty = factories.SpecialtyPageFactory(title="Dermatology")

    def setUp(self):
        self.login()

    def test_editor_can_create_an_article_with_credits_and_a_question(self):
        self.assertCanCreate(
            self.article_index,
            ArticlePage,
            nested_form_data(
                {
                    "title": "Chilblains",
                    "standfirst": "Small itchy swellings that appear after cold.",
                    "publication_date": "2026-01-10",
                    "last_reviewed": "2026-01-10",
                    "next_review_due": "2027-01-10",
                    "related_procedures": inline_formset([]),
                    "credits": inline_formset(
                        [
                            {"role": CreditRole.AUTHOR, "expert": self.expert.pk, "staff": ""},
                            {"role": CreditRole.EDITOR, "expert": "", "staff": self.staff.pk},
                        ]
                    ),
                    "body": streamfield(
                        [
                            (
                                "question",
                                {
                                    "question": "What are chilblains?",
                                    "answer": rich_text("<p>Swellings caused by cold.</p>"),
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        article = ArticlePage.objects.get(slug="chilblains")
        self.assertTrue(article.live)
        self.assertEqual(
            [(c.role, c.name) for c in article.credits.all()],
            [(CreditRole.AUTHOR, self.expert.full_name), (CreditRole.EDITOR, "Sam Editor")],
        )

    def test_editor_can_create_a_procedure_with_synonyms(self):
        procedure_index = factories.ProcedureIndexPageFactory()
        condition = factories.ProcedurePageFactory(
            parent=procedure_index, kind="condition", specialty=self.specialty
        )
        data = nested_form_data(
            {
                "title": "Skin biopsy",
                "kind": "diagnostic_test",
                "specialty": self.specialty.pk,
                "summary": "Taking a small piece of skin to look at under a microscope.",
                "synonyms": "punch biopsy",
            }
        )
        data["related_conditions"] = [condition.pk]  # a multiple choice: one key, many values
        self.assertCanCreate(procedure_index, ProcedurePage, data)
        procedure = ProcedurePage.objects.get(slug="skin-biopsy")
        self.assertEqual(list(procedure.related_conditions.all()), [condition])

    def test_editor_can_create_a_specialty(self):
        self.assertCanCreate(
            self.specialty.get_parent().specific,
            SpecialtyPage,
            nested_form_data({"title": "Rheumatology", "summary": "Joints and muscles."}),
        )

    def test_editor_can_create_an_expert_profile(self):
        self.assertCanCreate(
            self.expert_index,
            ExpertProfilePage,
            nested_form_data(
                {
                    "title": "Dr Lena Fictus",
                    "honorific": "Dr",
                    "given_name": "Lena",
                    "family_name": "Fictus",
                    "job_title": "Consultant dermatologist",
                    "short_bio": "Treats skin conditions in adults.",
                    "bio": rich_text("<p>A fictional dermatologist.</p>"),
                    "specialties": inline_formset([{"specialty": self.specialty.pk}]),
                    "qualifications": inline_formset(
                        [{"title": "MB BS", "institution": "A medical school", "year": "2008"}]
                    ),
                    "locations": inline_formset([{"name": "Hill Clinic", "town": "Upton"}]),
                    "registration_body": "A medical council",
                    "registration_number": "X-1",
                    "languages": "English",
                }
            ),
        )
        expert = ExpertProfilePage.objects.get(slug="dr-lena-fictus")
        self.assertEqual(expert.primary_specialty, self.specialty)


class TestPreviewingNewPages(WagtailPageTestCase):
    """Wagtail's "add page" preview renders a page that has never been saved (no id)."""

    @classmethod
    def setUpTestData(cls):
        cls.procedure = factories.ProcedurePageFactory()
        cls.expert_index = factories.ExpertIndexPageFactory()

    def setUp(self):
        self.login()

    def _preview_new(self, parent, model, data) -> str:
        url = f"/admin/pages/add/medical_content/{model._meta.model_name}/{parent.pk}/preview/"
        response = self.client.post(url, nested_form_data(data))
        self.assertJSONEqual(response.content, {"is_valid": True, "is_available": True})
        return self.client.get(url).content.decode()

    def test_new_expert_specialty_and_procedure_pages_preview(self):
        specialty = self.procedure.specialty
        html = self._preview_new(
            self.expert_index,
            ExpertProfilePage,
            {
                "title": "Dr New Person",
                "given_name": "New",
                "family_name": "Person",
                "job_title": "Consultant",
                "short_bio": "Not saved yet.",
                "specialties": inline_formset([{"specialty": specialty.pk}]),
                "qualifications": inline_formset([]),
                "locations": inline_formset([]),
            },
        )
        self.assertIn("has not written any articles yet", html)
        html = self._preview_new(
            specialty.get_parent(), SpecialtyPage, {"title": "Allergy", "summary": "Allergies."}
        )
        self.assertIn("<h1>Allergy</h1>", html)
        html = self._preview_new(
            self.procedure.get_parent(),
            ProcedurePage,
            {
                "title": "Patch test",
                "kind": "diagnostic_test",
                "specialty": specialty.pk,
                "summary": "Testing skin for allergies.",
            },
        )
        self.assertIn("<h1>Patch test</h1>", html)
