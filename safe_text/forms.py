"""Rules given to every field of an admin form at once.

Used by: the page, snippet and settings forms of the apps (their `base_form_class`), so that,
whichever page type, inline panel or snippet a field belongs to, and for a field added later
without anyone remembering to:

- an editor who pastes an invisible character into any field they type (a title, a name, a
  caption) gets a form error on that field;
- a chooser (page, image, snippet) posted with something that is not an id, which no chooser's
  script sends but a hand-made request can, gets "Select a valid choice" and an empty chooser,
  where Wagtail's chooser widget would raise while showing the value again (a 500).
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


def forget_refused_choices(form: forms.BaseForm) -> None:
    """After a failed validation: empty each refused choice in what the form shows again, in
    `form` and in the forms of its inline panels. The error stays on the field; the chooser
    widget, which looks the posted value up as an id, gets nothing to look up."""
    refused = [
        form.add_prefix(name)
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField) and name in form.errors
    ]
    if refused:
        data = form.data.copy()
        for key in refused:
            data.pop(key, None)
        form.data = data
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            forget_refused_choices(child)


class ForgetsRefusedChoicesMixin:
    """For an admin form class: `forget_refused_choices` after a failed validation."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            forget_refused_choices(self)
        return valid


class AdminFormRulesMixin(RefusesControlCharactersMixin, ForgetsRefusedChoicesMixin):
    """For an admin form class of pages and snippets editors type into: both rules."""
