"""Error pages of the theme, and the address browsers ask for its icon."""

from django.http import HttpRequest, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.template import loader
from django.templatetags.static import static


def page_not_found(request: HttpRequest, exception: Exception | None = None):
    """Django's 404 page, marked sensitive for the consent layer: its address is whatever a
    reader typed or followed (a mistyped condition, a page that was withdrawn), so no
    advertising runs there and analytics is told a neutral id instead of the address.

    Set as `handler404` in the site's URLconf.
    """
    template = loader.get_template("404.html")
    context = {"request_path": request.path, "exception": exception, "sensitive_page": True}
    return HttpResponseNotFound(template.render(context, request))


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """/favicon.ico, which browsers and crawlers ask for whatever the page's `<link rel="icon">`
    says: the theme's icon, at its fingerprinted static address in production.

    Routed as `path("favicon.ico", themes.views.favicon)` in the site's URLconf.
    """
    return HttpResponsePermanentRedirect(static("themes/icons/favicon.ico"))
