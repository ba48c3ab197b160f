"""Settings for `make run`: the demo site on this machine."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The demo's tags load from a stub on this server (config/tag_stub.py): nothing leaves the machine.
CONSENT_GOOGLE_TAG_BASE_URL = "/_stub/tags/google"
SERVE_TAG_STUB = True
