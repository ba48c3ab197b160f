"""Settings this app reads, each with its default here."""

from django.conf import settings


def shared_max_age() -> int:
    """PAGE_CACHE_SHARED_MAX_AGE: seconds a shared cache (proxy, CDN) may serve a public page
    without asking again (default 300).

    Browsers get `max-age=0`: a reader's own browser cannot be purged, and a page whose
    sensitivity changed must stop sending its title to analytics at once.
    """
    return int(getattr(settings, "PAGE_CACHE_SHARED_MAX_AGE", 300))
