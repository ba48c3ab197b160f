"""Finding things: the article list and expert directory filters, and site search.

Readers and crawlers send anything in the query string; every odd value must give a normal
page, never an error, and nothing they sent may come back as markup.
"""

import re

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.factories import credits, related_procedures, specialties, stream_data
from medical_content.models.articles import ARTICLES_PER_PAGE
from medical_content.models.experts import EXPERTS_PER_PAGE
from medical_content.views import RESULTS_PER_PAGE, SEARCHABLE
from tests.queries import warm_query_count

FILTERED_ARTICLE_LIST_QUERY_BUDGET = 6
FILTERED_DIRECTORY_QUERY_BUDGET = 6
# Five queries (view restrictions for public(), count, the page of hits, their types, the
# site), then one per page type on the results page: 6 when all are articles, 9 with all four.
SEARCH_BASE_QUERIES = 4
SEARCH_QUERY_BUDGET = SEARCH_BASE_QUERIES + len(SEARCHABLE)

# Known bugs, reported with a proposed patch: each test marked with one fails until it is fixed.

NOTICE = "We could not find"
SCRIPT = "<script>alert(1)</script>"
MALFORMED_VALUES = [
    "%00",
    "\x00",
    "vascular-surgery\x00",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "x" * 5000,
    "'; DROP TABLE wagtailcore_page; --",
    "../../etc/passwd",
    "☃ vascular",
    "VASCULAR-SURGERY",
]


def _assert_nothing_reflected(html: str) -> None:
    """No markup from the query string comes back raw."""
    known = (
        '<script type="application/ld+json">',
        '<script id="consent-config" type="application/json">',
        # An unknown filter value makes the listing sensitive (the address holds it).
        '<script id="consent-page" type="application/json">',
        '<script src="/static/consent/consent.min.js" defer>',
    )
    assert html.count("<script") == sum(html.count(script) for script in known)
    assert "<script>alert" not in html
    assert "<img src=x" not in html


_RESULT = re.compile(
    r'<p class="search-result__type">(?P<type>[^<]*)</p>\s*'
    r'<h2 class="search-result__title"><a href="(?P<url>[^"]*)">(?P<title>[^<]*)</a></h2>'
)


def _results(html: str) -> list[tuple[str, str, str]]:
    """(type label, url, title) for each search result, in order."""
    return [(m["type"], m["url"], m["title"]) for m in _RESULT.finditer(html)]


def _card_titles(html: str) -> set[str]:
    return set(re.findall(r'class="card__title"><a href="[^"]*">([^<]*)</a>', html))


def _expert_names(html: str) -> set[str]:
    return set(re.findall(r'class="expert-card__name"><a href="[^"]*">([^<]*)</a>', html))


@pytest.fixture
def angioplasty(procedure_index, cardiology):
    return factories.ProcedurePageFactory(
        parent=procedure_index, title="Angioplasty", slug="angioplasty", specialty=cardiology
    )


def _article(parent, vein_surgeon, title, **kwargs):
    return factories.ArticlePageFactory(
        parent=parent, title=title, credits=credits((CreditRole.AUTHOR, vein_surgeon)), **kwargs
    )


@pytest.fixture
def articles(article_index, vein_surgeon, vascular, cardiology, evla, duplex_scan, angioplasty):
    """Four articles: filed under vascular, about EVLA (filed elsewhere), about the duplex
    scan, and one about the heart only."""
    return {
        "filed": _article(article_index, vein_surgeon, "Filed under vascular", specialty=vascular),
        "evla": _article(
            article_index,
            vein_surgeon,
            "Laser for veins",
            specialty=cardiology,
            related_procedures=related_procedures(evla),
        ),
        "duplex": _article(
            article_index,
            vein_surgeon,
            "Having a duplex scan",
            specialty=vascular,
            related_procedures=related_procedures(duplex_scan),
        ),
        "heart": _article(
            article_index,
            vein_surgeon,
            "Heart only",
            specialty=cardiology,
            related_procedures=related_procedures(angioplasty),
        ),
    }


ALL_ARTICLES = {"Filed under vascular", "Laser for veins", "Having a duplex scan", "Heart only"}


