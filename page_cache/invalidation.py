"""What the apps call when something readers see has changed: the app server's kept pages are
dropped now and again after the commit (a page view in between would keep the old bytes), and
the proxy in front is purged after the commit (before it, the proxy would fetch the old page
again). The receivers in `signals.py` call these for Wagtail's own changes; an app calls them
for its own (the consent layer for its rows, medical content for sensitivity and ratings).
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from wagtail.models import Page, Site

from . import purge, store


def _changed(purge_proxy: Callable[[], None]) -> None:
    store.invalidate()

    def after_commit() -> None:
        store.invalidate()
        if purge.configured():
            purge_proxy()

    # Robust: an error in a purge backend is logged, and never turns the request that made the
    # change (an editor's publish, already committed) into an error page.
    transaction.on_commit(after_commit, robust=True)


def pages_changed(pages: Iterable[Page]) -> None:
    """Pages were published, unpublished, deleted or changed in what they show."""
    _changed(lambda: purge.pages(pages))


def page_moved(page: Page, url_path_before: str) -> None:
    _changed(lambda: (purge.moved(page, url_path_before), purge.pages([page])))


def paths_changed(paths: Iterable[str], site: Site | None = None) -> None:
    """Addresses that are not pages changed (a redirect's old path)."""
    paths = list(paths)
    _changed(lambda: purge.paths(paths, site))


def everything_changed() -> None:
    """Something every page shows changed (the consent banner and tags, a site, a snippet)."""
    _changed(purge.everything)
