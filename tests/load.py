"""The article served four ways side by side, then readers and consent decisions at once
against a real multi-process server, then the same with faults, in one run.

Run with `make bench-load` (or `DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m
tests.load`); LOAD_SECONDS=5 for a quick check. It exits non-zero when a decision failed or was
lost, any answer was a 5xx, any other error occurred outside the fault run, or the records
written differ from the decisions saved, so CI can run a short version as a gate.
docs/operations.md ("Speed and caching") says what each part prints.

Method:

- A throwaway database is created and migrated: a SQLite file in a temporary folder, or, when
  DATABASE_URL is set, a PostgreSQL database `test_<name>_load` beside the one it names (never
  that one). `load_demo_data` and `load_consent_demo` fill it; it is destroyed at the end.
  Uploaded images go to a temporary MEDIA_ROOT. db.sqlite3 is never opened.
- A redis-server of the run's own (LOAD_REDIS_PORT, nothing on disk) is Django's cache.
- gunicorn serves the site on 127.0.0.1 with config/gunicorn.py and LOAD_WORKERS sync workers (as
  production runs it), with `config.settings.test` pointed at that database through
  DATABASE_URL, the page cache on and REDIS_URL set. Each page is requested a few times before
  the clock starts (renditions, caches); the article's bytes become the prebuilt page
  (`config/bench.py`).
- The comparison: nginx (config/stack/) in front; wrk loads the article through nginx's cache,
  from the page cache, rendered (a junk session cookie sends it past the page cache), and the
  prebuilt bytes, one after the other, LOAD_COMPARE_SECONDS each.
- The mixed load: LOAD_READERS threads (standard library only: one `http.client` connection per
  request, as gunicorn's sync workers close each one) request PATHS at random for LOAD_SECONDS.
  Each request is, with probability LOAD_DECISION_SHARE, the banner's no-JavaScript form posted
  to /consent/decide/ (accept all, reject all or a custom choice, with the page's banner digest
  and this site's Origin, as a browser sends them), and otherwise a page view.
- A page view must answer 200 and a decision 303. A decision answered 503 is a failed
  decision (the server logs each with its cause; their count is printed); anything else
  (another status, a refused or broken connection, a timeout) is an error. Then the
  ConsentRecord rows written during the run are counted: each saved decision must have
  written exactly one.
- The fault run (LOAD_FAULTS=1): the mixed load again; Redis is stopped at a third and started
  again at two thirds, and one worker is killed half way. Cut requests are counted, not failed;
  a 5xx, a failed decision or fewer records than saved decisions fail the run.
- Every process is stopped (its whole process group) whatever happens, and the whole run is
  bounded by an alarm (LOAD_SETUP_SECONDS plus the runs' own seconds) after it starts.
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
READERS = int(os.environ.get("LOAD_READERS", "32"))
DECISION_SHARE = float(os.environ.get("LOAD_DECISION_SHARE", "0.10"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
PATH = os.environ.get("LOAD_PATH", "/articles/deep-vein-thrombosis/")
# What readers browse: the article, a profile, a listing and a search, in turn at random.
PATHS = [PATH, "/experts/dr-maren-holt/", "/articles/", "/search/?q=vein"]
# The side-by-side comparison of the article: seconds per way of serving it, and wrk's load.
COMPARE_SECONDS = int(os.environ.get("LOAD_COMPARE_SECONDS", "8"))
COMPARE_CONNECTIONS = int(os.environ.get("LOAD_COMPARE_CONNECTIONS", "16"))
# Another site's page to load the same way in the same run, served by its own server on this
# host (e.g. Wagtail's bakerydemo blog post under gunicorn with as many sync workers; see
# docs/operations.md): LOAD_OTHER_URL=http://127.0.0.1:8300/blog/wild-yeast/
OTHER_URL = os.environ.get("LOAD_OTHER_URL", "")
PROXY_PORT = int(os.environ.get("LOAD_PROXY_PORT", "8498"))
PURGE_PORT = int(os.environ.get("LOAD_PURGE_PORT", "8497"))
REDIS_PORT = int(os.environ.get("LOAD_REDIS_PORT", "6391"))
# The fault run: Redis stopped and started again, a worker killed, during one more run.
FAULTS = os.environ.get("LOAD_FAULTS", "1") == "1"
REDIS_SERVER = Path("/usr/bin/redis-server")
WRK = Path("/usr/bin/wrk")
# Migrating and loading the demo data take most of this; the alarm ends a run that hangs.
SETUP_SECONDS = int(os.environ.get("LOAD_SETUP_SECONDS", "420"))
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

    limit = SETUP_SECONDS + 4 * COMPARE_SECONDS + (2 if FAULTS else 1) * SECONDS

    def on_alarm(signum: int, frame: object) -> None:
        raise RunTimeout(f"the run took longer than {limit:.0f} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(limit))
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            os.chmod(tmp, 0o755)  # noqa: S103  (nginx workers, www-data, keep their cache under it)
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
        connection.close()
        log_path = tmp / "server.log"
        prebuilt = tmp / "prebuilt.html"
        redis = [start_redis(tmp)]  # the fault run replaces it
        server = start_server(
            server_url(connection),
            log_path,
            PAGE_CACHE_ENABLED="true",
            REDIS_URL=f"redis://{HOST}:{REDIS_PORT}/0",
            BENCH_PREBUILT_FILE=str(prebuilt),
        )
        proxy = None
        try:
            banner = warm_up(server, prebuilt)
            ensure_wrk()
            proxy = start_proxy(tmp)
            compare(tmp / "nginx")
            result = mixed_run(banner, log_path, "Load")
            if FAULTS:
                result |= mixed_run(banner, log_path, "Faults", faults=(server, redis, tmp))
            print_worker_memory(server)
        finally:
            stop_server(server)
            for process in (proxy, *redis):
                if process is not None:
                    stop_server(process)
        return result
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


def refuse_busy_port(port: int, variable: str) -> None:
    # Else the run would measure whatever already listens there.
    with socket.socket() as probe:
        if probe.connect_ex((HOST, port)) == 0:
            raise RuntimeError(f"{HOST}:{port} is already in use: set {variable} to a free port")


def start_server(database_url: str, log_path: Path, **env_extra: str) -> subprocess.Popen:
    refuse_busy_port(PORT, "LOAD_PORT")
    # Persistent database connections, as the production settings keep them (conn_max_age).
    env = {**os.environ, "DATABASE_URL": database_url, "CONN_MAX_AGE": "600", **env_extra}
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


def warm_up(server: subprocess.Popen, prebuilt: Path) -> str:
    """Wait for the server, request each page a few times, keep the article's bytes as the
    prebuilt page; the banner digest its forms post."""
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
    for path in [*PATHS[1:], PATH]:
        for _ in range(WARMUP):
            status, body = request("GET", path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status} before the run")
    prebuilt.write_bytes(body)
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
                method, path, body = "GET", rng.choice(PATHS), None
            start = time.perf_counter()
            try:
                status, _ = request(method, path, body)
            except (OSError, http.client.HTTPException) as error:  # refused, reset, cut short
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


def start_redis(tmp: Path) -> subprocess.Popen:
    """A Redis of the run's own (nothing on disk), so the fault run can stop and start it."""
    refuse_busy_port(REDIS_PORT, "LOAD_REDIS_PORT")
    process = subprocess.Popen(  # noqa: S603
        [str(REDIS_SERVER), "--port", str(REDIS_PORT), "--bind", HOST, "--save", "",
         "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, REDIS_PORT)) == 0:
                return process
        if time.monotonic() > deadline:
            raise RuntimeError("redis-server did not start")
        time.sleep(0.05)


def ensure_wrk() -> None:
    """wrk, the load generator of the comparison, from Debian's packages when missing."""
    from config.stack.run import ensure_debian_packages

    ensure_debian_packages({WRK: "wrk"})


def start_proxy(tmp: Path) -> subprocess.Popen:
    """nginx in front of the server, as config/stack/ runs it (TLS, the public-page cache)."""
    from config.stack.run import ensure_nginx, start_nginx, write_certificate

    ensure_nginx()
    refuse_busy_port(PROXY_PORT, "LOAD_PROXY_PORT")
    run_dir = tmp / "nginx"
    run_dir.mkdir()
    write_certificate(run_dir)
    process = start_nginx(
        run_dir,
        port=PROXY_PORT,
        purge_port=PURGE_PORT,
        app_ports=(PORT,),
        static_root=tmp / "static",
        media_root=tmp / "media",
        access_log=False,
    )
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, PROXY_PORT)) == 0:
                return process
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not start: see {run_dir}/logs/")
        time.sleep(0.05)


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
WRK_BAD = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *headers: str) -> dict[str, float | str]:
    args = [str(WRK), "-t2", f"-c{COMPARE_CONNECTIONS}", f"-d{COMPARE_SECONDS}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(  # noqa: S603
        [*args, url], capture_output=True, text=True, check=True, timeout=COMPARE_SECONDS + 30
    ).stdout
    found = {p: float(v) * UNIT_MS[u] for p, v, u in WRK_PERCENTILE.findall(out)}
    bad = "; ".join(m.group(0) for m in WRK_BAD.finditer(out))
    return {"rps": float(WRK_RATE.search(out).group(1)), "p50": found["50"], "p99": found["99"],
            "bad": bad}  # fmt: skip


