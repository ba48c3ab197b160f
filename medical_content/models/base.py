"""What every page type of this app shares, and nothing a host site's own pages inherit.

- GET and HEAD only (`http_methods.GetAndHeadOnlyMixin`).
- The template it extends: `MEDICAL_CONTENT_BASE_TEMPLATE` (`conf.base_template`), given to
  every page template as `base_template`, so a host site renders the plugin's pages inside the
  theme's base template or its own.
- A reverse accessor that cannot clash: Django names a page type's link to `Page` after the
  class (`page.homepage`), and a host site made by `wagtail start` has a `home.HomePage` of its
  own (fields.E304). Each of ours is `page.medical_content_<model>` instead.
- The admin form: `forms.PageForm` or a subclass of it (`base_form_class`), so a control
  character an editor types into any one-line field (the title, the slug, an inline panel's
  row) is a form error on that field, not a value that later breaks Wagtail's Excel downloads.
"""

from django.db import models
from wagtail.models import Page

from .. import conf
from ..forms import PageForm
from ..http_methods import GetAndHeadOnlyMixin


class MedicalContentPage(GetAndHeadOnlyMixin, Page):
    page_ptr = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        serialize=False,
        related_name="%(app_label)s_%(class)s",
    )

    base_form_class = PageForm

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = conf.base_template()
        return context