@pytest.mark.django_db
class TestArticleListFilters:
    def test_by_specialty_lists_articles_filed_under_it_or_about_its_procedures(
        self, client, article_index, articles
    ):
        html = client.get(article_index.url, {"specialty": "vascular-surgery"}).content.decode()
        assert _card_titles(html) == {
            "Filed under vascular",
            "Laser for veins",
            "Having a duplex scan",
        }
        assert "3 articles in Vascular surgery" in html
        assert '<option value="vascular-surgery" selected>Vascular surgery</option>' in html
        assert f'<a class="filter__clear" href="{article_index.url}">Clear filters</a>' in html
        assert NOTICE not in html

    def test_by_procedure(self, client, article_index, articles):
        html = client.get(
            article_index.url, {"procedure": "endovenous-laser-ablation"}
        ).content.decode()
        assert _card_titles(html) == {"Laser for veins"}
        assert "1 article about Endovenous laser ablation" in html
        assert (
            '<option value="endovenous-laser-ablation" selected>Endovenous laser ablation'
        ) in html

    def test_by_specialty_and_procedure_together(self, client, article_index, articles):
        both = {"specialty": "vascular-surgery", "procedure": "duplex-ultrasound-scan"}
        html = client.get(article_index.url, both).content.decode()
        assert _card_titles(html) == {"Having a duplex scan"}
        assert "1 article in Vascular surgery about Duplex ultrasound scan" in html
        mismatch = {"specialty": "cardiology", "procedure": "duplex-ultrasound-scan"}
        html = client.get(article_index.url, mismatch).content.decode()
        assert _card_titles(html) == set()
        assert "0 articles in Cardiology about Duplex ultrasound scan" in html
        assert "No articles match." in html

    def test_without_a_filter_lists_everything_and_offers_no_clear_link(
        self, client, article_index, articles
    ):
        html = client.get(article_index.url, {"specialty": "", "procedure": ""}).content.decode()
        assert _card_titles(html) == ALL_ARTICLES
        assert "Clear filters" not in html
        assert NOTICE not in html

    def test_pagination_links_keep_the_filter(
        self, client, article_index, vein_surgeon, vascular, cardiology, evla
    ):
        for i in range(ARTICLES_PER_PAGE + 1):
            _article(
                article_index,
                vein_surgeon,
                f"Vein article {i:02d}",
                publication_date=f"2026-01-{i + 1:02d}",
                specialty=vascular,
                related_procedures=related_procedures(evla),
            )
        _article(article_index, vein_surgeon, "A heart article", specialty=cardiology)
        both = {"specialty": "vascular-surgery", "procedure": "endovenous-laser-ablation"}
        first = client.get(article_index.url, both).content.decode()
        assert f"{ARTICLES_PER_PAGE + 1} articles in Vascular surgery" in first
        assert (
            'rel="next" href="?specialty=vascular-surgery&amp;'
            'procedure=endovenous-laser-ablation&amp;page=2"'
        ) in first
        second = client.get(article_index.url, {**both, "page": "2"}).content.decode()
        assert _card_titles(second) == {"Vein article 00"}
        assert (
            'rel="prev" href="?specialty=vascular-surgery&amp;'
            'procedure=endovenous-laser-ablation&amp;page=1"'
        ) in second
        only_specialty = client.get(article_index.url, {"specialty": "vascular-surgery"})
        assert 'rel="next" href="?specialty=vascular-surgery&amp;page=2"' in (
            only_specialty.content.decode()
        )

    @pytest.mark.parametrize("page", ["999", "abc", "0", "-1", "\x00"])
    def test_bad_page_with_a_filter_gives_a_filtered_page(
        self, client, article_index, vein_surgeon, vascular, cardiology, page
    ):
        for i in range(ARTICLES_PER_PAGE + 1):
            _article(article_index, vein_surgeon, f"Vein article {i:02d}", specialty=vascular)
        _article(article_index, vein_surgeon, "A heart article", specialty=cardiology)
        response = client.get(article_index.url, {"specialty": "vascular-surgery", "page": page})
        assert response.status_code == 200
        html = response.content.decode()
        assert _card_titles(html)
        assert "A heart article" not in html
        assert "articles in Vascular surgery" in html

    @pytest.mark.parametrize("name", ["specialty", "procedure"])
    def test_unknown_slug_is_ignored_with_a_notice(self, client, article_index, articles, name):
        response = client.get(article_index.url, {name: "no-such-thing"})
        assert response.status_code == 200
        html = response.content.decode()
        assert f"{NOTICE} the {name} you asked for, so that filter is not applied." in html
        assert _card_titles(html) == ALL_ARTICLES
        assert "no-such-thing" not in html

    def test_unknown_slugs_for_both_are_named_in_one_notice(self, client, article_index, articles):
        html = client.get(
            article_index.url, {"specialty": "nope", "procedure": "nope"}
        ).content.decode()
        assert f"{NOTICE} the specialty or procedure you asked for" in html

    def test_a_known_filter_still_applies_next_to_an_unknown_one(
        self, client, article_index, articles
    ):
        html = client.get(
            article_index.url, {"specialty": "cardiology", "procedure": "nope"}
        ).content.decode()
        assert f"{NOTICE} the procedure you asked for" in html
        assert _card_titles(html) == {"Laser for veins", "Heart only"}

    def test_unpublished_specialty_or_procedure_is_unknown(
        self, client, article_index, articles, vascular, evla
    ):
        # Filter options are cached; unpublishing must drop them.
        client.get(article_index.url, {"specialty": "vascular-surgery"})
        vascular.unpublish()
        evla.unpublish()
        html = client.get(
            article_index.url, {"specialty": "vascular-surgery", "procedure": evla.slug}
        ).content.decode()
        assert f"{NOTICE} the specialty or procedure you asked for" in html
        assert _card_titles(html) == ALL_ARTICLES
        assert 'value="vascular-surgery"' not in html
        assert 'value="endovenous-laser-ablation"' not in html

    @pytest.mark.parametrize("value", MALFORMED_VALUES)
    @pytest.mark.parametrize("name", ["specialty", "procedure"])
    def test_malformed_values_give_a_normal_page(
        self, client, article_index, articles, name, value
    ):
        response = client.get(article_index.url, {name: value})
        assert response.status_code == 200
        html = response.content.decode()
        assert NOTICE in html
        assert _card_titles(html) == ALL_ARTICLES
        _assert_nothing_reflected(html)

    @pytest.mark.parametrize(
        "query",
        [
            "specialty=nope&specialty=vascular-surgery",
            "specialty=vascular-surgery&specialty=nope",
            "specialty=%3Cscript%3E&specialty=%00&procedure=a&procedure=b",
            "specialty[]=vascular-surgery&procedure=%ZZ",
            "specialty=" + "%25" * 2000,
        ],
    )
    def test_repeated_and_odd_parameters_give_a_normal_page(
        self, client, article_index, articles, query
    ):
        response = client.get(f"{article_index.url}?{query}")
        assert response.status_code == 200
        html = response.content.decode()
        _assert_nothing_reflected(html)
        assert _card_titles(html)

    def test_queries_do_not_grow_with_the_number_of_filtered_articles(
        self, client, article_index, vein_surgeon, vascular, evla
    ):
        def add(n: int):
            for _ in range(n):
                expert = factories.ExpertProfilePageFactory(specialties=specialties(vascular))
                _article(
                    article_index,
                    expert,
                    f"Vein article {expert.pk}",
                    specialty=vascular,
                    related_procedures=related_procedures(evla),
                )

        both = {"specialty": "vascular-surgery", "procedure": "endovenous-laser-ablation"}
        add(1)
        one = warm_query_count(client, article_index.url, both)
        add(ARTICLES_PER_PAGE)
        full = warm_query_count(client, article_index.url, both)
        html = client.get(article_index.url, both).content.decode()
        assert len(_card_titles(html)) == ARTICLES_PER_PAGE
        assert one == full <= FILTERED_ARTICLE_LIST_QUERY_BUDGET


