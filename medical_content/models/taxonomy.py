"""Specialties and procedures: how readers get from a condition to an article and an expert.

Edited by: editors, under "Specialties" and "Procedures" in the page tree (and the
"Procedures" admin listing with search and filters). A specialty contains procedures; a
procedure is a treatment, a diagnostic test or a condition, and may relate to conditions.
Each has a public page at a stable URL: /specialties/<slug>/ and /procedures/<slug>/.
"""

import unicodedata

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.query import PageQuerySet
from wagtail.search import index

from .. import conf
from ..choices import ProcedureKind
from ..routing import SingleChildTypeRoutingMixin
from ..sensitivity import (
    OWN,
    SensitivityPanel,
    StoresSensitivity,
    is_sensitive_field,
    marked_sensitive_field,
)
from .base import MedicalContentPage, page_type


class SpecialtyIndexPage(SingleChildTypeRoutingMixin, MedicalContentPage):
    """The list of all specialties. Edited by: editors (its introduction only)."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences shown above the list of specialties."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = conf.index_parent_page_types()
    subpage_types = ["medical_content.SpecialtyPage"]
    max_count = 1

    def child_queryset(self) -> PageQuerySet:
        return SpecialtyPage.objects.all()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["specialties"] = list(
            SpecialtyPage.objects.live()
            .child_of(self)
            .annotate(
                procedure_count=Count(
                    "procedures", filter=models.Q(procedures__live=True), distinct=True
                )
            )
            .order_by("title")
        )
        return context


class SpecialtyPage(StoresSensitivity, MedicalContentPage):
    """A medical specialty (e.g. cardiology): its procedures, experts and articles.

    Edited by: editors.
    """

    summary = models.TextField(
        max_length=500, help_text="What this specialty covers, in a sentence or two."
    )
    marked_sensitive = marked_sensitive_field(
        "Its procedures, the articles filed under it or about its procedures, and its "
        "experts' profiles are then sensitive too."
    )
    is_sensitive = is_sensitive_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("marked_sensitive"), SensitivityPanel()], heading="Sensitive topic"
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]

    parent_page_types = ["medical_content.SpecialtyIndexPage"]
    subpage_types = []

    passes_sensitivity_on = True
    sensitivity_noun = "specialty"
    not_sensitive_because = "this specialty is not marked"

    def sensitivity_reasons(self) -> list[str]:
        return [OWN] if self.marked_sensitive else []

    @classmethod
    def sensitive_rule(cls) -> Q:
        return Q(marked_sensitive=True)

    @classmethod
    def marked(cls, specialty_id: str = "specialty_id") -> Exists:
        """In a filter on pages filed under a specialty: that specialty is marked."""
        return Exists(cls.objects.filter(pk=OuterRef(specialty_id), marked_sensitive=True))

    @classmethod
    def sensitivity_reasons_of(cls, ids: list[int | None]) -> list[str]:
        """Why pages filed under the specialties `ids` are sensitive (one query)."""
        ids = list(dict.fromkeys(pk for pk in ids if pk is not None))  # each once, in order
        if not ids:
            return []
        marked = dict(
            cls.objects.filter(pk__in=ids, marked_sensitive=True).values_list("pk", "title")
        )
        return [f'Its specialty "{marked[pk]}" is marked sensitive.' for pk in ids if pk in marked]

    def sensitive_dependents(self) -> list:
        articles = page_type("ArticlePage").objects.filter(
            Q(specialty=self) | Q(related_procedures__procedure__specialty=self)
        )
        experts = page_type("ExpertProfilePage").objects.filter(specialties__specialty=self)
        return [ProcedurePage.objects.filter(specialty=self), articles, experts]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sensitive_page"] = self.is_sensitive
        if self.pk is None:  # a new page previewed before its first save: nothing links to it
            return {**context, "procedures": [], "experts": [], "articles": []}
        ArticlePage, ExpertProfilePage = page_type("ArticlePage"), page_type("ExpertProfilePage")
        context["procedures"] = list(
            ProcedurePage.objects.live().filter(specialty=self).order_by("title")
        )
        context["experts"] = list(
            ExpertProfilePage.objects.live()
            .in_specialty(self)
            .for_cards()
            .order_by("family_name", "given_name")
        )
        context["articles"] = list(ArticlePage.objects.live().in_specialty(self).for_cards())
        return context


class ProcedureIndexPage(SingleChildTypeRoutingMixin, MedicalContentPage):
    """The A-Z of procedures, tests and conditions. Edited by: editors (introduction only)."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences shown above the A-Z."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = conf.index_parent_page_types()
    subpage_types = ["medical_content.ProcedurePage"]
    max_count = 1

    def child_queryset(self) -> PageQuerySet:
        return ProcedurePage.route_queryset()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        procedures = ProcedurePage.objects.live().child_of(self).order_by("title")
        context["letters"] = _a_to_z(procedures)
        return context


