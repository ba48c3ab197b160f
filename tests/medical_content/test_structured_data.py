"""What search engines read from a page: JSON-LD, title, description, canonical URL, Open Graph.

The JSON-LD is parsed from the rendered HTML, as a crawler would, and checked field by field.
"""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medical_content import factories
from medical_content.choices import CreditRole, ProcedureKind, RatingStatus
from medical_content.factories import credits, related_procedures
from medical_content.templatetags import medical_content_tags

BASE = "http://localhost"  # the default Site's root_url, whatever the request's Host
SCRIPT_BREAKER = "</script><script>alert(1)</script>"


class _PageParser(HTMLParser):
    """Collects the JSON-LD scripts, the <title>, <meta> and <link> tags of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.json_ld: list[str] = []
        self.title = ""
        self.metas: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"
        elif tag == "meta":
            self.metas.append(attributes)
        elif tag == "link":
            self.links.append(attributes)

    def handle_endtag(self, tag):
        if tag in ("script", "title"):
            self._in = None

    def handle_data(self, data):
        if self._in == "json_ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def _parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser


def _get(client, url: str, data: dict | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode()


def json_ld(html: str) -> list[dict]:
    """Every JSON-LD object on the page, a top-level array flattened into its items."""
    objects: list[dict] = []
    for text in _parse(html).json_ld:
        data = json.loads(text)
        objects += data if isinstance(data, list) else [data]
    return objects


def one_of_type(html: str, schema_type: str) -> dict:
    matches = [o for o in json_ld(html) if o.get("@type") == schema_type]
    assert len(matches) == 1, f"expected one {schema_type}, got {json_ld(html)}"
    return matches[0]


def meta(html: str, key: str) -> str | None:
    """The content of the <meta name=key> or <meta property=key> tag, if there is one."""
    contents = [
        m.get("content")
        for m in _parse(html).metas
        if m.get("name") == key or m.get("property") == key
    ]
    assert len(contents) <= 1, f"{key} appears {len(contents)} times"
    return contents[0] if contents else None


def canonical(html: str) -> str:
    hrefs = [link["href"] for link in _parse(html).links if link.get("rel") == "canonical"]
    assert len(hrefs) == 1
    return hrefs[0]


def absolute(page) -> str:
    return BASE + page.url


@pytest.fixture
def lead_author(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Dr", given_name="Ada", family_name="Quill"
    )


@pytest.fixture
def co_author(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Mr", given_name="Tom", family_name="Vance"
    )


@pytest.fixture
def specialty():
    return factories.SpecialtyPageFactory(title="Vascular surgery")


@pytest.fixture
def treatment(specialty):
    return factories.ProcedurePageFactory(
        title="Vein ablation",
        kind=ProcedureKind.TREATMENT,
        specialty=specialty,
        summary="Closing a faulty vein with heat.",
        synonyms="Endovenous ablation, EVLA ,  ",
    )


@pytest.fixture
def scan(specialty):
    return factories.ProcedurePageFactory(
        title="Duplex ultrasound", kind=ProcedureKind.DIAGNOSTIC_TEST, specialty=specialty
    )


@pytest.fixture
def condition(specialty):
    return factories.ProcedurePageFactory(
        title="Deep vein thrombosis",
        kind=ProcedureKind.CONDITION,
        specialty=specialty,
        summary="A blood clot in a deep vein.",
        synonyms="DVT",
    )


REVIEWED_AT = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coauthored_article(
    article_index, lead_author, co_author, reviewing_expert, treatment, scan, condition
):
    page = factories.ArticlePageFactory(
        parent=article_index,
        title="Living with leg clots",
        standfirst="What a clot in the leg means for you.",
        publication_date=datetime.date(2026, 1, 2),
        credits=credits(
            (CreditRole.AUTHOR, lead_author),
            (CreditRole.AUTHOR, co_author),
            (CreditRole.EDITOR, factories.StaffMemberFactory(name="Kim Staff")),
        ),
        # Editor order, deliberately not alphabetical.
        related_procedures=related_procedures(scan, condition, treatment),
    )
    # Approved by the reviewer on 4 March 2026 (next review due a year later), then published.
    factories.approve_and_publish(page, reviewing_expert, approved_at=REVIEWED_AT)
    return page


@pytest.fixture
def registered_expert(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index,
        honorific="Dr",
        given_name="Ines",
        family_name="Marlow",
        short_bio="Looks after hearts.",
        registration_body="A medical council",
        registration_number="AB-1234",
        qualifications=[
            factories.ExpertQualificationFactory.build(
                title="MB ChB", institution="Northfield University", year=2004
            ),
            factories.ExpertQualificationFactory.build(
                title="MRCP", institution="A college", year=None
            ),
        ],
    )


def _rate(registered_expert, *scores: int, status: str = RatingStatus.APPROVED) -> None:
    for score in scores:
        factories.PatientRatingFactory(expert=registered_expert, score=score, status=status)


@pytest.mark.django_db
class TestArticleStructuredData:
    def test_article_is_a_medical_web_page_about_itself(self, client, coauthored_article):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["@context"] == "https://schema.org"
        assert data["name"] == data["headline"] == "Living with leg clots"
        assert data["description"] == "What a clot in the leg means for you."
        assert data["url"] == absolute(coauthored_article)

    def test_authors_are_the_expert_authors_with_their_profile_urls(
        self, client, coauthored_article, lead_author, co_author
    ):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["author"] == [
            {"@type": "Physician", "name": "Dr Ada Quill", "url": absolute(lead_author)},
            {"@type": "Physician", "name": "Mr Tom Vance", "url": absolute(co_author)},
        ]

    def test_editor_includes_a_staff_member_as_a_person_by_name(self, client, coauthored_article):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert {"@type": "Person", "name": "Kim Staff"} in data["editor"]

    def test_an_expert_editor_is_a_physician_with_a_profile_url(
        self, client, article_index, lead_author, reviewing_expert
    ):
        coauthored_article = factories.ArticlePageFactory(
            parent=article_index,
            credits=credits(
                (CreditRole.AUTHOR, lead_author), (CreditRole.EDITOR, reviewing_expert)
            ),
        )
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["editor"] == [
            {"@type": "Physician", "name": "Prof Bo Reyes", "url": absolute(reviewing_expert)}
        ]

    def test_reviewed_by_is_the_medical_reviewer(
        self, client, coauthored_article, reviewing_expert
    ):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["reviewedBy"] == [
            {"@type": "Physician", "name": "Prof Bo Reyes", "url": absolute(reviewing_expert)}
        ]

    def test_review_and_publication_dates_are_iso_dates(self, client, coauthored_article):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["lastReviewed"] == "2026-03-04"
        assert data["datePublished"] == "2026-01-02"

    def test_about_lists_related_procedures_in_editor_order_with_a_type_per_kind(
        self, client, coauthored_article, treatment, scan, condition
    ):
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert data["about"] == [
            {"@type": "DiagnosticProcedure", "name": "Duplex ultrasound", "url": absolute(scan)},
            {
                "@type": "MedicalCondition",
                "name": "Deep vein thrombosis",
                "url": absolute(condition),
            },
            {"@type": "MedicalProcedure", "name": "Vein ablation", "url": absolute(treatment)},
        ]

    def test_about_leaves_out_unpublished_procedures(self, client, coauthored_article, scan):
        scan.unpublish()
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert "Duplex ultrasound" not in [thing["name"] for thing in data["about"]]
        assert len(data["about"]) == 2

    def test_no_reviewed_by_key_without_a_reviewer(self, client, article_index, lead_author):
        coauthored_article = factories.ArticlePageFactory(
            parent=article_index, credits=credits((CreditRole.AUTHOR, lead_author))
        )
        data = one_of_type(_get(client, coauthored_article.url), "MedicalWebPage")
        assert "reviewedBy" not in data
        assert "editor" not in data
        assert data["author"][0]["name"] == "Dr Ada Quill"


@pytest.mark.django_db
class TestExpertProfileStructuredData:
    def test_profile_is_a_physician_with_name_url_and_description(self, client, registered_expert):
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert data["@context"] == "https://schema.org"
        assert data["name"] == "Dr Ines Marlow"
        assert data["url"] == absolute(registered_expert)
        assert data["description"] == "Looks after hearts."

    def test_credentials_include_each_qualification(self, client, registered_expert):
        credentials = one_of_type(_get(client, registered_expert.url), "Physician")[
            "hasCredential"
        ]
        degrees = [c for c in credentials if c["credentialCategory"] == "degree"]
        assert [(c["name"], c["recognizedBy"]["name"]) for c in degrees] == [
            ("MB ChB", "Northfield University"),
            ("MRCP", "A college"),
        ]
        assert degrees[0]["dateCreated"] == "2004"
        assert degrees[0]["recognizedBy"]["@type"] == "Organization"
        # No year was given, so no date is claimed.
        assert "dateCreated" not in degrees[1]

    def test_credentials_include_the_registration_as_a_licence(self, client, registered_expert):
        credentials = one_of_type(_get(client, registered_expert.url), "Physician")[
            "hasCredential"
        ]
        licences = [c for c in credentials if c["credentialCategory"] == "license"]
        assert len(licences) == 1
        assert licences[0]["identifier"] == "AB-1234"
        assert licences[0]["recognizedBy"] == {
            "@type": "Organization",
            "name": "A medical council",
        }

    def test_knows_about_its_specialties_and_lists_languages_and_hospitals(
        self, client, expert_index
    ):
        registered_expert = factories.ExpertProfilePageFactory(
            parent=expert_index,
            languages="English, Welsh ,  ",
            specialties=factories.specialties(
                factories.SpecialtyPageFactory(title="Cardiology"),
                factories.SpecialtyPageFactory(title="Cardiac imaging"),
            ),
            locations=[factories.ExpertLocationFactory.build(name="Riverside Hospital")],
        )
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert data["knowsAbout"] == ["Cardiology", "Cardiac imaging"]
        assert data["availableLanguage"] == ["English", "Welsh"]
        assert data["hospitalAffiliation"] == [{"@type": "Hospital", "name": "Riverside Hospital"}]

    def test_no_licence_credential_without_a_registration_body(self, client, expert_index):
        registered_expert = factories.ExpertProfilePageFactory(
            parent=expert_index, registration_body=""
        )
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert [c for c in data["hasCredential"] if c["credentialCategory"] == "license"] == []

    def test_no_aggregate_rating_by_default_even_with_approved_ratings(
        self, client, registered_expert
    ):
        _rate(registered_expert, 5, 4)
        html = _get(client, registered_expert.url)
        assert "aggregateRating" not in one_of_type(html, "Physician")
        assert "AggregateRating" not in html

    def test_an_independent_directory_publishes_the_rating_of_approved_ratings_only(
        self, client, registered_expert, settings
    ):
        settings.MEDICAL_CONTENT_INDEPENDENT_DIRECTORY = True
        _rate(registered_expert, 5, 4)
        _rate(registered_expert, 1, 1, status=RatingStatus.PENDING)
        _rate(registered_expert, 1, status=RatingStatus.REJECTED)
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert data["aggregateRating"] == {
            "@type": "AggregateRating",
            "ratingValue": "4.5",
            "ratingCount": 2,
            "bestRating": 5,
            "worstRating": 1,
        }

    def test_rating_value_is_rounded_to_one_decimal_place(
        self, client, registered_expert, settings
    ):
        settings.MEDICAL_CONTENT_INDEPENDENT_DIRECTORY = True
        _rate(registered_expert, 5, 5, 4, 5)  # 4.75
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert data["aggregateRating"]["ratingValue"] == "4.8"
        assert data["aggregateRating"]["ratingCount"] == 4

    def test_no_aggregate_rating_without_approved_ratings_even_in_a_directory(
        self, client, registered_expert, settings
    ):
        settings.MEDICAL_CONTENT_INDEPENDENT_DIRECTORY = True
        _rate(registered_expert, 5, status=RatingStatus.PENDING)
        _rate(registered_expert, 4, status=RatingStatus.REJECTED)
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert "aggregateRating" not in data

    def test_no_aggregate_rating_for_an_expert_never_rated_in_a_directory(
        self, client, registered_expert, settings
    ):
        settings.MEDICAL_CONTENT_INDEPENDENT_DIRECTORY = True
        data = one_of_type(_get(client, registered_expert.url), "Physician")
        assert "aggregateRating" not in data


@pytest.mark.django_db
class TestProcedureStructuredData:
    def test_treatment_is_a_medical_procedure_with_summary_and_synonyms(
        self, client, home, treatment
    ):
        data = one_of_type(_get(client, treatment.url), "MedicalProcedure")
        assert data["name"] == "Vein ablation"
        assert data["description"] == "Closing a faulty vein with heat."
        assert data["alternateName"] == ["Endovenous ablation", "EVLA"]
        assert data["url"] == absolute(treatment)

    def test_diagnostic_test_is_a_diagnostic_procedure(self, client, home, scan):
        data = one_of_type(_get(client, scan.url), "DiagnosticProcedure")
        assert data["name"] == "Duplex ultrasound"

    def test_condition_is_a_medical_condition_with_its_treatments(
        self, client, home, condition, specialty
    ):
        treatment = factories.ProcedurePageFactory(
            title="Blood thinners", specialty=specialty, related_conditions=[condition]
        )
        html = _get(client, condition.url)
        data = one_of_type(html, "MedicalCondition")
        assert data["name"] == "Deep vein thrombosis"
        assert data["alternateName"] == ["DVT"]
        assert data["possibleTreatment"] == [
            {"@type": "MedicalProcedure", "name": "Blood thinners", "url": absolute(treatment)}
        ]
        assert [o for o in json_ld(html) if o["@type"] == "MedicalProcedure"] == []


@pytest.fixture
def trail_pages(
    home, article_index, expert_index, coauthored_article, registered_expert, treatment, specialty
):
    """One page of each kind that has a breadcrumb trail, with the trail's length."""
    specialty_index = specialty.get_parent().specific
    procedure_index = treatment.get_parent().specific
    return {
        "article": (coauthored_article, 3),
        "profile": (registered_expert, 3),
        "procedure": (treatment, 3),
        "specialty": (specialty, 3),
        "article index": (article_index, 2),
        "expert index": (expert_index, 2),
        "specialty index": (specialty_index, 2),
        "procedure index": (procedure_index, 2),
    }


