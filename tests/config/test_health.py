"""`/healthz`: what a load balancer learns from asking an app process."""

import json

import pytest
from django.db import OperationalError

from config.settings.base import redis_cache
from tests.queries import warm_query_count

# The cache as production configures it, on an address where nothing listens (port 1).
DEAD_REDIS = {"default": redis_cache("redis://127.0.0.1:1/0")}


@pytest.mark.django_db
class TestHealthz:
    def test_200_when_the_database_and_the_cache_answer(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert json.loads(response.content) == {"database": "ok", "cache": "ok"}

    def test_head_answers_too_and_a_post_does_not(self, client):
        assert client.head("/healthz").status_code == 200
        assert client.post("/healthz").status_code == 405

    def test_never_kept_by_a_cache(self, client):
        cache_control = client.get("/healthz")["Cache-Control"]
        assert "no-store" in cache_control
        assert "public" not in cache_control

    def test_503_naming_the_cache_when_it_does_not_answer(self, client, settings, caplog):
        settings.CACHES = DEAD_REDIS
        response = client.get("/healthz")
        assert response.status_code == 503
        assert json.loads(response.content) == {"database": "ok", "cache": "failing"}
        assert "Health check: the cache did not" in caplog.text

    def test_503_naming_the_database_when_it_does_not_answer(self, client, monkeypatch, caplog):
        def refuse(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert json.loads(response.content) == {"database": "failing", "cache": "ok"}
        assert "the database did not answer" in caplog.text

    def test_one_query(self, client):
        assert warm_query_count(client, "/healthz") == 1
