"""`load_consent_demo`, which `make run` calls: demo tags on the local stub, nothing duplicated;
its plain-http advertising tag runs with DEBUG on only."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client

from consent.checks import check_tag_urls
from consent.models import ConsentCookie, ConsentTag

DEMO_AD_URL = "http://127.0.0.1:8000/_stub/tags/ads.js"


def _counts() -> tuple[int, int, int]:
    return (
        ConsentTag.objects.count(),
        ConsentCookie.objects.count(),
        get_user_model().objects.count(),
    )


@pytest.mark.django_db
class TestLoadConsentDemo:
    def test_creates_a_demo_analytics_and_advertising_tag(self, settings):
        settings.DEBUG = True
        call_command("load_consent_demo", "--demo-logins", stdout=io.StringIO())
        tags = {tag.group.varname: tag for tag in ConsentTag.objects.select_related("group")}
        assert (tags["analytics"].kind, tags["analytics"].tag_id) == ("ga4", "G-DEMO0001")
        assert tags["advertising"].url == DEMO_AD_URL
        privacy = get_user_model().objects.get(username="privacy")
        assert list(privacy.groups.values_list("name", flat=True)) == ["Privacy admins"]

    def test_running_it_twice_duplicates_nothing(self, settings):
        settings.DEBUG = True
        call_command("load_consent_demo", "--demo-logins", stdout=io.StringIO())
        first = _counts()
        call_command("load_consent_demo", "--demo-logins", stdout=io.StringIO())
        assert _counts() == first

    def test_demo_logins_are_refused_with_debug_off(self):
        with pytest.raises(CommandError, match="DEBUG off"):
            call_command("load_consent_demo", "--demo-logins", stdout=io.StringIO())
        assert not get_user_model().objects.filter(username="privacy").exists()

    def test_its_http_advertising_tag_runs_under_make_run_only(self, settings, home):
        settings.DEBUG = True  # `make run` (config.settings.dev)
        settings.CONSENT_ALLOW_LOOPBACK_TAG_URLS = False
        call_command("load_consent_demo", stdout=io.StringIO())
        assert DEMO_AD_URL in Client().get("/").content.decode()
        assert check_tag_urls(databases=["default"]) == []

        settings.DEBUG = False  # the same rows under production settings
        cache.clear()  # a deploy starts from a cache without the old snapshot
        assert DEMO_AD_URL not in Client().get("/").content.decode()
        [problem] = check_tag_urls(databases=["default"])
        assert (problem.id, problem.obj.name) == ("consent.W006", "Demo advertising (local stub)")
