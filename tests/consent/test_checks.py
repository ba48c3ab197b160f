"""The consent app's system checks catch settings that would break its promises."""

import pytest
from django.test import override_settings
from django.urls import reverse_lazy

from consent.checks import (
    CLEAN_COOKIES,
    DROP_MALFORMED_CSRF,
    DROP_MALFORMED_SESSION,
    SESSIONS,
    check_settings,
)


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
