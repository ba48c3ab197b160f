"""Reading and writing the consent cookie: django-cookie-consent's `group=value|...` format.

The same rules run in the browser (static/consent/consent.js) on cached pages; both are
checked against one file of test vectors (tests/consent/cookie_vectors.json). A group counts
as accepted only when its stored value *equals* its current version: the library's `>=`
would let `analytics=zzz` or a date in the future pass. Anything unexpected means undecided.

Global Privacy Control: while the browser sends it, the groups it refuses (advertising) count
as declined, unless the decision itself was made under GPC (`_gpc=1`): then the reader saw
the signal honoured and chose for themselves in the preference centre.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from cookie_consent.util import dict_to_cookie_str
from django.conf import settings

from .choices import GroupState
from .conf import cookie_name

DECLINED = "-1"  # django-cookie-consent's COOKIE_CONSENT_DECLINE
POLICY_KEY = "_policy"
DECIDED_AT_KEY = "_at"
GPC_KEY = "_gpc"  # the decision was made while the browser sent Global Privacy Control
MAX_LENGTH = 4096
ALLOWED = re.compile(r"[A-Za-z0-9._:+|=-]+")
TIMESTAMP = re.compile(r"[0-9]{1,12}")
FUTURE_TOLERANCE = 24 * 60 * 60  # a day of clock difference between browser and server


@dataclass(frozen=True)
class ConsentState:
    """Each optional group's state for one reader; `decided` when none is undecided."""

    groups: Mapping[str, str] = field(default_factory=dict)
    decided: bool = False
    decided_at: int | None = None

    def accepted(self, varname: str) -> bool:
        return self.groups.get(varname) == GroupState.ACCEPTED

    def as_json(self) -> dict:
        return {"decided": self.decided, "groups": dict(self.groups)}


def undecided(versions: Mapping[str, str]) -> ConsentState:
    return ConsentState({name: GroupState.UNDECIDED for name in versions})


def parse(raw: str) -> dict[str, str] | None:
    """The cookie's key/value pairs, or None when it is not exactly in the expected form."""
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    if not raw or len(raw) > MAX_LENGTH or not ALLOWED.fullmatch(raw):
        return None
    pairs: dict[str, str] = {}
    for part in raw.split("|"):
        key, sep, value = part.partition("=")
        if not sep or not key or not value or "=" in value or key in pairs:
            return None
        pairs[key] = value
    return pairs


def evaluate(
    raw: str | None,
    *,
    versions: Mapping[str, str],
    policy: int,
    lifetime: int,
    now: int,
    gpc_refused: Collection[str] = (),
) -> ConsentState:
    """The reader's state given the cookie's value and the current configuration.

    `versions` maps each optional group's varname to its current version; `lifetime` is in
    seconds and `now` in unix seconds. `gpc_refused` names the groups the browser's Global
    Privacy Control signal refuses (empty when it sends none).
    """
    pairs = _valid_pairs(raw, policy=policy, lifetime=lifetime, now=now)
    if pairs is None:
        state = undecided(versions)
        refused = {name: GroupState.DECLINED for name in gpc_refused if name in versions}
        return ConsentState({**state.groups, **refused}) if refused else state
    groups = {}
    for name, version in versions.items():
        value = pairs.get(name)
        if value == version:
            groups[name] = GroupState.ACCEPTED
        elif value == DECLINED:
            groups[name] = GroupState.DECLINED
        else:
            groups[name] = GroupState.UNDECIDED
    if pairs.get(GPC_KEY) != "1":
        groups.update({name: GroupState.DECLINED for name in gpc_refused if name in groups})
    decided = GroupState.UNDECIDED not in groups.values()
    return ConsentState(groups, decided, int(pairs[DECIDED_AT_KEY]))


def _valid_pairs(raw: str | None, *, policy: int, lifetime: int, now: int) -> dict | None:
    """The cookie's pairs when it is well formed, under this policy and not expired."""
    pairs = parse(raw) if raw is not None else None
    if pairs is None or pairs.get(POLICY_KEY) != str(policy):
        return None
    decided_at = pairs.get(DECIDED_AT_KEY, "")
    if not TIMESTAMP.fullmatch(decided_at):
        return None
    at = int(decided_at)
    if now - at > lifetime or at > now + FUTURE_TOLERANCE:
        return None
    return pairs


def occurrences(cookie_header: str, name: str) -> int:
    """How many cookies called `name` the browser sent (two mean two paths or domains)."""
    return sum(1 for part in cookie_header.split(";") if part.strip().split("=", 1)[0] == name)


def raw_value(cookie_header: str, name: str) -> str | None:
    """The cookie's value as the browser stored it, which is what the browser script sees.

    Not `request.COOKIES`: Django's parser has already removed one pair of quotes and undone
    backslash escapes, so `""analytics=..""` would count here and not in the browser.
    """
    for part in cookie_header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value
    return None


def encode(
    accepted: Mapping[str, str],
    declined: list[str],
    *,
    policy: int,
    now: int,
    gpc: bool = False,
) -> str:
    """The cookie value for a decision: accepted groups at their version, the rest declined;
    `gpc` when the decision was made while the browser sent Global Privacy Control."""
    values = dict(accepted)
    values.update({name: DECLINED for name in declined})
    values[POLICY_KEY] = str(policy)
    values[DECIDED_AT_KEY] = str(now)
    if gpc:
        values[GPC_KEY] = "1"
    return dict_to_cookie_str(values)


# The signed cookie that chains one reader's consent records (`records.py` writes it).
CONSENT_ID_COOKIE = "consent_id"


def protected_cookie_names() -> set[str]:
    """Cookies no decision may delete: the consent cookie itself, the consent id that chains a
    reader's records, the session and CSRF ones."""
    return {
        cookie_name(),
        CONSENT_ID_COOKIE,
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
    }
