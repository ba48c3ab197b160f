"""Settings this app reads, each with its default here, so a host site need set none of them."""

import datetime

from django.conf import settings


def independent_directory() -> bool:
    """MEDICAL_CONTENT_INDEPENDENT_DIRECTORY: is the site an independent directory of experts?

    Only then do profiles publish an AggregateRating in their structured data: Google treats a
    practice's or publisher's rating of its own clinicians as self-serving.
    """
    return bool(getattr(settings, "MEDICAL_CONTENT_INDEPENDENT_DIRECTORY", False))


def search_max_query_length() -> int:
    """MEDICAL_CONTENT_SEARCH_MAX_QUERY_LENGTH: longer search terms are cut to this length."""
    return int(getattr(settings, "MEDICAL_CONTENT_SEARCH_MAX_QUERY_LENGTH", 200))


def review_interval() -> datetime.timedelta:
    """MEDICAL_CONTENT_REVIEW_INTERVAL_DAYS: how long after a clinical approval the next review
    falls due, unless the editor chose a date (default 365 days)."""
    return datetime.timedelta(
        days=int(getattr(settings, "MEDICAL_CONTENT_REVIEW_INTERVAL_DAYS", 365))
    )


def review_due_soon_days() -> int:
    """MEDICAL_CONTENT_REVIEW_DUE_SOON_DAYS: how far ahead the dashboard warns (default 30)."""
    return int(getattr(settings, "MEDICAL_CONTENT_REVIEW_DUE_SOON_DAYS", 30))
