"""gunicorn settings for the API (`gunicorn -c python:service.gunicorn_conf ...`).

Command-line flags (bind, workers, threads) still win over these. What lives here:
JSON logs for gunicorn's own loggers, an access log line carrying the request id, and the
Prometheus bookkeeping for workers that exit (multiprocess mode).
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from datetime import timedelta
from functools import cached_property
from typing import Any

from gunicorn.glogging import Logger

from service.heap import freeze_startup_objects
from service.logging import JsonFormatter, log_time
from service.metrics import mark_process_dead

# gthread, taking only its share of new connections (service/fair_worker.py).
worker_class = "service.fair_worker.FairThreadWorker"
# Load the app in each worker, after the fork: prometheus-client's multiprocess files
# and the model are per process.
preload_app = False
# 16 threads per worker: with the intake writer in its own process (service/intake_writer.py)
# a request thread mostly waits for its batch's commit, and 16 waiting threads make batches
# big enough to keep both cores busy (8 left the machine ~20% idle in a storm; see
# docs/performance.md). A worker keeps at most twice its threads' connections (`duyet serve`
# passes 2 x --threads). gunicorn's default of 1,000 let whichever worker woke first take
# every keep-alive connection of a busy client, leaving the other process idle: the thread
# read measured 1,000 req/s with one process busy and 3,600-3,900 with both. More
# connections than threads only queue inside the worker anyway; past the cap they wait
# in the kernel's backlog, and gunicorn closes idle keep-alive ones first.
threads = 16
worker_connections = 32
# The request line's most gunicorn allows (its default is 4,094 bytes): a news site's list
# of 100 article ids ("...?article_id=2024/11/mua-lu-mien-trung&...", GET
# /v1/articles/comment-counts) takes 5-8 KB; nginx's default buffers take 8 KB too.
limit_request_line = 8190
WORKER_READY = "worker ready to serve:"  # logged by each worker once post_worker_init is done
accesslog = "-"
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s ua="%(a)s"'
access_log_format = ACCESS_FORMAT


class AccessLogger(Logger):
    """gunicorn's logger, with a short road for ACCESS_FORMAT lines to our JSON handler.

    gunicorn builds an atom for every request and response header and environ entry, on
    every request; for ACCESS_FORMAT only the atoms the line shows are computed (that was a
    tenth of a cached thread read's cost). And when the access logger's one handler is the
    JSON stream handler of `logconfig_dict` below, the line is formatted here and written to
    that handler's stream: the same bytes as through `logging`, without a LogRecord, the
    logger's and handler's checks, and formatting under the handler's lock, which 16 request
    threads queued for (27 us a line through `logging` on a slow day, 10 us here).
    """

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.__dict__.pop("json_access_handler", None)  # a reload may have changed it

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        handler = self.json_access_handler
        if handler is None or not self.access_log_enabled:
            super().access(resp, req, environ, request_time)
            return
        atoms = self.atoms(resp, req, environ, request_time)
        message = ACCESS_FORMAT % {k: _escaped(v) for k, v in atoms.items()}
        # json.dumps of JsonFormatter's dict, written out: only the message needs escaping.
        line = (
            f'{{"ts": "{log_time(time.time())}", "level": "INFO", "logger": "gunicorn.access", '
            f'"message": {json.dumps(message, ensure_ascii=False)}}}{handler.terminator}'
        )
        try:
            with handler.lock:  # type: ignore[union-attr]
                handler.stream.write(line)
                handler.stream.flush()
        except Exception:  # as gunicorn's own access(): a log line never fails a request
            self.error(traceback.format_exc())

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> Any:
        if self.cfg.access_log_format != ACCESS_FORMAT:
            return super().atoms(resp, req, environ, request_time)
        status = resp.status
        request_id = [v for k, v in resp.headers if k.lower() == "x-request-id"]
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "r": f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}",
            "s": status.split(None, 1)[0] if isinstance(status, str) else status,
            "b": str(resp.sent) if getattr(resp, "sent", None) is not None else "-",
            "M": request_time.seconds * 1000 + int(request_time.microseconds / 1000),
            "{x-request-id}o": request_id[-1] if request_id else "-",
            "a": environ.get("HTTP_USER_AGENT", "-"),
        }

    @cached_property
    def json_access_handler(self) -> logging.StreamHandler[Any] | None:
        """The JSON stream handler the short road writes to, if it alone takes access lines."""
        return _sole_json_stream(self.access_log, self.cfg)


def _sole_json_stream(access_log: logging.Logger, cfg: Any) -> logging.StreamHandler[Any] | None:
    """The access logger's handler when it is one plain JSON stream handler, else None."""
    if cfg.access_log_format != ACCESS_FORMAT or not access_log.isEnabledFor(logging.INFO):
        return None
    if access_log.filters or access_log.propagate or len(access_log.handlers) != 1:
        return None
    (handler,) = access_log.handlers
    plain = type(handler) is logging.StreamHandler and not handler.filters
    if not plain or type(handler.formatter) is not JsonFormatter or handler.level > logging.INFO:
        return None
    return handler  # type: ignore[return-value]


def _escaped(value: Any) -> Any:
    """An atom as gunicorn's SafeAtoms puts it into the line."""
    return value.replace('"', '\\"') if isinstance(value, str) else value


logger_class = AccessLogger
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


def post_worker_init(worker: Any) -> None:
    """The app is built: make ready what its first requests would otherwise wait for.

    It joins the server's intake writer process (the first worker starts it; every worker
    of this master shares it) and opens a database connection per thread now, so
    that the first storm does not start them all at once; then what start-up made is
    frozen, so that the collector's full passes skip it (service/heap.py).
    """
    services = getattr(worker, "wsgi", None) and worker.wsgi.extensions.get("duyet")
    if services is not None:
        services.intake.start(writer_group=f"gunicorn-{worker.ppid}")
        services.db.open_connections(worker.cfg.threads)
    freeze_startup_objects()
    # Until now this worker accepted no connection: the other workers took them all.
    if getattr(worker, "log", None) is not None:
        worker.log.info("%s %s", WORKER_READY, worker.pid)
