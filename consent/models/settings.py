"""What the banner says and how long a decision lasts: one set for the whole install.

Edited by: privacy admins (Cookie consent > Banner and policy). Public pages never read this
model directly (that costs a query per request); they read the cached consent configuration.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting

from safe_text.rich_text import SafeRichTextField

from ..choices import BANNER_FEATURES
from ..forms import ConsentSettingsForm

DEFAULT_LIFETIME_DAYS = 182
# 13 months: the longest lifetime European regulators (CNIL) accept for a consent decision.
MAX_LIFETIME_DAYS = 395
# 2 years: a common period for keeping proof of consent (`prune_consent_records` enforces it).
DEFAULT_RECORD_RETENTION_DAYS = 730


class ConsentSettings(BaseGenericSetting):
    """The banner's words, the policy links, the decision lifetime, the policy version and how
    long proof of consent is kept."""

    base_form_class = ConsentSettingsForm

    banner_title = models.CharField(
        max_length=120, default="Cookies on this site", help_text="The banner's heading."
    )
    banner_text = SafeRichTextField(
        features=BANNER_FEATURES,
        default=(
            "<p>We use necessary cookies to make the site work. With your permission we would "
            "also like to measure how the site is used and show advertising. Nothing optional "
            "runs until you choose.</p>"
        ),
        help_text="Links, bold and italics only; anything else is removed.",
    )
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the banner and the cookie settings page.",
    )
    cookie_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Linked from the banner. Without one, the banner links to the cookie "
        "settings page, which lists every cookie.",
    )
    lifetime_days = models.PositiveSmallIntegerField(
        "consent lifetime (days)",
        default=DEFAULT_LIFETIME_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LIFETIME_DAYS)],
        help_text="How long a decision lasts before readers are asked again. Only a new "
        "decision renews it.",
    )
    policy_version = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Raise it when the cookie policy changes materially: every reader is asked "
        "again. It cannot be lowered.",
    )
    record_retention_days = models.PositiveIntegerField(
        "keep consent records for (days)",
        default=DEFAULT_RECORD_RETENTION_DAYS,
        validators=[MinValueValidator(1)],
        help_text="How long proof of consent is kept. Regulators may ask for it; 2 years is "
        "common. Older records are deleted by the prune_consent_records command.",
    )

    google_consent_mode = models.BooleanField(
        "Google Consent Mode v2",
        default=False,
        help_text="Tell Google tags (GA4, Tag Manager) what the reader chose, as Google "
        "requires for measurement in the EEA. Basic mode: no Google tag loads before the "
        "reader decides. Advertising signals are always denied on sensitive health pages.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("banner_title"),
                FieldPanel("banner_text"),
            ],
            "Banner",
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_policy_page"), FieldPanel("cookie_policy_page")], "Policy pages"
        ),
        MultiFieldPanel(
            [
                FieldPanel("lifetime_days"),
                FieldPanel("policy_version"),
                FieldPanel("record_retention_days"),
            ],
            "Decisions",
        ),
        MultiFieldPanel([FieldPanel("google_consent_mode")], "Google tags"),
    ]

    class Meta:
        verbose_name = "banner and policy"
        verbose_name_plural = "banner and policy"

    def clean(self) -> None:
        super().clean()
        if self.pk:
            saved = type(self).objects.filter(pk=self.pk).values_list("policy_version", flat=True)
            if saved and self.policy_version is not None and self.policy_version < saved[0]:
                # Lowering it would bring back decisions readers made under an older policy.
                raise ValidationError(
                    {"policy_version": f"The policy version can only go up (it is {saved[0]})."}
                )
