"""The two middlewares: who may keep each response (Cache-Control), and the app server's own
copy of public pages."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from . import conf, store
from .rules import is_public, may_be_served_a_kept_page

# Says whether the app server's copy answered: "hit", "miss" (kept now) or absent (not kept).
HEADER = "X-Page-Cache"


class CacheControlMiddleware:
    """Public pages: `public, max-age=0, s-maxage=PAGE_CACHE_SHARED_MAX_AGE`; everything else
    `private, no-store`. A view that chose its own Cache-Control (`never_cache`, a file served
    by WhiteNoise) keeps it.

    Goes high in MIDDLEWARE, above SessionMiddleware, so it sees the `Vary: Cookie` that
    SessionMiddleware adds when a view read the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        if is_public(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=conf.shared_max_age())
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response


class PageCacheMiddleware:
    """Answers readers who are not signed in from the app server's copy of public pages: a hit
    runs no view, no template and no SQL. Keeps what `CacheControlMiddleware` marked public.

    Goes above CacheControlMiddleware and the CSP middleware (a kept page keeps their headers)
    and below SecurityMiddleware and WhiteNoise (a hit still gets the security headers; static
    files never reach it). Off with `PAGE_CACHE_ENABLED = False`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (conf.enabled() and may_be_served_a_kept_page(request)):
            return self.get_response(request)
        kept = store.fetch(request)
        if kept is not None:
            kept[HEADER] = "hit"
            return kept
        response = self.get_response(request)
        if store.keep(request, response):
            response[HEADER] = "miss"
        return response
