"""Cheaper routing for index pages whose children are all of one page type."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from wagtail.query import PageQuerySet


class SingleChildTypeRoutingMixin:
    """Route to a child with one query instead of Wagtail's two.

    Wagtail's `Page.route` fetches the child as a base `Page`, then again as its specific
    class. An index page that only allows one child type can ask that model directly (and
    join what the child's page needs), which saves queries on every article or profile view.
    Behaviour is otherwise Wagtail's: unknown slugs and unpublished pages give a 404.
    """

    def child_queryset(self) -> PageQuerySet:
        """The child page type's pages, usually its `route_queryset()` (which
        `page_cache.routes` uses too)."""
        raise NotImplementedError

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        slug, *remaining = path_components
        try:
            child = self.child_queryset().child_of(self).get(slug=slug)
        except ObjectDoesNotExist as e:
            raise Http404 from e
        child._cached_parent_obj = self
        return child.route(request, remaining)
