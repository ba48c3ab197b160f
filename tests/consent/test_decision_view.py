"""The decision endpoint: one POST records a whole decision, from this site's own pages only.

Proves the exact consent cookie each choice stores (versions, -1, policy, time, lifetime,
attributes), the JSON and redirect answers, that forged cross-site posts and bad input set
nothing, that withdrawing deletes the declined groups' cookies (and accepting deletes none), that
no response can be cached, and that the library's LogItem records stay off.
"""

import json
import time
from urllib.parse import urlencode

import pytest
from cookie_consent.models import LogItem

from consent.models import ConsentCookie

DECIDE = "/consent/decide/"
SAME_ORIGIN = "http://testserver"


def post_decision(client, data, **headers):
    headers.setdefault("HTTP_ORIGIN", SAME_ORIGIN)
    return client.post(DECIDE, data, **headers)


def cookie_parts(response, name):
    return sorted(response.cookies[name].value.split("|"))


def expected_parts(config, accepted, at):
    parts = [
        f"{name}={config.versions[name] if name in accepted else '-1'}" for name in config.versions
    ]
    return sorted([*parts, f"_policy={config.policy_version}", f"_at={at}"])


def decided_at(response, name):
    pairs = dict(part.split("=", 1) for part in response.cookies[name].value.split("|"))
    return int(pairs["_at"])


CHOICES = {
    "accept_all": ({"choice": "accept_all"}, {"analytics", "advertising"}),
    "reject_all": ({"choice": "reject_all"}, set()),
    "custom analytics only": ({"choice": "custom", "groups": ["analytics"]}, {"analytics"}),
    "custom advertising only": ({"choice": "custom", "groups": ["advertising"]}, {"advertising"}),
    "custom both": (
        {"choice": "custom", "groups": ["analytics", "advertising"]},
        {"analytics", "advertising"},
    ),
    "custom none": ({"choice": "custom"}, set()),
}


@pytest.mark.django_db
class TestDecisionCookie:
    @pytest.mark.parametrize("choice", list(CHOICES))
    def test_choice_stores_the_exact_value(
        self, client, consent_config, consent_cookie_name, choice
    ):
        data, accepted = CHOICES[choice]
        before = int(time.time())
        response = post_decision(client, data)
        after = int(time.time())

        assert response.status_code == 303
        at = decided_at(response, consent_cookie_name)
        assert before <= at <= after
        assert cookie_parts(response, consent_cookie_name) == expected_parts(
            consent_config, accepted, at
        )

    def test_cookie_lasts_the_default_lifetime(self, client, consent_cookie_name):
        morsel = post_decision(client, {"choice": "accept_all"}).cookies[consent_cookie_name]
        assert morsel["max-age"] == 182 * 86400

    def test_cookie_lifetime_follows_the_settings(
        self, client, consent_settings, consent_cookie_name
    ):
        consent_settings.lifetime_days = 30
        consent_settings.save()
        morsel = post_decision(client, {"choice": "reject_all"}).cookies[consent_cookie_name]
        assert morsel["max-age"] == 30 * 86400

    def test_raised_policy_version_is_stored(self, client, consent_settings, consent_cookie_name):
        consent_settings.policy_version = 7
        consent_settings.save()
        response = post_decision(client, {"choice": "accept_all"})
        assert "_policy=7" in cookie_parts(response, consent_cookie_name)

    def test_cookie_is_lax_and_readable_by_the_browser_script(self, client, consent_cookie_name):
        morsel = post_decision(client, {"choice": "accept_all"}).cookies[consent_cookie_name]
        assert morsel["samesite"] == "Lax"
        assert not morsel["httponly"]
        assert morsel["path"] == "/"
        assert not morsel["secure"]

    def test_cookie_is_secure_over_https(self, client, consent_cookie_name):
        response = post_decision(
            client, {"choice": "accept_all"}, secure=True, HTTP_ORIGIN="https://testserver"
        )
        assert response.status_code == 303
        assert response.cookies[consent_cookie_name]["secure"]

    def test_new_group_version_is_what_an_acceptance_stores(
        self, client, consent_groups, consent_cookie_name
    ):
        # Adding a cookie to a group gives it a new version; the next acceptance stores that.
        ConsentCookie.objects.create(
            cookiegroup=consent_groups["advertising"],
            name="ad_id",
            provider="Ads",
            purpose="Ads",
            duration="1 year",
        )
        new_version = consent_groups["advertising"].version
        response = post_decision(client, {"choice": "accept_all"})
        assert f"advertising={new_version}" in cookie_parts(response, consent_cookie_name)

    def test_urlencoded_body_works_like_the_multipart_one(
        self, client, consent_config, consent_cookie_name
    ):
        body = urlencode([("choice", "custom"), ("groups", "advertising"), ("next", "/a/")])
        response = client.post(
            DECIDE, body, content_type="application/x-www-form-urlencoded", HTTP_ORIGIN=SAME_ORIGIN
        )
        assert response.status_code == 303
        assert response["Location"] == "/a/"
        at = decided_at(response, consent_cookie_name)
        assert cookie_parts(response, consent_cookie_name) == expected_parts(
            consent_config, {"advertising"}, at
        )


