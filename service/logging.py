"""Structured logs: one JSON object a line, carrying the request id from the API into jobs.

The API assigns every request an id (or keeps the caller's X-Request-Id); the moderation
job carries it in its meta, so one grep follows a comment from intake to its decision.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from rq import get_current_job

from service.settings import Settings

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str | None:
    """Return the id of the HTTP request or the job being handled, if any."""
    flask = sys.modules.get("flask")  # a process that never loaded Flask has no request
    if flask is not None and flask.has_app_context():
        request_id = flask.g.get("request_id")
        if request_id:
            return str(request_id)
    job = get_current_job()
    if job is not None:
        found = job.meta.get("request_id")
        return str(found) if found else None
    return None


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request id unless the caller set one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


def log_time(seconds: float) -> str:
    """A log line's time: ISO 8601 in UTC, to the millisecond."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": log_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        extras = vars(record).keys() - _STANDARD  # usually none: skip the loop (every request)
        if extras:
            for key, value in vars(record).items():
                if key in extras and not key.startswith("_"):
                    entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def json_handler() -> logging.Handler:
    """Return a stderr handler that writes JSON lines with request ids."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.set_name("duyet-json")
    return handler


def configure_logging(settings: Settings) -> None:
    """Send the root logger's records to stderr as JSON lines; safe to call more than once.

    Plain console handlers (basicConfig's) are replaced; other handlers, such as a test
    runner's capture, are left alone.
    """
    # Our lines never say where a call came from: skip the stack walk every record pays for
    # it (the logging HOWTO's own advice), about a tenth of an access-log line's cost.
    logging._srcfile = None
    root = logging.getLogger()
    root.setLevel(settings.log_level.upper())
    for handler in list(root.handlers):
        if handler.get_name() == "duyet-json":
            return
        if type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    root.addHandler(json_handler())
