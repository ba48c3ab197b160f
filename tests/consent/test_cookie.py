"""The consent cookie is read strictly: only an exact, current, well-formed value is consent.

Proves that the Python reader agrees with the shared test vectors (also run against the browser
script), that no cookie string whatever makes the server fail or grant consent the rules do not
give, and that hostile cookies (100 KB, NUL bytes, duplicates, non-ASCII) give a normal page.
"""

import json
import re
import string
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from consent.cookie import evaluate
from consent.views import reader_state

VECTORS_FILE = Path(__file__).with_name("cookie_vectors.json")
VECTORS = json.loads(VECTORS_FILE.read_text())
VECTOR_CONFIG = VECTORS["config"]
VECTOR_VERSIONS = {group["varname"]: group["version"] for group in VECTOR_CONFIG["groups"]}
# What a Global Privacy Control signal refuses: the advertising groups.
VECTOR_GPC_REFUSED = [
    g["varname"] for g in VECTOR_CONFIG["groups"] if g["purpose"] == "advertising"
]

PREFERENCES = "/consent/preferences/"
COOKIE_ALPHABET = string.ascii_letters + string.digits + '._:+|=-"'
# Characters a mutation may put into an otherwise valid value.
CYRILLIC_A = "\u0430"
MUTATION_CHARACTERS = [*COOKIE_ALPHABET, ";", " ", "\t", "\x00", "\\", ",", "é", "\u0430", "🍪"]


# --- The oracle: the spec's rules, written out plainly, independently of consent.cookie ----------


def spec_state(raw, versions, policy, lifetime, now):
    """Each group's state by the contract (consent_spec.md, "evaluate"), or None when the
    cookie counts as no decision at all (malformed or stale)."""
    if raw is None:
        return None
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        raw = raw[1:-1]
    if raw == "" or len(raw) > 4096:
        return None
    if any(character not in COOKIE_ALPHABET or character == '"' for character in raw):
        return None
    pairs = {}
    for part in raw.split("|"):
        if part.count("=") != 1:
            return None
        key, value = part.split("=")
        if key == "" or value == "" or key in pairs:
            return None
        pairs[key] = value
    if pairs.get("_policy") != str(policy):
        return None
    at = pairs.get("_at", "")
    if not (1 <= len(at) <= 12 and all(c in "0123456789" for c in at)):
        return None
    if now - int(at) > lifetime or int(at) > now + 86400:
        return None
    states = {}
    for name, version in versions.items():
        if pairs.get(name) == version:
            states[name] = "accepted"
        elif pairs.get(name) == "-1":
            states[name] = "declined"
        else:
            states[name] = "undecided"
    return states


def spec_accepted(raw, versions, policy, lifetime, now):
    states = spec_state(raw, versions, policy, lifetime, now) or {}
    return {name for name, state in states.items() if state == "accepted"}


def browser_value(cookie_header, name):
    """The consent cookie's value as the browser script reads it from document.cookie, or None
    when there is none or more than one. A browser trims whitespace around a value it stores."""
    entries = [chunk.split("=", 1) for chunk in re.split(r";\s*", cookie_header)]
    values = [entry[1] for entry in entries if len(entry) == 2 and entry[0] == name]
    return values[0].strip() if len(values) == 1 else None


# --- Generated cookie strings --------------------------------------------------------------------


def _valid_value(kind, versions, policy, now):
    names = list(versions)
    values = {
        "accept_all": {name: versions[name] for name in names},
        "reject_all": dict.fromkeys(names, "-1"),
        "mixed": {name: versions[name] if i == 0 else "-1" for i, name in enumerate(names)},
    }[kind]
    values.update({"_policy": str(policy), "_at": str(now - 60)})
    return "|".join(f"{key}={value}" for key, value in values.items())


