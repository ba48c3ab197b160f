"""Sensitive health topics: what is sensitive and why, when the stored value changes, what
every public response tells the consent layer, and what the editor is shown."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medical_content import factories
from medical_content.choices import CreditRole, ProcedureKind
from medical_content.factories import credits, related_procedures, specialties
from medical_content.models import (
    ArticlePage,
    ExpertProfilePage,
    ProcedurePage,
    SpecialtyPage,
)
from medical_content.sensitivity import reasons_for, sync_stored
from tests.queries import warm_query_count

from .admin_flow import edit_url, text
from .test_article_page import ARTICLE_QUERY_BUDGET

HIV_MARKED = 'Its procedure "HIV testing" is marked sensitive.'
SEXUAL_HEALTH_MARKED = 'Its specialty "Sexual health" is marked sensitive.'
ONCE = "Once this version is published,"
WHAT_IT_DOES_LAST = "analytics is told neither their title nor their address."


def publish(page):
    """Publish the page as it stands in memory, as the editor's Publish button does."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def mark(page, value: bool = True):
    page.marked_sensitive = value
    return publish(page)


def stored(page) -> bool:
    return type(page).objects.values_list("is_sensitive", flat=True).get(pk=page.pk)


@pytest.fixture
def sexual_health(specialty_index):
    return factories.SpecialtyPageFactory(
        parent=specialty_index, title="Sexual health", slug="sexual-health"
    )


@pytest.fixture
def urology(specialty_index):
    return factories.SpecialtyPageFactory(parent=specialty_index, title="Urology", slug="urology")


@pytest.fixture
def hiv_test(procedure_index, urology):
    return factories.ProcedurePageFactory(
        parent=procedure_index,
        title="HIV testing",
        slug="hiv-testing",
        kind=ProcedureKind.DIAGNOSTIC_TEST,
        specialty=urology,
    )


@pytest.fixture
def kidney_scan(procedure_index, urology):
    return factories.ProcedurePageFactory(
        parent=procedure_index, title="Kidney scan", slug="kidney-scan", specialty=urology
    )


@pytest.fixture
def urologist(expert_index, urology):
    return factories.ExpertProfilePageFactory(
        parent=expert_index,
        given_name="Ada",
        family_name="Quill",
        specialties=specialties(urology),
    )


@pytest.fixture
def article_about(article_index, urologist):
    """`article_about(*procedures, **fields)`: a live article crediting `author`."""

    def build(*procedures, **fields):
        return factories.ArticlePageFactory(
            parent=article_index,
            credits=credits((CreditRole.AUTHOR, urologist)),
            related_procedures=related_procedures(*procedures),
            **fields,
        )

    return build


