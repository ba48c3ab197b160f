"""The tags a privacy admin adds in the Wagtail admin, and the ones the admin refuses.

Proves that a tag of each kind (GA4, Tag Manager, Matomo, script) can be added, and only to an
optional group; that malformed measurement and container IDs, missing fields and non-https script
or Matomo URLs are refused with a message under the field and nothing saved (loopback http only
while the test settings allow it); and that custom HTML tags need their own permission: a privacy
admin can neither add, change nor smuggle one in, a trusted user or a superuser can; nor can a
privacy admin decide whether one runs: not by switching it on or off, deleting or copying it,
nor by deleting its group or changing the group's purpose, while other tags stay theirs to
manage.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from consent.models import ConsentGroup, ConsentTag
from consent.permissions import CUSTOM_HTML_ONLY, GROUP_WITH_CUSTOM_HTML
from tests.consent.admin_forms import (
    field_errors,
    page_errors,
    post_tag_form,
    read_form,
    submit,
)
from tests.people import client_for

# --- 1. Adding tags ----------------------------------------------------------------------


@pytest.mark.django_db
class TestAddingTags:
    def test_tags_go_in_optional_groups_only(self, privacy_client):
        form = read_form(privacy_client.get(reverse("consent_tags:add")))
        assert [label for _, label in form.options["group"] if label != "---------"] == [
            "Analytics",
            "Advertising",
        ]

    @pytest.mark.parametrize(
        ("fields", "saved"),
        [
            ({"kind": "ga4", "tag_id": "G-AB12CD34EF"}, {"tag_id": "G-AB12CD34EF"}),
            ({"kind": "gtm", "tag_id": "GTM-AB12CD3"}, {"tag_id": "GTM-AB12CD3"}),
            (
                {"kind": "matomo", "url": "https://stats.example/", "matomo_site_id": "3"},
                {"url": "https://stats.example/", "matomo_site_id": 3},
            ),
            (
                {"kind": "script", "url": "https://ads.example/tag.js", "group": "Advertising"},
                {"url": "https://ads.example/tag.js"},
            ),
        ],
        ids=["ga4", "gtm", "matomo", "script"],
    )
    def test_adds_a_tag_of_each_kind(self, privacy_client, fields, saved):
        response = post_tag_form(privacy_client, **fields)
        assert response.status_code == 302, page_errors(response)
        tag = ConsentTag.objects.get()
        assert tag.kind == fields["kind"]
        assert tag.is_active
        for name, value in saved.items():
            assert getattr(tag, name) == value


# --- 2. Tag validation -------------------------------------------------------------------


@pytest.mark.django_db
class TestTagValidation:
    @pytest.mark.parametrize("tag_id", ["UA-12345", "G-", "g-abc123", "G-ABC 123", "<script>"])
    def test_malformed_ga4_id_is_refused(self, privacy_client, tag_id):
        response = post_tag_form(privacy_client, kind="ga4", tag_id=tag_id)
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == [
            "Enter a GA4 measurement ID such as G-AB12CD34EF."
        ]
        assert not ConsentTag.objects.exists()

    @pytest.mark.parametrize("tag_id", ["GTM-", "gtm-ab12cd3", "G-AB12CD3", "GTM-AB 12CD3"])
    def test_malformed_gtm_id_is_refused(self, privacy_client, tag_id):
        response = post_tag_form(privacy_client, kind="gtm", tag_id=tag_id)
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == [
            "Enter a Tag Manager container ID such as GTM-AB12CD3."
        ]
        assert not ConsentTag.objects.exists()

    def test_matomo_over_http_on_a_public_host_is_refused(self, privacy_client):
        response = post_tag_form(
            privacy_client, kind="matomo", url="http://stats.example/", matomo_site_id="1"
        )
        assert response.status_code == 200
        assert any("https://" in error for error in field_errors(response, "url"))
        assert not ConsentTag.objects.exists()

    def test_script_over_http_is_refused_with_a_message_about_https(self, privacy_client):
        response = post_tag_form(privacy_client, kind="script", url="http://ads.example/tag.js")
        assert response.status_code == 200
        assert field_errors(response, "url") == [
            "Script URLs must start with https:// (the page is served over https)."
        ]
        assert "The tag could not be created due to errors." in page_errors(response)
        assert not ConsentTag.objects.exists()

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "ftp://ads.example/tag.js",
            "https://user:password@ads.example/tag.js",
            "data:text/javascript,alert(1)",
        ],
    )
    def test_other_script_urls_are_refused(self, privacy_client, url):
        response = post_tag_form(privacy_client, kind="script", url=url)
        assert response.status_code == 200
        assert field_errors(response, "url"), url
        assert not ConsentTag.objects.exists()

    @pytest.mark.parametrize("url", ["//ads.example/tag.js", "ads.example/tag.js"])
    def test_a_url_without_scheme_is_saved_as_https(self, privacy_client, url):
        response = post_tag_form(privacy_client, kind="script", url=url)
        assert response.status_code == 302
        assert ConsentTag.objects.get().url == "https://ads.example/tag.js"

    @pytest.mark.parametrize(
        ("kind", "url"),
        [
            ("script", "http://127.0.0.1:8000/_stub/ads.js"),
            ("script", "http://localhost:8000/_stub/ads.js"),
            ("matomo", "http://localhost:8000/_stub/matomo/"),
        ],
    )
    def test_loopback_http_is_allowed_under_test(self, privacy_client, kind, url):
        response = post_tag_form(privacy_client, kind=kind, url=url, matomo_site_id="1")
        assert response.status_code == 302, field_errors(response, "url")
        assert ConsentTag.objects.get().url == url

    @pytest.mark.parametrize(
        ("kind", "url"),
        [
            ("script", "http://127.0.0.1:8000/_stub/ads.js"),
            ("script", "http://localhost:8000/_stub/ads.js"),
            ("matomo", "http://localhost:8000/_stub/matomo/"),
        ],
    )
    def test_loopback_http_is_refused_in_production(self, privacy_client, kind, url):
        with override_settings(CONSENT_ALLOW_LOOPBACK_TAG_URLS=False, DEBUG=False):
            response = post_tag_form(privacy_client, kind=kind, url=url, matomo_site_id="1")
        assert response.status_code == 200
        assert any("https://" in error for error in field_errors(response, "url"))
        assert not ConsentTag.objects.exists()

    def test_ga4_needs_its_measurement_id(self, privacy_client):
        response = post_tag_form(privacy_client, kind="ga4", tag_id="")
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()

    def test_matomo_needs_its_site_id(self, privacy_client):
        response = post_tag_form(privacy_client, kind="matomo", url="https://stats.example/")
        assert response.status_code == 200
        assert field_errors(response, "matomo_site_id") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()

    def test_matomo_needs_its_url(self, privacy_client):
        response = post_tag_form(privacy_client, kind="matomo", matomo_site_id="1")
        assert response.status_code == 200
        assert field_errors(response, "url") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()


# --- 3. Custom HTML needs its own permission ---------------------------------------------


@pytest.mark.django_db
class TestCustomHtml:
    def test_privacy_admin_is_not_offered_custom_html(self, privacy_client):
        form = read_form(privacy_client.get(reverse("consent_tags:add")))
        assert [value for value, _ in form.options["kind"] if value] == [
            "ga4",
            "gtm",
            "matomo",
            "script",
        ]
        assert "html" in form.disabled

    def test_privacy_admin_cannot_post_a_custom_html_tag(self, privacy_client):
        response = post_tag_form(privacy_client, kind="html", html="<script>evil()</script>")
        assert response.status_code == 200
        assert field_errors(response, "kind") == [
            "Select a valid choice. html is not one of the available choices."
        ]
        assert not ConsentTag.objects.exists()

    def test_privacy_admin_cannot_smuggle_html_into_another_kind(self, privacy_client):
        response = post_tag_form(
            privacy_client,
            kind="script",
            url="https://ads.example/tag.js",
            html="<script>evil()</script>",
        )
        assert response.status_code == 302
        assert ConsentTag.objects.get().html == ""

    def test_privacy_admin_cannot_change_a_custom_html_tag(self, privacy_client, html_tag):
        url = reverse("consent_tags:edit", args=[html_tag.pk])
        form = read_form(privacy_client.get(url))
        assert {"name", "group", "kind", "html"} <= form.disabled
        # Disabled fields are ignored whatever the browser sends.
        privacy_client.post(
            url,
            {**form.data, "name": "Renamed", "kind": "script", "html": "<script>evil()</script>"},
        )
        html_tag.refresh_from_db()
        assert (html_tag.name, html_tag.kind, html_tag.html) == (
            "Survey widget",
            "html",
            "<script>survey()</script>",
        )

    def test_html_that_would_close_its_template_is_refused(self, html_author):
        response = post_tag_form(
            client_for(html_author), kind="html", html="<p>Hi</p></TEMPLATE><img src=x>"
        )
        assert response.status_code == 200
        assert "Remove the </template> tag" in " ".join(field_errors(response, "html"))
        assert not ConsentTag.objects.exists()

    def test_html_that_would_close_its_template_is_never_shipped(self, client, home, html_tag):
        # Written outside the admin (shell, import): the page still never carries it.
        ConsentTag.objects.filter(pk=html_tag.pk).update(html="</template><img src=x>")
        html = client.get("/").content.decode()
        assert "<img src=x>" not in html
        assert 'data-consent-kind="html"' not in html

    def test_a_user_with_the_permission_adds_one(self, html_author):
        client = client_for(html_author)
        form = read_form(client.get(reverse("consent_tags:add")))
        assert "html" in [value for value, _ in form.options["kind"]]
        assert "html" not in form.disabled
        response = post_tag_form(client, kind="html", html="<script>survey()</script>")
        assert response.status_code == 302, page_errors(response)
        assert ConsentTag.objects.get().html == "<script>survey()</script>"

    def test_a_user_with_the_permission_changes_one(self, html_author, html_tag):
        response = submit(
            client_for(html_author),
            reverse("consent_tags:edit", args=[html_tag.pk]),
            html="<script>survey(2)</script>",
        )
        assert response.status_code == 302
        html_tag.refresh_from_db()
        assert html_tag.html == "<script>survey(2)</script>"

    def test_a_superuser_adds_one(self, superuser_client):
        response = post_tag_form(superuser_client, kind="html", html="<div>Hello</div>")
        assert response.status_code == 302, page_errors(response)
        assert ConsentTag.objects.get().html == "<div>Hello</div>"


# --- 4. Whether custom HTML runs is decided by those allowed to write it -------------------


def _html_tag_state(tag):
    tag.refresh_from_db()
    return (tag.name, tag.is_active, tag.ordering, tag.html)


@pytest.mark.django_db
class TestSwitchingCustomHtml:
    @pytest.mark.parametrize("active", [True, False], ids=["switch-off", "switch-on"])
    def test_privacy_admin_cannot_switch_a_custom_html_tag(self, privacy_client, html_tag, active):
        ConsentTag.objects.filter(pk=html_tag.pk).update(is_active=active)
        url = reverse("consent_tags:edit", args=[html_tag.pk])
        form = read_form(privacy_client.get(url))
        # What a hand-made POST would send: the box flipped, whatever the page showed.
        response = privacy_client.post(
            url, {**form.data, "is_active": "" if active else "on", "ordering": "5"}
        )
        assert _html_tag_state(html_tag) == (
            "Survey widget",
            active,
            0,
            "<script>survey()</script>",
        )
        assert response.status_code == 200
        assert CUSTOM_HTML_ONLY in page_errors(response)
        assert {"is_active", "ordering"} <= form.disabled

    def test_privacy_admin_cannot_delete_a_custom_html_tag(self, privacy_client, html_tag):
        delete_url = reverse("consent_tags:delete", args=[html_tag.pk])
        for response in (privacy_client.get(delete_url), privacy_client.post(delete_url)):
            assert response.status_code == 403
            assert CUSTOM_HTML_ONLY in response.content.decode()
        assert ConsentTag.objects.filter(pk=html_tag.pk).exists()

    def test_privacy_admin_cannot_copy_a_custom_html_tag(self, privacy_client, html_tag):
        copy_url = reverse("consent_tags:copy", args=[html_tag.pk])
        # Straight to the copy URL, which would save the form onto the original.
        posted = privacy_client.post(copy_url, {"is_active": "", "ordering": "5"})
        assert list(ConsentTag.objects.values_list("pk", flat=True)) == [html_tag.pk]
        assert _html_tag_state(html_tag) == ("Survey widget", True, 0, "<script>survey()</script>")
        for response in (posted, privacy_client.get(copy_url)):
            assert response.status_code == 403
            assert CUSTOM_HTML_ONLY in response.content.decode()

    def test_no_button_leads_to_deleting_or_copying_a_custom_html_tag(
        self, privacy_client, html_tag, ga4_tag
    ):
        listing = privacy_client.get(reverse("consent_tags:index")).content.decode()
        edit_pages = {
            tag: privacy_client.get(reverse("consent_tags:edit", args=[tag.pk])).content.decode()
            for tag in (html_tag, ga4_tag)
        }
        for view in ("delete", "copy"):
            assert reverse(f"consent_tags:{view}", args=[html_tag.pk]) not in listing
            assert reverse(f"consent_tags:{view}", args=[html_tag.pk]) not in edit_pages[html_tag]
            assert reverse(f"consent_tags:{view}", args=[ga4_tag.pk]) in listing
            assert reverse(f"consent_tags:{view}", args=[ga4_tag.pk]) in edit_pages[ga4_tag]
        # No bulk actions (a select-all box and an action bar) to reach it another way.
        assert "data-bulk-action" not in listing

    def test_privacy_admin_cannot_delete_the_group_of_a_custom_html_tag(
        self, privacy_client, html_tag, consent_groups
    ):
        delete_url = reverse("consent_groups:delete", args=[consent_groups["analytics"].pk])
        for response in (privacy_client.get(delete_url), privacy_client.post(delete_url)):
            assert response.status_code == 403
            assert GROUP_WITH_CUSTOM_HTML in response.content.decode()
        assert ConsentTag.objects.filter(pk=html_tag.pk).exists()
        listing = privacy_client.get(reverse("consent_groups:index")).content.decode()
        assert delete_url not in listing
        assert reverse("consent_groups:delete", args=[consent_groups["advertising"].pk]) in listing

    @pytest.mark.parametrize("purpose", ["necessary", "advertising"])
    def test_privacy_admin_cannot_change_the_purpose_of_its_group(
        self, privacy_client, html_tag, consent_groups, purpose
    ):
        # A necessary group's tags never ship; an advertising one's skip sensitive pages.
        analytics = consent_groups["analytics"]
        url = reverse("consent_groups:edit", args=[analytics.pk])
        form = read_form(privacy_client.get(url))
        response = privacy_client.post(url, {**form.data, "purpose": purpose})
        analytics.refresh_from_db()
        assert (analytics.purpose, analytics.is_required) == ("analytics", False)
        assert response.status_code == 302
        assert "purpose" in form.disabled
        assert GROUP_WITH_CUSTOM_HTML in privacy_client.get(url).content.decode()

    def test_privacy_admin_still_manages_the_other_tags(
        self, privacy_client, html_tag, ga4_tag, consent_groups
    ):
        edit_url = reverse("consent_tags:edit", args=[ga4_tag.pk])
        assert submit(privacy_client, edit_url, is_active=None).status_code == 302
        assert submit(privacy_client, edit_url, is_active="on").status_code == 302
        copy_url = reverse("consent_tags:copy", args=[ga4_tag.pk])
        copy_page = privacy_client.get(copy_url)
        copy = read_form(copy_page)
        assert f'action="{reverse("consent_tags:add")}"' in copy_page.content.decode()
        response = privacy_client.post(reverse("consent_tags:add"), {**copy.data, "name": "Copy"})
        assert response.status_code == 302, page_errors(response)
        # Posted to the copy URL itself, the form would have been saved onto the original.
        assert privacy_client.post(copy_url, {**copy.data, "name": "X"}).status_code == 405
        ga4_tag.refresh_from_db()
        assert ga4_tag.name == "Google Analytics"
        delete_url = reverse("consent_tags:delete", args=[ga4_tag.pk])
        assert privacy_client.post(delete_url).status_code == 302
        assert sorted(ConsentTag.objects.values_list("name", flat=True)) == [
            "Copy",
            "Survey widget",
        ]
        # The group of no custom HTML tag stays theirs to re-purpose or delete.
        advertising = consent_groups["advertising"]
        url = reverse("consent_groups:edit", args=[advertising.pk])
        assert submit(privacy_client, url, purpose="functional").status_code == 302
        delete_url = reverse("consent_groups:delete", args=[advertising.pk])
        assert privacy_client.post(delete_url).status_code == 302
        assert not ConsentGroup.objects.filter(pk=advertising.pk).exists()

    def test_a_user_with_the_permission_switches_copies_and_deletes_one(
        self, html_author, html_tag, consent_groups
    ):
        client = client_for(html_author)
        edit_url = reverse("consent_tags:edit", args=[html_tag.pk])
        response = submit(client, edit_url, is_active=None)
        assert response.status_code == 302, page_errors(response)
        assert _html_tag_state(html_tag)[1] is False
        assert submit(client, edit_url, is_active="on").status_code == 302
        assert _html_tag_state(html_tag)[1] is True
        assert client.get(reverse("consent_tags:copy", args=[html_tag.pk])).status_code == 200
        analytics = consent_groups["analytics"]
        response = submit(
            client, reverse("consent_groups:edit", args=[analytics.pk]), purpose="functional"
        )
        assert response.status_code == 302, page_errors(response)
        assert client.post(reverse("consent_tags:delete", args=[html_tag.pk])).status_code == 302
        assert not ConsentTag.objects.exists()
