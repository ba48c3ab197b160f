"""Helpers shared by the consent browser tests."""

from playwright.sync_api import Page

STUB = "/_stub/tags/"
CONSENT_COOKIE = "cookie_consent"
# The signed id that chains a reader's consent records (HttpOnly; set with every decision).
CONSENT_ID_COOKIE = "consent_id"


def wait_for_consent_script(page: Page) -> None:
    """The script is deferred: once it has published its state, it has read the cookie and
    shown the banner or run the tags (all in the same task)."""
    page.wait_for_function("() => window.consentLayer && window.consentLayer.state()")


def browser_cookies(page: Page) -> dict[str, str]:
    return {item["name"]: item["value"] for item in page.context.cookies()}


def consent_values(page: Page) -> dict[str, str]:
    """The consent cookie's `key=value` pairs, as the browser holds it (Django quotes it)."""
    raw = browser_cookies(page)[CONSENT_COOKIE]
    assert raw.startswith('"') and raw.endswith('"'), raw
    return dict(part.split("=", 1) for part in raw[1:-1].split("|"))
