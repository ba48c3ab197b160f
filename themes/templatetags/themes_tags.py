"""Template tags of the default theme."""

from django import template
from django.conf import settings
from django.template.context import Context
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_userbar(context: Context) -> str:
    """Wagtail's userbar, but only in previews or for a browser that has a session.

    `{% wagtailuserbar %}` reads the session to find the user, which adds `Vary: Cookie` to
    every response and so stops a cache from sharing pages between readers. Anonymous readers
    have no session cookie, so for them the page never touches the session.
    """
    request = context.get("request")
    if request is None:
        return ""
    if getattr(request, "is_preview", False) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return wagtailuserbar(context)
    return ""
