from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Cache-Control for public and per-reader responses, the app server's copy of public pages,
    and purging the proxy when what readers see changes."""

    name = "page_cache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from .signals import connect_receivers

        connect_receivers()
