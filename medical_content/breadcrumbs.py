"""The trail from the site's home page to the current page."""

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Page, Site

from . import tree_cache


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str


def breadcrumbs(page: Page, request: HttpRequest) -> list[Crumb]:
    """Home first, the page itself last.

    The ancestors' crumbs come from the page tree's cache (`tree_cache.py`, dropped whenever a
    page is saved, moved or deleted), so a page view costs no query here. A preview walks
    `get_parent()` instead (what it shows may be a page not yet in the tree): a query per level
    at most, none where Wagtail's routing already cached the parents.
    """
    site = Site.find_for_request(request)
    root_id = site.root_page_id if site else None
    if getattr(request, "is_preview", False) or not page.pk or not site:
        ancestors = _ancestor_crumbs(page, root_id, request)
    else:
        ancestors = tree_cache.cached(
            f"breadcrumbs:{site.pk}:{page.pk}",
            lambda: _ancestor_crumbs(page, root_id, request),
            request,
        )
    return [*ancestors, _crumb(page, root_id, request)]


def _ancestor_crumbs(page: Page, root_id: int | None, request: HttpRequest) -> tuple[Crumb, ...]:
    chain = []
    current = page
    while current.pk != root_id and current.depth > 2:
        current = current.get_parent()
        if current is None:
            break
        chain.append(current)
    return tuple(_crumb(p, root_id, request) for p in reversed(chain))


def _crumb(page: Page, root_id: int | None, request: HttpRequest) -> Crumb:
    return Crumb("Home" if page.pk == root_id else page.title, page.get_url(request) or "")
