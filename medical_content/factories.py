"""One factory per model. Tests and the demo content (`load_demo_data`) both build from these.

Page factories take a `parent` page; without one they find or make the natural parent, so
`ArticlePageFactory()` alone gives a published article reachable from the site's home page.
"""

import io
import random

import factory
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from . import models
from .choices import CreditRole, ProcedureKind, RatingStatus
from .review.roles import MEDICAL_REVIEWERS


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as a child of `parent` (a page) through Wagtail's tree API."""

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:50])
    live = True

    class Meta:
        abstract = True

    @classmethod
    def default_parent(cls) -> Page:
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, parent: Page | None = None, **kwargs):
        page = model_class(*args, **kwargs)
        (parent or cls.default_parent()).add_child(instance=page)
        return page


class HomePageFactory(PageFactory):
    """The site's home page, made the default site's root."""

    title = "Clearwell Health"
    slug = "clearwell-home"

    class Meta:
        model = models.HomePage

    @classmethod
    def default_parent(cls) -> Page:
        return Page.get_first_root_node()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        home = super()._create(model_class, *args, **kwargs)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.save()
        return home


def _home() -> models.HomePage:
    return models.HomePage.objects.first() or HomePageFactory()


class ArticleIndexPageFactory(PageFactory):
    title = "Health articles"
    slug = "articles"
    show_in_menus = True

    class Meta:
        model = models.ArticleIndexPage

    @classmethod
    def default_parent(cls) -> Page:
        return _home()


class ExpertIndexPageFactory(PageFactory):
    title = "Find an expert"
    slug = "experts"
    show_in_menus = True

    class Meta:
        model = models.ExpertIndexPage

    @classmethod
    def default_parent(cls) -> Page:
        return _home()


class ImageFactory(factory.django.DjangoModelFactory):
    """A generated PNG: a soft background with a few shapes, or initials for a portrait."""

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyAttribute(lambda o: _generated_png(o.title))

    class Meta:
        model = get_image_model()


def _generated_png(title: str, size: tuple[int, int] = (960, 540)) -> ImageFile:
    rng = random.Random(title)  # the same title always draws the same picture
    hue = rng.randrange(0, 360)
    canvas = PILImage.new("RGB", size, f"hsl({hue}, 45%, 88%)")
    draw = ImageDraw.Draw(canvas)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(40, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=f"hsl({(hue + 40) % 360}, 50%, 70%)")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return ImageFile(buffer, name=f"{slugify(title) or 'image'}.png")


def portrait_png(name: str, hue: int) -> ImageFile:
    """A square silhouette placeholder: demo people are fictional and have no photos."""
    canvas = PILImage.new("RGB", (480, 480), f"hsl({hue}, 40%, 35%)")
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((140, 70, 340, 270), fill=f"hsl({hue}, 30%, 75%)")
    draw.ellipse((60, 290, 420, 650), fill=f"hsl({hue}, 30%, 75%)")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return ImageFile(buffer, name=f"portrait-{slugify(name)}.png")


class SpecialtyIndexPageFactory(PageFactory):
    title = "Specialties"
    slug = "specialties"
    show_in_menus = True

    class Meta:
        model = models.SpecialtyIndexPage

    @classmethod
    def default_parent(cls) -> Page:
        return _home()


class SpecialtyPageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Specialty {n}")
    summary = "Diagnosis and treatment within this specialty."

    class Meta:
        model = models.SpecialtyPage

    @classmethod
    def default_parent(cls) -> Page:
        return models.SpecialtyIndexPage.objects.first() or SpecialtyIndexPageFactory()


class ProcedureIndexPageFactory(PageFactory):
    title = "Procedures A-Z"
    slug = "procedures"
    show_in_menus = True

    class Meta:
        model = models.ProcedureIndexPage

    @classmethod
    def default_parent(cls) -> Page:
        return _home()


class ProcedurePageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Procedure {n}")
    kind = ProcedureKind.TREATMENT
    specialty = factory.SubFactory(SpecialtyPageFactory)
    summary = "What the procedure involves, in plain words."

    class Meta:
        model = models.ProcedurePage

    @classmethod
    def default_parent(cls) -> Page:
        return models.ProcedureIndexPage.objects.first() or ProcedureIndexPageFactory()


class ExpertSpecialtyFactory(factory.django.DjangoModelFactory):
    specialty = factory.SubFactory(SpecialtyPageFactory)

    class Meta:
        model = models.ExpertSpecialty


class ArticleProcedureFactory(factory.django.DjangoModelFactory):
    procedure = factory.SubFactory(ProcedurePageFactory)

    class Meta:
        model = models.ArticleProcedure


class PatientRatingFactory(factory.django.DjangoModelFactory):
    expert = factory.SubFactory("medical_content.factories.ExpertProfilePageFactory")
    score = 5
    source = "Outpatient survey"
    status = RatingStatus.APPROVED

    class Meta:
        model = models.PatientRating


