"""Pagination that never fails on a reader's `?page=` value."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(items, request: HttpRequest, per_page: int) -> PaginatorPage:
    """Return the requested page of `items`.

    A missing, non-numeric, zero, negative or huge page number gives the first or last page
    (Paginator.get_page), never an error: readers and crawlers send all of these.
    """
    return Paginator(items, per_page).get_page(request.GET.get("page"))
