"""Who may keep which response: shared caches keep public pages, nobody keeps a reader's own.

A reverse proxy or CDN in front of the site obeys these headers; a wrong `public` on an
editor's page would show the userbar (and drafts' links) to readers, a missing one would send
every reader to the app server.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction

from tests.consent.test_decision_view import post_decision
from tests.people import client_for

PUBLIC = "public, max-age=0, s-maxage=300"


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def is_kept_by_nobody(response) -> bool:
    return "no-store" in directives(response) and "public" not in directives(response)


@pytest.mark.django_db
class TestPublicPages:
    def test_a_shared_cache_may_keep_each_page_a_reader_opens(self, client, public_urls):
        for url in public_urls:
            response = client.get(url)
            assert directives(response) == set(PUBLIC.split(", ")), url

    def test_the_not_found_page_too(self, client, home):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "public" in directives(response)

    def test_the_shared_lifetime_is_a_setting(self, client, home, settings):
        settings.PAGE_CACHE_SHARED_MAX_AGE = 60
        assert directives(client.get("/")) == {"public", "max-age=0", "s-maxage=60"}

    def test_a_reader_with_a_stale_session_cookie_gets_the_public_page(self, client, home):
        client.cookies[settings.SESSION_COOKIE_NAME] = "0123456789abcdefghijklmnopqrstuv"
        assert "public" in directives(client.get("/"))

    def test_head_is_public_as_get_is(self, client, home):
        assert "public" in directives(client.head("/"))


@pytest.mark.django_db
class TestNobodyKeeps:
    def test_a_signed_in_editors_page(self, editor_client, public_urls):
        for url in public_urls[:5]:
            response = editor_client.get(url)
            assert is_kept_by_nobody(response), (url, response["Cache-Control"])

    def test_the_admin(self, editor_client, home):
        for url in ("/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{home.pk}/edit/"):
            response = editor_client.get(url)
            assert response.status_code == 200, url
            assert is_kept_by_nobody(response), url

    def test_the_admin_login_page(self, client, db):
        assert is_kept_by_nobody(client.get("/admin/login/"))

    def test_a_preview(self, editor_client, home):
        preview = f"/admin/pages/{home.pk}/edit/preview/"
        editor_client.post(preview, {"title": "Welcome", "slug": home.slug})
        response = editor_client.get(preview)
        assert response.status_code == 200
        assert is_kept_by_nobody(response)

    def test_the_preference_centre_and_a_decision(self, client, home):
        centre = client.get(reverse("consent:preferences"))
        decision = post_decision(client, {"choice": "reject_all", "next": "/"})
        assert decision.status_code == 303
        assert is_kept_by_nobody(centre)
        assert is_kept_by_nobody(decision)

    def test_a_page_that_sets_a_cookie(self, client, home):
        # The password form of a restricted page hands out a CSRF token: the page is one
        # browser's.
        PageViewRestriction.objects.create(
            page=home, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        response = client.get("/")
        assert response.cookies
        assert is_kept_by_nobody(response)

    def test_a_method_the_page_does_not_answer(self, client, home):
        response = client.post("/")
        assert response.status_code == 405
        assert is_kept_by_nobody(response)

    def test_a_temporary_redirect(self, client, home):
        Redirect.objects.create(old_path="/old", redirect_link="/", is_permanent=False)
        response = client.get("/old")
        assert response.status_code == 302
        assert is_kept_by_nobody(response)

    def test_a_permanent_redirect_is_shared(self, client, home):
        Redirect.objects.create(old_path="/old", redirect_link="/", is_permanent=True)
        response = client.get("/old")
        assert response.status_code == 301
        assert "public" in directives(response)


def test_a_privacy_admins_reports_are_kept_by_nobody(privacy_admin):
    response = client_for(privacy_admin).get(reverse("consent_records:index"))
    assert response.status_code == 200
    assert is_kept_by_nobody(response)
