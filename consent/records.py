"""Writing proof of consent: one `ConsentRecord` per decision, chained by a consent id.

The consent id lives in a cookie of its own, signed, so a reader's later decisions chain to
their first; a missing, malformed or tampered cookie gets a new id and is never trusted to
link to someone else's chain. No IP address is kept, and of the user agent only the browser's
family.
"""

import re
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING

from cookie_consent.conf import settings as library_settings
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from safe_text.control_characters import without_control_characters

from .choices import Choice
from .cookie import CONSENT_ID_COOKIE, ConsentState
from .models import BannerVersion, ConsentRecord, RecordMethod
from .sensitivity import recorded_path
from .snapshot import ConsentSnapshot

if TYPE_CHECKING:
    from .decisions import Decision

SALT = "consent.records.consent_id"

# Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"(\b|Headless)Chrome/|\bCriOS/|\bChromium/")),
    ("Safari", re.compile(r"\bSafari/")),
)


def browser_family(user_agent: str) -> str:
    """The browser's family only ("Firefox"), never its version or the device."""
    for family, pattern in _BROWSERS:
        if pattern.search(user_agent or ""):
            return family
    return "Other"


def consent_id_of(request: HttpRequest) -> uuid.UUID | None:
    """The reader's consent id, if their cookie carries one we signed; else None."""
    try:
        value = request.get_signed_cookie(CONSENT_ID_COOKIE, salt=SALT)
    except (KeyError, signing.BadSignature):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def method_of(choice: str, accepted: Collection[str], previous: ConsentState) -> str:
    """Accept all / reject all / custom, or a withdrawal when a group accepted in the
    reader's standing decision is no longer accepted."""
    if previous.decided and any(
        previous.accepted(varname) and varname not in accepted for varname in previous.groups
    ):
        return RecordMethod.WITHDRAWAL
    if choice == Choice.ACCEPT_ALL and set(previous.groups) - set(accepted):
        return RecordMethod.ACCEPT_ALL_BUT_GPC  # only GPC leaves a group out of "accept all"
    return {
        Choice.ACCEPT_ALL: RecordMethod.ACCEPT_ALL,
        Choice.REJECT_ALL: RecordMethod.REJECT_ALL,
    }.get(choice, RecordMethod.CUSTOM)


def _banner_shown(request: HttpRequest, config: ConsentSnapshot) -> BannerVersion:
    """The words the reader decided on: those named by the banner form they posted (a cached
    page may show older words than the current ones), else the current words."""
    posted = request.POST.get("banner", "")
    if posted and posted != config.banner_digest:
        shown = BannerVersion.objects.filter(digest=posted[:64]).first()
        if shown is not None:
            return shown
    return BannerVersion.for_words(config.banner_title, str(config.banner_html))


def write_record(
    request: HttpRequest,
    response: HttpResponseBase,
    config: ConsentSnapshot,
    decision: "Decision",
    *,
    previous: ConsentState,
    had_consent_cookie: bool,
) -> ConsentRecord:
    """Record the decision and give the response the reader's consent id cookie.

    Call inside the decision's transaction: if this fails, so does the decision.
    """
    consent_id = consent_id_of(request) or uuid.uuid4()
    record = ConsentRecord.objects.create(
        consent_id=consent_id,
        method=method_of(decision.choice, decision.accepted, previous),
        re_ask=had_consent_cookie and not previous.decided,
        groups=[
            {
                "varname": group.varname,
                "name": group.name,
                "version": group.version,
                "accepted": group.varname in decision.accepted,
            }
            for group in config.groups
            if not group.is_required
        ],
        policy_version=config.policy_version,
        banner_version=_banner_shown(request, config),
        gpc=decision.gpc,
        # The path only (a query string can carry what a reader searched for), nothing that
        # names a sensitive page, and no control character (the XLSX export refuses them).
        path=without_control_characters(
            recorded_path(request.POST.get("sensitive", ""), decision.path)
        ),
        browser=browser_family(request.headers.get("User-Agent", "")),
    )
    response.set_signed_cookie(
        CONSENT_ID_COOKIE,
        str(consent_id),
        salt=SALT,
        max_age=config.lifetime_seconds,
        httponly=True,
        secure=library_settings.COOKIE_CONSENT_SECURE or request.is_secure(),
        samesite=library_settings.COOKIE_CONSENT_SAMESITE,
    )
    return record
