"""Public pages with the consent layer: the same bytes for everyone, tags inert, cheap to serve.

Proves the cache-safety contract on real pages (home, an article, the 404): identical bodies
whatever consent cookie the reader carries, no `Vary: Cookie`, no `Set-Cookie`; the consent
configuration, the hidden banner and its `<noscript>` copy, the footer link, and tags only inside
`<template>`; with DEBUG off no tag whose script is not on https; no extra SQL and at most one
cache read per page; admin changes show on the next page; banner text is cleaned of anything
but links and emphasis; CONSENT_ENABLED=False renders nothing of the layer.
"""

import json
import re
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from consent.models import ConsentCookie, ConsentGroup, ConsentTag
from medical_content import factories
from tests.queries import warm_query_count

from .conftest import AD_SCRIPT_URL, GA4_ID, HTTP_AD_URL

DECIDE = "/consent/decide/"
PREFERENCES = "/consent/preferences/"


@pytest.fixture
def plain_article(article_index):
    return factories.ArticlePageFactory(parent=article_index)


@pytest.fixture
def status_by_url(home, plain_article, ga4_and_ad_tags):
    """URL -> expected status: the home page, an article and the 404 page."""
    return {"/": 200, plain_article.url: 200, "/missing/": 404}


@pytest.fixture
def reader_cookies(accept_all_cookie, reject_all_cookie, consent_config, consent_cookie_name):
    now = int(time.time())
    tampered = (
        f"analytics=zzz|advertising=2999-01-01|_policy={consent_config.policy_version}|_at={now}"
    )
    return {
        "no cookie": {},
        "all accepted": {consent_cookie_name: accept_all_cookie},
        "all declined": {consent_cookie_name: reject_all_cookie},
        "tampered": {consent_cookie_name: tampered},
        "unrelated": {"_ga": "GA1.1.123.456", "_ga_ABC": "GS1.1.1", "csrftoken": "x" * 32},
        "junk": {"junk": "=|=|=", consent_cookie_name: "=|=|="},
    }


def fetch(client_class, url, cookies):
    client = client_class()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client.get(url)


