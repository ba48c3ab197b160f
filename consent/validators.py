"""Format checks for what privacy admins type into tags (IDs and script URLs), and the rule
pages apply again to each tag's script URL, whoever saved it."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from . import conf
from .csp import declared_hosts, is_host_source

validate_ga4_id = RegexValidator(
    r"^G-[A-Z0-9]{4,16}\Z", "Enter a GA4 measurement ID such as G-AB12CD34EF."
)
validate_gtm_id = RegexValidator(
    r"^GTM-[A-Z0-9]{4,12}\Z", "Enter a Tag Manager container ID such as GTM-AB12CD3."
)
LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_script_url(value: str) -> None:
    """https only; plain http just for a loopback host, and only with DEBUG on or under test."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError as error:
        raise ValidationError("Enter a valid URL.") from error
    if parts.username or parts.password:
        raise ValidationError("Leave the user name and password out of the URL.")
    if not host:
        raise ValidationError(
            "Enter a full URL with a host name, such as https://ads.example/tag.js."
        )
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(host) and conf.allow_loopback_tag_urls():
        return
    raise ValidationError("Script URLs must start with https:// (the page is served over https).")


def closes_template(html: str) -> bool:
    """Would this HTML end the `<template>` that keeps it inert until consent?

    Inside a template element only a `</template` end tag gets out (any case); anything after
    it would run on every page before the reader chose.
    """
    return "</template" in html.lower()


def is_site_path(url: str) -> bool:
    """A path on the site itself (`/_stub/tags/google/...`), loaded over the page's own scheme.

    Not `//host/...` nor `/\\host/...`: browsers read both as another host.
    """
    return url.startswith("/") and url[1:2] not in ("/", "\\")


def is_secure_script_url(url: str) -> bool:
    """May a page served with DEBUG off load a tag's script from this URL?

    A path on the site itself, or a URL the admin form would accept (https; plain http on a
    loopback host only while CONSENT_ALLOW_LOOPBACK_TAG_URLS is on, as under test). Checked
    again when the page's tags are built because rows also come from the demo command, a
    shell or an import, and because a row saved under DEBUG may be served without it.
    """
    if is_site_path(url):
        return True
    try:
        validate_script_url(url)
    except ValidationError:
        return False
    return True


def validate_csp_hosts(value: str) -> None:
    """Hosts declared with a tag: `https://host`, `https://*.domain` or with a port, no path;
    plain http only where a script URL may be http (a loopback host under test)."""
    bad = []
    for host in declared_hosts(value):
        parts = urlsplit(host)
        if not is_host_source(host) or (
            parts.scheme == "http"
            and not (is_loopback(parts.hostname or "") and conf.allow_loopback_tag_urls())
        ):
            bad.append(host)
    if bad:
        raise ValidationError(
            "Enter hosts such as https://ads.example or https://*.ads.example, separated by "
            "spaces (https only, no path): %(hosts)s",
            params={"hosts": ", ".join(bad)},
        )
