"""Fixtures shared by the consent tests: the current configuration, consent cookies, tags."""

import time
from html.parser import HTMLParser

import pytest

from consent import conf
from consent.config import get_config
from consent.cookie import encode
from consent.models import ConsentGroup, ConsentSettings, ConsentTag

GA4_ID = "G-ABC123"
AD_SCRIPT_URL = "https://ads.example/tag.js"


@pytest.fixture
def consent_config(db):
    """The consent configuration as public pages see it (groups from data migration 0002)."""
    return get_config()


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
        config = get_config()
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
