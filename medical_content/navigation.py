"""The site's main navigation, cached so that rendering it costs no query.

The top-level pages marked "Show in menus" under the site's home page, in tree order. The
entry is rebuilt after any page is published, unpublished, moved or deleted.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "medical_content:navigation:v1:{site_id}"
CACHE_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


def primary_navigation(request: HttpRequest) -> list[NavItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = CACHE_KEY.format(site_id=site.pk)
    items = cache.get(key)
    if items is None:
        items = [
            NavItem(title=page.title, url=page.get_url(request) or "")
            for page in site.root_page.get_children().live().in_menu()
        ]
        cache.set(key, items, CACHE_TIMEOUT)
    return items


def clear_navigation_cache(**kwargs) -> None:
    cache.delete_many(
        [CACHE_KEY.format(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)]
    )


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    clear_navigation_cache()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        clear_navigation_cache()
