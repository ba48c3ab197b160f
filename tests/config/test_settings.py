"""The demo site's settings: production refuses to guess, and the apps stand alone."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "a-real-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "health.example.org",
    "DATABASE_URL": "postgres://user@127.0.0.1:5432/site",
    "WAGTAILADMIN_BASE_URL": "https://health.example.org",
}
# Under production settings: a view that raises, reached through the site's own middleware
# and error handling, and the 500 it gives (the traceback must reach stderr on its own).
RAISE_IN_A_VIEW = """
import django
django.setup()
from django.test import Client
from django.urls import clear_url_caches, path
import config.urls

def fail(request):
    raise RuntimeError("the view failed on purpose")

config.urls.urlpatterns.insert(0, path("fail/", fail))
clear_url_caches()
response = Client(raise_request_exception=False).get(
    "/fail/", secure=True, headers={"host": "health.example.org"}
)
print(response.status_code)
"""


def _run_under_production(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python ARGS` under production settings with exactly `env` of REQUIRED set."""
    clean_env = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _load_production_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return _run_under_production(["-c", code], env)


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return _run_under_production(["manage.py", "check", "--deploy"], env)


def test_production_starts_with_its_required_settings():
    result = _load_production_settings(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("missing", sorted(set(REQUIRED) - {"SECRET_KEY"}))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = _load_production_settings(env)
    assert result.returncode != 0
    assert f"KeyError: '{missing}'" in result.stderr


class TestSecretKey:
    """Production refuses a key that Django's own deployment check (security.W009) calls weak:
    with one, sessions and password-reset links can be forged, and an empty one turns every
    request into a 500."""

    @pytest.mark.parametrize(
        "key",
        [
            pytest.param(None, id="missing"),
            pytest.param("", id="empty"),
            pytest.param("short-but-random-Zq8#", id="shorter-than-50"),
            pytest.param("ab" * 30, id="fewer-than-5-unique-characters"),
            pytest.param("django-insecure-" + "k3#v9!pq" * 6, id="django-insecure-prefix"),
        ],
    )
    def test_check_deploy_refuses_a_missing_or_weak_key(self, key):
        env = {k: v for k, v in REQUIRED.items() if k != "SECRET_KEY"}
        if key is not None:
            env["SECRET_KEY"] = key
        result = _check_deploy(env)
        assert result.returncode != 0
        assert "ImproperlyConfigured: SECRET_KEY" in result.stderr
        assert "get_random_secret_key()" in result.stderr

    def test_the_message_never_shows_the_key(self):
        weak = "short-but-random-Zq8#"
        result = _check_deploy({**REQUIRED, "SECRET_KEY": weak})
        assert result.returncode != 0
        assert weak not in result.stderr

    def test_a_key_django_generates_is_accepted(self):
        result = _check_deploy({**REQUIRED, "SECRET_KEY": get_random_secret_key()})
        assert result.returncode == 0, result.stderr


class TestAdminBaseUrl:
    """WAGTAILADMIN_BASE_URL starts the links in password-reset and workflow e-mails."""

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "/admin/",
            "health.example.org",
            "ftp://health.example.org",
            "https://",
            "https:///admin",
            "https://health.example.org/?next=1",
            "https://health.example.org/#top",
            "http://health example.org",
            "https://health.example.org:https",
            "https://[::1",
        ],
    )
    def test_check_deploy_refuses_a_url_that_is_not_absolute_http(self, url):
        result = _check_deploy({**REQUIRED, "WAGTAILADMIN_BASE_URL": url})
        assert result.returncode != 0
        assert "ImproperlyConfigured: WAGTAILADMIN_BASE_URL" in result.stderr

    def test_check_deploy_refuses_a_missing_url(self):
        env = {k: v for k, v in REQUIRED.items() if k != "WAGTAILADMIN_BASE_URL"}
        result = _check_deploy(env)
        assert result.returncode != 0
        assert "KeyError: 'WAGTAILADMIN_BASE_URL'" in result.stderr

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("https://health.example.org", "https://health.example.org"),
            ("https://health.example.org/", "https://health.example.org"),
            ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ],
    )
    def test_a_good_url_is_used_without_a_trailing_slash(self, url, expected):
        code = (
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.WAGTAILADMIN_BASE_URL)"
        )
        result = _run_under_production(["-c", code], {**REQUIRED, "WAGTAILADMIN_BASE_URL": url})
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected


class TestErrorLogging:
    def test_a_500_logs_its_traceback_to_stderr(self):
        result = _run_under_production(["-c", RAISE_IN_A_VIEW], REQUIRED)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "500"
        assert "ERROR django.request: Internal Server Error: /fail/" in result.stderr
        assert "Traceback (most recent call last)" in result.stderr
        assert "RuntimeError: the view failed on purpose" in result.stderr


@pytest.mark.parametrize("app", ["medical_content", "consent", "themes"])
def test_plugin_apps_import_nothing_from_config(app):
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] == "config"]
    assert offenders == []


def test_production_passes_djangos_deployment_checks():
    result = _run_under_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], REQUIRED
    )
    assert result.returncode == 0, result.stdout + result.stderr
