"""The production-like stack on this machine, in one command (`make prod-stack`).

    nginx (TLS on 127.0.0.1:STACK_PORT, static and media files, the public-page cache, a
    loopback-only purge port)
      -> two gunicorn servers (config/gunicorn.py, production settings), each its own master
         with STACK_WORKERS sync workers
           -> PostgreSQL (a database of its own, `medical_stack`, made afresh) and Redis
              (database STACK_REDIS_DB, emptied), Django's cache shared by every process.

nginx comes from Debian's packages (nginx-light and the cache-purge module); the script
installs them with apt-get when they are missing. Everything it writes (the nginx config, a
self-signed certificate, logs, the nginx cache, collected static files, uploaded media) goes to
the run folder, `var/stack/` unless STACK_RUN_DIR says otherwise. The demo content is loaded
afresh each time, and a superuser `stackadmin` gets the password printed at the start
(demo logins are refused with DEBUG off).

`make prod-stack` starts it and waits for Ctrl-C; tests and the load run use `Stack` as a
context manager. Everything listens on 127.0.0.1 only.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
HOST = "127.0.0.1"
ADMIN = "stackadmin"


def ensure_debian_packages(programs: dict[Path, str]) -> None:
    """Install from Debian's packages whatever of `programs` (file: package) is missing."""
    missing = sorted({package for path, package in programs.items() if not path.exists()})
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    # Debian's nginx package may start its own nginx on port 80; this stack does not use it.


def ensure_nginx() -> None:
    ensure_debian_packages({NGINX: "nginx-light", PURGE_MODULE: "libnginx-mod-http-cache-purge"})


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) != 0


def python() -> str:
    return str(ROOT / ".venv" / "bin" / "python")


def write_certificate(run_dir: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (and localhost), valid two days."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST},DNS:localhost",
         "-keyout", str(run_dir / "tls.key"), "-out", str(run_dir / "tls.crt")],
        check=True, capture_output=True,
    )  # fmt: skip


