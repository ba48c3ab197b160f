"""The site's main navigation: the home page's live children marked "Show in menus"."""

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Site

from .tree_cache import cached


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


def primary_navigation(request: HttpRequest) -> tuple[NavItem, ...]:
    """From the cache once warm, so rendering it costs no query."""
    site = Site.find_for_request(request)
    if site is None:
        return ()
    return cached(
        f"navigation:{site.pk}",
        lambda: tuple(
            NavItem(title=page.title, url=page.get_url(request) or "")
            for page in site.root_page.get_children().live().in_menu()
        ),
        request,
    )
