"""What a reader's requests may cost: dates outside the window are refused
with the page's warning (no 500, nothing stored), junk URL parameters do not
grow the cache, and the in-process cache keeps within its budget."""
import pickle

import pytest

from queries.cache import GENERATION, BoundedSimpleCache, cache
from tests.callbacks import render_page


@pytest.mark.parametrize("path", ["/", "/assessment", "/milestones", "/overdue", "/indicators"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_a_date_outside_the_window_is_ignored_with_a_warning(loaded_app, path, as_of):
    status, body = render_page(loaded_app.test_client(), path, f"?as_of={as_of}")
    assert status == 200 and f"日期“{as_of}”超出可查看的范围" in body, body[:300]


def cache_entries(app) -> int:
    return len(cache.cache._cache) if isinstance(cache.cache, BoundedSimpleCache) else \
        sum(1 for _ in cache.cache._read_client.scan_iter(app.config["CACHE_KEY_PREFIX"] + "*"))


def test_unknown_url_parameters_do_not_grow_the_cache(loaded_app):
    client = loaded_app.test_client()
    with loaded_app.app_context():
        render_page(client, "/milestones", "?city=杭州")
        before = cache_entries(loaded_app)
        for n in range(40):
            status, body = render_page(client, "/milestones", f"?city=杭州&junk={n}")
            assert status == 200
        for n in range(20):  # a value no page accepts: drawn with its warning, not cached
            status, body = render_page(client, "/milestones", f"?city=杭州{n}")
            assert status == 200 and f"未知的地市“杭州{n}”" in body
        assert cache_entries(loaded_app) == before


def test_the_in_process_cache_keeps_to_its_byte_budget():
    store = BoundedSimpleCache(threshold=1000, default_timeout=600, max_bytes=1_000_000)
    store.inc(GENERATION)
    page = b"x" * 100_000
    for n in range(50):
        store.set(f"page-{n}", page)
    held = sum(len(value) for _, value in store._cache.values())
    assert held <= 1_000_000 + len(pickle.dumps(page)) and store.get(GENERATION) == 1
    assert store.get("page-49") == page and store.get("page-0") is None
