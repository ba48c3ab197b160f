"""A generation number in Django's cache: one write invalidates every entry keyed by it.

Entries put the current generation in their keys; bumping it makes them unreachable (they
expire on their own), on every process that shares the cache. A missing generation (a new cache,
a restarted Redis, an evicted key) starts from the clock, never from a number old entries may
still carry.

An entry under a generation never changes, so a process may keep its own copy of it
(`LocalCopies`) and ask the shared cache only for the generation, once per request.
"""

import time
from collections.abc import Hashable

from django.core.cache import BaseCache


class Generation:
    def __init__(self, cache: BaseCache, key: str) -> None:
        self.cache = cache
        self.key = key

    def current(self, request=None) -> int | None:
        """The generation now, or None when the cache does not answer (cache nothing then).

        With a `request`, read once per request: later calls in it get the same number.
        """
        if request is not None:
            seen = request.__dict__.setdefault("_generations", {})
            if self.key not in seen:
                seen[self.key] = self._read()
            return seen[self.key]
        return self._read()

    def _read(self) -> int | None:
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


class LocalCopies:
    """This process's own copies of entries keyed by a generation, so a warm entry costs no
    trip to a shared cache. The values are shared by every request of the process: keep only
    immutable ones (tuples, frozen dataclasses, strings, numbers).

    A copy is used for at most `max_age` seconds (60): a bump that never reached the cache
    (Redis away at that moment, its error ignored) or a change that sent no signal is then seen
    within that time, as the shared entries' own timeouts bound it there. At most `size`
    entries; when full, all are dropped (older generations' entries are never read again).
    """

    def __init__(self, size: int = 1000, max_age: float = 60) -> None:
        self.size = size
        self.max_age = max_age
        self._entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable) -> object | None:
        kept = self._entries.get(key)
        if kept is None:
            return None
        expires, value = kept
        if time.monotonic() >= expires:
            self._entries.pop(key, None)
            return None
        return value

    def fetch(self, cache: BaseCache, keys: list[str]) -> dict[str, object]:
        """The entries under `keys` that are kept: this process's copies, else the shared
        cache's (one trip for all the keys it lacks), which are then copied here."""
        found = {key: self.get(key) for key in keys}
        missing = [key for key, value in found.items() if value is None]
        if missing:
            for key, value in cache.get_many(missing).items():
                self.keep(key, value)
                found[key] = value
        return {key: value for key, value in found.items() if value is not None}

    def keep(self, key: Hashable, value: object) -> None:
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + self.max_age, value)
