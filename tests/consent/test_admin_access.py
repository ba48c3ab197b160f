"""Who reaches the consent admin, and that nobody else changes anything through it.

Proves the data migrations (the three default groups, their declared cookies, the "Privacy
admins" group and exactly the permissions it holds), the "Cookie consent" menu (shown to privacy
admins and superusers, absent for editors), that privacy admins and superusers open every consent
page while editors get a 403 page and anonymous users the login page, and that an editor posting
complete, valid forms changes nothing.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from consent.models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from tests.consent.admin_forms import SETTINGS_URL, VIEWSETS, read_form

MENU_LABELS = ["Cookie groups", "Cookies", "Tags", "Consent records", "Banner and policy"]
PRIVACY_ADMIN_CODENAMES = {
    f"{action}_{model}"
    for model in ("consentgroup", "consentcookie", "consenttag")
    for action in ("add", "change", "delete", "view")
} | {"change_consentsettings"}


# --- Reading the admin's menu ------------------------------------------------------------


def sidebar_menu(response):
    """The admin's main menu as Wagtail ships it to the sidebar (JSON in a script element)."""
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no sidebar on the page"
    props = json.loads(match.group(1))
    main = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    return main["_args"][0]


def menu_entries(items):
    """(label, url, children) of each top-level entry; children likewise."""
    entries = []
    for item in items:
        info = item["_args"][0]
        children = item["_args"][1] if item["_type"] == "wagtail.sidebar.SubMenuItem" else []
        entries.append((info["label"], info.get("url"), menu_entries(children)))
    return entries


def all_menu_urls(entries):
    urls = set()
    for _label, url, children in entries:
        if url:
            urls.add(url)
        urls |= all_menu_urls(children)
    return urls


# --- 1. Data migrations ------------------------------------------------------------------


@pytest.mark.django_db
class TestDataMigrations:
    def test_the_three_groups_exist_with_their_purposes(self):
        groups = {g.varname: g for g in ConsentGroup.objects.all()}
        assert set(groups) == {"necessary", "analytics", "advertising"}
        assert {name: g.purpose for name, g in groups.items()} == {
            "necessary": "necessary",
            "analytics": "analytics",
            "advertising": "advertising",
        }
        assert [name for name, g in groups.items() if g.is_required] == ["necessary"]

    def test_the_declared_cookies_are_in_their_groups(self):
        declared = {
            varname: set(
                ConsentCookie.objects.filter(cookiegroup__varname=varname).values_list(
                    "name", flat=True
                )
            )
            for varname in ("necessary", "analytics", "advertising")
        }
        assert declared == {
            "necessary": {"cookie_consent", "consent_id", "csrftoken", "sessionid"},
            "analytics": {"_ga", "_ga_*"},
            "advertising": set(),
        }
        for cookie in ConsentCookie.objects.all():
            assert cookie.provider and cookie.purpose and cookie.duration, cookie.name

    def test_privacy_admins_hold_the_consent_permissions_and_admin_access_only(self):
        group = Group.objects.get(name="Privacy admins")
        held = set(group.permissions.values_list("content_type__app_label", "codename"))
        consent = {codename for app, codename in held if app == "consent"}
        assert consent == PRIVACY_ADMIN_CODENAMES
        assert "manage_custom_html_tags" not in consent
        assert ("wagtailadmin", "access_admin") in held
        # Wagtail's own later migrations give every admin group the image and document
        # choosers (read-only); nothing else outside the consent app.
        others = {
            (app, codename)
            for app, codename in held
            if app != "consent" and not codename.startswith("choose_")
        }
        assert others == {("wagtailadmin", "access_admin")}

    def test_a_privacy_admin_has_no_custom_html_permission(self, privacy_admin):
        assert privacy_admin.has_perm("consent.change_consenttag")
        assert privacy_admin.has_perm("wagtailadmin.access_admin")
        assert not privacy_admin.has_perm("consent.manage_custom_html_tags")


# --- 2. The "Cookie consent" menu --------------------------------------------------------


