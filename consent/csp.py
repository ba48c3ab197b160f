"""What the Content-Security-Policy must allow for the tags privacy admins configured.

The site's own policy (django-csp's `CONTENT_SECURITY_POLICY` setting) allows only the site
itself; this module adds, for each active tag, the hosts it loads from and sends to, so that
adding a GA4 tag allows Google's hosts and removing it removes them. Nothing here is per
reader or per request: the policy is the same bytes for every reader, as the page is (no
nonces), so a cache can share both.

- GA4 and Tag Manager: where their script loads from (`CONSENT_GOOGLE_TAG_BASE_URL`) and the
  hosts Google documents for them (scripts, hits as images and `fetch`).
- Matomo: the tracker's host, for its script and its hits.
- A script URL: its host.
- Custom HTML: the host of each `<script src>` in it, the SHA-256 hash of each inline script
  (the browser script re-creates those scripts with the same text, which the hash matches),
  and of each event-handler attribute (a vendor snippet's `onload=`), allowed with
  `'unsafe-hashes'`, which admits those exact handlers and no other; any other host it uses
  is declared with the tag (`csp_hosts`).
- Every kind: the hosts declared with the tag (an ad script's frames and images, say).

Pure functions of the tags' fields (no models, no settings), called once per snapshot;
`consent.middleware.ConsentTagsCSPMiddleware` adds the result to django-csp's policy.
"""

import base64
import hashlib
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .choices import TagKind

SCRIPT = "script-src"
CONNECT = "connect-src"
IMG = "img-src"
FRAME = "frame-src"
DIRECTIVES = (SCRIPT, CONNECT, IMG, FRAME)

# Google's own list for GA4 and Tag Manager with a CSP ("Use Content Security Policy",
# developers.google.com/tag-platform/security/guides/csp).
GOOGLE_SCRIPT_HOSTS = ("https://*.googletagmanager.com",)
GOOGLE_HIT_HOSTS = (
    "https://*.google-analytics.com",
    "https://*.analytics.google.com",
    "https://*.googletagmanager.com",
)

# One host a tag may load from: a scheme, a host (or `*.` and a domain), an optional port.
HOST_SOURCE = re.compile(r"^(https?)://(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?/?\Z")
HOST_SEPARATORS = re.compile(r"[\s,]+")


def origin(url: str) -> str | None:
    """`scheme://host[:port]` of an absolute URL; None for a path on the site (`'self'`)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")


def declared_hosts(value: str) -> list[str]:
    """The hosts a privacy admin declared with a tag, one per word (spaces or commas)."""
    return [host.rstrip("/").lower() for host in HOST_SEPARATORS.split(value.strip()) if host]


def is_host_source(host: str) -> bool:
    return bool(HOST_SOURCE.match(host))


def script_hash(text: str) -> str:
    """The CSP hash of an inline script's text, as the browser computes it: over the UTF-8
    text after the HTML parser turned each CRLF and CR into LF (a form posts CRLF)."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


class _Scripts(HTMLParser):
    """The `src` of each external script, the text of each inline one, and the code of each
    event-handler attribute (`onload="..."`) on any element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [value for name, value in attrs if name.startswith("on") and value]
        if tag != "script":
            return
        src = dict(attrs).get("src")
        if src:
            self.sources.append(src)
        else:
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._text is not None:
            self.inline.append("".join(self._text))
            self._text = None


def html_sources(html: str) -> tuple[list[str], list[str]]:
    """Hosts of the scripts a custom HTML tag loads, and the hashes of its inline scripts and
    event handlers (with `'unsafe-hashes'` when it has handlers: CSP applies hashes to
    handler attributes only with it)."""
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    hosts = [host for host in map(origin, parser.sources) if host]
    hashes = [script_hash(text) for text in parser.inline if text.strip()]
    if parser.handlers:
        hashes += ["'unsafe-hashes'", *map(script_hash, parser.handlers)]
    return hosts, hashes


def tag_sources(
    kind: str, src: str = "", url: str = "", html: str = "", hosts: Iterable[str] = ()
) -> dict[str, list[str]]:
    """What one tag needs allowed, by directive."""
    needs: dict[str, list[str]] = {directive: [] for directive in DIRECTIVES}
    loads_from = origin(src)
    if loads_from:
        needs[SCRIPT].append(loads_from)
    if kind in (TagKind.GA4, TagKind.GTM):
        needs[SCRIPT] += GOOGLE_SCRIPT_HOSTS
        needs[CONNECT] += GOOGLE_HIT_HOSTS
        needs[IMG] += GOOGLE_HIT_HOSTS
    elif kind == TagKind.MATOMO and origin(url):
        needs[CONNECT].append(origin(url))
        needs[IMG].append(origin(url))
    elif kind == TagKind.HTML:
        script_hosts, hashes = html_sources(html)
        needs[SCRIPT] += script_hosts + hashes
    for host in hosts:
        for directive in DIRECTIVES:
            needs[directive].append(host)
    return needs


def merged(needs: Iterable[dict[str, list[str]]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """All tags' needs as one sorted, duplicate-free set per directive (stable bytes)."""
    union: dict[str, set[str]] = {directive: set() for directive in DIRECTIVES}
    for need in needs:
        for directive, sources in need.items():
            union[directive].update(sources)
    return tuple((d, tuple(sorted(union[d]))) for d in DIRECTIVES if union[d])
