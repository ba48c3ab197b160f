"""Small cached lists derived from the page tree (navigation, filter options).

Each costs a query to build and changes only when pages are saved (which publishing,
unpublishing and creating do), moved or deleted, so it lives in Django's cache and every
entry is dropped on any of those events (the receivers are in `signals.py`).
All entries share one generation number, so one cache write invalidates them all, on every
process that shares the cache (so several processes need a shared cache such as Redis). A
request reads the generation once; each process keeps its own copy of the entries it has read
(they never change under a generation), so a warm page costs one trip to the cache here.
Values must therefore be immutable: tuples of frozen dataclasses.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest

from page_cache.generation import Generation, LocalCopies

T = TypeVar("T")

GENERATION_KEY = "medical_content:page_tree:generation"
TIMEOUT = 60 * 60 * 24


_copies = LocalCopies()


def cached(name: str, build: Callable[[], T], request: HttpRequest | None = None) -> T:
    """`build()`'s result, from the cache while the page tree has not changed."""
    generation = Generation(cache, GENERATION_KEY).current(request)
    if generation is None:  # the cache does not answer
        return build()
    key = f"medical_content:page_tree:{generation}:{name}"
    value = _copies.fetch(cache, [key]).get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
        _copies.keep(key, value)
    return value


def invalidate(**kwargs) -> None:
    Generation(cache, GENERATION_KEY).bump()
