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

    def test_a_medical_reviewer_must_be_an_expert(self):
        credit = ArticleCredit(
            role=CreditRole.MEDICAL_REVIEWER, staff=factories.StaffMemberFactory()
        )
        with pytest.raises(ValidationError, match="must be experts with a public profile"):
            credit.clean()

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
def test_next_review_must_fall_after_the_last_review(article_index):
    article = factories.ArticlePageFactory(parent=article_index)
    article.last_reviewed = datetime.date(2026, 5, 1)
    article.next_review_due = datetime.date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "next_review_due" in error.value.message_dict
