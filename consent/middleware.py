"""Middleware that keeps public pages the same bytes for every reader, and the
Content-Security-Policy that lets the configured tags run and nothing else."""

from collections.abc import Callable
from importlib import import_module

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH

from .snapshot import get_snapshot

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


class ConsentTagsCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the hosts and script hashes the active tags need added
    to the site's policy (`consent.csp`), so no one edits CONTENT_SECURITY_POLICY when a
    privacy admin adds or removes a tag. Use it instead of `csp.middleware.CSPMiddleware`.

    The added sources come from the consent snapshot (one cache read, shared with the page's
    tags). A directive the site's policy leaves out starts from its `default-src`, as the
    browser would have read it, so adding a host never takes `'self'` away. Directives are
    written in sorted order, so every process sends the same header bytes.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        directives = default_config(policy.get("DIRECTIVES", {}))
        excluded = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
        if (
            report_only
            or directives is None
            or getattr(response, "_csp_exempt", False)
            or request.path_info.startswith(excluded)
        ):
            return parts  # no header is written: no snapshot to read
        update = dict(parts.update or {})
        for directive, sources in get_snapshot(request).csp_sources:
            start = update.get(directive) or (
                () if directives.get(directive) is not None else directives["default-src"]
            )
            update[directive] = [*start, *sources]
        parts.update = update
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        policy = response.get(HEADER)
        if policy:
            response[HEADER] = "; ".join(sorted(p.strip() for p in policy.split(";")))
        return response
