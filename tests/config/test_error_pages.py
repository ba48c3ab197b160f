"""The demo site's error pages: with DEBUG on, a failing view shows Django's technical 500 page.

That page lists every setting, so a setting whose value cannot be shown (a lazy reverse of a
URL the site does not mount) would crash the page that is meant to explain the crash.
"""

import pytest
from django.test import Client
from django.urls import include, path


def fail(request):
    raise RuntimeError("the view failed on purpose")


# This module is the URLconf of its tests: the demo site's URLs plus one view that raises.
urlpatterns = [path("fail/", fail), path("", include("config.urls"))]


@pytest.fixture
def debug_client(settings) -> Client:
    settings.DEBUG = True
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
class TestDebugErrorPage:
    @pytest.mark.parametrize(
        ("accept", "content_type"),
        [("text/html", "text/html"), ("application/json", "text/plain")],
    )
    def test_a_failing_view_shows_the_technical_500_page(self, debug_client, accept, content_type):
        response = debug_client.get("/fail/", headers={"accept": accept})
        assert response.status_code == 500
        assert response["Content-Type"].startswith(content_type)
        body = response.content.decode()
        assert "the view failed on purpose" in body
        assert "COOKIE_CONSENT_SUCCESS_URL" in body
        assert "NoReverseMatch" not in body
