"""Sensitive health pages: what the consent layer ships on them, and what it never ships.

Proves that a response is sensitive when its context says `sensitive_page` (else when its
`page` is sensitive); that there `{% consent_head %}` asks for an origin-only referrer and
gives the script a neutral content id (stable per address, different between addresses, keyed
by the site's secret, holding neither the address nor the title), and `{% consent_tags %}`
ships only GA4 and Matomo tags outside advertising (no Tag Manager, script URL, custom HTML,
nothing for advertising, whatever a group is called); that other responses are unchanged; that
an editor's preview renders nothing; that it costs no query once the configuration is cached;
that the site sends `Referrer-Policy: strict-origin-when-cross-origin`; and that a decision made
on a sensitive page is recorded without its address or content id.
"""

import json
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import override_settings

from consent.models import ConsentGroup, ConsentRecord, ConsentTag
from consent.snapshot import invalidate
from tests.consent.test_decision_view import post_decision

TEMPLATE = "{% load consent_tags %}{% consent_head %}{% consent_tags %}"
PATH = "/conditions/hiv/living-with-hiv/"
TITLE = "Living with HIV"
REFERRER_META = '<meta name="referrer" content="strict-origin">'
CONTENT_ID = re.compile(r"sensitive-[0-9a-f]{12}")

# One tag of every kind, each in analytics and in advertising.
KINDS = {
    "ga4": {"tag_id": "G-SENS1234"},
    "gtm": {"tag_id": "GTM-SENS123"},
    "matomo": {"url": "https://matomo.example/", "matomo_site_id": 7},
    "script": {"url": "https://scripts.example/widget.js"},
    "html": {"html": "<script>window.surveyLoaded = true</script>"},
}
SHIPPED_ON_SENSITIVE_PAGES = {("analytics", "ga4"), ("analytics", "matomo")}


def render(request, **context):
    return Template(TEMPLATE).render(Context({"request": request, **context}))


def shipped(html):
    """(group, kind) of every tag the output carries."""
    return set(
        re.findall(r'<template data-consent-group="([^"]+)" data-consent-kind="([^"]+)"', html)
    )