@pytest.mark.django_db
class TestRules:
    def test_a_specialty_is_sensitive_when_marked(self, sexual_health, urology):
        mark(sexual_health)
        assert reasons_for(sexual_health) == ["It is marked sensitive."]
        assert stored(sexual_health) and not stored(urology)
        assert reasons_for(urology) == []

    def test_a_procedure_is_sensitive_when_marked_or_its_specialty_is(
        self, hiv_test, kidney_scan, urology
    ):
        mark(hiv_test)
        assert stored(hiv_test) and not stored(kidney_scan)
        mark(urology)
        kidney_scan.refresh_from_db()
        assert reasons_for(kidney_scan) == ['Its specialty "Urology" is marked sensitive.']
        assert stored(kidney_scan)

    def test_an_article_inherits_from_a_marked_procedure(
        self, hiv_test, kidney_scan, article_about
    ):
        mark(hiv_test)
        article = article_about(kidney_scan, hiv_test)
        assert reasons_for(article) == [HIV_MARKED]
        assert stored(article)
        assert not stored(article_about(kidney_scan))

    def test_an_article_inherits_from_a_procedure_in_a_marked_specialty(
        self, urology, kidney_scan, article_about, sexual_health
    ):
        mark(urology)
        article = article_about(kidney_scan, specialty=sexual_health)
        assert reasons_for(article) == [
            'Its procedure "Kidney scan" is in the specialty "Urology", which is marked sensitive.'
        ]
        assert stored(article)

    def test_an_article_inherits_from_its_specialty(self, sexual_health, article_about):
        mark(sexual_health)
        article = article_about(specialty=sexual_health)
        assert reasons_for(article) == [SEXUAL_HEALTH_MARKED]
        assert stored(article)

    def test_an_article_can_be_marked_itself(self, article_about, kidney_scan):
        article = article_about(kidney_scan, marked_sensitive=True)
        assert reasons_for(article) == ["It is marked sensitive."]
        assert stored(article)

    def test_an_article_with_nothing_marked_is_not_sensitive(
        self, article_about, kidney_scan, urology
    ):
        article = article_about(kidney_scan, specialty=urology)
        assert reasons_for(article) == []
        assert not stored(article)

    def test_an_expert_is_sensitive_when_one_of_their_specialties_is_marked(
        self, expert_index, urology, sexual_health
    ):
        mark(sexual_health)
        expert = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(urology, sexual_health)
        )
        plain = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(urology)
        )
        assert reasons_for(expert) == [SEXUAL_HEALTH_MARKED]
        assert stored(expert) and not stored(plain)

    def test_the_bulk_rule_gives_the_same_answers_as_the_reasons(
        self, expert_index, sexual_health, urology, hiv_test, kidney_scan, article_about
    ):
        """Every combination, stored wrong on purpose, then put right by the SQL rule."""
        SpecialtyPage.objects.filter(pk=sexual_health.pk).update(marked_sensitive=True)
        ProcedurePage.objects.filter(pk=hiv_test.pk).update(marked_sensitive=True)
        in_sexual_health = factories.ProcedurePageFactory(
            parent=kidney_scan.get_parent(), title="Screening", specialty=sexual_health
        )
        article_about(kidney_scan)
        article_about(hiv_test)
        article_about(in_sexual_health)
        article_about(kidney_scan, specialty=sexual_health)
        article_about(kidney_scan, specialty=urology, marked_sensitive=True)
        article_about()
        factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(urology, sexual_health)
        )
        factories.ExpertProfilePageFactory(parent=expert_index, specialties=specialties(urology))
        for model in (SpecialtyPage, ProcedurePage, ArticlePage, ExpertProfilePage):
            pages = list(model.objects.all())
            expected = {page.pk: bool(reasons_for(page)) for page in pages}
            assert True in expected.values() and False in expected.values(), model
            for value in (True, False):
                model.objects.update(is_sensitive=not value)
                sync_stored(model.objects.all())
                assert dict(model.objects.values_list("pk", "is_sensitive")) == expected, model


