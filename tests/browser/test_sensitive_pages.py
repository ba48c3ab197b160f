"""Sensitive health pages in a real Chromium: what trackers can learn from reading one.

A page is sensitive when medical_content says so (an article about a sensitive procedure, a
listing narrowed to one). There, even after "Accept all", only the analytics tags that can
be given a neutral content id (GA4, Matomo) are in the HTML at all: no advertising, no Tag
Manager container, no custom HTML is requested. The analytics stubs (config/tag_stub.py)
send what the real scripts would, so the tests read from their hits that neither the page's
title nor its address nor the referrer's path reached the tracker, and that the next page's
`document.referrer` holds the origin only. Each check has a control: the same steps on a page
that is not sensitive load every tag and report the address.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.db.models import Max
from playwright.sync_api import Page, Request, Response, expect
from wagtail.models import Site

from consent.choices import TagKind
from consent.models import ConsentGroup, ConsentRecord, ConsentTag
from consent.snapshot import get_snapshot
from medical_content.models import ArticlePage

from .conftest import RequestLog
from .consent_pages import (
    GA4_HIT,
    GRANTED,
    MATOMO_HIT,
    STUB,
    Readers,
    Requests,
    consent_commands,
    consent_values,
    data_layer,
    is_hit,
    stub_tags_run,
    wait_for_consent_script,
    wait_for_stub_hits,
    wait_for_stub_tags,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE = "/articles/deep-vein-thrombosis/"  # not sensitive
SAVED = "Your cookie choices have been saved."
EVERY_TAG = ("ga4", "ads", "gtm", "matomo", "custom")
NEUTRAL_TAGS = ["ga4", "matomo"]
# What only a sensitive page may run: nothing that cannot be told a neutral id.
NEVER_ON_SENSITIVE = ("ads.js", "google/gtm.js", "custom.js")
ADS_DENIED = {
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
    "analytics_storage": "granted",
}
CONTENT_ID = re.compile(r"sensitive-[0-9a-f]{12}")


@pytest.fixture
def tagged_site(consent_site: str) -> str:
    """The consent demo plus a Tag Manager container, a custom HTML tag (both analytics) and
    a Matomo tracker, all loading from the local stub."""
    analytics = ConsentGroup.objects.get(varname="analytics")
    ConsentTag.objects.create(
        name="Test GTM", group=analytics, kind=TagKind.GTM, tag_id="GTM-TEST01"
    )
    ConsentTag.objects.create(
        name="Test custom HTML",
        group=analytics,
        kind=TagKind.HTML,
        # With an onload of its own, as vendor snippets often have: the layer must keep it.
        html=f'<script src="{STUB}custom.js" onload="window.customLoaded = true"></script>',
    )
    ConsentTag.objects.create(
        name="Test Matomo",
        group=analytics,
        kind=TagKind.MATOMO,
        url=f"{consent_site}{STUB}matomo/",
        matomo_site_id=1,
    )
    return consent_site


@pytest.fixture
def sensitive() -> ArticlePage:
    """The demo's live article on a sensitive topic (sexual health screening)."""
    article = ArticlePage.objects.live().filter(is_sensitive=True).first()
    assert article is not None, "load_demo_data made no sensitive article"
    assert not ArticlePage.objects.get(slug=ARTICLE.split("/")[-2]).is_sensitive
    return article


def path_of(article: ArticlePage) -> str:
    return urlsplit(article.get_url()).path


def site_name() -> str:
    return Site.objects.get(is_default_site=True).site_name


def banner(page: Page):
    return page.locator("#consent-banner")


def accept_all(page: Page) -> Response:
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/consent/decide/" in r.url
    ) as answer:
        banner(page).get_by_role("button", name="Accept all").click()
    expect(page.locator("[data-consent-status]")).to_have_text(SAVED)
    expect(banner(page)).to_be_hidden()
    return answer.value


def hits(page: Page) -> tuple[dict, dict]:
    """This page's GA4 and Matomo page views, once both were sent."""
    sent = wait_for_stub_hits(page, 2)
    (ga4,) = [hit for hit in sent if "tid" in hit]
    (matomo,) = [hit for hit in sent if "idsite" in hit]
    return ga4, matomo


def inert_tags(html: str) -> list[str]:
    """The kinds of the tags the page was sent, in their inert <template>s."""
    return sorted(
        re.findall(r'<template data-consent-group="\w+" data-consent-kind="(\w+)"', html)
    )


def content_id(page: Page) -> str:
    data = json.loads(page.locator("head script#consent-page").text_content())
    assert data["sensitive"] is True
    assert CONTENT_ID.fullmatch(data["contentId"]), data
    return data["contentId"]


def referers(recorded: list[Request], path_prefix: str, about: str) -> list[str | None]:
    """The Referer headers of the hits to `path_prefix` that report the page `about`.

    Selected by content, not by time: a hit the previous page sent late can still be
    recorded after the next navigation starts."""
    return [
        r.all_headers().get("referer")
        for r in recorded
        if urlsplit(r.url).path.startswith(path_prefix) and about in r.url
    ]


