"""The receivers that drop kept pages and purge the proxy when what readers see changes,
connected by `PageCacheConfig.ready`.

Wagtail's own changes: a page published, unpublished, moved or deleted; a page made private or
public again (Wagtail's Privacy dialog saves or deletes a view restriction and publishes
nothing: the kept copies of the page and the pages below it must not outlive it); a site saved
or deleted; a redirect saved or deleted (a kept 404 would hide it); a snippet or a setting
published, saved or deleted (credits, the banner). Saving a page's or a snippet's draft,
which Wagtail's autosave does every few seconds, changes nothing readers see and drops
nothing. The apps announce their own changes through `invalidation.py`.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import DraftStateMixin, Page, PageViewRestriction, Site
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)
from wagtail.snippets.models import get_snippet_models

from . import invalidation


def _page_changed(sender, instance, **kwargs) -> None:
    invalidation.pages_changed([instance])


def _page_deleted(sender, instance, **kwargs) -> None:
    # Deleting a page of a subclass deletes its Page row too: react to that one only.
    if sender is Page:
        invalidation.pages_changed([instance])


def _page_moved(sender, instance, url_path_before: str, url_path_after: str, **kwargs) -> None:
    if url_path_before != url_path_after:
        invalidation.page_moved(instance, url_path_before)


def _privacy_changed(sender, instance: PageViewRestriction, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    try:
        page = instance.page
    except Page.DoesNotExist:  # deleted with its page, which drops everything itself
        return
    invalidation.pages_changed(page.get_descendants(inclusive=True))


def _redirect_changed(sender, instance: Redirect, **kwargs) -> None:
    invalidation.paths_changed([instance.old_path], instance.site)


def _site_changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:
        invalidation.everything_changed()


def _shown_everywhere(sender) -> bool:
    """Whether editors edit `sender` as a snippet or a setting (its rows are shown on pages).

    Asked when a row is saved, not when the app is ready: Wagtail registers snippets when it
    loads the apps' hooks, later."""
    return not issubclass(sender, Page) and (
        sender in get_snippet_models() or sender in settings_registry
    )


def _row_saved_or_deleted(sender, raw: bool = False, signal=None, **kwargs) -> None:
    # A snippet with drafts is shown once published: its saves are drafts (autosave).
    if signal is post_save and issubclass(sender, DraftStateMixin):
        return
    if not raw and _shown_everywhere(sender):
        invalidation.everything_changed()


def _row_published(sender, **kwargs) -> None:
    if _shown_everywhere(sender):
        invalidation.everything_changed()


def connect_receivers() -> None:
    page_published.connect(_page_changed, dispatch_uid="page_cache-page-published")
    page_unpublished.connect(_page_changed, dispatch_uid="page_cache-page-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="page_cache-page-moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page_cache-page-deleted")
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(
            _redirect_changed, sender=Redirect, dispatch_uid=f"page_cache-redirect-{name}"
        )
        signal.connect(_site_changed, sender=Site, dispatch_uid=f"page_cache-site-{name}")
        signal.connect(
            _privacy_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"page_cache-privacy-{name}",
        )
        signal.connect(_row_saved_or_deleted, dispatch_uid=f"page_cache-row-{name}")
    published.connect(_row_published, dispatch_uid="page_cache-row-published")
    unpublished.connect(_row_published, dispatch_uid="page_cache-row-unpublished")
