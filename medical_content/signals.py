"""Every signal receiver of the app, connected when the app is ready (`apps.py`).

- Editorial set-up: an article index created by any route (the admin, `load_demo_data`, a
  factory) gets the editorial roles' permissions and the clinical review workflow
  (`review/roles.py`).
- Clinical review: an article published by any route points the approval of its clinical
  content at the live revision, so the public page reads "Medically reviewed by" in the
  article's own query.
- Search: a page published is indexed again once its related rows are saved too.
- Page cache: any page saved, moved or deleted, or a site changed, drops the cached lists
  derived from the page tree (`tree_cache.py`).
- Patient ratings: a rating saved, moved to another expert or deleted refreshes the experts'
  aggregates (`models/ratings.py`), and a changed aggregate drops the expert's kept page
  (`page_cache`; Wagtail's own changes reach it through its own receivers).
"""

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.search import index
from wagtail.signals import page_published, post_page_move

from page_cache import invalidation

from . import tree_cache
from .models import ArticleIndexPage, ArticlePage, ClinicalApproval, PatientRating, RatingSummary
from .review.roles import set_up_article_index

# --- Editorial set-up and clinical review --------------------------------------------------


@receiver(post_save, sender=ArticleIndexPage)
def _on_article_index_created(sender, instance, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        set_up_article_index(instance)


@receiver(page_published, sender=ArticlePage)
def _on_article_published(sender, instance, revision, **kwargs):
    approval = ClinicalApproval.objects.carry_to(revision)
    ArticlePage.objects.filter(pk=instance.pk).update(review_approval=approval)
    instance.review_approval = approval


# --- Search ---------------------------------------------------------------------------------


@receiver(page_published)
def _reindex_published_page(sender, instance, **kwargs) -> None:
    # Pages are indexed on post_save, which modelcluster sends before it saves the page's
    # child rows and many-to-many fields, so the index would otherwise hold the previous ones.
    index.insert_or_update_object(instance)


# --- Page cache -----------------------------------------------------------------------------


@receiver(post_page_move)
def _page_moved(sender, **kwargs) -> None:
    tree_cache.invalidate()


@receiver(post_save)
@receiver(post_delete)
def _page_saved_or_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        tree_cache.invalidate()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(sender, **kwargs) -> None:
    tree_cache.invalidate()


# --- Patient ratings ------------------------------------------------------------------------


# Signals rather than save()/delete() overrides, so that the admin's bulk delete (a queryset
# delete) refreshes the aggregate too. bulk_create and queryset.update() send no signals:
# the import command and the moderation bulk actions refresh explicitly.
@receiver(pre_save, sender=PatientRating)
def _remember_previous_expert(sender, instance: PatientRating, raw=False, **kwargs) -> None:
    # A rating moved to another expert (corrected in the admin) must leave the old one's
    # aggregate too.
    instance._previous_expert_id = (
        None
        if raw or instance.pk is None
        else sender.objects.filter(pk=instance.pk).values_list("expert_id", flat=True).first()
    )


@receiver(post_save, sender=PatientRating)
def _rating_saved(sender, instance: PatientRating, **kwargs) -> None:
    RatingSummary.refresh_for(instance.expert_id)
    previous = getattr(instance, "_previous_expert_id", None)
    if previous is not None and previous != instance.expert_id:
        RatingSummary.refresh_for(previous)


@receiver(post_delete, sender=PatientRating)
def _rating_deleted(sender, instance: PatientRating, origin=None, **kwargs) -> None:
    # When the expert's page is being deleted, its ratings and summary go with it; refreshing
    # would recreate a summary for a page that is about to disappear.
    deleting_ratings = isinstance(origin, PatientRating) or (
        isinstance(origin, models.QuerySet) and origin.model is PatientRating
    )
    if deleting_ratings:
        RatingSummary.refresh_for(instance.expert_id)


@receiver(post_save, sender=RatingSummary)
@receiver(post_delete, sender=RatingSummary)
def _rating_summary_changed(sender, instance: RatingSummary, **kwargs) -> None:
    # The profile shows the aggregate, and the listings show it too (purged as its ancestors).
    invalidation.pages_changed(Page.objects.filter(pk=instance.expert_id))
