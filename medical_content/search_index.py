"""Index a page again once a publish is complete, related procedures included.

Pages are indexed on post_save, which modelcluster sends before it saves the page's child
rows and many-to-many fields, so the index would otherwise hold the previous ones.
"""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published


@receiver(page_published)
def _reindex_published_page(sender, instance, **kwargs) -> None:
    index.insert_or_update_object(instance)
