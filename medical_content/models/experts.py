"""Expert (doctor) profiles and the directory that lists them.

Edited by: editors. An expert profile is the public page of a clinician who writes or reviews
articles; readers reach it from an article's credits and author box.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from safe_text.rich_text import SafeRichTextField

from .. import conf
from ..filters import TaxonomyFilter
from ..forms import ExpertProfilePageForm
from ..pagination import paginate
from ..routing import SingleChildTypeRoutingMixin
from ..sensitivity import SensitivityPanel, StoresSensitivity, is_sensitive_field
from .base import MedicalContentPage, page_type
from .taxonomy import ProcedurePage, SpecialtyPage

EXPERTS_PER_PAGE = 24


class ExpertProfilePageQuerySet(PageQuerySet):
    def for_cards(self) -> "ExpertProfilePageQuerySet":
        """What a listing card shows (name, role, specialties, photo, rating) in two queries."""
        return self.select_related("photo", "rating_summary").prefetch_related(
            specialties_prefetch()
        )

    def in_specialty(self, specialty) -> "ExpertProfilePageQuerySet":
        return self.filter(specialties__specialty=specialty).distinct()

    def performing(self, procedure) -> "ExpertProfilePageQuerySet":
        return self.filter(procedures=procedure).distinct()

    def linked_to(self, user) -> "ExpertProfilePage | None":
        """The profile linked to this login (`ExpertProfilePage.user`), if any; remembered on
        the user for the request."""
        if user is None or not user.is_authenticated:
            return None
        if not hasattr(user, "_linked_expert"):
            user._linked_expert = self.filter(user=user).first()
        return user._linked_expert


def specialties_prefetch(lookup: str = "specialties") -> Prefetch:
    """An expert's specialties in their editor-set order, with their pages, in one query."""
    return Prefetch(
        lookup,
        queryset=ExpertSpecialty.objects.select_related("specialty").order_by("sort_order", "pk"),
    )


