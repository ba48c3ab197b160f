"""Fixtures for the editorial workflow tests: the people in each role, and the article editor's
form as a browser posts it.

The roles are the groups the data migrations create; each user is made as an administrator
would make them (a login in one group; a medical reviewer's login linked to their public
expert profile).
"""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from medical_content import factories
from medical_content.choices import CreditRole, ProcedureKind
from medical_content.models import ArticlePage
from medical_content.review.roles import CLINICAL_REVIEW, MEDICAL_REVIEWERS, PUBLISHERS
from tests.people import make_user

from .admin_flow import add_url, current_task, messages, workflow_action_url


@pytest.fixture
def specialty_index(home):
    return factories.SpecialtyIndexPageFactory(parent=home)


@pytest.fixture
def procedure_index(home):
    return factories.ProcedureIndexPageFactory(parent=home)


# --- A small taxonomy: two specialties, a condition with a test and a treatment ------


@pytest.fixture
def vascular(specialty_index):
    return factories.SpecialtyPageFactory(
        parent=specialty_index, title="Vascular surgery", slug="vascular-surgery"
    )


@pytest.fixture
def cardiology(specialty_index):
    return factories.SpecialtyPageFactory(
        parent=specialty_index, title="Cardiology", slug="cardiology"
    )


@pytest.fixture
def varicose_veins(procedure_index, vascular):
    return factories.ProcedurePageFactory(
        parent=procedure_index,
        title="Varicose veins",
        slug="varicose-veins",
        kind=ProcedureKind.CONDITION,
        specialty=vascular,
        summary="Swollen, twisted veins near the surface of the skin.",
    )


@pytest.fixture
def evla(procedure_index, vascular, varicose_veins):
    return factories.ProcedurePageFactory(
        parent=procedure_index,
        title="Endovenous laser ablation",
        slug="endovenous-laser-ablation",
        kind=ProcedureKind.TREATMENT,
        specialty=vascular,
        synonyms="EVLA, laser vein treatment, ",
        summary="A laser seals the faulty vein from inside.",
        related_conditions=[varicose_veins],
    )


@pytest.fixture
def duplex_scan(procedure_index, vascular, varicose_veins):
    return factories.ProcedurePageFactory(
        parent=procedure_index,
        title="Duplex ultrasound scan",
        slug="duplex-ultrasound-scan",
        kind=ProcedureKind.DIAGNOSTIC_TEST,
        specialty=vascular,
        related_conditions=[varicose_veins],
    )


@pytest.fixture
def vein_surgeon(expert_index, vascular, evla, varicose_veins):
    return factories.ExpertProfilePageFactory(
        parent=expert_index,
        given_name="Ada",
        family_name="Quill",
        specialties=factories.specialties(vascular),
        procedures=[varicose_veins, evla],
    )


@pytest.fixture
def reviewing_expert(expert_index):
    """An expert profile credited as clinical reviewer (no login of its own)."""
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Prof", given_name="Bo", family_name="Reyes"
    )


@pytest.fixture
def publisher(db):
    return make_user("publisher", PUBLISHERS)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


@pytest.fixture
def author(expert_index):
    """The expert credited as author of the articles under review."""
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Dr", given_name="Ada", family_name="Okafor"
    )


@pytest.fixture
def reviewer_expert(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Prof", given_name="Imogen", family_name="Varga"
    )


@pytest.fixture
def reviewer(db, reviewer_expert):
    """A medical reviewer whose login is linked to their public profile (Prof Imogen Varga)."""
    user = make_user("reviewer", MEDICAL_REVIEWERS)
    reviewer_expert.user = user
    reviewer_expert.save()
    return user


@pytest.fixture
def as_user(client) -> Callable:
    """`as_user(user)`: the test client, logged in as `user`."""

    def log_in(user):
        client.logout()
        client.force_login(user)
        return client

    return log_in


# --- The article editor's form -----------------------------------------------------------


