"""Specialties, procedures and the A-Z: what readers see, and related procedures on articles."""

import pytest

from medical_content import factories
from medical_content.choices import CreditRole, ProcedureKind
from medical_content.factories import credits, related_procedures, specialties
from medical_content.models import ArticlePage, ArticleProcedure
from tests.queries import warm_query_count

# Warm counts, with kept routes (page_cache.routes): an article at most 8 (7, and one for the
# images in its body); a specialty page 8; a procedure page 9 (whatever the list sizes). They
# were 12, 12 and 13 when each view found its site and walked the page tree.
ARTICLE_QUERY_BUDGET = 8
SPECIALTY_PAGE_QUERY_BUDGET = 8
PROCEDURE_PAGE_QUERY_BUDGET = 9

# A known bug, reported with a proposed patch: the tests marked with it fail until it is fixed.


def _section(html: str, heading_id: str) -> str:
    """The <section> labelled by `heading_id`, so a test can say where a link appears."""
    start = html.index(f'<section aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _related_section(html: str) -> str:
    start = html.index('<section class="related"')
    return html[start : html.index("</section>", start)]


def _article(parent, vein_surgeon, title, **kwargs) -> ArticlePage:
    return factories.ArticlePageFactory(
        parent=parent, title=title, credits=credits((CreditRole.AUTHOR, vein_surgeon)), **kwargs
    )


@pytest.mark.django_db
class TestStableUrls:
    def test_specialty_and_procedure_pages_live_under_their_sections(self, client, vascular, evla):
        assert vascular.url == "/specialties/vascular-surgery/"
        assert evla.url == "/procedures/endovenous-laser-ablation/"
        assert client.get("/specialties/vascular-surgery/").status_code == 200
        assert client.get("/procedures/endovenous-laser-ablation/").status_code == 200

    def test_unpublished_procedure_gives_404(self, client, evla):
        evla.unpublish()
        response = client.get("/procedures/endovenous-laser-ablation/")
        assert response.status_code == 404
        assert "Endovenous laser ablation" not in response.content.decode()


@pytest.mark.django_db
class TestSpecialtyPage:
    def test_lists_its_live_procedures_only(
        self, client, vascular, cardiology, procedure_index, evla, varicose_veins
    ):
        factories.ProcedurePageFactory(
            parent=procedure_index, title="Angioplasty", specialty=cardiology
        )
        withdrawn = factories.ProcedurePageFactory(
            parent=procedure_index, title="Vein stripping", specialty=vascular
        )
        withdrawn.unpublish()
        procedures = _section(client.get(vascular.url).content.decode(), "procedures-heading")
        assert f'<a href="{evla.url}">Endovenous laser ablation</a> ' in procedures
        assert "(treatment)" in procedures
        assert f'<a href="{varicose_veins.url}">Varicose veins</a> ' in procedures
        assert "(condition)" in procedures
        assert procedures.index("Endovenous") < procedures.index("Varicose")
        assert "Angioplasty" not in procedures
        assert "Vein stripping" not in procedures

    def test_lists_live_experts_who_practise_the_specialty(
        self, client, expert_index, vascular, cardiology
    ):
        in_it = factories.ExpertProfilePageFactory(
            parent=expert_index,
            given_name="Ada",
            family_name="Quill",
            specialties=specialties(cardiology, vascular),  # a second specialty counts
        )
        factories.ExpertProfilePageFactory(
            parent=expert_index,
            given_name="Cy",
            family_name="Other",
            specialties=specialties(cardiology),
        )
        withdrawn = factories.ExpertProfilePageFactory(
            parent=expert_index,
            given_name="Di",
            family_name="Gone",
            specialties=specialties(vascular),
        )
        withdrawn.unpublish()
        experts = _section(client.get(vascular.url).content.decode(), "experts-heading")
        assert f'<a href="{in_it.url}">Dr Ada Quill</a>' in experts
        assert "Cy Other" not in experts
        assert "Di Gone" not in experts

    def test_lists_live_articles_filed_under_it_or_about_its_procedures(
        self, client, article_index, vascular, cardiology, evla, vein_surgeon
    ):
        filed = _article(article_index, vein_surgeon, "Filed under vascular", specialty=vascular)
        about = _article(
            article_index,
            vein_surgeon,
            "About a laser treatment",
            specialty=cardiology,
            related_procedures=related_procedures(evla),
        )
        _article(article_index, vein_surgeon, "Only about the heart", specialty=cardiology)
        withdrawn = _article(article_index, vein_surgeon, "Withdrawn vascular", specialty=vascular)
        withdrawn.unpublish()
        articles = _section(client.get(vascular.url).content.decode(), "articles-heading")
        assert f'<a href="{filed.url}">Filed under vascular</a>' in articles
        assert f'<a href="{about.url}">About a laser treatment</a>' in articles
        assert "Only about the heart" not in articles
        assert "Withdrawn vascular" not in articles

    def test_an_article_about_two_of_its_procedures_is_listed_once(
        self, client, article_index, vascular, evla, varicose_veins, vein_surgeon
    ):
        _article(
            article_index,
            vein_surgeon,
            "Two procedures",
            specialty=vascular,
            related_procedures=related_procedures(evla, varicose_veins),
        )
        articles = _section(client.get(vascular.url).content.decode(), "articles-heading")
        assert articles.count(">Two procedures</a>") == 1

    def test_says_so_when_nothing_is_listed(self, client, vascular):
        html = client.get(vascular.url).content.decode()
        assert "None listed yet." in html
        assert "No experts listed yet." in html
        assert "No articles yet." in html

    def test_index_counts_live_procedures(
        self, client, specialty_index, vascular, evla, varicose_veins
    ):
        evla.unpublish()
        html = client.get(specialty_index.url).content.decode()
        assert f'<a href="{vascular.url}">Vascular surgery</a>' in html
        assert "(1 procedure and condition)" in html

    def test_queries_do_not_grow_with_the_number_of_experts_and_articles(
        self, client, article_index, expert_index, procedure_index, vascular
    ):
        def add(n: int):
            for _ in range(n):
                procedure = factories.ProcedurePageFactory(
                    parent=procedure_index, specialty=vascular
                )
                expert = factories.ExpertProfilePageFactory(
                    parent=expert_index,
                    photo=factories.ImageFactory(),
                    specialties=specialties(vascular),
                    procedures=[procedure],
                )
                factories.PatientRatingFactory(expert=expert)
                _article(
                    article_index,
                    expert,
                    f"Article {expert.pk}",
                    related_procedures=related_procedures(procedure),
                )

        add(1)
        one = warm_query_count(client, vascular.url)
        add(9)
        ten = warm_query_count(client, vascular.url)
        html = client.get(vascular.url).content.decode()
        assert html.count('class="expert-card"') == 10
        assert html.count('<article class="card">') == 10
        assert one == ten <= SPECIALTY_PAGE_QUERY_BUDGET


@pytest.mark.django_db
class TestProcedurePage:
    def test_shows_kind_specialty_link_and_synonyms(self, client, evla, vascular):
        html = client.get(evla.url).content.decode()
        assert (
            f'<p class="eyebrow">Treatment · <a href="{vascular.url}">Vascular surgery</a></p>'
        ) in html
        assert "<h1>Endovenous laser ablation</h1>" in html
        assert '<p class="muted">Also called: EVLA, laser vein treatment</p>' in html
        assert "A laser seals the faulty vein from inside." in html

    def test_no_also_called_line_without_synonyms(self, client, varicose_veins):
        assert "Also called" not in client.get(varicose_veins.url).content.decode()

    def test_diagnostic_test_shows_its_kind(self, client, duplex_scan):
        html = client.get(duplex_scan.url).content.decode()
        assert '<p class="eyebrow">Diagnostic test · ' in html

    def test_treatment_lists_the_live_conditions_it_is_used_for(
        self, client, procedure_index, vascular, evla, varicose_veins
    ):
        withdrawn = factories.ProcedurePageFactory(
            parent=procedure_index,
            title="Leg ulcers",
            kind=ProcedureKind.CONDITION,
            specialty=vascular,
        )
        evla.related_conditions.add(withdrawn)
        evla.save()
        withdrawn.unpublish()
        used_for = _section(client.get(evla.url).content.decode(), "conditions-heading")
        assert ">Used for</h2>" in used_for
        assert f'<a href="{varicose_veins.url}">Varicose veins</a>' in used_for
        assert "Leg ulcers" not in used_for

    def test_condition_lists_the_live_treatments_and_tests_pointing_at_it(
        self, client, procedure_index, vascular, evla, duplex_scan, varicose_veins
    ):
        withdrawn = factories.ProcedurePageFactory(
            parent=procedure_index,
            title="Vein stripping",
            specialty=vascular,
            related_conditions=[varicose_veins],
        )
        withdrawn.unpublish()
        html = client.get(varicose_veins.url).content.decode()
        assert '<p class="eyebrow">Condition · ' in html
        treatments = _section(html, "treatments-heading")
        assert f'<a href="{duplex_scan.url}">Duplex ultrasound scan</a> ' in treatments
        assert "(diagnostic test)" in treatments
        assert f'<a href="{evla.url}">Endovenous laser ablation</a> ' in treatments
        assert treatments.index("Duplex") < treatments.index("Endovenous")
        assert "Vein stripping" not in treatments
        assert "Used for" not in html  # a condition is not used for anything

    def test_lists_its_live_articles(
        self, client, article_index, evla, varicose_veins, vein_surgeon
    ):
        about = _article(
            article_index,
            vein_surgeon,
            "Laser for veins",
            related_procedures=related_procedures(evla),
        )
        _article(
            article_index,
            vein_surgeon,
            "Only the condition",
            related_procedures=related_procedures(varicose_veins),
        )
        withdrawn = _article(
            article_index,
            vein_surgeon,
            "Withdrawn laser article",
            related_procedures=related_procedures(evla),
        )
        withdrawn.unpublish()
        articles = _section(client.get(evla.url).content.decode(), "articles-heading")
        assert f'<a href="{about.url}">Laser for veins</a>' in articles
        assert "Only the condition" not in articles
        assert "Withdrawn laser article" not in articles

    def test_lists_the_live_experts_who_perform_it(
        self, client, expert_index, evla, duplex_scan, vein_surgeon
    ):
        factories.ExpertProfilePageFactory(
            parent=expert_index, given_name="Cy", family_name="Scans", procedures=[duplex_scan]
        )
        withdrawn = factories.ExpertProfilePageFactory(
            parent=expert_index, given_name="Di", family_name="Gone", procedures=[evla]
        )
        withdrawn.unpublish()
        experts = _section(client.get(evla.url).content.decode(), "experts-heading")
        assert f'<a href="{vein_surgeon.url}">Dr Ada Quill</a>' in experts
        assert "Cy Scans" not in experts
        assert "Di Gone" not in experts

    def test_queries_do_not_grow_with_the_number_of_experts_and_articles(
        self, client, article_index, expert_index, procedure_index, vascular, evla
    ):
        def add(n: int):
            for _ in range(n):
                condition = factories.ProcedurePageFactory(
                    parent=procedure_index, kind=ProcedureKind.CONDITION, specialty=vascular
                )
                evla.related_conditions.add(condition)
                factories.ProcedurePageFactory(  # a test pointing back at this treatment
                    parent=procedure_index,
                    kind=ProcedureKind.DIAGNOSTIC_TEST,
                    specialty=vascular,
                    related_conditions=[evla],
                )
                expert = factories.ExpertProfilePageFactory(
                    parent=expert_index, photo=factories.ImageFactory(), procedures=[evla]
                )
                factories.PatientRatingFactory(expert=expert)
                _article(
                    article_index,
                    expert,
                    f"Article {expert.pk}",
                    related_procedures=related_procedures(evla),
                )
            evla.save()

        add(1)
        one = warm_query_count(client, evla.url)
        add(9)
        ten = warm_query_count(client, evla.url)
        html = client.get(evla.url).content.decode()
        assert html.count('class="expert-card"') == 10
        assert html.count('<article class="card">') == 10
        assert _section(html, "conditions-heading").count("<li>") == 11
        assert one == ten <= PROCEDURE_PAGE_QUERY_BUDGET


@pytest.mark.django_db
class TestProcedureAToZ:
    @staticmethod
    def _procedure(parent, title, **kwargs):
        return factories.ProcedurePageFactory(parent=parent, title=title, **kwargs)

    def test_groups_by_first_letter_in_order_with_digits_under_hash(
        self, client, procedure_index, vascular
    ):
        for title in ["Varicose veins", "3D mammography", "Biopsy", "Angioplasty", "Aneurysm"]:
            self._procedure(procedure_index, title, specialty=vascular)
        html = client.get(procedure_index.url).content.decode()
        headings = [
            '<h2 id="letter-a">A</h2>',
            '<h2 id="letter-b">B</h2>',
            '<h2 id="letter-v">V</h2>',
            '<h2 id="letter-other">#</h2>',
        ]
        positions = [html.index(h) for h in headings]
        assert positions == sorted(positions)
        a_section = _section(html, "letter-a")
        assert a_section.index("Aneurysm") < a_section.index("Angioplasty")
        assert "3D mammography" in _section(html, "letter-other")
        assert "3D mammography" not in a_section
        assert '<li><a href="#letter-other">#</a></li>' in html
        assert html.count('<h2 id="letter-') == 4

    def test_lowercase_titles_join_their_capital_letter(self, client, procedure_index, vascular):
        self._procedure(procedure_index, "Biopsy", specialty=vascular)
        self._procedure(procedure_index, "bypass surgery", specialty=vascular)
        html = client.get(procedure_index.url).content.decode()
        assert html.count('<h2 id="letter-') == 1
        assert "bypass surgery" in _section(html, "letter-b")

    def test_order_within_a_letter_ignores_case(self, client, procedure_index, vascular):
        for title in ["Pulmonary embolism", "pH monitoring", "PET scan"]:
            self._procedure(procedure_index, title, specialty=vascular)
        p_section = _section(client.get(procedure_index.url).content.decode(), "letter-p")
        positions = [p_section.index(t) for t in ["PET scan", "pH monitoring", "Pulmonary"]]
        assert positions == sorted(positions)

    def test_an_accented_initial_is_listed_under_its_letter(
        self, client, procedure_index, vascular
    ):
        for title in ["Échographie", "Endoscopy", "Zoster"]:
            self._procedure(procedure_index, title, specialty=vascular)
        html = client.get(procedure_index.url).content.decode()
        assert html.count('<h2 id="letter-e">') == 1  # ids are unique
        assert html.count('<h2 id="letter-') == 2
        e_section = _section(html, "letter-e")
        assert e_section.index("Échographie") < e_section.index("Endoscopy")

    def test_links_each_procedure_with_its_kind_and_leaves_out_unpublished_ones(
        self, client, procedure_index, evla, varicose_veins, duplex_scan
    ):
        duplex_scan.unpublish()
        html = client.get(procedure_index.url).content.decode()
        assert f'<a href="{evla.url}">Endovenous laser ablation</a>' in html
        assert '<span class="muted">(treatment)</span>' in html
        assert '<span class="muted">(condition)</span>' in html
        assert "Duplex ultrasound scan" not in html
        assert 'id="letter-d"' not in html

    def test_says_so_when_empty(self, client, procedure_index):
        assert "No procedures have been published yet." in (
            client.get(procedure_index.url).content.decode()
        )


@pytest.mark.django_db
class TestExpertProfileTaxonomy:
    def test_links_to_each_specialty_and_each_live_procedure(
        self, client, expert_index, vascular, cardiology, evla, varicose_veins, duplex_scan
    ):
        expert = factories.ExpertProfilePageFactory(
            parent=expert_index,
            specialties=specialties(vascular, cardiology),
            procedures=[varicose_veins, evla, duplex_scan],
        )
        duplex_scan.unpublish()
        html = client.get(expert.url).content.decode()
        listed = _section(html, "specialties-heading")
        assert f'<a href="{vascular.url}">Vascular surgery</a>' in listed
        assert f'<a href="{cardiology.url}">Cardiology</a>' in listed
        assert listed.index("Vascular") < listed.index("Cardiology")  # the editor's order
        procedures = _section(html, "procedures-heading")
        assert f'<a href="{evla.url}">Endovenous laser ablation</a>' in procedures
        assert f'<a href="{varicose_veins.url}">Varicose veins</a>' in procedures
        assert "Duplex ultrasound scan" not in procedures

    def test_no_procedures_section_without_procedures(self, client, expert_index, vascular):
        expert = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(vascular)
        )
        assert 'id="procedures-heading"' not in client.get(expert.url).content.decode()


