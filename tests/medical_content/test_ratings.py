"""Patient ratings ("Overall assessment of their patients"): staff enter them, readers see them.

Only approved ratings count; the aggregate is stored (never typed) and shown as a sentence a
screen reader reads, with the stars as decoration only. Showing it costs no query of its own.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from medical_content import factories
from medical_content.choices import CreditRole, RatingStatus
from medical_content.factories import credits
from medical_content.models import PatientRating, RatingSummary

RATINGS_URL = "/admin/snippets/medical_content/patientrating/"
NO_RATINGS = "No patient ratings yet."
HEADING = "Overall assessment of their patients"


@pytest.fixture
def rated_expert(expert_index):
    return factories.ExpertProfilePageFactory(
        parent=expert_index, honorific="Dr", given_name="Ada", family_name="Quill"
    )


@pytest.fixture
def rated_experts_article(article_index, rated_expert):
    return factories.ArticlePageFactory(
        parent=article_index,
        title="Living with varicose veins",
        credits=credits((CreditRole.AUTHOR, rated_expert)),
    )


def rate(rated_expert, *scores, status=RatingStatus.APPROVED, **fields) -> list[PatientRating]:
    """Ratings saved one by one, as staff save them in the admin."""
    return [
        factories.PatientRatingFactory(expert=rated_expert, score=s, status=status, **fields)
        for s in scores
    ]


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def profile_rating(client, rated_expert) -> str:
    """The text of the profile's "Overall assessment of their patients" section."""
    section = _soup(client.get(rated_expert.url)).find(
        "section", attrs={"aria-labelledby": "rating-heading"}
    )
    assert section is not None
    assert section.find("h2").get_text(strip=True) == HEADING
    return " ".join(section.get_text(" ", strip=True).split())


def sentence(client, page) -> str | None:
    """The screen-reader sentence of the first rating block on a page, or None if there is none."""
    text = _soup(client.get(page.url)).select_one(".rating .rating__text")
    return None if text is None else text.get_text(strip=True)


def author_box(client, rated_experts_article):
    box = _soup(client.get(rated_experts_article.url)).find("aside", class_="author-box")
    assert box is not None
    return box


