from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Cache-Control for public and per-reader responses."""

    name = "page_cache"
    verbose_name = "Page cache"
