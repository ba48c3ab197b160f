"""The app server's own copy of public pages, for readers who are not signed in.

A page is kept as its status, headers and bytes under a key made of the current generation
(`generation.py`) and the page's absolute URL; `invalidate()` bumps the generation, so one write
drops every kept page on every process that shares the cache. What may be kept is decided once,
by the Cache-Control that `CacheControlMiddleware` gave the response: what a shared cache may
keep, the app server keeps too.
"""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

from . import conf
from .generation import Generation

GENERATION_KEY = "page_cache:generation"


def generation() -> Generation:
    """The generation every kept page and route is keyed by."""
    return Generation(conf.cache(), GENERATION_KEY)


def may_keep(response: HttpResponse) -> bool:
    directives = {d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return (
        "public" in directives
        and not directives & {"private", "no-store", "no-cache"}
        and not response.streaming
        and not response.cookies
        # A response that varies with a request header would need that header in the key.
        and not response.has_header("Vary")
    )


def _key(request: HttpRequest, generation: int) -> str:
    url = request.build_absolute_uri()  # scheme, host (checked against ALLOWED_HOSTS) and query
    return f"page_cache:{generation}:{hashlib.sha256(url.encode()).hexdigest()}"


def fetch(request: HttpRequest) -> HttpResponse | None:
    """The kept copy of the page this GET or HEAD asks for, or None."""
    now = generation().current(request)
    if now is None:  # the cache does not answer
        return None
    kept = conf.cache().get(_key(request, now))
    if kept is None:
        return None
    status, headers, content = kept
    return HttpResponse(content, status=status, headers=headers)


def keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Keep the response to a GET if a shared cache may keep it; whether it was kept."""
    if request.method != "GET" or not may_keep(response):
        return False
    now = generation().current(request)
    if now is None:
        return False
    kept = (response.status_code, dict(response.items()), response.content)
    conf.cache().set(_key(request, now), kept, conf.timeout())
    return True


def invalidate() -> None:
    """Drop every kept page, on every process that shares the cache."""
    generation().bump()
