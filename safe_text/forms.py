"""The control-character rules, given to every text input of an admin form at once.

Used by: the page and snippet forms of the apps (their `base_form_class`), so an editor who
pastes an invisible character into any field they type (a title, a name, a caption) gets a
form error on that field, whichever page type, inline panel or snippet it belongs to, and a
field added later is covered without anyone remembering to.
"""

from django import forms

from .control_characters import validate_multi_line, validate_single_line


def is_single_line(field: forms.Field) -> bool:
    """A text typed into a one-line input (`<input type="text">`, a slug, a URL ...).

    A text area holds lines; a hidden input holds what a widget's script wrote there (rich
    text), which may hold line breaks too.
    """
    widget = field.widget
    return isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.HiddenInput)


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Give each text field of `form`, and of the forms of its inline panels (Wagtail's and
    django-modelcluster's `formsets`), the rule for its kind of text."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        validator = validate_single_line if is_single_line(field) else validate_multi_line
        if validator not in field.validators:
            field.validators.append(validator)
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            refuse_control_characters(child)


class RefusesControlCharactersMixin:
    """For an admin form class: `refuse_control_characters` on each new form."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)
