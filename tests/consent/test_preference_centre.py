"""The preference centre: the one per-reader page, where a reader sees and changes their choice.

Proves it is never cached, carries a CSRF token, declares every group and its cookies, opens
with "Reject all" before "Accept all", shows the reader's current state (nothing ticked until a
valid decision, then exactly what they accepted, and the date), saves a choice in one POST, and
asks again once the policy version is raised or the decision has expired.
"""

import re
import time
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from consent.models import ConsentCookie, ConsentRecord

PREFERENCES = "/consent/preferences/"
NO_CHOICE_YET = "You have not made a choice yet"


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def consent_pairs(response, name):
    return dict(part.split("=", 1) for part in response.cookies[name].value.split("|"))


@pytest.mark.django_db
class TestPage:
    def test_is_never_cached(self, client):
        response = client.get(PREFERENCES)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]

    def test_carries_a_csrf_token(self, client):
        html = client.get(PREFERENCES).content.decode()
        assert re.search(r'<input type="hidden" name="csrfmiddlewaretoken" value="\w+">', html)

    def test_lists_every_group_with_its_cookies(self, client, consent_config):
        html = client.get(PREFERENCES).content.decode()
        for header in ("Cookie", "Set by", "What it is for", "How long it lasts"):
            assert f'<th scope="col">{header}</th>' in html
        for group in consent_config.groups:
            assert f">{escape(group.name)}</h3>" in html
            for cookie in group.cookies:
                row = (
                    f'<tr><th scope="row"><code>{escape(cookie.name)}</code></th>'
                    f'<td data-label="Set by">{escape(cookie.provider)}</td>'
                    f'<td data-label="What it is for">{escape(cookie.purpose)}</td>'
                    f'<td data-label="How long it lasts">{escape(cookie.duration)}</td></tr>'
                )
                assert row in html
        # The migration's groups and cookies, so the loop above checked something.
        assert "<code>_ga</code>" in html
        assert "<code>csrftoken</code>" in html

    def test_a_cookie_added_by_an_admin_is_declared(self, client, consent_groups):
        client.get(PREFERENCES)
        ConsentCookie.objects.create(
            cookiegroup=consent_groups["advertising"],
            name="ad_id",
            provider="Ad network",
            purpose="Tells readers apart for adverts.",
            duration="13 months",
        )
        html = client.get(PREFERENCES).content.decode()
        assert (
            '<tr><th scope="row"><code>ad_id</code></th><td data-label="Set by">Ad network</td>'
            '<td data-label="What it is for">Tells readers apart for adverts.</td>'
            '<td data-label="How long it lasts">13 months</td></tr>'
        ) in html

    def test_opens_with_reject_all_before_accept_all(self, client):
        html = client.get(PREFERENCES).content.decode()
        reject, accept = html.find('value="reject_all"'), html.find('value="accept_all"')
        assert -1 < reject < accept
        assert html.find(">Reject all<") < html.find(">Accept all<")

    def test_one_toggle_per_optional_group_and_none_for_necessary(self, client, consent_config):
        html = client.get(PREFERENCES).content.decode()
        toggles = re.findall(r'<input type="checkbox"[^>]* name="groups" value="(\w+)"', html)
        assert toggles == list(consent_config.versions)
        assert "Always on" in html

    def test_does_not_render_the_banner(self, client):
        html = client.get(PREFERENCES).content.decode()
        assert 'id="consent-banner"' not in html
        assert "consent-noscript-title" not in html
        assert "<noscript>" not in html


