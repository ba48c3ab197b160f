"""gunicorn's settings for the site: `gunicorn -c config/gunicorn.py config.wsgi`.

Read from the environment where a deployment differs: GUNICORN_BIND (default 127.0.0.1:8000,
behind the reverse proxy on the same host), WEB_CONCURRENCY (workers, default two per core plus
one) and FORWARDED_ALLOW_IPS (the proxy's address, whose X-Forwarded-Proto is believed).
Command-line options override these.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a page is a few milliseconds of CPU and a handful of queries; a slow client is
# the proxy's to buffer, not a worker's to wait for.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
timeout = 30
graceful_timeout = 10
# A worker that grows (a leak in any library) is replaced, not left to grow; the jitter keeps
# all workers from restarting at once.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The proxy logs requests; gunicorn logs what goes wrong, to stderr.
accesslog = None
errorlog = "-"
# No control socket in the home folder, shared with any other gunicorn on the host.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Freeze what the worker loaded (Django, Wagtail, the apps, the URL and template caches):
    the garbage collector never scans those objects again, so its full collections (~100 ms in
    a Wagtail worker, seen at p99) shrink to the objects requests create."""
    gc.collect()
    gc.freeze()