PAGE_KINDS = [
    "article",
    "profile",
    "procedure",
    "specialty",
    "article index",
    "expert index",
    "specialty index",
    "procedure index",
]


@pytest.mark.django_db
class TestBreadcrumbs:
    @pytest.mark.parametrize("kind", PAGE_KINDS)
    def test_breadcrumb_list_runs_from_home_to_the_page(self, client, trail_pages, kind):
        page, length = trail_pages[kind]
        items = one_of_type(_get(client, page.url), "BreadcrumbList")["itemListElement"]
        assert len(items) == length
        assert [item["position"] for item in items] == list(range(1, length + 1))
        assert all(item["@type"] == "ListItem" for item in items)
        assert (items[0]["name"], items[0]["item"]) == ("Home", BASE + "/")
        assert (items[-1]["name"], items[-1]["item"]) == (page.title, absolute(page))

    def test_breadcrumb_list_links_each_ancestor_absolutely(
        self, client, coauthored_article, article_index
    ):
        items = one_of_type(_get(client, coauthored_article.url), "BreadcrumbList")[
            "itemListElement"
        ]
        assert [(item["name"], item["item"]) for item in items] == [
            ("Home", BASE + "/"),
            ("Health articles", absolute(article_index)),
            ("Living with leg clots", absolute(coauthored_article)),
        ]

    @pytest.mark.parametrize("kind", PAGE_KINDS)
    def test_visible_trail_marks_the_current_page(self, client, trail_pages, kind):
        page, length = trail_pages[kind]
        html = _get(client, page.url)
        assert html.count('aria-label="Breadcrumb"') == 1
        trail = html.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
        assert trail.count("<li>") == length
        assert '<li><a href="/">Home</a></li>' in trail
        assert f'<span aria-current="page">{page.title}</span></li>' in trail
        # The current page is the last crumb and is not a link.
        assert trail.rindex("<li>") < trail.index('aria-current="page"')
        assert f'href="{page.url}"' not in trail

    def test_search_page_has_a_breadcrumb_list_to_itself(self, client, home):
        items = one_of_type(_get(client, "/search/", {"q": "clot"}), "BreadcrumbList")
        assert [(i["position"], i["name"], i["item"]) for i in items["itemListElement"]] == [
            (1, "Home", BASE + "/"),
            (2, "Search", BASE + "/search/"),
        ]

    def test_home_page_has_a_one_item_breadcrumb_list_and_no_visible_trail(self, client, home):
        html = _get(client, "/")
        items = one_of_type(html, "BreadcrumbList")["itemListElement"]
        assert items == [{"@type": "ListItem", "position": 1, "name": "Home", "item": BASE + "/"}]
        assert 'aria-label="Breadcrumb"' not in html


