"""Comment counts for an article list: GET /v1/articles/comment-counts with 50 article ids.

    python -m bench.counts [--postgres postgresql://postgres@127.0.0.1:5432] [--seconds 10]

Starts an embedded Redis, a fresh database (an SQLite file, or a `duyet_bench_<pid>_counts`
PostgreSQL database created and dropped here) seeded as bench/perf.py seeds its store (201
articles, `hot` with 5,000 published comments, 10,000 comments in all), and the API as
`duyet serve` runs it (gunicorn 2x16, service.gunicorn_conf). The list asks for `hot` and
49 other articles (about 40 published comments each). Measured:

- warm: wrk, 32 connections, the same list again and again (counts and versions in Redis);
- warm, with 10 of the 50 ids no article has yet (a site asking before the first comment):
  those cost one indexed query a request;
- revalidated: the same, with If-None-Match, answered 304;
- warm and cold on one connection, one request at a time; cold empties Redis of the
  counts and the thread versions before each request (not timed), so every answer reads
  the versions and the counts from the database, one query each;
- the thread read of `hot` (bench/perf.py's read path), a same-run reference.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from redis import Redis

from bench import load, procs, seed
from bench.perf import cpu_speed, cpu_ticks, load_average, stolen_share
from bench.queue_page import database
from service.store import Database, migrate
from workers.embedded_redis import EmbeddedRedis, free_port

STORED = 10_000  # comments in all, as bench/perf.py's store before its first phase
LISTED = [seed.HOT_ARTICLE, *(f"a{n}" for n in range(49))]
UNKNOWN = [f"moi-{n}" for n in range(10)]  # articles nobody has commented on yet
CACHED = ("duyet:comment-count:*", "duyet:thread-version:*")
Row = tuple[str, float, float, float]  # what was measured, req/s, p50 ms, p99 ms


def counts_path(ids: list[str]) -> str:
    return "/v1/articles/comment-counts?" + urlencode([("article_id", i) for i in ids])


class Run:
    """The seeded store, the API under gunicorn, and the figures measured against it."""

    def __init__(self, database_url: str, work: Path, seconds: int) -> None:
        self.seconds, self.work = seconds, work
        migrate.upgrade(database_url)
        self.db = Database(database_url)
        seeded = seed.site_and_articles(self.db)
        seed.hot_thread(self.db, seeded.site_id)
        seed.filler(self.db, seeded.site_id, STORED - seed.stored(self.db))
        self.auth = f"Bearer {seeded.api_key}"
        self.redis_server = EmbeddedRedis(work / "redis").start()
        self.redis = Redis.from_url(self.redis_server.url)
        self.port = free_port()
        env = procs.child_env(database_url, self.redis_server.url)
        self.api = procs.gunicorn("api", "workers.wsgi:create()", self.port, env, work, conf=True)
        self.rows: list[Row] = []

    def close(self) -> None:
        self.api.stop()
        self.redis.close()
        self.redis_server.stop()
        self.db.dispose()

    def get(self, conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, str]:
        conn.request("GET", path, headers={"Authorization": self.auth})
        response = conn.getresponse()
        return response.status, response.read(), response.headers.get("ETag", "")

    def wrk(self, label: str, path: str, *headers: str) -> None:
        url = f"http://127.0.0.1:{self.port}{path}"
        result = load.wrk(url, self.seconds, headers=(f"Authorization: {self.auth}", *headers))
        if result.errors:
            raise RuntimeError(f"{label}: {result.errors} answers were errors")
        self.rows.append((label, result.ok_per_second, result.p50_ms, result.p99_ms))

    def one_at_a_time(self, label: str, path: str, runs: int, before: Callable[[], None]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        timings = []
        for _ in range(runs):
            before()
            began = time.perf_counter()
            status, _, _ = self.get(conn, path)
            timings.append((time.perf_counter() - began) * 1000)
            assert status == 200, status
        conn.close()
        rate = 1000 * len(timings) / sum(timings)
        self.rows.append((label, rate, load.percentile(timings, 50), load.percentile(timings, 99)))

    def forget_counts(self) -> None:
        """Empty Redis of every cached count and thread version (the next ask is cold)."""
        keys = [key for pattern in CACHED for key in self.redis.scan_iter(pattern, count=1000)]
        if keys:
            self.redis.delete(*keys)


# 100 ids as news sites name articles: a request line of 6,940 bytes, which gunicorn's
# default limit (4,094) refused; service/gunicorn_conf.py allows 8,190.
LONG_IDS = [f"2026/11/thoi-su/mua-lu-mien-trung-ngay-{n:03d}-cap-nhat" for n in range(100)]


def check_answer(run: Run, path: str) -> str:
    """The list's counts are the store's (hot: 5,000); return the answer's ETag."""
    conn = http.client.HTTPConnection("127.0.0.1", run.port, timeout=10)
    status, body, etag = run.get(conn, path)
    assert status == 200 and json.loads(body)["counts"][seed.HOT_ARTICLE] == 5000, body[:200]
    status, body, _ = run.get(conn, counts_path(LONG_IDS))
    assert status == 200 and len(json.loads(body)["counts"]) == 100, (status, body[:200])
    conn.close()
    return etag


def measure(run: Run, runs: int) -> None:
    listed, with_unknown = counts_path(LISTED), counts_path([*LISTED[:40], *UNKNOWN])
    etag = check_answer(run, listed)
    step("warm, 32 connections")
    run.wrk("warm (wrk, 32 connections)", listed)
    step("revalidated (304)")
    run.wrk("revalidated: If-None-Match -> 304 (32 conn)", listed, f"If-None-Match: {etag}")
    step("warm, 10 of the 50 not commented yet")
    run.wrk("warm, 10 of 50 with no article yet (32 conn)", with_unknown)
    step("one connection, warm then cold")
    run.one_at_a_time("warm, one connection", listed, runs, lambda: None)
    run.one_at_a_time("cold, one connection (Redis emptied)", listed, runs, run.forget_counts)
    step("thread read of hot, the reference")
    run.wrk(
        "reference: thread read of `hot` (32 conn)", f"/v1/articles/{seed.HOT_ARTICLE}/comments"
    )


def table(backend: str, rows: list[Row]) -> str:
    lines = [f"Comment counts, 50 articles a request, {backend}", ""]
    lines += ["| case | req/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
    lines += [
        f"| {label} | {rate:,.0f} | {p50:.2f} | {p99:.2f} |" for label, rate, p50, p99 in rows
    ]
    return "\n".join(lines)


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what} ...", file=sys.stderr, flush=True)


def measured(postgres: str | None, seconds: int, runs: int) -> list[Row]:
    """Seed a store of this run's own, serve it, measure it; every process stopped after."""
    with tempfile.TemporaryDirectory(prefix="duyet-bench-") as tmp:
        work = Path(tmp)
        with database(postgres, work, "counts") as url:
            run = Run(url, work, seconds)
            try:
                measure(run, runs)
            finally:
                run.close()
    return run.rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.counts", description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use instead")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run (default 10)")
    parser.add_argument("--runs", type=int, default=500, help="one-connection requests each")
    args = parser.parse_args(argv)
    notes = {"load average at start": load_average(), "cpu speed": cpu_speed()}
    ticks = cpu_ticks()
    rows = measured(args.postgres, args.seconds, args.runs)
    notes["load average at end"] = load_average()
    notes["cpu stolen"] = stolen_share(ticks, cpu_ticks())
    print(table("PostgreSQL" if args.postgres else "SQLite", rows))
    for name, value in notes.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