@pytest.mark.django_db
class TestOnlyApprovedRatingsCount:
    def test_pending_and_rejected_ratings_do_not_count(self, client, rated_expert):
        rate(rated_expert, 5, 5, 4)
        rate(rated_expert, 1, status=RatingStatus.PENDING)
        rate(rated_expert, 1, status=RatingStatus.REJECTED)
        # (5 + 5 + 4) / 3 = 4.666..., shown to one decimal place.
        assert sentence(client, rated_expert) == "4.7 out of 5 from 3 patients"
        assert "4.7 out of 5 from 3 patients" in profile_rating(client, rated_expert)

    @pytest.mark.parametrize(
        ("scores", "shown"),
        [
            ((5, 5, 5, 4), "4.8"),  # 4.75
            ((5, 4, 4, 4), "4.3"),  # 4.25: half up, not to even (4.2)
            ((4, 4, 3), "3.7"),  # 3.666...
            ((4, 4, 4, 3), "3.8"),  # 3.75
            ((3, 3, 3, 2), "2.8"),  # 2.75
            ((1, 1, 1, 2), "1.3"),  # 1.25
            ((5, 5), "5.0"),
            ((1,), "1.0"),
        ],
    )
    def test_average_is_rounded_half_up_to_one_decimal(self, client, rated_expert, scores, shown):
        rate(rated_expert, *scores)
        patients = "1 patient" if len(scores) == 1 else f"{len(scores)} patients"
        assert sentence(client, rated_expert) == f"{shown} out of 5 from {patients}"

    def test_average_is_rounded_once_from_the_exact_value(self, client, rated_expert):
        rate(rated_expert, *([5] * 20 + [4] * 11))  # 144 / 31 = 4.6451...
        assert sentence(client, rated_expert) == "4.6 out of 5 from 31 patients"

    def test_approving_a_pending_rating_updates_the_text(self, client, rated_expert):
        rate(rated_expert, 5, 5, 4)
        (pending,) = rate(rated_expert, 1, status=RatingStatus.PENDING)
        assert sentence(client, rated_expert) == "4.7 out of 5 from 3 patients"

        pending.status = RatingStatus.APPROVED
        pending.save()

        # (5 + 5 + 4 + 1) / 4 = 3.75
        assert sentence(client, rated_expert) == "3.8 out of 5 from 4 patients"

    def test_rejecting_an_approved_rating_updates_the_text(self, client, rated_expert):
        first, *_ = rate(rated_expert, 1, 5, 5)
        first.status = RatingStatus.REJECTED
        first.save()
        assert sentence(client, rated_expert) == "5.0 out of 5 from 2 patients"

    def test_deleting_a_rating_updates_the_text(self, client, rated_expert):
        low, *_ = rate(rated_expert, 2, 5, 5)
        assert sentence(client, rated_expert) == "4.0 out of 5 from 3 patients"

        low.delete()

        assert sentence(client, rated_expert) == "5.0 out of 5 from 2 patients"
        summary = RatingSummary.objects.get(expert=rated_expert)
        assert (summary.count, str(summary.average)) == (2, "5.00")

    def test_rejecting_every_rating_leaves_no_rating_on_profile_or_author_box(
        self, client, rated_expert, rated_experts_article
    ):
        ratings = rate(rated_expert, 5, 4)
        assert HEADING in author_box(client, rated_experts_article).get_text()

        for rating in ratings:
            rating.status = RatingStatus.REJECTED
            rating.save()

        assert RatingSummary.objects.get(expert=rated_expert).count == 0
        assert NO_RATINGS in profile_rating(client, rated_expert)
        assert sentence(client, rated_expert) is None
        box = author_box(client, rated_experts_article)
        assert HEADING not in box.get_text()
        assert box.select_one(".rating") is None

    def test_expert_never_rated_shows_no_ratings_yet(
        self, client, rated_expert, rated_experts_article
    ):
        rate(rated_expert, 3, status=RatingStatus.PENDING)
        assert NO_RATINGS in profile_rating(client, rated_expert)
        assert author_box(client, rated_experts_article).select_one(".rating") is None

    def test_ratings_of_one_expert_do_not_change_another(self, client, rated_expert, expert_index):
        other = factories.ExpertProfilePageFactory(parent=expert_index)
        rate(rated_expert, 5, 5)
        rate(other, 1)
        assert sentence(client, rated_expert) == "5.0 out of 5 from 2 patients"
        assert sentence(client, other) == "1.0 out of 5 from 1 patient"

    def test_deleting_the_expert_deletes_their_ratings_and_summary(
        self, rated_expert, expert_index
    ):
        other = factories.ExpertProfilePageFactory(parent=expert_index)
        rate(rated_expert, 5, 4)
        rate(rated_expert, 1, status=RatingStatus.PENDING)
        rate(other, 3)
        expert_pk = rated_expert.pk

        rated_expert.delete()

        connection.check_constraints()  # no summary left pointing at the deleted page
        assert not PatientRating.objects.filter(expert_id=expert_pk).exists()
        assert not RatingSummary.objects.filter(expert_id=expert_pk).exists()
        summary = RatingSummary.objects.get(expert=other)
        assert (summary.count, str(summary.average)) == (1, "3.00")

    def test_moving_a_rating_to_another_expert_updates_both(
        self, client, rated_expert, expert_index
    ):
        other = factories.ExpertProfilePageFactory(parent=expert_index)
        (rating,) = rate(rated_expert, 5)
        rate(other, 1)

        rating.expert = other  # staff correct the expert in the admin
        rating.save()

        assert NO_RATINGS in profile_rating(client, rated_expert)
        assert sentence(client, other) == "3.0 out of 5 from 2 patients"


@pytest.mark.django_db
class TestRatingIsTextForScreenReaders:
    def test_sentence_is_real_text_and_stars_are_hidden_decoration(self, client, rated_expert):
        rate(rated_expert, 5, 5, 4)
        soup = _soup(client.get(rated_expert.url))
        block = soup.select_one("section[aria-labelledby=rating-heading] .rating")
        stars = block.select_one(".rating__stars")
        assert stars["aria-hidden"] == "true"
        assert stars.get_text(strip=True) == ""  # nothing for a screen reader to miss
        assert stars["data-half-stars"] == "9"  # 4.67 stars, drawn as 4.5

        text = block.select_one(".rating__text")
        assert text.get_text(strip=True) == "4.7 out of 5 from 3 patients"
        # The sentence is not inside anything hidden from assistive technology.
        assert all(el.get("aria-hidden") != "true" for el in [text, *text.parents])
        assert stars not in text.parents and text not in stars.parents

    def test_one_rating_is_from_1_patient(self, client, rated_expert):
        rate(rated_expert, 4)
        assert sentence(client, rated_expert) == "4.0 out of 5 from 1 patient"

    def test_expert_card_in_the_directory_shows_the_sentence(
        self, client, rated_expert, expert_index
    ):
        rate(rated_expert, 4, 5)
        soup = _soup(client.get(expert_index.url))
        card = soup.select_one(".expert-card .rating")
        assert card.select_one(".rating__stars")["aria-hidden"] == "true"
        assert card.select_one(".rating__text").get_text(strip=True) == (
            "4.5 out of 5 from 2 patients"
        )


