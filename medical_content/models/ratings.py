"""Patient ratings of experts, and the aggregate shown as "Overall assessment of their patients".

Edited by: staff, who enter ratings by hand or import them from a patient survey
(`manage.py import_patient_ratings`). There is no public form. Only approved ratings count, and
the aggregate is always computed from them, never typed.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from ..choices import RatingStatus
from ..forms import SnippetForm

MIN_SCORE, MAX_SCORE = 1, 5


class PatientRating(models.Model):
    """One patient's score (1-5) for one expert, from a named source, moderated by staff."""

    expert = models.ForeignKey(
        "medical_content.ExpertProfilePage", on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)],
        help_text="1 (poor) to 5 (excellent).",
    )
    comment = models.TextField(blank=True, max_length=2000)
    rated_on = models.DateField(default=timezone.localdate, help_text="When the patient rated.")
    source = models.CharField(
        max_length=150, help_text='Where it came from, e.g. "Riverside outpatient survey 2026".'
    )
    status = models.CharField(
        max_length=10, choices=RatingStatus.choices, default=RatingStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("expert"),
        FieldPanel("score"),
        FieldPanel("comment"),
        FieldPanel("rated_on"),
        FieldPanel("source"),
        FieldPanel("status"),
    ]
    base_form_class = SnippetForm

    class Meta:
        ordering = ["-rated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE, score__lte=MAX_SCORE),
                name="patient_rating_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 for {self.expert_id} ({self.get_status_display()})"


class RatingSummary(models.Model):
    """The stored aggregate of an expert's approved ratings, refreshed whenever one changes.

    Kept apart from the profile page so that it is not part of the page's revisions (an old
    draft being published must not bring back an old average), and joined to the profile in
    the query that fetches it, so showing it costs no query of its own.
    """

    expert = models.OneToOneField(
        "medical_content.ExpertProfilePage",
        on_delete=models.CASCADE,
        related_name="rating_summary",
        primary_key=True,
    )
    count = models.PositiveIntegerField(default=0)
    average = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name_plural = "rating summaries"

    def __str__(self) -> str:
        return f"{self.average} from {self.count}"

    @property
    def display_average(self) -> Decimal:
        """The average to one decimal place, as readers see it (4.75 -> 4.8)."""
        return self.average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def half_stars(self) -> int:
        """The average in half stars (0-10), for the theme's decorative stars."""
        return int((self.average * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @classmethod
    def refresh_for(cls, expert_id: int) -> "RatingSummary":
        totals = PatientRating.objects.filter(
            expert_id=expert_id, status=RatingStatus.APPROVED
        ).aggregate(count=Count("pk"), average=Avg("score"))
        # Truncate, not round: display_average rounds half up once more, and rounding twice
        # would show 4.645 (stored 4.65) as 4.7. Truncating keeps which side of x.x5 it is on.
        average = Decimal(str(totals["average"] or 0)).quantize(
            Decimal("0.01"), rounding=ROUND_DOWN
        )
        summary, _ = cls.objects.update_or_create(
            expert_id=expert_id, defaults={"count": totals["count"], "average": average}
        )
        return summary