@pytest.mark.django_db
class TestArticleRelatedProcedures:
    def test_shows_the_editors_choice_in_the_editors_order(
        self, client, article_index, vein_surgeon, evla, varicose_veins, duplex_scan
    ):
        article = _article(
            article_index,
            vein_surgeon,
            "Chosen procedures",
            related_procedures=related_procedures(varicose_veins, duplex_scan),
        )
        related = _related_section(client.get(article.url).content.decode())
        assert f'<a href="{varicose_veins.url}">Varicose veins</a>' in related
        assert f'<a href="{duplex_scan.url}">Duplex ultrasound scan</a>' in related
        assert related.index("Varicose") < related.index("Duplex")  # not alphabetical
        assert "Endovenous" not in related  # the author's procedures are not added

    def test_falls_back_to_the_authors_live_procedures(
        self, client, article_index, vein_surgeon, evla, varicose_veins
    ):
        evla.unpublish()
        article = _article(article_index, vein_surgeon, "No procedures chosen")
        related = _related_section(client.get(article.url).content.decode())
        assert f'<a href="{varicose_veins.url}">Varicose veins</a>' in related
        assert "Endovenous" not in related

    def test_no_section_when_nothing_is_chosen_and_the_author_has_no_procedures(
        self, client, article_index, expert_index
    ):
        article = _article(
            article_index, factories.ExpertProfilePageFactory(parent=expert_index), "Bare"
        )
        assert 'class="related"' not in client.get(article.url).content.decode()

    def test_an_unpublished_chosen_procedure_is_not_shown(
        self, client, article_index, vein_surgeon, evla, duplex_scan
    ):
        article = _article(
            article_index,
            vein_surgeon,
            "One withdrawn",
            related_procedures=related_procedures(duplex_scan, evla),
        )
        duplex_scan.unpublish()
        related = _related_section(client.get(article.url).content.decode())
        assert "Endovenous laser ablation" in related
        assert "Duplex ultrasound scan" not in related

    def test_a_procedure_stored_twice_is_listed_once_in_its_first_place(
        self, client, article_index, vein_surgeon, varicose_veins, duplex_scan
    ):
        # Wagtail 8.0's autosave can insert a new inline row twice (wagtail/wagtail#14568).
        article = _article(
            article_index,
            vein_surgeon,
            "Stored twice",
            related_procedures=related_procedures(varicose_veins, duplex_scan, varicose_veins),
        )
        assert ArticleProcedure.objects.filter(page=article).count() == 3
        related = _related_section(client.get(article.url).content.decode())
        assert related.count(">Varicose veins</a>") == 1
        assert related.index("Varicose") < related.index("Duplex")

    def test_a_draft_change_stays_in_the_revision_until_published(
        self, client, article_index, vein_surgeon, evla, varicose_veins, duplex_scan
    ):
        article = _article(
            article_index, vein_surgeon, "Drafted", related_procedures=related_procedures(evla)
        )
        article.related_procedures = related_procedures(duplex_scan, varicose_veins)
        revision = article.save_revision()

        live = _related_section(client.get(article.url).content.decode())
        assert "Endovenous laser ablation" in live
        assert "Duplex ultrasound scan" not in live
        assert list(
            ArticleProcedure.objects.filter(page=article).values_list("procedure", flat=True)
        ) == [evla.pk]

        draft = revision.as_object()
        assert draft.shown_procedures() == [duplex_scan, varicose_veins]
        preview = draft.make_preview_request()
        assert preview.status_code == 200
        shown = _related_section(preview.content.decode())
        assert shown.index("Duplex ultrasound scan") < shown.index("Varicose veins")
        assert "Endovenous" not in shown

        factories.approve(revision, factories.ExpertProfilePageFactory())
        revision.publish()
        live = _related_section(client.get(article.url).content.decode())
        assert live.index("Duplex ultrasound scan") < live.index("Varicose veins")
        assert "Endovenous" not in live

    def test_a_draft_that_removes_every_choice_previews_the_authors_procedures(
        self, article_index, vein_surgeon, evla, varicose_veins, duplex_scan
    ):
        article = _article(
            article_index,
            vein_surgeon,
            "Cleared",
            related_procedures=related_procedures(duplex_scan),
        )
        article.related_procedures = []
        draft = article.save_revision().as_object()
        assert draft.shown_procedures() == [evla, varicose_veins]
        assert ArticlePage.objects.get(pk=article.pk).shown_procedures() == [duplex_scan]

    def test_queries_do_not_grow_with_the_number_of_related_procedures(
        self, client, article_index, procedure_index, vascular, vein_surgeon
    ):
        procedures = [
            factories.ProcedurePageFactory(parent=procedure_index, specialty=vascular)
            for _ in range(20)
        ]
        two = _article(
            article_index,
            vein_surgeon,
            "Two",
            related_procedures=related_procedures(*procedures[:2]),
        )
        twenty = _article(
            article_index,
            vein_surgeon,
            "Twenty",
            related_procedures=related_procedures(*procedures),
        )
        two_count = warm_query_count(client, two.url)
        twenty_count = warm_query_count(client, twenty.url)
        related = _related_section(client.get(twenty.url).content.decode())
        assert related.count("<li>") == 20
        assert two_count == twenty_count <= ARTICLE_QUERY_BUDGET

    def test_queries_do_not_grow_with_the_number_of_the_authors_procedures(
        self, client, article_index, expert_index, procedure_index, vascular
    ):
        def article_by_author_with(n: int):
            expert = factories.ExpertProfilePageFactory(
                parent=expert_index,
                specialties=specialties(vascular),
                procedures=[
                    factories.ProcedurePageFactory(parent=procedure_index, specialty=vascular)
                    for _ in range(n)
                ],
            )
            return _article(article_index, expert, f"By an expert in {n}")

        few, many = article_by_author_with(2), article_by_author_with(20)
        few_count = warm_query_count(client, few.url)
        many_count = warm_query_count(client, many.url)
        assert _related_section(client.get(many.url).content.decode()).count("<li>") == 20
        assert few_count == many_count <= ARTICLE_QUERY_BUDGET