@pytest.mark.django_db
class TestAuthorBoxRating:
    def test_author_box_shows_heading_and_sentence_for_the_author(
        self, client, rated_expert, rated_experts_article
    ):
        rate(rated_expert, 5, 4, 4, 4)
        box = author_box(client, rated_experts_article)
        assert "About the author: Dr Ada Quill" in box.get_text()
        assert box.find("h3").get_text(strip=True) == HEADING
        assert box.select_one(".rating__stars")["aria-hidden"] == "true"
        assert box.select_one(".rating__text").get_text(strip=True) == (
            "4.3 out of 5 from 4 patients"
        )

    def test_each_author_box_shows_its_own_authors_rating(
        self, client, rated_expert, expert_index, article_index
    ):
        other = factories.ExpertProfilePageFactory(parent=expert_index)
        rate(rated_expert, 5)
        rate(other, 2, 3)
        rated_experts_article = factories.ArticlePageFactory(
            parent=article_index,
            credits=credits((CreditRole.AUTHOR, rated_expert), (CreditRole.AUTHOR, other)),
        )
        boxes = _soup(client.get(rated_experts_article.url)).find_all("aside", class_="author-box")
        assert [b.select_one(".rating__text").get_text(strip=True) for b in boxes] == [
            "5.0 out of 5 from 1 patient",
            "2.5 out of 5 from 2 patients",
        ]


def _warm_queries(client, url) -> list[str]:
    client.get(url)  # warm caches (site root paths, navigation)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _queries_of_their_own(sql: list[str]) -> list[str]:
    """Queries that read ratings or summaries by themselves, rather than joined to a page."""
    return [
        q
        for q in sql
        if 'FROM "medical_content_patientrating"' in q
        or 'FROM "medical_content_ratingsummary"' in q
    ]


@pytest.mark.django_db
class TestRatingCostsNoQuery:
    @pytest.fixture
    def unrated(self, expert_index):
        return factories.ExpertProfilePageFactory(parent=expert_index)

    @pytest.fixture
    def rated(self, expert_index):
        rated_expert = factories.ExpertProfilePageFactory(parent=expert_index)
        rate(rated_expert, *([5, 4, 3] * 10))
        assert RatingSummary.objects.get(expert=rated_expert).count == 30
        return rated_expert

    def test_profile_costs_the_same_with_0_or_30_ratings(self, client, unrated, rated):
        without, with_30 = _warm_queries(client, unrated.url), _warm_queries(client, rated.url)
        assert "4.0 out of 5 from 30 patients" in profile_rating(client, rated)
        assert len(without) == len(with_30)
        assert _queries_of_their_own(with_30) == []
        assert _queries_of_their_own(without) == []

    def test_profile_with_only_rejected_ratings_costs_no_more(self, client, unrated, rated_expert):
        rate(rated_expert, 5, 5, status=RatingStatus.REJECTED)  # a summary row with count 0
        assert len(_warm_queries(client, rated_expert.url)) == len(
            _warm_queries(client, unrated.url)
        )
        assert _queries_of_their_own(_warm_queries(client, rated_expert.url)) == []

    def test_article_costs_the_same_whether_its_author_has_0_or_30_ratings(
        self, client, article_index, unrated, rated
    ):
        plain = factories.ArticlePageFactory(
            parent=article_index, credits=credits((CreditRole.AUTHOR, unrated))
        )
        starred = factories.ArticlePageFactory(
            parent=article_index, credits=credits((CreditRole.AUTHOR, rated))
        )
        without, with_30 = _warm_queries(client, plain.url), _warm_queries(client, starred.url)
        assert sentence(client, starred) == "4.0 out of 5 from 30 patients"
        assert len(without) == len(with_30)
        assert _queries_of_their_own(with_30) == []

    def test_directory_costs_the_same_with_0_or_30_ratings(self, client, expert_index, unrated):
        before = _warm_queries(client, expert_index.url)
        rate(unrated, *([5, 4, 3] * 10))
        after = _warm_queries(client, expert_index.url)
        assert "4.0 out of 5 from 30 patients" in client.get(expert_index.url).content.decode()
        assert len(before) == len(after)
        assert _queries_of_their_own(after) == []


