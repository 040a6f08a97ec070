"""The query cache (flask-caching): SimpleCache by default, Redis through
CACHE_REDIS_URL.

Every cached value is keyed by the data generation, a counter in the cache that
each write increments (``invalidate()``), so every worker stops reading what
was cached before the write.  A request still running in another worker when
a write commits may have read the data before it: what it caches goes under
the generation it started with, which nobody reads any more.  (Emptying the
cache instead let such a request put its stale page back.)  Values of old
generations expire with their timeout.

The cache is bounded: in process (CACHE_TYPE SimpleCache) by CACHE_THRESHOLD
entries and CACHE_MAX_BYTES of stored values, the oldest going first and the
generation never; in Redis by its own maxmemory with the volatile-lru policy
(README, Operations), which evicts only keys with a timeout — every value but
the generation counter."""
from __future__ import annotations

from flask import g, has_request_context
from flask_caching import Cache
from flask_caching.backends.simplecache import SimpleCache

GENERATION = "data-generation"


class BoundedSimpleCache(SimpleCache):
    """SimpleCache within a byte budget as well as a count of entries (a page is
    100 KB–1 MB): past either, the entries that expire first go, never the
    data generation (its loss would make pages cached before a write current
    again)."""

    def __init__(self, *args, max_bytes: int = 64 * 1024 * 1024, **kwargs):
        super().__init__(*args, **kwargs)
        self._max_bytes = max_bytes

    @classmethod
    def factory(cls, app, config, args, kwargs):
        kwargs.update(threshold=config["CACHE_THRESHOLD"], max_bytes=int(config.get("CACHE_MAX_BYTES", 64 << 20)))
        return cls(*args, **kwargs)

    def _over_threshold(self) -> bool:
        return len(self._cache) > self._threshold or \
            sum(len(value) for _, value in self._cache.values()) > self._max_bytes

    def _remove_older(self) -> None:
        for key, _ in sorted(self._cache.items(), key=lambda item: item[1][0]):
            if not self._over_threshold():
                break
            if not key.endswith(GENERATION):
                self._cache.pop(key, None)


class GenerationalCache(Cache):
    """A Cache whose memoized functions are keyed by the data generation too;
    CACHE_TYPE SimpleCache is the bounded one above."""

    def init_app(self, app, config=None):
        config = dict(config if config is not None else app.config)
        if config.get("CACHE_TYPE") == "SimpleCache":
            config["CACHE_TYPE"] = f"{__name__}.BoundedSimpleCache"
        super().init_app(app, config)

    def memoize(self, *args, **kwargs):
        kwargs.setdefault("make_name", lambda name: f"{name}@{generation()}")
        return super().memoize(*args, **kwargs)


cache = GenerationalCache()


def generation() -> int:
    """The data generation to read and cache under: read once per request, so
    that one request sees one generation throughout."""
    if not has_request_context():
        return cache.get(GENERATION) or 0
    if "data_generation" not in g:
        g.data_generation = cache.get(GENERATION) or 0
    return g.data_generation


def invalidate() -> None:
    """After a write: what was cached before it is no longer read, in any worker
    (Redis increments the counter atomically)."""
    new = cache.cache.inc(GENERATION)  # (the backend: cachelib)
    if has_request_context():
        g.data_generation = new if new is not None else cache.get(GENERATION) or 0
