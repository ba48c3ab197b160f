"""Patient-information articles and the index that lists them.

Edited by: editors (writing, credits), checked by medical reviewers before publication.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester, TaskState
from wagtail.query import PageQuerySet
from wagtail.search import index

from .. import conf
from ..blocks import ArticleBodyBlock
from ..choices import CreditRole
from ..filters import TaxonomyFilter
from ..forms import ArticlePageForm
from ..pagination import paginate
from ..review.lock import refuse_locked_revision
from ..review.rules import ClinicalReviewRequired, ReviewStatus
from ..routing import SingleChildTypeRoutingMixin
from ..sensitivity import (
    OWN,
    SensitivityPanel,
    StoresSensitivity,
    is_sensitive_field,
    marked_sensitive_field,
)
from .base import MedicalContentPage
from .credits import ArticleCredit
from .experts import specialties_prefetch
from .reviews import ClinicalApproval
from .taxonomy import ProcedurePage, SpecialtyPage

ARTICLES_PER_PAGE = 12


class ArticleIndexPermissionTester(PagePermissionTester):
    """New articles are never published straight from the create or copy form: only the
    clinical review workflow (or a superuser) publishes them."""

    def can_publish_subpage(self) -> bool:
        return self.user.is_superuser and super().can_publish_subpage()


class ArticlePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, except that only an approved revision can be published.

    Wagtail asks `can_publish` before offering Publish and scheduling in the editor, in bulk
    actions and in its admin API, so none of them offers to publish an unapproved revision.
    """

    def can_publish(self) -> bool:
        return super().can_publish() and (self.user.is_superuser or self._latest_approved)

    @cached_property
    def _latest_approved(self) -> bool:
        revision = self.page.get_latest_revision()
        return revision is not None and ClinicalApproval.objects.covering(revision) is not None

    # These two reuse can_publish in Wagtail but have nothing to do with clinical content.
    def can_unschedule(self) -> bool:
        return super().can_publish()

    def can_set_view_restrictions(self) -> bool:
        return super().can_publish()


def _today() -> datetime.date:
    return timezone.localdate()


def _a_year_from_today() -> datetime.date:
    """The old default of `next_review_due`; migration 0001 still refers to it."""
    return timezone.localdate() + datetime.timedelta(days=365)


class ArticlePageQuerySet(PageQuerySet):
    def with_credits(self) -> "ArticlePageQuerySet":
        """Credits with their people, in one query whatever their number."""
        return self.prefetch_related(
            Prefetch(
                "credits",
                queryset=ArticleCredit.objects.select_related("expert", "staff").order_by(
                    "sort_order", "pk"
                ),
            )
        )

    def in_specialty(self, specialty) -> "ArticlePageQuerySet":
        """Articles filed under the specialty, or about one of its procedures."""
        return self.filter(
            Q(specialty=specialty) | Q(related_procedures__procedure__specialty=specialty)
        ).distinct()

    def about_procedure(self, procedure) -> "ArticlePageQuerySet":
        return self.filter(related_procedures__procedure=procedure).distinct()

    def for_cards(self) -> "ArticlePageQuerySet":
        """What a listing card shows (title, standfirst, date, authors), newest first."""
        return self.with_credits().order_by("-publication_date", "-pk")

    def written_by(self, expert) -> "ArticlePageQuerySet":
        return self.filter(credits__expert=expert, credits__role=CreditRole.AUTHOR).distinct()


