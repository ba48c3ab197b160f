"""`load_consent_demo`, which `make run` calls: demo tags on the local stub, nothing duplicated."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from consent.models import ConsentCookie, ConsentTag


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
        assert tags["advertising"].url == "http://127.0.0.1:8000/_stub/tags/ads.js"
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
