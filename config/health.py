"""`/healthz`: whether this app process can serve pages, for a load balancer or a process
manager to ask.

200 when the database answers a query and the cache keeps a value; 503 (with which part
failed) otherwise, so the balancer takes the process out until both answer again. Never cached,
never logged in, and it says nothing about the site's content or settings.
"""

import logging
import uuid

from csp.decorators import csp_exempt
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return False


def _cache() -> bool:
    # A key of this request's own: processes checking at once never read each other's value.
    key, value = f"healthz:{uuid.uuid4().hex}", "ok"
    try:
        cache.set(key, value, timeout=10)
        kept = cache.get(key) == value
        cache.delete(key)
    except Exception:  # any backend's connection error (redis-py's, pymemcache's, ...)
        logger.exception("Health check: the cache did not answer")
        return False
    if not kept:
        logger.error("Health check: the cache did not keep a value")
    return kept


@csp_exempt()  # JSON, and the policy's sources are read from the cache and the database
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "cache": _cache()}
    body = {name: "ok" if passed else "failing" for name, passed in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
