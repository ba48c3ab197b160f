"""Rich text that cannot take down the editor or the page it is on.

Draftail posts its contentstate JSON and Wagtail stores what that converts to, so a hand-made
request can store `<a linktype="page" id="abc">`, an image embed with no such id or format, or
JSON the converter cannot read at all. Wagtail then fails with a server error wherever the
value is read: the edit view, the preview, the published page. Two rules, for every rich-text
field and block of the apps:

- Saving: what cannot be read is a form error on the field, and so is a reference whose id is
  not a database id (`validate_rich_text`). A well-formed id of a page or image deleted since
  stays allowed: Wagtail shows it as a broken link, and an editor's other edits must not wait
  on it. `SafeRichTextField` and `SafeRichTextBlock` apply both rules.
- Reading: a malformed reference already stored (by a shell, an import, an older release)
  renders as a broken link or an empty image, for readers and in the editor, as a missing page
  would. Importing this module swaps Wagtail's page-link, document-link and image handlers for
  ones that read such ids as missing (`rich_text_handlers.py`), for every field of the site.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks, hooks
from wagtail.blocks import StreamValue
from wagtail.fields import RichTextField
from wagtail.rich_text import RichText

from .references import reference_errors

# What a widget returns for a payload it could not convert: no text an editor types holds it
# (U+FFFE is a Unicode noncharacter), so the field's check can tell it from any real value.
UNREADABLE = "\ufffeunreadable-rich-text"
BLOCK_UNREADABLE_MESSAGE = "This text could not be read. Type it again and save."


def stream_reference_errors(value) -> list[str]:
    """`reference_errors` of every rich text inside a StreamField's value, however deep in
    structs and lists."""
    errors = [message for html in _rich_texts(value) for message in reference_errors(html)]
    return list(dict.fromkeys(errors))


def _rich_texts(value):
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, StreamValue.StreamChild):
        yield from _rich_texts(value.value)
    elif isinstance(value, Mapping):
        for child in value.values():
            yield from _rich_texts(child)
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes):
        for child in value:
            yield from _rich_texts(child)


def validate_rich_text(value, unreadable_message: str = BLOCK_UNREADABLE_MESSAGE) -> None:
    """Refuse stored rich text (a string or a RichText) that a reader or editor could not
    open; see the module's docstring."""
    html = value.source if isinstance(value, RichText) else (value or "")
    if html == UNREADABLE:
        raise ValidationError(unreadable_message, code="unreadable")
    errors = reference_errors(html)
    if errors:
        raise ValidationError(errors, code="broken_reference")


def refusing_unreadable(widget):
    """`widget` (the site's rich-text editor, Draftail by default), made to return UNREADABLE
    for a payload it cannot convert instead of raising: a server error becomes a form error."""
    widget.__class__ = _refusing_class(type(widget))
    return widget


_refusing_classes: dict[type, type] = {}


def _refusing_class(widget_class: type) -> type:
    if getattr(widget_class, "refuses_unreadable", False):
        return widget_class
    if widget_class not in _refusing_classes:

        def value_from_datadict(self, data, files, name):
            try:
                return super(refusing, self).value_from_datadict(data, files, name)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError):
                return UNREADABLE

        refusing = type(
            widget_class.__name__,
            (widget_class,),
            {"value_from_datadict": value_from_datadict, "refuses_unreadable": True},
        )
        _refusing_classes[widget_class] = refusing
    return _refusing_classes[widget_class]


class SafeRichTextField(RichTextField):
    """Wagtail's RichTextField with the two rules above, for model fields (an expert's bio,
    the consent banner). Its migrations say `wagtail.fields.RichTextField`: the rules change
    no column."""

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        refusing_unreadable(field.widget)
        return field

    def validate(self, value, model_instance) -> None:
        super().validate(value, model_instance)
        validate_rich_text(
            value, f"The {self.verbose_name} could not be read. Type it again and save."
        )

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.RichTextField", args, kwargs


class SafeRichTextBlock(blocks.RichTextBlock):
    """Wagtail's RichTextBlock with the two rules above, for StreamField blocks."""

    @cached_property
    def field(self):
        field = super().field
        refusing_unreadable(field.widget)
        return field

    def clean(self, value):
        # Before Wagtail's round trip through the editor's format, which would hide both.
        validate_rich_text(value)
        return super().clean(value)


@hooks.register("register_rich_text_features", order=100)
def read_malformed_references_as_missing(features) -> None:
    """After Wagtail's own features (order 0): the same link and embed types, read safely."""
    from . import rich_text_handlers

    rich_text_handlers.register(features)
