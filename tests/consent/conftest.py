"""Fixtures shared by the consent tests: the current configuration, consent cookies, tags."""

import time
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from consent import conf
from consent.cookie import encode
from consent.models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from consent.snapshot import get_snapshot
from tests.consent.admin_forms import VIEWSETS
from tests.people import client_for, make_user

GA4_ID = "G-ABC123"
AD_SCRIPT_URL = "https://ads.example/tag.js"
HTTP_AD_URL = "http://ads.example/tag.js"


@pytest.fixture
def consent_config(db):
    """The consent configuration as public pages see it (groups from data migration 0002)."""
    return get_snapshot()


@pytest.fixture
def consent_cookie_name():
    return conf.cookie_name()


@pytest.fixture
def consent_groups(db):
    """The groups every install has (data migration 0002), by variable name."""
    return {group.varname: group for group in ConsentGroup.objects.all()}


@pytest.fixture
def consent_settings(db):
    """The site's consent settings row (created with its defaults on first use)."""
    return ConsentSettings.load()


@pytest.fixture
def make_consent_cookie(db):
    """Builds the consent cookie value a decision under the *current* configuration stores.

    `accepted` and `declined` are varnames; groups in neither are left out of the value.
    `at` defaults to now; `policy` to the current policy version.
    """

    def make(accepted=(), declined=(), *, at=None, policy=None):
        config = get_snapshot()
        return encode(
            {name: config.versions[name] for name in accepted},
            list(declined),
            policy=config.policy_version if policy is None else policy,
            now=int(time.time()) if at is None else at,
        )

    return make


@pytest.fixture
def accept_all_cookie(consent_config, make_consent_cookie):
    return make_consent_cookie(accepted=list(consent_config.versions))


@pytest.fixture
def reject_all_cookie(consent_config, make_consent_cookie):
    return make_consent_cookie(declined=list(consent_config.versions))


@pytest.fixture
def ga4_and_ad_tags(consent_groups):
    """One GA4 tag in "analytics" and one advertising script in "advertising"."""
    return {
        "ga4": ConsentTag.objects.create(
            name="Google Analytics", group=consent_groups["analytics"], kind="ga4", tag_id=GA4_ID
        ),
        "script": ConsentTag.objects.create(
            name="Ad network",
            group=consent_groups["advertising"],
            kind="script",
            url=AD_SCRIPT_URL,
        ),
    }


class _CheckboxParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ticked = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("type") == "checkbox" and "checked" in values:
            self.ticked.append(values.get("value"))


def ticked_groups(html: str) -> set[str]:
    """The groups whose checkbox a page renders ticked."""
    parser = _CheckboxParser()
    parser.feed(html)
    return set(parser.ticked)


@pytest.fixture
def ticked():
    return ticked_groups


# --- The consent admin: its users and its pages (test_admin_*.py) ------------------------


@pytest.fixture
def html_author(db):
    """A privacy admin a superuser trusted with custom HTML."""
    return make_user("trusted", "Privacy admins", permissions=["manage_custom_html_tags"])


@pytest.fixture
def privacy_client(privacy_admin):
    return client_for(privacy_admin)


@pytest.fixture
def superuser_client(admin_user):
    return client_for(admin_user)


@pytest.fixture
def html_tag(consent_groups):
    return ConsentTag.objects.create(
        name="Survey widget",
        group=consent_groups["analytics"],
        kind="html",
        html="<script>survey()</script>",
    )


@pytest.fixture
def http_ad_tag(consent_groups):
    """An advertising tag saved outside the admin form (which refuses it): script on http."""
    return ConsentTag.objects.create(
        name="Old ad network",
        group=consent_groups["advertising"],
        kind="script",
        url=HTTP_AD_URL,
    )


@pytest.fixture
def ga4_tag(consent_groups):
    return ConsentTag.objects.create(
        name="Google Analytics", group=consent_groups["analytics"], kind="ga4", tag_id="G-ABC123"
    )


@pytest.fixture
def settings_url(consent_settings):
    """The settings' edit page itself (the menu's link redirects here)."""
    return reverse(
        "wagtailsettings:edit", args=["consent", "consentsettings", consent_settings.pk]
    )


@pytest.fixture
def consent_admin_urls(consent_groups, ga4_tag, settings_url):
    """Index, add and edit page of each viewset, and the settings page."""
    objects = {
        "consent_groups": consent_groups["analytics"],
        "consent_cookies": ConsentCookie.objects.get(name="_ga"),
        "consent_tags": ga4_tag,
    }
    urls = []
    for viewset in VIEWSETS:
        urls += [
            reverse(f"{viewset}:index"),
            reverse(f"{viewset}:add"),
            reverse(f"{viewset}:edit", args=[objects[viewset].pk]),
        ]
    return [*urls, settings_url]


@pytest.fixture
def csrf_client(db):
    """A test client that enforces CSRF checks, as a browser's request would meet them."""
    return Client(enforce_csrf_checks=True)