def _mutate(value, operation, versions, policy, lifetime, now):
    op, number, character = operation
    parts = value.split("|")
    position = number % (len(value) + 1)
    if op == "insert":
        return value[:position] + character + value[position:]
    if op == "delete":
        return value[:position] + value[position + 1 :]
    if op == "replace":
        return value[:position] + character + value[position + 1 :]
    if op == "truncate":
        return value[:position]
    if op == "quote":
        return f'"{value}"'
    if op == "duplicate_part":
        return "|".join([*parts, parts[number % len(parts)]])
    if op == "drop_part":
        del parts[number % len(parts)]
        return "|".join(parts)
    if op == "swap_versions":
        # A group carrying another group's version, or a version one character off.
        names = list(versions)
        target = names[number % len(names)]
        other = versions[names[(number + 1) % len(names)]]
        near = versions[target][:-1] + character
        replacement = other if number % 2 else near
        return "|".join(
            f"{target}={replacement}" if part.startswith(f"{target}=") else part for part in parts
        )
    if op == "policy":
        new = [str(policy - 1), str(policy + 1), f"0{policy}", f"+{policy}", f"{policy}.0"]
        return re.sub(r"_policy=[^|]*", f"_policy={new[number % len(new)]}", value)
    if op == "at":
        offsets = [-lifetime - 1, -lifetime, 0, 86400, 86401, 10**12]
        new_at = now + offsets[number % len(offsets)]
        return re.sub(r"_at=[^|]*", f"_at={new_at}", value)
    raise AssertionError(op)


OPERATIONS = st.tuples(
    st.sampled_from(
        [
            "insert",
            "delete",
            "replace",
            "truncate",
            "quote",
            "duplicate_part",
            "drop_part",
            "swap_versions",
            "policy",
            "at",
        ]
    ),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(MUTATION_CHARACTERS),
)

# A cookie to try: ("text", s) is used as it is; ("near_miss", kind, operations) is a valid value
# of that kind for the configuration under test with the operations applied in turn.
COOKIE_CASES = st.one_of(
    st.tuples(st.just("text"), st.text()),
    st.tuples(st.just("text"), st.text(alphabet=COOKIE_ALPHABET)),
    st.tuples(
        st.just("near_miss"),
        st.sampled_from(["accept_all", "reject_all", "mixed"]),
        st.lists(OPERATIONS, max_size=3),
    ),
)
QUOTED_TWICE = ("near_miss", "accept_all", [("quote", 0, '"'), ("quote", 0, '"')])
ESCAPED_QUOTES = ("near_miss", "accept_all", [("quote", 0, '"'), ("replace", 0, "\\")])


def materialise(case, versions, policy, lifetime, now):
    if case[0] == "text":
        return case[1]
    _, kind, operations = case
    value = _valid_value(kind, versions, policy, now)
    for operation in operations:
        value = _mutate(value, operation, versions, policy, lifetime, now)
    return value