def compare(proxy_dir: Path) -> None:
    """The article four ways, one after the other with the same load (wrk, keep-alive):
    through nginx's cache; from the app server's page cache; rendered (a junk session cookie
    makes the page cache step aside, as a signed-in editor's cookie does, and the site then
    drops it: the page is the anonymous reader's); and the same bytes prebuilt, from a view
    on the same gunicorn."""
    app = f"http://{HOST}:{PORT}"
    ways = [
        ("nginx, cached", f"https://{HOST}:{PROXY_PORT}{PATH}", ()),
        ("gunicorn, page cache", app + PATH, ()),
        ("gunicorn, rendered", app + PATH, ("Cookie: sessionid=bench",)),
        ("gunicorn, prebuilt bytes", app + "/_bench/prebuilt/", ()),
    ]
    if OTHER_URL:
        refuse_remote(OTHER_URL)
        ways.insert(3, ("other site, rendered", OTHER_URL, ()))
    results = [(label, wrk(url, *headers)) for label, url, headers in ways]
    prebuilt = results[-1][1]["rps"]
    print(
        f"The article {PATH} {len(ways)} ways: wrk, {COMPARE_CONNECTIONS} connections, "
        f"{COMPARE_SECONDS} s each; gunicorn {WORKERS} sync workers"
    )
    print(f"{'served by':<26}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x prebuilt':>12}  problems")
    for label, r in results:
        print(
            f"{label:<26}{r['rps']:>10.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
            f"{r['rps'] / prebuilt:>12.2f}  {r['bad'] or '-'}"
        )
    if results[0][1]["bad"]:
        errors = (proxy_dir / "nginx-error.log").read_text(errors="replace").splitlines()
        print("nginx's error log (last lines):\n" + "\n".join(errors[-5:]))
    cached, rendered = results[1][1]["rps"], results[2][1]["rps"]
    print(
        f"Page cache / prebuilt: {cached / prebuilt:.2f} (target at least 0.5); "
        f"page cache / rendered: {cached / rendered:.1f}x"
    )
    if OTHER_URL:
        other = results[3][1]["rps"]
        print(f"Rendered / {OTHER_URL} rendered: {rendered / other:.2f} (target at least 2)")


