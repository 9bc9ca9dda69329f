"""gunicorn settings for the API (`gunicorn -c python:service.gunicorn_conf ...`).

Command-line flags (bind, workers, threads) still win over these. What lives here:
JSON logs for gunicorn's own loggers, an access log line carrying the request id, and the
Prometheus bookkeeping for workers that exit (multiprocess mode).
"""

from __future__ import annotations

from typing import Any

from service.metrics import mark_process_dead

worker_class = "gthread"
# Load the app in each worker, after the fork: prometheus-client's multiprocess files
# and the model are per process.
preload_app = False
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s ua="%(a)s"'
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "service.logging.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json"},
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
    },
    # gunicorn merges this over its defaults key by key, so root must be named here too.
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}


def child_exit(server: Any, worker: Any) -> None:
    """Drop an exited worker's live gauges from the Prometheus multiprocess directory."""
    mark_process_dead(worker.pid)