@pytest.fixture
def experts(expert_index, vascular, cardiology, evla, duplex_scan, angioplasty):
    def expert(given, family, in_specialties, procedures):
        return factories.ExpertProfilePageFactory(
            parent=expert_index,
            given_name=given,
            family_name=family,
            specialties=specialties(*in_specialties),
            procedures=procedures,
        )

    return {
        "laser": expert("Ada", "Laser", [vascular], [evla]),
        "scans": expert("Bo", "Scans", [cardiology, vascular], [duplex_scan]),
        "heart": expert("Cy", "Heart", [cardiology], [angioplasty, evla]),
    }


ALL_EXPERTS = {"Dr Ada Laser", "Dr Bo Scans", "Dr Cy Heart"}


@pytest.mark.django_db
class TestExpertDirectoryFilters:
    def test_by_specialty(self, client, expert_index, experts):
        html = client.get(expert_index.url, {"specialty": "vascular-surgery"}).content.decode()
        assert _expert_names(html) == {"Dr Ada Laser", "Dr Bo Scans"}
        assert "2 experts in Vascular surgery" in html

    def test_by_procedure(self, client, expert_index, experts):
        html = client.get(
            expert_index.url, {"procedure": "endovenous-laser-ablation"}
        ).content.decode()
        assert _expert_names(html) == {"Dr Ada Laser", "Dr Cy Heart"}
        assert "2 experts for Endovenous laser ablation" in html

    def test_by_specialty_and_procedure_together(self, client, expert_index, experts):
        both = {"specialty": "cardiology", "procedure": "endovenous-laser-ablation"}
        html = client.get(expert_index.url, both).content.decode()
        assert _expert_names(html) == {"Dr Cy Heart"}
        assert "1 expert in Cardiology for Endovenous laser ablation" in html

    def test_unpublished_experts_are_not_listed(self, client, expert_index, experts):
        experts["laser"].unpublish()
        html = client.get(expert_index.url, {"specialty": "vascular-surgery"}).content.decode()
        assert _expert_names(html) == {"Dr Bo Scans"}

    def test_pagination_links_keep_the_filter(
        self, client, expert_index, vascular, cardiology, evla
    ):
        for i in range(EXPERTS_PER_PAGE + 1):
            factories.ExpertProfilePageFactory(
                parent=expert_index,
                given_name="Vee",
                family_name=f"Surgeon{i:02d}",
                specialties=specialties(vascular),
                procedures=[evla],
            )
        factories.ExpertProfilePageFactory(
            parent=expert_index, family_name="Cardio", specialties=specialties(cardiology)
        )
        both = {"specialty": "vascular-surgery", "procedure": "endovenous-laser-ablation"}
        first = client.get(expert_index.url, both).content.decode()
        assert (
            'rel="next" href="?specialty=vascular-surgery&amp;'
            'procedure=endovenous-laser-ablation&amp;page=2"'
        ) in first
        second = client.get(expert_index.url, {**both, "page": "2"}).content.decode()
        assert _expert_names(second) == {f"Dr Vee Surgeon{EXPERTS_PER_PAGE:02d}"}
        past_the_end = client.get(expert_index.url, {**both, "page": "999"})
        assert past_the_end.status_code == 200
        assert _expert_names(past_the_end.content.decode()) == _expert_names(second)

    @pytest.mark.parametrize("name", ["specialty", "procedure"])
    def test_unknown_slug_is_ignored_with_a_notice(self, client, expert_index, experts, name):
        response = client.get(expert_index.url, {name: "no-such-thing"})
        assert response.status_code == 200
        html = response.content.decode()
        assert f"{NOTICE} the {name} you asked for" in html
        assert _expert_names(html) == ALL_EXPERTS

    @pytest.mark.parametrize("value", MALFORMED_VALUES)
    @pytest.mark.parametrize("name", ["specialty", "procedure"])
    def test_malformed_values_give_a_normal_page(self, client, expert_index, experts, name, value):
        response = client.get(expert_index.url, {name: value})
        assert response.status_code == 200
        html = response.content.decode()
        assert NOTICE in html
        assert _expert_names(html) == ALL_EXPERTS
        _assert_nothing_reflected(html)

    def test_repeated_parameters_give_a_normal_page(self, client, expert_index, experts):
        response = client.get(f"{expert_index.url}?specialty=a&specialty=b&procedure=%00&page=x")
        assert response.status_code == 200
        assert _expert_names(response.content.decode()) == ALL_EXPERTS

    def test_queries_do_not_grow_with_the_number_of_filtered_experts(
        self, client, expert_index, vascular, evla
    ):
        def add(n: int):
            for _ in range(n):
                expert = factories.ExpertProfilePageFactory(
                    parent=expert_index,
                    photo=factories.ImageFactory(),
                    specialties=specialties(vascular),
                    procedures=[evla],
                )
                factories.PatientRatingFactory(expert=expert)

        both = {"specialty": "vascular-surgery", "procedure": "endovenous-laser-ablation"}
        add(1)
        one = warm_query_count(client, expert_index.url, both)
        add(9)
        ten = warm_query_count(client, expert_index.url, both)
        assert len(_expert_names(client.get(expert_index.url, both).content.decode())) == 10
        assert one == ten <= FILTERED_DIRECTORY_QUERY_BUDGET


