"""Cookie groups and the cookies in them: django-cookie-consent's models plus what it lacks.

Edited by: privacy admins, in the admin's "Cookie consent" menu. Each model here extends the
library's (multi-table inheritance: a companion row joined one-to-one), so the library's
helpers and cookie format keep working on the same rows.
"""

import re

from cookie_consent.models import Cookie, CookieGroup
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from ..choices import GroupPurpose
from ..cookie import protected_cookie_names
from ..forms import ConsentGroupForm

# A cookie name as browsers accept it (an RFC 6265 token), optionally ending in a `*` wildcard.
COOKIE_NAME = re.compile(r"[!#$%&'+\-.^_`|~0-9A-Za-z]+\*?")
COOKIE_PATH = re.compile(r"/[^;\s]*")
COOKIE_DOMAIN = re.compile(
    r"\.?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
)


class ConsentGroup(CookieGroup):
    """A group of cookies a reader accepts or declines together, with a purpose.

    The purpose drives the rules (necessary groups are always on; later, sensitive pages never
    run advertising), so renaming a group changes nothing. The variable name is the key in the
    reader's consent cookie, so it is fixed once the group exists.
    """

    purpose = models.CharField(
        max_length=20,
        choices=GroupPurpose.choices,
        help_text="What the group is for. Strictly necessary groups are always on.",
    )

    base_form_class = ConsentGroupForm
    panels = [
        FieldPanel("name", heading="Name shown to readers"),
        FieldPanel(
            "varname", help_text="The key in the reader's consent cookie; fixed once saved."
        ),
        FieldPanel("purpose"),
        FieldPanel("description", heading="What it is for, in plain words"),
        FieldPanel("ordering"),
    ]

    class Meta:
        verbose_name = "cookie group"
        verbose_name_plural = "cookie groups"
        ordering = ["ordering", "pk"]

    def clean(self) -> None:
        super().clean()
        if self.varname and not self.varname[0].isalpha():
            # Keys starting with "_" hold the policy version and decision time in the cookie.
            raise ValidationError({"varname": "Start the variable name with a letter."})

    def save(self, *args, **kwargs) -> None:
        self.is_required = self.purpose == GroupPurpose.NECESSARY
        super().save(*args, **kwargs)

    @property
    def version(self) -> str:
        """What an acceptance of this group stores; it changes when a cookie is added.

        The library's version is the newest cookie's creation time (empty without cookies,
        which would let an empty value count as consent, hence the group's own time).
        """
        return self.get_version() or self.created.isoformat()


class ConsentCookie(Cookie):
    """One cookie a group may set: the cookie declaration readers see in the preference centre.

    A name ending in `*` stands for every cookie starting with what comes before it (`_ga_*`).
    """

    provider = models.CharField(
        max_length=100, help_text='Who sets it, e.g. "This site" or "Google".'
    )
    purpose = models.CharField(
        max_length=255, help_text="What the cookie is used for, in plain words."
    )
    duration = models.CharField(
        max_length=50, help_text='How long it lasts, e.g. "Session" or "2 years".'
    )

    panels = [
        FieldPanel("cookiegroup"),
        FieldPanel("name"),
        FieldPanel("provider"),
        FieldPanel("purpose"),
        FieldPanel("duration"),
        FieldPanel("domain"),
        FieldPanel("path", widget=forms.TextInput),
    ]

    class Meta:
        verbose_name = "cookie"
        verbose_name_plural = "cookies"
        ordering = ["cookiegroup__ordering", "name"]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.name and not COOKIE_NAME.fullmatch(self.name):
            errors["name"] = (
                "Enter the cookie's exact name: letters, digits and !#$%&'+-.^_`|~ only, with "
                "an optional * at the end to cover every name starting so."
            )
        elif self.name and self.cookiegroup_id and not self.cookiegroup.is_required:
            prefix = self.name.removesuffix("*")
            hits = [
                name
                for name in protected_cookie_names()
                if (name.startswith(prefix) if self.name.endswith("*") else name == self.name)
            ]
            if hits:
                # Declining the group would delete it: the site's own cookies stay necessary.
                errors["name"] = f"{hits[0]} is one of the site's own necessary cookies."
        if self.path and not COOKIE_PATH.fullmatch(self.path):
            errors["path"] = "Enter a path starting with /, without spaces or semicolons."
        if self.domain and not COOKIE_DOMAIN.fullmatch(self.domain):
            errors["domain"] = "Enter a domain name such as example.com or .example.com."
        if errors:
            raise ValidationError(errors)
