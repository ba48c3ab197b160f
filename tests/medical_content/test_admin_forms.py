"""What an editor meets in the admin when a credit or date is wrong: a form error, not a 500."""

import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticlePage


def _article_form(credit_rows: list[dict], **fields) -> dict:
    data = {
        "title": "Shingles",
        "slug": "shingles",
        "standfirst": "A painful rash caused by the chickenpox virus.",
        "publication_date": "2026-02-01",
        "next_review_due": "2027-02-01",
        "credits": inline_formset(credit_rows),
        "related_procedures": inline_formset([]),
        "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


@pytest.fixture
def add_article_url(article_index):
    return f"/admin/pages/add/medical_content/articlepage/{article_index.pk}/"


@pytest.mark.django_db
class TestArticleFormErrors:
    def test_staff_member_as_author_is_refused_with_a_message(self, admin_client, add_article_url):
        staff = factories.StaffMemberFactory()
        response = admin_client.post(
            add_article_url,
            _article_form([{"role": CreditRole.AUTHOR, "expert": "", "staff": staff.pk}]),
        )
        assert response.status_code == 200
        assert "Authors must be experts with a public profile." in response.content.decode()
        assert not ArticlePage.objects.filter(slug="shingles").exists()

    def test_article_without_credits_is_refused(self, admin_client, add_article_url):
        response = admin_client.post(add_article_url, _article_form([]))
        assert response.status_code == 200
        assert not ArticlePage.objects.filter(slug="shingles").exists()

    def test_review_due_before_the_last_clinical_review_is_refused(
        self, admin_client, article_index
    ):
        author = factories.ExpertProfilePageFactory()
        article = factories.ArticlePageFactory(
            parent=article_index,
            title="Shingles",
            slug="shingles",
            credits=factories.credits((CreditRole.AUTHOR, author)),
        )
        reviewed_at = datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC)
        factories.approve_and_publish(article, factories.ExpertProfilePageFactory(), reviewed_at)
        revisions = article.revisions.count()
        response = admin_client.post(
            f"/admin/pages/{article.pk}/edit/",
            _article_form(
                [
                    {
                        "id": article.credits.get().pk,
                        "role": CreditRole.AUTHOR,
                        "expert": author.pk,
                        "staff": "",
                    }
                ],
                next_review_due="2026-01-15",
            ),
        )
        assert response.status_code == 200
        assert (
            "The next review must be due after the last clinical review (1 February 2026)."
            in response.content.decode()
        )
        assert article.revisions.count() == revisions

    def test_unknown_role_missing_people_and_bad_dates_give_form_errors(
        self, admin_client, add_article_url
    ):
        # Ids of people deleted while the form was open. (A non-numeric id, which only a
        # hand-made POST can send, makes Wagtail's own page chooser widget raise: upstream.)
        response = admin_client.post(
            add_article_url,
            _article_form(
                [{"role": "surgeon", "expert": "99999", "staff": "99999"}],
                publication_date="31/02/2026",
            ),
        )
        assert response.status_code == 200
        assert not ArticlePage.objects.filter(slug="shingles").exists()
