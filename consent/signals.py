"""Signal receivers of the consent layer, connected by `ConsentConfig.ready`.

The cached snapshot (`snapshot.py`) is dropped whenever a row it is built from changes, and with
it every kept page (`page_cache`); every banner wording is stored as a version the moment it is
saved.
"""

from cookie_consent.models import Cookie, CookieGroup
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from page_cache import invalidation

from .models import BannerVersion, ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from .snapshot import clean_banner_html, invalidate


def _changed(**kwargs) -> None:
    invalidate()
    # And again after the commit: a page view between the save and the commit would have
    # cached the old rows again (admin views save inside a transaction).
    transaction.on_commit(invalidate)


def _rows_changed(**kwargs) -> None:
    _changed()
    # Every page carries the banner, the tags and their policy: drop them all.
    invalidation.everything_changed()


def connect_receivers() -> None:
    """Drop the snapshot whenever something it is built from changes (called by the app)."""
    # Saving a ConsentGroup sends signals for ConsentGroup only, not for its parent model.
    for model in (Cookie, CookieGroup, ConsentCookie, ConsentGroup, ConsentTag):
        post_save.connect(_rows_changed, sender=model, dispatch_uid=f"consent-{model.__name__}-s")
        post_delete.connect(
            _rows_changed, sender=model, dispatch_uid=f"consent-{model.__name__}-d"
        )
    # A setting: page_cache's own receivers drop the pages when it is saved.
    post_save.connect(_changed, sender=ConsentSettings, dispatch_uid="consent-settings-save")
    # The banner links to the policy pages: their URL and state come from pages and sites.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_changed, dispatch_uid=f"consent-{signal!r}")
    post_save.connect(_changed, sender=Site, dispatch_uid="consent-site-save")
    post_delete.connect(_changed, sender=Site, dispatch_uid="consent-site-delete")
    post_delete.connect(_page_deleted, dispatch_uid="consent-page-delete")
    post_migrate.connect(_changed, dispatch_uid="consent-migrate")  # migrations send no signals
    # New banner words are stored as a version as soon as they are saved, before any reader
    # sees them, so every wording ever shown can be found by its digest.
    post_save.connect(_store_banner_words, sender=ConsentSettings, dispatch_uid="consent-words")


def _store_banner_words(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        BannerVersion.for_words(
            instance.banner_title, str(clean_banner_html(instance.banner_text))
        )


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        _changed()