@pytest.mark.django_db
class TestMenu:
    def _consent_menu(self, client):
        entries = menu_entries(sidebar_menu(client.get(reverse("wagtailadmin_home"))))
        return next((e for e in entries if e[0] == "Cookie consent"), None)

    def test_privacy_admin_sees_the_cookie_consent_menu(self, privacy_client):
        menu = self._consent_menu(privacy_client)
        assert menu is not None
        assert [(label, url) for label, url, _ in menu[2]] == [
            ("Cookie groups", reverse("consent_groups:index")),
            ("Cookies", reverse("consent_cookies:index")),
            ("Tags", reverse("consent_tags:index")),
            ("Consent records", reverse("consent_records:index")),
            ("Banner and policy", SETTINGS_URL),
        ]

    def test_banner_and_policy_is_listed_once_in_the_whole_menu(self, superuser_client):
        # Registering a Wagtail setting also lists it under Settings; it lives here only.
        entries = menu_entries(sidebar_menu(superuser_client.get(reverse("wagtailadmin_home"))))

        def count(items):
            return sum((url == SETTINGS_URL) + count(children) for _, url, children in items)

        assert count(entries) == 1

    def test_every_entry_of_the_menu_opens_for_a_privacy_admin(self, privacy_client):
        for _label, url, _ in self._consent_menu(privacy_client)[2]:
            response = privacy_client.get(url, follow=True)
            assert response.status_code == 200, url
            assert response.request["PATH_INFO"].startswith(url), response.redirect_chain

    def test_superuser_sees_the_cookie_consent_menu(self, superuser_client):
        menu = self._consent_menu(superuser_client)
        assert menu is not None
        assert [label for label, _, _ in menu[2]] == MENU_LABELS

    def test_editor_sees_no_consent_entry_anywhere_in_the_menu(self, editor_client):
        response = editor_client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        entries = menu_entries(sidebar_menu(response))
        assert entries, "the editor should still have a menu"
        assert "Cookie consent" not in [label for label, _, _ in entries]
        consent_urls = {reverse(f"{viewset}:index") for viewset in VIEWSETS} | {SETTINGS_URL}
        assert not all_menu_urls(entries) & consent_urls
        page = response.content.decode()
        for url in consent_urls:
            assert url not in page, url

    def test_privacy_admin_sees_the_default_groups_listed(self, privacy_client):
        page = privacy_client.get(reverse("consent_groups:index")).content.decode()
        for name in ("Strictly necessary", "Analytics", "Advertising"):
            assert name in page


# --- 3. Who may open what ----------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    def test_privacy_admin_opens_every_consent_page(self, privacy_client, consent_admin_urls):
        for url in consent_admin_urls:
            assert privacy_client.get(url).status_code == 200, url

    def test_superuser_opens_every_consent_page(self, superuser_client, consent_admin_urls):
        for url in consent_admin_urls:
            assert superuser_client.get(url).status_code == 200, url

    def test_anonymous_user_is_sent_to_the_login_page(self, client, consent_admin_urls):
        for url in [*consent_admin_urls, SETTINGS_URL]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"{reverse('wagtailadmin_login')}?next={url}"

    def test_editor_gets_a_403_page(self, editor_client, consent_admin_urls):
        for url in [*consent_admin_urls, SETTINGS_URL]:
            response = editor_client.get(url)
            # Wagtail alone would redirect to the dashboard; the issue asks for a 403.
            assert response.status_code == 403, url
            page = response.content.decode()
            assert "Only privacy admins can see or change the cookie consent set-up." in page
            assert 'id="w-editor-form"' not in page, url
            assert "G-ABC123" not in page, url

    def test_editor_cannot_change_anything_by_posting(
        self, editor_client, privacy_client, consent_groups, ga4_tag, settings_url
    ):
        analytics = consent_groups["analytics"]
        changes = {
            reverse("consent_tags:add"): {
                "name": "Sneaky",
                "group": str(analytics.pk),
                "kind": "ga4",
                "tag_id": "G-SNEAKY1",
            },
            reverse("consent_tags:edit", args=[ga4_tag.pk]): {
                "name": "Renamed",
                "tag_id": "G-SNEAKY1",
            },
            reverse("consent_groups:edit", args=[analytics.pk]): {
                "name": "Renamed",
                "purpose": "necessary",
            },
            settings_url: {"banner_title": "Hacked", "lifetime_days": "1", "policy_version": "9"},
        }
        for url, fields in changes.items():
            # Complete, valid forms (read as a privacy admin sees them), sent by the editor.
            data = {**read_form(privacy_client.get(url)).data, **fields}
            assert editor_client.post(url, data).status_code == 403, url
        assert list(ConsentTag.objects.values_list("name", "tag_id")) == [
            ("Google Analytics", "G-ABC123")
        ]
        analytics.refresh_from_db()
        assert (analytics.name, analytics.purpose) == ("Analytics", "analytics")
        saved = ConsentSettings.objects.get()
        assert (saved.banner_title, saved.lifetime_days, saved.policy_version) == (
            "Cookies on this site",
            182,
            1,
        )