class _TagParser(HTMLParser):
    """Script sources outside and inside `<template>` elements, and the templates' attributes."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.outside, self.inside, self.templates = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.depth += 1
            self.templates.append(attrs)
        elif tag == "script" and attrs.get("src"):
            (self.inside if self.depth else self.outside).append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "template":
            self.depth -= 1


def parse_tags(html):
    parser = _TagParser()
    parser.feed(html)
    return parser


def consent_json(html):
    match = re.search(r'<script id="consent-config" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


@contextmanager
def count_cache_reads():
    """Keys read from the default cache (get, get_many, has_key; get_or_set goes via get)."""
    backend = caches["default"]
    keys = []

    def spy(method, many=False):
        def read(key, *args, **kwargs):
            keys.extend(key if many else [key])
            return method(key, *args, **kwargs)

        return read

    with (
        mock.patch.object(backend, "get", spy(backend.get)),
        mock.patch.object(backend, "get_many", spy(backend.get_many, many=True)),
        mock.patch.object(backend, "has_key", spy(backend.has_key)),
    ):
        yield keys


@pytest.mark.django_db
class TestSameBytesForEveryone:
    def test_body_does_not_depend_on_the_consent_cookie(
        self, client_class, status_by_url, reader_cookies
    ):
        for url, status in status_by_url.items():
            responses = {
                name: fetch(client_class, url, cookies) for name, cookies in reader_cookies.items()
            }
            baseline = responses.pop("no cookie")
            assert baseline.status_code == status, url
            for name, response in responses.items():
                assert response.status_code == status, (url, name)
                assert response.content == baseline.content, (url, name)

    def test_no_vary_cookie_and_no_set_cookie(self, client_class, status_by_url, reader_cookies):
        for url in status_by_url:
            for name, cookies in reader_cookies.items():
                response = fetch(client_class, url, cookies)
                assert "cookie" not in response.get("Vary", "").lower(), (url, name)
                assert not response.cookies, (url, name)
                assert "Set-Cookie" not in response.headers, (url, name)

    def test_malformed_csrf_cookie_sets_no_cookie(self, client_class, status_by_url):
        # Django's CsrfViewMiddleware replaces a malformed csrftoken on every response, public
        # pages included; consent.middleware.DropMalformedCsrfCookieMiddleware prevents that.
        for url in status_by_url:
            response = fetch(client_class, url, {"csrftoken": "junk", "_ga": "GA1.1.1.1"})
            assert not response.cookies, url
            assert "cookie" not in response.get("Vary", "").lower(), url


@pytest.mark.django_db
class TestConsentMarkup:
    def test_configuration_lists_groups_versions_and_policy(
        self, client, status_by_url, consent_settings
    ):
        consent_settings.policy_version = 3
        consent_settings.save()
        optional = ConsentGroup.objects.filter(is_required=False).order_by("ordering", "pk")
        for url in status_by_url:
            data = consent_json(client.get(url).content.decode())
            assert data["cookie"] == "cookie_consent"
            assert data["policy"] == 3
            assert data["lifetime"] == 182 * 86400
            assert [(g["varname"], g["version"]) for g in data["groups"]] == [
                (group.varname, group.version) for group in optional
            ]
            analytics = data["groups"][0]
            assert [cookie["name"] for cookie in analytics["cookies"]] == ["_ga", "_ga_*"]

    def test_necessary_group_is_not_in_the_configuration(self, client, status_by_url):
        data = consent_json(client.get("/").content.decode())
        assert "necessary" not in [group["varname"] for group in data["groups"]]

    def test_banner_is_present_hidden_and_nothing_is_ticked(self, client, status_by_url, ticked):
        for url in status_by_url:
            html = client.get(url).content.decode()
            assert re.search(r'<section id="consent-banner"[^>]*\shidden>', html), url
            assert 'aria-live="polite" data-consent-live' in html
            for choice in ("accept_all", "reject_all", "custom"):
                assert f'name="choice" value="{choice}"' in html
            assert "data-consent-customise" in html
            assert ticked(html) == set(), url

    def test_a_stored_banner_link_to_a_made_up_page_still_renders(self, client, status_by_url):
        """Saved by a shell or an older release, where the form could not refuse it."""
        from consent.models import ConsentSettings

        banner = ConsentSettings.load()
        banner.banner_text = '<p>Read <a linktype="page" id="abc">our policy</a>.</p>'
        banner.save()
        for url, status in status_by_url.items():
            response = client.get(url)
            assert response.status_code == status, url
            assert "Read our policy." in re.sub(r"<[^>]+>", "", response.content.decode()), url

    def test_noscript_copy_posts_to_the_decision_view(self, client, status_by_url, plain_article):
        for url in status_by_url:
            html = client.get(url).content.decode()
            noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S).group(1)
            assert f'method="post" action="{DECIDE}"' in noscript
            assert f'<input type="hidden" name="next" value="{url}">' in noscript
            assert 'value="accept_all">Accept all</button>' in noscript
            assert 'value="reject_all">Reject all</button>' in noscript
            assert f'href="{PREFERENCES}"' in noscript

    def test_an_editors_preview_shows_no_banner_and_carries_no_tag(
        self, client, status_by_url, plain_article
    ):
        """The admin's preview is an editor checking a page, not a reader visiting it."""
        live = client.get(plain_article.url).content.decode()
        assert 'id="consent-banner"' in live and "<template" in live
        preview = plain_article.make_preview_request().content.decode()
        assert plain_article.title in preview
        for marker in ('id="consent-banner"', "consent/consent.min.js", "<template", "G-"):
            assert marker not in preview, marker

    def test_footer_links_to_the_preference_centre(self, client, status_by_url):
        for url in status_by_url:
            html = client.get(url).content.decode()
            footer = html[html.index('<footer class="site-footer">') :]
            assert f'<a href="{PREFERENCES}">Cookie settings</a>' in footer, url

    def test_tags_are_only_inside_templates(self, client, status_by_url):
        for url, status in status_by_url.items():
            parsed = parse_tags(client.get(url).content.decode())
            assert not [src for src in parsed.outside if "/gtag/js" in src], url
            assert AD_SCRIPT_URL not in parsed.outside, url
            assert f"/_stub/tags/google/gtag/js?id={GA4_ID}" in parsed.inside, url
            # The 404 is a sensitive page (its address is whatever was typed): no advertising.
            assert (AD_SCRIPT_URL in parsed.inside) is (status != 404), url
            assert {
                "data-consent-group": "analytics",
                "data-consent-kind": "ga4",
                "data-consent-id": GA4_ID,
            } in parsed.templates

    def test_custom_html_tag_is_shipped_inert(self, client, status_by_url, consent_groups):
        ConsentTag.objects.create(
            name="Pixel",
            group=consent_groups["advertising"],
            kind="html",
            html='<script src="https://pixel.example/p.js"></script><script>window.px=1</script>',
        )
        html = client.get("/").content.decode()
        parsed = parse_tags(html)
        assert "https://pixel.example/p.js" in parsed.inside
        assert "https://pixel.example/p.js" not in parsed.outside
        inline = html.index("<script>window.px=1</script>")
        assert html.rindex("<template", 0, inline) > html.rindex("</template>", 0, inline)

    def test_inactive_tag_is_not_shipped(self, client, status_by_url, ga4_and_ad_tags):
        ga4_and_ad_tags["ga4"].is_active = False
        ga4_and_ad_tags["ga4"].save()
        assert GA4_ID not in client.get("/").content.decode()