def _datetime_field(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _body(blocks: list[dict]) -> dict:
    """Paragraph blocks as the editor posts them back: with their ids and stored rich text
    (whose block keys Draftail keeps), so an unchanged paragraph is stored unchanged."""
    data = streamfield([(block["type"], rich_text(block["value"])) for block in blocks])
    for index, block in enumerate(blocks):
        assert block["type"] == "paragraph", "the form helper only posts paragraph blocks"
        if block.get("id"):
            data[str(index)]["id"] = block["id"]
    return data


def _form(fields: dict, credit_rows: list[dict], initial_credits: int, blocks: list[dict]):
    credits = inline_formset(credit_rows, initial=initial_credits)
    for index in range(len(credit_rows)):
        # The editor numbers rows from 1, as Django's formsets order them.
        credits[str(index)]["ORDER"] = str(index + 1)
    data = {
        **fields,
        "credits": credits,
        "related_procedures": inline_formset([]),
        "comments": inline_formset([]),
        "body": _body(blocks),
    }
    return nested_form_data(data)


@pytest.fixture
def new_article_form() -> Callable:
    """`new_article_form(*authors, action=..., **fields)`: the create form, as a browser posts it
    (without `action`, "Save draft")."""

    def build(*authors, body: str = "<p>Rest, fluids and paracetamol.</p>", action=None, **fields):
        values = {
            "title": "Shingles",
            "slug": "shingles",
            "standfirst": "A painful rash caused by the chickenpox virus.",
            "publication_date": "2026-02-01",
            "next_review_due": "",
            "go_live_at": "",
            "expire_at": "",
            "specialty": "",
            **fields,
        }
        if action:
            values[action] = action
        rows = [{"role": CreditRole.AUTHOR, "expert": a.pk, "staff": ""} for a in authors]
        return _form(values, rows, 0, [{"type": "paragraph", "value": body}])

    return build


@pytest.fixture
def edit_form() -> Callable:
    """`edit_form(article, action=..., body=..., **fields)`: the edit form as the editor shows
    it for the article's latest revision, with the changes given, as a browser posts it."""

    def build(article, *, body: str | None = None, action=None, revision=None, **fields):
        # The latest revision as stored now, whatever the caller's copy of the page says.
        revision = revision or type(article).objects.get(pk=article.pk).get_latest_revision()
        page = revision.as_object() if revision else article
        values = {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "publication_date": page.publication_date.isoformat(),
            "next_review_due": page.next_review_due.isoformat() if page.next_review_due else "",
            "go_live_at": _datetime_field(page.go_live_at),
            "expire_at": _datetime_field(page.expire_at),
            "specialty": page.specialty_id or "",
            "seo_title": page.seo_title,
            "search_description": page.search_description,
            **fields,
        }
        if action:
            values[action] = action
        credits = list(page.credits.all())
        rows = [
            {"id": c.pk, "role": c.role, "expert": c.expert_id or "", "staff": c.staff_id or ""}
            for c in credits
        ]
        blocks = [dict(block) for block in page.body.raw_data]
        if body is not None:
            blocks[0]["value"] = body
        return _form(values, rows, len(rows), blocks)

    return build


@pytest.fixture
def live_gout(article_index, author, reviewer_expert):
    """The article "Gout", approved by Prof Imogen Varga and live: "Drink plenty of water."."""
    article = factories.ArticlePageFactory(
        parent=article_index,
        title="Gout",
        slug="gout",
        credits=factories.credits((CreditRole.AUTHOR, author)),
        body=factories.stream_data(("paragraph", "<p>Drink plenty of water.</p>")),
    )
    factories.approve_and_publish(article, reviewer_expert)
    return article


@pytest.fixture
def reader_client():
    """A member of the public, with a browser of their own."""
    return Client()


@pytest.fixture
def submit(article_index, as_user, editor, new_article_form):
    """`submit(*authors, by=editor)`: "Shingles", written and submitted in the admin."""

    def write_and_submit(*authors, by=None, **fields):
        response = as_user(by or editor).post(
            add_url(article_index), new_article_form(*authors, action="action-submit", **fields)
        )
        assert response.status_code == 302, messages(response.content.decode())
        return ArticlePage.objects.get(slug=fields.get("slug", "shingles"))

    return write_and_submit


@pytest.fixture
def at_clinical_review(submit, author, as_user, publisher):
    """`at_clinical_review(*authors)`: submitted, and through a publisher's editorial check."""

    def through_editorial_check(*authors):
        article = submit(*(authors or [author]))
        response = as_user(publisher).post(workflow_action_url(article), {"comment": ""})
        assert response.status_code == 302
        assert current_task(article) == CLINICAL_REVIEW
        return article

    return through_editorial_check


@pytest.fixture
def reviewed(at_clinical_review, as_user, reviewer):
    """The article "Shingles", taken through the whole workflow in the admin, and so live."""
    article = at_clinical_review()
    response = as_user(reviewer).post(
        workflow_action_url(article), {"comment": "Doses checked against the 2025 guideline."}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    return article
