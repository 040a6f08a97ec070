"""gunicorn settings for production:

    APP_ENV=production SECRET_KEY=… DATABASE_URL=… CACHE_REDIS_URL=… gunicorn -c gunicorn.conf.py

WEB_CONCURRENCY   workers (default 2 × cores, at most 8)
HOST, PORT        where to listen (default 0.0.0.0:8050)
LOG_LEVEL         debug | info | warning | error (default info)

Each worker builds its own app, engine and connection pool (no preload: a
database connection must never be shared across a fork).  Several workers
need a shared cache (CACHE_REDIS_URL): with the in-process cache a worker
would go on showing what it cached before another worker's write, so that
combination is refused here.
"""
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # `app` and `health`, from any directory

wsgi_app = "app:create_app()"
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count(), 8))
worker_class = "sync"
preload_app = False
timeout = 60
graceful_timeout = 30
accesslog = "-"  # stdout
errorlog = "-"  # stderr
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def on_starting(server):
    """Before the workers fork: the app's own logging to stdout, and the cache check."""
    import health

    health.configure_logging()
    # the cache type as app.default_config() reads it
    kind = os.environ.get("CACHE_TYPE") or ("RedisCache" if os.environ.get("CACHE_REDIS_URL") else "SimpleCache")
    if server.cfg.workers > 1 and kind.lower().rsplit(".", 1)[-1] in ("simplecache", "simple"):
        sys.exit("gunicorn.conf.py: more than one worker needs a shared cache — set CACHE_REDIS_URL "
                 "(redis://host:6379/0), or run one worker (WEB_CONCURRENCY=1)")


def when_ready(server):
    """Listening: LibreOffice started for the PDFs (outputs.pdf), so that the
    first PDF asked for does not wait for it."""
    from outputs.pdf import warm

    warm()
