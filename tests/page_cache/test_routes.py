"""Kept routes (`page_cache/routes.py`): a page view starts from the site and the page its
address led to last time, and readers see exactly what Wagtail's own routing would show them,
whatever changed in between, with or without the signals that drop kept routes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from medical_content import factories
from medical_content.models import ArticlePage, HomePage
from tests.config.test_health import DEAD_REDIS


def queries_of(client, url: str, **extra) -> tuple[int, list[str], bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response.status_code, [q["sql"] for q in captured.captured_queries], response.content


def walks_the_tree(sql: list[str]) -> bool:
    """Whether Wagtail looked for the site or for a page by its slug."""
    return any('FROM "wagtailcore_site"' in q or '"slug" = ' in q for q in sql)


@pytest.fixture
def article(article_index):
    return factories.ArticlePageFactory(parent=article_index)


@pytest.mark.django_db
class TestKept:
    def test_the_second_view_finds_its_page_in_one_query(self, client, article):
        status, first, content = queries_of(client, article.url)
        assert status == 200 and walks_the_tree(first)
        status, second, again = queries_of(client, article.url)
        assert status == 200 and not walks_the_tree(second)
        assert again == content
        # The site (and its root page), the index (as Page, then as itself) and the article
        # became the article alone.
        assert len(first) - len(second) >= 4
        article_queries = [q for q in second if 'FROM "medical_content_articlepage"' in q]
        assert len(article_queries) == 1

    def test_the_same_bytes_as_walking_the_tree(self, client, settings, public_urls):
        kept = {}
        for url in public_urls:
            client.get(url)
            kept[url] = client.get(url).content
        settings.PAGE_CACHE_ROUTES = False
        for url in public_urls:
            assert client.get(url).content == kept[url], url

    def test_off_by_setting(self, client, settings, article):
        settings.PAGE_CACHE_ROUTES = False
        client.get(article.url)
        assert walks_the_tree(queries_of(client, article.url)[1])

    def test_pages_are_served_when_the_cache_does_not_answer(self, client, settings, article):
        settings.CACHES = DEAD_REDIS
        for _ in range(2):
            assert client.get(article.url).status_code == 200

    def test_each_host_has_its_own_site_and_pages(self, client, home, article):
        path = f"/{article.get_parent().slug}/{article.slug}/"
        other_home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Other home", slug="other-home")
        )
        Site.objects.create(hostname="127.0.0.1", root_page=other_home)
        factories.ArticleIndexPageFactory(parent=other_home, slug=article.get_parent().slug)
        for _ in range(2):
            assert client.get(path).context["page"].pk == article.pk
            assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 404
            assert client.get("/", HTTP_HOST="127.0.0.1").context["page"].pk == other_home.pk

    def test_a_not_found_is_not_kept(self, client, article_index):
        assert client.get(f"{article_index.url}not-yet/").status_code == 404
        # Created by code, with no publish signal to drop anything.
        factories.ArticlePageFactory(parent=article_index, slug="not-yet")
        assert client.get(f"{article_index.url}not-yet/").status_code == 200


@pytest.mark.django_db
class TestChangedWithoutSignals:
    """Rows changed straight in the database: the kept route points at a page that no longer
    answers at that address, and Wagtail's routing decides."""

    def test_unpublished(self, client, article):
        client.get(article.url)
        Page.objects.filter(pk=article.pk).update(live=False)
        assert client.get(article.url).status_code == 404

    def test_renamed(self, client, article):
        old_url = article.url
        client.get(old_url)
        new_url_path = article.url_path.replace(article.slug, "renamed")
        Page.objects.filter(pk=article.pk).update(slug="renamed", url_path=new_url_path)
        assert client.get(old_url).status_code == 404
        assert client.get(old_url.replace(article.slug, "renamed")).status_code == 200

    def test_deleted_and_another_page_in_its_place(self, client, article_index, article):
        url = article.url
        client.get(url)
        ArticlePage.objects.filter(pk=article.pk).delete()
        replacement = factories.ArticlePageFactory(
            parent=article_index, slug=article.slug, title="The replacement"
        )
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["page"].pk == replacement.pk


