"""The app server's own copy of public pages: a reader's second visit runs no SQL, and every
change readers would see drops the copy (and purges the proxy) at once, while a draft, which
Wagtail's autosave saves every few seconds, drops nothing."""

import pytest
from django.conf import settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from consent.models import ConsentSettings
from medical_content import factories
from medical_content.factories import related_procedures
from medical_content.models import RatingSummary
from medical_content.sensitivity import refresh_dependents_of
from page_cache.middleware import HEADER
from tests.config.test_health import DEAD_REDIS

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend-cache backend that writes down what it was asked to purge."""

    def purge(self, url: str) -> None:
        PURGED.append(url)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.WAGTAILFRONTENDCACHE = {
        "test": {"BACKEND": "tests.page_cache.test_page_store.RecordingBackend"}
    }
    PURGED.clear()


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the purge), as the end of an admin request does."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def visit(client, url: str):
    response = client.get(url)
    assert response.status_code in (200, 301, 404), (url, response.status_code)
    return response


def is_hit(client, url: str) -> bool:
    return visit(client, url).get(HEADER) == "hit"


@pytest.fixture
def article(article_index):
    return factories.ArticlePageFactory(parent=article_index)


@pytest.mark.django_db
class TestKeeping:
    def test_the_second_visit_is_the_same_bytes_with_no_sql(
        self, client, public_urls, django_assert_num_queries
    ):
        for url in public_urls:
            first = visit(client, url)
            assert first[HEADER] == "miss", url
            with django_assert_num_queries(0):
                second = visit(client, url)
            assert second[HEADER] == "hit", url
            assert second.content == first.content, url
            assert second.status_code == first.status_code
            headers = {k: v for k, v in second.items() if k != HEADER}
            assert headers == {k: v for k, v in first.items() if k != HEADER}, url

    def test_head_is_answered_from_the_get(self, client, home, django_assert_num_queries):
        visit(client, "/")
        with django_assert_num_queries(0):
            response = client.head("/")
        assert response[HEADER] == "hit"
        assert response.content == b""

    def test_each_address_is_kept_apart(self, client, home):
        visit(client, "/search/?q=heart")
        assert not is_hit(client, "/search/?q=knee")
        assert is_hit(client, "/search/?q=heart")

    def test_each_host_is_kept_apart(self, client, home):
        visit(client, "/")
        assert client.get("/", HTTP_HOST="127.0.0.1")[HEADER] == "miss"
        assert client.get("/", HTTP_HOST="127.0.0.1")[HEADER] == "hit"

    def test_a_host_the_site_does_not_serve_is_a_400(self, client, home):
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400

    def test_off_by_setting(self, client, home, settings):
        settings.PAGE_CACHE_ENABLED = False
        visit(client, "/")
        assert HEADER not in visit(client, "/")


@pytest.mark.django_db
class TestNotKept:
    def test_a_signed_in_editor_always_gets_the_view(self, editor_client, client, home):
        visit(client, "/")  # kept for readers
        response = editor_client.get("/")
        assert HEADER not in response
        assert b"wagtail-userbar" in response.content or b"userbar" in response.content

    def test_any_session_cookie_goes_to_the_view(self, client, home):
        visit(client, "/")
        client.cookies[settings.SESSION_COOKIE_NAME] = "0123456789abcdefghijklmnopqrstuv"
        assert HEADER not in visit(client, "/")

    def test_a_page_that_sets_a_cookie(self, client, home):
        PageViewRestriction.objects.create(
            page=home, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        visit(client, "/")
        assert HEADER not in visit(client, "/")

    def test_a_temporary_redirect(self, client, home):
        Redirect.objects.create(old_path="/old", redirect_link="/", is_permanent=False)
        client.get("/old")
        assert HEADER not in client.get("/old")

    def test_the_admin_and_the_preference_centre(self, client, home):
        for url in ("/admin/login/", "/consent/preferences/"):
            client.get(url)
            assert HEADER not in client.get(url), url

    def test_without_a_working_cache_pages_are_served_from_the_views(self, client, home, settings):
        settings.CACHES = DEAD_REDIS
        assert visit(client, "/").status_code == 200
        response = visit(client, "/")
        assert response.status_code == 200 and HEADER not in response


@pytest.mark.django_db
class TestDropped:
    """Each change drops every kept page, and purges the proxy for the pages it shows on."""

    def test_publishing_a_page(self, client, home, expert_index, after_commit):
        expert = factories.ExpertProfilePageFactory(parent=expert_index)
        visit(client, expert.url)
        expert.title = expert.given_name = "Renamed"
        after_commit(lambda: expert.save_revision().publish())
        assert not is_hit(client, expert.url)
        assert {expert.full_url, expert_index.full_url, home.full_url} <= set(PURGED)

    def test_a_draft_drops_nothing(self, client, home, expert_index, after_commit):
        expert = factories.ExpertProfilePageFactory(parent=expert_index)
        visit(client, expert.url)
        expert.given_name = "Draft"
        after_commit(lambda: expert.save_revision())
        assert is_hit(client, expert.url)
        assert PURGED == []

    def test_unpublishing_a_page(self, client, article, after_commit):
        visit(client, article.url)
        after_commit(article.unpublish)
        assert visit(client, article.url).status_code == 404
        assert article.full_url in PURGED

    def test_moving_a_page(self, client, home, article, after_commit):
        other_index = factories.ArticleIndexPageFactory(parent=home, slug="more-articles")
        old_url, old_full_url = article.url, article.full_url
        visit(client, old_url)
        after_commit(lambda: article.move(other_index, pos="last-child"))
        # Wagtail makes a redirect from the old address; the kept page is gone.
        assert visit(client, old_url).status_code == 301
        article.refresh_from_db()
        assert {old_full_url, article.full_url} <= set(PURGED)

    def test_deleting_a_page(self, client, article, after_commit):
        url, full_url = article.url, article.full_url
        visit(client, url)
        after_commit(lambda: Page.objects.get(pk=article.pk).delete())
        assert visit(client, url).status_code == 404
        assert full_url in PURGED

    def test_a_privacy_admin_changing_the_banner(self, client, home, after_commit):
        visit(client, "/")
        consent = ConsentSettings.load()
        consent.banner_title = "Cookies, briefly"
        after_commit(consent.save)
        assert b"Cookies, briefly" in visit(client, "/").content
        assert home.full_url in PURGED

    def test_a_sensitivity_change_purges_the_pages_that_inherit_it(
        self, client, home, article_index, after_commit
    ):
        specialty = factories.SpecialtyPageFactory(
            parent=factories.SpecialtyIndexPageFactory(parent=home)
        )
        procedure = factories.ProcedurePageFactory(
            parent=factories.ProcedureIndexPageFactory(parent=home), specialty=specialty
        )
        article = factories.ArticlePageFactory(
            parent=article_index, related_procedures=related_procedures(procedure)
        )
        visit(client, article.url)
        type(specialty).objects.filter(pk=specialty.pk).update(marked_sensitive=True)
        specialty.refresh_from_db()
        after_commit(lambda: refresh_dependents_of(specialty))
        assert not is_hit(client, article.url)
        assert {article.full_url, procedure.full_url} <= set(PURGED)

    def test_a_rating_summary_change(self, client, home, expert_index, after_commit):
        expert = factories.ExpertProfilePageFactory(parent=expert_index)
        visit(client, expert.url)
        after_commit(
            lambda: factories.PatientRatingFactory(expert=expert, status="approved", score=4)
        )
        assert RatingSummary.objects.get(expert=expert).count == 1
        assert not is_hit(client, expert.url)
        assert expert.full_url in PURGED

    def test_a_new_redirect_replaces_a_kept_not_found(self, client, home, after_commit):
        assert visit(client, "/gone/").status_code == 404
        after_commit(
            lambda: Redirect.objects.create(old_path="/gone", redirect_link="/", is_permanent=True)
        )
        assert visit(client, "/gone/").status_code == 301
        assert f"{home.get_site().root_url}/gone" in PURGED

    def test_renaming_a_staff_member_shown_in_credits(self, client, home, after_commit):
        member = factories.StaffMemberFactory()
        visit(client, "/")
        member.name = "Renamed"
        after_commit(member.save)
        assert not is_hit(client, "/")
        assert home.full_url in PURGED

    @pytest.mark.parametrize(
        "restriction_type", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN]
    )
    def test_making_a_page_private_hides_it_and_the_pages_below(
        self, client, home, article, after_commit, restriction_type
    ):
        """Wagtail's Privacy dialog saves a restriction and publishes nothing: the kept public
        copies of the page and everything below it must go, here and in the proxy."""
        index = article.get_parent()
        for url in (index.url, article.url):
            assert visit(client, url).status_code == 200
        after_commit(
            lambda: PageViewRestriction.objects.create(
                page=index, restriction_type=restriction_type, password="s3cret"
            )
        )
        for url in (index.url, article.url):
            response = client.get(url)
            assert response.status_code in (200, 302) and HEADER not in response, url
            assert article.title.encode() not in response.content, url
        assert {index.full_url, article.full_url} <= set(PURGED)

    def test_making_a_private_page_public_again(self, client, home, article, after_commit):
        restriction = PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.LOGIN
        )
        assert client.get(article.url).status_code == 302
        after_commit(restriction.delete)
        assert visit(client, article.url).status_code == 200
        assert article.full_url in PURGED

    def test_a_site_change(self, client, home, after_commit):
        visit(client, "/")
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Renamed"
        after_commit(site.save)
        assert not is_hit(client, "/")


def test_the_proxy_is_not_purged_before_the_commit(db, home, expert_index):
    expert = factories.ExpertProfilePageFactory(parent=expert_index)
    expert.save_revision().publish()  # inside the test's transaction, never committed
    assert PURGED == []
