"""Purging the reverse proxy or CDN in front of the site, through Wagtail's frontend-cache module.

The backends are Wagtail's (`WAGTAILFRONTENDCACHE`; the HTTP backend sends `PURGE` to nginx);
without that setting nothing is sent. `wagtail.contrib.frontend_cache` need not be in
INSTALLED_APPS: its own receivers purge a published page only, this app purges the pages that
list it too, and the other changes readers see (`signals.py`).
"""

from collections.abc import Iterable
from copy import copy

from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.models import Page, Site


def configured() -> bool:
    return bool(get_backends())


def pages(changed: Iterable[Page]) -> None:
    """Purge each page and the pages above it (an index lists its children; the home page its
    newest articles), the root excluded."""
    batch = PurgeBatch()
    for page in changed:
        batch.add_page(page)
        batch.add_pages(page.get_ancestors().filter(depth__gt=1))
    batch.purge()


def moved(page: Page, url_path_before: str) -> None:
    """Purge a moved page's old address and its descendants' old addresses."""
    batch = PurgeBatch()
    for descendant in page.get_descendants(inclusive=True):
        old = copy(descendant)
        old.url_path = url_path_before + descendant.url_path[len(page.url_path) :]
        batch.add_page(old)
    batch.purge()


def paths(paths: Iterable[str], site: Site | None) -> None:
    """Purge site-relative paths (a redirect's old path) on `site`, or on every site."""
    sites = [site] if site is not None else Site.objects.all()
    batch = PurgeBatch()
    for each in sites:
        batch.add_urls(each.root_url + path for path in paths)
    batch.purge()


def everything() -> None:
    """Purge every live page of every site (a change every page shows: the banner, a tag)."""
    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().filter(depth__gt=1).specific())
    batch.purge()
