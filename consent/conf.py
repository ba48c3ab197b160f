"""Settings this app reads, each with its default here, so a host site need set none of them."""

from django.conf import settings


def enabled() -> bool:
    """CONSENT_ENABLED: render the banner, configuration and gated tags on public pages."""
    return bool(getattr(settings, "CONSENT_ENABLED", True))


def google_tag_base_url() -> str:
    """CONSENT_GOOGLE_TAG_BASE_URL: where GA4 (`/gtag/js`) and GTM (`/gtm.js`) load from.

    Tests and the demo point it at a local stub so that nothing leaves the machine.
    """
    url = getattr(settings, "CONSENT_GOOGLE_TAG_BASE_URL", "https://www.googletagmanager.com")
    return url.rstrip("/")


def allow_loopback_tag_urls() -> bool:
    """May tag URLs use plain http on a loopback host?

    Only with DEBUG on or under test (CONSENT_ALLOW_LOOPBACK_TAG_URLS = True), so the demo
    and the tests can load tags from a local stub.
    """
    return bool(settings.DEBUG or getattr(settings, "CONSENT_ALLOW_LOOPBACK_TAG_URLS", False))


def https_tags_only() -> bool:
    """Do pages leave out every tag whose script is not on https?

    Yes with DEBUG off: over plain http anyone on the reader's network could swap the script
    for their own, on every page. With DEBUG on (`make run`) tags saved over http still load,
    so the demo's advertising tag runs from the local stub.
    """
    return not settings.DEBUG


def base_template() -> str:
    """CONSENT_BASE_TEMPLATE: the site template the preference centre extends."""
    return getattr(settings, "CONSENT_BASE_TEMPLATE", "base.html")


def cookie_name() -> str:
    """The consent cookie's name: django-cookie-consent's COOKIE_CONSENT_NAME."""
    from cookie_consent.conf import settings as library_settings

    return library_settings.COOKIE_CONSENT_NAME