@pytest.mark.django_db
class TestStoredValue:
    def test_an_article_published_through_clinical_review_stores_its_value(
        self, hiv_test, article_index, urologist, reviewer_expert
    ):
        mark(hiv_test)
        article = factories.ArticlePageFactory(
            parent=article_index, live=False, credits=credits((CreditRole.AUTHOR, urologist))
        )
        article.related_procedures = related_procedures(hiv_test)
        factories.approve_and_publish(article, reviewer_expert)
        assert article.live and article.is_sensitive

    def test_an_article_draft_changes_nothing_until_published(
        self, article_about, kidney_scan, reviewer_expert
    ):
        article = article_about(kidney_scan)
        article.marked_sensitive = True
        article.save_revision()
        assert not stored(article)
        factories.approve_and_publish(article, reviewer_expert)
        assert stored(article)

    def test_marking_a_procedure_updates_its_articles_without_republishing_them(
        self, hiv_test, kidney_scan, article_about
    ):
        about_hiv = article_about(kidney_scan, hiv_test)
        other = article_about(kidney_scan)
        revisions = about_hiv.revisions.count()
        mark(hiv_test)
        assert stored(about_hiv) and not stored(other)
        assert about_hiv.revisions.count() == revisions
        mark(hiv_test, False)
        assert not stored(about_hiv) and not stored(hiv_test)

    def test_a_draft_tick_on_a_live_procedure_changes_nothing_until_published(
        self, client, hiv_test, article_about
    ):
        article = article_about(hiv_test)
        hiv_test.marked_sensitive = True
        revision = hiv_test.save_revision()
        assert not stored(hiv_test) and not stored(article)
        assert client.get(article.url).context["sensitive_page"] is False
        revision.publish()
        assert stored(hiv_test) and stored(article)
        assert client.get(article.url).context["sensitive_page"] is True

    def test_marking_a_specialty_updates_its_procedures_articles_and_experts(
        self, urology, sexual_health, kidney_scan, article_about, urologist, expert_index
    ):
        about_kidneys = article_about(kidney_scan, specialty=sexual_health)
        filed = article_about(specialty=urology)
        unrelated = article_about(specialty=sexual_health)
        other_expert = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(sexual_health)
        )
        mark(urology)
        assert stored(kidney_scan) and stored(about_kidneys) and stored(filed)
        assert stored(urologist)
        assert not stored(unrelated) and not stored(other_expert)
        mark(urology, False)
        assert not any(
            stored(page) for page in (urology, kidney_scan, about_kidneys, filed, urologist)
        )

    def test_unmarking_leaves_pages_that_are_sensitive_for_another_reason(
        self, hiv_test, article_about, sexual_health
    ):
        mark(hiv_test)
        marked_itself = article_about(hiv_test, marked_sensitive=True)
        in_sensitive_specialty = article_about(hiv_test, specialty=sexual_health)
        mark(sexual_health)
        mark(hiv_test, False)
        assert stored(marked_itself) and stored(in_sensitive_specialty)

    def test_a_procedure_moving_to_a_sensitive_specialty(
        self, sexual_health, urology, kidney_scan, article_about
    ):
        mark(sexual_health)
        article = article_about(kidney_scan)
        kidney_scan.specialty = sexual_health
        publish(kidney_scan)
        assert stored(kidney_scan) and stored(article)
        kidney_scan.specialty = urology
        publish(kidney_scan)
        assert not stored(kidney_scan) and not stored(article)

    def test_a_draft_of_an_unpublished_specialty_never_takes_sensitivity_away(
        self, client, sexual_health, article_about
    ):
        """Wagtail saves a page that is not live in full when its draft is saved: the stored
        mark changes although nothing is published. Live pages may only gain from that."""
        mark(sexual_health)
        article = article_about(specialty=sexual_health)
        assert stored(article)
        sexual_health.unpublish()
        sexual_health.refresh_from_db()
        sexual_health.marked_sensitive = False
        sexual_health.save()  # what the editor's "Save draft" does to a page that is not live
        assert stored(article)
        assert client.get(article.url).context["sensitive_page"] is True
        publish(sexual_health)  # publishing settles it, although the mark did not change
        assert not stored(article)
        assert client.get(article.url).context["sensitive_page"] is False

    def test_a_draft_of_an_unpublished_procedure_may_make_pages_sensitive(
        self, hiv_test, article_about
    ):
        article = article_about(hiv_test)
        hiv_test.unpublish()
        hiv_test.refresh_from_db()
        hiv_test.marked_sensitive = True
        hiv_test.save()
        assert stored(article)  # the safe direction, at once

    def test_the_refresh_costs_the_same_queries_whatever_the_number_of_articles(
        self, urology, kidney_scan, article_about
    ):
        def queries_to_mark(value: bool) -> int:
            urology.marked_sensitive = value
            revision = urology.save_revision()
            with CaptureQueriesContext(connection) as queries:
                revision.publish()
            return len(queries)

        article_about(kidney_scan)
        queries_to_mark(False)  # the first publish of a page costs a few more
        one = queries_to_mark(True), queries_to_mark(False)
        for _ in range(9):
            article_about(kidney_scan, specialty=urology)
        ten = queries_to_mark(True), queries_to_mark(False)
        assert one == ten
        assert ArticlePage.objects.filter(is_sensitive=True).count() == 0


