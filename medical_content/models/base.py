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
- Rich text inside a StreamField is checked on every save, by a form or by code (an import, a
  shell): a reference no reader or editor could open is refused (`safe_text.rich_text`).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page

from safe_text.rich_text import stream_reference_errors

from .. import conf
from ..forms import PageForm
from ..http_methods import GetAndHeadOnlyMixin


def page_type(name: str) -> type[Page]:
    """One of the app's page types, by class name, for a page that lists or refreshes pages of
    a type defined in a module that imports its own (a specialty lists its articles, while
    articles are filed under specialties): looked up in Django's app registry, as a
    ForeignKey's "app.Model" string is, so that the modules import each other one way only."""
    return apps.get_model("medical_content", name)


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

    def clean_fields(self, exclude=None) -> None:
        """Django's checks of each field, then the rich text in each StreamField: Wagtail
        validates blocks in the admin form only, and `Page.save` runs this."""
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.error_dict
        for field in self._meta.concrete_fields:
            if not isinstance(field, StreamField) or field.name in (exclude or ()):
                continue
            messages = stream_reference_errors(getattr(self, field.attname))
            if messages and field.name not in errors:
                errors[field.name] = [ValidationError(message) for message in messages]
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["base_template"] = conf.base_template()
        return context