@pytest.mark.django_db
class TestReaderState:
    def test_nothing_ticked_before_a_decision(self, client, ticked):
        html = client.get(PREFERENCES).content.decode()
        assert ticked(html) == set()
        assert NO_CHOICE_YET in html

    @pytest.mark.parametrize(
        "accepted, declined",
        [
            ({"analytics"}, {"advertising"}),
            ({"advertising"}, {"analytics"}),
            ({"analytics", "advertising"}, set()),
            (set(), {"analytics", "advertising"}),
        ],
        ids=["analytics", "advertising", "both", "neither"],
    )
    def test_accepted_groups_are_ticked(
        self, client, make_consent_cookie, consent_cookie_name, ticked, accepted, declined
    ):
        client.cookies[consent_cookie_name] = make_consent_cookie(accepted, declined)
        html = client.get(PREFERENCES).content.decode()
        assert ticked(html) == accepted
        assert NO_CHOICE_YET not in html

    def test_shows_the_decision_date(self, client, make_consent_cookie, consent_cookie_name):
        # Noon UTC three days ago: the same calendar day in London whatever the season.
        at = (int(time.time()) // 86400 - 3) * 86400 + 12 * 3600
        day = datetime.fromtimestamp(at, tz=UTC)
        client.cookies[consent_cookie_name] = make_consent_cookie(
            ["analytics"], ["advertising"], at=at
        )
        html = client.get(PREFERENCES).content.decode()
        assert f"You made your choice on {day.day} {day:%B} {day.year}." in html
        assert "It lasts 182 days" in html

    def test_raised_policy_version_asks_again(
        self, client, consent_settings, accept_all_cookie, consent_cookie_name, ticked
    ):
        client.cookies[consent_cookie_name] = accept_all_cookie
        assert ticked(client.get(PREFERENCES).content.decode()) == {"analytics", "advertising"}

        consent_settings.policy_version += 1
        consent_settings.save()

        html = client.get(PREFERENCES).content.decode()
        assert ticked(html) == set()
        assert NO_CHOICE_YET in html

    def test_expired_decision_asks_again(
        self, client, consent_config, make_consent_cookie, consent_cookie_name, ticked
    ):
        at = int(time.time()) - consent_config.lifetime_seconds - 60
        client.cookies[consent_cookie_name] = make_consent_cookie(["analytics"], at=at)
        html = client.get(PREFERENCES).content.decode()
        assert ticked(html) == set()
        assert NO_CHOICE_YET in html

    def test_group_with_a_new_version_is_no_longer_ticked(
        self, client, consent_groups, make_consent_cookie, consent_cookie_name, ticked
    ):
        client.cookies[consent_cookie_name] = make_consent_cookie(["analytics", "advertising"])
        # A new cookie in analytics changes its version: that consent no longer covers it.
        ConsentCookie.objects.create(
            cookiegroup=consent_groups["analytics"],
            name="_gid",
            provider="Google",
            purpose="Counts visits.",
            duration="1 day",
        )
        assert ticked(client.get(PREFERENCES).content.decode()) == {"advertising"}


@pytest.mark.django_db
class TestSaving:
    def test_saving_custom_choices(self, csrf_client, consent_config, consent_cookie_name, ticked):
        token = csrf_token(csrf_client.get(PREFERENCES).content.decode())
        response = csrf_client.post(
            PREFERENCES, {"csrfmiddlewaretoken": token, "choice": "custom", "groups": "analytics"}
        )

        assert response.status_code == 303
        assert response["Location"] == f"{PREFERENCES}?saved=1"
        pairs = consent_pairs(response, consent_cookie_name)
        assert pairs["analytics"] == consent_config.versions["analytics"]
        assert pairs["advertising"] == "-1"
        assert pairs["_policy"] == str(consent_config.policy_version)

        html = csrf_client.get(response["Location"]).content.decode()
        assert "Your cookie choices have been saved." in html
        assert ticked(html) == {"analytics"}

    @pytest.mark.parametrize("choice", ["accept_all", "reject_all"])
    def test_saving_accept_or_reject_all(
        self, csrf_client, consent_config, consent_cookie_name, ticked, choice
    ):
        token = csrf_token(csrf_client.get(PREFERENCES).content.decode())
        response = csrf_client.post(PREFERENCES, {"csrfmiddlewaretoken": token, "choice": choice})
        assert response.status_code == 303
        expected = {
            name: (version if choice == "accept_all" else "-1")
            for name, version in consent_config.versions.items()
        }
        pairs = consent_pairs(response, consent_cookie_name)
        assert {name: pairs[name] for name in expected} == expected
        html = csrf_client.get(PREFERENCES).content.decode()
        assert ticked(html) == (set(expected) if choice == "accept_all" else set())

    def test_withdrawing_here_deletes_the_groups_cookies(
        self, csrf_client, accept_all_cookie, consent_cookie_name
    ):
        csrf_client.cookies[consent_cookie_name] = accept_all_cookie
        csrf_client.cookies["_ga"] = "GA1.1.1.1"
        token = csrf_token(csrf_client.get(PREFERENCES).content.decode())
        response = csrf_client.post(
            PREFERENCES, {"csrfmiddlewaretoken": token, "choice": "custom"}
        )
        assert response.cookies["_ga"]["max-age"] == 0

    def test_saved_in_place_the_answer_carries_the_new_standing_choice(
        self, csrf_client, consent_cookie_name
    ):
        # The script saves without leaving the page, so the page's account of the choice
        # ("You have not made a choice yet") is replaced from the answer.
        page = csrf_client.get(PREFERENCES).content.decode()
        assert NO_CHOICE_YET in page and "Your consent ID" not in page
        response = csrf_client.post(
            PREFERENCES,
            {"csrfmiddlewaretoken": csrf_token(page), "choice": "reject_all"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200
        answer = response.json()
        assert answer["decided"] is True
        record = ConsentRecord.objects.get()
        today = timezone.localdate()
        assert f"You made your choice on {today.day} {today:%B} {today.year}." in answer["current"]
        assert f"Your consent ID: <code>{record.consent_id}</code>" in answer["current"]
        assert NO_CHOICE_YET not in answer["current"]
        # The same words the page itself shows once reloaded.
        reloaded = csrf_client.get(PREFERENCES).content.decode()
        assert answer["current"].strip() in reloaded

    def test_post_without_the_token_is_refused(self, csrf_client, consent_cookie_name):
        csrf_client.get(PREFERENCES)
        response = csrf_client.post(PREFERENCES, {"choice": "accept_all"})
        assert response.status_code == 403
        assert consent_cookie_name not in response.cookies

    def test_unknown_group_is_refused(self, csrf_client, consent_cookie_name):
        token = csrf_token(csrf_client.get(PREFERENCES).content.decode())
        response = csrf_client.post(
            PREFERENCES, {"csrfmiddlewaretoken": token, "choice": "custom", "groups": "tracking"}
        )
        assert response.status_code == 400
        assert consent_cookie_name not in response.cookies

    def test_no_saved_message_without_a_save(self, client):
        assert (
            "Your cookie choices have been saved." not in client.get(PREFERENCES).content.decode()
        )
