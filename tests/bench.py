"""Render time of the main pages against returning the same bytes prebuilt, in one run.

Run with `make bench` (or `DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m
tests.bench`); set BENCH_REQUESTS=20 for a quick check. Add pages to PAGES below.

Method:

- A throwaway test database (in-memory SQLite, or PostgreSQL when DATABASE_URL is set) is
  created and migrated, `load_demo_data` fills it, and it is destroyed at the end. Uploaded
  images and renditions go to a temporary MEDIA_ROOT. db.sqlite3 is never opened.
- DEBUG is off and templates come from Django's cached loader (both checked before timing).
  `setup_test_environment()` is called, but its instrumented template renderer (which sends
  a signal that the test Client answers by copying the context of every template rendered,
  includes too) is put back to Django's own, so render times are those of production code.
- Every request goes through the same `django.test.Client`, URL resolver and full
  middleware stack, with no cookies (an anonymous first visit). The time is wall-clock
  (`perf_counter`) around `client.get()`.
- "render" is the real page. "prebuilt" is a view registered at runtime before Wagtail's
  catch-all URL that returns `HttpResponse(<the page's bytes>)` with the same status and
  content type: what serving the page would cost if rendering were free (no template, no
  query).
- Each page is first requested WARMUP times (caches, renditions, cached templates). Its
  queries are then counted with CaptureQueriesContext over QUERY_SAMPLES requests, outside
  the timed loop (capturing slows queries down). Then REQUESTS rounds: in each round every
  page is requested rendered and prebuilt back to back, the pair's order flipping and the
  pages' order rotating every round, so machine noise falls on both sides alike. Medians
  are reported; ratio = render / prebuilt.
- The consent layer (with the demo's tags from `load_consent_demo`) is measured the same
  way on CONSENT_PAGES: each round renders the page with the layer on and with it off
  (CONSENT_ENABLED, switched outside the timed region), order flipping every round. Also
  printed: queries on and off, and the browser script's size gzipped.
"""

import hashlib
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.http import HttpResponse

# (label, path): the pages to measure. Later issues add theirs here.
PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("article", "/articles/deep-vein-thrombosis/"),
    ("expert profile", "/experts/dr-imogen-varga/"),
    ("article list", "/articles/"),
    ("filtered list", "/articles/?specialty=vascular-medicine"),
    ("procedure", "/procedures/endovenous-laser-ablation/"),
    ("search", "/search/?q=clot"),
]

# (label, path): pages rendered with the consent layer on and off.
CONSENT_PAGES: list[tuple[str, str]] = [
    ("home", "/"),
    ("article", "/articles/deep-vein-thrombosis/"),
]
CONSENT_SCRIPT = "consent/consent.min.js"

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
QUERY_SAMPLES = 20
PREBUILT_PREFIX = "__bench__/prebuilt/"


@dataclass
class PageResult:
    label: str
    path: str
    status: int = 0
    size: int = 0
    content: bytes = b""
    content_type: str = "text/html"
    query_counts: set[int] = field(default_factory=set)
    content_hashes: set[str] = field(default_factory=set)
    set_cookies: set[str] = field(default_factory=set)
    render_ns: list[int] = field(default_factory=list)
    prebuilt_ns: list[int] = field(default_factory=list)
    prebuilt_status: int = 0
    prebuilt_queries: int = 0


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    with tempfile.TemporaryDirectory(prefix="bench-media-") as media_root:
        os.environ.setdefault("TEST_MEDIA_ROOT", media_root)
        django.setup()
        return run()


def run() -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.template import Template, engines
    from django.template.loaders.cached import Loader as CachedLoader
    from django.test.utils import setup_test_environment, teardown_test_environment

    if settings.DEBUG:
        print("DEBUG is on: these settings would not measure production rendering.")
        return 1
    django_render = Template._render
    setup_test_environment(debug=False)
    Template._render = django_render  # undo the test-only instrumentation (see docstring)
    loaders = engines["django"].engine.template_loaders
    if not isinstance(loaders[0], CachedLoader):
        print(f"Templates are not from the cached loader: {loaders!r}")
        return 1

    if connection.vendor == "postgresql":
        # Its own database, so a pytest run's test database is never clobbered.
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if not test_settings.get("NAME"):
            test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo_data", stdout=io.StringIO())
        call_command("load_consent_demo", stdout=io.StringIO())
        results = [PageResult(label, path) for label, path in PAGES]
        measure(results)
        print_report(results, database_description(connection))
        print_consent_report(measure_consent_layer())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0 if all(r.status == 200 for r in results) else 1


