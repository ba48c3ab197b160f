"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache
from django.test import Client

from medical_content import factories
from tests.people import PRIVACY_ADMINS, client_for, make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache: cached navigation must not outlive its pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return factories.HomePageFactory()


@pytest.fixture
def article_index(home):
    return factories.ArticleIndexPageFactory(parent=home)


@pytest.fixture
def expert_index(home):
    return factories.ExpertIndexPageFactory(parent=home)


@pytest.fixture
def public_urls(home, article_index, expert_index):
    """The addresses a reader opens: home, listings, an article, a profile, search, a 404."""
    article = factories.ArticlePageFactory(parent=article_index)
    expert = article.credits.first().expert
    return [
        "/",
        article_index.url,
        article.url,
        expert_index.url,
        expert.url,
        "/search/",
        "/search/?q=heart",
        "/missing/",
    ]


@pytest.fixture
def editor(db):
    """A login in the "Editors" group: writes and submits pages, publishes nothing."""
    return make_user("editor", "Editors")


@pytest.fixture
def editor_client(editor):
    return client_for(editor)


@pytest.fixture
def privacy_admin(db):
    """A login in the "Privacy admins" group: the Cookie consent menu only."""
    return make_user("privacy", PRIVACY_ADMINS)


@pytest.fixture
def client_class():
    """Django's test client class, for tests that make clients with their own defaults."""
    return Client