@pytest.mark.django_db
class TestWhatTheConsentLayerIsTold:
    """`sensitive_page` in the context of each public response."""

    @pytest.fixture
    def marked(self, hiv_test, sexual_health):
        mark(hiv_test)
        mark(sexual_health)

    def test_pages(self, client, marked, hiv_test, kidney_scan, sexual_health, urology):
        assert client.get(hiv_test.url).context["sensitive_page"] is True
        assert client.get(kidney_scan.url).context["sensitive_page"] is False
        assert client.get(sexual_health.url).context["sensitive_page"] is True
        assert client.get(urology.url).context["sensitive_page"] is False

    def test_articles(self, client, marked, hiv_test, kidney_scan, article_about):
        assert client.get(article_about(hiv_test).url).context["sensitive_page"] is True
        assert client.get(article_about(kidney_scan).url).context["sensitive_page"] is False

    def test_expert_profiles(self, client, marked, expert_index, urologist, sexual_health):
        expert = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(sexual_health)
        )
        assert client.get(expert.url).context["sensitive_page"] is True
        assert client.get(urologist.url).context["sensitive_page"] is False

    @pytest.mark.parametrize(
        ("params", "sensitive"),
        [
            ({}, False),
            ({"procedure": "hiv-testing"}, True),
            ({"procedure": "kidney-scan"}, False),
            ({"specialty": "sexual-health"}, True),
            ({"specialty": "urology"}, False),
            ({"specialty": "urology", "procedure": "hiv-testing"}, True),
            # A value that names no live page is ignored, but the address still holds
            # whatever was typed (a misspelt condition): sensitive.
            ({"procedure": "hiv-testing\x00"}, True),
            ({"procedure": "HIV-TESTING"}, True),
            ({"specialty": "<script>", "procedure": ""}, True),
            ({"procedure": ""}, False),
        ],
    )
    def test_article_list(
        self,
        client,
        marked,
        article_index,
        article_about,
        hiv_test,
        kidney_scan,
        params,
        sensitive,
    ):
        article_about(hiv_test)
        response = client.get(article_index.url, params)
        assert response.status_code == 200
        assert response.context["sensitive_page"] is sensitive

    @pytest.mark.parametrize(
        ("params", "sensitive"),
        [
            ({}, False),
            ({"specialty": "sexual-health"}, True),
            ({"procedure": "hiv-testing"}, True),
            ({"specialty": "urology"}, False),
            ({"specialty": "sexual-health\x00"}, True),
            ({"specialty": "cardiology"}, True),  # names no page
        ],
    )
    def test_expert_directory(self, client, marked, expert_index, urologist, params, sensitive):
        response = client.get(expert_index.url, params)
        assert response.status_code == 200
        assert response.context["sensitive_page"] is sensitive

    def test_filter_options_follow_a_specialty_marked_after_they_were_cached(
        self, client, article_index, urology, kidney_scan
    ):
        url = article_index.url
        assert client.get(url, {"procedure": "kidney-scan"}).context["sensitive_page"] is False
        mark(urology)
        assert client.get(url, {"procedure": "kidney-scan"}).context["sensitive_page"] is True

    def test_search(self, client, marked, article_about, hiv_test, kidney_scan):
        """What a reader searches for is health data and sits in the address: any search is
        sensitive, whatever it finds; the empty search form is not."""
        article_about(hiv_test, title="Getting tested")
        article_about(kidney_scan, title="Getting scanned")
        sensitive = client.get("/search/", {"q": "tested"})
        plain = client.get("/search/", {"q": "scanned"})
        assert "Getting tested" in sensitive.content.decode()
        assert "Getting scanned" in plain.content.decode()
        for q in ("tested", "scanned", "zzzzz", "\x00\x01"):
            assert client.get("/search/", {"q": q}).context["sensitive_page"] is True, q
        assert client.get("/search/").context["sensitive_page"] is False
        assert client.get("/search/", {"q": ""}).context["sensitive_page"] is False

    def test_a_sensitive_article_costs_no_extra_query(
        self, client, marked, hiv_test, kidney_scan, article_about
    ):
        sensitive = article_about(hiv_test)
        plain = article_about(kidney_scan)
        count = warm_query_count(client, sensitive.url)
        assert count == warm_query_count(client, plain.url) <= ARTICLE_QUERY_BUDGET


