"""The middlewares: who may keep each response (Cache-Control), the app server's own copy of
public pages, and the kept routes that spare a page view Wagtail's search for its page."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from wagtail import views as wagtail_views

from . import conf, routes, store
from .rules import SAFE_METHODS, is_public, may_be_served_a_kept_page

# Says whether the app server's copy answered: "hit", "miss" (kept now) or absent (not kept).
HEADER = "X-Page-Cache"
# The path Wagtail's serve view was given, on the request (RouteCacheMiddleware).
PAGE_PATH = "_page_cache_page_path"


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


class RouteCacheMiddleware:
    """Starts each request from the site and the page its address led to last time
    (`routes.py`): one query for an article instead of six. Goes last in MIDDLEWARE, below any
    LocaleMiddleware (the language is part of a route). Off with `PAGE_CACHE_ROUTES = False`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if conf.routes_enabled() and request.method in SAFE_METHODS:
            routes.remember(request, getattr(request, PAGE_PATH, None))
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if not (conf.routes_enabled() and request.method in SAFE_METHODS):
            return
        path = None
        if view_func is wagtail_views.serve:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            setattr(request, PAGE_PATH, path)
        routes.start(request, path)