@pytest.mark.django_db
class TestHomePageStructuredData:
    def test_home_page_is_a_website_with_a_search_action(self, client, home):
        data = one_of_type(_get(client, "/"), "WebSite")
        assert data["url"] == BASE + "/"
        assert data["name"] == "Clearwell Health"
        action = data["potentialAction"]
        assert action["@type"] == "SearchAction"
        assert action["target"] == BASE + "/search/?q={search_term_string}"
        assert action["query-input"] == "required name=search_term_string"

    def test_search_action_target_is_the_sites_search_page(self, client, home):
        target = one_of_type(_get(client, "/"), "WebSite")["potentialAction"]["target"]
        url = target.replace(BASE, "").replace("{search_term_string}", "clot")
        assert client.get(url).status_code == 200

    @pytest.mark.parametrize("kind", ["article index", "expert index", "specialty"])
    def test_listings_are_collection_pages(self, client, trail_pages, kind):
        page, _ = trail_pages[kind]
        data = one_of_type(_get(client, page.url), "CollectionPage")
        assert data["name"] == page.title
        assert data["url"] == absolute(page)


@pytest.mark.django_db
class TestPageMetadata:
    def test_title_is_the_page_title_or_its_seo_title(self, client, article_index):
        plain = factories.ArticlePageFactory(parent=article_index, title="Leg clots")
        seo = factories.ArticlePageFactory(
            parent=article_index, title="Clots", seo_title="Leg clots: symptoms and treatment"
        )
        assert _parse(_get(client, plain.url)).title.strip() == "Leg clots"
        html = _get(client, seo.url)
        assert _parse(html).title.strip() == "Leg clots: symptoms and treatment"
        assert meta(html, "og:title") == "Leg clots: symptoms and treatment"

    def test_title_ends_with_the_site_name_when_the_site_has_one(self, client, coauthored_article):
        site = coauthored_article.get_site()
        site.site_name = "Clearwell"
        site.save()
        html = _get(client, coauthored_article.url)
        assert _parse(html).title.strip() == "Living with leg clots | Clearwell"
        assert meta(html, "og:site_name") == "Clearwell"

    def test_a_home_page_named_like_the_site_does_not_repeat_the_name(
        self, client, coauthored_article
    ):
        site = coauthored_article.get_site()
        site.site_name = site.root_page.title
        site.save()
        assert _parse(_get(client, "/")).title.strip() == site.site_name
        # What counts is the title shown: an SEO title that differs gets the suffix.
        home = site.root_page.specific
        home.seo_title = "Health information you can trust"
        home.save_revision().publish()
        assert _parse(_get(client, "/")).title.strip() == (
            f"Health information you can trust | {site.site_name}"
        )
        assert _parse(_get(client, coauthored_article.url)).title.strip() == (
            f"Living with leg clots | {site.site_name}"
        )

    def test_meta_description_is_the_search_description(self, client, article_index):
        coauthored_article = factories.ArticlePageFactory(
            parent=article_index,
            search_description="Clots explained for patients.",
            standfirst="A long standfirst.",
        )
        html = _get(client, coauthored_article.url)
        assert meta(html, "description") == "Clots explained for patients."
        assert meta(html, "og:description") == "Clots explained for patients."

    def test_meta_description_falls_back_to_the_standfirst(self, client, coauthored_article):
        assert coauthored_article.search_description == ""
        html = _get(client, coauthored_article.url)
        assert meta(html, "description") == "What a clot in the leg means for you."
        assert meta(html, "og:description") == "What a clot in the leg means for you."

    def test_meta_description_is_escaped_in_its_attribute(self, client, article_index):
        text = 'Say "no" to <b>clots</b> & bruises'
        coauthored_article = factories.ArticlePageFactory(parent=article_index, standfirst=text)
        html = _get(client, coauthored_article.url)
        assert meta(html, "description") == text
        assert meta(html, "og:description") == text
        assert 'content="Say "no"' not in html

    def test_meta_description_is_one_line_and_at_most_300_characters(self, client, article_index):
        coauthored_article = factories.ArticlePageFactory(
            parent=article_index, standfirst="Clots\n  in   legs. " + "x" * 390
        )
        description = meta(_get(client, coauthored_article.url), "description")
        assert description.startswith("Clots in legs. xxx")
        assert len(description) == 300

    def test_meta_description_of_a_profile_falls_back_to_the_short_bio(
        self, client, registered_expert
    ):
        assert meta(_get(client, registered_expert.url), "description") == "Looks after hearts."

    @pytest.mark.parametrize("kind", PAGE_KINDS)
    def test_canonical_and_og_url_are_the_absolute_page_url(self, client, trail_pages, kind):
        page, _ = trail_pages[kind]
        html = _get(client, page.url)
        assert canonical(html) == absolute(page)
        assert meta(html, "og:url") == absolute(page)

    @pytest.mark.parametrize("kind", ["article index", "expert index"])
    def test_canonical_drops_filters_and_unknown_parameters(
        self, client, trail_pages, specialty, kind
    ):
        page, _ = trail_pages[kind]
        html = _get(client, page.url, {"specialty": specialty.slug, "utm_source": "mail"})
        assert canonical(html) == absolute(page)
        assert meta(html, "og:url") == absolute(page)

    def test_canonical_of_a_later_page_of_a_listing_is_the_listing(
        self, client, article_index, lead_author
    ):
        for n in range(13):  # one more than fits on the first page
            factories.ArticlePageFactory(
                parent=article_index,
                title=f"Article {n}",
                credits=credits(("author", lead_author)),
            )
        html = _get(client, article_index.url, {"page": "2"})
        assert "Article 0" in html and "Article 12" not in html  # really the second page
        assert canonical(html) == absolute(article_index)
        assert meta(html, "og:url") == absolute(article_index)

    @pytest.mark.parametrize(
        ("kind", "og_type"),
        [
            ("article", "article"),
            ("profile", "profile"),
            ("procedure", "website"),
            ("article index", "website"),
        ],
    )
    def test_open_graph_type_follows_the_page_type(self, client, trail_pages, kind, og_type):
        page, _ = trail_pages[kind]
        html = _get(client, page.url)
        assert meta(html, "og:type") == og_type
        assert meta(html, "og:title") == page.title


