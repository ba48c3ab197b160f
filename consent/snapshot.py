"""The consent configuration: groups, cookies, tags and settings as one cached snapshot.

Public pages read it once per request from one cache entry (never the database, never Wagtail's
`for_request`, which queries on every request); any admin change drops the entry, on every
process that shares the cache. The JSON part is what the browser script gets in every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from . import conf, csp
from .choices import BANNER_FEATURES, GroupPurpose, TagKind
from .models import BannerVersion, ConsentCookie, ConsentGroup, ConsentSettings, ConsentTag
from .validators import closes_template, is_secure_script_url

if TYPE_CHECKING:
    from django.db.models import QuerySet

# Bump when the snapshot's shape, or the rule of what it holds, changes, so a deploy never
# reads an old pickled shape or serves tags the new rule leaves out (5: not-https tags; 6: the
# class moved to `consent.snapshot.ConsentSnapshot`, so an entry pickled before is not read;
# 7: the tags' Content-Security-Policy sources).
CACHE_KEY = "consent:snapshot:7"
TIMEOUT = 60 * 60 * 24
REQUEST_ATTRIBUTE = "_consent_snapshot"
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class CookieInfo:
    name: str
    provider: str
    purpose: str
    duration: str
    domain: str
    path: str


@dataclass(frozen=True)
class GroupInfo:
    varname: str
    name: str
    description: str
    purpose: str
    version: str
    cookies: tuple[CookieInfo, ...] = ()

    @property
    def is_required(self) -> bool:
        return self.purpose == GroupPurpose.NECESSARY

    @property
    def purpose_label(self) -> str:
        return GroupPurpose(self.purpose).label if self.purpose in GroupPurpose else self.purpose


@dataclass(frozen=True)
class TagInfo:
    group: str
    kind: str
    purpose: str
    src: str = ""
    tag_id: str = ""
    url: str = ""
    site_id: str = ""
    html: str = ""
    hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentSnapshot:
    groups: tuple[GroupInfo, ...]
    tags: tuple[TagInfo, ...]
    banner_title: str
    banner_html: SafeString
    privacy_policy_url: str
    cookie_policy_url: str
    lifetime_days: int
    policy_version: int
    consent_mode: bool = False
    # What the page's Content-Security-Policy adds for these tags: ((directive, sources), ...).
    csp_sources: tuple[tuple[str, tuple[str, ...]], ...] = ()
    script: SafeString = field(default=SafeString(""))

    @property
    def optional_groups(self) -> tuple[GroupInfo, ...]:
        return tuple(group for group in self.groups if not group.is_required)

    @property
    def versions(self) -> dict[str, str]:
        return {group.varname: group.version for group in self.optional_groups}

    @property
    def gpc_refused(self) -> tuple[str, ...]:
        """The groups a Global Privacy Control signal refuses: those for advertising."""
        return tuple(
            g.varname for g in self.optional_groups if g.purpose == GroupPurpose.ADVERTISING
        )

    @property
    def gpc_allowed_groups(self) -> tuple[GroupInfo, ...]:
        """What "Accept" still offers under Global Privacy Control."""
        return tuple(g for g in self.optional_groups if g.varname not in self.gpc_refused)

    @property
    def gpc_accept_label(self) -> str:
        """The banner's accept button under GPC: "Accept analytics", "Accept functional and
        analytics"; empty when nothing but advertising is optional."""
        names = [g.name.lower() for g in self.gpc_allowed_groups]
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"Accept {listed}"

    @property
    def lifetime_seconds(self) -> int:
        return self.lifetime_days * DAY

    @property
    def banner_digest(self) -> str:
        """Names these banner words (a `BannerVersion`); the banner's forms post it back, so
        a decision made on a cached page records the words that page showed."""
        return BannerVersion.digest_of(self.banner_title, str(self.banner_html))

    def group(self, varname: str) -> GroupInfo | None:
        return next((group for group in self.groups if group.varname == varname), None)


def get_snapshot(request: HttpRequest | None = None) -> ConsentSnapshot:
    """The current configuration: memoised on the request, else one cache read."""
    if request is not None and hasattr(request, REQUEST_ATTRIBUTE):
        return getattr(request, REQUEST_ATTRIBUTE)
    config = cache.get(CACHE_KEY)
    if config is None:
        config = build_snapshot()
        cache.set(CACHE_KEY, config, TIMEOUT)
    if request is not None:
        setattr(request, REQUEST_ATTRIBUTE, config)
    return config


