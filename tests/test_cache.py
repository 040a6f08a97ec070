"""The query cache under concurrent writes: what a request computed from data
read before a write is never served after it (queries.cache)."""
import threading

from queries.cache import cache, generation, invalidate


def test_a_value_a_request_caches_after_a_write_it_did_not_see_is_not_served(app):
    computed = []

    @cache.memoize()
    def figure() -> int:
        computed.append(1)
        return len(computed)

    started, written = threading.Event(), threading.Event()

    def slow_request():  # began before the write, caches its result after it
        with app.test_request_context():
            generation()
            started.set()
            written.wait(10)
            assert figure() == 1

    reader = threading.Thread(target=slow_request)
    reader.start()
    started.wait(10)
    with app.test_request_context():
        invalidate()  # a report is saved meanwhile
    written.set()
    reader.join(10)
    with app.test_request_context():  # the next request computes anew
        assert figure() == 2
        assert figure() == 2  # and caches that


def test_a_request_sees_its_own_write(app):
    with app.test_request_context():
        before = generation()
        invalidate()
        assert generation() == before + 1
