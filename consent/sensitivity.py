"""Sensitive health pages: all the consent layer knows about pages.

Reading about some conditions can reveal something private about the reader's health (the
EU Court of Justice, C-252/21, treats such data as special-category). The site says which
responses are sensitive; this module decides what that means for tags:

- the interface: a view or page puts `sensitive_page = True` in the template context, or,
  when the context does not say, the context's `page` has a true `is_sensitive` attribute
  (any Wagtail page model may have one). Nothing else about pages is known here.
- on a sensitive page only analytics tags that can be told to send a neutral content id
  (GA4, Matomo) are shipped at all; advertising, Tag Manager containers, script URLs and
  custom HTML are left out of the HTML, so no choice of the reader's can run them;
- Google Consent Mode denies the advertising signals there whatever the reader accepted;
- the page asks the browser to send only the site's origin as referrer, even to this site,
  so the next page's analytics cannot read this page's address from `document.referrer`;
- a decision made there is recorded without the page's address or content id.
"""

from urllib.parse import urlsplit

from django.template.context import Context
from django.utils.crypto import salted_hmac

from .choices import GroupPurpose, TagKind
from .snapshot import TagInfo

CONTEXT_KEY = "sensitive_page"
# What a consent record keeps as the page of a decision made on a sensitive page.
RECORDED_PATH = "(a sensitive page)"
SALT = "consent.sensitivity.content_id"
# Tags whose page view the browser script can rewrite to the neutral content id.
NEUTRAL_KINDS = frozenset({TagKind.GA4, TagKind.MATOMO})


def is_sensitive(context: Context) -> bool:
    """Whether the response being rendered is about a sensitive health topic."""
    value = context.get(CONTEXT_KEY)
    if value is None:
        value = getattr(context.get("page"), "is_sensitive", False)
    return bool(value)


def content_id(full_path: str) -> str:
    """What analytics is told instead of a sensitive page's title and address: stable for
    one URL (so views still count) and meaningless without the site's secret key."""
    return "sensitive-" + salted_hmac(SALT, full_path).hexdigest()[:12]


def recorded_path(posted_sensitive: str, path: str) -> str:
    """What a consent record keeps of the page a decision was made on: nothing that names a
    sensitive page (its banner says so), else the path without its query string."""
    if posted_sensitive == "1":
        return RECORDED_PATH
    return urlsplit(path).path[:500]


def allowed_on_sensitive_page(tag: TagInfo) -> bool:
    return tag.kind in NEUTRAL_KINDS and tag.purpose != GroupPurpose.ADVERTISING
