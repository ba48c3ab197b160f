"""Template tags that hand the theme what it cannot get from the page alone."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from .. import structured_data as schema
from ..breadcrumbs import Crumb, breadcrumbs
from ..navigation import NavItem, primary_navigation

register = template.Library()

# Characters that could end a <script> element or open a comment, escaped inside JSON strings.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def main_navigation(context: Context) -> list[NavItem]:
    """The site's top-level sections; from the cache once warm, so no query per page."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    return primary_navigation(request)


@register.simple_tag(takes_context=True)
def page_breadcrumbs(context: Context) -> list[Crumb]:
    """Home ... current page, for the page in the context; a view can pass its own."""
    if "breadcrumbs" in context:
        return context["breadcrumbs"]
    page, request = context.get("page"), context.get("request")
    if page is None or request is None:
        return []
    return breadcrumbs(page, request)


@register.simple_tag(takes_context=True)
def structured_data(context: Context, crumbs: list[Crumb]) -> SafeString:
    """The page's JSON-LD, safe inside a <script> element."""
    page, request = context.get("page"), context.get("request")
    if request is None:
        return mark_safe("")
    if page is not None:
        data = schema.for_page(page, request, {**context.flatten(), "breadcrumbs": crumbs})
    else:
        data = [schema.breadcrumb_list(crumbs, request)] if crumbs else []
    data += context.get("extra_structured_data", [])
    if not data:
        return mark_safe("")
    text = json.dumps(data if len(data) > 1 else data[0], cls=DjangoJSONEncoder)
    return mark_safe(  # noqa: S308 - JSON with <, > and & escaped cannot leave the element
        '<script type="application/ld+json">' + text.translate(_JSON_SCRIPT_ESCAPES) + "</script>"
    )


@register.simple_tag
def meta_description(page) -> str:
    return schema.meta_description(page) if page is not None else ""
