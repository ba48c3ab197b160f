"""The cookie groups, cookies and banner settings a privacy admin configures, and where they show.

Proves that a privacy admin adds a cookie group (its variable name fixed once saved and starting
with a letter) and a cookie with its provider, purpose and duration; edits the banner and policy
settings with their limits (cookie lifetime, a policy version that only goes up, banner text that
cannot be read is a form error, bold, italic and links are kept); and that a saved tag or banner
change reaches the next public page at once, with script typed into the banner text kept as text.
"""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consent.models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from consent.snapshot import CACHE_KEY
from tests.consent.admin_forms import (
    SETTINGS_URL,
    field_errors,
    option_value,
    post_tag_form,
    read_form,
    submit,
)
from tests.safe_text.draftail import contentstate


def settings_page(client):
    """Where the menu's "Banner and policy" link lands: the edit page of the one settings row."""
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    return response["Location"]


# --- 1. Cookie groups and cookies --------------------------------------------------------


@pytest.mark.django_db
class TestPrivacyAdminConfigures:
    def test_adds_a_functional_cookie_group(self, privacy_client):
        url = reverse("consent_groups:add")
        form = read_form(privacy_client.get(url))
        assert ("functional", "Functional") in [tuple(o) for o in form.options["purpose"]]
        response = submit(
            privacy_client,
            url,
            name="Preferences",
            varname="preferences",
            purpose="functional",
            description="Remembers your text size.",
            ordering="30",
        )
        assert response.status_code == 302
        group = ConsentGroup.objects.get(varname="preferences")
        assert (group.name, group.purpose, group.is_required) == (
            "Preferences",
            "functional",
            False,
        )
        assert "Preferences" in privacy_client.get(response["Location"]).content.decode()

    def test_renames_a_group_but_its_varname_stays(self, privacy_client, consent_groups):
        analytics = consent_groups["analytics"]
        url = reverse("consent_groups:edit", args=[analytics.pk])
        form = read_form(privacy_client.get(url))
        assert "varname" in form.disabled
        # A hand-made request that sends the disabled field anyway.
        response = privacy_client.post(
            url, {**form.data, "name": "Site statistics", "varname": "stats"}
        )
        assert response.status_code == 302
        analytics.refresh_from_db()
        assert (analytics.name, analytics.varname) == ("Site statistics", "analytics")
        assert not ConsentGroup.objects.filter(varname="stats").exists()

    def test_a_group_varname_must_start_with_a_letter(self, privacy_client):
        response = submit(
            privacy_client,
            reverse("consent_groups:add"),
            name="Policy",
            varname="_policy",
            purpose="functional",
        )
        assert response.status_code == 200
        assert field_errors(response, "varname") == ["Start the variable name with a letter."]
        assert not ConsentGroup.objects.filter(varname="_policy").exists()

    def test_adds_a_cookie_with_provider_purpose_and_duration(self, privacy_client):
        url = reverse("consent_cookies:add")
        form = read_form(privacy_client.get(url))
        response = privacy_client.post(
            url,
            {
                **form.data,
                "cookiegroup": option_value(form, "cookiegroup", "Advertising"),
                "name": "_fbp",
                "provider": "Meta",
                "purpose": "Shows adverts on other sites.",
                "duration": "3 months",
                "path": "/",
            },
        )
        assert response.status_code == 302
        cookie = ConsentCookie.objects.get(name="_fbp")
        assert (cookie.cookiegroup.varname, cookie.provider, cookie.purpose, cookie.duration) == (
            "advertising",
            "Meta",
            "Shows adverts on other sites.",
            "3 months",
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "cookie_consent", "cookie_consent is one of the site's own necessary"),
            ("name", "s*", "sessionid is one of the site's own necessary"),
            ("name", "csrftoken", "csrftoken is one of the site's own necessary"),
            ("name", "_ga; Path=/", "Enter the cookie's exact name"),
            ("path", "/; Domain=evil.example", "Enter a path starting with /"),
            ("domain", "example.com; Secure", "Enter a domain name"),
        ],
    )
    def test_a_cookie_declining_would_misuse_is_refused(
        self, privacy_client, field, value, message
    ):
        # Declining a group deletes its cookies: never the record of the choice, the session
        # or the CSRF cookie, and nothing that would write attributes into a Set-Cookie.
        url = reverse("consent_cookies:add")
        form = read_form(privacy_client.get(url))
        fields = {"name": "_fbp", "provider": "Meta", "purpose": "Ads.", "duration": "1 day"}
        response = privacy_client.post(
            url,
            {
                **form.data,
                **fields,
                "path": "/",
                "cookiegroup": option_value(form, "cookiegroup", "Advertising"),
                field: value,
            },
        )
        assert response.status_code == 200
        assert message in " ".join(field_errors(response, field))
        assert not ConsentCookie.objects.filter(cookiegroup__varname="advertising").exists()

    def test_the_necessary_group_stays_necessary(self, privacy_client, consent_groups):
        necessary = consent_groups["necessary"]
        url = reverse("consent_groups:edit", args=[necessary.pk])
        form = read_form(privacy_client.get(url))
        assert "purpose" in form.disabled
        privacy_client.post(url, {**form.data, "purpose": "analytics"})
        necessary.refresh_from_db()
        assert (necessary.purpose, necessary.is_required) == ("necessary", True)

    def test_edits_the_banner_settings(self, privacy_client):
        response = submit(
            privacy_client,
            settings_page(privacy_client),
            banner_title="Your choice about cookies",
            lifetime_days="90",
        )
        assert response.status_code == 302
        assert "Banner and policy updated." in " ".join(
            m.message for m in privacy_client.get(response["Location"]).context["messages"]
        )
        saved = ConsentSettings.objects.get()
        assert (saved.banner_title, saved.lifetime_days) == ("Your choice about cookies", 90)