def refuse_remote(url: str) -> None:
    """Load runs talk to this host only."""
    from consent.validators import is_loopback

    if not is_loopback(urlsplit(url).hostname or ""):
        raise SystemExit(f"LOAD_OTHER_URL must be on this host, not {url}")


def mixed_run(banner: str, log_path: Path, title: str, faults: tuple | None = None) -> int:
    """Readers and decisions for SECONDS; with `faults`, Redis is stopped a third of the way in
    and started again at two thirds, and one gunicorn worker is killed half way."""
    records_before = count_records()
    log_offset = log_path.stat().st_size
    events: list[str] = []
    fault_thread = None
    if faults is not None:
        fault_thread = threading.Thread(target=inject_faults, args=(*faults, events), daemon=True)
        fault_thread.start()
    started = time.monotonic()
    outcomes = drive(banner)
    elapsed = time.monotonic() - started
    if fault_thread is not None:
        fault_thread.join(timeout=15)
    with log_path.open(errors="replace") as log:
        log.seek(log_offset)
        server_log = log.read()
    records = count_records() - records_before
    return report(
        outcomes, elapsed, records, database_description(connection), server_log, title, events
    )


def inject_faults(
    server: subprocess.Popen, redis: list[subprocess.Popen], tmp: Path, events: list[str]
) -> None:
    start = time.monotonic()

    def at(fraction: float) -> None:
        time.sleep(max(0.0, start + SECONDS * fraction - time.monotonic()))

    at(1 / 3)
    stop_server(redis[0])
    events.append(f"{time.monotonic() - start:.1f} s: Redis stopped")
    at(1 / 2)
    workers = worker_pids(server)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        events.append(f"{time.monotonic() - start:.1f} s: gunicorn worker {workers[0]} killed")
    at(2 / 3)
    redis.append(start_redis(tmp))  # stopped with the others at the end
    events.append(f"{time.monotonic() - start:.1f} s: Redis started again (empty)")


