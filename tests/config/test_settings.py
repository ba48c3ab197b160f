"""The demo site's settings: production refuses to guess, the apps stand alone, and a SQLite
file database takes concurrent writers (WAL, IMMEDIATE transactions, a busy timeout)."""

import ast
import importlib.util
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from consent.models import BannerVersion

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


# A connection of its own, beside the test database, to a SQLite file in tmp_path.
FILE_ALIAS = "sqlite_file"
# The settings files that can configure a SQLite file: base (what `make run` gets through
# config.settings.dev) and production (DATABASE_URL may be sqlite:///...).
FILE_DATABASE_SETTINGS = ["base", "production"]


def file_database(settings_file: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """DATABASES["default"] as config/settings/<settings_file>.py configures the SQLite file at
    `path`, from a fresh run of that file (the imported base settings are the tests')."""
    for name, value in {**REQUIRED, "DATABASE_URL": f"sqlite:///{path}"}.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location(
        f"config.settings.fresh_{settings_file}",
        ROOT / "config" / "settings" / f"{settings_file}.py",
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DATABASES["default"]


@pytest.fixture(params=FILE_DATABASE_SETTINGS)
def file_db(request, tmp_path, monkeypatch, django_db_blocker) -> Iterator[BaseDatabaseWrapper]:
    """A real connection to a SQLite file in tmp_path, configured by each settings file that
    can configure one, and usable as FILE_ALIAS in this thread."""
    database = file_database(request.param, tmp_path / "db.sqlite3", monkeypatch)
    connection = ConnectionHandler({"default": database})["default"]
    connection.alias = FILE_ALIAS
    connections[FILE_ALIAS] = connection
    try:
        with django_db_blocker.unblock():
            yield connection
    finally:
        connection.close()
        del connections[FILE_ALIAS]


def hold_write_lock(path: Path, holding: threading.Event) -> None:
    """Another app process's writer: it holds the write lock for a short while, then commits."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO other_writer VALUES (1)")
        holding.set()
        time.sleep(0.3)
        other.execute("COMMIT")
    finally:
        other.close()


class TestSqliteFileDatabase:
    def test_journal_is_wal_and_transactions_take_the_write_lock(self, file_db):
        with file_db.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with transaction.atomic(using=FILE_ALIAS):
            # IMMEDIATE: the transaction holds the write lock from its start.
            other = sqlite3.connect(file_db.settings_dict["NAME"], timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()

    def test_second_writer_waits_for_the_first_instead_of_failing(self, file_db):
        # A consent decision reads (the banner's words) and then writes (its record): without
        # IMMEDIATE, SQLite cannot make that read wait for another writer, and it fails at once
        # with "database is locked".
        with file_db.schema_editor() as editor:
            editor.create_model(BannerVersion)
            editor.execute("CREATE TABLE other_writer (x)")
        holding = threading.Event()
        writer = threading.Thread(
            target=hold_write_lock, args=(file_db.settings_dict["NAME"], holding)
        )
        writer.start()
        try:
            assert holding.wait(timeout=5)
            with transaction.atomic(using=FILE_ALIAS):
                BannerVersion.objects.using(FILE_ALIAS).get_or_create(
                    digest="d" * 64, defaults={"title": "Cookies", "text": "<p>Words</p>"}
                )
        finally:
            writer.join()
        assert BannerVersion.objects.using(FILE_ALIAS).count() == 1
        with file_db.cursor() as cursor:
            assert cursor.execute("SELECT count(*) FROM other_writer").fetchone()[0] == 1