@pytest.mark.django_db
class TestJsonAnswer:
    @pytest.mark.parametrize("choice", list(CHOICES))
    def test_script_gets_the_state_as_json(
        self, client, consent_config, consent_cookie_name, choice
    ):
        data, accepted = CHOICES[choice]
        response = post_decision(client, data, HTTP_ACCEPT="application/json")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content) == {
            "decided": True,
            "groups": {
                name: "accepted" if name in accepted else "declined"
                for name in consent_config.versions
            },
        }
        at = decided_at(response, consent_cookie_name)
        assert cookie_parts(response, consent_cookie_name) == expected_parts(
            consent_config, accepted, at
        )


@pytest.mark.django_db
class TestRedirect:
    @pytest.mark.parametrize("target", ["/", "/articles/", "/articles/leg-veins/?page=2"])
    def test_back_to_a_page_of_this_site(self, client, target):
        response = post_decision(client, {"choice": "accept_all", "next": target})
        assert response.status_code == 303
        assert response["Location"] == target

    @pytest.mark.parametrize(
        "target",
        [
            "https://evil.example/",
            "http://evil.example/articles/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "",
        ],
    )
    def test_next_elsewhere_goes_home(self, client, target):
        response = post_decision(client, {"choice": "reject_all", "next": target})
        assert response.status_code == 303
        assert response["Location"] == "/"

    def test_without_next_goes_home(self, client):
        response = post_decision(client, {"choice": "reject_all"})
        assert response["Location"] == "/"


FORGED_HEADERS = {
    "Origin of another host": {"HTTP_ORIGIN": "https://evil.example"},
    "Origin of a look-alike host": {"HTTP_ORIGIN": "http://testserver.evil.example"},
    "Origin with another scheme": {"HTTP_ORIGIN": "https://testserver"},
    "Origin null": {"HTTP_ORIGIN": "null"},
    "no Origin, no Sec-Fetch-Site": {},
    "Sec-Fetch-Site cross-site with a good Origin": {
        "HTTP_ORIGIN": SAME_ORIGIN,
        "HTTP_SEC_FETCH_SITE": "cross-site",
    },
    "Sec-Fetch-Site same-site with a good Origin": {
        "HTTP_ORIGIN": SAME_ORIGIN,
        "HTTP_SEC_FETCH_SITE": "same-site",
    },
    "no Origin, Sec-Fetch-Site cross-site": {"HTTP_SEC_FETCH_SITE": "cross-site"},
}


@pytest.mark.django_db
class TestForgedRequests:
    @pytest.mark.parametrize("headers", FORGED_HEADERS.values(), ids=list(FORGED_HEADERS))
    def test_cross_site_post_is_refused_and_sets_nothing(self, client, headers):
        client.cookies["_ga"] = "GA1.1.1.1"
        response = client.post(DECIDE, {"choice": "reject_all", "next": "/"}, **headers)
        assert response.status_code == 403
        assert not response.cookies
        assert "Set-Cookie" not in response.headers

    def test_cross_site_fetch_asking_for_json_is_refused(self, client):
        response = client.post(
            DECIDE,
            {"choice": "accept_all"},
            HTTP_ACCEPT="application/json",
            HTTP_ORIGIN="https://evil.example",
            HTTP_SEC_FETCH_SITE="cross-site",
        )
        assert response.status_code == 403
        assert not response.cookies

    def test_same_origin_fetch_without_origin_header_is_accepted(
        self, client, consent_cookie_name
    ):
        response = client.post(DECIDE, {"choice": "accept_all"}, HTTP_SEC_FETCH_SITE="same-origin")
        assert response.status_code == 303
        assert consent_cookie_name in response.cookies

    def test_same_origin_with_sec_fetch_site_is_accepted(self, client, consent_cookie_name):
        response = post_decision(
            client, {"choice": "accept_all"}, HTTP_SEC_FETCH_SITE="same-origin"
        )
        assert response.status_code == 303
        assert consent_cookie_name in response.cookies

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_other_methods_are_not_allowed(self, client, method):
        response = getattr(client, method)(DECIDE, HTTP_ORIGIN=SAME_ORIGIN)
        assert response.status_code == 405
        assert not response.cookies


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        "data",
        [
            {"choice": "custom", "groups": ["analytics", "nosuchgroup"]},
            {"choice": "custom", "groups": ["Analytics"]},
            {"choice": "accept_all", "groups": ["nosuchgroup"]},
            {"choice": "custom", "groups": ["<script>alert(1)</script>"]},
        ],
        ids=["unknown group", "group in another case", "unknown group with accept_all", "markup"],
    )
    def test_unknown_group_is_refused_and_sets_nothing(self, client, data):
        response = post_decision(client, data)
        assert response.status_code == 400
        assert not response.cookies
        # Plain text: the group name echoed in the message can never become markup.
        assert response["Content-Type"].startswith("text/plain")

    @pytest.mark.parametrize("choice", ["accept", "ACCEPT_ALL", "", None])
    def test_unknown_or_missing_choice_is_refused(self, client, choice):
        data = {} if choice is None else {"choice": choice}
        response = post_decision(client, data)
        assert response.status_code == 400
        assert not response.cookies


