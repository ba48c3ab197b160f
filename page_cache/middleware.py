"""Cache-Control on every response the site's views make."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control

from . import conf

# Statuses a shared cache may keep by default (RFC 9110, 15.1), less the ones this site never
# sends; a temporary redirect (302, 307) or an error is per moment, never kept.
SHAREABLE_STATUSES = frozenset({200, 203, 300, 301, 308, 404, 410})
SAFE_METHODS = frozenset({"GET", "HEAD"})


def admin_prefix() -> str | None:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


def is_public(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether `response` is what any reader who is not signed in gets for this request.

    Decided from the request and the response alone, never by reading the session (that would
    add `Vary: Cookie` to every page): a page that read the session (Wagtail's userbar for a
    signed-in editor, a password-protected page a reader unlocked) says so with `Vary: Cookie`,
    and a response that sets a cookie is meant for one browser.
    """
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    prefix = admin_prefix()
    return (
        request.method in SAFE_METHODS
        and response.status_code in SHAREABLE_STATUSES
        and not response.cookies
        and "cookie" not in vary
        and "authorization" not in vary
        and "HTTP_AUTHORIZATION" not in request.META
        and not getattr(request, "is_preview", False)
        and not (prefix and request.path.startswith(prefix))
    )


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
