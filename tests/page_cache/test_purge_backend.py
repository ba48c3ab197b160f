"""Purging the proxy never holds up or breaks the editor's request: `page_cache.backends.
HTTPBackend` against a real HTTP server on 127.0.0.1 that answers, answers with an error, never
answers, or is not there; and a purge backend that raises, after a publish."""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from medical_content import factories
from page_cache.backends import HTTPBackend

URLS = [f"https://health.example/articles/{n}/" for n in range(3)]


class Proxy:
    """A stand-in for nginx's purge port: answers each PURGE with `status`, or, with `status`
    None, reads it and never answers."""

    def __init__(self, status: int | None) -> None:
        self.purged: list[tuple[str, str]] = []
        self.connections = 0
        self.release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self) -> None:
                proxy.purged.append((self.headers["Host"], self.path))
                if status is None:
                    proxy.release.wait(10)
                    return
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request, client_address) -> bool:
                proxy.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.location = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Proxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def backend(location: str) -> HTTPBackend:
    return HTTPBackend({"LOCATION": location})


@pytest.fixture(autouse=True)
def short_timeout(settings):
    settings.PAGE_CACHE_PURGE_TIMEOUT = 0.5


def test_each_page_is_purged_at_the_proxy_with_its_own_host():
    with Proxy(200) as proxy:
        backend(proxy.location).purge_batch(URLS)
    assert proxy.purged == [("health.example", f"/articles/{n}/") for n in range(3)]


def test_a_refused_purge_is_logged_and_the_others_are_sent(caplog):
    with Proxy(500) as proxy, caplog.at_level(logging.ERROR, "page_cache.purge"):
        backend(proxy.location).purge_batch(URLS)
    assert len(proxy.purged) == 3
    assert caplog.text.count("The proxy refused the purge") == 3


def test_a_proxy_that_never_answers_gets_one_purge_of_the_batch(caplog):
    with Proxy(None) as proxy, caplog.at_level(logging.ERROR, "page_cache.purge"):
        backend(proxy.location).purge_batch(URLS)  # returns: no exception, no hang
    assert proxy.connections == 1
    assert "did not answer the purge of https://health.example/articles/0/" in caplog.text
    assert "2 more purge(s) of this batch not sent" in caplog.text


def test_a_proxy_that_is_not_there_gets_one_attempt(caplog):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        location = f"http://127.0.0.1:{free.getsockname()[1]}"  # nothing listens on it
    with caplog.at_level(logging.ERROR, "page_cache.purge"):
        backend(location).purge_batch(URLS)
    assert "2 more purge(s) of this batch not sent" in caplog.text


class ExplodingBackend(BaseBackend):
    def purge(self, url: str) -> None:
        raise RuntimeError("the CDN's API is down")


@pytest.mark.django_db
def test_a_purge_that_raises_leaves_the_publish_standing(
    settings, home, expert_index, django_capture_on_commit_callbacks, caplog
):
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {"BACKEND": "tests.page_cache.test_purge_backend.ExplodingBackend"}
    }
    expert = factories.ExpertProfilePageFactory(parent=expert_index)
    expert.title = "Renamed"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        # The purge runs after the commit and raises; Wagtail's task runner logs it, and the
        # callback is robust too (page_cache.invalidation), for task backends that would not.
        expert.save_revision().publish()
    expert.refresh_from_db()
    assert expert.title == "Renamed" and expert.live
    assert "the CDN's API is down" in caplog.text