def _a_to_z(procedures) -> list[tuple[str, list["ProcedurePage"]]]:
    """Group by first letter, in order whatever the case; an accented initial goes under its
    letter (É under E); titles that start with a digit or symbol go under #."""
    groups: dict[str, list[ProcedurePage]] = {}
    for procedure in sorted(procedures, key=lambda p: _sort_key(p.title)):
        first = _sort_key(procedure.title[:1])[:1].upper()
        letter = first if first.isascii() and first.isalpha() else "#"
        groups.setdefault(letter, []).append(procedure)
    return sorted(groups.items(), key=lambda item: (item[0] == "#", item[0]))


def _sort_key(title: str) -> str:
    """The title case-folded and without accents: "Échographie" sorts as "echographie"."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(c)
    )


class ProcedurePage(StoresSensitivity, MedicalContentPage):
    """A treatment, diagnostic test or condition, with the articles and experts about it.

    Edited by: editors. Synonyms are what patients also call it; search finds those too.
    """

    kind = models.CharField(max_length=20, choices=ProcedureKind.choices)
    specialty = models.ForeignKey(
        SpecialtyPage,
        on_delete=models.PROTECT,
        related_name="procedures",
        help_text="The specialty this belongs to.",
    )
    summary = models.TextField(max_length=600, help_text="What it is, in plain words.")
    synonyms = models.CharField(
        max_length=300,
        blank=True,
        help_text='Other names readers search for, separated by commas, e.g. "DVT, leg clot".',
    )
    related_conditions = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="treated_by",
        limit_choices_to={"kind": ProcedureKind.CONDITION},
        help_text="Conditions this treatment or test is used for.",
    )
    marked_sensitive = marked_sensitive_field(
        "Articles about it are then sensitive too. It is already sensitive if its specialty is."
    )
    is_sensitive = is_sensitive_field()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("specialty"), FieldPanel("synonyms")],
            heading="Classification",
        ),
        FieldPanel("summary"),
        FieldPanel("related_conditions"),
        MultiFieldPanel(
            [FieldPanel("marked_sensitive"), SensitivityPanel()], heading="Sensitive topic"
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("synonyms"),
        index.AutocompleteField("synonyms"),
        index.FilterField("kind"),
        index.FilterField("specialty"),
    ]

    parent_page_types = ["medical_content.ProcedureIndexPage"]

    @classmethod
    def route_queryset(cls) -> PageQuerySet:
        """How routing reads a procedure (`routing.py`, `page_cache.routes`): its specialty
        comes in the same query."""
        return cls.objects.select_related("specialty")

    subpage_types = []

    passes_sensitivity_on = True
    sensitivity_noun = "procedure"
    not_sensitive_because = "neither this procedure nor its specialty is marked"

    def sensitivity_reasons(self) -> list[str]:
        own = [OWN] if self.marked_sensitive else []
        return own + SpecialtyPage.sensitivity_reasons_of([self.specialty_id])

    @classmethod
    def sensitive_rule(cls) -> Q:
        return Q(marked_sensitive=True) | Q(SpecialtyPage.marked())

    @classmethod
    def sensitivity_reasons_of(cls, ids: list[int | None]) -> list[str]:
        """Why pages about the procedures `ids` are sensitive (one query)."""
        ids = list(dict.fromkeys(pk for pk in ids if pk is not None))  # each once, in order
        if not ids:
            return []
        rows = {
            pk: (title, marked, specialty)
            for pk, title, marked, specialty, specialty_marked in cls.objects.filter(
                Q(marked_sensitive=True) | Q(specialty__marked_sensitive=True), pk__in=ids
            ).values_list(
                "pk",
                "title",
                "marked_sensitive",
                "specialty__title",
                "specialty__marked_sensitive",
            )
        }
        reasons = []
        for pk in ids:
            if pk not in rows:
                continue
            title, marked, specialty = rows[pk]
            if marked:
                reasons.append(f'Its procedure "{title}" is marked sensitive.')
            else:
                reasons.append(
                    f'Its procedure "{title}" is in the specialty "{specialty}", which is '
                    "marked sensitive."
                )
        return reasons

    def sensitive_dependents(self) -> list:
        return [page_type("ArticlePage").objects.filter(related_procedures__procedure=self)]

    @property
    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.split(",") if s.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sensitive_page"] = self.is_sensitive
        context["related_conditions"] = list(
            self.related_conditions.all().filter(live=True).order_by("title")
        )
        if self.pk is None:  # a new page previewed before its first save: nothing links to it
            return {**context, "treated_by": [], "experts": [], "articles": []}
        ArticlePage, ExpertProfilePage = page_type("ArticlePage"), page_type("ExpertProfilePage")
        context["treated_by"] = list(self.treated_by.live().order_by("title"))
        context["experts"] = list(
            ExpertProfilePage.objects.live()
            .performing(self)
            .for_cards()
            .order_by("family_name", "given_name")
        )
        context["articles"] = list(ArticlePage.objects.live().about_procedure(self).for_cards())
        return context
