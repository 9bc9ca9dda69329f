"""Load generators: wrk (closed loop, as fast as it goes) and a paced open-loop sender."""

from __future__ import annotations

import http.client
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LUA_POST = Path(__file__).with_name("post.lua")
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int  # non-2xx/3xx answers plus socket errors
    p50_ms: float
    p99_ms: float

    @property
    def ok_per_second(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


def _ms(raw: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", raw).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(out: str) -> WrkResult:
    """Read requests, duration, errors and the 50th/99th latency percentiles from wrk."""
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    if done is None:
        raise RuntimeError(f"wrk gave no result:\n{out}")
    seconds = float(done.group(2)) * {"ms": 1e-3, "s": 1.0, "m": 60.0}[done.group(3)]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return WrkResult(
        int(done.group(1)),
        seconds,
        errors,
        _ms(p50.group(1)) if p50 else float("nan"),
        _ms(p99.group(1)) if p99 else float("nan"),
    )


def wrk(
    url: str,
    seconds: int,
    connections: int = 32,
    threads: int = 2,
    script: Path | None = None,
    script_args: tuple[str, ...] = (),
    headers: tuple[str, ...] = (),
) -> WrkResult:
    """Run wrk for a bounded time and return its figures."""
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    argv += ["--timeout", "5s"]
    for header in headers:
        argv += ["-H", header]
    if script:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(done.stdout)


@dataclass
class PacedResult:
    sent: int = 0
    accepted: int = 0
    late_ms: list[float] = field(default_factory=list)  # how far behind schedule each send was
    latency_ms: list[float] = field(default_factory=list)


def paced(
    host: str,
    port: int,
    api_key: str,
    bodies: list[bytes],
    rate: float,
    seconds: float,
    senders: int = 16,
) -> PacedResult:
    """Offer `rate` POSTs per second for `seconds`, on schedule whatever the answers take."""
    result = PacedResult()
    lock = threading.Lock()
    total = int(rate * seconds)
    ticket = iter(range(total))
    start = time.perf_counter() + 0.2
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"}

    def sender() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        while True:
            with lock:
                i = next(ticket, None)
            if i is None:
                break
            due = start + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            sent_at = time.perf_counter()
            try:
                conn.request("POST", "/v1/comments", bodies[i % len(bodies)], headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 202
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                ok = False
            answered = time.perf_counter()
            with lock:
                result.sent += 1
                result.accepted += ok
                result.late_ms.append((sent_at - due) * 1000)
                result.latency_ms.append((answered - sent_at) * 1000)
        conn.close()

    pool = [threading.Thread(target=sender, daemon=True) for _ in range(senders)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=seconds + 30)
    return result


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0..100) by nearest rank; nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]
