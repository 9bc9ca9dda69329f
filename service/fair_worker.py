"""gunicorn's gthread worker, taking its share of new connections and no more.

All workers accept from one listening socket, and whichever is polling when a client
connects takes the connection. A client that opens its keep-alive connections at once (a
news site's backend pool, the benchmark's wrk) got them split 31/1, 23/9 or 16/16 between
two workers, run after run; the worker holding most of them then saturated its
interpreter while the other idled, until gunicorn's keep-alive cap closed some and the
client reconnected (seconds later; docs/performance.md, session 8).

So each worker publishes its open connections in memory shared by all workers (created
by the arbiter before it forks them) and accepts only while it holds no more than the
least-loaded of the others. The least-loaded one always accepts, so a connection never
waits for a turn that will not come; a worker that stops publishing (dead, or hung for
STALE_SECONDS) no longer counts. A worker holding back re-checks every HOLD_BACK_SECONDS.
"""

from __future__ import annotations

import json
import time
from multiprocessing.sharedctypes import RawArray
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

SLOTS = 16  # a worker's slot is its age (gunicorn numbers the workers it forks) modulo this
# An idle worker's loop waits up to 1 s for events; capped here, it publishes 4 times a
# second, and STALE_SECONDS is well past that, so an idle worker is never taken for dead.
PUBLISH_SECONDS = 0.25
STALE_SECONDS = 2.0
HOLD_BACK_SECONDS = 0.005

# Per slot: open connections and the monotonic time they were published. Created at
# import, which happens in the arbiter when it loads the worker class, before any fork.
_counts: Any = RawArray("d", SLOTS)
_published: Any = RawArray("d", SLOTS)


def publish(slot: int, connections: int) -> None:
    _counts[slot] = connections
    _published[slot] = time.monotonic()


def may_accept(slot: int, connections: int) -> bool:
    """True if no other live worker holds fewer connections than this one."""
    now = time.monotonic()
    others = (
        _counts[other]
        for other in range(SLOTS)
        if other != slot and now - _published[other] < STALE_SECONDS
    )
    return connections <= min(others, default=connections)


class FairThreadWorker(ThreadWorker):
    """gthread, accepting a new connection only when it is this worker's turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slot = self.age % SLOTS
        self.held_back = False
        self.next_turn_check = 0.0

    def init_process(self) -> None:
        # gunicorn answers a request it cannot read (a request line or header too long, a
        # malformed Content-Length) with util.write_error's HTML page, before any app code
        # runs; this worker process answers those in duyet's one JSON envelope instead.
        util.write_error = write_json_error
        super().init_process()

    def set_accept_enabled(self, enabled: bool) -> None:
        """gthread asks for accepting whenever it has room; grant it on this worker's turn.

        While held back it asks on every pass of its loop (every request's events); the
        turn is looked at once per HOLD_BACK_SECONDS of those.
        """
        if enabled and self.held_back and time.monotonic() < self.next_turn_check:
            return
        self._hold_back(enabled and not may_accept(self.slot, self.nr_conns))
        super().set_accept_enabled(enabled and not self.held_back)

    def accept(self, listener: Any) -> None:
        super().accept(listener)
        publish(self.slot, self.nr_conns)
        if not may_accept(self.slot, self.nr_conns):
            super().set_accept_enabled(False)  # run() asks again on its next pass
            self._hold_back(True)

    def _hold_back(self, held: bool) -> None:
        self.held_back = held
        self.next_turn_check = time.monotonic() + HOLD_BACK_SECONDS

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        publish(self.slot, self.nr_conns)
        wait = HOLD_BACK_SECONDS if self.held_back else min(timeout, PUBLISH_SECONDS)
        super().wait_for_and_dispatch_events(wait)


# gunicorn's statuses for requests it cannot read, as the envelope's stable codes.
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    414: "uri_too_long",
    417: "expectation_failed",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
}


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's contract, answering {"code", "status", "message"}."""
    envelope = {
        "code": ERROR_CODES.get(status_int, "bad_request"),
        "status": status_int,
        "message": f"{reason}: {mesg}" if mesg else reason,
    }
    body = json.dumps(envelope).encode()  # ASCII: whatever the client sent is escaped
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)