# --- 2. Banner and policy settings -------------------------------------------------------


def _contentstate(text, styles=(), link=None):
    """A minimal Draftail payload, as the editor posts it."""
    entity_map = {}
    ranges = []
    if link:
        entity_map["0"] = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": link[2]}}
        ranges.append({"offset": link[0], "length": link[1], "key": 0})
    block = {
        "key": "a",
        "text": text,
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [
            {"offset": offset, "length": length, "style": style}
            for offset, length, style in styles
        ],
        "entityRanges": ranges,
    }
    return json.dumps({"blocks": [block], "entityMap": entity_map})


@pytest.mark.django_db
class TestSettings:
    def test_lifetime_defaults_to_182_days(self, privacy_client, settings_url):
        form = read_form(privacy_client.get(settings_url))
        assert form.data["lifetime_days"] == "182"
        assert ConsentSettings.objects.get().lifetime_days == 182

    @pytest.mark.parametrize(
        ("days", "message"),
        [
            ("0", "Ensure this value is greater than or equal to 1."),
            ("400", "Ensure this value is less than or equal to 395."),
        ],
    )
    def test_lifetime_out_of_range_is_refused(self, privacy_client, settings_url, days, message):
        response = submit(privacy_client, settings_url, lifetime_days=days, banner_title="Changed")
        assert response.status_code == 200
        assert field_errors(response, "lifetime_days") == [message]
        saved = ConsentSettings.objects.get()
        assert (saved.lifetime_days, saved.banner_title) == (182, "Cookies on this site")

    def test_policy_version_can_be_raised(self, privacy_client, settings_url):
        assert submit(privacy_client, settings_url, policy_version="2").status_code == 302
        assert ConsentSettings.objects.get().policy_version == 2

    def test_policy_version_cannot_be_lowered(self, privacy_client, settings_url):
        assert submit(privacy_client, settings_url, policy_version="3").status_code == 302
        response = submit(privacy_client, settings_url, policy_version="2")
        assert response.status_code == 200
        assert field_errors(response, "policy_version") == [
            "The policy version can only go up (it is 3)."
        ]
        assert ConsentSettings.objects.get().policy_version == 3

    @pytest.mark.parametrize(
        "payload",
        ["not json", "[]", '{"blocks": "x"}', '{"blocks": [{"text": 5}]}', "5"],
        ids=["not-json", "list", "blocks-string", "text-number", "number"],
    )
    def test_malformed_banner_text_is_a_form_error(self, privacy_client, settings_url, payload):
        before = ConsentSettings.objects.get().banner_text
        response = submit(
            privacy_client, settings_url, banner_text=payload, banner_title="Changed"
        )
        assert response.status_code == 200
        assert field_errors(response, "banner_text")
        saved = ConsentSettings.objects.get()
        assert (saved.banner_title, saved.banner_text) == ("Cookies on this site", before)

    @pytest.mark.parametrize(
        "payload",
        ["not json", "[]", '{"blocks": "x"}', '{"blocks": [{"text": 5}]}', "5"],
        ids=["not-json", "list", "blocks-string", "text-number", "number"],
    )
    def test_malformed_banner_text_message_says_what_happened(
        self, privacy_client, settings_url, payload
    ):
        # Not "Null characters are not allowed.": the admin never typed one.
        response = submit(privacy_client, settings_url, banner_text=payload)
        assert field_errors(response, "banner_text") == [
            "The banner text could not be read. Type it again and save."
        ]

    @pytest.mark.parametrize("page_id", ["abc", "", "0", "99999999999999999999"])
    def test_a_banner_link_to_a_made_up_page_is_refused(
        self, privacy_client, settings_url, page_id
    ):
        before = ConsentSettings.objects.get().banner_text
        payload = contentstate("our policy", {"url": "/x/", "id": page_id})
        response = submit(privacy_client, settings_url, banner_text=payload)
        assert response.status_code == 200
        assert field_errors(response, "banner_text") == [
            "This link points to a page that does not exist; choose the page again."
        ]
        assert ConsentSettings.objects.get().banner_text == before

    def test_bold_italic_and_link_are_saved(self, privacy_client, settings_url):
        text = "Hello, read our policy."
        payload = _contentstate(
            text, styles=[(0, 5, "BOLD"), (7, 4, "ITALIC")], link=(16, 6, "https://example.org/")
        )
        response = submit(privacy_client, settings_url, banner_text=payload)
        assert response.status_code == 302
        stored = ConsentSettings.objects.get().banner_text
        assert stored == (
            '<p data-block-key="a"><b>Hello</b>, <i>read</i> our '
            '<a href="https://example.org/">policy</a>.</p>'
        )

    def test_the_minimal_bold_payload_is_saved(self, privacy_client, settings_url):
        payload = _contentstate("Hello", styles=[(0, 5, "BOLD")])
        assert submit(privacy_client, settings_url, banner_text=payload).status_code == 302
        assert "<b>Hello</b>" in ConsentSettings.objects.get().banner_text


