"""The production-like stack, started as `make prod-stack` starts it: nginx in front of two
gunicorn servers, one PostgreSQL, one Redis (`config/stack/run.py`).

What a deployment must get right and only the real parts can show: nginx serves the files,
keeps and purges public pages, tells the app the request was https; the two app servers share
one cache, so a change made through one is what the other serves on the next request.
Marker `stack` (`make test-stack`; CI runs it).
"""

import gzip
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg
import pytest

from config.stack.run import Stack
from tests.forms import PostedFields

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack():
    with Stack(run_dir=Stack().run_dir.parent / "stack-test", database="medical_stack_test") as s:
        yield s


def fetch(stack, path, **kwargs):
    status, headers, body = stack.get(path, **kwargs)
    return status, headers, body


def sql(stack, query, *params):
    with psycopg.connect(stack.database_url) as conn:
        return conn.execute(query, params).fetchall()


class Browser:
    """A signed-in admin talking to one app server, as a browser behind nginx would."""

    def __init__(self, stack, port):
        self.stack, self.port, self.cookies = stack, port, {}

    def request(self, method, path, fields=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.stack.url
            headers["Referer"] = self.stack.url + path
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        status, response_headers, content = self.stack.get(
            path, via=self.port, method=method, headers=headers, body=body
        )
        for name, value in response_headers.items():
            if name == "set-cookie":
                for line in value.splitlines():
                    for morsel in SimpleCookie(line).values():
                        self.cookies[morsel.key] = morsel.value
        return status, response_headers, content

    def submit(self, path, change, form_id=None):
        status, _, page = self.request("GET", path)
        assert status == 200, (path, status)
        parser = PostedFields(form_id)
        parser.feed(page.decode())
        fields = dict(change(parser.fields))
        status, headers, content = self.request("POST", path, fields)
        errors = re.findall(rb'class="[^"]*error-message[^"]*"[^>]*>(.*?)</', content, re.S)
        assert status == 302, (path, status, errors or content[:2000])
        return headers

    def log_in(self):
        self.submit(
            "/admin/login/",
            lambda fields: [
                *[f for f in fields if f[0] == "csrfmiddlewaretoken"],
                ("username", "stackadmin"),
                ("password", self.stack.password),
            ],
        )
        return self


def replaced(name, value):
    def change(fields):
        return [(k, value if k == name else v) for k, v in fields]

    return change


# --- Files -------------------------------------------------------------------------------


def test_hashed_static_files_are_served_by_nginx_for_a_year_and_compressed(stack):
    _, _, home = fetch(stack, "/")
    css = re.findall(rb'/static/themes/[^"]+\.[0-9a-f]{12}\.css', home)[0]
    status, headers, body = fetch(stack, css.decode(), headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-encoding"] == "gzip"
    assert b"{" in gzip.decompress(body)
    assert (
        "x-page-cache" not in headers and "x-proxy-cache" not in headers
    )  # never reached the app


def test_media_files_are_served_by_nginx_and_documents_are_not(stack):
    _, _, profile = fetch(stack, "/experts/")
    photos = re.findall(rb'/media/images/[^"\s]+', profile)
    assert photos
    status, headers, _body = fetch(stack, photos[0].decode())
    assert status == 200
    assert headers["content-type"].startswith("image/")
    assert headers["cache-control"] == "public, max-age=86400"
    assert fetch(stack, "/media/documents/anything.pdf")[0] == 404


# --- Pages ------------------------------------------------------------------------------


def test_the_app_knows_the_request_came_over_https(stack):
    _, headers, _ = fetch(stack, "/articles/")
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    # Not no-referrer: Chromium would then send Origin: null, which the decision view refuses.
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "content-security-policy" in headers
    # Straight to an app server without the proxy's header: sent to https first.
    status, headers, _ = fetch(stack, "/articles/", via=stack.app_ports[0],
                               headers={"X-Forwarded-Proto": "http"})  # fmt: skip
    assert status == 301 and headers["location"].startswith("https://")


def test_nginx_keeps_public_pages_and_passes_editors_and_searches_through(stack):
    assert fetch(stack, "/procedures/")[1]["x-proxy-cache"] in ("MISS", "EXPIRED")
    assert fetch(stack, "/procedures/")[1]["x-proxy-cache"] == "HIT"
    signed_in = {"Cookie": "sessionid=abc"}
    assert fetch(stack, "/procedures/", headers=signed_in)[1]["x-proxy-cache"] == "BYPASS"
    assert fetch(stack, "/search/?q=vein")[1]["x-proxy-cache"] == "BYPASS"
    # The admin and the preference centre are no-store: never kept.
    fetch(stack, "/consent/preferences/")
    assert fetch(stack, "/consent/preferences/")[1]["x-proxy-cache"] == "MISS"


def test_an_admins_cookies_are_secure_and_the_session_is_http_only(stack):
    login = Browser(stack, stack.app_ports[0])
    _, form_headers, _ = login.request("GET", "/admin/login/")
    _, headers, _ = login.request(
        "POST",
        "/admin/login/",
        [
            ("csrfmiddlewaretoken", login.cookies["csrftoken"]),
            ("username", "stackadmin"),
            ("password", stack.password),
        ],
    )
    cookies = {
        line.split("=", 1)[0]: line
        for line in (form_headers["set-cookie"] + "\n" + headers["set-cookie"]).splitlines()
    }
    assert "; Secure" in cookies["csrftoken"]
    assert "; Secure" in cookies["sessionid"] and "; HttpOnly" in cookies["sessionid"]


def test_the_health_check_answers_through_nginx_and_is_never_kept(stack):
    status, _headers, body = fetch(stack, "/healthz")
    assert (status, body) == (200, b'{"database": "ok", "cache": "ok"}')
    assert fetch(stack, "/healthz")[1]["x-proxy-cache"] == "MISS"


# --- Two app servers, one cache ----------------------------------------------------------


def test_a_banner_change_made_through_one_server_is_served_by_the_other(stack):
    first, second = stack.app_ports
    before = fetch(stack, "/", via=second)[2]
    assert fetch(stack, "/", via=second)[1]["x-page-cache"] == "hit"
    assert fetch(stack, "/")[1]["x-proxy-cache"] in ("HIT", "MISS")

    admin = Browser(stack, first).log_in()
    (settings_id,) = sql(stack, "SELECT id FROM consent_consentsettings")[0]
    admin.submit(
        f"/admin/settings/consent/consentsettings/{settings_id}/",
        replaced("banner_title", "Your cookies, your say"),
    )

    _, headers, after = fetch(stack, "/", via=second)
    assert b"Your cookies, your say" in after and after != before
    assert headers["x-page-cache"] == "miss"
    # nginx was purged: it fetches the new page too.
    _status, headers, through_nginx = fetch(stack, "/")
    assert b"Your cookies, your say" in through_nginx
    assert headers["x-proxy-cache"] == "MISS"


def test_a_publish_through_one_server_purges_nginx_and_the_other_servers_copy(stack):
    first, second = stack.app_ports
    path = "/specialties/vascular-surgery/"
    fetch(stack, path)
    assert fetch(stack, path)[1]["x-proxy-cache"] == "HIT"
    fetch(stack, path, via=second)
    assert fetch(stack, path, via=second)[1]["x-page-cache"] == "hit"

    ((page_id,),) = sql(
        stack, "SELECT id FROM wagtailcore_page WHERE url_path LIKE %s", "%" + path
    )
    admin = Browser(stack, first).log_in()
    admin.submit(
        f"/admin/pages/{page_id}/edit/",
        lambda fields: [
            *replaced("title", "Vascular and endovascular surgery")(fields),
            ("action-publish", "action-publish"),
        ],
        form_id="page-edit-form",
    )

    assert b"Vascular and endovascular surgery" in fetch(stack, path, via=second)[2]
    _status, headers, body = fetch(stack, path)
    assert b"Vascular and endovascular surgery" in body
    assert headers["x-proxy-cache"] == "MISS"
    # The listing that shows it was purged too.
    assert b"Vascular and endovascular surgery" in fetch(stack, "/specialties/")[2]
