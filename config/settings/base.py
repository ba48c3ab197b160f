"""Settings shared by every environment of the demo site.

The plugin apps (medical_content, consent, themes) read nothing from here that they do not
also default themselves; this file only wires them into a runnable site.
"""

import os
from pathlib import Path

import dj_database_url
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    # Our apps first, so the theme's templates (404.html, ...) win over library defaults.
    "themes",
    "medical_content",
    "consent",
    "page_cache",
    "cookie_consent",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Readers who are not signed in get a kept public page here, before any view or SQL runs.
    "page_cache.middleware.PageCacheMiddleware",
    # Above SessionMiddleware: it sees the Vary: Cookie of a page that read the session.
    "page_cache.middleware.CacheControlMiddleware",
    # django-csp's, with the hosts of the tags privacy admins configured added.
    "consent.middleware.ConsentTagsCSPMiddleware",
    "consent.middleware.DropMalformedSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "consent.middleware.DropMalformedCsrfCookieMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: a page view starts from the site and page its address led to last time.
    "page_cache.middleware.RouteCacheMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # All lazy: `user` and `messages` cost nothing until a template reads them, and
            # public templates never do (that would make responses differ per reader).
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Several app processes write consent records at once. WAL: readers never wait for a writer,
# nor it for them. IMMEDIATE: a transaction takes the write lock when it begins, so a second
# writer waits for the first (up to the busy timeout, in seconds, under gunicorn's 30 s worker
# timeout); a deferred one that has read first cannot wait and fails at once with "database
# is locked". synchronous stays FULL: a decision answered with its cookie keeps its record
# even through a power cut. Options given in the URL (sqlite:///db?timeout=30) win.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def with_sqlite_options(database: dict) -> dict:
    """`database` (a DATABASES entry) with SQLITE_OPTIONS if it is SQLite; used here and by
    the production settings, wherever a database comes from a URL."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return database


# SQLite file outside git by default; DATABASE_URL (postgres://...) switches to PostgreSQL.
DATABASES = {
    "default": with_sqlite_options(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        )
    )
}


def redis_cache(url: str) -> dict:
    """Django's cache on Redis (django-redis), degrading to no cache when Redis is away.

    Everything the apps cache (the consent snapshot, navigation, pages) can be rebuilt from
    the database, so a Redis that stops answering must not turn pages into 500s: each cache
    call then fails within half a second, counts as a miss, and is logged (logger
    `django_redis.cache`). /healthz still reports the cache as failing.
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Local memory by default; REDIS_URL shares one cache between all app processes.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": redis_cache(os.environ["REDIS_URL"])}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Complex page models can exceed Django's default of 1000 fields in the page editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Clearwell Health"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# The machines this runs on have no internet: no update check, no gravatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "gif": "png"}
# An article edited after an approval needs approving again (clinical review is per version).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Finishing a workflow publishes even when its last approver (a medical reviewer) has no
# publish permission of their own.
WAGTAIL_FINISH_WORKFLOW_ACTION = "medical_content.review.workflow.publish_approved"
# Reviewers and publishers are told by email when a review is theirs; the demo has no mail.
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# How long after a clinical approval the next review is due (medical_content's default).
MEDICAL_CONTENT_REVIEW_INTERVAL_DAYS = int(os.environ.get("REVIEW_INTERVAL_DAYS", "365"))
# The demo's tree: the four index pages live under its own home page only (the app's default
# allows them under any page, such as a host site's home).
MEDICAL_CONTENT_INDEX_PARENT_PAGE_TYPES = ["medical_content.HomePage"]
# Both apps' pages extend the theme's base template (banner, header, search form, CSS).
MEDICAL_CONTENT_BASE_TEMPLATE = "themes/base.html"
CONSENT_BASE_TEMPLATE = "themes/base.html"

# Content-Security-Policy (django-csp): the site itself only, no inline script, no nonce (it
# would make every response's bytes differ, and public pages are shared by caches); the
# consent middleware adds the hosts and inline-script hashes of the active tags
# (consent/csp.py). The admin is left out: Wagtail's admin relies on inline scripts and styles.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Other sites get only our origin as referrer, never a page's path (health pages are
# sensitive; sensitive pages send only the origin even to this site). Not "no-referrer":
# Chromium would then send "Origin: null" on the consent forms (consent.E003).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# django-cookie-consent: proof-of-consent records are ours, so no LogItem.
COOKIE_CONSENT_LOG_ENABLED = False
# The browser script reads the consent cookie to apply it on cached pages.
COOKIE_CONSENT_HTTPONLY = False
# The library's default reverses its own cookie group list, which this site does not mount
# (consent.urls replaces its views): Django's debug page, which shows every setting, would
# crash on it with NoReverseMatch (consent.W004).
COOKIE_CONSENT_SUCCESS_URL = reverse_lazy("consent:preferences")
# Where GA4 and Tag Manager load from (the consent app's default is Google's host).
CONSENT_GOOGLE_TAG_BASE_URL = os.environ.get(
    "CONSENT_GOOGLE_TAG_BASE_URL", "https://www.googletagmanager.com"
)
