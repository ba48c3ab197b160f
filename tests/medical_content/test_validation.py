"""Rules an editor meets when saving credits and review dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from medical_content import factories
from medical_content.choices import CreditRole
from medical_content.models import ArticleCredit


@pytest.mark.django_db
class TestCreditRules:
    def test_an_author_must_be_an_expert(self):
        credit = ArticleCredit(role=CreditRole.AUTHOR, staff=factories.StaffMemberFactory())
        with pytest.raises(ValidationError, match="must be experts with a public profile"):
            credit.clean()

    def test_a_medical_reviewer_can_no_longer_be_typed_as_a_credit(self, article_index):
        # Readers learn who reviewed an article only from its clinical approval.
        credit = ArticleCredit(
            page=factories.ArticlePageFactory(parent=article_index),
            role="medical_reviewer",
            expert=factories.ExpertProfilePageFactory(),
        )
        with pytest.raises(ValidationError) as error:
            credit.full_clean()
        assert "role" in error.value.message_dict

    def test_an_editor_may_be_staff(self):
        ArticleCredit(role=CreditRole.EDITOR, staff=factories.StaffMemberFactory()).clean()

    def test_a_credit_names_exactly_one_person(self):
        with pytest.raises(ValidationError, match="Choose an expert or a staff member"):
            ArticleCredit(role=CreditRole.EDITOR).clean()
        with pytest.raises(ValidationError, match="either an expert or a staff member"):
            ArticleCredit(
                role=CreditRole.EDITOR,
                staff=factories.StaffMemberFactory(),
                expert=factories.ExpertProfilePageFactory(),
            ).clean()


@pytest.mark.django_db
def test_next_review_must_fall_after_the_last_clinical_review(article_index):
    article = factories.ArticlePageFactory(parent=article_index)
    reviewed_at = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    factories.approve_and_publish(article, factories.ExpertProfilePageFactory(), reviewed_at)
    article.next_review_due = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert error.value.message_dict["next_review_due"] == [
        "The next review must be due after the last clinical review (1 May 2026). "
        "Leave it empty for the default."
    ]
    article.next_review_due = datetime.date(2026, 5, 2)
    article.full_clean()