def start_nginx(
    run_dir: Path,
    *,
    port: int,
    purge_port: int,
    app_ports: tuple[int, ...],
    static_root: Path,
    media_root: Path,
    access_log: bool = True,
) -> subprocess.Popen:
    """nginx with `nginx.conf` filled in, its state in `run_dir` (which holds tls.crt/.key)."""
    for sub in ("tmp", "cache", "logs"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    template = (Path(__file__).parent / "nginx.conf").read_text()
    upstreams = "\n".join(
        f"        server {HOST}:{p} max_fails=3 fail_timeout=5s;" for p in app_ports
    )
    conf = template.format(
        run=run_dir,
        workers=2,
        host=HOST,
        port=port,
        purge_port=purge_port,
        upstreams=upstreams,
        static_root=static_root,
        media_root=media_root,
        session_cookie="sessionid",
        access_log=f"{run_dir}/logs/nginx-access.log" if access_log else "off",
    )
    path = run_dir / "nginx.conf"
    path.write_text(conf)
    subprocess.run([str(NGINX), "-t", "-q", "-c", str(path), "-p", str(run_dir)], check=True)
    log = open(run_dir / "logs" / "nginx.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [str(NGINX), "-c", str(path), "-p", str(run_dir)],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


@dataclass
class Stack:
    # 443, so that Wagtail's Site, and with it canonical links and e-mails, say https.
    port: int = int(os.environ.get("STACK_PORT", "443"))
    app_ports: tuple[int, ...] = tuple(
        int(p) for p in os.environ.get("STACK_APP_PORTS", "8101,8102").split(",")
    )
    purge_port: int = int(os.environ.get("STACK_PURGE_PORT", "8180"))
    workers: int = int(os.environ.get("STACK_WORKERS", "2"))
    run_dir: Path = Path(os.environ.get("STACK_RUN_DIR", ROOT / "var" / "stack"))
    database: str = os.environ.get("STACK_DATABASE", "medical_stack")
    postgres: str = os.environ.get("STACK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    redis: str = os.environ.get("STACK_REDIS", "redis://127.0.0.1:6379")
    redis_db: int = int(os.environ.get("STACK_REDIS_DB", "5"))
    access_log: bool = True
    page_cache: bool = True
    processes: list[subprocess.Popen] = field(default_factory=list)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    # --- addresses -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The Host header a browser sends to nginx."""
        return HOST if self.port == 443 else f"{HOST}:{self.port}"

    @property
    def url(self) -> str:
        return f"https://{self.host}"

    @property
    def database_url(self) -> str:
        return f"{self.postgres}/{self.database}"

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of every app process: production settings, pointed at this stack."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": self._secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "WAGTAILADMIN_BASE_URL": self.url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"{self.redis}/{self.redis_db}",
            "FRONTEND_CACHE_PURGE_URL": f"http://{HOST}:{self.purge_port}",
            "STATIC_ROOT": str(self.run_dir / "static"),
            "MEDIA_ROOT": str(self.run_dir / "media"),
            "PAGE_CACHE_ENABLED": "true" if self.page_cache else "false",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def __post_init__(self) -> None:
        self._secret_key = secrets.token_urlsafe(50)

    # --- start and stop --------------------------------------------------------------------

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        ensure_nginx()
        for port in (self.port, self.purge_port, *self.app_ports):
            if not port_is_free(port):
                raise SystemExit(f"Port {port} is in use: stop what listens there first.")
        if self.run_dir.exists():
            shutil.rmtree(self.run_dir)
        for sub in ("tmp", "cache", "media", "static", "logs"):
            (self.run_dir / sub).mkdir(parents=True)
        self._certificate()
        self._fresh_database()
        self._fresh_redis()
        # Set-up publishes pages while nginx is not up: nothing to purge yet.
        setup = {"FRONTEND_CACHE_PURGE_URL": ""}
        self._manage("migrate", "--no-input", "-v0", extra=setup)
        self._manage("collectstatic", "--no-input", "-v0", extra=setup)
        self._manage("load_demo_data", "--address", f"{HOST}:{self.port}", extra=setup)
        self._manage("load_consent_demo", extra=setup)
        password = {**setup, "DJANGO_SUPERUSER_PASSWORD": self.password}
        self._manage("createsuperuser", "--no-input", "--username", ADMIN, "--email",
                     "admin@example.org", extra=password)  # fmt: skip
        try:
            for port in self.app_ports:
                self._gunicorn(port)
            self._wait_until_healthy(self.app_ports)  # before nginx, which would mark them down
            self._nginx()
            self._wait_until_healthy((self.port,))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    # --- the parts -------------------------------------------------------------------------

    def _manage(self, *args: str, extra: dict[str, str] | None = None) -> None:
        subprocess.run(
            [python(), "manage.py", *args],
            cwd=ROOT,
            env=self.env(**(extra or {})),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def _certificate(self) -> None:
        write_certificate(self.run_dir)

    def _fresh_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{self.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')

    def _fresh_redis(self) -> None:
        import redis

        redis.Redis.from_url(f"{self.redis}/{self.redis_db}").flushdb()

    def _gunicorn(self, port: int) -> None:
        log = open(self.run_dir / "logs" / f"gunicorn-{port}.log", "ab")  # noqa: SIM115
        self.processes.append(
            subprocess.Popen(
                [
                    python(),
                    "-m",
                    "gunicorn",
                    "--config",
                    "config/gunicorn.py",
                    "config.wsgi:application",
                ],
                cwd=ROOT,
                env=self.env(
                    GUNICORN_BIND=f"{HOST}:{port}",
                    WEB_CONCURRENCY=str(self.workers),
                    FORWARDED_ALLOW_IPS=HOST,
                ),
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        )

    def _nginx(self) -> None:
        self.processes.append(
            start_nginx(
                self.run_dir,
                port=self.port,
                purge_port=self.purge_port,
                app_ports=self.app_ports,
                static_root=self.run_dir / "static",
                media_root=self.run_dir / "media",
                access_log=self.access_log,
            )
        )

    def _wait_until_healthy(self, ports: tuple[int, ...], seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} stopped: see {self.run_dir}/logs/")
            try:
                if all(self.get("/healthz", via=p)[0] == 200 for p in ports):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"The stack did not answer /healthz in {seconds} s")

    # --- a small client --------------------------------------------------------------------

    def get(
        self,
        path: str,
        *,
        via: int | None = None,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request through nginx (default) or straight to one app server (`via` its port),
        with the Host and X-Forwarded-Proto nginx would send."""
        port = via or self.port
        headers = {"Host": self.host, **(headers or {})}
        if port == self.port:
            context = ssl.create_default_context(cafile=str(self.run_dir / "tls.crt"))
            conn = http.client.HTTPSConnection(HOST, port, timeout=30, context=context)
        else:
            headers.setdefault("X-Forwarded-Proto", "https")
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            headers: dict[str, str] = {}
            for name, value in response.getheaders():  # repeated ones (Set-Cookie) one per line
                name = name.lower()
                headers[name] = f"{headers[name]}\n{value}" if name in headers else value
            return response.status, headers, response.read()
        finally:
            conn.close()


def main() -> None:
    # A process manager or `timeout` stops it with SIGTERM: stop the parts too (they run in
    # sessions of their own, so nothing else would).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    stack = Stack()
    print("Starting nginx, two gunicorn servers, PostgreSQL and Redis ...", flush=True)
    with stack:
        print(
            f"\nThe stack is up: {stack.url}/ (a self-signed certificate)\n"
            f"  admin: {stack.url}/admin/  user {ADMIN}, password {stack.password}\n"
            f"  app servers: {', '.join(f'http://{HOST}:{p}' for p in stack.app_ports)}; "
            f"purge port http://{HOST}:{stack.purge_port} (loopback only)\n"
            f"  logs: {stack.run_dir}/logs/\nCtrl-C stops it.",
            flush=True,
        )
        try:
            while all(p.poll() is None for p in stack.processes):
                time.sleep(1)
            print("A part of the stack stopped; see the logs.", file=sys.stderr)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
