"""Build the demo site: home, articles, experts, specialties, procedures, patient ratings.

Safe to run again: everything is looked up by its slug, name or username first, so a second
run changes nothing and duplicates nothing.
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ... import demo_content as content
from ...choices import RatingStatus
from ...models import (
    ArticleIndexPage,
    ArticlePage,
    ClinicalApproval,
    ExpertIndexPage,
    ExpertProfilePage,
    HomePage,
    ProcedureIndexPage,
    ProcedurePage,
    SpecialtyIndexPage,
    SpecialtyPage,
    StaffMember,
)
from ...review.roles import EDITORS, MEDICAL_REVIEWERS, PUBLISHERS, set_up_article_index

try:
    from ... import factories
except ModuleNotFoundError as missing:  # factory-boy comes with the package's [demo] extra
    if missing.name != "factory":
        raise
    factories = None

NEEDS_DEMO_EXTRA = (
    "load_demo_data builds its content with factory-boy, which a site installing the plugin "
    "does not need: pip install 'wagtail-medical-publisher[demo]' first."
)

# The logins `make run` creates; listed in the README. Never created unless asked for.
DEMO_LOGINS = [
    {"username": "admin", "password": "admin-demo", "superuser": True, "groups": []},
    {"username": "editor", "password": "editor-demo", "superuser": False, "groups": [EDITORS]},
    {
        "username": "publisher",
        "password": "publisher-demo",
        "superuser": False,
        "groups": [PUBLISHERS],
    },
    # Linked to Dr Tomás Adeyemi's profile by `_reviewer_logins`.
    {
        "username": "reviewer",
        "password": "reviewer-demo",
        "superuser": False,
        "groups": [MEDICAL_REVIEWERS],
    },
]


class Command(BaseCommand):
    help = "Create the demo site's pages, experts and articles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-logins",
            action="store_true",
            help="Also create the demo logins with their known passwords (DEBUG only).",
        )
        parser.add_argument(
            "--address",
            metavar="HOST:PORT",
            help=(
                "The address the demo is served on (`make run` passes its HOST and PORT), so "
                "the Site's canonical links and sitemap point there."
            ),
        )

    @transaction.atomic
    def handle(
        self, *args: Any, demo_logins: bool = False, address: str | None = None, **options: Any
    ) -> None:
        if factories is None:
            raise CommandError(NEEDS_DEMO_EXTRA)
        served_at = _host_and_port(address) if address else None
        if demo_logins and not settings.DEBUG:
            raise CommandError("Demo logins have public passwords; refusing with DEBUG off.")
        home = self._home(served_at)
        article_index = self._child(
            ArticleIndexPage,
            factories.ArticleIndexPageFactory,
            home,
            slug="articles",
            introduction=content.ARTICLE_INDEX_INTRODUCTION,
        )
        set_up_article_index(article_index)
        expert_index = self._child(
            ExpertIndexPage,
            factories.ExpertIndexPageFactory,
            home,
            slug="experts",
            introduction=content.EXPERT_INDEX_INTRODUCTION,
        )
        specialty_index = self._child(
            SpecialtyIndexPage,
            factories.SpecialtyIndexPageFactory,
            home,
            slug="specialties",
            introduction=content.SPECIALTY_INDEX_INTRODUCTION,
        )
        procedure_index = self._child(
            ProcedureIndexPage,
            factories.ProcedureIndexPageFactory,
            home,
            slug="procedures",
            introduction=content.PROCEDURE_INDEX_INTRODUCTION,
        )
        specialties = {
            slug: self._child(
                SpecialtyPage,
                factories.SpecialtyPageFactory,
                specialty_index,
                slug=slug,
                title=title,
                summary=summary,
                marked_sensitive=slug in content.SENSITIVE_SPECIALTIES,
            )
            for slug, (title, summary) in content.SPECIALTIES.items()
        }
        procedures = self._procedures(procedure_index, specialties)
        taxonomy = {"specialties": specialties, "procedures": procedures}
        people = {spec["key"]: self._staff(spec) for spec in content.STAFF}
        people.update(
            {spec["key"]: self._expert(spec, expert_index, taxonomy) for spec in content.EXPERTS}
        )
        reviewers = self._reviewer_logins(people)
        for spec in [content.DVT_ARTICLE, *content.MORE_ARTICLES]:
            self._article(spec, article_index, people, taxonomy, reviewers)
        if demo_logins:
            self._logins()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    def _home(self, served_at: tuple[str, int] | None) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            home = factories.HomePageFactory(
                title=content.SITE_NAME, introduction=content.HOME_INTRODUCTION
            )
            _publish(home)
        site = Site.objects.get(root_page=home)
        wanted = {"site_name": content.SITE_NAME}
        if served_at:
            wanted["hostname"], wanted["port"] = served_at
        if any(getattr(site, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(site, field, value)
            site.save()
        # Wagtail's own "Welcome to your new Wagtail site!" page is left over from its
        # initial migration; it is a plain Page with no children.
        Page.objects.filter(depth=2, content_type__model="page", numchild=0).delete()
        return home

    def _child(self, model, factory, parent: Page, slug: str, **fields) -> Page:
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = factory(parent=parent, slug=slug, **fields)
            _publish(page)
        return page

    def _procedures(self, parent: ProcedureIndexPage, specialties: dict) -> dict:
        procedures = {}
        for slug, (title, kind, specialty, synonyms, summary, _) in content.PROCEDURES.items():
            procedures[slug] = self._child(
                ProcedurePage,
                factories.ProcedurePageFactory,
                parent,
                slug=slug,
                title=title,
                kind=kind,
                specialty=specialties[specialty],
                synonyms=synonyms,
                summary=summary,
                marked_sensitive=slug in content.SENSITIVE_PROCEDURES,
            )
        for slug, (*_, conditions) in content.PROCEDURES.items():
            procedure = procedures[slug]
            if conditions and not procedure.related_conditions.exists():
                procedure.related_conditions.set([procedures[c] for c in conditions])
                _publish(procedure)
        return procedures

    def _staff(self, spec: dict) -> StaffMember:
        staff, _ = StaffMember.objects.get_or_create(
            name=spec["name"], defaults={"job_title": spec["job_title"]}
        )
        return staff

    def _expert(self, spec: dict, parent: ExpertIndexPage, taxonomy: dict) -> ExpertProfilePage:
        expert = ExpertProfilePage.objects.child_of(parent).filter(slug=spec["slug"]).first()
        if expert is not None:
            return expert
        name = f"{spec['given_name']} {spec['family_name']}"
        photo = self._image(
            f"Portrait placeholder: {name} (fictional)",
            file=factories.portrait_png(name, spec["photo_hue"]),
        )
        body, number = spec["registration"]
        expert = factories.ExpertProfilePageFactory(
            parent=parent,
            slug=spec["slug"],
            title=f"{spec['honorific']} {spec['given_name']} {spec['family_name']}",
            honorific=spec["honorific"],
            given_name=spec["given_name"],
            family_name=spec["family_name"],
            job_title=spec["job_title"],
            photo=photo,
            short_bio=spec["short_bio"],
            bio=spec["bio"],
            registration_body=body,
            registration_number=number,
            languages=spec["languages"],
            specialties=factories.specialties(
                *[taxonomy["specialties"][slug] for slug in spec["specialties"]]
            ),
            procedures=[taxonomy["procedures"][slug] for slug in spec["procedures"]],
            qualifications=[
                factories.ExpertQualificationFactory.build(title=t, institution=i, year=y)
                for t, i, y in spec["qualifications"]
            ],
            locations=[
                factories.ExpertLocationFactory.build(name=n, town=t) for n, t in spec["locations"]
            ],
        )
        _publish(expert)
        self._ratings(expert, *spec["ratings"])
        return expert

    def _ratings(self, expert, approved: list[int], pending: int, rejected: int) -> None:
        source = "Patient experience survey 2026 (demo)"
        today = timezone.localdate()
        rows = [(score, RatingStatus.APPROVED) for score in approved]
        rows += [(4, RatingStatus.PENDING)] * pending + [(1, RatingStatus.REJECTED)] * rejected
        for day, (score, status) in enumerate(rows):
            factories.PatientRatingFactory(
                expert=expert,
                score=score,
                status=status,
                source=source,
                rated_on=today - datetime.timedelta(days=3 * day + 1),
            )

    def _image(self, title: str, **fields):
        image = get_image_model().objects.filter(title=title).first()
        return image or factories.ImageFactory(title=title, **fields)

    def _reviewer_logins(self, people: dict) -> dict:
        """The clinicians' admin logins, in the reviewers group and linked to their profiles."""
        User = get_user_model()
        reviewers_group = Group.objects.filter(name=MEDICAL_REVIEWERS).first()
        logins = {}
        for key, username in content.REVIEWER_LOGINS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=f"{username}@example.com")
                user.set_unusable_password()
                user.save()
            if reviewers_group is not None:
                user.groups.add(reviewers_group)
            expert = people[key]
            if expert.user_id is None:
                # An account setting, not page content (see ExpertProfilePage.user).
                type(expert).objects.filter(pk=expert.pk).update(user=user)
                expert.user = user
            logins[key] = user
        return logins

    def _article(
        self, spec: dict, parent: ArticleIndexPage, people: dict, taxonomy: dict, reviewers: dict
    ) -> ArticlePage:
        article = ArticlePage.objects.child_of(parent).filter(slug=spec["slug"]).first()
        if article is not None:
            return article
        body = [(kind, dict(value)) for kind, value in spec["body"]]
        if "image" in spec:
            image = self._image(spec["image"])
            for kind, value in body:
                if kind == "image":
                    value["image"] = {
                        "image": image.pk,
                        "decorative": False,
                        "alt_text": "Placeholder for a drawing of the deep veins of the leg",
                    }
        today = timezone.localdate()
        next_review_in_days = spec.get("next_review_in_days")
        article = factories.ArticlePageFactory(
            parent=parent,
            slug=spec["slug"],
            publication_date=today - datetime.timedelta(days=spec["published_days_ago"]),
            next_review_due=(
                today + datetime.timedelta(days=next_review_in_days)
                if next_review_in_days
                else None
            ),
            title=spec["title"],
            search_description=spec["search_description"],
            standfirst=spec["standfirst"],
            body=factories.stream_data(*body),
            credits=factories.credits(*[(role, people[key]) for role, key in spec["credits"]]),
            specialty=taxonomy["specialties"].get(spec.get("specialty")),
            related_procedures=factories.related_procedures(
                *[taxonomy["procedures"][slug] for slug in spec.get("procedures", [])]
            ),
        )
        self._approve_and_publish(article, spec, reviewers)
        return article

    def _approve_and_publish(self, article: ArticlePage, spec: dict, reviewers: dict) -> None:
        """Publish through a clinical approval dated when the demo says it was reviewed."""
        revision = article.save_revision()
        approved_at = timezone.now() - datetime.timedelta(days=spec["reviewed_days_ago"])
        ClinicalApproval.objects.record(
            revision, reviewers[spec["reviewer"]], approved_at=approved_at
        )
        revision.publish()

    def _logins(self) -> None:
        User = get_user_model()
        for login in DEMO_LOGINS:
            user = User.objects.filter(username=login["username"]).first()
            if user is None:
                user = User(username=login["username"], email=f"{login['username']}@example.com")
                user.is_staff = user.is_superuser = login["superuser"]
                user.set_password(login["password"])
                user.save()
            elif not user.has_usable_password():  # a reviewer made by _reviewer_logins
                user.set_password(login["password"])
                user.save()
            user.groups.add(*Group.objects.filter(name__in=login["groups"]))


def _publish(page: Page) -> None:
    """Publish through a revision, as an editor would, so the admin shows its history."""
    page.save_revision().publish()


def _host_and_port(address: str) -> tuple[str, int]:
    """`127.0.0.1:8001` as ("127.0.0.1", 8001); a clear error for anything else."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--address takes HOST:PORT, such as 127.0.0.1:8000, not {address!r}.")
    return host, int(port)
