"""The home page and the article list: what readers find, and what bad input gets."""

import pytest

from medical_content import factories
from medical_content.models.articles import ARTICLES_PER_PAGE
from medical_content.models.home import HOME_LATEST_ARTICLES
from tests.queries import warm_query_count

HOME_QUERY_BUDGET = 7
ARTICLE_INDEX_QUERY_BUDGET = 6


def _articles(n: int, parent) -> list:
    """n more articles under `parent`, numbered on from those already there, one a day."""
    author = factories.ExpertProfilePageFactory()
    start = parent.get_children().count()
    return [
        factories.ArticlePageFactory(
            parent=parent,
            title=f"Article number {i:02d}",
            publication_date=f"2026-01-{i + 1:02d}",
            credits=factories.credits(("author", author)),
        )
        for i in range(start, start + n)
    ]


@pytest.mark.django_db
class TestHomePage:
    def test_shows_the_newest_articles_first_and_links_to_the_sections(
        self, client, article_index, expert_index
    ):
        _articles(HOME_LATEST_ARTICLES + 2, article_index)
        html = client.get("/").content.decode()
        assert html.index("Article number 07") < html.index("Article number 06")
        assert "Article number 01" not in html  # only the newest six
        assert f'href="{article_index.url}">Browse all health articles' in html
        assert f'href="{expert_index.url}">Find an expert' in html

    def test_main_navigation_lists_the_sections(self, client, article_index, expert_index):
        html = client.get("/").content.decode()
        assert '<nav class="site-nav" aria-label="Main">' in html
        assert f'<a href="{article_index.url}">Health articles</a>' in html

    def test_navigation_follows_an_unpublished_section(self, client, article_index):
        assert "Health articles</a>" in client.get("/").content.decode()
        article_index.unpublish()
        assert "Health articles</a>" not in client.get("/").content.decode()

    def test_queries_do_not_grow_with_the_number_of_articles(self, client, article_index):
        _articles(1, article_index)
        one = warm_query_count(client, "/")
        _articles(HOME_LATEST_ARTICLES, article_index)
        many = warm_query_count(client, "/")
        assert one == many <= HOME_QUERY_BUDGET


@pytest.mark.django_db
class TestArticleIndex:
    def test_lists_articles_newest_first_with_author(self, client, article_index):
        _articles(3, article_index)
        html = client.get(article_index.url).content.decode()
        assert html.index("Article number 02") < html.index("Article number 00")
        assert "By Dr " in html

    def test_paginates(self, client, article_index):
        _articles(ARTICLES_PER_PAGE + 1, article_index)
        first = client.get(article_index.url).content.decode()
        second = client.get(article_index.url, {"page": "2"}).content.decode()
        assert "Page 1 of 2" in first and 'rel="next" href="?page=2"' in first
        assert "Article number 00" in second and "Article number 00" not in first

    @pytest.mark.parametrize("page", ["abc", "0", "-3", "99999", "1.5", "", "%00", "2" * 400])
    def test_bad_page_numbers_give_a_normal_page(self, client, article_index, page):
        _articles(ARTICLES_PER_PAGE + 1, article_index)
        response = client.get(article_index.url, {"page": page})
        assert response.status_code == 200
        assert "Article number" in response.content.decode()

    def test_queries_do_not_grow_with_the_number_of_articles(self, client, article_index):
        _articles(1, article_index)
        one = warm_query_count(client, article_index.url)
        _articles(ARTICLES_PER_PAGE, article_index)
        full = warm_query_count(client, article_index.url)
        assert one == full <= ARTICLE_INDEX_QUERY_BUDGET


@pytest.mark.django_db
class TestNotFound:
    def test_unknown_slug_gives_the_themed_404(self, client, article_index):
        response = client.get(article_index.url + "no-such-article/")
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.content.decode()
        assert 'class="site-header"' in response.content.decode()

    @pytest.mark.parametrize(
        "path", ["/experts/nobody/", "/articles/a/b/c/", "/%E2%98%83/", "/articles/%00/"]
    )
    def test_odd_paths_give_404_not_500(self, client, article_index, expert_index, path):
        assert client.get(path).status_code == 404

    def test_unpublished_article_gives_404(self, client, article_index):
        article = factories.ArticlePageFactory(parent=article_index)
        assert client.get(article.url).status_code == 200
        url = article.url
        article.unpublish()
        response = client.get(url)
        assert response.status_code == 404
        assert article.title not in response.content.decode()

    def test_unpublished_article_is_not_listed(self, client, article_index):
        article = factories.ArticlePageFactory(parent=article_index, title="Withdrawn advice")
        article.unpublish()
        assert "Withdrawn advice" not in client.get(article_index.url).content.decode()
        assert "Withdrawn advice" not in client.get("/").content.decode()