class ExpertQualificationFactory(factory.django.DjangoModelFactory):
    title = "MB BS"
    institution = "A university medical school"
    year = 2005

    class Meta:
        model = models.ExpertQualification


class ExpertLocationFactory(factory.django.DjangoModelFactory):
    name = "Riverside General Hospital"
    town = "Eastbridge"

    class Meta:
        model = models.ExpertLocation


class ExpertProfilePageFactory(PageFactory):
    honorific = "Dr"
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    title = factory.LazyAttribute(lambda o: f"{o.honorific} {o.given_name} {o.family_name}")
    slug = factory.LazyAttributeSequence(
        lambda o, n: f"{slugify(o.given_name)}-{slugify(o.family_name)}-{n}"
    )
    job_title = "Consultant interventional radiologist"
    short_bio = "A consultant who treats conditions of the veins and arteries."
    specialties = factory.LazyFunction(
        lambda: [models.ExpertSpecialty(specialty=SpecialtyPageFactory())]
    )

    class Meta:
        model = models.ExpertProfilePage

    @classmethod
    def default_parent(cls) -> Page:
        return models.ExpertIndexPage.objects.first() or ExpertIndexPageFactory()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("name")
    job_title = "Health content editor"

    class Meta:
        model = models.StaffMember


class ArticleCreditFactory(factory.django.DjangoModelFactory):
    role = CreditRole.AUTHOR
    expert = factory.SubFactory(ExpertProfilePageFactory)

    class Meta:
        model = models.ArticleCredit


# Orderable rows get the sort_order the admin's form would give them: without it their order
# is the database's (insertion order on SQLite, anything on PostgreSQL).


def related_procedures(*procedures: models.ProcedurePage) -> list[models.ArticleProcedure]:
    """Related-procedure rows for a new article, in order."""
    return [models.ArticleProcedure(procedure=p, sort_order=i) for i, p in enumerate(procedures)]


def specialties(*pages: models.SpecialtyPage) -> list[models.ExpertSpecialty]:
    """Specialty rows for a new expert profile, in order (the first is the primary one)."""
    return [models.ExpertSpecialty(specialty=p, sort_order=i) for i, p in enumerate(pages)]


def credits(*people: tuple[str, object]) -> list[models.ArticleCredit]:
    """Credits for a new article, from (role, expert or staff member) pairs, in order."""
    return [
        models.ArticleCredit(
            role=role,
            expert=person if isinstance(person, models.ExpertProfilePage) else None,
            staff=person if isinstance(person, models.StaffMember) else None,
            sort_order=i,
        )
        for i, (role, person) in enumerate(people)
    ]


def stream_data(*blocks: tuple[str, dict | str]) -> list[dict]:
    """StreamField content in its stored (JSON) form, from (block type, value) pairs."""
    return [{"type": block_type, "value": value} for block_type, value in blocks]


class ArticlePageFactory(PageFactory):
    title = factory.Sequence(lambda n: f"Understanding condition {n}")
    standfirst = "What the condition is, how it is found and how it is treated."
    body = factory.LazyFunction(
        lambda: stream_data(
            ("question", {"question": "What is it?", "answer": "<p>A short answer.</p>"})
        )
    )
    credits = factory.LazyFunction(
        lambda: credits((CreditRole.AUTHOR, ExpertProfilePageFactory()))
    )

    class Meta:
        model = models.ArticlePage

    @classmethod
    def default_parent(cls) -> Page:
        return models.ArticleIndexPage.objects.first() or ArticleIndexPageFactory()


def reviewer_login(expert: models.ExpertProfilePage):
    """The admin login linked to `expert`, in the "Medical reviewers" group (made if needed)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if expert.user_id:
        return expert.user
    user = get_user_model().objects.create(username=f"reviewer-{expert.pk}", is_active=True)
    user.groups.add(*Group.objects.filter(name=MEDICAL_REVIEWERS))
    models.ExpertProfilePage.objects.filter(pk=expert.pk).update(user=user)
    expert.user = user
    return user


def approve(revision, reviewer: models.ExpertProfilePage, approved_at=None):
    """A clinical approval of `revision` by `reviewer` (given a login if it has none)."""
    return models.ClinicalApproval.objects.record(
        revision, reviewer_login(reviewer), approved_at=approved_at
    )


def approve_and_publish(
    article: models.ArticlePage,
    reviewer: models.ExpertProfilePage,
    approved_at=None,
) -> models.ClinicalApproval:
    """Publish the article as the workflow would: `reviewer` (an expert, given a login if it
    has none) approves its current content, then that revision is published."""
    revision = article.save_revision()
    approval = approve(revision, reviewer, approved_at=approved_at)
    revision.publish()
    article.refresh_from_db()
    return approval
