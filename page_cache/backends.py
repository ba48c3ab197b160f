"""A frontend-cache backend for a proxy purged over HTTP (nginx, Varnish) that cannot hold up
the editor who published.

Wagtail's `HTTPBackend` sends each `PURGE` with no timeout: a proxy that accepts the connection
and never answers keeps the editor's request (the purge runs after the commit, at its end)
waiting until gunicorn kills the worker, and a timeout while reading is an exception it does not
catch. This one sends the same request (Wagtail's `PurgeRequest`, to `LOCATION` with the page's
host), waits at most `PAGE_CACHE_PURGE_TIMEOUT` seconds (default 2) for each answer, and when the
proxy cannot be reached or does not answer it sends none of the rest of the batch (a purge of
every page is one request per page). Either way the error is logged and the publish stands;
what was not purged expires from the proxy within `PAGE_CACHE_SHARED_MAX_AGE`.

    WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "page_cache.backends.HTTPBackend", "LOCATION": "http://127.0.0.1:8180"},
    }
"""

import logging
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

import wagtail
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from . import conf

logger = logging.getLogger("page_cache.purge")


class ProxyNotAnswering(Exception):
    """No connection, or no answer within the timeout."""


class HTTPBackend(WagtailHTTPBackend):
    def purge(self, url) -> None:
        parsed = urlsplit(url)
        host = parsed.hostname + (f":{parsed.port}" if parsed.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parsed.path, parsed.query, parsed.fragment]
            ),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail.__version__}"},
        )
        timeout = conf.purge_timeout()
        try:
            urlopen(request, timeout=timeout).close()  # noqa: S310 (LOCATION is the settings')
        except HTTPError as error:  # it answered: this purge failed, the next may not
            logger.error("The proxy refused the purge of %s: %d %s", url, error.code, error.reason)
        except OSError as error:  # URLError, a refused connection, a timeout
            raise ProxyNotAnswering(f"{error} (timeout {timeout} s)") from error

    def purge_batch(self, urls) -> None:
        urls = list(urls)
        for sent, url in enumerate(urls):
            try:
                self.purge(url)
            except ProxyNotAnswering as error:
                logger.error(
                    "The proxy at %s did not answer the purge of %s: %s. %d more purge(s) of "
                    "this batch not sent; those pages expire from it within "
                    "PAGE_CACHE_SHARED_MAX_AGE.",
                    self.cache_netloc,
                    url,
                    error,
                    len(urls) - sent - 1,
                )
                return
