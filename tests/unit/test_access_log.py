"""The access log line is the one gunicorn itself would write, computed from fewer atoms."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger, SafeAtoms

from service import gunicorn_conf
from service.logging import JsonFormatter


def _config(access_format: str) -> Config:
    cfg = Config()
    cfg.set("accesslog", None)
    cfg.set("access_log_format", access_format)
    return cfg


def _exchange(request_id: str | None, agent: str) -> tuple[object, object, dict[str, str]]:
    headers = [("Content-Type", "application/json"), ("Content-Length", "17")]
    if request_id is not None:
        headers.append(("X-Request-Id", request_id))
    resp = SimpleNamespace(status="304 NOT MODIFIED", sent=17, headers=headers)
    req = SimpleNamespace(headers=[("HOST", "127.0.0.1"), ("USER-AGENT", agent)])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": '/v1/articles/bai-1/comments?order="oldest"',
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/v1/articles/bai-1/comments",
        "QUERY_STRING": 'order="oldest"',
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": agent,
    }
    return resp, req, environ


def _line(logger: Logger, atoms: dict[str, object]) -> str:
    return str(logger.cfg.access_log_format) % SafeAtoms(atoms)


@pytest.mark.parametrize(
    ("request_id", "agent"), [("abc-123", 'curl/8 "quoted"'), (None, "Mozilla/5.0")]
)
def test_the_access_line_matches_gunicorns_own(request_id: str | None, agent: str) -> None:
    ours = gunicorn_conf.AccessLogger(_config(gunicorn_conf.ACCESS_FORMAT))
    took = timedelta(seconds=1, microseconds=234_567)
    exchange = _exchange(request_id, agent)
    expected = _line(ours, Logger.atoms(ours, *exchange, took))
    assert _line(ours, ours.atoms(*exchange, took)) == expected
    assert f"request_id={request_id or '-'}" in expected and "1234ms" in expected


def test_another_format_gets_every_atom() -> None:
    logger = gunicorn_conf.AccessLogger(_config('%(t)s %({host}i)s "%(q)s"'))
    atoms = logger.atoms(*_exchange("x", "ua"), timedelta(milliseconds=5))
    assert _line(logger, atoms).endswith('127.0.0.1 "order=\\"oldest\\""')


@pytest.fixture
def access_lines() -> Iterator[tuple[gunicorn_conf.AccessLogger, io.StringIO]]:
    """Our logger with the access log going, as logconfig_dict sets it, to a JSON stream."""
    cfg = _config(gunicorn_conf.ACCESS_FORMAT)
    cfg.set("accesslog", "-")
    logger = gunicorn_conf.AccessLogger(cfg)
    access = logger.access_log
    saved = (access.handlers[:], access.propagate, access.level)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    access.handlers, access.propagate = [handler], False
    try:
        yield logger, out
    finally:
        access.handlers, access.propagate = saved[0], saved[1]
        access.setLevel(saved[2])


def _written(out: io.StringIO) -> list[str]:
    lines = out.getvalue().splitlines()
    out.seek(0)
    out.truncate()
    return lines


@pytest.mark.parametrize(
    ("request_id", "agent"), [("abc-123", 'curl/8 "quoted" ☃'), (None, "Mozilla/5.0")]
)
def test_the_short_road_writes_the_line_logging_writes(
    access_lines: tuple[gunicorn_conf.AccessLogger, io.StringIO],
    request_id: str | None,
    agent: str,
) -> None:
    logger, out = access_lines
    exchange = _exchange(request_id, agent)
    took = timedelta(milliseconds=15)
    Logger.access(logger, *exchange, took)  # gunicorn's road: a LogRecord, JsonFormatter
    (through_logging,) = _written(out)
    logger.access(*exchange, took)
    (short,) = _written(out)
    assert logger.json_access_handler is not None  # the short road was taken
    stamp = re.compile(r'"ts": "[^"]+"')
    assert stamp.sub("", short) == stamp.sub("", through_logging)
    assert json.loads(short)["message"] == _line(logger, logger.atoms(*exchange, took))
    assert abs(_time(short) - _time(through_logging)) < timedelta(seconds=5)


def _time(line: str) -> datetime:
    return datetime.fromisoformat(json.loads(line)["ts"])


def test_any_other_handler_set_up_goes_through_logging(
    access_lines: tuple[gunicorn_conf.AccessLogger, io.StringIO],
) -> None:
    logger, out = access_lines
    exchange, took = _exchange("x", "ua"), timedelta(milliseconds=5)
    logger.access(*exchange, took)
    assert logger.json_access_handler is not None
    extra = io.StringIO()
    logger.access_log.addHandler(logging.StreamHandler(extra))  # an operator's own handler
    logger.setup(logger.cfg)  # a configuration reload: the handlers are looked at again
    logger.access(*exchange, took)
    assert logger.json_access_handler is None
    assert len(_written(out)) == 2 and "request_id=x" in extra.getvalue()
