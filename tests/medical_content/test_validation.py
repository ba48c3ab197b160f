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
def test_a_passed_review_date_never_stops_a_publish(article_index):
    """The date is checked in the editor's form only: publishing (a workflow finishing, a
    scheduled go-live) must not fail because a chosen date has since passed."""
    article = factories.ArticlePageFactory(
        parent=article_index, next_review_due=datetime.date(2020, 1, 1)
    )
    reviewer = factories.ExpertProfilePageFactory()
    approval = factories.approve_and_publish(article, reviewer)
    article.refresh_from_db()
    assert article.live and article.review_approval == approval
    # A date that is not after the approval is not used: the default interval is.
    assert approval.next_review_due == approval.approved_on + datetime.timedelta(days=365)
