"""A generation number in Django's cache: one write invalidates every entry keyed by it.

Entries put the current generation in their keys; bumping it makes them unreachable (they
expire on their own), on every process that shares the cache. A missing generation (a new cache,
a restarted Redis, an evicted key) starts from the clock, never from a number old entries may
still carry.
"""

import time

from django.core.cache import BaseCache


class Generation:
    def __init__(self, cache: BaseCache, key: str) -> None:
        self.cache = cache
        self.key = key

    def current(self) -> int | None:
        """The generation now, or None when the cache does not answer (cache nothing then)."""
        value = self.cache.get(self.key)
        if value is None:
            self.cache.add(self.key, time.time_ns(), None)
            value = self.cache.get(self.key)
        return value

    def bump(self) -> None:
        try:
            self.cache.incr(self.key)
        except ValueError:  # no generation yet: nothing is keyed by one
            self.cache.set(self.key, time.time_ns(), None)