@pytest.mark.django_db
class TestNeverBypassed:
    def test_a_page_made_private_after_its_route_was_kept(self, client, article):
        client.get(article.url)
        PageViewRestriction.objects.create(
            page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
        response = client.get(article.url)
        assert response.status_code == 302 and "/_util/login/" in response["Location"]

    def test_a_password_set_after_its_route_was_kept(self, client, article):
        client.get(article.url)
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
        response = client.get(article.url)
        assert response.status_code == 200
        assert article.title.encode() not in response.content
        assert b'name="password"' in response.content

    def test_a_head_request_on_a_kept_route(self, client, article):
        client.get(article.url)
        response = client.head(article.url)
        assert response.status_code == 200 and response.content == b""
        assert not walks_the_tree(queries_of(client, article.url)[1])

    def test_a_preview_shows_the_draft_not_the_kept_page(self, client, editor_client, home):
        for _ in range(2):
            assert client.get("/").context["page"].title == home.title
        preview = f"/admin/pages/{home.pk}/edit/preview/"
        editor_client.post(preview, {"title": "A draft title", "slug": home.slug})
        assert b"A draft title" in editor_client.get(preview).content
        assert b"A draft title" not in client.get("/").content


@pytest.mark.django_db
class TestTripsToTheCache:
    """With Redis, each read of the shared cache is a round trip: a warm page view reads each
    generation once and keeps its own copies of what is kept under them."""

    def test_a_warm_article_view(self, client, article, monkeypatch):
        from django.core.cache.backends.locmem import LocMemCache

        reads = []
        for name in ("get", "get_many"):
            original = getattr(LocMemCache, name)

            def counted(self, key, *args, _original=original, **kwargs):
                reads.append(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(LocMemCache, name, counted)
        client.get(article.url)
        reads.clear()
        assert client.get(article.url).status_code == 200
        own = [key for key in reads if "page_cache" in str(key) or "page_tree" in str(key)]
        # The page cache's generation (site, route, root paths) and the page tree's
        # (navigation, breadcrumbs); nothing kept under them.
        assert own == ["page_cache:generation", "medical_content:page_tree:generation"]

    def test_a_site_moved_to_another_root_is_routed_from_it(self, client, home, article):
        assert client.get("/").context["page"].pk == home.pk
        other_home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Other home", slug="other-home")
        )
        site = Site.objects.get(is_default_site=True)
        site.root_page = other_home
        site.save()
        assert client.get("/").context["page"].pk == other_home.pk
        assert client.get(article.url).status_code == 404


@pytest.mark.django_db
class TestKeptEntries:
    def test_an_entry_this_version_did_not_write_is_a_miss_not_an_error(self, client, article):
        from page_cache import routes

        client.get(article.url)
        kept = [key for key in routes._copies._entries if str(key).count(":") == 5]
        assert kept, "the site entry is kept"
        for key in kept:  # as an older version's (Site, root url_path) would unpack
            routes._copies.keep(key, ("a site", "/home/"))
        response = client.get(article.url)
        assert response.status_code == 200
        assert response.context["page"].pk == article.pk


def test_a_local_copy_is_used_for_at_most_its_max_age(monkeypatch):
    from page_cache import generation

    now = [1000.0]
    monkeypatch.setattr(generation.time, "monotonic", lambda: now[0])
    copies = generation.LocalCopies(max_age=60)
    copies.keep("key", ("value",))
    now[0] += 59
    assert copies.get("key") == ("value",)
    now[0] += 2
    assert copies.get("key") is None


def test_local_copies_hold_at_most_their_size():
    from page_cache.generation import LocalCopies

    copies = LocalCopies(size=3)
    for n in range(4):
        copies.keep(n, n)
    assert [copies.get(n) for n in range(4)] == [None, None, None, 3]