class TestSensitiveArticle:
    def test_after_accept_all_only_neutral_analytics_runs_and_learns_no_path_or_title(
        self,
        tagged_site: str,
        sensitive: ArticlePage,
        readers: Readers,
        requests: Requests,
        request_log: RequestLog,
    ) -> None:
        reader = readers.open()
        reader.goto(tagged_site + "/")
        wait_for_consent_script(reader)
        accept_all(reader)
        wait_for_stub_tags(reader, *EVERY_TAG)  # control: the home page runs them all

        recorded: list[Request] = []
        reader.on("request", lambda r: recorded.append(r))
        requests.clear()
        path = path_of(sensitive)
        # Arriving from a non-sensitive page whose address the tracker could otherwise read.
        # `stubHits` is filled before each hit's request starts: wait for the requests (this
        # page's, by their content id) before reading their headers below.
        with (
            reader.expect_request(is_hit(GA4_HIT, "sensitive-")),
            reader.expect_request(is_hit(MATOMO_HIT, "sensitive-")),
        ):
            response = reader.goto(tagged_site + path, referer=tagged_site + ARTICLE)
        html = response.text()
        wait_for_stub_tags(reader, *NEUTRAL_TAGS)
        ga4, matomo = hits(reader)
        cid = content_id(reader)

        expect(reader.locator('head meta[name="referrer"]')).to_have_attribute(
            "content", "strict-origin"
        )
        assert inert_tags(html) == NEUTRAL_TAGS
        for name in NEVER_ON_SENSITIVE:
            assert name not in html
            assert requests.to(STUB + name) == []
        assert sorted(stub_tags_run(reader)) == NEUTRAL_TAGS
        assert reader.evaluate("() => document.referrer") == tagged_site + ARTICLE

        neutral_url, origin_only = f"{tagged_site}/{cid}", tagged_site + "/"
        leaks = [path, sensitive.slug, sensitive.title, site_name(), ARTICLE]
        assert (ga4["dl"], ga4["dt"], ga4["dr"]) == (neutral_url, cid, origin_only)
        assert (matomo["url"], matomo["action_name"], matomo["urlref"]) == (
            neutral_url,
            cid,
            origin_only,
        )
        sent = json.dumps([ga4, matomo])
        assert [leak for leak in leaks if leak in sent] == []
        # The hits' own Referer header carries the origin only (the real trackers read it).
        hit_referers = referers(recorded, GA4_HIT, cid) + referers(recorded, MATOMO_HIT, cid)
        assert hit_referers == [origin_only, origin_only]

        layer = data_layer(reader)
        assert consent_commands(reader)[-1] == ["consent", "update", ADS_DENIED]
        (config,) = [e for e in layer if isinstance(e, list) and e[:1] == ["config"]]
        assert config[2]["allow_google_signals"] is False
        assert request_log.blocked == []

        # Control: the same steps on an article that is not sensitive.
        recorded.clear()
        requests.clear()
        response = reader.goto(tagged_site + ARTICLE, referer=tagged_site + "/articles/")
        html = response.text()
        wait_for_stub_tags(reader, *EVERY_TAG)
        ga4, matomo = hits(reader)
        assert reader.locator("#consent-page").count() == 0
        assert reader.locator('meta[name="referrer"]').count() == 0
        assert inert_tags(html) == sorted(["ga4", "script", "gtm", "matomo", "html"])
        for name in NEVER_ON_SENSITIVE:
            assert len(requests.to(STUB + name)) == 1
        reader.wait_for_function("() => window.customLoaded === true")
        assert ga4["dl"] == matomo["url"] == tagged_site + ARTICLE
        assert ga4["dr"] == matomo["urlref"] == tagged_site + "/articles/"
        title = ArticlePage.objects.get(slug=ARTICLE.split("/")[-2]).title
        assert title in ga4["dt"] and site_name() in ga4["dt"]
        assert title in matomo["action_name"]
        assert consent_commands(reader)[-1] == ["consent", "update", GRANTED]

    def test_listing_narrowed_to_a_sensitive_procedure_reports_no_query(
        self, tagged_site: str, sensitive: ArticlePage, readers: Readers, requests: Requests
    ) -> None:
        procedure = sensitive.related_procedures.first().procedure
        assert procedure.is_sensitive
        reader = readers.open()
        reader.goto(tagged_site + "/")
        wait_for_consent_script(reader)
        accept_all(reader)
        # The home page's tags (Tag Manager, custom HTML, ads among them) are inserted as the
        # choice is saved; once they have run, their requests were recorded, and clearing
        # leaves none of them to be taken for the listing's below.
        wait_for_stub_tags(reader, *EVERY_TAG)

        listing = f"/articles/?procedure={procedure.slug}"
        requests.clear()
        reader.goto(tagged_site + listing)
        wait_for_stub_tags(reader, *NEUTRAL_TAGS)
        ga4, matomo = hits(reader)
        cid = content_id(reader)
        assert ga4["dl"] == matomo["url"] == f"{tagged_site}/{cid}"
        assert procedure.slug not in json.dumps([ga4, matomo])
        assert [r for name in NEVER_ON_SENSITIVE for r in requests.to(STUB + name)] == []

        # Control: the whole listing is not sensitive and reports its address.
        reader.goto(tagged_site + "/articles/")
        wait_for_stub_tags(reader, *EVERY_TAG)
        ga4, _ = hits(reader)
        assert ga4["dl"] == tagged_site + "/articles/"