@pytest.mark.django_db
class TestEditorSeesWhy:
    @pytest.fixture
    def admin(self, client, superuser):
        client.force_login(superuser)
        return client

    def _panel(self, admin, page) -> str:
        response = admin.get(edit_url(page))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="marked_sensitive"' in html or isinstance(page, ExpertProfilePage)
        return text(html)

    def test_an_article_names_the_procedure_it_inherits_from(self, admin, hiv_test, article_about):
        mark(hiv_test)
        page = self._panel(admin, article_about(hiv_test))
        assert f"{ONCE} this article is sensitive: {HIV_MARKED}" in page
        assert "Readers now get the live page as sensitive." in page
        # What sensitivity does is said once, in the tick box's help text.
        assert page.count(WHAT_IT_DOES_LAST) == 1

    def test_an_article_that_is_not_sensitive_says_so(self, admin, kidney_scan, article_about):
        page = self._panel(admin, article_about(kidney_scan))
        assert (
            f"{ONCE} not sensitive: neither this article nor its specialty or procedures are "
            "marked." in page
        )
        assert "Readers now get the live page as not sensitive." in page

    def test_the_editor_sees_the_draft_they_are_editing(self, admin, kidney_scan, article_about):
        article = article_about(kidney_scan)
        article.marked_sensitive = True
        article.save_revision()
        page = self._panel(admin, article)
        assert f"{ONCE} this article is sensitive: It is marked sensitive." in page
        # The draft's verdict never passes for the live page's: readers still get it plain.
        assert not stored(article)
        assert "Readers now get the live page as not sensitive." in page
        assert "when the page is opened again after saving" in page

    def test_a_page_readers_cannot_see_says_so(self, admin, kidney_scan, article_about):
        article = article_about(kidney_scan)
        article.unpublish()
        assert "Not live: readers cannot see this page." in self._panel(admin, article)

    def test_a_procedure_and_a_specialty(self, admin, urology, kidney_scan):
        mark(urology)
        assert (
            f'{ONCE} this procedure is sensitive: Its specialty "Urology" is marked sensitive.'
            in self._panel(admin, kidney_scan)
        )
        assert f"{ONCE} this specialty is sensitive: It is marked sensitive." in self._panel(
            admin, urology
        )

    def test_an_expert_profile(self, admin, sexual_health, expert_index, urologist):
        mark(sexual_health)
        expert = factories.ExpertProfilePageFactory(
            parent=expert_index, specialties=specialties(sexual_health)
        )
        profile = self._panel(admin, expert)
        assert f"{ONCE} this profile is sensitive: {SEXUAL_HEALTH_MARKED}" in profile
        assert profile.count(WHAT_IT_DOES_LAST) == 1  # no tick box here: the panel says it
        assert "mark or unmark the specialty to change it" in profile
        assert f"{ONCE} not sensitive: none of this profile's specialties is marked." in (
            self._panel(admin, urologist)
        )

    def test_the_procedures_listing_filters_by_sensitivity(
        self, admin, urology, hiv_test, kidney_scan
    ):
        mark(hiv_test)
        response = admin.get(reverse("procedures:index"), {"is_sensitive": "true"})
        assert response.status_code == 200
        page = text(response.content.decode())
        assert "HIV testing" in page and "Kidney scan" not in page
        assert "Sensitive" in page


@pytest.mark.django_db
def test_a_page_not_found_is_sensitive(client, hiv_test):
    """A 404's address is whatever was typed or followed (here under a sensitive procedure)."""
    response = client.get(hiv_test.url + "living-with-it/")
    assert response.status_code == 404
    assert response.context["sensitive_page"] is True
    assert '<meta name="referrer" content="strict-origin">' in response.content.decode()
    assert client.get(hiv_test.url).context["sensitive_page"] is False  # control


@pytest.mark.django_db
def test_the_demo_has_a_sensitive_procedure_with_an_article_under_it(client):
    call_command("load_demo_data")
    procedure = ProcedurePage.objects.live().get(marked_sensitive=True)
    assert procedure.is_sensitive
    articles = ArticlePage.objects.live().about_procedure(procedure)
    assert articles.exists()
    for article in articles:
        assert article.is_sensitive and article.review_approval_id
        response = client.get(article.url)
        assert response.context["sensitive_page"] is True
        assert "Medically reviewed by" in response.content.decode()
    assert client.get(procedure.url).context["sensitive_page"] is True