def as_wsgi_header(text):
    """A header as a WSGI server hands it to Django: the bytes the browser sent (UTF-8 for
    non-ASCII) decoded as latin-1."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


# --- (1) The shared vectors ----------------------------------------------------------------------


class TestCookieVectors:
    @pytest.mark.parametrize(
        "vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]]
    )
    def test_vector_gives_the_expected_state(self, vector):
        state = evaluate(
            vector["raw"],
            versions=VECTOR_VERSIONS,
            policy=VECTOR_CONFIG["policy"],
            lifetime=VECTOR_CONFIG["lifetime"],
            now=VECTORS["now"],
            gpc_refused=VECTOR_GPC_REFUSED if vector.get("gpc") else (),
        )
        assert state.as_json() == vector["expected"]


# --- (2) Properties over random cookie strings ---------------------------------------------------


class TestNoFalseConsent:
    @pytest.fixture
    def home_without_cookies(self, client, home):
        return client.get("/").content

    @settings(max_examples=300, deadline=None)
    @given(case=COOKIE_CASES)
    @example(case=QUOTED_TWICE)
    @example(case=("text", "=|=|="))
    def test_evaluate_never_raises_and_follows_the_rules(self, case):
        versions, policy = VECTOR_VERSIONS, VECTOR_CONFIG["policy"]
        lifetime, now = VECTOR_CONFIG["lifetime"], VECTORS["now"]
        raw = materialise(case, versions, policy, lifetime, now)

        state = evaluate(raw, versions=versions, policy=policy, lifetime=lifetime, now=now)

        accepted = {name for name, value in state.groups.items() if value == "accepted"}
        assert accepted <= spec_accepted(raw, versions, policy, lifetime, now), raw
        expected = spec_state(raw, versions, policy, lifetime, now) or dict.fromkeys(
            versions, "undecided"
        )
        assert dict(state.groups) == expected, raw
        assert state.decided == ("undecided" not in expected.values()), raw

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(case=COOKIE_CASES)
    @example(case=QUOTED_TWICE)
    @example(case=ESCAPED_QUOTES)
    @example(case=("near_miss", "accept_all", []))
    def test_no_server_error_and_no_group_ticked_without_consent(
        self, client, home_without_cookies, consent_config, consent_cookie_name, ticked, case
    ):
        # QUOTED_TWICE and ESCAPED_QUOTES once ticked groups here that the browser script
        # treats as undecided (see test_quoted_twice_is_undecided_on_the_server).
        versions, policy = consent_config.versions, consent_config.policy_version
        lifetime, now = consent_config.lifetime_seconds, int(time.time())
        raw = materialise(case, versions, policy, lifetime, now)
        header = as_wsgi_header(f"{consent_cookie_name}={raw}")

        preferences = client.get(PREFERENCES, HTTP_COOKIE=header)
        page = client.get("/", HTTP_COOKIE=header)

        assert preferences.status_code == 200, raw
        seen_by_script = browser_value(header, consent_cookie_name)
        allowed = spec_accepted(seen_by_script, versions, policy, lifetime, now)
        assert ticked(preferences.content.decode()) <= allowed, raw
        assert page.status_code == 200, raw
        assert page.content == home_without_cookies, raw


# --- (3) Hostile cookies: a normal page, nothing ticked ------------------------------------------


def _hostile_headers(name, valid):
    return {
        "100 KB value": f"{name}={valid}|pad={'x' * 100_000}",
        "NUL byte in the value": f"{name}={valid}\x00",
        "NUL byte in the quoted value": f'{name}="{valid}\x00"',
        "same name twice": f"{name}={valid}; {name}={valid}",
        "same name twice, quoted, other cookies between": (
            f'{name}="{valid}"; _ga=GA1.1.1.2; {name}="{valid}"'
        ),
        "non-ASCII in the value": as_wsgi_header(f"{name}={valid}|theme=café"),
        "non-ASCII lookalike key": as_wsgi_header(
            f"{name}={valid.replace('analytics', CYRILLIC_A + 'nalytics')}"
        ),
    }


HOSTILE_CASES = list(_hostile_headers("cookie_consent", "VALID"))


@pytest.mark.django_db
class TestHostileCookies:
    @pytest.fixture
    def hostile_header(self, request, consent_cookie_name, accept_all_cookie):
        return _hostile_headers(consent_cookie_name, accept_all_cookie)[request.param]

    def test_a_valid_cookie_sent_the_same_way_counts(
        self, client, rf, consent_config, consent_cookie_name, accept_all_cookie, ticked
    ):
        # The harness below can tell consent from no consent.
        header = f'{consent_cookie_name}="{accept_all_cookie}"'
        state = reader_state(rf.get("/", HTTP_COOKIE=header), consent_config)
        assert state.decided
        html = client.get(PREFERENCES, HTTP_COOKIE=header).content.decode()
        assert ticked(html) == set(consent_config.versions)

    @pytest.mark.parametrize("hostile_header", HOSTILE_CASES, indirect=True)
    def test_reader_state_is_undecided(self, rf, consent_config, hostile_header):
        state = reader_state(rf.get("/", HTTP_COOKIE=hostile_header), consent_config)
        assert not state.decided
        assert set(state.groups.values()) == {"undecided"}

    @pytest.mark.parametrize("hostile_header", HOSTILE_CASES, indirect=True)
    def test_preference_centre_ticks_nothing(self, client, hostile_header, ticked):
        response = client.get(PREFERENCES, HTTP_COOKIE=hostile_header)
        assert response.status_code == 200
        html = response.content.decode()
        assert ticked(html) == set()
        assert "You have not made a choice yet" in html

    @pytest.mark.parametrize("hostile_header", HOSTILE_CASES, indirect=True)
    def test_public_page_is_the_normal_page(self, client, home, hostile_header):
        response = client.get("/", HTTP_COOKIE=hostile_header)
        assert response.status_code == 200
        assert response.content == client.get("/").content
        assert not response.cookies

    def test_quoted_twice_is_undecided_on_the_server(
        self, client, rf, consent_config, consent_cookie_name, accept_all_cookie, ticked
    ):
        # Django's cookie parser strips one pair of quotes and evaluate() another, so the
        # server must read the raw header, or `""analytics=...""` would count here while the
        # browser script (and vector "quoted twice") say undecided.
        header = f'{consent_cookie_name}=""{accept_all_cookie}""'
        state = reader_state(rf.get("/", HTTP_COOKIE=header), consent_config)
        assert not state.decided
        assert ticked(client.get(PREFERENCES, HTTP_COOKIE=header).content.decode()) == set()