def page_json(html):
    """The `consent-page` JSON the script reads, or None."""
    match = re.search(r'<script id="consent-page" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1)) if match else None


def sensitive_page(title=TITLE):
    """Any page model with a true `is_sensitive` (all the consent layer knows about pages)."""
    return SimpleNamespace(is_sensitive=True, title=title)


@pytest.fixture
def every_kind_of_tag(consent_groups):
    tags = []
    for group in ("analytics", "advertising"):
        for kind, fields in KINDS.items():
            tags.append(
                ConsentTag.objects.create(
                    name=f"{kind} in {group}", group=consent_groups[group], kind=kind, **fields
                )
            )
    return tags


ALL_TAGS = {(group, kind) for group in ("analytics", "advertising") for kind in KINDS}
SENSITIVE_CONTEXTS = {
    "sensitive_page flag": {"sensitive_page": True},
    "sensitive page object": {"page": sensitive_page()},
    "flag and page": {"sensitive_page": True, "page": sensitive_page()},
}
ORDINARY_CONTEXTS = {
    "nothing said": {},
    "flag false": {"sensitive_page": False},
    "ordinary page": {"page": SimpleNamespace(is_sensitive=False, title="Hay fever")},
    "page without the attribute": {"page": SimpleNamespace(title="Hay fever")},
    "flag false beats a sensitive page": {"sensitive_page": False, "page": sensitive_page()},
}


@pytest.mark.django_db
class TestSensitiveResponse:
    @pytest.mark.parametrize("context", SENSITIVE_CONTEXTS.values(), ids=list(SENSITIVE_CONTEXTS))
    def test_only_neutral_analytics_tags_are_shipped(self, rf, every_kind_of_tag, context):
        html = render(rf.get(PATH), **context)
        assert shipped(html) == SHIPPED_ON_SENSITIVE_PAGES
        for never in ("gtm.js", "scripts.example", "surveyLoaded", 'data-consent-kind="gtm"'):
            assert never not in html, never
        assert 'data-consent-group="advertising"' not in html

    @pytest.mark.parametrize("context", SENSITIVE_CONTEXTS.values(), ids=list(SENSITIVE_CONTEXTS))
    def test_head_asks_for_origin_only_referrer_and_gives_a_content_id(self, rf, context):
        html = render(rf.get(PATH), **context)
        assert html.count(REFERRER_META) == 1
        data = page_json(html)
        assert set(data) == {"sensitive", "contentId"}
        assert data["sensitive"] is True
        assert CONTENT_ID.fullmatch(data["contentId"])
        # The stricter referrer comes before anything that could load.
        assert html.index(REFERRER_META) < html.index("<script src=")

    def test_the_matomo_tag_keeps_its_tracker_and_site(self, rf, every_kind_of_tag):
        html = render(rf.get(PATH), sensitive_page=True)
        assert (
            '<template data-consent-group="analytics" data-consent-kind="matomo" '
            'data-consent-url="https://matomo.example/" data-consent-site="7">'
        ) in html
        assert 'data-consent-id="G-SENS1234"' in html

    def test_advertising_is_known_by_purpose_not_by_name(self, rf, consent_groups):
        partners = ConsentGroup.objects.create(
            varname="partners", name="Partners", purpose="advertising", ordering=30
        )
        preferences = ConsentGroup.objects.create(
            varname="preferences", name="Preferences", purpose="functional", ordering=40
        )
        for group, tag_id in ((partners, "G-PARTNER1"), (preferences, "G-PREFS123")):
            ConsentTag.objects.create(name=tag_id, group=group, kind="ga4", tag_id=tag_id)
        html = render(rf.get(PATH), sensitive_page=True)
        assert shipped(html) == {("preferences", "ga4")}
        assert "G-PARTNER1" not in html

    def test_inactive_tags_stay_out(self, rf, every_kind_of_tag):
        ConsentTag.objects.filter(kind="matomo").update(is_active=False)
        invalidate()  # update() sends no signal
        html = render(rf.get(PATH), sensitive_page=True)
        assert shipped(html) == {("analytics", "ga4")}


@pytest.mark.django_db
class TestContentId:
    def content_id(self, rf, path, **context):
        return page_json(render(rf.get(path), **{"sensitive_page": True, **context}))["contentId"]

    def test_stable_for_one_address(self, rf):
        first = self.content_id(rf, PATH)
        assert self.content_id(rf, PATH) == first
        assert self.content_id(rf, PATH, page=sensitive_page("Another title")) == first

    def test_differs_between_addresses(self, rf):
        ids = {
            self.content_id(rf, path)
            for path in (PATH, "/conditions/hiv/prep/", "/conditions/depression/", "/")
        }
        assert len(ids) == 4

    def test_holds_neither_the_address_nor_the_title(self, rf):
        html = render(rf.get(PATH), page=sensitive_page())
        script = re.search(r'<script id="consent-page".*?</script>', html).group(0)
        for secret in ("hiv", "living", "conditions", TITLE, TITLE.lower()):
            assert secret not in script.lower(), secret
        assert PATH not in html and "living-with-hiv" not in html

    def test_meaningless_without_the_sites_secret(self, rf):
        ours = self.content_id(rf, PATH)
        with override_settings(SECRET_KEY="another site's secret key, quite long enough"):
            assert self.content_id(rf, PATH) != ours


@pytest.mark.django_db
class TestOrdinaryResponse:
    @pytest.mark.parametrize("context", ORDINARY_CONTEXTS.values(), ids=list(ORDINARY_CONTEXTS))
    def test_every_active_tag_and_no_page_markers(self, rf, every_kind_of_tag, context):
        html = render(rf.get(PATH), **context)
        assert shipped(html) == ALL_TAGS
        assert "surveyLoaded" in html and "scripts.example/widget.js" in html
        assert 'name="referrer"' not in html
        assert page_json(html) is None
        assert "consent-config" in html

    def test_same_output_as_before_there_were_sensitive_pages(self, rf, every_kind_of_tag):
        outputs = {render(rf.get(PATH), **context) for context in ORDINARY_CONTEXTS.values()}
        assert len(outputs) == 1

    def test_the_home_page_is_ordinary(self, client, home, ga4_and_ad_tags):
        html = client.get("/").content.decode()
        assert 'name="referrer"' not in html
        assert 'id="consent-page"' not in html
        assert 'data-consent-kind="script"' in html


@pytest.mark.django_db
class TestEditorsPreview:
    @pytest.mark.parametrize(
        "context", [*SENSITIVE_CONTEXTS.values(), {}], ids=[*SENSITIVE_CONTEXTS, "ordinary"]
    )
    def test_preview_renders_nothing(self, rf, every_kind_of_tag, context):
        request = rf.get(PATH)
        request.is_preview = True
        assert render(request, **context).strip() == ""


@pytest.mark.django_db
class TestCost:
    @pytest.mark.parametrize("context", SENSITIVE_CONTEXTS.values(), ids=list(SENSITIVE_CONTEXTS))
    def test_no_query_once_the_configuration_is_cached(
        self, rf, consent_groups, django_assert_num_queries, context
    ):
        # Two sizes of tag list, so a query per tag could not hide.
        for size in (2, 12):
            for n in range(ConsentTag.objects.count(), size):
                ConsentTag.objects.create(
                    name=f"GA4 {n}",
                    group=consent_groups["analytics" if n % 2 else "advertising"],
                    kind="ga4",
                    tag_id=f"G-COST{n:04d}",
                )
            render(rf.get(PATH), **context)  # builds and caches the configuration
            with django_assert_num_queries(0):
                html = render(rf.get(PATH), **context)
            assert html.count('<template data-consent-group="analytics"') == size // 2
            assert 'data-consent-group="advertising"' not in html


@pytest.mark.django_db
class TestWithoutARequest:
    def test_sensitive_context_without_a_request_still_renders_safely(self, every_kind_of_tag):
        """A template rendered outside a request (render_to_string with a page) is no 500."""
        html = Template(TEMPLATE).render(Context({"page": sensitive_page()}))
        assert REFERRER_META in html
        assert shipped(html) == SHIPPED_ON_SENSITIVE_PAGES


@pytest.mark.django_db
class TestReferrerPolicyHeader:
    EXPECTED = "strict-origin-when-cross-origin"

    def test_public_pages_send_it(self, client, home):
        for url in ("/", "/missing/"):
            assert client.get(url)["Referrer-Policy"] == self.EXPECTED, url

    def test_the_decision_endpoint_sends_it(self, client):
        for headers in ({}, {"HTTP_ACCEPT": "application/json"}):
            response = post_decision(client, {"choice": "reject_all"}, **headers)
            assert response["Referrer-Policy"] == self.EXPECTED

    def test_the_preference_centre_sends_it(self, client):
        assert client.get("/consent/preferences/")["Referrer-Policy"] == self.EXPECTED


BANNER = "{% load consent_tags %}{% consent_banner %}"


@pytest.mark.django_db
class TestRecordOfADecisionOnASensitivePage:
    """A record keeps the page a decision was made on; next to a consent id, a sensitive page's
    address (or its content id, which the site's owner can map back) would say what that
    reader read."""

    def banner_fields(self, rf, **context):
        html = Template(BANNER).render(Context({"request": rf.get(PATH), **context}))
        return re.findall(r'<input type="hidden" name="sensitive" value="([^"]*)">', html)

    def test_the_banner_says_so_on_a_sensitive_page_only(self, rf):
        # The two scripted forms and the plain <noscript> one.
        assert self.banner_fields(rf, sensitive_page=True) == ["1", "1", "1"]
        assert self.banner_fields(rf) == []
        assert self.banner_fields(rf, page=sensitive_page()) == ["1", "1", "1"]

    def test_the_record_keeps_neither_the_address_nor_the_content_id(self, client):
        post_decision(client, {"choice": "reject_all", "next": PATH, "sensitive": "1"})
        assert ConsentRecord.objects.get().path == "(a sensitive page)"

    @pytest.mark.parametrize("posted", ["", "0", "true", "11", "x" * 5000])
    def test_anything_else_posted_records_the_path(self, client, posted):
        response = post_decision(
            client, {"choice": "reject_all", "next": PATH + "?q=hiv", "sensitive": posted}
        )
        assert response.status_code == 303
        assert ConsentRecord.objects.get().path == PATH