def measure(results: list[PageResult]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def get(path: str) -> "HttpResponse":
        client.cookies = SimpleCookie()  # every request is a first, anonymous visit
        return client.get(path)

    for result in results:
        for _ in range(WARMUP):
            response = get(result.path)
        result.status = response.status_code
        result.content = response.content
        result.size = len(response.content)
        result.content_type = response.get("Content-Type", "text/html")
        for _ in range(QUERY_SAMPLES):
            with CaptureQueriesContext(connection) as queries:
                response = get(result.path)
            result.query_counts.add(len(queries))
            result.content_hashes.add(hashlib.sha256(response.content).hexdigest())
            result.set_cookies.update(response.cookies.keys())

    install_prebuilt_urls(results)
    for index, result in enumerate(results):
        for _ in range(WARMUP):
            get(prebuilt_path(index))
        with CaptureQueriesContext(connection) as queries:
            response = get(prebuilt_path(index))
        result.prebuilt_status = response.status_code
        result.prebuilt_queries = len(queries)
        if response.content != result.content:
            raise RuntimeError(f"The prebuilt {result.label} page is not the same bytes.")

    def timed(path: str, into: list[int]) -> None:
        client.cookies = SimpleCookie()
        start = time.perf_counter_ns()
        client.get(path)
        into.append(time.perf_counter_ns() - start)

    indexed = list(enumerate(results))
    for round_number in range(REQUESTS):
        # Rotate which page goes first, so no page always follows the same neighbour.
        start = round_number % len(indexed)
        for index, result in indexed[start:] + indexed[:start]:
            pair: list[Callable[[], None]] = [
                lambda r=result: timed(r.path, r.render_ns),
                lambda r=result, i=index: timed(prebuilt_path(i), r.prebuilt_ns),
            ]
            if round_number % 2:
                pair.reverse()
            for request in pair:
                request()


@dataclass
class LayerResult:
    label: str
    path: str
    queries_on: int = 0
    queries_off: int = 0
    on_ns: list[int] = field(default_factory=list)
    off_ns: list[int] = field(default_factory=list)


def measure_consent_layer() -> list[LayerResult]:
    """Each page rendered with the consent layer on and off, interleaved."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = [LayerResult(label, path) for label, path in CONSENT_PAGES]

    def timed(path: str, enabled: bool, into: list[int] | None = None) -> int:
        client.cookies = SimpleCookie()
        with override_settings(CONSENT_ENABLED=enabled):
            with CaptureQueriesContext(connection) as queries:
                if into is None:
                    client.get(path)
                    return len(queries)
            start = time.perf_counter_ns()
            client.get(path)
            into.append(time.perf_counter_ns() - start)
        return 0

    for result in results:
        for _ in range(WARMUP):
            timed(result.path, True)
            timed(result.path, False)
        result.queries_on = timed(result.path, True)
        result.queries_off = timed(result.path, False)
    for round_number in range(REQUESTS):
        for result in results:
            pair = [(True, result.on_ns), (False, result.off_ns)]
            if round_number % 2:
                pair.reverse()
            for enabled, into in pair:
                timed(result.path, enabled, into)
    return results


def print_consent_report(results: list[LayerResult]) -> None:
    import gzip

    from django.contrib.staticfiles import finders

    print()
    print(
        f"Consent layer: the same pages rendered with it on and off ({REQUESTS} rounds, medians)"
    )
    headers = ["page", "queries on", "queries off", "on ms", "off ms", "on / off"]
    rows = []
    for r in results:
        on, off = statistics.median(r.on_ns) / 1e6, statistics.median(r.off_ns) / 1e6
        rows.append(
            [
                r.label,
                str(r.queries_on),
                str(r.queries_off),
                f"{on:.3f}",
                f"{off:.3f}",
                f"{on / off:.3f}",
            ]
        )
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, ["-" * w for w in widths], *rows]:
        print(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    with open(finders.find(CONSENT_SCRIPT), "rb") as script:
        source = script.read()
    print(
        f"Browser script {CONSENT_SCRIPT}: {len(source)} bytes, "
        f"{len(gzip.compress(source, compresslevel=9))} bytes gzipped (budget 3072)."
    )


def prebuilt_path(index: int) -> str:
    return f"/{PREBUILT_PREFIX}{index}/"


def install_prebuilt_urls(results: list[PageResult]) -> None:
    """Put one URL per page in front of Wagtail's catch-all, each returning stored bytes."""
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, path

    from config import urls

    def prebuilt(request: HttpRequest, index: int) -> HttpResponse:
        result = results[index]
        return HttpResponse(result.content, content_type=result.content_type, status=result.status)

    urls.urlpatterns.insert(0, path(f"{PREBUILT_PREFIX}<int:index>/", prebuilt))
    clear_url_caches()


def database_description(connection: "BaseDatabaseWrapper") -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        where = "in-memory" if connection.is_in_memory_db() else connection.settings_dict["NAME"]
        return f"SQLite {sqlite3.sqlite_version} ({where})"
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor} ({connection.settings_dict['NAME']})"
    return connection.vendor


def print_report(results: list[PageResult], database: str) -> None:
    import wagtail

    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, database: {database}; "
        f"{REQUESTS} interleaved rounds after {WARMUP} warm-up requests, medians"
    )
    headers = ["page", "path", "status", "bytes", "queries", "render ms", "prebuilt ms", "ratio"]
    rows = []
    for r in results:
        render = statistics.median(r.render_ns) / 1e6
        prebuilt = statistics.median(r.prebuilt_ns) / 1e6
        queries = "-".join(str(n) for n in sorted({min(r.query_counts), max(r.query_counts)}))
        rows.append(
            [
                r.label,
                r.path,
                str(r.status),
                str(r.size),
                queries,
                f"{render:.3f}",
                f"{prebuilt:.3f}",
                f"{render / prebuilt:.1f}x",
            ]
        )
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    left = {0, 1}
    for row in [headers, ["-" * w for w in widths], *rows]:
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
    print(
        '"prebuilt": the page\'s exact bytes returned by HttpResponse from a view registered '
        "at runtime, through the same test Client, URL resolver and middleware."
    )
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.1f} at the end of the run.")
    for r in results:
        notes = []
        if r.status != 200:
            notes.append(f"returned {r.status}")
        if r.prebuilt_status != r.status:
            notes.append(f"prebuilt returned {r.prebuilt_status}")
        if r.prebuilt_queries:
            notes.append(f"prebuilt ran {r.prebuilt_queries} queries")
        if len(r.query_counts) > 1:
            notes.append(f"query count varied between requests: {sorted(r.query_counts)}")
        if len(r.content_hashes) > 1:
            notes.append(f"content varied between {len(r.content_hashes)} versions")
        if r.set_cookies:
            notes.append(f"sets cookies: {', '.join(sorted(r.set_cookies))}")
        for note in notes:
            print(f"note: {r.label} {note}")


if __name__ == "__main__":
    sys.exit(main())
