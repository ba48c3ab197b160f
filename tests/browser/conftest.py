"""The browser harness: a real Chromium (through Playwright) reading the live demo site.

Every browser test runs against pytest-django's `live_server` with the demo content loaded,
in a browser context that may only talk to the live server: any request to another host is
aborted and recorded, so a test can assert that none was made.

Playwright's sync API keeps an asyncio loop marked as running in the main thread for as long
as it is started. Django then treats the test code as async code: the ORM raises
SynchronousOnlyOperation, and `connections` hands out new connection objects. The `browser`
fixture therefore owns both workarounds, and lives for one test module only, so that no
other test in the session runs with them.
"""

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from .consent_pages import STUB, Readers, Requests

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# `playwright install` cannot download browsers here, so the system Chromium is used, with
# everything that would phone home switched off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@dataclass
class RequestLog:
    """What the page asked for that it must not have (outside hosts) or did not get (errors)."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module; skipped (failed, with REQUIRE_BROWSER=1) when
    Chromium is not installed, so the rest of the suite still runs without a browser.

    Module-scoped rather than session-scoped: while Playwright runs, the ORM needs
    DJANGO_ALLOW_ASYNC_UNSAFE, which must not leak into the rest of the session (Django's
    `check --deploy` rejects it, and tests/config runs that in a subprocess with our env).
    """
    path = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM)
    if not os.access(path, os.X_OK):
        message = f"Chromium not found at {path}; install it with apt-get install -y chromium"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # Django's `connections` is thread-local while no event loop runs in the thread and
    # context-local once one does. Without handing it the same objects, test code would get
    # fresh connections, lacking the serialized copy of the test database (so serialized
    # rollback would silently restore nothing) and not shared with the live server.
    sync_connections = {alias: connections[alias] for alias in connections}
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in sync_connections.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


def local_only_context(browser: Browser, request_log: RequestLog, **options) -> BrowserContext:
    """A new browser context (cookies of its own) that may only talk to the local server: any
    request to another host is aborted and recorded in `request_log.blocked`."""
    context = browser.new_context(
        **{"viewport": {"width": 1280, "height": 800}, "locale": "en-GB", **options}
    )

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            request_log.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", only_local)
    return context


@pytest.fixture
def reader_page(browser: Browser, request_log: RequestLog) -> Iterator[Page]:
    """A fresh context and tab per test (no cookies carried over), local requests only.

    Named `reader_page` because "page" means a Wagtail page everywhere else in this project.
    """
    context = local_only_context(browser, request_log)
    tab = context.new_page()
    tab.on(
        "response",
        lambda response: (
            request_log.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield tab
    context.close()


@pytest.fixture(scope="module", autouse=True)
def _restore_migrated_data(django_db_blocker) -> Iterator[None]:
    """After a module of browser tests, put back what Wagtail's migrations created.

    Serialized rollback restores that data at the start of each browser test, but the flush
    after the last one leaves the database empty; a database test that ran later (another
    order, another module) would find no root page, default site or groups.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo_site(live_server, django_db_serialized_rollback) -> str:
    """The live server's base URL, with the demo articles and experts loaded.

    Live-server tests flush the database afterwards; serialized rollback (also set by the
    module's `django_db` marker) puts back what Wagtail's migrations created (root page,
    default site, groups) so the next test, and load_demo_data itself, still find them.
    """
    call_command("load_demo_data", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def results_dir(request: pytest.FixtureRequest) -> Path:
    """test-results/ at the repository root (git-ignored), for screenshots."""
    path = Path(request.config.rootpath) / "test-results"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def consent_site(demo_site: str) -> str:
    """The demo site with its analytics (GA4) and advertising tags loading from the stub."""
    call_command(
        "load_consent_demo", ad_script_url=f"{demo_site}{STUB}ads.js", stdout=io.StringIO()
    )
    return demo_site


@pytest.fixture
def requests() -> Requests:
    """Every request the tabs of a test make (attach a tab with `requests.attach`)."""
    return Requests()


@pytest.fixture
def readers(browser: Browser, request_log: RequestLog, requests: Requests) -> Iterator[Readers]:
    """Opens reader tabs, each in a context of its own (with or without GPC), recorded."""
    opened = Readers(browser, request_log, requests)
    yield opened
    opened.close()
