"""Template tags of the default theme."""

from importlib import import_module

from django import template
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.template.context import Context
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

register = template.Library()


def _may_be_signed_in(request: HttpRequest) -> bool:
    """Whether the reader's session cookie names a session that holds a login.

    Asked of a session store of its own, not of `request.session`: reading that one makes
    Django's SessionMiddleware add `Vary: Cookie` to the response, and delete the cookie
    (`Set-Cookie: sessionid=""`) when the session turns out to be unknown or expired. So a
    reader with a stale cookie gets the page every anonymous reader gets, at the cost of one
    session read (one query with the database backend); a value that cannot be a session key
    costs none.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    return store.session_key is not None and store.get(SESSION_KEY) is not None


@register.simple_tag(takes_context=True)
def editor_userbar(context: Context) -> str:
    """Wagtail's userbar, in previews and for a signed-in editor; nothing for readers.

    `{% wagtailuserbar %}` reads the session to find the user, which adds `Vary: Cookie` to
    every response and so stops a cache from sharing pages between readers. Only a session
    that holds a login gets that far, so for every reader who is not signed in (no cookie, or
    a junk, expired or logged-out one) the page never touches the session.
    """
    request = context.get("request")
    if request is None:
        return ""
    if getattr(request, "is_preview", False) or _may_be_signed_in(request):
        return wagtailuserbar(context)
    return ""
