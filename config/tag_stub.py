"""Stand-ins for Google's, Matomo's and an ad network's scripts, for the demo and the tests.

The machines have no internet, and tests must never contact a third party: gated tags point
here. Each script records that it ran (`window.stubTags`) and sets a cookie as the real one
would, so withdrawing consent has something to delete.

The analytics stubs also do what matters about the real ones for privacy: they read their
command queue (`dataLayer` for GA4, `_paq` for Matomo), including the commands pushed after
they load, and send a page view to this server (`/_stub/tags/google/g/collect`,
`/_stub/tags/matomo/matomo.php`) with the page's address, title and referrer, taken from the
commands when given and from the document otherwise, as the real scripts do. A test reads
those requests to know what a tracker would have received. The GA4 stub follows Google
Consent Mode as the real one does: no cookie while `analytics_storage` is denied, and each
hit carries the consent state (`gcs`).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

SCRIPTS = {
    "google/gtag/js": ("ga4", "_ga=GA1.1.stub", "_ga_STUB=GS1.1.stub"),
    "google/gtm.js": ("gtm", "_gtm_stub=1"),
    "matomo/matomo.js": ("matomo", "_pk_id.1.stub=stub"),
    "ads.js": ("ads", "stub_ad_id=stub"),
    "custom.js": ("custom", "stub_custom=1"),
}
# Where the stubs send their page views: answered with nothing.
HITS = {"google/g/collect", "matomo/matomo.php"}

TEMPLATE = """(function () {{
  (window.stubTags = window.stubTags || []).push({name!r});
  var setCookies = function () {{
    {cookies}
  }};
  {behaviour}
}})();
"""

PLAIN = "setCookies();"

GA4 = """
  var dl = (window.dataLayer = window.dataLayer || []), consent = {}, cookiesSet = false;
  var hit = function (id, p) {
    var q = new URLSearchParams({
      tid: id,
      dl: p.page_location || location.href,
      dt: p.page_title || document.title,
      dr: p.page_referrer !== undefined ? p.page_referrer : document.referrer,
      gcs: "ad_storage=" + (consent.ad_storage || "") +
        ";analytics_storage=" + (consent.analytics_storage || ""),
    });
    (window.stubHits = window.stubHits || []).push(Object.fromEntries(q));
    new Image().src = "/_stub/tags/google/g/collect?" + q;
  };
  var handle = function (a) {
    if (!a || typeof a !== "object" || !("length" in a)) return; // gtag() pushes Arguments
    if (a[0] === "consent") Object.assign(consent, a[2] || {});
    if (a[0] === "config") hit(a[1], a[2] || {});
    if (!cookiesSet && consent.analytics_storage !== "denied") {
      cookiesSet = true;
      setCookies();
    }
  };
  dl.forEach(handle);
  var push = dl.push;
  dl.push = function () {
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return push.apply(dl, arguments);
  };
"""

MATOMO = """
  setCookies();
  var queue = window._paq || [];
  var t = { url: location.href, title: document.title, ref: document.referrer };
  var run = function (c) {
    if (c[0] === "setTrackerUrl") t.tracker = c[1];
    if (c[0] === "setSiteId") t.site = c[1];
    if (c[0] === "setCustomUrl") t.url = c[1];
    if (c[0] === "setDocumentTitle") t.title = c[1];
    if (c[0] === "setReferrerUrl") t.ref = c[1];
    if (c[0] === "trackPageView") {
      var q = new URLSearchParams({
        idsite: t.site, url: t.url, action_name: t.title, urlref: t.ref,
      });
      (window.stubHits = window.stubHits || []).push(Object.fromEntries(q));
      new Image().src = t.tracker + "?" + q;
    }
  };
  queue.forEach(run);
  window._paq = {
    push: function () { for (var i = 0; i < arguments.length; i++) run(arguments[i]); },
  };
"""

BEHAVIOUR = {"ga4": GA4, "matomo": MATOMO}


@never_cache
def stub_script(request: HttpRequest, name: str) -> HttpResponse:
    if name in HITS:
        return HttpResponse(status=204)
    if name not in SCRIPTS:
        raise Http404
    tag, *cookies = SCRIPTS[name]
    lines = "\n    ".join(
        f"document.cookie = {cookie!r} + '; path=/; max-age=63072000; samesite=lax';"
        for cookie in cookies
    )
    return HttpResponse(
        TEMPLATE.format(name=tag, cookies=lines, behaviour=BEHAVIOUR.get(tag, PLAIN)),
        content_type="text/javascript; charset=utf-8",
    )
