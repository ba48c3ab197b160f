"""Public pages are the same bytes for every anonymous reader, so a cache can share them."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.queries import warm_query_count

# Cookies a reader might carry that must not change the page: analytics, a consent choice, a
# stale CSRF token and junk.
UNRELATED_COOKIES = {
    "_ga": "GA1.1.123.456",
    "cookie_consent": "analytics=2026-11-27T05:38:03|advertising=-1",
    "csrftoken": "x" * 32,
    "junk": "=|=|=",
}


SIGNED_OUT_SESSIONS = ("junk", "unknown", "expired", "signed out")


@pytest.fixture
def signed_out_session_cookies(db) -> dict[str, str]:
    """`sessionid` values a reader who is not signed in may carry, by what they are.

    Junk, a well-formed key of no session (deleted, or of another site), an expired login, or
    a live session that holds no login (here: a password-protected page the reader unlocked,
    as Wagtail stores it).
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired = store()
    expired[SESSION_KEY] = "1"
    expired.set_expiry(timedelta(seconds=-60))
    expired.create()
    signed_out = store()
    signed_out["passed_page_view_restrictions"] = [1]
    signed_out.create()
    return {
        "junk": "junk",
        "unknown": "0123456789abcdefghijklmnopqrstuv",
        "expired": expired.session_key,
        "signed out": signed_out.session_key,
    }


def _fetch(client_class, url, cookies=None):
    client = client_class()
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    return client.get(url)


@pytest.mark.django_db
class TestPublicPagesAreCacheable:
    def test_same_bytes_with_no_cookie_and_with_unrelated_cookies(self, client_class, public_urls):
        for url in public_urls:
            plain = _fetch(client_class, url)
            again = _fetch(client_class, url)
            with_cookies = _fetch(client_class, url, UNRELATED_COOKIES)
            assert plain.content == again.content == with_cookies.content, url

    def test_no_vary_cookie_and_no_set_cookie(self, client_class, public_urls):
        for url in public_urls:
            for cookies in (None, UNRELATED_COOKIES):
                response = _fetch(client_class, url, cookies)
                assert "Cookie" not in response.get("Vary", ""), url
                assert not response.cookies, (url, response.cookies)
                assert "Set-Cookie" not in response.headers, url

    def test_public_pages_carry_no_csrf_token_and_no_userbar(self, client, public_urls):
        for url in public_urls:
            html = client.get(url).content.decode()
            assert "csrfmiddlewaretoken" not in html, url
            assert "wagtail-userbar" not in html, url


@pytest.mark.django_db
class TestSessionCookieOfAReaderWhoIsNotSignedIn:
    """A `sessionid` cookie that logs nobody in leaves public pages as they are for a reader
    without one: the same bytes, and neither `Set-Cookie` (a shared cache would replay the
    deletion to other readers) nor `Vary: Cookie`."""

    @pytest.mark.parametrize("kind", SIGNED_OUT_SESSIONS)
    def test_same_bytes_and_headers_as_without_the_cookie(
        self, client_class, public_urls, signed_out_session_cookies, kind
    ):
        cookies = {settings.SESSION_COOKIE_NAME: signed_out_session_cookies[kind]}
        for url in public_urls:
            plain = _fetch(client_class, url)
            response = _fetch(client_class, url, cookies)
            assert response.status_code == plain.status_code, url
            assert response.content == plain.content, url
            assert "Cookie" not in response.get("Vary", ""), url
            assert "Set-Cookie" not in response.headers, (url, response.cookies)

    def test_costs_one_session_read_when_well_formed_and_none_when_junk(
        self, public_urls, signed_out_session_cookies
    ):
        # Whether the userbar is due is read from the session store, once, without touching
        # request.session; a value that cannot be a session key is not looked up at all.
        url = public_urls[2]  # the article
        baseline = warm_query_count(Client(), url)
        for name, value in signed_out_session_cookies.items():
            client = Client()
            client.get(url)  # warm caches, as warm_query_count does
            client.cookies[settings.SESSION_COOKIE_NAME] = value
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            session_reads = [q for q in queries if "django_session" in q["sql"]]
            expected = 0 if name == "junk" else 1
            assert len(session_reads) == expected, (name, session_reads)
            assert len(queries) == baseline + expected, name


@pytest.mark.django_db
class TestEditorsStillGetTheUserbar:
    def test_on_live_pages(self, client, admin_user, public_urls):
        client.force_login(admin_user)
        assert settings.SESSION_COOKIE_NAME in client.cookies
        for url in public_urls[:3]:
            response = client.get(url)
            assert "wagtail-userbar" in response.content.decode(), url
            # The page is the editor's own: a cache must not share it.
            assert "Cookie" in response.get("Vary", ""), url

    def test_in_a_preview(self, client, admin_user, home):
        client.force_login(admin_user)
        preview_url = f"/admin/pages/{home.pk}/edit/preview/"
        response = client.post(preview_url, {"title": "Welcome", "slug": home.slug})
        assert response.json() == {"is_valid": True, "is_available": True}
        html = client.get(preview_url).content.decode()
        assert "<h1>Welcome</h1>" in html
        assert "wagtail-userbar" in html

    def test_an_editor_with_a_junk_session_cookie_can_sign_in(self, client, admin_user, home):
        client.cookies[settings.SESSION_COOKIE_NAME] = "junk"
        response = client.post(
            "/admin/login/", {"username": admin_user.username, "password": "password"}
        )
        assert response.status_code == 302
        assert client.cookies[settings.SESSION_COOKIE_NAME].value != "junk"
        assert "wagtail-userbar" in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_do_not_depend_on_the_requests_host_name(client_class, public_urls):
    # A CDN may fetch through another host name than readers use; canonical and JSON-LD URLs
    # come from the Site's configured host, so the bytes stay the same.
    for url in public_urls:
        via_localhost = client_class(HTTP_HOST="localhost").get(url)
        via_ip = client_class(HTTP_HOST="127.0.0.1").get(url)
        assert via_localhost.content == via_ip.content, url
