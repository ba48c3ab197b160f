"""Admin forms of the consent layer: what privacy admins may type, and what they may not.

This module does not import the models (the models name these forms as their base form).
"""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from safe_text.forms import ForgetsRefusedChoicesMixin

from .choices import TagKind
from .permissions import (
    CUSTOM_HTML_ONLY,
    GROUP_WITH_CUSTOM_HTML,
    holds_custom_html,
    may_manage_custom_html,
    runs_custom_html,
)


class ConsentGroupForm(ForgetsRefusedChoicesMixin, WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "varname" in self.fields:
            # Readers' consent cookies are keyed by it: renaming it would forget every decision.
            self.fields["varname"].disabled = True
        if "purpose" not in self.fields or not self.instance.pk:
            return
        if self.instance.is_required:
            # Made optional, its cookies (the consent cookie, the session) would be declined.
            self.fields["purpose"].disabled = True
            self.fields["purpose"].help_text = "The strictly necessary group stays necessary."
        elif not may_manage_custom_html(self.for_user) and holds_custom_html(self.instance):
            # Its purpose decides where its custom HTML runs (necessary: nowhere).
            self.fields["purpose"].disabled = True
            self.fields["purpose"].help_text = GROUP_WITH_CUSTOM_HTML


class ConsentTagForm(ForgetsRefusedChoicesMixin, WagtailAdminModelForm):
    """Custom HTML runs code on every page: only users with its own permission may write it,
    or decide whether it runs (permissions.py); for anyone else such a tag is read-only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.may_write_html = may_manage_custom_html(self.for_user)
        self.is_html_tag = runs_custom_html(self.instance)
        if self.may_write_html:
            return
        if self.is_html_tag:
            for field in self.fields.values():
                field.disabled = True
            if "is_active" in self.fields:
                self.fields["is_active"].help_text = (
                    "Switching a custom HTML tag on or off needs the permission to manage "
                    "custom HTML tags."
                )
        else:
            if "kind" in self.fields:
                self.fields["kind"].choices = [
                    choice for choice in self.fields["kind"].choices if choice[0] != TagKind.HTML
                ]
            if "html" in self.fields:
                self.fields["html"].disabled = True
        if "html" in self.fields:
            self.fields["html"].help_text = "Needs the permission to manage custom HTML tags."

    def clean(self):
        cleaned = super().clean()
        if self.may_write_html:
            return cleaned
        if self.is_html_tag:
            # Every field is locked already; saving would still log an edit nobody may make.
            raise forms.ValidationError(CUSTOM_HTML_ONLY)
        if cleaned.get("kind") == TagKind.HTML:
            raise forms.ValidationError(
                "Only users allowed to manage custom HTML tags can add them."
            )
        return cleaned


class ConsentSettingsForm(ForgetsRefusedChoicesMixin, WagtailAdminModelForm):
    """Banner and policy: a policy-page chooser posted with something that is not a page id
    is a form error, never a 500."""
