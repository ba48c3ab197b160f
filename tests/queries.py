"""Query counting for the budget tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def warm_query_count(client, url: str, params: dict | None = None) -> int:
    """Queries for the second of two identical requests: caches (site root paths, navigation,
    filter options, renditions) are warm, as they are for a reader after the first visit."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)