# Saved outside the admin form (the demo command, a shell, an import), which refuses them.
HTTP_MATOMO_URL = "http://stats.example/"
LOOPBACK_AD_URL = "http://127.0.0.1:8000/_stub/tags/ads.js"


@pytest.fixture
def http_tags(ga4_and_ad_tags, http_ad_tag, consent_groups):
    """Beside the https tags, three whose script would load over plain http."""
    analytics, advertising = consent_groups["analytics"], consent_groups["advertising"]
    for name, group, kind, url in [
        ("Plain http Matomo", analytics, "matomo", HTTP_MATOMO_URL),
        ("Local stub ads", advertising, "script", LOOPBACK_AD_URL),
    ]:
        ConsentTag.objects.create(name=name, group=group, kind=kind, url=url, matomo_site_id=1)
    return ga4_and_ad_tags


def shipped_script_urls(html):
    """The script URLs a page carries, in its inert templates or in its configuration."""
    parsed = parse_tags(html)
    urls = {*parsed.inside, *parsed.outside}
    urls |= {t["data-consent-url"] for t in parsed.templates if "data-consent-url" in t}
    config = json.dumps(consent_json(html))
    return urls, config


@pytest.mark.django_db
class TestTagUrls:
    def test_a_tag_not_on_https_is_not_shipped_with_debug_off(
        self, client, home, http_tags, settings
    ):
        settings.DEBUG = False
        settings.CONSENT_ALLOW_LOOPBACK_TAG_URLS = False  # production
        html = client.get("/").content.decode()
        urls, config = shipped_script_urls(html)
        for url in (HTTP_AD_URL, HTTP_MATOMO_URL, LOOPBACK_AD_URL):
            assert url not in html, url
            assert url not in config, url
        assert not [url for url in urls if url.startswith("http:")], urls
        assert AD_SCRIPT_URL in urls
        assert f"/_stub/tags/google/gtag/js?id={GA4_ID}" in urls

    def test_loopback_http_ships_only_where_the_test_settings_allow_it(
        self, client, home, http_tags
    ):
        # config.settings.test: DEBUG off, CONSENT_ALLOW_LOOPBACK_TAG_URLS on (the test stub).
        urls, _ = shipped_script_urls(client.get("/").content.decode())
        assert LOOPBACK_AD_URL in urls
        assert HTTP_AD_URL not in urls
        assert f"{HTTP_MATOMO_URL}matomo.js" not in urls

    def test_with_debug_on_http_tags_still_ship(self, client, home, http_tags, settings):
        # `make run`: DEBUG on, the demo's advertising tag loads from the stub over http.
        settings.DEBUG = True
        settings.CONSENT_ALLOW_LOOPBACK_TAG_URLS = False
        urls, _ = shipped_script_urls(client.get("/").content.decode())
        assert {LOOPBACK_AD_URL, HTTP_AD_URL, f"{HTTP_MATOMO_URL}matomo.js"} <= urls

    def test_google_tags_from_a_plain_http_base_are_not_shipped(
        self, client, home, ga4_and_ad_tags, settings
    ):
        settings.DEBUG = False
        settings.CONSENT_GOOGLE_TAG_BASE_URL = "http://tags.example"
        html = client.get("/").content.decode()
        assert GA4_ID not in html
        assert AD_SCRIPT_URL in shipped_script_urls(html)[0]

    def test_the_filter_costs_no_query_or_cache_read_per_page(self, client, home, http_tags):
        client.get("/")
        with CaptureQueriesContext(connection) as queries, count_cache_reads() as keys:
            html = client.get("/").content.decode()
        assert HTTP_AD_URL not in html
        assert not [q["sql"] for q in queries.captured_queries if "consent" in q["sql"].lower()]
        assert len([key for key in keys if str(key).startswith("consent:")]) <= 1, keys


