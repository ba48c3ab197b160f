"""Readers and consent decisions at once, against a real multi-process server, in one run.

Run with `make bench-load` (or `DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m
tests.load`); LOAD_SECONDS=5 for a quick check. It exits non-zero when a decision failed, any
other error occurred, or the records written differ from the decisions saved, so CI can run a
short version as a gate.

Method:

- A throwaway database is created and migrated: a SQLite file in a temporary folder, or, when
  DATABASE_URL is set, a PostgreSQL database `test_<name>_load` beside the one it names (never
  that one). `load_demo_data` and `load_consent_demo` fill it; it is destroyed at the end.
  Uploaded images go to a temporary MEDIA_ROOT. db.sqlite3 is never opened.
- gunicorn serves the site on 127.0.0.1 with config/gunicorn.py and LOAD_WORKERS sync workers (as
  production runs it), with `config.settings.test` pointed at that database through
  DATABASE_URL, so it opens the database exactly as the base settings configure it. The
  article is requested a few times before the clock starts (renditions, caches).
- LOAD_READERS threads (standard library only: one `http.client` connection per request, as
  gunicorn's sync workers close each one) request LOAD_PATH for LOAD_SECONDS. Each request is,
  with probability LOAD_DECISION_SHARE, the banner's no-JavaScript form posted to
  /consent/decide/ (accept all, reject all or a custom choice, with the page's banner digest
  and this site's Origin, as a browser sends them), and otherwise a page view.
- A page view must answer 200 and a decision 303. A decision answered 503 is a failed
  decision (the server logs each with its cause; their count is printed); anything else
  (another status, a refused or broken connection, a timeout) is an error. Then the
  ConsentRecord rows written during the run are counted: each saved decision must have
  written exactly one.
- The server is stopped (its whole process group) whatever happens, and the whole run is
  bounded by an alarm LOAD_SECONDS + LOAD_SETUP_SECONDS after it starts.
"""

import http.client
import io
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