@pytest.mark.django_db
class TestJsonLdSafety:
    @pytest.fixture
    def hostile_article(self, article_index, lead_author):
        return factories.ArticlePageFactory(
            parent=article_index,
            title=f"Clots {SCRIPT_BREAKER} & more",
            slug="clots-hostile",
            standfirst=f"Read this {SCRIPT_BREAKER}<!-- now",
            credits=credits((CreditRole.AUTHOR, lead_author)),
        )

    def test_script_closing_text_cannot_end_the_json_ld_early(self, client, hostile_article):
        html = _get(client, hostile_article.url)
        data = one_of_type(html, "MedicalWebPage")  # would not parse if the script ended early
        assert data["headline"] == f"Clots {SCRIPT_BREAKER} & more"
        assert data["description"] == f"Read this {SCRIPT_BREAKER}<!-- now"
        crumbs = one_of_type(html, "BreadcrumbList")["itemListElement"]
        assert crumbs[-1]["name"] == f"Clots {SCRIPT_BREAKER} & more"
        assert "</script><script>alert(1)" not in html
        assert "<script>alert(1)" not in html

    def test_json_ld_text_holds_no_markup_a_browser_could_act_on(self, client, article_index):
        # "</script " (with a space) also ends a script element, and "<!--" changes how the
        # browser looks for its end: neither may appear unescaped in the JSON text.
        coauthored_article = factories.ArticlePageFactory(
            parent=article_index, title="Clots </script <!-- <script", slug="clots-markup"
        )
        html = _get(client, coauthored_article.url)
        (text,) = _parse(html).json_ld
        assert "</script" not in text.lower()
        assert "<!--" not in text
        assert json.loads(text)[0]["headline"] == "Clots </script <!-- <script"

    def test_page_holds_only_the_one_json_ld_script(self, client, hostile_article):
        parser = _parse(_get(client, hostile_article.url))
        assert len(parser.json_ld) == 1
        assert parser.title.startswith(f"Clots {SCRIPT_BREAKER}")


