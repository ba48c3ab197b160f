"""When articles are next due a clinical review: the dashboard panel and the report.

Editors, publishers and medical reviewers see the "Clinical reviews due" panel and the
Reports > Review schedule report; privacy admins and other staff do not.
"""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from medical_content import factories
from medical_content.models import ClinicalApproval
from medical_content.review.roles import EDITORS, MEDICAL_REVIEWERS, PUBLISHERS
from tests.people import PRIVACY_ADMINS, make_user
from tests.queries import warm_query_count

DASHBOARD = "/admin/"
REPORT = "/admin/reports/review-schedule/"


@pytest.fixture
def clinician(db):
    """A medical reviewer whose login is linked to a public expert profile."""
    user = make_user("clinician", MEDICAL_REVIEWERS)
    expert = factories.ExpertProfilePageFactory(given_name="Imogen", family_name="Varga")
    expert.user = user
    expert.save()
    return user


@pytest.fixture
def live_article(article_index, clinician):
    """`article(title, reviewed_days_ago=...)` makes a live article; without
    `reviewed_days_ago` it was published unreviewed (by a superuser)."""

    def make(title: str, reviewed_days_ago: int | None = None, **fields):
        page = factories.ArticlePageFactory(parent=article_index, title=title, **fields)
        if reviewed_days_ago is not None:
            revision = page.save_revision()
            approved_at = timezone.now() - datetime.timedelta(days=reviewed_days_ago)
            ClinicalApproval.objects.record(revision, clinician, approved_at=approved_at)
            revision.publish()
            page.refresh_from_db()
        return page

    return make


@pytest.fixture
def demo_like(live_article):
    """The demo's mix (default interval 365 days, "due soon" 30 days), plus one never reviewed."""
    return {
        "current": live_article("Atrial fibrillation", reviewed_days_ago=10),
        "due_soon": live_article("Cardiac MRI", reviewed_days_ago=345),
        "never": live_article("Unreviewed leaflet"),
        "overdue": live_article("Varicose veins", reviewed_days_ago=380),
    }


@pytest.fixture
def log_in_as(client, django_user_model):
    """`login(*groups)` logs a new user in with those groups; `login(superuser=True)` too."""

    def log_in(*groups: str, superuser: bool = False):
        if superuser:
            user = django_user_model.objects.create_superuser("root", password="x")
        else:
            user = make_user(f"user-{'-'.join(groups) or 'none'}", *groups)
        client.force_login(user)
        return client

    return log_in


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def panel_html(response) -> str | None:
    """The "Clinical reviews due" panel's HTML, or None if the dashboard has none."""
    match = re.search(
        r'<section[^>]*id="clinical-reviews-due-section".*?</section>',
        response.content.decode(),
        re.S,
    )
    return match.group(0) if match else None


