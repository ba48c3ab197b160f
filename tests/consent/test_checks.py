"""The consent app's system checks catch settings and tags that would break its promises."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse_lazy

from consent.checks import (
    CLEAN_COOKIES,
    DROP_MALFORMED_CSRF,
    DROP_MALFORMED_SESSION,
    SESSIONS,
    check_settings,
    check_tag_urls,
)
from consent.models import ConsentTag


def _ids() -> set[str]:
    return {problem.id for problem in check_settings()}


class TestSystemChecks:
    def test_the_demo_settings_pass(self):
        assert _ids() == set()

    def test_missing_malformed_csrf_guard_is_a_warning(self, settings):
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != DROP_MALFORMED_CSRF]
        assert _ids() == {"consent.W002"}

    def test_missing_or_misplaced_malformed_session_guard_is_a_warning(self, settings):
        without = [m for m in settings.MIDDLEWARE if m != DROP_MALFORMED_SESSION]
        settings.MIDDLEWARE = without
        assert _ids() == {"consent.W005"}
        after = without.index(SESSIONS) + 1
        settings.MIDDLEWARE = [*without[:after], DROP_MALFORMED_SESSION, *without[after:]]
        assert _ids() == {"consent.W005"}

    def test_clean_cookies_middleware_is_an_error(self, settings):
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, CLEAN_COOKIES]
        assert "consent.E001" in _ids()

    @pytest.mark.parametrize(
        ("setting", "value", "check_id"),
        [
            ("COOKIE_CONSENT_HTTPONLY", True, "consent.E002"),
            ("COOKIE_CONSENT_LOG_ENABLED", True, "consent.W001"),
            ("SECURE_REFERRER_POLICY", "no-referrer", "consent.E003"),
            ("SECURE_REFERRER_POLICY", "unsafe-url", "consent.W003"),
            (
                "SECURE_REFERRER_POLICY",
                ["same-origin", "no-referrer-when-downgrade"],
                "consent.W003",
            ),
        ],
    )
    def test_a_setting_that_breaks_the_layer_is_reported(self, setting, value, check_id):
        with override_settings(**{setting: value}):
            assert _ids() == {check_id}

    def test_a_success_url_that_does_not_resolve_is_a_warning(self):
        # django-cookie-consent's own default: a URL name of views this layer does not mount.
        unmounted = reverse_lazy("cookie_consent_cookie_group_list")
        with override_settings(COOKIE_CONSENT_SUCCESS_URL=unmounted):
            assert _ids() == {"consent.W004"}


@pytest.mark.django_db
class TestTagUrlCheck:
    def test_an_active_tag_not_on_https_is_a_warning_naming_it(self, settings, http_ad_tag):
        settings.DEBUG = False
        [problem] = check_tag_urls(databases=["default"])
        assert problem.id == "consent.W006"
        assert problem.level == 30  # a Warning
        text = str(problem)
        assert "Old ad network" in text
        assert "http://ads.example/tag.js" in text
        assert "https://" in problem.hint

    def test_manage_py_check_reports_it(self, settings, http_ad_tag):
        settings.DEBUG = False
        out, err = io.StringIO(), io.StringIO()
        call_command("check", "--database", "default", stdout=out, stderr=err)
        report = out.getvalue() + err.getvalue()
        assert "consent.W006" in report
        assert "Old ad network" in report

    def test_each_tag_is_reported_and_google_tags_name_the_setting(
        self, settings, http_ad_tag, ga4_tag
    ):
        settings.DEBUG = False
        settings.CONSENT_GOOGLE_TAG_BASE_URL = "http://tags.example"
        problems = {problem.obj.name: problem for problem in check_tag_urls(databases=["default"])}
        assert set(problems) == {"Old ad network", "Google Analytics"}
        assert "CONSENT_GOOGLE_TAG_BASE_URL" in problems["Google Analytics"].hint

    def test_https_inactive_and_allowed_loopback_tags_are_not_reported(
        self, settings, http_ad_tag, ga4_and_ad_tags, consent_groups
    ):
        settings.DEBUG = False
        ConsentTag.objects.filter(pk=http_ad_tag.pk).update(is_active=False)
        ConsentTag.objects.create(
            name="Local stub",
            group=consent_groups["advertising"],
            kind="script",
            url="http://127.0.0.1:8000/_stub/tags/ads.js",
        )
        # The test settings let plain http through on a loopback host: the page ships it.
        assert check_tag_urls(databases=["default"]) == []
        settings.CONSENT_ALLOW_LOOPBACK_TAG_URLS = False
        assert [p.obj.name for p in check_tag_urls(databases=["default"])] == ["Local stub"]

    def test_nothing_is_reported_with_debug_on(self, settings, http_ad_tag):
        settings.DEBUG = True  # `make run`: http tags still load
        assert check_tag_urls(databases=["default"]) == []