import django
from django.core.management import call_command
from django.db import connection

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("LOAD_PORT", "8099"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
READERS = int(os.environ.get("LOAD_READERS", "16"))
DECISION_SHARE = float(os.environ.get("LOAD_DECISION_SHARE", "0.10"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
PATH = os.environ.get("LOAD_PATH", "/articles/deep-vein-thrombosis/")
# Migrating and loading the demo data take most of this; the alarm ends a run that hangs.
SETUP_SECONDS = int(os.environ.get("LOAD_SETUP_SECONDS", "300"))
DECIDE = "/consent/decide/"
# What the server logs for each decision it could not save (consent/views.py).
NOT_SAVED_LOG = "Consent decision not saved"
# The last line of each traceback in the server's log: the exception and its message.
CAUSE = re.compile(r"^((?:\w+\.)*\w+(?:Error|Exception): .*)$", re.MULTILINE)
REQUEST_TIMEOUT = 60
WARMUP = 5

# The forms of the banner (consent/templates/consent/banner.html), as the browser posts them.
CHOICES: list[list[tuple[str, str]]] = [
    [("choice", "accept_all")],
    [("choice", "reject_all")],
    [("choice", "custom"), ("groups", "analytics")],
]


class RunTimeout(Exception):
    """The alarm: the whole run took longer than it may."""


@dataclass
class Outcome:
    """What one reader thread saw."""

    statuses: Counter = field(default_factory=Counter)
    decisions: int = 0
    saved: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    unanswered: int = 0
    latencies_ms: list[float] = field(default_factory=list)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    def on_alarm(signum: int, frame: object) -> None:
        raise RunTimeout(f"the run took longer than {SECONDS + SETUP_SECONDS:.0f} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(SECONDS + SETUP_SECONDS))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            os.environ.setdefault("TEST_MEDIA_ROOT", str(Path(tmp) / "media"))
            if not os.environ.get("DATABASE_URL"):
                os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'db.sqlite3'}"
            django.setup()
            return run(Path(tmp))
    finally:
        signal.alarm(0)


def run(tmp: Path) -> int:
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(tmp / "load.sqlite3")
    else:
        test_settings["NAME"] = f"test_{connection.settings_dict['NAME']}_load"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("load_demo_data", stdout=io.StringIO())
        call_command("load_consent_demo", stdout=io.StringIO())
        records_before = count_records()  # the demo data has records of its own
        connection.close()
        log_path = tmp / "server.log"
        server = start_server(server_url(connection), log_path)
        try:
            banner = warm_up(server)
            started = time.monotonic()
            outcomes = drive(banner)
            elapsed = time.monotonic() - started
        finally:
            stop_server(server)
        server_log = log_path.read_text(errors="replace")
        records = count_records() - records_before
        return report(outcomes, elapsed, records, database_description(connection), server_log)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def server_url(connection: "BaseDatabaseWrapper") -> str:
    """DATABASE_URL for the server: the URL given, pointed at the throwaway database."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def start_server(database_url: str, log_path: Path) -> subprocess.Popen:
    # Else the run would measure whatever already listens there.
    with socket.socket() as probe:
        if probe.connect_ex((HOST, PORT)) == 0:
            raise RuntimeError(f"{HOST}:{PORT} is already in use: set LOAD_PORT to a free port")
    env = {**os.environ, "DATABASE_URL": database_url}
    with log_path.open("wb") as log:
        # A session of its own, so stop_server() ends the master and every worker together.
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config=config/gunicorn.py",
                "config.wsgi:application",
                f"--bind={HOST}:{PORT}",
                f"--workers={WORKERS}",
                "--graceful-timeout=5",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_server(server: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def request(method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    headers = {}
    if body is not None:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{HOST}:{PORT}",
        }
    conn = http.client.HTTPConnection(HOST, PORT, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def warm_up(server: subprocess.Popen) -> str:
    """Wait for the server, request the page a few times; the banner digest its forms post."""
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} before serving")
        try:
            status, body = request("GET", PATH)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    for _ in range(WARMUP):
        status, body = request("GET", PATH)
    if status != 200:
        raise RuntimeError(f"{PATH} answered {status} before the run")
    found = re.search(rb'name="banner" value="([0-9a-f]+)"', body)
    if found is None:
        raise RuntimeError(f"{PATH} shows no consent banner form")
    return found.group(1).decode()


def drive(banner: str) -> list[Outcome]:
    stop_at = time.monotonic() + SECONDS
    outcomes = [Outcome() for _ in range(READERS)]

    def reader(outcome: Outcome, seed: int) -> None:
        rng = random.Random(seed)  # seeded: each reader sends the same mix every run
        while time.monotonic() < stop_at:
            deciding = rng.random() < DECISION_SHARE
            if deciding:
                fields = [*rng.choice(CHOICES), ("next", PATH), ("banner", banner)]
                method, path, body = "POST", DECIDE, urlencode(fields).encode()
                outcome.decisions += 1
            else:
                method, path, body = "GET", PATH, None
            start = time.perf_counter()
            try:
                status, _ = request(method, path, body)
            except OSError as error:
                outcome.errors.append(f"{method} {path}: {error!r}")
                outcome.unanswered += 1
                continue
            outcome.latencies_ms.append((time.perf_counter() - start) * 1000)
            outcome.statuses[status] += 1
            if deciding and status == 303:
                outcome.saved += 1
            elif deciding and status == 503:
                outcome.failed += 1
            elif deciding or status != 200:
                outcome.errors.append(f"{method} {path}: {status}")

    threads = [
        threading.Thread(target=reader, args=(outcome, seed), daemon=True)
        for seed, outcome in enumerate(outcomes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + REQUEST_TIMEOUT + 5)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError("a reader thread did not stop")
    return outcomes


def count_records() -> int:
    from consent.models import ConsentRecord  # models load only after django.setup()

    return ConsentRecord.objects.count()


def database_description(connection: "BaseDatabaseWrapper") -> str:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        options = connection.settings_dict.get("OPTIONS", {})
        return (
            f"SQLite {sqlite3.sqlite_version} (journal {journal}, "
            f"transaction mode {options.get('transaction_mode') or 'DEFERRED'}, "
            f"busy timeout {options.get('timeout', 5)} s)"
        )
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor} ({connection.settings_dict['NAME']})"
    return connection.vendor


def report(
    outcomes: list[Outcome], elapsed: float, records: int, database: str, server_log: str
) -> int:
    statuses: Counter = sum((o.statuses for o in outcomes), Counter())
    latencies = sorted(ms for o in outcomes for ms in o.latencies_ms)
    errors = [e for o in outcomes for e in o.errors]
    decisions = sum(o.decisions for o in outcomes)
    saved = sum(o.saved for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    # Every request sent: those answered, and those that got no answer.
    requests = len(latencies) + sum(o.unanswered for o in outcomes)
    p50 = statistics.median(latencies) if latencies else 0.0
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    print(
        f"Load: {READERS} readers for {SECONDS:.0f} s on {PATH}, {DECISION_SHARE:.0%} of "
        f"requests posting a consent decision; gunicorn, {WORKERS} sync workers on "
        f"{HOST}:{PORT}; database: {database}"
    )
    headers = [
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "decisions posted",
        "saved",
        "failed",
        "records",
        "errors",
    ]
    row = [
        str(requests),
        f"{requests / elapsed:.1f}",
        f"{p50:.0f}",
        f"{p95:.0f}",
        str(decisions),
        str(saved),
        str(failed),
        str(records),
        str(len(errors)),
    ]
    widths = [max(len(h), len(c)) for h, c in zip(headers, row, strict=True)]
    for line in (headers, ["-" * w for w in widths], row):
        print("  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)))
    print("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    logged = server_log.count(NOT_SAVED_LOG)
    print(f"decisions the server logged as not saved: {logged}")
    for cause, count in Counter(CAUSE.findall(server_log)).most_common(3):
        print(f"  cause in the log: {cause} ({count}x)")
    for error, count in Counter(errors).most_common(5):
        print(f"error: {error} ({count}x)")
    load = os.getloadavg()[0]
    print(f"Machine: {os.cpu_count()} CPUs, load average {load:.1f} at the end of the run.")
    problems = []
    if failed:
        problems.append(f"{failed} decisions failed")
    if errors:
        problems.append(f"{len(errors)} errors")
    if records != saved:
        problems.append(f"{records} records for {saved} saved decisions")
    for problem in problems:
        print(f"FAIL: {problem}")
    if problems and NOT_SAVED_LOG not in server_log:
        print("Server log (last lines):\n" + "\n".join(server_log.splitlines()[-20:]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
