"""gunicorn settings for Chợ Quê: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (`make serve`).

Environment:
- WEB_CONCURRENCY: worker processes (default: 2 × CPU cores + 1, gunicorn's own advice for
  sync workers: one waits on the database or the disk while another computes).
- GUNICORN_BIND: where to listen (default 127.0.0.1:8000; nginx in front, deploy/nginx/choque.conf).
- GUNICORN_THREADS: threads per worker (default 1: sync workers behind a buffering nginx).
- GUNICORN_MAX_REQUESTS: recycle a worker after this many requests (default 0: never).
- FLASK_LOG_JSON=true: gunicorn's own lines (start, worker boot, timeouts) become JSON objects
  like the app's (core/logs.py); the app writes the access line itself, with the request id,
  so gunicorn's access log stays off.
"""
import multiprocessing
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)  # the app's packages, for the JSON formatter below

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Imports and exports run in the Huey worker, so no request should come near this.
timeout = 30
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (deploy/nginx/choque.conf)
# GUNICORN_MAX_REQUESTS: replace a worker after this many requests (plus 10% jitter, so they
# do not all restart at once), should memory be seen to grow (bench L6). Off by default: at
# 800 requests a second a restart every minute or so costs more (a cold worker, a p99 spike in
# bench_serving) than it saves.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))  # 0: never
max_requests_jitter = max_requests // 10
# No preload: each worker opens its own database connections after the fork, never shares one
# made in the master (SQLite and psycopg connections must not cross a fork).
preload_app = False
# Over 20 MB photo uploads nginx buffers the body; gunicorn only needs room for big headers.
limit_request_field_size = 16384
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "choque"
accesslog = None
errorlog = "-"

if os.environ.get("FLASK_LOG_JSON", "").lower() in ("1", "true", "yes"):
    from core.logs import JsonFormatter

    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
        # The app puts its own JSON handler on the root logger, with the request fields.
        "root": {"level": "INFO", "handlers": []},
    }
