"""The home page of the site."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .articles import ArticleIndexPage, ArticlePage
from .base import MedicalContentPage
from .experts import ExpertIndexPage

HOME_LATEST_ARTICLES = 6


class HomePage(MedicalContentPage):
    """The site's front page: a welcome, the newest articles, and ways into the site.

    Edited by: editors (the welcome text); the article list is built from published articles.
    """

    introduction = models.TextField(
        blank=True, help_text="A sentence or two welcoming readers, shown under the title."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "medical_content.ArticleIndexPage",
        "medical_content.ExpertIndexPage",
        "medical_content.SpecialtyIndexPage",
        "medical_content.ProcedureIndexPage",
    ]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = list(
            ArticlePage.objects.live().descendant_of(self).for_cards()[:HOME_LATEST_ARTICLES]
        )
        context["article_index"] = ArticleIndexPage.objects.live().child_of(self).first()
        context["expert_index"] = ExpertIndexPage.objects.live().child_of(self).first()
        return context