class ArticleIndexPage(SingleChildTypeRoutingMixin, MedicalContentPage):
    """The list of all published articles, newest first, paginated.

    Edited by: editors (its introduction only).
    """

    introduction = models.TextField(
        blank=True, help_text="One or two sentences shown above the list of articles."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = conf.index_parent_page_types()
    subpage_types = ["medical_content.ArticlePage"]
    max_count = 1

    def child_queryset(self) -> "ArticlePageQuerySet":
        return ArticlePage.route_queryset()

    def permissions_for_user(self, user):
        return ArticleIndexPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        taxonomy = TaxonomyFilter.from_request(request, SpecialtyPage, ProcedurePage)
        articles = ArticlePage.objects.live().child_of(self)
        if taxonomy.specialty:
            articles = articles.in_specialty(taxonomy.specialty.pk)
        if taxonomy.procedure:
            articles = articles.about_procedure(taxonomy.procedure.pk)
        context["filter"] = taxonomy
        context["sensitive_page"] = taxonomy.sensitive
        context["articles"] = paginate(articles.for_cards(), request, ARTICLES_PER_PAGE)
        return context


class ArticlePage(StoresSensitivity, MedicalContentPage):
    """A patient-information article: a standfirst, then questions and answers.

    Edited by: editors, who credit its author (an expert), its editor and its medical
    reviewer. Readers see who wrote, edited and reviewed it, and when it is next due a review.
    """

    standfirst = models.TextField(
        max_length=400,
        help_text="The opening paragraph: what the reader will learn, in plain words.",
    )
    body = StreamField(
        ArticleBodyBlock(),
        help_text="Write it as the questions patients ask, grouped into sub-topics.",
    )
    publication_date = models.DateField(
        default=_today, help_text="Shown to readers as the date the article was published."
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "When a clinician must check it again. Leave empty for the default: a year after "
            "the clinical approval. The last review date comes from the approval itself."
        ),
    )
    # Set when a revision is published (`medical_content.signals`): the clinical approval of
    # the live revision, or None. Not edited by anyone; readers' "Medically reviewed by".
    review_approval = models.ForeignKey(
        "medical_content.ClinicalApproval",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    specialty = models.ForeignKey(
        "medical_content.SpecialtyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The specialty this article is filed under.",
    )
    marked_sensitive = marked_sensitive_field(
        "An article is already sensitive when its specialty or one of its procedures is; "
        "tick it for a sensitive article on a topic that is not."
    )
    is_sensitive = is_sensitive_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        InlinePanel(
            "credits",
            heading="Credits",
            label="Credit",
            help_text=(
                "Who wrote and edited this article, in order; at least one author before it "
                "is submitted. Who reviewed it is shown from the clinical review's approval."
            ),
        ),
        FieldPanel("body"),
        FieldPanel("specialty"),
        InlinePanel(
            "related_procedures",
            heading="Related procedures",
            label="Procedure",
            help_text=(
                "Procedures, tests and conditions to list under the article. "
                "If you choose none, the author's procedures are shown."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("marked_sensitive"), SensitivityPanel()], heading="Sensitive topic"
        ),
        MultiFieldPanel(
            [FieldPanel("publication_date"), FieldPanel("next_review_due")],
            heading="Dates",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.RelatedFields(
            "related_procedures",
            [
                index.RelatedFields(
                    "procedure", [index.SearchField("title"), index.SearchField("synonyms")]
                )
            ],
        ),
    ]

    parent_page_types = ["medical_content.ArticleIndexPage"]

    @classmethod
    def route_queryset(cls) -> "ArticlePageQuerySet":
        """How routing reads an article (`routing.py`, `page_cache.routes`): the approval
        readers are shown comes in the same query."""
        return cls.objects.select_related("review_approval__expert")

    subpage_types = []

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    sensitivity_noun = "article"
    not_sensitive_because = "neither this article nor its specialty or procedures are marked"

    def sensitivity_reasons(self) -> list[str]:
        own = [OWN] if self.marked_sensitive else []
        procedures = [row.procedure_id for row in self.related_procedures.all()]
        return (
            own
            + SpecialtyPage.sensitivity_reasons_of([self.specialty_id])
            + ProcedurePage.sensitivity_reasons_of(procedures)
        )

    @classmethod
    def sensitive_rule(cls) -> Q:
        sensitive_procedure = ArticleProcedure.objects.filter(page=OuterRef("pk")).filter(
            Q(procedure__marked_sensitive=True) | Q(procedure__specialty__marked_sensitive=True)
        )
        return (
            Q(marked_sensitive=True) | Q(SpecialtyPage.marked()) | Q(Exists(sensitive_procedure))
        )

    base_form_class = ArticlePageForm
    # A copy has not been reviewed, whatever its original was.
    exclude_fields_in_copy = ["review_approval"]

    def last_clinical_approval(self):
        """The newest clinical approval of any revision of this article (admin use)."""
        if not self.pk:
            return None
        return self.clinical_approvals.order_by("-approved_at", "-pk").first()

    def permissions_for_user(self, user):
        return ArticlePermissionTester(user, self)

    def may_overwrite(self, revision) -> bool:
        """Wagtail's autosave rewrites a revision in place; never one that readers see, that a
        review step was given, or that was approved."""
        return not (
            revision.pk == self.live_revision_id
            or ClinicalApproval.objects.filter(revision=revision).exists()
            or TaskState.objects.filter(revision=revision).exists()
        )

    def save_revision(self, user=None, *args, overwrite_revision=None, **kwargs):
        refuse_locked_revision(self, user)
        if overwrite_revision is not None and not self.may_overwrite(overwrite_revision):
            overwrite_revision = None  # saved as a new revision instead
        return super().save_revision(user, *args, overwrite_revision=overwrite_revision, **kwargs)

    def publish(self, revision, user=None, **kwargs):
        """Every route to publishing an article passes the clinical review check here."""
        refusal = ClinicalApproval.objects.publish_refusal(revision, user)
        if refusal:
            raise ClinicalReviewRequired(refusal)
        return super().publish(revision, user=user, **kwargs)

    @cached_property
    def credits_by_role(self) -> dict[str, list[ArticleCredit]]:
        """Credits grouped by role, in their editor-set order.

        `get_context` fills this from one query; previews use the in-memory credits.
        """
        return _group_by_role(self.credits.all())

    @property
    def authors(self) -> list[ArticleCredit]:
        return self.credits_by_role[CreditRole.AUTHOR]

    @property
    def editors(self) -> list[ArticleCredit]:
        return self.credits_by_role[CreditRole.EDITOR]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sensitive_page"] = self.is_sensitive
        self._prefetch_credits()
        chosen = self.chosen_procedures()
        context["related_procedures"] = chosen or self.authors_procedures()
        # Structured data claims only what the editor chose as the article's subject.
        context["about_procedures"] = chosen
        context["review"] = self.review_status(request)
        return context

    def review_status(self, request):
        """Who approved the version readers see, when, and when it is next due.

        None in previews: the version being previewed has not been approved as it stands.
        """
        if getattr(request, "is_preview", False) or not self.review_approval_id:
            return None
        return ReviewStatus.of(self.review_approval)

    def _prefetch_credits(self) -> None:
        """All credits with their people and ratings in one query, and the experts'
        specialties in one more, whatever the number of credits (the author box shows
        each author's specialty and patient rating)."""
        credits = list(
            self.credits.all().select_related("expert", "expert__rating_summary", "staff")
        )
        models.prefetch_related_objects(
            [c.expert for c in credits if c.expert is not None], specialties_prefetch()
        )
        self.__dict__["credits_by_role"] = _group_by_role(credits)

    def shown_procedures(self) -> list:
        """The editor's related procedures in their order; if none, the authors' procedures."""
        return self.chosen_procedures() or self.authors_procedures()

    def chosen_procedures(self) -> list:
        """The editor's live related procedures, in order, each once.

        Draft and preview values come from the page's revision (in-memory rows), so a
        preview shows what the editor just chose. A procedure chosen twice is listed once:
        Wagtail 8.0's autosave can store a new inline row twice when two saves overlap
        (wagtail/wagtail#14568), and readers must not see the repeat.
        """
        chosen = {}
        for row in self.related_procedures.all().select_related("procedure"):
            if row.procedure is not None and row.procedure.live:
                chosen.setdefault(row.procedure_id, row.procedure)
        return list(chosen.values())

    def authors_procedures(self) -> list:
        """The live procedures the article's authors perform, alphabetically."""
        author_ids = [c.expert_id for c in self.authors if c.expert_id]
        if not author_ids:
            return []
        return list(
            ProcedurePage.objects.live()
            .filter(experts__in=author_ids)
            .distinct()
            .order_by("title")
        )


def _group_by_role(credits) -> dict[str, list[ArticleCredit]]:
    grouped: dict[str, list[ArticleCredit]] = {role: [] for role in CreditRole.values}
    for credit in credits:
        # Revisions from before 0005 may hold a role that no longer exists.
        if credit.role in grouped:
            grouped[credit.role].append(credit)
    return grouped


class ArticleProcedure(Orderable):
    """A procedure, test or condition listed under an article as related, in editor order."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_procedures")
    procedure = models.ForeignKey(
        "medical_content.ProcedurePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("procedure")]

    class Meta(Orderable.Meta):
        verbose_name = "related procedure"
