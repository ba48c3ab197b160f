"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache

from medical_content import factories


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
