"""Template tags that put the consent layer into a site's base template.

None of them queries the database or reads the reader's cookie: they render the same bytes
for every reader (the browser script applies the reader's choice), from the consent
configuration read once per request from the cache.

    {% load consent_tags %}
    <head> ... {% consent_head %} </head>
    <body> <a class="skip-link" ...> {% consent_banner %} ...
        <footer> <a href="{% consent_settings_url %}">Cookie settings</a> </footer>
        {% consent_tags %}
    </body>
"""

from django import template
from django.template.context import Context
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString

from .. import conf, sensitivity
from ..snapshot import get_snapshot

register = template.Library()


def _request(context: Context):
    return context.get("request")


def _content_id(request) -> str:
    return sensitivity.content_id(request.get_full_path() if request is not None else "")


def _active(request) -> bool:
    """On, and not Wagtail's editor preview: an editor checking a page is not a reader, so the
    preview shows no banner over the page and runs no tag (previews would count as visits)."""
    return conf.enabled() and not getattr(request, "is_preview", False)


@register.simple_tag(takes_context=True)
def consent_head(context: Context) -> SafeString:
    """The configuration as JSON, the stylesheet and the deferred script."""
    request = _request(context)
    if not _active(request):
        return SafeString("")
    config = get_snapshot(request)
    head = format_html(
        '{}\n<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>',
        config.script,
        static("consent/consent.css"),
        static("consent/consent.min.js"),
    )
    if not sensitivity.is_sensitive(context):
        return head
    page = {"sensitive": True, "contentId": _content_id(request)}
    # The next page gets only the origin as referrer, even on this site (see sensitivity).
    return format_html(
        '<meta name="referrer" content="strict-origin">\n{}\n{}',
        json_script(page, "consent-page"),
        head,
    )


@register.inclusion_tag("consent/banner.html", takes_context=True)
def consent_banner(context: Context) -> dict:
    """The banner: hidden until the script finds no valid decision; a `<noscript>` copy."""
    request = _request(context)
    match = getattr(request, "resolver_match", None)
    if not _active(request) or (match and match.view_name == "consent:preferences"):
        # The preference centre is the banner's long form: no need for both.
        return {"enabled": False}
    return {
        "enabled": True,
        "config": get_snapshot(request),
        # The path only: a query string would put whatever a link carried into the page.
        "next": request.path if request is not None else "/",
        "decide_url": reverse("consent:decide"),
        "preferences_url": reverse("consent:preferences"),
        # A decision's record keeps the page it was made on; a sensitive page's address (or
        # its content id, which the site's owner can map back) next to a consent id would say
        # what that reader read, so the form only says the page was sensitive.
        "sensitive": sensitivity.is_sensitive(context),
    }


@register.inclusion_tag("consent/tags.html", takes_context=True)
def consent_tags(context: Context) -> dict:
    """Every active tag, inert in a `<template>` until the script finds consent for its group;
    on a sensitive page only the analytics tags that get a neutral content id."""
    request = _request(context)
    if not _active(request):
        return {"tags": ()}
    tags = get_snapshot(request).tags
    if sensitivity.is_sensitive(context):
        tags = tuple(tag for tag in tags if sensitivity.allowed_on_sensitive_page(tag))
    return {"tags": tags}


@register.simple_tag
def consent_settings_url() -> str:
    """Where the footer's "Cookie settings" link goes: the preference centre."""
    return reverse("consent:preferences")
