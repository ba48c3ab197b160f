"""A reader's decision, from the request to the response: read once (`Decision.read`), then
applied in one transaction (`apply`): its record (`records.py`), its consent cookie and the
deletion of what declined groups had set (`DecisionProcessor`). The views only build the
response around it.

The cookie is django-cookie-consent's (its name, format via `dict_to_cookie_str`, domain,
SameSite and HttpOnly settings). What differs from the library's `CookiesProcessor.process`:
one decision covers every optional group at once (the library applies one action per call),
the cookie lasts the admin-set lifetime, an acceptance stores the group's exact current
version, and cookies are deleted from the cached configuration, with prefix matches.
"""

import time
from collections.abc import Collection
from dataclasses import dataclass

from cookie_consent.conf import settings as library_settings
from cookie_consent.processor import CookiesProcessor
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase

from . import conf, cookie
from .choices import Choice
from .cookie import protected_cookie_names
from .models import ConsentRecord
from .records import write_record
from .snapshot import ConsentSnapshot


class InvalidDecision(ValueError):
    """The request named a choice or a group that does not exist."""


def sends_gpc(request: HttpRequest) -> bool:
    """Global Privacy Control: the browser's `Sec-GPC: 1` header, or the field the banner
    script posts when `navigator.globalPrivacyControl` is on. Either can only refuse more."""
    return request.headers.get("Sec-GPC", "").strip() == "1" or request.POST.get("gpc") == "1"


def accepted_groups(
    config: ConsentSnapshot,
    choice: str,
    groups: Collection[str],
    *,
    gpc: bool = False,
    ticked_in_preference_centre: bool = False,
) -> set[str]:
    """The optional groups a choice accepts; InvalidDecision for anything unknown.

    Under Global Privacy Control the groups it refuses (advertising) are never accepted,
    except ticked one by one in the preference centre, where the reader is told why they
    are off.
    """
    optional = set(config.versions)
    unknown = set(groups) - optional
    if unknown:
        raise InvalidDecision(f"Unknown cookie group: {sorted(unknown)[0][:40]}")
    if choice == Choice.ACCEPT_ALL:
        accepted = optional
    elif choice == Choice.REJECT_ALL:
        accepted = set()
    elif choice == Choice.CUSTOM:
        accepted = set(groups)
    else:
        raise InvalidDecision("Choose accept_all, reject_all or custom.")
    if gpc and not (ticked_in_preference_centre and choice == Choice.CUSTOM):
        accepted -= set(config.gpc_refused)
    return accepted


@dataclass(frozen=True)
class Decision:
    """What one POST decides: the choice, the groups it accepts, whether the browser sent
    Global Privacy Control, and the page it was made on (to go back to and to record)."""

    choice: str
    accepted: frozenset[str]
    gpc: bool
    path: str

    @classmethod
    def read(
        cls,
        request: HttpRequest,
        config: ConsentSnapshot,
        path: str,
        *,
        in_preference_centre: bool = False,
    ) -> "Decision":
        """InvalidDecision for a choice or a group that does not exist."""
        choice, gpc = request.POST.get("choice", ""), sends_gpc(request)
        accepted = accepted_groups(
            config,
            choice,
            request.POST.getlist("groups"),
            gpc=gpc,
            ticked_in_preference_centre=in_preference_centre,
        )
        return cls(choice=choice, accepted=frozenset(accepted), gpc=gpc, path=path)


def reader_state(
    request: HttpRequest, config: ConsentSnapshot, *, gpc: bool | None = None
) -> cookie.ConsentState:
    """What this reader decided, read from their consent cookie with the page's rules
    (Global Privacy Control included: `gpc`, else read from the request)."""
    name, header = conf.cookie_name(), request.META.get("HTTP_COOKIE", "")
    raw = cookie.raw_value(header, name) if cookie.occurrences(header, name) == 1 else None
    gpc = sends_gpc(request) if gpc is None else gpc
    return cookie.evaluate(
        raw,
        versions=config.versions,
        policy=config.policy_version,
        lifetime=config.lifetime_seconds,
        now=int(time.time()),
        gpc_refused=config.gpc_refused if gpc else (),
    )


def apply(
    decision: Decision,
    request: HttpRequest,
    response: HttpResponseBase,
    config: ConsentSnapshot,
) -> tuple[cookie.ConsentState, ConsentRecord]:
    """Write the decision's record and set its cookies on `response`, in one transaction.

    A DatabaseError propagates: the caller answers without any cookie, since there is no
    proof of the decision.
    """
    previous = reader_state(request, config, gpc=decision.gpc)
    had_cookie = bool(cookie.raw_value(request.META.get("HTTP_COOKIE", ""), conf.cookie_name()))
    with transaction.atomic():
        record = write_record(
            request, response, config, decision, previous=previous, had_consent_cookie=had_cookie
        )
        state = DecisionProcessor(request, response, config).decide(
            decision.accepted, gpc=decision.gpc
        )
    return state, record


class DecisionProcessor(CookiesProcessor):
    """Writes a whole decision to the response in one consent cookie.

    A `CookiesProcessor` for code that expects the library's type; of it, only the
    request/response holding is used (`process` applies one action and is not called).
    """

    def __init__(self, request: HttpRequest, response: HttpResponseBase, config: ConsentSnapshot):
        super().__init__(request, response)
        self.config = config

    def decide(
        self, accepted: Collection[str], now: int | None = None, *, gpc: bool = False
    ) -> cookie.ConsentState:
        now = int(time.time()) if now is None else now
        versions = self.config.versions
        declined = [name for name in versions if name not in accepted]
        value = cookie.encode(
            {name: versions[name] for name in versions if name in accepted},
            declined,
            policy=self.config.policy_version,
            now=now,
            gpc=gpc,
        )
        self.response.set_cookie(
            library_settings.COOKIE_CONSENT_NAME,
            value,
            max_age=self.config.lifetime_seconds,
            domain=library_settings.COOKIE_CONSENT_DOMAIN,
            secure=library_settings.COOKIE_CONSENT_SECURE or self.request.is_secure(),
            httponly=library_settings.COOKIE_CONSENT_HTTPONLY,
            samesite=library_settings.COOKIE_CONSENT_SAMESITE,
        )
        self.delete_cookies_of(declined)
        return cookie.evaluate(
            value,
            versions=versions,
            policy=self.config.policy_version,
            lifetime=self.config.lifetime_seconds,
            now=now,
            gpc_refused=self.config.gpc_refused if gpc else (),
        )

    def delete_cookies_of(self, varnames: Collection[str]) -> None:
        """Expire the declared cookies of declined groups that the browser sent.

        Done here, on a response nobody caches, never by a middleware on page responses
        (a page cache would replay one reader's deletions to everyone).
        """
        sent = {name for name in self.request.COOKIES if name not in protected_cookie_names()}
        for varname in varnames:
            group = self.config.group(varname)
            for declared in group.cookies if group else ():
                if declared.name.endswith("*"):
                    names = [name for name in sent if name.startswith(declared.name[:-1])]
                else:
                    names = [declared.name] if declared.name in sent else []
                for name in names:
                    self.response.delete_cookie(
                        name, path=declared.path or "/", domain=declared.domain or None
                    )
