"""For the tests that send requests to the live server at once: they need a database server
(in-memory SQLite is one connection shared by every thread), so they run on PostgreSQL."""

from urllib.request import HTTPRedirectHandler

import pytest
from django.db import connection

needs_database_server = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Requests at the server at once need a real database server; CI runs it on PostgreSQL",
)


class NoRedirects(HTTPRedirectHandler):
    """For a urllib opener: a redirect (302, 303) is itself the answer."""

    def redirect_request(self, *args, **kwargs):
        return None