def warm_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
class TestCost:
    def test_no_extra_queries_with_a_warm_cache(self, client, status_by_url):
        for url in ("/", next(u for u, s in status_by_url.items() if s == 200 and u != "/")):
            with override_settings(CONSENT_ENABLED=False):
                without_layer = warm_query_count(client, url)
            assert warm_query_count(client, url) == without_layer, url

    def test_warm_pages_query_no_consent_table(self, client, status_by_url):
        for url in status_by_url:
            tables = [sql for sql in warm_queries(client, url) if "consent" in sql.lower()]
            assert tables == [], url

    def test_at_most_one_consent_cache_read_per_request(self, client, status_by_url):
        for url in status_by_url:
            client.get(url)
            with count_cache_reads() as keys:
                client.get(url)
            assert len([key for key in keys if str(key).startswith("consent:")]) <= 1, keys

    def test_cold_cache_also_reads_once(self, client, status_by_url):
        client.get("/")
        caches["default"].clear()
        with count_cache_reads() as keys:
            client.get("/")
        assert len([key for key in keys if str(key).startswith("consent:")]) <= 1, keys

    def test_layer_adds_at_most_one_cache_read_of_any_kind(self, client, status_by_url):
        for url in status_by_url:
            with override_settings(CONSENT_ENABLED=False):
                client.get(url)
                with count_cache_reads() as without_layer:
                    client.get(url)
            client.get(url)
            with count_cache_reads() as with_layer:
                client.get(url)
            assert len(with_layer) - len(without_layer) <= 1, (url, with_layer, without_layer)


def _add_tag(tags, groups):
    ConsentTag.objects.create(
        name="Tag Manager", group=groups["analytics"], kind="gtm", tag_id="GTM-NEW1234"
    )
    return lambda html: 'data-consent-id="GTM-NEW1234"' in html


def _edit_tag(tags, groups):
    tags["ga4"].tag_id = "G-CHANGED9"
    tags["ga4"].save()
    return lambda html: "G-CHANGED9" in html and GA4_ID not in html


def _deactivate_tag(tags, groups):
    tags["script"].is_active = False
    tags["script"].save()
    return lambda html: AD_SCRIPT_URL not in html


def _delete_tag(tags, groups):
    tags["ga4"].delete()
    return lambda html: GA4_ID not in html


def _declare_cookie(tags, groups):
    old_version = groups["advertising"].version
    ConsentCookie.objects.create(
        cookiegroup=groups["advertising"],
        name="ad_id",
        provider="Ads",
        purpose="Ads",
        duration="1 year",
    )

    def shows(html):
        advertising = consent_json(html)["groups"][1]
        return (
            advertising["version"] != old_version and advertising["cookies"][0]["name"] == "ad_id"
        )

    return shows


def _edit_cookie(tags, groups):
    cookie = ConsentCookie.objects.get(name="_ga_*")
    cookie.name = "_gid"
    cookie.save()
    return lambda html: (
        [c["name"] for c in consent_json(html)["groups"][0]["cookies"]]
        == [
            "_ga",
            "_gid",
        ]
    )


def _delete_cookie(tags, groups):
    ConsentCookie.objects.get(name="_ga_*").delete()
    return lambda html: [c["name"] for c in consent_json(html)["groups"][0]["cookies"]] == ["_ga"]


def _edit_settings(tags, groups):
    from consent.models import ConsentSettings

    settings = ConsentSettings.load()
    settings.banner_title = "About our cookies"
    settings.policy_version = 9
    settings.save()
    return lambda html: "About our cookies" in html and consent_json(html)["policy"] == 9


