"""What a reader sees on an article, and what it costs to serve."""

import datetime
import re

import pytest

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.factories import credits, stream_data
from tests.queries import warm_query_count

# 7 warm queries, and one for the images in the body (page_cache.routes finds the page).
ARTICLE_QUERY_BUDGET = 8


@pytest.fixture
def radiologist(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index,
        honorific="Dr",
        given_name="Ada",
        family_name="Quill",
        short_bio="Treats veins through pinhole incisions.",
        specialties=factories.specialties(
            factories.SpecialtyPageFactory(title="Interventional radiology")
        ),
    )


REVIEWED_AT = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def reviewed_article(article_index, radiologist, reviewing_expert):
    image = factories.ImageFactory(title="Leg veins")
    page = factories.ArticlePageFactory(
        parent=article_index,
        title="Living with leg clots",
        standfirst="What a clot in the leg means for you.",
        publication_date=datetime.date(2026, 1, 2),
        credits=credits(
            (CreditRole.AUTHOR, radiologist),
            (CreditRole.EDITOR, factories.StaffMemberFactory(name="Kim Staff")),
        ),
        body=stream_data(
            ("question", {"question": "What is a clot?", "answer": "<p>Thick blood.</p>"}),
            (
                "subtopic",
                {
                    "heading": "Flying safely",
                    "introduction": "<p>Long flights matter.</p>",
                    "questions": [{"question": "Can I fly?", "answer": "<p>Usually.</p>"}],
                },
            ),
            ("callout", {"level": "urgent", "heading": "Call 999", "text": "<p>Now.</p>"}),
            (
                "image",
                {
                    "image": {"image": image.pk, "decorative": False, "alt_text": "A leg"},
                    "caption": "The deep veins",
                    "credit": "Demo",
                },
            ),
            (
                "sources",
                {"heading": "Sources", "sources": [{"title": "A guideline", "year": 2024}]},
            ),
        ),
    )
    # Approved by the reviewer on 4 March 2026 (next review due a year later), then published.
    factories.approve_and_publish(page, reviewing_expert, approved_at=REVIEWED_AT)
    return page


@pytest.mark.django_db
class TestArticleReader:
    def test_reader_sees_title_credits_and_review_line(
        self, client, reviewed_article, radiologist, reviewing_expert
    ):
        html = client.get(reviewed_article.url).content.decode()
        assert html.count("<h1") == 1
        assert "<h1>Living with leg clots</h1>" in html
        assert f'Written by <a href="{radiologist.url}">Dr Ada Quill</a>' in html
        assert "Edited by Kim Staff" in html
        assert f'Medically reviewed by <a href="{reviewing_expert.url}">Prof Bo Reyes</a>' in html
        assert '<time datetime="2026-03-04">4 March 2026</time>' in html
        assert "What a clot in the leg means for you." in html

    def test_reader_sees_publication_and_review_dates(self, client, reviewed_article):
        html = client.get(reviewed_article.url).content.decode()
        assert '<dt>Published</dt><dd><time datetime="2026-01-02">2 January 2026' in html
        assert '<dt>Next review due</dt><dd><time datetime="2027-03-04">4 March 2027' in html

    def test_no_reviewed_line_without_a_reviewer(self, client, article_index, radiologist):
        reviewed_article = factories.ArticlePageFactory(
            parent=article_index, credits=credits((CreditRole.AUTHOR, radiologist))
        )
        html = client.get(reviewed_article.url).content.decode()
        assert "Medically reviewed by" not in html
        assert "Written by" in html

    def test_body_blocks_render_as_questions_sections_callout_image_and_sources(
        self, client, reviewed_article
    ):
        html = client.get(reviewed_article.url).content.decode()
        assert '<h2 class="qa__question">What is a clot?</h2>' in html
        assert re.search(
            r'<section class="subtopic" aria-labelledby="(subtopic-[^"]+)">\s*'
            r'<h2 id="\1" class="subtopic__heading">Flying safely</h2>',
            html,
        )
        # Questions inside a sub-topic sit one heading level below it.
        assert '<h3 class="qa__question">Can I fly?</h3>' in html
        assert 'class="callout callout--urgent"' in html and "Urgent advice" in html
        assert 'alt="A leg"' in html and "<figcaption>The deep veins" in html
        assert '<li class="source">A guideline, 2024.</li>' in html

    def test_author_box_shows_name_specialty_bio_and_profile_link(
        self, client, reviewed_article, radiologist
    ):
        html = client.get(reviewed_article.url).content.decode()
        assert "About the author: Dr Ada Quill" in html
        assert ">Interventional radiology</a></p>" in html
        assert "Treats veins through pinhole incisions." in html
        assert (
            f'<a href="{radiologist.url}">View profile'
            '<span class="visually-hidden"> of Dr Ada Quill</span></a>'
        ) in html

    def test_credits_keep_the_editor_set_order(
        self, client, article_index, radiologist, reviewing_expert
    ):
        reviewed_article = factories.ArticlePageFactory(
            parent=article_index,
            credits=credits(
                (CreditRole.AUTHOR, reviewing_expert), (CreditRole.AUTHOR, radiologist)
            ),
        )
        html = client.get(reviewed_article.url).content.decode()
        assert html.index("Prof Bo Reyes") < html.index("Dr Ada Quill")


@pytest.mark.django_db
class TestArticleQueryBudget:
    def test_queries_do_not_grow_with_the_number_of_credits(self, client, article_index):
        def article_with(n: int):
            people = [
                (CreditRole.AUTHOR, factories.ExpertProfilePageFactory()) for _ in range(n - 1)
            ]
            return factories.ArticlePageFactory(
                parent=article_index,
                credits=credits(*people, (CreditRole.EDITOR, factories.StaffMemberFactory())),
            )

        small, large = article_with(2), article_with(12)
        small_count = warm_query_count(client, small.url)
        large_count = warm_query_count(client, large.url)
        assert large.credits.count() == 12
        assert small_count == large_count
        assert large_count <= ARTICLE_QUERY_BUDGET

    def test_full_article_with_image_stays_within_budget(self, client, reviewed_article):
        assert warm_query_count(client, reviewed_article.url) <= ARTICLE_QUERY_BUDGET


@pytest.mark.django_db
def test_an_unpublished_authors_name_is_shown_without_a_link(
    client, reviewed_article, radiologist
):
    profile_url = radiologist.url
    radiologist.unpublish()
    html = client.get(reviewed_article.url).content.decode()
    assert "Written by Dr Ada Quill" in html
    assert f'href="{profile_url}"' not in html
    assert "View profile" not in html