def worker_pids(server: subprocess.Popen) -> list[int]:
    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout
    return [int(pid) for pid in out.split()]


def print_worker_memory(server: subprocess.Popen) -> None:
    sizes = []
    for pid in worker_pids(server):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    if sizes:
        print(
            "Worker RSS after the runs: "
            + ", ".join(f"{size:.0f}" for size in sorted(sizes))
            + f" MiB (target at most 130; largest {max(sizes):.0f})"
        )


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
    outcomes: list[Outcome],
    elapsed: float,
    records: int,
    database: str,
    server_log: str,
    title: str,
    events: list[str],
) -> int:
    statuses: Counter = sum((o.statuses for o in outcomes), Counter())
    latencies = sorted(ms for o in outcomes for ms in o.latencies_ms)
    errors = [e for o in outcomes for e in o.errors]
    decisions = sum(o.decisions for o in outcomes)
    saved = sum(o.saved for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    unanswered = sum(o.unanswered for o in outcomes)
    # Every request sent: those answered, and those that got no answer.
    requests = len(latencies) + unanswered
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0
    print(
        f"{title}: {READERS} readers for {SECONDS:.0f} s on {', '.join(PATHS)}, "
        f"{DECISION_SHARE:.0%} of requests posting a consent decision; gunicorn, {WORKERS} sync "
        f"workers on {HOST}:{PORT}, page cache on, Redis; database: {database}"
    )
    for event in events:
        print(f"  {event}")
    headers = [
        "requests",
        "req/s",
        "p50 ms",
        "p99 ms",
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
        f"{p99:.0f}",
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
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    if events:
        # A killed worker cuts the requests it was answering: counted, not a failure. A
        # decision it had saved before its answer was cut has a record and no 303.
        print(f"requests cut by the faults (no answer): {unanswered}")
        if server_errors:
            problems.append(f"{server_errors} answers 5xx")
        if records < saved:
            problems.append(f"{records} records for {saved} saved decisions: decisions lost")
    else:
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
