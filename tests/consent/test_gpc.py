"""Global Privacy Control: a browser that sends `Sec-GPC: 1` has refused advertising.

Proves that on the banner's decision endpoint advertising is never accepted under GPC (whether
the header or the banner script's `gpc=1` field says so), that the preference centre's "Accept
all" also leaves it out while ticking it there is honoured, that such decisions store `_gpc=1`
and a record marked `gpc`; that reading a cookie under GPC counts advertising as declined
unless the decision itself was made under GPC; what the preference centre shows with and
without the signal; that public pages stay the same bytes for every reader; the records
report's GPC filter, column and CSV value; and that bad signals never grant anything or fail.
"""

import csv
import io
import re
import time
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from consent import cookie
from consent.models import ConsentCookie, ConsentGroup, ConsentRecord
from consent.snapshot import get_snapshot
from tests.consent.test_decision_view import DECIDE, post_decision
from tests.consent.test_preference_centre import (
    NO_CHOICE_YET,
    PREFERENCES,
    consent_pairs,
    csrf_token,
)
from tests.consent.test_records_report import INDEX, listed_ids, make_record

GPC = {"HTTP_SEC_GPC": "1"}
GPC_NOTE = "Advertising is off because your browser sends a Global Privacy Control signal"
BOTH = {"analytics", "advertising"}


def gpc_cookie(accepted=(), declined=(), *, gpc=True, at=None):
    """A consent cookie as a decision under the current configuration stores it, with `_gpc`."""
    config = get_snapshot()
    return cookie.encode(
        {name: config.versions[name] for name in accepted},
        list(declined),
        policy=config.policy_version,
        now=int(time.time()) if at is None else at,
        gpc=gpc,
    )


def accepted_in(response, name):
    """The groups a response's consent cookie stores at a version (not -1)."""
    pairs = consent_pairs(response, name)
    return {key for key, value in pairs.items() if not key.startswith("_") and value != "-1"}


def save_preferences(client, data, **headers):
    """A POST from the preference centre's own form (with its CSRF token)."""
    token = csrf_token(client.get(PREFERENCES, **headers).content.decode())
    return client.post(PREFERENCES, {"csrfmiddlewaretoken": token, **data}, **headers)


class _Elements(HTMLParser):
    """Each `<button>` and `<p>`: its attributes and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        if tag in ("button", "p"):
            element = {"tag": tag, "attrs": dict(attrs), "text": ""}
            self.found.append(element)
            self._open.append(element)

    def handle_endtag(self, tag):
        if tag in ("button", "p") and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self._open[-1]["text"] += data


def elements(html, tag):
    parser = _Elements()
    parser.feed(html)
    return [element for element in parser.found if element["tag"] == tag]


def accept_all_buttons(html):
    """Label -> shown (no `hidden` attribute), for each button that posts `accept_all`."""
    return {
        " ".join(button["text"].split()): "hidden" not in button["attrs"]
        for button in elements(html, "button")
        if button["attrs"].get("value") == "accept_all"
    }


def gpc_notes(html):
    """The preference centre's GPC notes (one per advertising group): shown or not."""
    return [
        "hidden" not in p["attrs"]
        for p in elements(html, "p")
        if "consent-group__gpc" in (p["attrs"].get("class") or "").split()
    ]


# --- 1. The banner's decision endpoint ----------------------------------------------------

# How the signal reaches the endpoint: the browser's header, or the field the script adds.
SIGNALS = {
    "Sec-GPC header": ({}, GPC),
    "gpc field": ({"gpc": "1"}, {}),
}


