"""The access log line is the one gunicorn itself would write, computed from fewer atoms."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger, SafeAtoms

from service import gunicorn_conf


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