def _rename_group(tags, groups):
    groups["advertising"].name = "Sponsors"
    groups["advertising"].save()
    return lambda html: 'for="consent-group-advertising">Sponsors</label>' in html


def _add_group(tags, groups):
    ConsentGroup.objects.create(
        varname="functional", name="Functional", purpose="functional", ordering=30
    )
    return lambda html: "functional" in [g["varname"] for g in consent_json(html)["groups"]]


def _delete_group(tags, groups):
    groups["advertising"].delete()
    return lambda html: (
        [g["varname"] for g in consent_json(html)["groups"]] == ["analytics"]
        and AD_SCRIPT_URL not in html
        and 'value="advertising"' not in html
    )


ADMIN_CHANGES = [
    _add_tag,
    _edit_tag,
    _deactivate_tag,
    _delete_tag,
    _declare_cookie,
    _edit_cookie,
    _delete_cookie,
    _edit_settings,
    _rename_group,
    _add_group,
    _delete_group,
]


@pytest.mark.django_db
class TestInvalidation:
    @pytest.mark.parametrize("change", ADMIN_CHANGES, ids=[c.__name__[1:] for c in ADMIN_CHANGES])
    def test_next_page_shows_an_admin_change(
        self, client, status_by_url, ga4_and_ad_tags, consent_groups, change
    ):
        client.get("/")
        before = client.get("/").content.decode()
        shows_change = change(ga4_and_ad_tags, consent_groups)
        assert not shows_change(before)
        assert shows_change(client.get("/").content.decode())

    def test_the_banner_follows_its_policy_page(
        self, client, status_by_url, consent_settings, plain_article
    ):
        consent_settings.cookie_policy_page = plain_article
        consent_settings.save()
        assert (
            f'<a href="{plain_article.url}">Cookie policy</a>' in client.get("/").content.decode()
        )
        # Unpublished, moved or renamed in the page tree: the next page follows it.
        plain_article.title, plain_article.slug = "Cookies explained", "cookies-explained"
        factories.approve_and_publish(plain_article, factories.ExpertProfilePageFactory())
        assert '<a href="/articles/cookies-explained/">Cookie policy</a>' in (
            client.get("/").content.decode()
        )
        plain_article.unpublish()
        html = client.get("/").content.decode()
        assert "Cookie policy</a>" not in html
        assert f'<a href="{PREFERENCES}">The cookies we use</a>' in html


HOSTILE_BANNER = (
    "<p>Hello <b>bold</b> and <i>italic</i>, see "
    '<a href="https://example.org/cookies">our policy</a>.</p>'
    "<script>alert(1)</script>"
    "<img src=x onerror=alert(1)>"
    '<a href="javascript:alert(1)">x</a>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p onclick="alert(1)">click</p>'
)


@pytest.mark.django_db
class TestBannerText:
    @pytest.fixture
    def hostile_banner(self, consent_settings):
        consent_settings.banner_text = HOSTILE_BANNER
        consent_settings.save()

    @pytest.mark.parametrize("url", ["/", "/missing/", PREFERENCES])
    def test_only_links_and_emphasis_reach_the_page(
        self, client, status_by_url, hostile_banner, url
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "onerror" not in html
        assert "onclick" not in html
        assert "javascript:" not in html
        assert "<iframe" not in html
        assert "<b>bold</b>" in html
        assert "<i>italic</i>" in html
        assert '<a href="https://example.org/cookies">our policy</a>' in html


@pytest.mark.django_db
class TestLayerSwitchedOff:
    def test_template_tags_render_nothing(self, rf, ga4_and_ad_tags):
        template = Template(
            "{% load consent_tags %}{% consent_head %}{% consent_banner %}{% consent_tags %}"
        )
        request = rf.get("/")
        with override_settings(CONSENT_ENABLED=False):
            assert template.render(Context({"request": request})).strip() == ""
        # The same template does render the layer when it is on.
        assert "consent-config" in template.render(Context({"request": request}))

    def test_page_has_no_banner_configuration_or_tags(self, client, status_by_url):
        with override_settings(CONSENT_ENABLED=False):
            html = client.get("/").content.decode()
        assert client.get("/").status_code == 200
        assert "consent-config" not in html
        assert "consent-banner" not in html
        assert "data-consent-group" not in html
        assert "consent/consent" not in html
