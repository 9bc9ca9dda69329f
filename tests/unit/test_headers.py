"""Request ids and the headers every answer carries (service/headers.py)."""

from __future__ import annotations

import os
import re

from service.headers import HSTS, common_headers, request_id

HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_a_new_request_id_is_32_hex_and_never_repeats():
    ids = [request_id("") for _ in range(10_000)]
    assert all(HEX32.match(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_a_callers_id_is_kept_when_it_looks_like_one_and_replaced_otherwise():
    assert request_id("req-42.a_b") == "req-42.a_b"
    assert HEX32.match(request_id("has space"))
    assert HEX32.match(request_id("x" * 65))


def test_a_forked_worker_draws_its_own_prefix():
    mine = request_id("")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its first id and leave at once
        os.write(write_end, request_id("").encode())
        os._exit(0)
    os.close(write_end)
    theirs = os.read(read_end, 64).decode()
    os.waitpid(pid, 0)
    os.close(read_end)
    assert HEX32.match(theirs) and theirs[:16] != mine[:16]


def test_defaults_are_added_unless_the_answer_set_its_own_and_hsts_only_over_tls():
    own_csp = [("Content-Security-Policy", "default-src 'self'")]
    added = dict(common_headers("r-1", own_csp, secure=False))
    assert added["X-Request-Id"] == "r-1" and added["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in added and "Strict-Transport-Security" not in added
    assert dict(common_headers("r-1", [], secure=True))["Strict-Transport-Security"] == HSTS