def invalidate(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def clean_banner_html(stored: str) -> SafeString:
    """Links, bold and italics only, whatever reached the database (admin, shell or API)."""
    whitelister = EditorHTMLConverter(features=BANNER_FEATURES).whitelister
    return mark_safe(whitelister.clean(expand_db_html(stored)))  # noqa: S308  (cleaned above)


def _page_url(page: Page | None) -> str:
    if page is None or not page.live:
        return ""
    return page.get_url() or ""


def _tag_info(tag) -> TagInfo:
    base = conf.google_tag_base_url()
    of = (tag.group.varname, tag.kind, tag.group.purpose)
    hosts = tuple(csp.declared_hosts(tag.csp_hosts))
    if tag.kind == TagKind.GA4:
        return TagInfo(*of, f"{base}/gtag/js?id={tag.tag_id}", tag.tag_id, hosts=hosts)
    if tag.kind == TagKind.GTM:
        return TagInfo(*of, f"{base}/gtm.js?id={tag.tag_id}", tag.tag_id, hosts=hosts)
    if tag.kind == TagKind.MATOMO:
        url = tag.url if tag.url.endswith("/") else tag.url + "/"
        return TagInfo(
            *of, f"{url}matomo.js", url=url, site_id=str(tag.matomo_site_id), hosts=hosts
        )
    if tag.kind == TagKind.SCRIPT:
        return TagInfo(*of, tag.url, hosts=hosts)
    return TagInfo(*of, html=tag.html, hosts=hosts)


def _loads_insecurely(info: TagInfo) -> bool:
    """With DEBUG off, a script not on https is left out: on its way to the reader anyone on
    the network could replace it with their own code."""
    return bool(info.src) and conf.https_tags_only() and not is_secure_script_url(info.src)


def _shippable(info: TagInfo) -> bool:
    """Custom HTML that could close its inert <template> would run before any consent."""
    return not (closes_template(info.html) or _loads_insecurely(info))


def _candidate_tags() -> QuerySet[ConsentTag]:
    """The tags pages would carry, before the rules above: active, in an optional group."""
    return ConsentTag.objects.filter(is_active=True, group__is_required=False).select_related(
        "group"
    )


def insecure_tags() -> list[tuple[ConsentTag, str]]:
    """Each active tag that pages leave out for its script URL, with that URL.

    For the system check consent.W006, which names them; pages never call it.
    """
    infos = ((tag, _tag_info(tag)) for tag in _candidate_tags())
    return [(tag, info.src) for tag, info in infos if _loads_insecurely(info)]


def build_snapshot() -> ConsentSnapshot:
    cookies: dict[int, list[CookieInfo]] = {}
    for cookie in ConsentCookie.objects.order_by("name"):
        cookies.setdefault(cookie.cookiegroup_id, []).append(
            CookieInfo(
                cookie.name,
                cookie.provider,
                cookie.purpose,
                cookie.duration,
                cookie.domain,
                cookie.path or "/",
            )
        )
    groups = tuple(
        GroupInfo(
            group.varname,
            group.name,
            group.description,
            group.purpose,
            group.version,
            tuple(cookies.get(group.pk, ())),
        )
        for group in ConsentGroup.objects.prefetch_related("cookie_set")
    )
    # Filtered here, once per snapshot, so a page view pays nothing for the rules.
    tags = tuple(info for info in map(_tag_info, _candidate_tags()) if _shippable(info))
    settings = (
        ConsentSettings.objects.select_related("privacy_policy_page", "cookie_policy_page").first()
        or ConsentSettings()
    )
    config = ConsentSnapshot(
        groups=groups,
        tags=tags,
        banner_title=settings.banner_title,
        banner_html=clean_banner_html(settings.banner_text),
        privacy_policy_url=_page_url(settings.privacy_policy_page),
        cookie_policy_url=_page_url(settings.cookie_policy_page),
        lifetime_days=settings.lifetime_days,
        policy_version=settings.policy_version,
        consent_mode=settings.google_consent_mode,
        csp_sources=csp.merged(
            csp.tag_sources(tag.kind, tag.src, tag.url, tag.html, tag.hosts) for tag in tags
        ),
    )
    return ConsentSnapshot(**{**config.__dict__, "script": _config_script(config)})


def _config_script(config: ConsentSnapshot) -> SafeString:
    data = {
        "cookie": conf.cookie_name(),
        "policy": config.policy_version,
        "lifetime": config.lifetime_seconds,
        "consentMode": config.consent_mode,
        "groups": [
            {
                "varname": group.varname,
                "purpose": group.purpose,
                "version": group.version,
                "cookies": [
                    {"name": c.name, "domain": c.domain, "path": c.path} for c in group.cookies
                ],
            }
            for group in config.optional_groups
        ],
    }
    return json_script(data, "consent-config")