@pytest.mark.django_db
class TestScoreOutsideOneToFiveIsRefused:
    @pytest.mark.parametrize("score", [0, 6])
    def test_full_clean_refuses_the_score(self, rated_expert, score):
        rating = PatientRating(expert=rated_expert, score=score, source="Outpatient survey")
        with pytest.raises(ValidationError) as error:
            rating.full_clean()
        assert set(error.value.message_dict) == {"score"}

    @pytest.mark.parametrize("score", [1, 5])
    def test_full_clean_accepts_the_bounds(self, rated_expert, score):
        PatientRating(expert=rated_expert, score=score, source="Outpatient survey").full_clean()

    @pytest.mark.parametrize("score", [0, 6])
    def test_database_refuses_a_bulk_insert(self, rated_expert, score):
        with pytest.raises(IntegrityError) as error, transaction.atomic():
            PatientRating.objects.bulk_create(
                [PatientRating(expert=rated_expert, score=score, source="Outpatient survey")]
            )
        assert "patient_rating_score_1_to_5" in str(error.value)
        assert not PatientRating.objects.exists()

    @pytest.mark.parametrize("score", [0, 6])
    def test_database_refuses_a_bulk_update(self, rated_expert, score):
        (rating,) = rate(rated_expert, 4)
        with pytest.raises(IntegrityError) as error, transaction.atomic():
            PatientRating.objects.filter(pk=rating.pk).update(score=score)
        assert "patient_rating_score_1_to_5" in str(error.value)
        rating.refresh_from_db()
        assert rating.score == 4


def _rating_form(rated_expert, **fields) -> dict:
    data = {
        "expert": rated_expert.pk,
        "score": "4",
        "comment": "Explained everything clearly.",
        "rated_on": "2026-03-01",
        "source": "Riverside outpatient survey 2026",
        "status": RatingStatus.APPROVED,
    }
    data.update(fields)
    return data


def _listed_pks(response) -> set[int]:
    soup = _soup(response)
    links = soup.select(f'table a[href^="{RATINGS_URL}edit/"]')
    return {int(a["href"].rstrip("/").rsplit("/", 1)[-1]) for a in links}


