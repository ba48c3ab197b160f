"""Helpers shared by the consent browser tests."""

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Request

STUB = "/_stub/tags/"
# Where the analytics stubs send their page views (config/tag_stub.py).
GA4_HIT = STUB + "google/g/collect"
MATOMO_HIT = STUB + "matomo/matomo.php"
CONSENT_COOKIE = "cookie_consent"
# The signed id that chains a reader's consent records (HttpOnly; set with every decision).
CONSENT_ID_COOKIE = "consent_id"


def wait_for_consent_script(page: Page) -> None:
    """The script is deferred: once it has published its state, it has read the cookie and
    shown the banner or run the tags (all in the same task)."""
    page.wait_for_function("() => window.consentLayer && window.consentLayer.state()")


def browser_cookies(page: Page) -> dict[str, str]:
    return {item["name"]: item["value"] for item in page.context.cookies()}


def consent_values(page: Page) -> dict[str, str]:
    """The consent cookie's `key=value` pairs, as the browser holds it (Django quotes it)."""
    raw = browser_cookies(page)[CONSENT_COOKIE]
    assert raw.startswith('"') and raw.endswith('"'), raw
    return dict(part.split("=", 1) for part in raw[1:-1].split("|"))


# --- Shared by the privacy-signal and sensitive-page tests -----------------------------------

# What a browser with Global Privacy Control switched on exposes to scripts.
GPC_NAVIGATOR = (
    "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"
)
GPC_HEADER = {"Sec-GPC": "1"}
DENIED = {
    "ad_storage": "denied",
    "ad_user_data": "denied",
    "ad_personalization": "denied",
    "analytics_storage": "denied",
}
GRANTED = dict.fromkeys(DENIED, "granted")
# `dataLayer` as plain lists: gtag() pushes Arguments objects, Tag Manager plain objects
# (kept as they are); a Date (`["js", new Date()]`) becomes the string "<Date>".
DATA_LAYER = """() => (window.dataLayer || []).map(a =>
    a && typeof a === "object" && "length" in a
        ? Array.from(a).map(x => (x instanceof Date ? "<Date>" : x))
        : a)"""


def wait_for_stub_tags(page: Page, *names: str) -> None:
    """Until every named stub (`ga4`, `ads`, `gtm`, `matomo`, `custom`) has run."""
    page.wait_for_function(
        "names => names.every(n => (window.stubTags || []).includes(n))", arg=list(names)
    )


def stub_tags_run(page: Page) -> list[str] | None:
    return page.evaluate("() => window.stubTags")


def data_layer(page: Page) -> list:
    return page.evaluate(DATA_LAYER)


def consent_commands(page: Page) -> list[list]:
    """The Consent Mode commands in `dataLayer`, in order."""
    return [
        entry for entry in data_layer(page) if isinstance(entry, list) and entry[:1] == ["consent"]
    ]


def wait_for_stub_hits(page: Page, count: int) -> list[dict]:
    """The page views the analytics stubs sent (GA4: `tid`, Matomo: `idsite`), once there
    are at least `count` of them."""
    page.wait_for_function("n => (window.stubHits || []).length >= n", arg=count)
    return page.evaluate("() => window.stubHits")


def is_hit(path: str, about: str = "") -> Callable[[Request], bool]:
    """A request predicate: a page view sent to `path` (GA4_HIT, MATOMO_HIT) whose URL holds
    `about` (e.g. a content id), for `page.expect_request`.

    `window.stubHits` is filled before the hit's request starts, and the request event can
    reach the test later still: wait for the request itself when reading requests."""
    return lambda request: urlsplit(request.url).path == path and about in request.url


class Requests:
    """Every request a tab made, in order, as (method, URL)."""

    def __init__(self) -> None:
        self.made: list[tuple[str, str]] = []

    def attach(self, page: Page) -> Page:
        page.on("request", lambda request: self.made.append((request.method, request.url)))
        return page

    def clear(self) -> None:
        self.made.clear()

    def to(self, prefix: str) -> list[str]:
        """The requests to paths starting with `prefix`."""
        return [
            f"{method} {url}" for method, url in self.made if urlsplit(url).path.startswith(prefix)
        ]


class Readers:
    """Opens tabs for readers, each in a browser context of its own (local requests only),
    optionally with Global Privacy Control: `header` sends `Sec-GPC: 1` with every request,
    `navigator` sets `navigator.globalPrivacyControl`. Every tab's requests go to `requests`.
    """

    def __init__(self, browser: Browser, request_log, requests: Requests) -> None:
        self.browser, self.request_log, self.requests = browser, request_log, requests
        self.contexts: list[BrowserContext] = []

    def open(self, *, header: bool = False, navigator: bool = False, **options) -> Page:
        from .conftest import local_only_context

        if header:
            options["extra_http_headers"] = GPC_HEADER
        context = local_only_context(self.browser, self.request_log, **options)
        if navigator:
            context.add_init_script(GPC_NAVIGATOR)
        self.contexts.append(context)
        page = context.new_page()
        failed = self.request_log.failed
        page.on(
            "response",
            lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        return self.requests.attach(page)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
