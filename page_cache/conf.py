"""Settings this app reads, each with its default here."""

from django.conf import settings
from django.core.cache import BaseCache, caches


def shared_max_age() -> int:
    """PAGE_CACHE_SHARED_MAX_AGE: seconds a shared cache (proxy, CDN) may serve a public page
    without asking again (default 300).

    Browsers get `max-age=0`: a reader's own browser cannot be purged, and a page whose
    sensitivity changed must stop sending its title to analytics at once.
    """
    return int(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 300))


def enabled() -> bool:
    """PAGE_CACHE_ENABLED: whether the app server keeps public pages itself (default True)."""
    return bool(getattr(settings, "PAGE_CACHE_ENABLED", True))


def routes_enabled() -> bool:
    """PAGE_CACHE_ROUTES: whether each request starts from the site and page its address led to
    last time (`routes.py`; default True)."""
    return bool(getattr(settings, "PAGE_CACHE_ROUTES", True))


def purge_timeout() -> float:
    """PAGE_CACHE_PURGE_TIMEOUT: seconds `backends.HTTPBackend` waits for the proxy to answer a
    purge (default 2)."""
    return float(getattr(settings, "PAGE_CACHE_PURGE_TIMEOUT", 2))


def timeout() -> int:
    """PAGE_CACHE_TIMEOUT: seconds the app server keeps a public page (default 600).

    Every change that reaches readers through the admin drops the kept pages at once
    (`signals.py`), so this bounds only what no signal announces.
    """
    return int(getattr(settings, "PAGE_CACHE_TIMEOUT", 600))


def cache() -> BaseCache:
    """PAGE_CACHE_ALIAS: which of Django's CACHES keeps the pages (default "default").

    With several app processes it must be one they share (Redis), or a process would serve a
    page another one's signal dropped.
    """
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]
