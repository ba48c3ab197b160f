"""Who may keep which response: the one rule both the headers and the app server's copy follow."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

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


def may_be_served_a_kept_page(request: HttpRequest) -> bool:
    """Whether a request may be answered from the app server's kept pages before any view runs:
    a GET or HEAD outside the admin from a browser with no session and no credentials.

    Any session cookie, even a stale one, goes to the views: a signed-in editor gets the
    userbar, and a reader who unlocked a private page has the password in the session.
    """
    prefix = admin_prefix()
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not (prefix and request.path.startswith(prefix))
    )
