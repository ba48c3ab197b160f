"""Every public URL answers only the HTTP methods its view supports.

A method a view does not take (TRACE always; OPTIONS too, since no CORS is offered) gets a 405
with an `Allow` header naming the methods it does take, and an empty body: never the page.
Covers the pages of every type, search, the 404 page and the consent layer's two views.
"""

import pytest

from medical_content import factories

# Methods no public view takes. POST is taken only by the consent layer's views.
REFUSED = ("OPTIONS", "TRACE", "PUT", "DELETE", "PATCH")
PREFERENCES = "/consent/preferences/"
DECIDE = "/consent/decide/"


@pytest.fixture
def reader_urls(home, article_index, expert_index) -> dict[str, str]:
    """The address of one page of every type, and of a search, by what it is."""
    article = factories.ArticlePageFactory(parent=article_index)
    procedure = factories.ProcedurePageFactory()
    return {
        "home": home.url,
        "article index": article_index.url,
        "article": article.url,
        "expert index": expert_index.url,
        "expert profile": article.credits.first().expert.url,
        "specialty index": procedure.specialty.get_parent().url,
        "specialty": procedure.specialty.url,
        "procedure index": procedure.get_parent().url,
        "procedure": procedure.url,
        "search": "/search/?q=heart",
    }


def _request(client, method: str, url: str):
    return client.generic(method, url)


def _assert_refused(response, allow: str, what: str) -> None:
    assert response.status_code == 405, what
    assert response["Allow"] == allow, what
    assert response.content == b"", what


@pytest.mark.django_db
class TestReaderPagesAndSearch:
    def test_get_and_head_are_answered(self, client, reader_urls):
        for what, url in reader_urls.items():
            assert client.get(url).status_code == 200, what
            assert client.head(url).status_code == 200, what

    @pytest.mark.parametrize("method", [*REFUSED, "POST"])
    def test_any_other_method_is_refused_without_the_page(self, client, reader_urls, method):
        for what, url in reader_urls.items():
            _assert_refused(_request(client, method, url), "GET, HEAD", what)


@pytest.mark.django_db
class TestNotFoundPage:
    @pytest.mark.parametrize("method", ["GET", "HEAD", *REFUSED, "POST"])
    def test_a_missing_address_is_not_found_whatever_the_method(self, client, home, method):
        # Nothing is there to take any method: 404, not a 405 that would say something is.
        response = _request(client, method, "/missing/")
        assert response.status_code == 404
        assert "Allow" not in response


@pytest.mark.django_db
class TestConsentViews:
    def test_preference_centre_answers_get_and_head(self, client):
        assert client.get(PREFERENCES).status_code == 200
        assert client.head(PREFERENCES).status_code == 200

    @pytest.mark.parametrize("method", REFUSED)
    def test_preference_centre_refuses_other_methods(self, client, method):
        _assert_refused(_request(client, method, PREFERENCES), "GET, HEAD, POST", method)

    @pytest.mark.parametrize("method", ["GET", "HEAD", *REFUSED])
    def test_decision_endpoint_takes_only_post(self, client, method):
        _assert_refused(_request(client, method, DECIDE), "POST", method)
