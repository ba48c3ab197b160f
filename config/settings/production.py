"""Production settings: refuse to start without the configuration that must not default."""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
    _check_secret_key,
)
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import with_sqlite_options


def _strong_secret_key(key: str) -> str:
    """The key, if Django's own deployment check (security.W009) finds it strong enough.

    A warning is not enough here: `check --deploy` exits 0 on it, and an empty key starts the
    server only to fail every request.
    """
    if not _check_secret_key(key):
        # The message never shows the key: it may be a real one, merely short.
        raise ImproperlyConfigured(
            "SECRET_KEY is missing, empty or weak: it needs at least "
            f"{SECRET_KEY_MIN_LENGTH} characters, at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} "
            f"different ones, and must not start with {SECRET_KEY_INSECURE_PREFIX!r}. "
            "Make one with: python -c 'from django.core.management.utils import "
            "get_random_secret_key; print(get_random_secret_key())'"
        )
    return key


def _admin_base_url(url: str) -> str:
    """WAGTAILADMIN_BASE_URL without its trailing slash, if it is an absolute http(s) address.

    Wagtail puts it in front of the paths in its e-mails (password reset, workflow
    notifications); anything else would send the people who get them nowhere.
    """
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises ValueError only when read
    except ValueError:  # also a broken [IPv6] host
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in url)
    ):
        raise ImproperlyConfigured(
            "WAGTAILADMIN_BASE_URL must be the site's absolute address, such as "
            f"'https://health.example.org', not {url!r}."
        )
    return url.rstrip("/")


DEBUG = False
SECRET_KEY = _strong_secret_key(os.environ.get("SECRET_KEY", ""))
WAGTAILADMIN_BASE_URL = _admin_base_url(os.environ["WAGTAILADMIN_BASE_URL"])
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
DATABASES = {
    "default": with_sqlite_options(
        dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True
        )
    )
}
CSRF_TRUSTED_ORIGINS = [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Where collectstatic writes and uploads go, for the proxy to serve (config/stack/nginx.conf).
STATIC_ROOT = os.environ.get("STATIC_ROOT", STATIC_ROOT)  # noqa: F405
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405

# Uploads (expert photos, article images and their renditions) go to S3-compatible storage
# (django-storages) when a bucket is named, else to MEDIA_ROOT on the local disk, which the
# proxy serves. Files get plain public URLs, not signed ones: a page's bytes must be the same
# for every reader and every render, or no cache could share it; the bucket (or the CDN named
# by AWS_S3_CUSTOM_DOMAIN) must let anyone read them. Credentials come the usual boto3 ways
# (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the host's role).
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    # Documents keep going through Wagtail, which checks their privacy settings; with remote
    # storage it would otherwise redirect readers to the file's public address.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# The app server's own copy of public pages (page_cache), in the cache Redis shares.
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE_ENABLED", "true") == "true"
# The proxy in front, purged when what readers see changes: nginx's purge address.
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            # Wagtail's HTTP backend with a timeout (page_cache/backends.py).
            "BACKEND": "page_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
COOKIE_CONSENT_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Errors go to stderr with their traceback, where the container platform or process manager
# (systemd's journal, docker logs) collects them; gunicorn's own log goes there too. Django's
# default sends nothing anywhere with DEBUG off unless ADMINS are mailed, and a mailed
# traceback carries the request's cookies and form data. 404s and other 4xx are left to the
# access log. The plugin apps' loggers (named after them) reach stderr through the root logger.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's default handlers (console only with DEBUG on; mail_admins).
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