def row_texts(html: str) -> list[str]:
    """The text of each body row of the first table in `html`."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return [text(row) for row in re.findall(r"<tr.*?</tr>", body.group(1), re.S)] if body else []


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def _days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _display(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


@pytest.mark.django_db
class TestReviewsDuePanel:
    def test_lists_overdue_first_then_due_soon_with_dates_and_reviewer(self, demo_like, log_in_as):
        html = panel_html(log_in_as(PUBLISHERS).get(DASHBOARD))
        rows = row_texts(html)

        assert [row.split(" Never")[0].split(" Overdue")[0].split(" Due")[0] for row in rows] == [
            "Unreviewed leaflet",
            "Varicose veins",
            "Cardiac MRI",
        ]
        assert rows[0] == "Unreviewed leaflet Never clinically reviewed None for the live version"
        assert rows[1] == (
            f"Varicose veins Overdue by 15 days {_display(_days_from_today(-15))} "
            f"Dr Imogen Varga {_display(_days_from_today(-380))}"
        )
        assert rows[2] == (
            f"Cardiac MRI Due in 20 days {_display(_days_from_today(20))} "
            f"Dr Imogen Varga {_display(_days_from_today(-345))}"
        )
        assert "Atrial fibrillation" not in html
        assert "2 overdue (1 never clinically reviewed), 1 due in the next 30 days." in text(html)

    def test_titles_link_to_the_editor_and_the_panel_to_the_report(self, demo_like, log_in_as):
        html = panel_html(log_in_as(EDITORS).get(DASHBOARD))
        assert f'href="/admin/pages/{demo_like["overdue"].pk}/edit/"' in html
        assert f'href="{REPORT}"' in html

    def test_medical_reviewers_who_cannot_edit_get_the_live_article(self, demo_like, log_in_as):
        html = panel_html(log_in_as(MEDICAL_REVIEWERS).get(DASHBOARD))
        assert f'href="{demo_like["overdue"].url}"' in html
        assert "/edit/" not in html

    def test_says_so_when_nothing_is_due(self, live_article, log_in_as):
        live_article("Atrial fibrillation", reviewed_days_ago=10)
        html = panel_html(log_in_as(PUBLISHERS).get(DASHBOARD))
        assert "No articles are overdue for clinical review or due one in the next 30 days." in (
            text(html)
        )
        assert "Atrial fibrillation" not in html

    def test_shows_only_the_most_urgent_and_links_to_the_rest(self, live_article, log_in_as):
        for n in range(12):
            live_article(f"Leaflet {n:02}")
        html = panel_html(log_in_as(PUBLISHERS).get(DASHBOARD))
        assert len(row_texts(html)) == 10
        assert "12 overdue (12 never clinically reviewed)." in text(html)
        assert "See all 12 articles that need a review" in text(html)
        assert f"{REPORT}?status=never&amp;status=overdue&amp;status=due_soon" in html

    @pytest.mark.parametrize(
        "groups", [(EDITORS,), (PUBLISHERS,), (MEDICAL_REVIEWERS,), ("superuser",)]
    )
    def test_shown_to_the_editorial_roles(self, demo_like, log_in_as, groups):
        client = log_in_as(superuser=True) if groups == ("superuser",) else log_in_as(*groups)
        assert panel_html(client.get(DASHBOARD)) is not None

    def test_not_shown_to_privacy_admins(self, demo_like, log_in_as):
        response = log_in_as(PRIVACY_ADMINS).get(DASHBOARD)
        assert response.status_code == 200
        assert panel_html(response) is None
        assert "Varicose veins" not in response.content.decode()

    def test_not_shown_to_other_admin_users(self, demo_like, client, db):
        user = make_user("helper")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        response = client.get(DASHBOARD)
        assert response.status_code == 200
        assert panel_html(response) is None

    def test_queries_do_not_grow_with_the_number_of_articles(self, live_article, log_in_as):
        client = log_in_as(PUBLISHERS)
        for n in range(2):
            live_article(f"Early {n}", reviewed_days_ago=380)
        two = warm_query_count(client, DASHBOARD)
        for n in range(5):
            live_article(f"Later {n}", reviewed_days_ago=350)
            live_article(f"Never {n}")
        twelve = warm_query_count(client, DASHBOARD)
        assert len(row_texts(panel_html(client.get(DASHBOARD)))) == 10
        assert two == twelve
        assert twelve <= 30


@pytest.mark.django_db
class TestReviewScheduleReport:
    def test_lists_every_live_article_by_due_date_never_reviewed_first(
        self, demo_like, live_article, log_in_as
    ):
        factories.ArticlePageFactory(title="Draft leaflet", live=False)
        rows = row_texts(log_in_as(PUBLISHERS).get(REPORT).content.decode())
        today = timezone.localdate()

        assert [row.split(" ")[0] for row in rows] == [
            "Unreviewed",
            "Varicose",
            "Cardiac",
            "Atrial",
        ]
        assert rows[0] == "Unreviewed leaflet Never clinically reviewed Never reviewed"
        assert rows[1] == (
            f"Varicose veins {_display(today - datetime.timedelta(days=380))} Dr Imogen Varga "
            f"{_display(today - datetime.timedelta(days=15))} Overdue by 15 days Overdue"
        )
        assert rows[2].endswith("Due in 20 days Due soon")
        assert rows[3].endswith("Due in 355 days Current")

    def test_shows_each_article_specialty(self, live_article, log_in_as):
        cardiology = factories.SpecialtyPageFactory(title="Cardiology")
        live_article("Cardiac MRI", reviewed_days_ago=345, specialty=cardiology)
        rows = row_texts(log_in_as(EDITORS).get(REPORT).content.decode())
        assert rows[0].startswith("Cardiac MRI Cardiology ")

    def test_publishing_unreviewed_changes_puts_an_article_back_on_the_list(
        self, demo_like, log_in_as, django_user_model
    ):
        """Only the approval of the version readers see counts."""
        superuser = django_user_model.objects.create_superuser("boss", password="x")
        current = demo_like["current"]
        current.standfirst = "A rewritten opening paragraph nobody has reviewed."
        current.save_revision(user=superuser).publish(user=superuser)

        response = log_in_as(PUBLISHERS).get(REPORT, {"status": "never"})
        titles = [row.split(" Never")[0] for row in row_texts(response.content.decode())]
        # Nothing of its old approval is shown for the version readers now see.
        assert "Atrial fibrillation Never clinically reviewed Never reviewed" in (
            row_texts(response.content.decode())
        )
        assert titles == ["Atrial fibrillation", "Unreviewed leaflet"]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"status": "overdue"}, ["Varicose veins"]),
            ({"status": ["never", "overdue"]}, ["Unreviewed leaflet", "Varicose veins"]),
            ({"status": "due_soon"}, ["Cardiac MRI"]),
            ({"status": "current"}, ["Atrial fibrillation"]),
        ],
    )
    def test_filters_by_status(self, demo_like, log_in_as, params, expected):
        rows = row_texts(log_in_as(PUBLISHERS).get(REPORT, params).content.decode())
        assert [row for row in rows if not any(row.startswith(t) for t in expected)] == []
        assert len(rows) == len(expected)

    def test_filters_by_specialty(self, live_article, log_in_as):
        cardiology = factories.SpecialtyPageFactory(title="Cardiology")
        surgery = factories.SpecialtyPageFactory(title="Vascular surgery")
        live_article("Cardiac MRI", reviewed_days_ago=345, specialty=cardiology)
        live_article("Varicose veins", reviewed_days_ago=380, specialty=surgery)
        rows = row_texts(
            log_in_as(PUBLISHERS).get(REPORT, {"specialty": cardiology.pk}).content.decode()
        )
        assert [row.split(" Cardiology")[0] for row in rows] == ["Cardiac MRI"]

    def test_filters_by_due_date_range(self, demo_like, log_in_as):
        params = {
            "due_from": _days_from_today(-30).isoformat(),
            "due_to": _days_from_today(30).isoformat(),
        }
        rows = row_texts(log_in_as(PUBLISHERS).get(REPORT, params).content.decode())
        assert [row.split(" ")[0] for row in rows] == ["Varicose", "Cardiac"]

    def test_sorts_by_due_date_latest_first_on_request(self, demo_like, log_in_as):
        rows = row_texts(
            log_in_as(PUBLISHERS).get(REPORT, {"ordering": "-review_due"}).content.decode()
        )
        assert [row.split(" ")[0] for row in rows] == [
            "Atrial",
            "Cardiac",
            "Varicose",
            "Unreviewed",
        ]

    def test_csv_has_the_same_columns_with_iso_dates(self, demo_like, log_in_as):
        response = log_in_as(PUBLISHERS).get(REPORT, {"export": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
        today = timezone.localdate()
        assert (
            f'filename="review-schedule-{today.isoformat()}.csv"'
            in (response["Content-Disposition"])
        )

        def iso(days: int) -> str:
            return (today + datetime.timedelta(days=days)).isoformat()

        assert csv_rows(response) == [
            [
                "Article",
                "Specialty",
                "Last clinically reviewed",
                "Reviewed by",
                "Next review due",
                "Status",
            ],
            ["Unreviewed leaflet", "", "", "", "", "Never reviewed"],
            ["Varicose veins", "", iso(-380), "Dr Imogen Varga", iso(-15), "Overdue"],
            ["Cardiac MRI", "", iso(-345), "Dr Imogen Varga", iso(20), "Due soon"],
            ["Atrial fibrillation", "", iso(-10), "Dr Imogen Varga", iso(355), "Current"],
        ]

    def test_csv_keeps_the_filters(self, demo_like, log_in_as):
        client = log_in_as(PUBLISHERS)
        page = client.get(REPORT, {"status": "overdue"}).content.decode()
        # A button in the header, not only under Wagtail's "..." menu.
        assert f'href="{REPORT}?status=overdue&amp;export=csv" class="w-header-button' in page
        assert "Download CSV" in page
        response = client.get(REPORT, {"export": "csv", "status": "overdue"})
        assert [row[0] for row in csv_rows(response)] == ["Article", "Varicose veins"]

    def test_xlsx_download_works(self, demo_like, log_in_as):
        response = log_in_as(PUBLISHERS).get(REPORT, {"export": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    @pytest.mark.parametrize(
        "groups", [(EDITORS,), (PUBLISHERS,), (MEDICAL_REVIEWERS,), ("superuser",)]
    )
    def test_open_to_the_editorial_roles_and_in_their_reports_menu(
        self, demo_like, log_in_as, groups
    ):
        client = log_in_as(superuser=True) if groups == ("superuser",) else log_in_as(*groups)
        response = client.get(REPORT)
        assert response.status_code == 200
        assert "Varicose veins" in response.content.decode()
        assert REPORT in client.get(DASHBOARD).content.decode()  # the sidebar menu

    def test_privacy_admins_are_refused_and_see_no_menu_item(self, demo_like, log_in_as):
        client = log_in_as(PRIVACY_ADMINS)
        response = client.get(REPORT)
        assert (response.status_code, response["Location"]) == (302, DASHBOARD)
        refused = client.get(REPORT, follow=True).content.decode()
        assert "Sorry, you do not have permission to access this area." in refused
        assert "Varicose veins" not in refused
        assert REPORT not in client.get(DASHBOARD).content.decode()
        assert client.get(REPORT, {"export": "csv"}).status_code == 302

    def test_staff_without_a_role_are_refused(self, demo_like, client, db):
        client.force_login(make_user("staff", is_staff=True))
        response = client.get(REPORT)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
        assert client.get(REPORT, {"export": "csv"}).status_code == 302

    def test_admin_users_without_a_role_are_refused(self, demo_like, client, db):
        user = make_user("helper")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        response = client.get(REPORT)
        assert (response.status_code, response["Location"]) == (302, DASHBOARD)
        assert REPORT not in client.get(DASHBOARD).content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            "status=nonsense",
            "due_from=notadate",
            "due_to=2024-13-45",
            "due_after=notadate",
            "specialty=99999",
            "specialty=abc",
            "ordering=nonsense",
            "p=999",
            "p=abc",
            "export=pdf",
        ],
    )
    def test_bad_input_never_fails(self, demo_like, log_in_as, query):
        client = log_in_as(PUBLISHERS)
        assert client.get(f"{REPORT}?{query}").status_code == 200
        assert client.get(f"{REPORT}results/?{query}").status_code == 200

    def test_a_bad_filter_is_ignored_and_named_while_the_others_apply(self, demo_like, log_in_as):
        response = log_in_as(PUBLISHERS).get(f"{REPORT}?status=overdue&due_from=notadate")
        html = response.content.decode()
        assert "Some filters were ignored because their values could not be read: " in text(html)
        assert "Next review due (Enter a valid date.)" in text(html)
        assert [row.split(" ")[0] for row in row_texts(html)] == ["Varicose"]

    def test_queries_do_not_grow_with_the_number_of_articles(self, live_article, log_in_as):
        client = log_in_as(PUBLISHERS)
        for n in range(2):
            live_article(f"Early {n}", reviewed_days_ago=380)
        two = warm_query_count(client, REPORT)
        two_csv = _csv_query_count(client)
        for n in range(5):
            live_article(f"Later {n}", reviewed_days_ago=10)
            live_article(f"Never {n}")
        twelve = warm_query_count(client, REPORT)
        twelve_csv = _csv_query_count(client)
        assert len(row_texts(client.get(REPORT).content.decode())) == 12
        assert two == twelve
        assert twelve <= 25
        assert two_csv == twelve_csv


def _csv_query_count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(client.get(REPORT, {"export": "csv"}))
    assert len(rows) > 1
    return len(queries)
