"""Site search over articles, experts, procedures and specialties."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page

from . import conf
from .breadcrumbs import Crumb
from .models import ArticlePage, ExpertProfilePage, ProcedurePage, SpecialtyPage
from .pagination import paginate

RESULTS_PER_PAGE = 20
SEARCHABLE = (ArticlePage, ExpertProfilePage, ProcedurePage, SpecialtyPage)
RESULT_TYPES = {
    ArticlePage: "Article",
    ExpertProfilePage: "Expert",
    ProcedurePage: "Procedure",
    SpecialtyPage: "Specialty",
}


def clean_query(raw: str) -> str:
    """What we search for: printable text, whitespace folded, cut to a sane length.

    NUL and other control characters are dropped (PostgreSQL refuses NUL in a string) and a
    2,000-character paste is cut, so odd input gives a normal results page, never an error.
    Double quotes are dropped too: SQLite's FTS5 ends the backend's quoted term at one.
    """
    printable = "".join(ch if ch.isprintable() and ch != '"' else " " for ch in raw)
    return " ".join(printable.split())[: conf.search_max_query_length()].strip()


@require_safe  # like the pages (http_methods): anything but GET and HEAD gets a 405
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    results = None
    if query:
        # public(): pages behind a password or login never show in results.
        found = Page.objects.live().public().type(*SEARCHABLE).search(query, operator="and")
        results = paginate(found, request, RESULTS_PER_PAGE)
        # One query per page type on the page, whatever the number of results.
        specific = {
            p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in results]).specific()
        }
        results.object_list = [
            {"page": specific[p.pk], "type": RESULT_TYPES.get(type(specific[p.pk]), "Page")}
            for p in results
            if p.pk in specific
        ]
    return TemplateResponse(
        request,
        "medical_content/search.html",
        {
            "base_template": conf.base_template(),
            "search_query": query,
            "query_string": urlencode({"q": query}),
            "results": results,
            "breadcrumbs": [Crumb("Home", "/"), Crumb("Search", request.path)],
            # What a reader searches a health site for is health data, and the query is in
            # the address: any search is sensitive (no advertising; analytics gets a neutral
            # id), whatever it finds, even when cleaning left nothing to search for.
            "sensitive_page": bool(request.GET.get("q")),
        },
    )
