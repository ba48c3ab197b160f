"""Public pages are the same bytes for every anonymous reader, so a cache can share them."""

import pytest
from django.conf import settings

from medical_content import factories

# Cookies a reader might carry that must not change the page: analytics, a consent choice, a
# stale CSRF token and junk.
UNRELATED_COOKIES = {
    "_ga": "GA1.1.123.456",
    "cookie_consent": "analytics=2026-11-27T05:38:03|advertising=-1",
    "csrftoken": "x" * 32,
    "junk": "=|=|=",
}


@pytest.fixture
def public_urls(home, article_index, expert_index):
    article = factories.ArticlePageFactory(parent=article_index)
    expert = article.credits.first().expert
    return ["/", article_index.url, article.url, expert_index.url, expert.url, "/missing/"]


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
def test_logged_in_editor_gets_the_userbar(client, admin_user, home):
    client.force_login(admin_user)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert "wagtail-userbar" in client.get("/").content.decode()


@pytest.fixture
def client_class():
    from django.test import Client

    return Client


@pytest.mark.django_db
def test_pages_do_not_depend_on_the_requests_host_name(client_class, public_urls):
    # A CDN may fetch through another host name than readers use; canonical and JSON-LD URLs
    # come from the Site's configured host, so the bytes stay the same.
    for url in public_urls:
        via_localhost = client_class(HTTP_HOST="localhost").get(url)
        via_ip = client_class(HTTP_HOST="127.0.0.1").get(url)
        assert via_localhost.content == via_ip.content, url