class ExpertIndexPage(SingleChildTypeRoutingMixin, MedicalContentPage):
    """The expert directory: every published expert profile, alphabetically, paginated.

    Edited by: editors (its introduction only; the list is built from the profiles).
    """

    introduction = models.TextField(
        blank=True, help_text="One or two sentences shown above the directory."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = conf.index_parent_page_types()
    subpage_types = ["medical_content.ExpertProfilePage"]
    max_count = 1

    def child_queryset(self) -> "ExpertProfilePageQuerySet":
        return ExpertProfilePage.route_queryset()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        taxonomy = TaxonomyFilter.from_request(request, SpecialtyPage, ProcedurePage)
        experts = ExpertProfilePage.objects.live().child_of(self)
        if taxonomy.specialty:
            experts = experts.in_specialty(taxonomy.specialty.pk)
        if taxonomy.procedure:
            experts = experts.performing(taxonomy.procedure.pk)
        experts = experts.for_cards().order_by("family_name", "given_name", "pk")
        context["filter"] = taxonomy
        context["sensitive_page"] = taxonomy.sensitive
        context["experts"] = paginate(experts, request, EXPERTS_PER_PAGE)
        return context


class ExpertProfilePage(StoresSensitivity, MedicalContentPage):
    """A clinician's public profile: who they are, what they are qualified in, what they wrote.

    Edited by: editors, from details the clinician supplies. The page title is the display
    name with honorific ("Dr Ada Nwosu"); the name fields sort the directory.
    """

    honorific = models.CharField(
        max_length=30, blank=True, help_text='Shown before the name, e.g. "Dr" or "Prof".'
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    job_title = models.CharField(
        max_length=150, help_text='Their role, e.g. "Consultant interventional radiologist".'
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A head-and-shoulders photo; square crops work best.",
    )
    short_bio = models.TextField(
        max_length=400,
        help_text="Two or three sentences shown in article author boxes.",
    )
    bio = SafeRichTextField(
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text="The full biography shown on the profile.",
    )
    registration_body = models.CharField(
        max_length=150,
        blank=True,
        help_text="The body they are registered with, e.g. a national medical council.",
    )
    registration_number = models.CharField(max_length=50, blank=True)
    languages = models.CharField(
        max_length=200,
        blank=True,
        help_text="Languages they consult in, separated by commas.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        help_text=(
            "The admin login of this clinician. Needed for them to approve clinical reviews: "
            "readers are shown the profile of whoever approved an article."
        ),
    )
    procedures = ParentalManyToManyField(
        "medical_content.ProcedurePage",
        blank=True,
        related_name="experts",
        help_text="The treatments and tests they perform, and conditions they treat.",
    )
    # Sensitive when one of their specialties is marked sensitive (medical_content.sensitivity).
    is_sensitive = is_sensitive_field()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("honorific"),
                FieldPanel("given_name"),
                FieldPanel("family_name"),
                FieldPanel("job_title"),
                FieldPanel("photo"),
            ],
            heading="Name and role",
        ),
        InlinePanel("specialties", heading="Specialties", label="Specialty", min_num=1),
        MultiFieldPanel([SensitivityPanel()], heading="Sensitive topic"),
        FieldPanel("procedures", widget=forms.CheckboxSelectMultiple),
        FieldPanel("short_bio"),
        FieldPanel("bio"),
        InlinePanel("qualifications", heading="Qualifications", label="Qualification"),
        MultiFieldPanel(
            [FieldPanel("registration_body"), FieldPanel("registration_number")],
            heading="Professional registration",
        ),
        InlinePanel("locations", heading="Hospitals and practices", label="Location"),
        FieldPanel("languages"),
        # Only people who manage logins may link one to a public profile.
        FieldPanel("user", heading="Admin login", permission="auth.change_user"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("short_bio"),
        index.SearchField("bio"),
        index.SearchField("job_title"),
        index.RelatedFields("procedures", [index.SearchField("title")]),
    ]

    parent_page_types = ["medical_content.ExpertIndexPage"]

    @classmethod
    def route_queryset(cls) -> "ExpertProfilePageQuerySet":
        """How routing reads a profile (`routing.py`, `page_cache.routes`): its photo and
        rating come in the same query."""
        return cls.objects.select_related("photo", "rating_summary")

    subpage_types = []

    objects = PageManager.from_queryset(ExpertProfilePageQuerySet)()

    sensitivity_noun = "profile"
    not_sensitive_because = "none of this profile's specialties is marked"

    def sensitivity_reasons(self) -> list[str]:
        return SpecialtyPage.sensitivity_reasons_of(
            [row.specialty_id for row in self.specialties.all()]
        )

    @classmethod
    def sensitive_rule(cls) -> Q:
        return Q(
            Exists(
                ExpertSpecialty.objects.filter(
                    page=OuterRef("pk"), specialty__marked_sensitive=True
                )
            )
        )

    base_form_class = ExpertProfilePageForm
    # A login belongs to one profile; a copy of the page must not claim it too.
    exclude_fields_in_copy = ["user"]

    def with_content_json(self, content):
        """The login link is an account setting, saved at once by the form (see
        ExpertProfilePageForm), not page content: publishing any revision keeps the current
        link, so an old draft can never take a login back or clash with another profile."""
        obj = super().with_content_json(content)
        obj.user_id = self.user_id
        return obj

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.honorific, self.given_name, self.family_name) if p)

    @cached_property
    def specialty_pages(self) -> list:
        """Their specialties' pages in order; uses prefetched rows when there are."""
        return [s.specialty for s in self.specialties.all() if s.specialty and s.specialty.live]

    @property
    def primary_specialty(self):
        """The first specialty, shown in author boxes and cards."""
        return next(iter(self.specialty_pages), None)

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sensitive_page"] = self.is_sensitive
        # A new page previewed before its first save has no id: nothing can credit it yet.
        context["articles"] = (
            # Articles credit experts, so articles.py imports this module, not the reverse.
            list(page_type("ArticlePage").objects.live().written_by(self).for_cards())
            if self.pk
            else []
        )
        context["specialties"] = [
            row for row in self.specialties.all().select_related("specialty") if row.specialty.live
        ]
        context["procedures"] = list(self.procedures.all().filter(live=True).order_by("title"))
        context["qualifications"] = list(self.qualifications.all())
        context["locations"] = list(self.locations.all())
        return context


class ExpertSpecialty(Orderable):
    """A specialty the expert practises; the first is the one shown in author boxes."""

    page = ParentalKey(ExpertProfilePage, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.ForeignKey(
        "medical_content.SpecialtyPage", on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("specialty")]

    def __str__(self) -> str:
        return self.specialty.title


class ExpertQualification(Orderable):
    """A degree, fellowship or certificate: what, where and when."""

    page = ParentalKey(ExpertProfilePage, on_delete=models.CASCADE, related_name="qualifications")
    title = models.CharField(max_length=150, help_text='e.g. "MB ChB" or "FRCR".')
    institution = models.CharField(max_length=150)
    year = models.PositiveSmallIntegerField(null=True, blank=True)

    panels = [FieldPanel("title"), FieldPanel("institution"), FieldPanel("year")]

    def __str__(self) -> str:
        return f"{self.title}, {self.institution}"


class ExpertLocation(Orderable):
    """A hospital or practice where the expert sees patients."""

    page = ParentalKey(ExpertProfilePage, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=150)
    town = models.CharField(max_length=100, blank=True)

    panels = [FieldPanel("name"), FieldPanel("town")]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name
