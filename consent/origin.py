"""Is a POST from one of this site's own pages?

Public pages carry no CSRF token (they are the same bytes for every reader, so they can be
cached), so the decision view checks where the request came from instead. Browsers send
`Origin` on every POST; `Sec-Fetch-Site` is a second signal where they send it (not to
plain-http hosts other than loopback). `Origin: null` (sandboxed frames, some redirects, and
Chromium's own forms under `Referrer-Policy: no-referrer`) is refused.
"""

from django.conf import settings
from django.http import HttpRequest

ALLOWED_FETCH_SITES = {"same-origin", "none"}


def is_same_origin(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ALLOWED_FETCH_SITES:
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return fetch_site == "same-origin"
    trusted = getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    return origin == f"{request.scheme}://{request.get_host()}" or origin in trusted
