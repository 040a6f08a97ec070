"""The query cache (flask-caching): SimpleCache by default, Redis through
CACHE_REDIS_URL.

Every cached value is keyed by the data generation, a counter in the cache that
each write increments (``invalidate()``), so every worker stops reading what
was cached before the write.  A request still running in another worker when
a write commits may have read the data before it: what it caches goes under
the generation it started with, which nobody reads any more.  (Emptying the
cache instead let such a request put its stale page back.)  Values of old
generations expire with their timeout."""
from __future__ import annotations

from flask import g, has_request_context
from flask_caching import Cache

GENERATION = "data-generation"


class GenerationalCache(Cache):
    """A Cache whose memoized functions are keyed by the data generation too."""

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
