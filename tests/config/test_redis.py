"""Redis as the cache every app process shares (`REDIS_URL`), and what happens without it.

Runs against the machine's Redis (127.0.0.1:6379, database 9, emptied before and after) and
against an address where nothing listens, with the cache configured as production does
(`config.settings.base.redis_cache`).
"""

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from config.settings.base import redis_cache
from consent.models import ConsentRecord, ConsentSettings
from consent.snapshot import CACHE_KEY
from medical_content import factories
from tests.consent.test_decision_view import post_decision

REDIS_URL = "redis://127.0.0.1:6379/9"
DEAD_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def real_redis(settings):
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379 (the project's machines have one)")
    server.flushdb()
    settings.CACHES = {"default": redis_cache(REDIS_URL)}
    yield server
    server.flushdb()


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {"default": redis_cache(DEAD_URL)}


@pytest.fixture
def article(article_index):
    return factories.ArticlePageFactory(parent=article_index)


def redis_keys(server) -> list[str]:
    return [key.decode() for key in server.keys("*")]


@pytest.mark.django_db
class TestSharedCache:
    def test_the_consent_snapshot_lives_in_redis_and_a_change_drops_it(
        self, client, real_redis, article
    ):
        assert client.get(article.url).status_code == 200
        assert any(key.endswith(CACHE_KEY) for key in redis_keys(real_redis))
        settings_row = ConsentSettings.objects.first() or ConsentSettings.objects.create()
        settings_row.banner_title = "Your choices about cookies"
        settings_row.save()
        assert not any(key.endswith(CACHE_KEY) for key in redis_keys(real_redis))
        assert "Your choices about cookies" in client.get(article.url).content.decode()

    def test_another_connection_sees_what_one_process_cached(self, real_redis, db):
        # Each gunicorn worker has a connection of its own; the value is the same for all.
        caches["default"].set("shared", {"a": 1})
        other = caches.create_connection("default")
        assert other.get("shared") == {"a": 1}


@pytest.mark.django_db
class TestRedisAway:
    def test_pages_are_still_served(self, client, dead_redis, article, caplog):
        for url in ("/", article.url, "/search/?q=vein", reverse("consent:preferences")):
            assert client.get(url).status_code == 200, url
        # Each miss is logged, so whoever runs the site sees Redis is away.
        assert any(record.name == "django_redis.cache" for record in caplog.records)

    def test_a_decision_is_still_recorded(self, client, dead_redis, home):
        response = post_decision(client, {"choice": "accept_all", "next": "/"})
        assert response.status_code == 303
        assert ConsentRecord.objects.count() == 1