class TestReferrer:
    def test_the_next_page_learns_only_the_origin_of_a_sensitive_page(
        self,
        tagged_site: str,
        sensitive: ArticlePage,
        readers: Readers,
        request_log: RequestLog,
    ) -> None:
        reader = readers.open()
        reader.goto(tagged_site + "/")
        wait_for_consent_script(reader)
        accept_all(reader)
        wait_for_stub_tags(reader, "ga4")

        response = reader.goto(tagged_site + path_of(sensitive))
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        wait_for_stub_tags(reader, *NEUTRAL_TAGS)
        with reader.expect_request(lambda r: urlsplit(r.url).path == "/") as home:
            reader.locator(".site-header__name").click()
        reader.wait_for_url(tagged_site + "/")
        assert home.value.all_headers().get("referer") == tagged_site + "/"
        assert reader.evaluate("() => document.referrer") == tagged_site + "/"
        ga4, matomo = hits(reader)
        assert ga4["dr"] == matomo["urlref"] == tagged_site + "/"
        assert ga4["dl"] == tagged_site + "/"  # the home page is not sensitive itself

        # Control: leaving an article that is not sensitive, the next page sees its address.
        reader.goto(tagged_site + ARTICLE)
        wait_for_stub_tags(reader, *EVERY_TAG)
        reader.locator(".site-header__name").click()
        reader.wait_for_url(tagged_site + "/")
        assert reader.evaluate("() => document.referrer") == tagged_site + ARTICLE
        ga4, matomo = hits(reader)
        assert ga4["dr"] == matomo["urlref"] == tagged_site + ARTICLE
        assert request_log.blocked == []


SENSITIVE_RECORD_PATH = "(a sensitive page)"


class TestDecidingOnASensitivePage:
    def test_first_decision_on_a_sensitive_page_is_saved_with_and_without_javascript(
        self,
        tagged_site: str,
        sensitive: ArticlePage,
        readers: Readers,
        requests: Requests,
        request_log: RequestLog,
    ) -> None:
        before = ConsentRecord.objects.aggregate(top=Max("pk"))["top"] or 0
        reader = readers.open()
        reader.goto(tagged_site + path_of(sensitive))
        wait_for_consent_script(reader)
        expect(banner(reader)).to_be_visible()
        assert requests.to(STUB) == []

        answer = accept_all(reader)
        assert answer.status == 200
        assert answer.request.all_headers().get("origin") == tagged_site
        wait_for_stub_tags(reader, *NEUTRAL_TAGS)
        values = consent_values(reader)
        versions = get_snapshot().versions
        # The choice is the reader's for the whole site: advertising accepted, just not here.
        assert (values["analytics"], values["advertising"]) == (
            versions["analytics"],
            versions["advertising"],
        )
        records = list(ConsentRecord.objects.filter(pk__gt=before))
        assert [r.method for r in records] == ["accept_all"]
        # Next to a consent id, the page's address would say what this reader read.
        assert [r.path for r in records] == [SENSITIVE_RECORD_PATH]
        assert requests.to(STUB + "ads.js") == []
        reader.goto(tagged_site + ARTICLE)  # control: elsewhere the same choice runs all
        wait_for_stub_tags(reader, *EVERY_TAG)

        # Without JavaScript the banner is a plain form: the browser's own POST, under the
        # page's referrer policy, still passes the Origin check.
        plain = readers.open(java_script_enabled=False)
        statuses: list[tuple[str, str, int]] = []
        plain.on(
            "response",
            lambda r: statuses.append((r.request.method, urlsplit(r.url).path, r.status)),
        )
        plain.goto(tagged_site + path_of(sensitive))
        static = plain.get_by_role("region", name=get_snapshot().banner_title)
        # The answer (303) leads back to the page the tab is already on, so wait_for_url
        # would return at once: wait for that navigation itself.
        with plain.expect_navigation(url=tagged_site + path_of(sensitive)):
            static.get_by_role("button", name="Reject all").click()
        expect(plain.locator("h1")).to_be_visible()
        assert ("POST", "/consent/decide/", 303) in statuses, statuses
        values = consent_values(plain)
        assert (values["analytics"], values["advertising"]) == ("-1", "-1")
        records = list(ConsentRecord.objects.filter(pk__gt=before).order_by("pk"))
        assert [r.path for r in records] == [SENSITIVE_RECORD_PATH] * 2
        assert request_log.blocked == []
        assert request_log.failed == []