READER_COOKIES = {
    "_ga": "GA1.1.123.456",
    "_ga_ABC": "GS1.1.stub",
    "_ga_STUB": "GS1.1.stub",
    "stub_ad_id": "stub",
    "sessionid": "s" * 32,
    "csrftoken": "x" * 32,
}
# The proof-of-consent id rides along with every decision (consent/records.py).
CONSENT_ID = "consent_id"
ANALYTICS_COOKIES = {"_ga", "_ga_ABC", "_ga_STUB"}


@pytest.mark.django_db
class TestWithdrawal:
    @pytest.fixture
    def returning_reader(self, client, accept_all_cookie, consent_cookie_name):
        client.cookies[consent_cookie_name] = accept_all_cookie
        for name, value in READER_COOKIES.items():
            client.cookies[name] = value
        return client

    @pytest.mark.parametrize(
        "data",
        [{"choice": "reject_all"}, {"choice": "custom", "groups": ["advertising"]}],
        ids=["reject all", "custom without analytics"],
    )
    def test_declining_expires_the_groups_cookies_only(
        self, returning_reader, consent_cookie_name, data
    ):
        response = post_decision(returning_reader, data)
        assert set(response.cookies) == {consent_cookie_name, CONSENT_ID, *ANALYTICS_COOKIES}
        for name in ANALYTICS_COOKIES:
            assert response.cookies[name]["max-age"] == 0
            assert response.cookies[name]["path"] == "/"
            assert response.cookies[name].value == ""

    def test_json_withdrawal_expires_them_too(self, returning_reader, consent_cookie_name):
        response = post_decision(
            returning_reader, {"choice": "reject_all"}, HTTP_ACCEPT="application/json"
        )
        assert set(response.cookies) == {consent_cookie_name, CONSENT_ID, *ANALYTICS_COOKIES}

    @pytest.mark.parametrize(
        "data",
        [
            {"choice": "accept_all"},
            {"choice": "custom", "groups": ["analytics"]},
            {"choice": "custom", "groups": ["analytics", "advertising"]},
        ],
        ids=["accept all", "custom analytics", "custom both"],
    )
    def test_accepting_deletes_nothing(self, returning_reader, consent_cookie_name, data):
        response = post_decision(returning_reader, data)
        assert set(response.cookies) == {consent_cookie_name, CONSENT_ID}

    def test_a_cookie_the_admin_declares_is_deleted_on_withdrawal(
        self, returning_reader, consent_groups, consent_cookie_name
    ):
        ConsentCookie.objects.create(
            cookiegroup=consent_groups["advertising"],
            name="stub_ad_id",
            provider="Ad network",
            purpose="Ads",
            duration="2 years",
            path="/",
        )
        response = post_decision(returning_reader, {"choice": "custom", "groups": ["analytics"]})
        assert set(response.cookies) == {consent_cookie_name, CONSENT_ID, "stub_ad_id"}
        assert response.cookies["stub_ad_id"]["max-age"] == 0

    def test_cookie_not_sent_is_not_deleted(self, client, consent_cookie_name):
        client.cookies["_ga"] = "GA1.1.1.1"
        response = post_decision(client, {"choice": "reject_all"})
        assert set(response.cookies) == {consent_cookie_name, CONSENT_ID, "_ga"}


@pytest.mark.django_db
class TestNothingIsCachedOrLogged:
    @pytest.mark.parametrize(
        "data, headers, status",
        [
            ({"choice": "accept_all"}, {}, 303),
            ({"choice": "reject_all"}, {"HTTP_ACCEPT": "application/json"}, 200),
            ({"choice": "nope"}, {}, 400),
            ({"choice": "accept_all"}, {"HTTP_ORIGIN": "https://evil.example"}, 403),
        ],
        ids=["redirect", "json", "bad request", "forbidden"],
    )
    def test_decision_responses_are_no_store(self, client, data, headers, status):
        response = post_decision(client, data, **headers)
        assert response.status_code == status
        assert "no-store" in response["Cache-Control"]

    def test_method_not_allowed_is_no_store(self, client):
        assert "no-store" in client.get(DECIDE)["Cache-Control"]

    def test_decisions_write_no_log_items(self, client):
        for data in CHOICES.values():
            post_decision(client, data[0])
            post_decision(client, data[0], HTTP_ACCEPT="application/json")
        assert LogItem.objects.count() == 0
