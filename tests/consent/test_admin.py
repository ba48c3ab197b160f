"""What privacy admins configure in the Wagtail admin, and that nobody else can.

Everything goes through the admin's own URLs and forms, as a person would use them: the form is
read from the page, changed and posted back, and the test asserts what the page then shows and
what was (or was not) saved. Covers the data migrations (default groups, cookies, "Privacy
admins"), the "Cookie consent" menu, who may open what, the validation messages for tags and
settings, the custom HTML permission, and that a change reaches the next public page at once.
"""

import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from consent.config import CACHE_KEY
from consent.models import ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag

VIEWSETS = ["consent_groups", "consent_cookies", "consent_tags"]
MENU_LABELS = ["Cookie groups", "Cookies", "Tags", "Banner and policy"]
SETTINGS_URL = reverse("wagtailsettings:edit", args=["consent", "consentsettings"])
PRIVACY_ADMIN_CODENAMES = {
    f"{action}_{model}"
    for model in ("consentgroup", "consentcookie", "consenttag")
    for action in ("add", "change", "delete", "view")
} | {"change_consentsettings"}


# --- Reading admin pages as a browser would ------------------------------------------------


class _EditorFormReader(HTMLParser):
    """The fields of the admin's edit form (#w-editor-form) as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.in_template = 0
        self.data = {}
        self.disabled = set()
        self.options = {}
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "w-editor-form":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        name = attrs.get("name")
        if tag in ("input", "select", "textarea") and name and "disabled" in attrs:
            self.disabled.add(name)
            name = None  # a browser does not send a disabled field
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value") or "on"
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
            self.options.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value", ""), ""]
            self.options[self._select].append(self._option)
            if self._select and ("selected" in attrs or self._select not in self.data):
                self.data[self._select] = self._option[0]
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template" and self.in_template:
            self.in_template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data.strip()
        elif self._textarea:
            self.data[self._textarea] += data


def read_form(response):
    assert response.status_code == 200, response
    reader = _EditorFormReader()
    reader.feed(response.content.decode())
    assert reader.data, "no edit form on the page"
    return reader


def option_value(form, field, label):
    """The value of the option a person picks by its label."""
    return next(value for value, text in form.options[field] if text == label)


def submit(client, url, **changes):
    """Open the form at `url`, change some fields (None empties a checkbox), post it back."""
    form = read_form(client.get(url))
    data = {**form.data, **changes}
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def field_errors(response, name):
    """The error messages the page shows under the field `name`."""
    match = re.search(
        rf'data-contentpath="{re.escape(name)}">\s*<div class="w-field__errors"[^>]*>(.*?)</div>',
        response.content.decode(),
        re.S,
    )
    if not match:
        return []
    found = re.findall(r'<p class="error-message">(.*?)</p>', match.group(1), re.S)
    return [html.unescape(" ".join(text.split())) for text in found]


class _ErrorMessageReader(HTMLParser):
    """Texts of the error messages (`<li class="error">`), without their buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.messages = []
        self._depth = 0  # <li> nesting inside an error message
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            if self._depth:
                self._depth += 1
            elif "error" in (dict(attrs).get("class") or "").split():
                self._depth = 1
                self.messages.append("")
        elif self._depth and tag in ("button", "script", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "li" and self._depth:
            self._depth -= 1
        elif self._depth and tag in ("button", "script", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._depth and not self._skip:
            self.messages[-1] = " ".join(f"{self.messages[-1]} {data}".split())


def page_errors(response):
    """The error messages at the top of the page (the form's own errors among them)."""
    reader = _ErrorMessageReader()
    reader.feed(response.content.decode())
    return " | ".join(reader.messages)


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


# --- Users --------------------------------------------------------------------------------


def _user(username, *groups, permissions=()):
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(*Group.objects.filter(name__in=groups))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def privacy_admin(db):
    return _user("privacy", "Privacy admins")


@pytest.fixture
def editor(db):
    return _user("editor", "Editors")


@pytest.fixture
def html_author(db):
    """A privacy admin a superuser trusted with custom HTML."""
    return _user("trusted", "Privacy admins", permissions=["manage_custom_html_tags"])


@pytest.fixture
def privacy_client(privacy_admin):
    return _client(privacy_admin)


@pytest.fixture
def editor_client(editor):
    return _client(editor)


@pytest.fixture
def superuser_client(admin_user):
    return _client(admin_user)


@pytest.fixture
def html_tag(consent_groups):
    return ConsentTag.objects.create(
        name="Survey widget",
        group=consent_groups["analytics"],
        kind="html",
        html="<script>survey()</script>",
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


def _tag_form(client, **fields):
    """Post the add-tag form, picking the group by its label."""
    url = reverse("consent_tags:add")
    form = read_form(client.get(url))
    group = option_value(form, "group", fields.pop("group", "Analytics"))
    return client.post(url, {**form.data, "name": "A tag", "group": group, **fields})


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
            "necessary": {"cookie_consent", "csrftoken", "sessionid"},
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
            ("Banner and policy", SETTINGS_URL),
        ]

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


# --- 4. What a privacy admin configures --------------------------------------------------


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
        response = _tag_form(privacy_client, **fields)
        assert response.status_code == 302, page_errors(response)
        tag = ConsentTag.objects.get()
        assert tag.kind == fields["kind"]
        assert tag.is_active
        for name, value in saved.items():
            assert getattr(tag, name) == value

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


def settings_page(client):
    """Where the menu's "Banner and policy" link lands: the edit page of the one settings row."""
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    return response["Location"]


# --- 5. Tag validation -------------------------------------------------------------------


@pytest.mark.django_db
class TestTagValidation:
    @pytest.mark.parametrize("tag_id", ["UA-12345", "G-", "g-abc123", "G-ABC 123", "<script>"])
    def test_malformed_ga4_id_is_refused(self, privacy_client, tag_id):
        response = _tag_form(privacy_client, kind="ga4", tag_id=tag_id)
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == [
            "Enter a GA4 measurement ID such as G-AB12CD34EF."
        ]
        assert not ConsentTag.objects.exists()

    @pytest.mark.parametrize("tag_id", ["GTM-", "gtm-ab12cd3", "G-AB12CD3", "GTM-AB 12CD3"])
    def test_malformed_gtm_id_is_refused(self, privacy_client, tag_id):
        response = _tag_form(privacy_client, kind="gtm", tag_id=tag_id)
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == [
            "Enter a Tag Manager container ID such as GTM-AB12CD3."
        ]
        assert not ConsentTag.objects.exists()

    def test_matomo_over_http_on_a_public_host_is_refused(self, privacy_client):
        response = _tag_form(
            privacy_client, kind="matomo", url="http://stats.example/", matomo_site_id="1"
        )
        assert response.status_code == 200
        assert any("https://" in error for error in field_errors(response, "url"))
        assert not ConsentTag.objects.exists()

    def test_script_over_http_is_refused_with_a_message_about_https(self, privacy_client):
        response = _tag_form(privacy_client, kind="script", url="http://ads.example/tag.js")
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
        response = _tag_form(privacy_client, kind="script", url=url)
        assert response.status_code == 200
        assert field_errors(response, "url"), url
        assert not ConsentTag.objects.exists()

    @pytest.mark.parametrize("url", ["//ads.example/tag.js", "ads.example/tag.js"])
    def test_a_url_without_scheme_is_saved_as_https(self, privacy_client, url):
        response = _tag_form(privacy_client, kind="script", url=url)
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
        response = _tag_form(privacy_client, kind=kind, url=url, matomo_site_id="1")
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
            response = _tag_form(privacy_client, kind=kind, url=url, matomo_site_id="1")
        assert response.status_code == 200
        assert any("https://" in error for error in field_errors(response, "url"))
        assert not ConsentTag.objects.exists()

    def test_ga4_needs_its_measurement_id(self, privacy_client):
        response = _tag_form(privacy_client, kind="ga4", tag_id="")
        assert response.status_code == 200
        assert field_errors(response, "tag_id") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()

    def test_matomo_needs_its_site_id(self, privacy_client):
        response = _tag_form(privacy_client, kind="matomo", url="https://stats.example/")
        assert response.status_code == 200
        assert field_errors(response, "matomo_site_id") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()

    def test_matomo_needs_its_url(self, privacy_client):
        response = _tag_form(privacy_client, kind="matomo", matomo_site_id="1")
        assert response.status_code == 200
        assert field_errors(response, "url") == ["This kind of tag needs this field."]
        assert not ConsentTag.objects.exists()


# --- 6. Custom HTML needs its own permission ---------------------------------------------


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
        response = _tag_form(privacy_client, kind="html", html="<script>evil()</script>")
        assert response.status_code == 200
        assert field_errors(response, "kind") == [
            "Select a valid choice. html is not one of the available choices."
        ]
        assert not ConsentTag.objects.exists()

    def test_privacy_admin_cannot_smuggle_html_into_another_kind(self, privacy_client):
        response = _tag_form(
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
        assert "html" in form.disabled
        response = privacy_client.post(
            url, {**form.data, "name": "Renamed", "html": "<script>evil()</script>"}
        )
        assert response.status_code == 200
        assert "Only users allowed to manage custom HTML tags can add or change them." in (
            page_errors(response)
        )
        html_tag.refresh_from_db()
        assert (html_tag.name, html_tag.html) == ("Survey widget", "<script>survey()</script>")

    def test_privacy_admin_cannot_turn_a_custom_html_tag_into_another_kind(
        self, privacy_client, html_tag
    ):
        url = reverse("consent_tags:edit", args=[html_tag.pk])
        form = read_form(privacy_client.get(url))
        response = privacy_client.post(
            url, {**form.data, "kind": "script", "url": "https://ads.example/tag.js"}
        )
        assert response.status_code == 200
        assert (
            "Only users allowed to manage custom HTML tags can add or change them."
            in page_errors(response)
        )
        html_tag.refresh_from_db()
        assert (html_tag.kind, html_tag.html) == ("html", "<script>survey()</script>")

    def test_a_user_with_the_permission_adds_one(self, html_author):
        client = _client(html_author)
        form = read_form(client.get(reverse("consent_tags:add")))
        assert "html" in [value for value, _ in form.options["kind"]]
        assert "html" not in form.disabled
        response = _tag_form(client, kind="html", html="<script>survey()</script>")
        assert response.status_code == 302, page_errors(response)
        assert ConsentTag.objects.get().html == "<script>survey()</script>"

    def test_a_user_with_the_permission_changes_one(self, html_author, html_tag):
        response = submit(
            _client(html_author),
            reverse("consent_tags:edit", args=[html_tag.pk]),
            html="<script>survey(2)</script>",
        )
        assert response.status_code == 302
        html_tag.refresh_from_db()
        assert html_tag.html == "<script>survey(2)</script>"

    def test_a_superuser_adds_one(self, superuser_client):
        response = _tag_form(superuser_client, kind="html", html="<div>Hello</div>")
        assert response.status_code == 302, page_errors(response)
        assert ConsentTag.objects.get().html == "<div>Hello</div>"


# --- 7. Banner and policy settings -------------------------------------------------------


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
    @pytest.fixture
    def url(self, privacy_client):
        return settings_page(privacy_client)

    def test_lifetime_defaults_to_182_days(self, privacy_client, url):
        form = read_form(privacy_client.get(url))
        assert form.data["lifetime_days"] == "182"
        assert ConsentSettings.objects.get().lifetime_days == 182

    @pytest.mark.parametrize(
        ("days", "message"),
        [
            ("0", "Ensure this value is greater than or equal to 1."),
            ("400", "Ensure this value is less than or equal to 395."),
        ],
    )
    def test_lifetime_out_of_range_is_refused(self, privacy_client, url, days, message):
        response = submit(privacy_client, url, lifetime_days=days, banner_title="Changed")
        assert response.status_code == 200
        assert field_errors(response, "lifetime_days") == [message]
        saved = ConsentSettings.objects.get()
        assert (saved.lifetime_days, saved.banner_title) == (182, "Cookies on this site")

    def test_policy_version_can_be_raised(self, privacy_client, url):
        assert submit(privacy_client, url, policy_version="2").status_code == 302
        assert ConsentSettings.objects.get().policy_version == 2

    def test_policy_version_cannot_be_lowered(self, privacy_client, url):
        assert submit(privacy_client, url, policy_version="3").status_code == 302
        response = submit(privacy_client, url, policy_version="2")
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
    def test_malformed_banner_text_is_a_form_error(self, privacy_client, url, payload):
        before = ConsentSettings.objects.get().banner_text
        response = submit(privacy_client, url, banner_text=payload, banner_title="Changed")
        assert response.status_code == 200
        assert field_errors(response, "banner_text")
        saved = ConsentSettings.objects.get()
        assert (saved.banner_title, saved.banner_text) == ("Cookies on this site", before)

    @pytest.mark.parametrize(
        "payload",
        ["not json", "[]", '{"blocks": "x"}', '{"blocks": [{"text": 5}]}', "5"],
        ids=["not-json", "list", "blocks-string", "text-number", "number"],
    )
    def test_malformed_banner_text_message_says_what_happened(self, privacy_client, url, payload):
        # Not "Null characters are not allowed.": the admin never typed one.
        response = submit(privacy_client, url, banner_text=payload)
        assert field_errors(response, "banner_text") == [
            "The banner text could not be read. Type it again and save."
        ]

    def test_bold_italic_and_link_are_saved(self, privacy_client, url):
        text = "Hello, read our policy."
        payload = _contentstate(
            text, styles=[(0, 5, "BOLD"), (7, 4, "ITALIC")], link=(16, 6, "https://example.org/")
        )
        response = submit(privacy_client, url, banner_text=payload)
        assert response.status_code == 302
        stored = ConsentSettings.objects.get().banner_text
        assert stored == (
            '<p data-block-key="a"><b>Hello</b>, <i>read</i> our '
            '<a href="https://example.org/">policy</a>.</p>'
        )

    def test_the_minimal_bold_payload_is_saved(self, privacy_client, url):
        payload = _contentstate("Hello", styles=[(0, 5, "BOLD")])
        assert submit(privacy_client, url, banner_text=payload).status_code == 302
        assert "<b>Hello</b>" in ConsentSettings.objects.get().banner_text


# --- 8. Admin changes reach the next public page -----------------------------------------


@pytest.mark.django_db
class TestChangesReachPublicPages:
    def test_a_saved_tag_appears_and_a_deactivated_one_goes(self, privacy_client, home):
        reader = Client()
        assert "G-LIVE1234" not in reader.get("/").content.decode()
        assert cache.get(CACHE_KEY) is not None  # the configuration is cached now

        assert _tag_form(privacy_client, kind="ga4", tag_id="G-LIVE1234").status_code == 302
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
