"""Google Consent Mode v2: one setting, off by default, that every page's configuration carries.

Proves the setting starts off, reaches the `consent-config` JSON of every page (public pages,
the 404 and the preference centre) as `consentMode`, that a privacy admin turns it on and off
in "Banner and policy" (panel "Google tags"), that the next page follows each change at once
(the cached configuration is dropped), and that it costs no query. What the browser does with
it (the dataLayer sequence) is tested in Chromium (tests/browser/).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from consent.models import ConsentSettings
from consent.snapshot import CACHE_KEY
from tests.consent.admin_forms import read_form, submit
from tests.consent.test_admin_setup import settings_page
from tests.consent.test_public_pages import consent_json
from tests.queries import warm_query_count

PAGES = ["/", "/missing/", "/consent/preferences/"]


def consent_mode_on(url):
    """What a reader's browser is told on `url` (a fresh client: no session, no cookie)."""
    return consent_json(Client().get(url).content.decode())["consentMode"]


@pytest.mark.django_db
class TestTheSetting:
    def test_off_by_default(self, home, consent_settings):
        assert consent_settings.google_consent_mode is False
        for url in PAGES:
            assert consent_mode_on(url) is False, url

    def test_on_reaches_every_page(self, home, consent_settings):
        consent_settings.google_consent_mode = True
        consent_settings.save()
        for url in PAGES:
            assert consent_mode_on(url) is True, url

    def test_turning_it_on_and_off_drops_the_cached_configuration(self, home, consent_settings):
        assert consent_mode_on("/") is False
        assert cache.get(CACHE_KEY) is not None  # the next page would read this
        consent_settings.google_consent_mode = True
        consent_settings.save()
        assert consent_mode_on("/") is True
        assert cache.get(CACHE_KEY) is not None
        consent_settings.google_consent_mode = False
        consent_settings.save()
        assert consent_mode_on("/") is False

    def test_costs_no_query_on_a_warm_page(self, client, home, consent_settings):
        off = warm_query_count(client, "/")
        consent_settings.google_consent_mode = True
        consent_settings.save()
        assert warm_query_count(client, "/") == off


@pytest.mark.django_db
class TestPrivacyAdmin:
    def test_the_form_offers_it_unticked_under_google_tags(self, privacy_client):
        response = privacy_client.get(settings_page(privacy_client))
        form = read_form(response)
        assert "google_consent_mode" not in form.data  # an unticked checkbox sends nothing
        page = response.content.decode()
        assert "Google tags" in page
        assert "Google Consent Mode v2" in page
        assert page.index("Google tags") < page.index('name="google_consent_mode"')

    def test_turns_it_on_and_readers_get_it_on_the_next_page(self, privacy_client, home):
        assert consent_mode_on("/") is False  # cached now
        url = settings_page(privacy_client)
        assert submit(privacy_client, url, google_consent_mode="on").status_code == 302
        assert ConsentSettings.objects.get().google_consent_mode is True
        assert consent_mode_on("/") is True
        assert "google_consent_mode" in read_form(privacy_client.get(url)).data

        assert submit(privacy_client, url, google_consent_mode=None).status_code == 302
        assert ConsentSettings.objects.get().google_consent_mode is False
        assert consent_mode_on("/") is False

    def test_saving_other_settings_leaves_it_as_it_was(self, privacy_client, consent_settings):
        consent_settings.google_consent_mode = True
        consent_settings.save()
        url = settings_page(privacy_client)
        assert submit(privacy_client, url, banner_title="Cookies, briefly").status_code == 302
        saved = ConsentSettings.objects.get()
        assert (saved.banner_title, saved.google_consent_mode) == ("Cookies, briefly", True)

    def test_an_editor_cannot_turn_it_on(self, editor_client, privacy_client, settings_url, home):
        # The complete, valid form a privacy admin sees, ticked, sent by an editor.
        data = {**read_form(privacy_client.get(settings_url)).data, "google_consent_mode": "on"}
        assert editor_client.post(settings_url, data).status_code == 403
        assert ConsentSettings.objects.get().google_consent_mode is False
        assert consent_mode_on("/") is False
