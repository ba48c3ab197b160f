"""Staff moderate many patient ratings at once from the admin listing."""

import pytest
from django.contrib.auth.models import Group

from medical_content import factories
from medical_content.choices import RatingStatus
from medical_content.models import PatientRating, RatingSummary


def _bulk_url(action: str, ratings) -> str:
    ids = "&".join(f"id={r.pk}" for r in ratings)
    return f"/admin/bulk/medical_content/patientrating/{action}/?{ids}"


@pytest.mark.django_db
class TestBulkModeration:
    def test_approving_pending_ratings_counts_them(self, editor_client):
        expert = factories.ExpertProfilePageFactory()
        pending = [
            factories.PatientRatingFactory(expert=expert, score=s, status=RatingStatus.PENDING)
            for s in (5, 4)
        ]
        assert RatingSummary.objects.get(pk=expert.pk).count == 0

        confirm = editor_client.get(_bulk_url("approve_ratings", pending))
        assert confirm.status_code == 200
        assert "Approve these 2 ratings?" in confirm.content.decode()
        editor_client.post(_bulk_url("approve_ratings", pending))

        summary = RatingSummary.objects.get(pk=expert.pk)
        assert (summary.count, str(summary.display_average)) == (2, "4.5")
        html = editor_client.get(expert.url).content.decode()
        assert "4.5 out of 5 from 2 patients" in html

    def test_rejecting_approved_ratings_removes_them_from_the_aggregate(self, editor_client):
        expert = factories.ExpertProfilePageFactory()
        keep = factories.PatientRatingFactory(expert=expert, score=5)
        drop = factories.PatientRatingFactory(expert=expert, score=1)
        editor_client.post(_bulk_url("reject_ratings", [drop]))
        assert PatientRating.objects.get(pk=drop.pk).status == RatingStatus.REJECTED
        assert PatientRating.objects.get(pk=keep.pk).status == RatingStatus.APPROVED
        summary = RatingSummary.objects.get(pk=expert.pk)
        assert (summary.count, summary.display_average) == (1, 5)

    def test_bulk_delete_from_the_listing_refreshes_the_aggregate(self, editor_client):
        expert = factories.ExpertProfilePageFactory()
        factories.PatientRatingFactory(expert=expert, score=5)
        low = factories.PatientRatingFactory(expert=expert, score=1)
        editor_client.post(_bulk_url("delete", [low]))
        summary = RatingSummary.objects.get(pk=expert.pk)
        assert (summary.count, summary.display_average) == (1, 5)

    def test_users_without_rating_permissions_cannot_moderate(self, client, django_user_model):
        user = django_user_model.objects.create_user("reader", password="x")
        user.groups.add(Group.objects.get(name="Medical reviewers"))
        client.force_login(user)
        rating = factories.PatientRatingFactory(status=RatingStatus.PENDING)
        client.post(_bulk_url("approve_ratings", [rating]))
        assert PatientRating.objects.get(pk=rating.pk).status == RatingStatus.PENDING