@pytest.mark.django_db
class TestBannerDecisionUnderGpc:
    @pytest.mark.parametrize("signal", list(SIGNALS))
    @pytest.mark.parametrize(
        "data",
        [
            {"choice": "accept_all"},
            {"choice": "custom", "groups": ["analytics", "advertising"]},
            {"choice": "custom", "groups": ["advertising"]},
        ],
        ids=["accept all", "custom both", "custom advertising only"],
    )
    def test_advertising_is_never_accepted(
        self, client, consent_config, consent_cookie_name, data, signal
    ):
        fields, headers = SIGNALS[signal]
        response = post_decision(client, {**data, **fields}, **headers)

        assert response.status_code == 303
        pairs = consent_pairs(response, consent_cookie_name)
        assert pairs["advertising"] == "-1"
        expected = {"analytics"} & set(data.get("groups", BOTH))
        assert accepted_in(response, consent_cookie_name) == expected
        if "analytics" in expected:
            assert pairs["analytics"] == consent_config.versions["analytics"]
        assert pairs["_gpc"] == "1"

    @pytest.mark.parametrize("signal", list(SIGNALS))
    def test_reject_all_under_gpc_is_marked_too(self, client, consent_cookie_name, signal):
        fields, headers = SIGNALS[signal]
        response = post_decision(client, {"choice": "reject_all", **fields}, **headers)
        assert accepted_in(response, consent_cookie_name) == set()
        assert consent_pairs(response, consent_cookie_name)["_gpc"] == "1"

    def test_without_gpc_accept_all_still_accepts_advertising_unmarked(
        self, client, consent_cookie_name
    ):
        response = post_decision(client, {"choice": "accept_all"})
        assert accepted_in(response, consent_cookie_name) == BOTH
        assert "_gpc" not in consent_pairs(response, consent_cookie_name)

    def test_script_is_told_advertising_is_declined(self, client):
        response = post_decision(
            client, {"choice": "accept_all", "gpc": "1"}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200
        assert response.json() == {
            "decided": True,
            "groups": {"analytics": "accepted", "advertising": "declined"},
        }

    def test_accept_all_under_gpc_deletes_the_advertising_cookies(
        self, client, consent_groups, accept_all_cookie, consent_cookie_name
    ):
        ConsentCookie.objects.create(
            cookiegroup=consent_groups["advertising"],
            name="ad_id",
            provider="Ad network",
            purpose="Ads",
            duration="1 year",
        )
        client.cookies[consent_cookie_name] = accept_all_cookie
        client.cookies["ad_id"] = "reader-42"
        client.cookies["_ga"] = "GA1.1.1.1"
        response = post_decision(client, {"choice": "accept_all"}, **GPC)
        assert response.cookies["ad_id"]["max-age"] == 0
        assert "_ga" not in response.cookies  # analytics stays accepted

    def test_record_says_gpc_and_advertising_not_accepted(self, client):
        post_decision(client, {"choice": "accept_all"}, **GPC)
        record = ConsentRecord.objects.get()
        assert record.gpc is True
        # Not "Accept all": the record says what the reader ended up accepting, and why.
        assert record.method == "accept_all_gpc"
        assert record.get_method_display() == "Accept all but advertising (GPC)"
        assert {g["varname"]: g["accepted"] for g in record.groups} == {
            "analytics": True,
            "advertising": False,
        }

    def test_record_without_gpc_says_so(self, client):
        post_decision(client, {"choice": "accept_all"})
        record = ConsentRecord.objects.get()
        assert (record.gpc, record.method) == (False, "accept_all")


# --- 2. The preference centre -------------------------------------------------------------


@pytest.mark.django_db
class TestPreferenceCentreUnderGpc:
    def test_accept_all_leaves_advertising_out(self, csrf_client, consent_cookie_name):
        response = save_preferences(csrf_client, {"choice": "accept_all"}, **GPC)
        assert response.status_code == 303
        assert accepted_in(response, consent_cookie_name) == {"analytics"}
        assert consent_pairs(response, consent_cookie_name)["_gpc"] == "1"

    def test_ticking_advertising_here_is_honoured(
        self, csrf_client, consent_config, consent_cookie_name, ticked
    ):
        response = save_preferences(
            csrf_client, {"choice": "custom", "groups": ["analytics", "advertising"]}, **GPC
        )
        assert response.status_code == 303
        pairs = consent_pairs(response, consent_cookie_name)
        assert pairs["advertising"] == consent_config.versions["advertising"]
        assert pairs["_gpc"] == "1"
        # Still sending GPC, the reader's own choice stands on the next visit.
        html = csrf_client.get(PREFERENCES, **GPC).content.decode()
        assert ticked(html) == BOTH
        assert NO_CHOICE_YET not in html

    def test_ticking_advertising_with_the_script_field_is_honoured(
        self, csrf_client, consent_cookie_name
    ):
        response = save_preferences(
            csrf_client, {"choice": "custom", "groups": ["advertising"], "gpc": "1"}
        )
        assert accepted_in(response, consent_cookie_name) == {"advertising"}

    def test_records_the_signal(self, csrf_client):
        save_preferences(csrf_client, {"choice": "custom", "groups": ["advertising"]}, **GPC)
        save_preferences(csrf_client, {"choice": "reject_all"})
        first, second = ConsentRecord.objects.order_by("pk")
        assert (first.gpc, first.path, first.method) == (True, PREFERENCES, "custom")
        assert second.gpc is False

    def test_accept_all_but_advertising_is_recorded_as_such(self, csrf_client):
        save_preferences(csrf_client, {"choice": "accept_all"}, **GPC)
        assert ConsentRecord.objects.get().method == "accept_all_gpc"

    def test_with_gpc_the_note_shows_and_accept_all_becomes_all_but_advertising(self, client):
        html = client.get(PREFERENCES, **GPC).content.decode()
        assert gpc_notes(html) == [True]
        assert accept_all_buttons(html) == {
            "Accept all": False,
            "Accept all but advertising": True,
        }

    def test_without_gpc_the_note_is_hidden_and_accept_all_shows(self, client):
        html = client.get(PREFERENCES).content.decode()
        assert gpc_notes(html) == [False]
        assert accept_all_buttons(html) == {
            "Accept all": True,
            "Accept all but advertising": False,
        }

    def test_the_note_sits_with_the_advertising_group(self, client):
        html = client.get(PREFERENCES, **GPC).content.decode()
        advertising = html[html.index('id="group-advertising-title"') :]
        analytics = html[html.index('id="group-analytics-title"') : len(html) - len(advertising)]
        assert 'class="consent-group__gpc"' in advertising
        assert 'class="consent-group__gpc"' not in analytics

    def test_accept_all_stays_when_gpc_refuses_nothing(self, client, consent_groups):
        """Without an advertising group, GPC takes nothing away: "Accept all" must still show."""
        consent_groups["advertising"].delete()
        html = client.get(PREFERENCES, **GPC).content.decode()
        shown = [label for label, visible in accept_all_buttons(html).items() if visible]
        assert shown == ["Accept all"]
        assert gpc_notes(html) == []


# --- 3. Reading a cookie while the browser sends GPC --------------------------------------


@pytest.mark.django_db
class TestReadingUnderGpc:
    def test_advertising_accepted_without_gpc_counts_as_declined(
        self, client, accept_all_cookie, consent_cookie_name, ticked
    ):
        client.cookies[consent_cookie_name] = accept_all_cookie
        assert ticked(client.get(PREFERENCES).content.decode()) == BOTH
        html = client.get(PREFERENCES, **GPC).content.decode()
        assert ticked(html) == {"analytics"}
        assert NO_CHOICE_YET not in html  # still a decision: advertising is simply off

    def test_advertising_accepted_under_gpc_stays_accepted(
        self, client, consent_cookie_name, ticked
    ):
        client.cookies[consent_cookie_name] = gpc_cookie(accepted=BOTH)
        assert ticked(client.get(PREFERENCES, **GPC).content.decode()) == BOTH

    def test_no_cookie_under_gpc_is_still_undecided(self, client, ticked):
        html = client.get(PREFERENCES, **GPC).content.decode()
        assert ticked(html) == set()
        assert NO_CHOICE_YET in html

    @pytest.mark.parametrize(
        "marker, gpc_on, advertising",
        [
            ("|_gpc=1", True, "accepted"),
            ("", True, "declined"),
            ("|_gpc=0", True, "declined"),
            ("|_gpc=yes", True, "declined"),
            ("|_gpc=11", True, "declined"),
            ("", False, "accepted"),
            ("|_gpc=0", False, "accepted"),
        ],
    )
    def test_cookie_state(self, consent_config, accept_all_cookie, marker, gpc_on, advertising):
        state = cookie.evaluate(
            accept_all_cookie + marker,
            versions=consent_config.versions,
            policy=consent_config.policy_version,
            lifetime=consent_config.lifetime_seconds,
            now=int(time.time()),
            gpc_refused=consent_config.gpc_refused if gpc_on else (),
        )
        assert state.as_json() == {
            "decided": True,
            "groups": {"analytics": "accepted", "advertising": advertising},
        }

    def test_gpc_refuses_by_purpose_not_by_name(self, client, consent_cookie_name, ticked):
        ConsentGroup.objects.create(
            varname="partners", name="Partners", purpose="advertising", ordering=30
        )
        client.cookies[consent_cookie_name] = gpc_cookie(
            accepted=["analytics", "advertising", "partners"], gpc=False
        )
        html = client.get(PREFERENCES, **GPC).content.decode()
        assert ticked(html) == {"analytics"}
        assert gpc_notes(html) == [True, True]


# --- 4. Public pages: the same bytes for every reader -------------------------------------


@pytest.mark.django_db
class TestPublicPagesIgnoreTheSignal:
    @pytest.mark.parametrize("url", ["/", "/missing/"])
    def test_same_bytes_with_and_without_gpc(self, home, ga4_and_ad_tags, url):
        without = Client().get(url)
        with_gpc = Client().get(url, **GPC)
        assert with_gpc.status_code == without.status_code
        assert with_gpc.content == without.content
        assert not with_gpc.cookies
        assert "sec-gpc" not in with_gpc.get("Vary", "").lower()

    def test_the_gpc_variant_is_in_the_page_inert(self, client, home):
        html = client.get("/").content.decode()
        buttons = accept_all_buttons(html)
        # "Accept all" (the banner's and its <noscript> copy's) shows; the GPC variant waits.
        assert buttons == {"Accept all": True, "Accept analytics": False}
        note = next(p for p in elements(html, "p") if GPC_NOTE in p["text"])
        assert "hidden" in note["attrs"]
        assert "data-consent-gpc-show" in note["attrs"]
        shown_only_under_gpc = re.findall(r"<button[^>]*data-consent-gpc-show[^>]*>", html)
        assert shown_only_under_gpc and all(" hidden" in b for b in shown_only_under_gpc)

    def test_the_gpc_accept_button_names_what_it_accepts(self, client, home):
        ConsentGroup.objects.create(
            varname="functional", name="Functional", purpose="functional", ordering=5
        )
        html = client.get("/").content.decode()
        assert "Accept functional and analytics" in accept_all_buttons(html)

    def test_no_gpc_accept_button_when_only_advertising_is_optional(
        self, client, home, consent_groups
    ):
        consent_groups["analytics"].delete()
        assert accept_all_buttons(client.get("/").content.decode()) == {"Accept all": True}


# --- 5. The records report ----------------------------------------------------------------


@pytest.mark.django_db
class TestRecordsReport:
    @pytest.mark.parametrize("value, expected", [("true", {"gpc"}), ("false", {"plain"})])
    def test_filter_by_gpc(self, privacy_client, value, expected):
        records = {"gpc": make_record(gpc=True), "plain": make_record()}
        response = privacy_client.get(reverse(INDEX), {"gpc": value})
        listed = listed_ids(response)
        assert {name for name, r in records.items() if str(r.consent_id) in listed} == expected

    def test_listing_has_a_gpc_column(self, privacy_client):
        make_record(gpc=True)
        page = privacy_client.get(reverse(INDEX)).content.decode()
        headings = [
            " ".join(re.sub(r"<[^>]+>", " ", th).split())
            for th in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
        ]
        assert "GPC" in headings

    def test_csv_says_which_decisions_had_gpc(self, privacy_client):
        make_record(gpc=True)
        response = privacy_client.get(reverse(INDEX), {"export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        column = rows[0].index("Global Privacy Control")
        assert [row[column] for row in rows[1:]] == ["True"]

    def test_a_real_gpc_decision_is_found_by_the_filter(self, privacy_client):
        post_decision(Client(), {"choice": "accept_all"})
        post_decision(Client(), {"choice": "accept_all"}, **GPC)
        response = privacy_client.get(reverse(INDEX), {"gpc": "true"})
        assert listed_ids(response) == [str(ConsentRecord.objects.get(gpc=True).consent_id)]


# --- 6. Bad signals: never a grant, never a 500 -------------------------------------------

NOT_GPC_HEADERS = ["0", "garbage", "", "true", "11", "1" * 8000]
NOT_GPC_FIELDS = ["yes", "0", "true", "on", "", " 1x", "1" * 20000]


@pytest.mark.django_db
class TestBadSignals:
    @pytest.mark.parametrize(
        "value", NOT_GPC_HEADERS, ids=["0", "garbage", "empty", "true", "11", "long"]
    )
    def test_header_other_than_1_is_no_signal(self, client, consent_cookie_name, value):
        response = post_decision(client, {"choice": "accept_all"}, HTTP_SEC_GPC=value)
        assert response.status_code == 303
        assert accepted_in(response, consent_cookie_name) == BOTH
        assert "_gpc" not in consent_pairs(response, consent_cookie_name)
        assert ConsentRecord.objects.get().gpc is False

    @pytest.mark.parametrize(
        "value", NOT_GPC_FIELDS, ids=["yes", "0", "true", "on", "empty", "1x", "long"]
    )
    def test_field_other_than_1_is_no_signal(self, client, consent_cookie_name, value):
        response = post_decision(client, {"choice": "accept_all", "gpc": value})
        assert response.status_code == 303
        assert accepted_in(response, consent_cookie_name) == BOTH
        assert ConsentRecord.objects.get().gpc is False

    @pytest.mark.parametrize("value", NOT_GPC_HEADERS[:5])
    def test_preference_centre_with_a_bad_header_shows_no_note(self, client, value):
        response = client.get(PREFERENCES, HTTP_SEC_GPC=value)
        assert response.status_code == 200
        assert gpc_notes(response.content.decode()) == [False]

    @pytest.mark.parametrize(
        "data",
        [
            {"choice": "custom", "groups": ["analytics", "nosuchgroup"], "gpc": "1"},
            {"choice": "accept_all", "groups": ["nosuchgroup"]},
        ],
        ids=["custom", "accept all"],
    )
    def test_unknown_group_under_gpc_is_refused_and_sets_nothing(self, client, data):
        response = post_decision(client, data, **GPC)
        assert response.status_code == 400
        assert not response.cookies
        assert not ConsentRecord.objects.exists()

    def test_unknown_group_in_the_preference_centre_under_gpc(self, csrf_client):
        response = save_preferences(csrf_client, {"choice": "custom", "groups": "tracking"}, **GPC)
        assert response.status_code == 400
        assert not ConsentRecord.objects.exists()

    def test_gpc_from_another_site_is_still_refused(self, client):
        response = client.post(
            DECIDE, {"choice": "reject_all", "gpc": "1"}, HTTP_ORIGIN="https://evil.example", **GPC
        )
        assert response.status_code == 403
        assert not response.cookies
        assert not ConsentRecord.objects.exists()

    @pytest.mark.parametrize(
        "raw",
        [
            "analytics={analytics}|advertising={advertising}|_gpc=1",  # no policy, no time
            "analytics={analytics}|advertising={advertising}|_policy=99|_at={now}|_gpc=1",
            "advertising={advertising}|_policy={policy}|_at=soon|_gpc=1",
            "advertising={advertising}|_policy={policy}|_at={now}|_gpc=1|_gpc=1",
            "_gpc=1",
            "advertising={advertising}|_policy={policy}|_at={now}|_gpc=1=1",
        ],
        ids=["no policy", "other policy", "bad time", "twice", "only the marker", "extra ="],
    )
    @pytest.mark.parametrize("headers", [GPC, {}], ids=["with gpc", "without gpc"])
    def test_marker_on_a_malformed_cookie_grants_nothing(
        self, client, consent_config, consent_cookie_name, ticked, raw, headers
    ):
        client.cookies[consent_cookie_name] = raw.format(
            **consent_config.versions,
            policy=consent_config.policy_version,
            now=int(time.time()),
        )
        response = client.get(PREFERENCES, **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert ticked(html) == set()
        assert NO_CHOICE_YET in html
