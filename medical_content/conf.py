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


def base_template() -> str:
    """MEDICAL_CONTENT_BASE_TEMPLATE: the site template every page of the app extends (default
    `base.html`, the host site's own; the demo and the README's snippet name the theme's
    `themes/base.html`, which carries the consent banner, header, search form and CSS)."""
    return getattr(settings, "MEDICAL_CONTENT_BASE_TEMPLATE", "base.html")


def index_parent_page_types() -> list[str] | None:
    """MEDICAL_CONTENT_INDEX_PARENT_PAGE_TYPES: the page types under which the four index
    pages (articles, experts, specialties, procedures) may be created, as "app.Model" strings.

    Default `None`: under any page that accepts them, such as a host site's own home page.
    The demo allows only its `medical_content.HomePage`. Read when the models load, like
    every `parent_page_types`.
    """
    value = getattr(settings, "MEDICAL_CONTENT_INDEX_PARENT_PAGE_TYPES", None)
    return None if value is None else list(value)
