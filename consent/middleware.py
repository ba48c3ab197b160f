"""Middleware that keeps public pages the same bytes for every reader."""

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH

TOKEN_LENGTHS = {CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH}
TOKEN_CHARS = frozenset(CSRF_ALLOWED_CHARS)


class DropMalformedCsrfCookieMiddleware:
    """A malformed `csrftoken` cookie counts as none.

    Django's CSRF middleware answers a malformed token by setting a new one on *every*
    response, public pages included (with `Vary: Cookie`), so one junk cookie would make
    cacheable pages per-reader. Without the cookie, only pages that use a token set one.
    Goes before CsrfViewMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if token is not None and (len(token) not in TOKEN_LENGTHS or set(token) - TOKEN_CHARS):
            del request.COOKIES[settings.CSRF_COOKIE_NAME]
        return self.get_response(request)


class DropMalformedSessionCookieMiddleware:
    """A `sessionid` cookie that cannot be a session key counts as none.

    Django's SessionMiddleware deletes such a cookie on *every* response, public pages
    included (`Set-Cookie: sessionid=""` with `Vary: Cookie`), even when nothing read the
    session: a shared cache could store that deletion and replay it to other readers. Which
    values are keys is the session engine's rule (Django's: at least 8 characters). A
    well-formed but unknown or expired key is left alone: only reading the session finds that
    out, and public pages do not read it. Goes before SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and self.session_store(key).session_key is None:
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)
