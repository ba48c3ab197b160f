"""Applying a reader's decision to the response: the consent cookie, and deleting what was set.

The cookie is django-cookie-consent's (its name, format via `dict_to_cookie_str`, domain,
SameSite and HttpOnly settings). What differs from the library's `CookiesProcessor.process`:
one decision covers every optional group at once (the library applies one action per call),
the cookie lasts the admin-set lifetime, an acceptance stores the group's exact current
version, and cookies are deleted from the cached configuration, with prefix matches.
"""

import time
from collections.abc import Collection

from cookie_consent.conf import settings as library_settings
from cookie_consent.processor import CookiesProcessor
from django.http import HttpRequest, HttpResponseBase

from . import cookie
from .choices import Choice
from .cookie import protected_cookie_names
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
