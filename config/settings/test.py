"""Settings for the test suite (pytest-django) and `make bench`."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, with_sqlite_options

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Without DATABASE_URL the suite runs on SQLite, in a file of its own with the options
# production uses, not in memory: with an in-memory database Django shares the test thread's
# connection with the live server's threads, and the browser tests' simultaneous requests
# (Wagtail's autosave beside a preview) then interleave their transactions on it.
# NAME is that file too, never ":memory:": pytest-django's live server decides whether to share
# the test thread's connection from NAME, and may do so before the test database exists (when
# browser tests run on their own), and two threads on one SQLite connection crash the process.
if not os.environ.get("DATABASE_URL"):
    _TEST_DATABASE = os.path.join(
        tempfile.gettempdir(), f"medical-site-test-{os.getpid()}.sqlite3"
    )
    DATABASES["default"] = with_sqlite_options(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _TEST_DATABASE,
            "TEST": {"NAME": _TEST_DATABASE},
        }
    )

MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT", "/tmp/medical-site-test-media")  # noqa: S108
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the apps (no collectstatic) so live-server browser tests get CSS.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# Gated tags load from the stub on the test server; tags may use http on loopback hosts.
CONSENT_GOOGLE_TAG_BASE_URL = "/_stub/tags/google"
CONSENT_ALLOW_LOOPBACK_TAG_URLS = True
SERVE_TAG_STUB = True
# Most tests change rows straight in the database, which sends none of the signals that drop
# kept pages: the page cache is on only where a test turns it on (tests/page_cache/), and in
# the load run (PAGE_CACHE_ENABLED=true in its environment).
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "false") == "true"
# The load run's prebuilt bytes (config/bench.py), served only when it names a file.
BENCH_PREBUILT_FILE = os.environ.get("BENCH_PREBUILT_FILE")