# --- 3. Admin changes reach the next public page -----------------------------------------


@pytest.mark.django_db
class TestChangesReachPublicPages:
    def test_a_saved_tag_appears_and_a_deactivated_one_goes(self, privacy_client, home):
        reader = Client()
        assert "G-LIVE1234" not in reader.get("/").content.decode()
        assert cache.get(CACHE_KEY) is not None  # the configuration is cached now

        assert post_tag_form(privacy_client, kind="ga4", tag_id="G-LIVE1234").status_code == 302
        template = (
            '<template data-consent-group="analytics" data-consent-kind="ga4" '
            'data-consent-id="G-LIVE1234">'
        )
        assert template in reader.get("/").content.decode()

        tag = ConsentTag.objects.get()
        edit_url = reverse("consent_tags:edit", args=[tag.pk])
        assert submit(privacy_client, edit_url, is_active=None).status_code == 302
        assert "G-LIVE1234" not in reader.get("/").content.decode()

    def test_saved_banner_settings_appear_on_the_next_page(self, privacy_client, home):
        reader = Client()
        assert "Your choice about cookies" not in reader.get("/").content.decode()
        response = submit(
            privacy_client,
            settings_page(privacy_client),
            banner_title="Your choice about cookies",
            policy_version="2",
        )
        assert response.status_code == 302
        page = reader.get("/").content.decode()
        assert "Your choice about cookies" in page
        config = re.search(
            r'<script id="consent-config" type="application/json">(.*?)</script>', page, re.S
        )
        assert json.loads(config.group(1))["policy"] == 2

    def test_script_typed_into_the_banner_text_stays_text(self, privacy_client, home):
        payload = _contentstate("<script>alert(1)</script> Hi", styles=[(26, 2, "BOLD")])
        response = submit(privacy_client, settings_page(privacy_client), banner_text=payload)
        assert response.status_code == 302
        page = Client().get("/").content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt; <b>Hi</b>" in page
        assert "<script>alert(1)" not in page
