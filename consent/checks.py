"""System checks: settings that would quietly break the consent layer's promises."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError
from django.urls import NoReverseMatch

from .choices import TagKind
from .snapshot import insecure_tags

CLEAN_COOKIES = "cookie_consent.middleware.CleanCookiesMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
DROP_MALFORMED_CSRF = "consent.middleware.DropMalformedCsrfCookieMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
DROP_MALFORMED_SESSION = "consent.middleware.DropMalformedSessionCookieMiddleware"
# (guard, the middleware it must precede, what goes wrong without it, check id): each guard
# drops a junk cookie that would make Django set or delete a cookie on every response.
COOKIE_GUARDS = [
    (
        DROP_MALFORMED_CSRF,
        CSRF,
        "A malformed csrftoken cookie makes CsrfViewMiddleware set a new one on every "
        "response, so public pages would differ per reader and carry Set-Cookie.",
        "consent.W002",
    ),
    (
        DROP_MALFORMED_SESSION,
        SESSIONS,
        "A sessionid cookie that is not a session key makes SessionMiddleware delete it on "
        "every response, so public pages would carry Set-Cookie and Vary: Cookie.",
        "consent.W005",
    ),
]
# Referrer policies that send a page's path to other sites.
PATH_LEAKING = {"unsafe-url", "no-referrer-when-downgrade"}


@register()
def check_settings(app_configs=None, **kwargs) -> list:
    problems = []
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    for guard, guarded, problem, check_id in COOKIE_GUARDS:
        if guarded in middleware and (
            guard not in middleware or middleware.index(guard) > middleware.index(guarded)
        ):
            problems.append(
                Warning(problem, hint=f"Add {guard!r} just before {guarded!r}.", id=check_id)
            )
    if CLEAN_COOKIES in middleware:
        problems.append(
            Error(
                "CleanCookiesMiddleware deletes cookies on page responses; a page cache or CDN "
                "would replay one reader's deletions to every reader.",
                hint="Remove it: the decision view and the browser script delete cookies.",
                id="consent.E001",
            )
        )
    if getattr(settings, "COOKIE_CONSENT_HTTPONLY", True):
        problems.append(
            Error(
                "COOKIE_CONSENT_HTTPONLY is on, so the browser script cannot read the consent "
                "cookie and no tag would ever run.",
                hint="Set COOKIE_CONSENT_HTTPONLY = False.",
                id="consent.E002",
            )
        )
    if getattr(settings, "COOKIE_CONSENT_LOG_ENABLED", True):
        problems.append(
            Warning(
                "django-cookie-consent's LogItem logging is on: a second, incomplete store of "
                "decisions (no consent id, no policy version).",
                hint="Set COOKIE_CONSENT_LOG_ENABLED = False.",
                id="consent.W001",
            )
        )
    if getattr(settings, "SECURE_REFERRER_POLICY", None) == "no-referrer":
        problems.append(
            Error(
                "Referrer-Policy: no-referrer makes Chromium send 'Origin: null' from the "
                "site's own forms, so the decision view would refuse every choice.",
                hint="Use 'strict-origin-when-cross-origin' or 'same-origin'.",
                id="consent.E003",
            )
        )
    policy = getattr(settings, "SECURE_REFERRER_POLICY", None) or ""
    # Django takes a comma-separated string or a list.
    values = policy.split(",") if isinstance(policy, str) else list(policy)
    if {value.strip() for value in values} & PATH_LEAKING:
        problems.append(
            Warning(
                f"Referrer-Policy: {policy} sends the full address of the page a reader "
                "leaves to other sites, and on a health site the address says what they read.",
                hint="Use 'strict-origin-when-cross-origin' (or 'same-origin').",
                id="consent.W003",
            )
        )
    try:
        # A lazy reverse: str() resolves it, as Django's debug page does when it lists settings.
        str(getattr(settings, "COOKIE_CONSENT_SUCCESS_URL", ""))
    except NoReverseMatch:
        problems.append(
            Warning(
                "COOKIE_CONSENT_SUCCESS_URL names a URL this site does not mount (the library's "
                "default is its own cookie group list), so Django's debug page crashes with "
                "NoReverseMatch instead of showing an error.",
                hint='Set COOKIE_CONSENT_SUCCESS_URL = reverse_lazy("consent:preferences").',
                id="consent.W004",
            )
        )
    return problems


@register(Tags.database)
def check_tag_urls(app_configs=None, databases=None, **kwargs) -> list:
    """Tags that pages leave out because their script is not on https (with DEBUG off).

    A database check: Django runs it in `migrate` and in `check --database default`.
    """
    if not databases:
        return []
    try:
        found = insecure_tags()
    except DatabaseError:  # before the first migrate: no tags yet
        return []
    return [
        Warning(
            f"This tag's script URL, {url}, is not https: with DEBUG off no page carries it.",
            hint=(
                "Set CONSENT_GOOGLE_TAG_BASE_URL to an https:// URL."
                if tag.kind in (TagKind.GA4, TagKind.GTM)
                else f"Change its URL to https:// (Cookie consent > Tags, tag #{tag.pk}), "
                "or untick Active."
            ),
            obj=tag,
            id="consent.W006",
        )
        for tag, url in found
    ]
