"""Who made an article: credits and the staff who have no public profile.

Edited by: editors, on the article's "Credits" panel and under Snippets > Staff members.
"""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from ..choices import EXPERT_ONLY_ROLES, CreditRole
from ..forms import SnippetForm


class StaffMember(index.Indexed, models.Model):
    """A member of the editorial staff credited on articles, with no public profile page.

    Edited by: editors. Used for the "Edited by" credit when the editor is not a clinician.
    """

    name = models.CharField(max_length=150)
    job_title = models.CharField(
        max_length=150, blank=True, help_text='e.g. "Health content editor".'
    )

    panels = [FieldPanel("name"), FieldPanel("job_title")]
    base_form_class = SnippetForm
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "staff member"

    def __str__(self) -> str:
        return self.name


class ArticleCredit(Orderable):
    """One person's role on one article, in the order the article lists them.

    An author or medical reviewer must be an expert with a public profile; an editor may be
    an expert or a staff member.
    """

    page = ParentalKey(
        "medical_content.ArticlePage", on_delete=models.CASCADE, related_name="credits"
    )
    role = models.CharField(max_length=20, choices=CreditRole.choices, default=CreditRole.AUTHOR)
    expert = models.ForeignKey(
        "medical_content.ExpertProfilePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits",
        help_text="A clinician with a public profile. Required for authors.",
    )
    staff = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits",
        help_text="A staff member with no public profile (editors only).",
    )

    panels = [FieldPanel("role"), FieldPanel("expert"), FieldPanel("staff")]

    class Meta(Orderable.Meta):
        verbose_name = "credit"

    def clean(self):
        super().clean()
        if not self.expert_id and not self.staff_id:
            raise ValidationError("Choose an expert or a staff member.")
        if self.expert_id and self.staff_id:
            raise ValidationError("Choose either an expert or a staff member, not both.")
        if self.role in EXPERT_ONLY_ROLES and not self.expert_id:
            role = self.get_role_display()
            raise ValidationError({"expert": f"{role}s must be experts with a public profile."})

    @property
    def person(self):
        return self.expert or self.staff

    @property
    def name(self) -> str:
        if self.expert is not None:
            return self.expert.full_name
        return self.staff.name if self.staff is not None else ""

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"
