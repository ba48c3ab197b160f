"""Where each address leads: the site and the page Wagtail's routing found, kept so that the
next request for the address starts from them instead of finding them again.

Wagtail finds the site of every request (a query, and one more for its root page) and walks
the page tree for every page view, one or two queries per level of the path: an article two
levels below the home page costs six before its view runs. Both answers are kept in the page
cache's cache under its generation (`store.py`), so whatever drops kept pages (a page
published, unpublished, moved or deleted; a site saved or deleted) forgets them too. Wagtail
keeps both answers on the request for the rest of it (`request._wagtail_site` and
`request._wagtail_route_for_request`, as `Site.find_for_request` and `Page.route_for_request`
document), and `RouteCacheMiddleware` fills them in before the view runs, so Wagtail's own
code uses them. Each process keeps its own copy of the entries it has read (`LocalCopies`:
they never change under a generation), so a warm request asks the shared cache for the
generation only.

What is kept is where to look, not what is there: the page is read from the database on every
request (one query, of its own page type), and used only if it is still live at the same
address; otherwise Wagtail walks the tree as it always does. Only a page that Wagtail's routing
reached with the whole path is kept: never a 404, a routable page's sub-page or a preview.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpRequest
from django.utils import translation
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import conf, store
from .generation import LocalCopies

_copies = LocalCopies()
# In every key: bump it when what an entry holds changes shape, so a deploy never reads the
# entries an older version kept under the same generation.
FORMAT = "v1"

# Set on a request whose site or page came from the cache (nothing new to keep).
KEPT_SITE = "_page_cache_kept_site"
KEPT_ROUTE = "_page_cache_kept_route"


def _site_key(request: HttpRequest) -> str | None:
    """The key of the request's site under the current generation; None when the cache does
    not answer or the host is not one the site serves."""
    generation = store.generation().current(request)
    if generation is None:
        return None
    try:
        host = request.get_host()  # checked against ALLOWED_HOSTS: no key for a made-up host
    except DisallowedHost:
        return None
    return f"page_cache:{generation}:site:{FORMAT}:{host}:{request.get_port()}"


def _route_key(site_key: str, path: str) -> str:
    return f"{site_key}:route:{translation.get_language()}:{path}"


def _components(path: str) -> str:
    """A path as Wagtail's routing reads it: its non-empty components, joined."""
    return "/".join(c for c in path.split("/") if c)


def _reached_by(page: Page, root_url_path: str, path: str) -> bool:
    """Whether Wagtail's routing walks from the root page (by its `url_path`) to `page` with
    the whole of `path`."""
    return page.url_path.startswith(root_url_path) and _components(
        page.url_path[len(root_url_path) :]
    ) == _components(path)


SITE_FIELDS = [f.attname for f in Site._meta.concrete_fields]


def _site_entry(site: Site, root_url_path: str) -> tuple:
    """What is kept of a site: its own fields (not the pages Wagtail's routing loaded onto it)
    and its root page's `url_path`."""
    return (site._state.db, tuple(getattr(site, f) for f in SITE_FIELDS), root_url_path)


def start(request: HttpRequest, path: str | None) -> None:
    """Give the request its kept site and, when it is for a page (`path`, as Wagtail's serve
    view receives it), its kept page."""
    if hasattr(request, "_wagtail_site"):
        return
    site_key = _site_key(request)
    if site_key is None:
        return
    route_key = _route_key(site_key, _components(path)) if path is not None else None
    kept = _copies.fetch(conf.cache(), [k for k in (site_key, route_key) if k])
    if site_key not in kept:
        return
    try:
        db, values, root_url_path = kept[site_key]
        site = Site.from_db(db, SITE_FIELDS, values)  # the request's own
    except (TypeError, ValueError):  # not an entry this version wrote: Wagtail finds the site
        return
    request._wagtail_site = site
    setattr(request, KEPT_SITE, True)
    # Every page URL the request builds needs all sites' root paths (Wagtail keeps them in the
    # cache and on the request); a site change bumps the generation in `site_key`.
    paths_key = f"{site_key}:root_paths"
    paths = _copies.get(paths_key)
    if paths is None:
        paths = tuple(Site.get_site_root_paths())
        _copies.keep(paths_key, paths)
    request._wagtail_cached_site_root_paths = paths
    route = kept.get(route_key)
    if isinstance(route, tuple) and len(route) == 2 and not getattr(request, "is_dummy", False):
        _start_route(request, root_url_path, path, *route)


def _start_route(
    request: HttpRequest, root_url_path: str, path: str, content_type_id: int, page_id: int
) -> None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:  # its app was removed
        return
    try:
        page = _route_queryset(model).get(pk=page_id)  # get(): no ORDER BY to compile
    except model.DoesNotExist:
        return
    if not _reached_by(page, root_url_path, path):
        return  # deleted, moved or renamed without the signals that drop kept routes
    try:
        result = page.route(request, [])
    except Http404:
        return  # no longer live: Wagtail's routing finds what answers now
    request._wagtail_route_for_request = result
    setattr(request, KEPT_ROUTE, True)


def _route_queryset(model: type[Page]):
    """The page type's own routing query, when it has one (what its view needs, joined)."""
    queryset = getattr(model, "route_queryset", None)
    return queryset() if queryset is not None else model._default_manager.all()


def remember(request: HttpRequest, path: str | None) -> None:
    """Keep the site Wagtail found for the request and, for a page view, the page its routing
    reached with the whole path."""
    site = getattr(request, "_wagtail_site", None)
    if not isinstance(site, Site) or getattr(request, "is_dummy", False):
        return
    if getattr(request, KEPT_ROUTE, False) or (
        getattr(request, KEPT_SITE, False) and path is None
    ):
        return  # all it used came from the cache
    site_key = _site_key(request)
    if site_key is None:
        return
    root = site.root_page  # loaded by the routing; a query only if nothing routed
    entries = {}
    if not getattr(request, KEPT_SITE, False):
        entries[site_key] = _site_entry(site, root.url_path)
    result = getattr(request, "_wagtail_route_for_request", None)
    if (
        path is not None
        and isinstance(result, RouteResult)
        and not result.args
        and not result.kwargs
        and result.page.live
        and _reached_by(result.page, root.url_path, path)
    ):
        page = result.page
        entries[_route_key(site_key, _components(path))] = (page.content_type_id, page.pk)
    if entries:
        conf.cache().set_many(entries, conf.timeout())
        for key, value in entries.items():
            _copies.keep(key, value)
