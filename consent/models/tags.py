"""Consent-gated tags: the analytics and advertising code that runs only after consent.

Edited by: privacy admins. A tag is shipped to every reader inert (in a `<template>`); the
browser script runs it only when the reader has accepted the tag's group at its current
version. Custom HTML runs arbitrary code on every page, so it needs a permission of its own.
"""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from ..choices import TagKind
from ..forms import ConsentTagForm
from ..validators import (
    closes_template,
    validate_csp_hosts,
    validate_ga4_id,
    validate_gtm_id,
    validate_script_url,
)


class ConsentTag(models.Model):
    """One tag (GA4, Tag Manager, Matomo, a script URL or custom HTML) in one cookie group."""

    name = models.CharField(max_length=100, help_text="For the admin only.")
    group = models.ForeignKey(
        "consent.ConsentGroup",
        on_delete=models.CASCADE,
        related_name="tags",
        limit_choices_to={"is_required": False},
        help_text="The tag runs only for readers who accepted this group.",
    )
    kind = models.CharField(
        max_length=10,
        choices=TagKind.choices,
        help_text="Which fields below it needs: see each one.",
    )
    tag_id = models.CharField(
        "measurement or container ID",
        max_length=30,
        blank=True,
        help_text="GA4: G-XXXXXXXXXX. Tag Manager: GTM-XXXXXXX.",
    )
    url = models.URLField(
        "URL",
        blank=True,
        max_length=500,
        help_text="Matomo: the tracker's base URL. Script: the script's URL. Must be https.",
    )
    matomo_site_id = models.PositiveIntegerField(
        "Matomo site ID", null=True, blank=True, help_text="Matomo only: the site's number."
    )
    html = models.TextField(
        "custom HTML",
        blank=True,
        help_text="Runs on every page for readers who accepted the group. Scripts allowed.",
    )
    csp_hosts = models.CharField(
        "other hosts it uses",
        max_length=500,
        blank=True,
        validators=[validate_csp_hosts],
        help_text="Only if the tag loads from or sends to hosts besides its own script's "
        "(frames, images, further scripts): such as https://ads.example https://*.ads.example. "
        "Pages allow them (Content-Security-Policy) only while the tag is active.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick to stop the tag everywhere without deleting it."
    )
    ordering = models.IntegerField(default=0, help_text="Tags run in this order, lowest first.")

    base_form_class = ConsentTagForm
    panels = [
        FieldPanel("name"),
        FieldPanel("group"),
        FieldPanel("kind"),
        FieldPanel("tag_id"),
        FieldPanel("url"),
        FieldPanel("matomo_site_id"),
        FieldPanel("html"),
        FieldPanel("csp_hosts"),
        FieldPanel("is_active"),
        FieldPanel("ordering"),
    ]

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        ordering = ["ordering", "pk"]
        permissions = [("manage_custom_html_tags", "Can add and change custom HTML tags")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        required = {
            TagKind.GA4: ["tag_id"],
            TagKind.GTM: ["tag_id"],
            TagKind.MATOMO: ["url", "matomo_site_id"],
            TagKind.SCRIPT: ["url"],
            TagKind.HTML: ["html"],
        }.get(self.kind, [])
        errors = {
            name: "This kind of tag needs this field."
            for name in required
            if not getattr(self, name)
        }
        checks = {
            TagKind.GA4: ("tag_id", validate_ga4_id),
            TagKind.GTM: ("tag_id", validate_gtm_id),
            TagKind.MATOMO: ("url", validate_script_url),
            TagKind.SCRIPT: ("url", validate_script_url),
        }
        if self.kind == TagKind.HTML and closes_template(self.html):
            errors["html"] = "Remove the </template> tag: the HTML must stay inert until consent."
        if self.kind in checks:
            name, check = checks[self.kind]
            if name not in errors:
                try:
                    check(getattr(self, name))
                except ValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
