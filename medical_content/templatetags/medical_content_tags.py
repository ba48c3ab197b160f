"""Template tags that hand the theme medical content it cannot get from the page alone."""

from django import template
from django.http import HttpRequest
from django.template.context import Context

from ..navigation import NavItem, primary_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context: Context) -> list[NavItem]:
    """The site's top-level sections; from the cache once warm, so no query per page."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    return primary_navigation(request)
