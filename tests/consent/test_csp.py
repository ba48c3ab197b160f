"""The Content-Security-Policy follows the tags privacy admins configure.

The site's own policy allows only the site; each active tag adds the hosts it loads from and
sends to (GA4 and Tag Manager: Google's documented hosts; Matomo: its tracker; a script: its
host; custom HTML: its scripts' hosts and its inline scripts' hashes; any kind: the hosts
declared with it). Removing or switching off the tag removes them. No nonce, so the header is
the same bytes on every response, as the page is. What a browser makes of it (the tags run,
an injected script does not) is tests/browser/test_consent_csp.py.
"""

import pytest
from django.urls import reverse

from consent.csp import script_hash, tag_sources
from consent.models import ConsentTag
from tests.consent.admin_forms import field_errors, post_tag_form

GOOGLE_HITS = {
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://*.googletagmanager.com",
}


def policy(client, url="/") -> dict[str, set[str]]:
    header = client.get(url)["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";"))
    return {name: set(sources) for name, *sources in directives}


class TestScriptHash:
    def test_is_the_hash_browsers_compute(self):
        # The example of the CSP specification's and MDN's pages on hash sources.
        assert (
            script_hash("alert('Hello, world.');")
            == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        )

    def test_line_breaks_posted_by_a_form_are_read_as_the_browser_reads_them(self):
        assert script_hash("a();\r\nb();\rc();") == script_hash("a();\nb();\nc();")


class TestTagSources:
    def test_custom_html_allows_its_script_hosts_and_its_inline_scripts_only(self):
        html = (
            '<script src="https://widgets.example/w.js?x=1"></script>'
            "<script>alert('Hello, world.');</script><script>  </script>"
            '<img src="https://pixel.example/p.gif">'
        )
        needs = tag_sources("html", html=html)
        assert set(needs["script-src"]) == {
            "https://widgets.example",
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='",
        }
        # An image host is not guessed: it is declared with the tag.
        assert needs["img-src"] == []

    def test_a_vendor_snippets_own_onload_is_allowed_by_its_hash_and_no_other_handler(self):
        html = '<script src="https://widgets.example/w.js" onload="window.ready = true"></script>'
        script_src = tag_sources("html", html=html)["script-src"]
        assert set(script_src) == {
            "https://widgets.example",
            "'unsafe-hashes'",
            script_hash("window.ready = true"),
        }

    def test_without_handlers_no_unsafe_hashes(self):
        assert (
            "'unsafe-hashes'" not in tag_sources("html", html="<script>a()</script>")["script-src"]
        )

    def test_a_script_on_the_site_itself_adds_nothing(self):
        assert tag_sources("script", src="/_stub/tags/ads.js")["script-src"] == []

    def test_declared_hosts_are_allowed_for_scripts_hits_images_and_frames(self):
        needs = tag_sources("script", src="https://ads.example/t.js", hosts=["https://*.ads.net"])
        assert needs == {
            "script-src": ["https://ads.example", "https://*.ads.net"],
            "connect-src": ["https://*.ads.net"],
            "img-src": ["https://*.ads.net"],
            "frame-src": ["https://*.ads.net"],
        }


BASE = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "frame-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'self'"},
}


@pytest.mark.django_db
class TestThePagesPolicy:
    def test_without_tags_only_the_site_itself(self, client, home, consent_groups):
        assert policy(client) == BASE

    def test_a_ga4_tag_allows_googles_hosts_and_removing_it_removes_them(
        self, client, home, consent_groups, settings
    ):
        settings.CONSENT_GOOGLE_TAG_BASE_URL = "https://www.googletagmanager.com"
        tag = ConsentTag.objects.create(
            name="GA4", group=consent_groups["analytics"], kind="ga4", tag_id="G-ABC123"
        )
        with_tag = policy(client)
        assert with_tag["script-src"] == {
            "'self'",
            "https://www.googletagmanager.com",
            "https://*.googletagmanager.com",
        }
        assert with_tag["connect-src"] == {"'self'", *GOOGLE_HITS}
        assert with_tag["img-src"] == {"'self'", "data:", *GOOGLE_HITS}
        tag.delete()
        assert policy(client) == BASE

    def test_a_switched_off_tag_allows_nothing(self, client, home, consent_groups):
        tag = ConsentTag.objects.create(
            name="Stats",
            group=consent_groups["analytics"],
            kind="matomo",
            url="https://stats.example/",
            matomo_site_id=3,
        )
        assert policy(client)["connect-src"] == {"'self'", "https://stats.example"}
        assert policy(client)["script-src"] == {"'self'", "https://stats.example"}
        tag.is_active = False
        tag.save()
        assert policy(client) == BASE

    def test_a_custom_html_tags_inline_script_is_allowed_by_its_hash(self, client, home, html_tag):
        assert policy(client)["script-src"] == {"'self'", script_hash("survey()")}

    def test_no_inline_script_and_no_nonce_are_ever_allowed(
        self, client, home, ga4_and_ad_tags, html_tag
    ):
        first = client.get("/")["Content-Security-Policy"]
        assert client.get("/")["Content-Security-Policy"] == first
        assert "unsafe-inline" not in first
        assert "nonce-" not in first
        assert "unsafe-eval" not in first

    def test_every_public_page_carries_it(self, client, public_urls, consent_groups):
        for url in public_urls:
            assert policy(client, url)["object-src"] == {"'none'"}, url

    def test_the_preference_centre_carries_it(self, client, home, consent_groups):
        assert policy(client, reverse("consent:preferences"))["script-src"] == {"'self'"}

    def test_the_admin_carries_none(self, editor_client, home):
        # Wagtail's admin uses inline scripts and styles.
        assert "Content-Security-Policy" not in editor_client.get("/admin/")


@pytest.mark.django_db
class TestDeclaringHosts:
    def test_a_privacy_admin_declares_the_hosts_an_ad_script_uses(
        self, client, home, privacy_client
    ):
        response = post_tag_form(
            privacy_client,
            kind="script",
            url="https://ads.example/tag.js",
            group="Advertising",
            csp_hosts="https://frames.ads.example, https://*.adpixel.example:8443/",
        )
        assert response.status_code == 302
        assert policy(client)["frame-src"] == {
            "'self'",
            "https://frames.ads.example",
            "https://*.adpixel.example:8443",
        }

    @pytest.mark.parametrize(
        "hosts",
        [
            "https://ads.example/path",
            "http://ads.example",
            "ads.example",
            "https://*",
            "https://ads.example 'unsafe-inline'",
            "javascript:alert(1)",
            "https://ads.example;script-src *",
        ],
    )
    def test_anything_but_a_host_is_refused(self, privacy_client, hosts):
        response = post_tag_form(
            privacy_client,
            kind="script",
            url="https://ads.example/tag.js",
            group="Advertising",
            csp_hosts=hosts,
        )
        assert response.status_code == 200
        assert "Enter hosts such as https://ads.example" in " ".join(
            field_errors(response, "csp_hosts")
        )
        assert not ConsentTag.objects.exists()
