"""schema.org JSON-LD and page metadata for every page type.

Each builder returns plain dicts; the theme serialises them into
`<script type="application/ld+json">`. Builders read only what the page's `get_context` has
already fetched, so they add no queries.
"""

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page, Site

from . import conf
from .breadcrumbs import Crumb
from .choices import CreditRole, ProcedureKind

SCHEMA = "https://schema.org"
PROCEDURE_TYPES = {
    ProcedureKind.TREATMENT: "MedicalProcedure",
    ProcedureKind.DIAGNOSTIC_TEST: "DiagnosticProcedure",
    ProcedureKind.CONDITION: "MedicalCondition",
}
_DESCRIPTION_FIELDS = ("search_description", "standfirst", "short_bio", "summary", "introduction")


def meta_description(page: Page) -> str:
    """The page's search description, else its own summary-like field."""
    for name in _DESCRIPTION_FIELDS:
        value = getattr(page, name, "")
        if value:
            return " ".join(str(value).split())[:300]
    return ""


def absolute(request: HttpRequest, url: str) -> str:
    """A full URL on the Site's configured host, not the request's Host header, so every
    reader (and every host name a CDN fetches through) gets the same bytes."""
    if not url.startswith("/"):
        return url
    site = Site.find_for_request(request)
    root = site.root_url if site else request.build_absolute_uri("/").rstrip("/")
    return root + url


def breadcrumb_list(crumbs: list[Crumb], request: HttpRequest) -> dict[str, Any]:
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": absolute(request, crumb.url),
            }
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


def for_page(page: Page, request: HttpRequest, context: dict) -> list[dict[str, Any]]:
    """The JSON-LD objects for a page: its own type's, then its breadcrumb trail."""
    builder = _BUILDERS.get(type(page).__name__, _web_page)
    data = [builder(page, request, context)]
    if context.get("breadcrumbs"):
        data.append(breadcrumb_list(context["breadcrumbs"], request))
    return data


def _web_page(page: Page, request: HttpRequest, context: dict) -> dict[str, Any]:
    return {
        "@context": SCHEMA,
        "@type": "WebPage",
        "name": page.title,
        "description": meta_description(page),
        "url": absolute(request, page.get_url(request) or ""),
    }


def _home(page: Page, request: HttpRequest, context: dict) -> dict[str, Any]:
    site = Site.find_for_request(request)
    root = absolute(request, "/")
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": (site.site_name if site else "") or page.title,
        "url": root,
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{root}search/?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }


def _person(expert, request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "Physician",
        "name": expert.full_name,
        "url": absolute(request, expert.get_url(request) or ""),
    }


def _thing(procedure, request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": PROCEDURE_TYPES.get(procedure.kind, "MedicalEntity"),
        "name": procedure.title,
        "url": absolute(request, procedure.get_url(request) or ""),
    }


def _article(page, request: HttpRequest, context: dict) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "MedicalWebPage",
        "name": page.title,
        "headline": page.title,
        "description": meta_description(page),
        "url": absolute(request, page.get_url(request) or ""),
        "datePublished": page.publication_date.isoformat(),
        "author": [_person(c.expert, request) for c in page.authors if c.expert],
        "about": [_thing(p, request) for p in context.get("about_procedures", [])],
    }
    editors = [
        _person(c.expert, request) if c.expert else {"@type": "Person", "name": c.name}
        for c in page.credits_by_role[CreditRole.EDITOR]
    ]
    if editors:
        data["editor"] = editors
    # Only a clinical approval of the version being read says who reviewed it and when; the
    # date stays the real one when the next review is overdue.
    review = context.get("review")
    if review is not None:
        data["lastReviewed"] = review.reviewed_on.isoformat()
        if review.expert is not None and review.expert.live:
            data["reviewedBy"] = [_person(review.expert, request)]
        else:
            data["reviewedBy"] = [{"@type": "Person", "name": review.reviewer_name}]
    return data


def _expert(page, request: HttpRequest, context: dict) -> dict[str, Any]:
    credentials = [
        {
            "@type": "EducationalOccupationalCredential",
            "name": q.title,
            "credentialCategory": "degree",
            "recognizedBy": {"@type": "Organization", "name": q.institution},
            **({"dateCreated": str(q.year)} if q.year else {}),
        }
        for q in context.get("qualifications", [])
    ]
    if page.registration_body:
        credentials.append(
            {
                "@type": "EducationalOccupationalCredential",
                "name": f"Registration with {page.registration_body}",
                "credentialCategory": "license",
                "recognizedBy": {"@type": "Organization", "name": page.registration_body},
                **({"identifier": page.registration_number} if page.registration_number else {}),
            }
        )
    data: dict[str, Any] = {
        **_person(page, request),
        "@context": SCHEMA,
        "description": meta_description(page),
        "hasCredential": credentials,
        "knowsAbout": [s.specialty.title for s in context.get("specialties", [])],
        "hospitalAffiliation": [
            {"@type": "Hospital", "name": loc.name} for loc in context.get("locations", [])
        ],
        "availableLanguage": page.language_list,
    }
    summary = getattr(page, "rating_summary", None)
    if conf.independent_directory() and summary is not None and summary.count:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": str(summary.display_average),
            "ratingCount": summary.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return data


def _procedure(page, request: HttpRequest, context: dict) -> dict[str, Any]:
    data = {
        **_thing(page, request),
        "@context": SCHEMA,
        "description": page.summary,
        "alternateName": page.synonym_list,
    }
    if page.kind == ProcedureKind.CONDITION:
        data["possibleTreatment"] = [_thing(p, request) for p in context.get("treated_by", [])]
    return data


def _collection(page: Page, request: HttpRequest, context: dict) -> dict[str, Any]:
    return {**_web_page(page, request, context), "@type": "CollectionPage"}


_BUILDERS = {
    "HomePage": _home,
    "ArticlePage": _article,
    "ExpertProfilePage": _expert,
    "ProcedurePage": _procedure,
    "ArticleIndexPage": _collection,
    "ExpertIndexPage": _collection,
    "SpecialtyIndexPage": _collection,
    "ProcedureIndexPage": _collection,
    "SpecialtyPage": _collection,
}
