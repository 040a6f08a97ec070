"""The query cache (flask-caching): SimpleCache by default, Redis through
CACHE_REDIS_URL.  Writes call ``invalidate()`` so every worker sees them."""
from flask_caching import Cache

cache = Cache()


def invalidate() -> None:
    cache.clear()