@pytest.mark.django_db
class TestStaffManageRatingsInTheAdmin:
    def test_editors_group_may_manage_ratings(self, editor):
        assert editor.has_perm("wagtailadmin.access_admin")
        for action in ("add", "change", "delete", "view"):
            assert editor.has_perm(f"medical_content.{action}_patientrating")

    def test_editor_reaches_the_ratings_listing(self, editor_client):
        assert editor_client.get(RATINGS_URL).status_code == 200

    def test_reader_without_admin_access_cannot_add_a_rating(self, client, rated_expert):
        response = client.post(f"{RATINGS_URL}add/", _rating_form(rated_expert))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        assert not PatientRating.objects.exists()

    @pytest.mark.parametrize("score", ["7", "0", "4.5", "abc"])
    def test_score_outside_one_to_five_gives_a_form_error(
        self, editor_client, rated_expert, score
    ):
        response = editor_client.post(
            f"{RATINGS_URL}add/", _rating_form(rated_expert, score=score)
        )
        assert response.status_code == 200
        soup = _soup(response)
        errors = " ".join(e.get_text(" ", strip=True) for e in soup.select(".error-message"))
        assert errors, "the form should show why the score was refused"
        assert not PatientRating.objects.exists()
        assert not RatingSummary.objects.exists()

    def test_score_7_error_says_what_is_allowed(self, editor_client, rated_expert):
        response = editor_client.post(f"{RATINGS_URL}add/", _rating_form(rated_expert, score="7"))
        assert "Ensure this value is less than or equal to 5." in response.content.decode()

    def test_valid_approved_rating_is_saved_and_counts(self, editor_client, client, rated_expert):
        response = editor_client.post(f"{RATINGS_URL}add/", _rating_form(rated_expert, score="4"))
        assert response.status_code == 302
        rating = PatientRating.objects.get()
        assert (rating.expert_id, rating.score, rating.status) == (
            rated_expert.pk,
            4,
            RatingStatus.APPROVED,
        )
        assert rating.rated_on == datetime.date(2026, 3, 1)
        assert rating.source == "Riverside outpatient survey 2026"
        summary = RatingSummary.objects.get(expert=rated_expert)
        assert (summary.count, str(summary.average)) == (1, "4.00")
        assert sentence(client, rated_expert) == "4.0 out of 5 from 1 patient"

    def test_pending_rating_saved_in_the_admin_does_not_count(self, editor_client, rated_expert):
        editor_client.post(
            f"{RATINGS_URL}add/", _rating_form(rated_expert, status=RatingStatus.PENDING)
        )
        assert PatientRating.objects.get().status == RatingStatus.PENDING
        assert RatingSummary.objects.get(expert=rated_expert).count == 0

    def test_empty_source_is_refused(self, editor_client, rated_expert):
        response = editor_client.post(f"{RATINGS_URL}add/", _rating_form(rated_expert, source=""))
        assert response.status_code == 200
        assert not PatientRating.objects.exists()

    def test_approving_in_the_edit_form_updates_the_aggregate(self, editor_client, rated_expert):
        (rating,) = rate(rated_expert, 2, status=RatingStatus.PENDING)
        response = editor_client.post(
            f"{RATINGS_URL}edit/{rating.pk}/",
            _rating_form(rated_expert, score="2", status=RatingStatus.APPROVED),
        )
        assert response.status_code == 302
        summary = RatingSummary.objects.get(expert=rated_expert)
        assert (summary.count, str(summary.average)) == (1, "2.00")

    def test_deleting_in_the_admin_updates_the_aggregate(self, editor_client, rated_expert):
        low, _ = rate(rated_expert, 1, 5)
        response = editor_client.post(f"{RATINGS_URL}delete/{low.pk}/")
        assert response.status_code == 302
        assert not PatientRating.objects.filter(pk=low.pk).exists()
        summary = RatingSummary.objects.get(expert=rated_expert)
        assert (summary.count, str(summary.average)) == (1, "5.00")

    def test_bulk_deleting_from_the_listing_updates_the_aggregate(
        self, editor_client, rated_expert
    ):
        low, _ = rate(rated_expert, 1, 5)
        response = editor_client.post(
            f"/admin/bulk/medical_content/patientrating/delete/?id={low.pk}"
        )
        assert response.status_code == 302
        assert not PatientRating.objects.filter(pk=low.pk).exists()
        summary = RatingSummary.objects.get(expert=rated_expert)
        assert (summary.count, str(summary.average)) == (1, "5.00")

    def test_listing_filtered_by_pending_shows_only_pending(self, editor_client, rated_expert):
        pending = rate(rated_expert, 3, 4, status=RatingStatus.PENDING)
        rate(rated_expert, 5)
        rate(rated_expert, 1, status=RatingStatus.REJECTED)

        response = editor_client.get(RATINGS_URL, {"status": RatingStatus.PENDING})

        assert _listed_pks(response) == {r.pk for r in pending}
        # Unfiltered, all four are listed: the filter, not the listing, hides the others.
        assert len(_listed_pks(editor_client.get(RATINGS_URL))) == 4


@pytest.mark.django_db
class TestNoPublicSubmission:
    def test_posting_a_rating_to_the_profile_creates_nothing(self, client, rated_expert):
        response = client.post(
            rated_expert.url,
            {"score": "5", "comment": "Great", "source": "Me", "status": "approved"},
        )
        # Wagtail pages accept POST by default and answer with the page itself.
        assert response.status_code in (200, 405)
        assert not PatientRating.objects.exists()
        assert not RatingSummary.objects.filter(count__gt=0).exists()

    def test_profile_has_no_rating_form(self, client, rated_expert):
        rate(rated_expert, 5)
        soup = _soup(client.get(rated_expert.url))
        section = soup.find("section", attrs={"aria-labelledby": "rating-heading"})
        assert section.find("form") is None
        assert not soup.select('form input[name="score"], form select[name="score"]')

    @pytest.mark.parametrize("suffix", ["rate/", "ratings/", "rating/add/"])
    def test_no_rating_url_under_the_profile(self, client, rated_expert, suffix):
        response = client.post(f"{rated_expert.url}{suffix}", {"score": "5", "source": "Me"})
        assert response.status_code == 404
        assert not PatientRating.objects.exists()
