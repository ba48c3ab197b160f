"""Fixed vocabularies of the consent layer."""

from django.db import models

# Custom HTML tags run arbitrary code on every page, so they need a permission of their own.
CUSTOM_HTML_PERMISSION = "consent.manage_custom_html_tags"
# The banner text may hold links and emphasis, nothing else.
BANNER_FEATURES = ["bold", "italic", "link"]


class GroupPurpose(models.TextChoices):
    """What a cookie group is for. Rules key on this, never on a group's name."""

    NECESSARY = "necessary", "Strictly necessary"
    FUNCTIONAL = "functional", "Functional"
    ANALYTICS = "analytics", "Analytics"
    ADVERTISING = "advertising", "Advertising"


class TagKind(models.TextChoices):
    GA4 = "ga4", "Google Analytics 4"
    GTM = "gtm", "Google Tag Manager"
    MATOMO = "matomo", "Matomo"
    SCRIPT = "script", "Advertising or other script (URL)"
    HTML = "html", "Custom HTML"


class Choice(models.TextChoices):
    """What a reader answered, as the decision view receives it."""

    ACCEPT_ALL = "accept_all", "Accept all"
    REJECT_ALL = "reject_all", "Reject all"
    CUSTOM = "custom", "Custom"


class GroupState(models.TextChoices):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    UNDECIDED = "undecided"
