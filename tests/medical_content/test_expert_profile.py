"""What a reader sees on an expert's profile and in the expert directory."""

import re

import pytest

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.factories import credits
from tests.queries import warm_query_count

PROFILE_QUERY_BUDGET = 9
DIRECTORY_QUERY_BUDGET = 6


@pytest.fixture
def cardiologist(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index,
        honorific="Dr",
        given_name="Ines",
        family_name="Marlow",
        job_title="Consultant cardiologist",
        photo=factories.ImageFactory(title="Portrait"),
        short_bio="Looks after hearts.",
        bio="<p>Dr Marlow has run a heart rhythm clinic for ten years.</p>",
        registration_body="A medical council",
        registration_number="AB-1234",
        languages="English, Welsh ,  ",
        specialties=factories.specialties(
            factories.SpecialtyPageFactory(title="Cardiology"),
            factories.SpecialtyPageFactory(title="Cardiac imaging"),
        ),
        qualifications=[
            factories.ExpertQualificationFactory.build(
                title="MB ChB", institution="Northfield University", year=2004
            ),
            factories.ExpertQualificationFactory.build(
                title="MRCP", institution="A college", year=None
            ),
        ],
        locations=[
            factories.ExpertLocationFactory.build(name="Riverside Hospital", town="Eastbridge")
        ],
    )


@pytest.mark.django_db
class TestExpertProfile:
    def test_reader_sees_who_the_expert_is(self, client, cardiologist):
        html = client.get(cardiologist.url).content.decode()
        assert "<h1>Dr Ines Marlow</h1>" in html
        assert "Consultant cardiologist" in html
        assert 'alt="Photo of Dr Ines Marlow"' in html
        assert re.search(r">Cardiology</a></li><li><a [^>]+>Cardiac imaging</a></li>", html)
        assert "has run a heart rhythm clinic" in html

    def test_reader_sees_qualifications_registration_locations_and_languages(
        self, client, cardiologist
    ):
        html = client.get(cardiologist.url).content.decode()
        assert "<li>MB ChB, Northfield University (2004)</li>" in html
        assert "<li>MRCP, A college</li>" in html
        assert "A medical council, registration number AB-1234" in html
        assert "<li>Riverside Hospital, Eastbridge</li>" in html
        assert "<p>English, Welsh</p>" in html

    def test_lists_only_published_articles_the_expert_wrote(
        self, client, cardiologist, article_index
    ):
        other = factories.ExpertProfilePageFactory()
        factories.ArticlePageFactory(
            parent=article_index,
            title="Heart rhythm basics",
            credits=credits(("author", cardiologist)),
        )
        reviewed = factories.ArticlePageFactory(
            parent=article_index,
            title="Reviewed only",
            credits=credits((CreditRole.AUTHOR, other)),
        )
        factories.approve_and_publish(reviewed, cardiologist)
        draft = factories.ArticlePageFactory(
            parent=article_index,
            title="Unpublished draft",
            credits=credits(("author", cardiologist)),
        )
        draft.unpublish()
        html = client.get(cardiologist.url).content.decode()
        assert "Heart rhythm basics" in html
        assert "Reviewed only" not in html
        assert "Unpublished draft" not in html

    def test_says_so_when_the_expert_has_written_nothing(self, client, cardiologist):
        assert "has not written any articles yet" in client.get(cardiologist.url).content.decode()

    def test_queries_do_not_grow_with_the_number_of_articles(
        self, client, cardiologist, article_index
    ):
        factories.ArticlePageFactory(
            parent=article_index, credits=credits(("author", cardiologist))
        )
        one = warm_query_count(client, cardiologist.url)
        for _ in range(9):
            factories.ArticlePageFactory(
                parent=article_index,
                credits=credits(
                    ("author", cardiologist), ("editor", factories.StaffMemberFactory())
                ),
            )
        ten = warm_query_count(client, cardiologist.url)
        assert one == ten <= PROFILE_QUERY_BUDGET


@pytest.mark.django_db
class TestExpertDirectory:
    def test_lists_experts_alphabetically_by_family_name(self, client, expert_index):
        for given, family in [("Zed", "Young"), ("Amy", "Brook"), ("Cal", "Adams")]:
            factories.ExpertProfilePageFactory(
                parent=expert_index, given_name=given, family_name=family
            )
        html = client.get(expert_index.url).content.decode()
        assert html.index("Cal Adams") < html.index("Amy Brook") < html.index("Zed Young")

    def test_queries_do_not_grow_with_the_number_of_experts(self, client, expert_index):
        factories.ExpertProfilePageFactory(parent=expert_index)
        one = warm_query_count(client, expert_index.url)
        for _ in range(9):
            factories.ExpertProfilePageFactory(parent=expert_index, photo=factories.ImageFactory())
        ten = warm_query_count(client, expert_index.url)
        assert one == ten <= DIRECTORY_QUERY_BUDGET
