"""Requests gunicorn refuses before any app code runs still get duyet's JSON envelope."""

from __future__ import annotations

import json
import socket

import pytest

from tests.faults.conftest import Cluster


def _raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server; return the answer's status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


# (raw request, status, the envelope's code)
UNREADABLE = [
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 431, "headers_too_large"),
    (b"POST /v1/comments HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n", 400, "bad_request"),
    (b"GET /\xff\xfe HTTP/9.9\r\nHost: x\r\n\r\n", 400, "bad_request"),
]


def test_requests_gunicorn_cannot_read_are_answered_in_the_json_envelope(cluster: Cluster):
    if not cluster.database_url.startswith("sqlite"):
        pytest.skip("gunicorn answers before any database is touched: one run is enough")
    cluster.start_api()
    for request_bytes, status, code in UNREADABLE:
        got, headers, body = _raw(cluster.port, request_bytes)
        assert (got, headers["content-type"]) == (status, "application/json")
        envelope = json.loads(body)
        assert (envelope["code"], envelope["status"]) == (code, status)
        assert envelope["message"]
    assert cluster.http.get("/healthz").status_code == 200  # and the server goes on
