"""Stand-ins for Google's, Matomo's and an ad network's scripts, for the demo and the tests.

The machines have no internet, and tests must never contact a third party: gated tags point
here. Each script records that it ran (`window.stubTags`) and sets a cookie as the real one
would, so withdrawing consent has something to delete.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

SCRIPTS = {
    "google/gtag/js": ("ga4", "_ga=GA1.1.stub", "_ga_STUB=GS1.1.stub"),
    "google/gtm.js": ("gtm", "_gtm_stub=1"),
    "matomo/matomo.js": ("matomo", "_pk_id.1.stub=stub"),
    "ads.js": ("ads", "stub_ad_id=stub"),
}
TEMPLATE = """(function () {{
  (window.stubTags = window.stubTags || []).push({name!r});
  {cookies}
}})();
"""


@never_cache
def stub_script(request: HttpRequest, name: str) -> HttpResponse:
    if name not in SCRIPTS:
        raise Http404
    tag, *cookies = SCRIPTS[name]
    lines = "\n  ".join(
        f"document.cookie = {cookie!r} + '; path=/; max-age=63072000; samesite=lax';"
        for cookie in cookies
    )
    return HttpResponse(
        TEMPLATE.format(name=tag, cookies=lines), content_type="text/javascript; charset=utf-8"
    )