@pytest.fixture
def searchable(article_index, expert_index, vein_surgeon, vascular, evla):
    """An article with a rare word in its body, an expert, a procedure and a specialty."""
    article = _article(
        article_index,
        vein_surgeon,
        "After your vein treatment",
        body=stream_data(
            (
                "question",
                {
                    "question": "What happens afterwards?",
                    "answer": "<p>You wear compression hosiery after the phlebectomy.</p>",
                },
            )
        ),
    )
    return {"article": article, "expert": vein_surgeon, "procedure": evla, "specialty": vascular}


SEARCH_URL = "/search/"


@pytest.mark.django_db
class TestSearch:
    def test_finds_an_article_by_a_word_in_its_body(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "phlebectomy"}).content.decode()
        article = searchable["article"]
        assert _results(html) == [("Article", article.url, "After your vein treatment")]
        assert "1 result for “phlebectomy”" in html

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL only; CI runs the suite on it too"
    )
    def test_on_postgresql_search_is_its_full_text_search(self, client, searchable):
        assert isinstance(get_search_backend(), PostgresSearchBackend)
        html = client.get(SEARCH_URL, {"q": "phlebectomy compression"}).content.decode()
        assert [r[2] for r in _results(html)] == ["After your vein treatment"]

    def test_finds_an_expert_by_name(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "Quill"}).content.decode()
        assert ("Expert", searchable["expert"].url, "Dr Ada Quill") in _results(html)

    def test_finds_a_procedure_by_a_synonym(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "EVLA"}).content.decode()
        evla = searchable["procedure"]
        assert ("Procedure", evla.url, "Endovenous laser ablation") in _results(html)
        assert "A laser seals the faulty vein from inside." in html

    def test_finds_a_specialty_by_name(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "vascular"}).content.decode()
        vascular = searchable["specialty"]
        assert ("Specialty", vascular.url, "Vascular surgery") in _results(html)

    def test_finds_an_article_by_a_synonym_of_a_procedure_the_editor_just_related(
        self, client, searchable
    ):
        article = searchable["article"]
        article.related_procedures = related_procedures(searchable["procedure"])
        factories.approve_and_publish(article, factories.ExpertProfilePageFactory())
        html = client.get(SEARCH_URL, {"q": "EVLA"}).content.decode()
        assert ("Article", article.url, "After your vein treatment") in _results(html)

    def test_finds_an_expert_by_a_procedure_just_added_to_their_profile(self, client, searchable):
        expert = searchable["expert"]
        expert.procedures = [searchable["procedure"]]
        expert.save_revision().publish()
        html = client.get(SEARCH_URL, {"q": "endovenous"}).content.decode()
        assert ("Expert", expert.url, "Dr Ada Quill") in _results(html)

    def test_all_words_must_match(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "phlebectomy Quill"}).content.decode()
        assert _results(html) == []
        assert "Nothing matched." in html

    def test_does_not_list_unpublished_pages(self, client, searchable):
        for page in searchable.values():
            page.unpublish()
        for q in ["phlebectomy", "Quill", "EVLA", "vascular"]:
            html = client.get(SEARCH_URL, {"q": q}).content.decode()
            assert _results(html) == [], q
            assert "0 results for" in html

    def test_does_not_list_other_page_types(self, client, searchable, article_index, home):
        article = _article(article_index, searchable["expert"], "Health articles we trust")
        html = client.get(SEARCH_URL, {"q": "health articles"}).content.decode()
        # The article index and the home page are pages too, but not searchable ones.
        assert _results(html) == [("Article", article.url, "Health articles we trust")]

    @pytest.mark.parametrize("q", [None, "", "   ", "\x00", "\t\n"])
    def test_empty_query_shows_the_form_and_no_results(self, client, searchable, q):
        response = client.get(SEARCH_URL, {} if q is None else {"q": q})
        assert response.status_code == 200
        html = response.content.decode()
        assert '<form class="search-form" role="search" method="get">' in html
        assert '<input id="search-q" type="search" name="q" value="" maxlength="200">' in html
        assert "result-count" not in html
        assert "search-results" not in html
        assert "Nothing matched." not in html

    def test_a_2000_character_query_gives_a_normal_page(self, client, searchable):
        for q in ["phlebectomy" + "x" * 1989, "phlebectomy " * 167 + "vein", "é" * 2000]:
            assert len(q) >= 2000
            response = client.get(SEARCH_URL, {"q": q})
            assert response.status_code == 200
            assert 'class="result-count"' in response.content.decode()

    def test_markup_in_the_query_is_escaped(self, client, searchable):
        response = client.get(SEARCH_URL, {"q": SCRIPT})
        assert response.status_code == 200
        html = response.content.decode()
        assert SCRIPT not in html
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text

    def test_markup_in_an_attribute_is_escaped(self, client, searchable):
        response = client.get(SEARCH_URL, {"q": '" autofocus onfocus="alert(1)'})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'onfocus="alert(1)' not in html
        value = re.search(r'<input id="search-q" type="search" name="q" value="([^"]*)"', html)
        assert "autofocus onfocus=" in value[1]

    @pytest.mark.parametrize(
        "q",
        [
            '"phlebectomy"',
            '"phlebectomy',
            'compression "phlebectomy',
        ],
    )
    def test_a_quoted_word_is_searched_for(self, client, searchable, q):
        response = client.get(SEARCH_URL, {"q": q})
        assert response.status_code == 200
        assert [t for _, _, t in _results(response.content.decode())] == [
            "After your vein treatment"
        ]

    @pytest.mark.parametrize("q", ["a\x00b", "phlebectomy\x00", "\x00\x00<b>\x00", "\x1b[31m"])
    def test_control_characters_give_a_normal_page(self, client, searchable, q):
        response = client.get(SEARCH_URL, {"q": q})
        assert response.status_code == 200
        html = response.content.decode()
        assert "\x00" not in html and "\x1b" not in html
        assert "<b>" not in html

    def test_a_nul_byte_separates_words(self, client, searchable):
        html = client.get(SEARCH_URL, {"q": "phlebectomy\x00hosiery"}).content.decode()
        assert [title for _, _, title in _results(html)] == ["After your vein treatment"]

    @pytest.mark.parametrize(
        "q",
        [
            "!",
            "&",
            "|",
            "'",
            '"',
            "\\",
            ":*",
            "(",
            ")",
            "-",
            "*",
            "a:b",
            "vein & | !",
            '"unclosed',
            "it's",
            "NEAR(vein)",
            "vein OR",
            "AND",
            "%",
            "_",
        ],
    )
    def test_query_syntax_characters_give_a_normal_page(self, client, searchable, q):
        response = client.get(SEARCH_URL, {"q": q})
        assert response.status_code == 200
        html = response.content.decode()
        assert '<form class="search-form" role="search" method="get">' in html
        _assert_nothing_reflected(html)

    @pytest.mark.parametrize("page", ["999", "abc", "0", "-1", "", "1.5", "\x00"])
    def test_bad_page_numbers_give_a_normal_page(self, client, searchable, page):
        response = client.get(SEARCH_URL, {"q": "phlebectomy", "page": page})
        assert response.status_code == 200
        assert [t for _, _, t in _results(response.content.decode())] == [
            "After your vein treatment"
        ]

    def test_pagination_links_keep_the_query(self, client, article_index, vein_surgeon):
        for i in range(RESULTS_PER_PAGE + 1):
            _article(article_index, vein_surgeon, f"Sclerotherapy guide {i:02d}")
        first = client.get(SEARCH_URL, {"q": "sclerotherapy guide"}).content.decode()
        assert len(_results(first)) == RESULTS_PER_PAGE
        assert 'rel="next" href="?q=sclerotherapy+guide&amp;page=2"' in first
        second = client.get(SEARCH_URL, {"q": "sclerotherapy guide", "page": "2"})
        assert len(_results(second.content.decode())) == 1
        last = client.get(SEARCH_URL, {"q": "sclerotherapy guide", "page": "999"})
        assert last.status_code == 200
        assert _results(last.content.decode()) == _results(second.content.decode())

    def test_queries_do_not_grow_with_the_number_of_results(
        self, client, article_index, expert_index, procedure_index, vascular
    ):
        def add(n: int):
            for _ in range(n):
                expert = factories.ExpertProfilePageFactory(
                    parent=expert_index, job_title="Sclerotherapy consultant"
                )
                _article(article_index, expert, f"Sclerotherapy article {expert.pk}")
                factories.ProcedurePageFactory(
                    parent=procedure_index,
                    specialty=vascular,
                    title=f"Sclerotherapy variant {expert.pk}",
                )

        params = {"q": "sclerotherapy"}
        add(1)
        one = warm_query_count(client, SEARCH_URL, params)
        assert len(_results(client.get(SEARCH_URL, params).content.decode())) == 3
        add(4)
        fifteen = warm_query_count(client, SEARCH_URL, params)
        assert len(_results(client.get(SEARCH_URL, params).content.decode())) == 15
        assert one == fifteen <= SEARCH_BASE_QUERIES + 3  # three page types on the page

    def test_queries_do_not_grow_with_the_number_of_article_results(
        self, client, article_index, vein_surgeon
    ):
        params = {"q": "sclerotherapy"}
        _article(article_index, vein_surgeon, "Sclerotherapy article 0")
        one = warm_query_count(client, SEARCH_URL, params)
        for i in range(1, 15):
            _article(article_index, vein_surgeon, f"Sclerotherapy article {i}")
        fifteen = warm_query_count(client, SEARCH_URL, params)
        assert len(_results(client.get(SEARCH_URL, params).content.decode())) == 15
        assert one == fifteen <= SEARCH_BASE_QUERIES + 1  # one page type on the page

    def test_results_of_every_type_stay_within_budget(
        self, client, searchable, expert_index, procedure_index, vascular
    ):
        factories.ExpertProfilePageFactory(parent=expert_index, job_title="Vascular nurse")
        factories.ProcedurePageFactory(
            parent=procedure_index, specialty=vascular, summary="Vascular imaging."
        )
        _article(searchable["article"].get_parent(), searchable["expert"], "Vascular health")
        params = {"q": "vascular"}
        kinds = {kind for kind, _, _ in _results(client.get(SEARCH_URL, params).content.decode())}
        assert kinds == {"Article", "Expert", "Procedure", "Specialty"}
        assert warm_query_count(client, SEARCH_URL, params) <= SEARCH_QUERY_BUDGET


@pytest.mark.django_db
def test_search_leaves_out_pages_behind_a_password(client, article_index):
    from wagtail.models import PageViewRestriction

    article = factories.ArticlePageFactory(parent=article_index, title="Confidential xylophone")
    assert "Confidential xylophone" in client.get(SEARCH_URL, {"q": "xylophone"}).content.decode()
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert (
        "Confidential xylophone" not in client.get(SEARCH_URL, {"q": "xylophone"}).content.decode()
    )


@pytest.mark.django_db
def test_filter_options_list_only_this_sites_specialties(client, article_index):
    from wagtail.models import Page, Site

    factories.SpecialtyPageFactory(title="Our cardiology")
    other_home = Page.get_first_root_node().add_child(title="Other site", slug="other-site")
    Site.objects.create(hostname="other.example", root_page=other_home)
    other_index = other_home.add_child(
        instance=factories.SpecialtyIndexPageFactory.build(slug="specialties")
    )
    factories.SpecialtyPageFactory(parent=other_index, title="Their dermatology")
    html = client.get(article_index.url).content.decode()
    assert ">Our cardiology</option>" in html
    assert "Their dermatology" not in html
