"""Small cached lists derived from the page tree (navigation, filter options).

Each costs a query to build and changes only when pages are saved (which publishing,
unpublishing and creating do), moved or deleted, so it lives in Django's cache and every
entry is dropped on any of those events.
All entries share one generation number, so one cache write invalidates them all, on every
process that shares the cache (so several processes need a shared cache such as Redis).
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

T = TypeVar("T")

GENERATION_KEY = "medical_content:page_tree:generation"
TIMEOUT = 60 * 60 * 24


def cached(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result, from the cache while the page tree has not changed."""
    generation = cache.get_or_set(GENERATION_KEY, 1, None)
    key = f"medical_content:page_tree:{generation}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def invalidate(**kwargs) -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: nothing cached to drop
        cache.set(GENERATION_KEY, 1, None)


@receiver(post_page_move)
def _page_moved(sender, **kwargs) -> None:
    invalidate()


@receiver(post_save)
@receiver(post_delete)
def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        invalidate()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, **kwargs) -> None:
    invalidate()