@pytest.mark.django_db
class TestJsonLdCost:
    @staticmethod
    def _queries(client, url) -> int:
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    @pytest.mark.parametrize("kind", ["article", "profile", "procedure"])
    def test_json_ld_adds_no_queries(self, client, trail_pages, settings, monkeypatch, kind):
        settings.MEDICAL_CONTENT_INDEPENDENT_DIRECTORY = True
        page, _ = trail_pages[kind]
        factories.PatientRatingFactory(expert=trail_pages["profile"][0], score=4)
        with_json_ld = self._queries(client, page.url)
        assert "application/ld+json" in _get(client, page.url)
        monkeypatch.setattr(medical_content_tags.schema, "for_page", lambda *args: [])
        without_json_ld = self._queries(client, page.url)
        assert with_json_ld == without_json_ld


@pytest.mark.django_db
def test_about_claims_only_the_editors_choices_not_the_authors_fallback(
    client, article_index, lead_author, treatment
):
    # The page lists the author's procedures when the editor chose none; the structured data
    # must not claim the article is about all of them.
    lead_author.procedures = [treatment]
    lead_author.save_revision().publish()
    coauthored_article = factories.ArticlePageFactory(
        parent=article_index, credits=factories.credits(("author", lead_author))
    )
    html = _get(client, coauthored_article.url)
    assert treatment.title in html  # shown to readers as a related procedure
    assert one_of_type(html, "MedicalWebPage")["about"] == []
