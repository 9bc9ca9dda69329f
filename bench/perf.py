"""The comment-storm benchmark: the real service on loopback, measured side by side.

    python -m bench.perf [--quick] [--postgres postgresql://postgres@127.0.0.1:5432]

Starts an embedded Redis, a fresh database (SQLite file, or a `duyet_bench_*` PostgreSQL
database created and dropped here), gunicorn gthread 2x16 and two `duyet worker`s, drives
them with wrk and a paced sender, and prints one table. The growth phase measures two more
stores of the same kind, small and large, in turns. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import func, select

from bench import corpus, load, procs, seed
from service.models import Comment, Decision, Status
from service.queue import JobQueue
from service.settings import Settings
from service.store import Database, migrate
from service.store.new_comments import NewComment, submit_comment
from workers.embedded_redis import EmbeddedRedis, free_port

REF_QUEUE = "bench-reference"


@dataclass(frozen=True)
class Plan:
    wrk_seconds: int
    latency_seconds: int
    latency_rate: float
    reference_seconds: int
    reference_jobs: int
    small: int
    large: int

    @classmethod
    def of(cls, quick: bool) -> Plan:
        if quick:
            return cls(5, 15, 200, 6, 600, 10_000, 200_000)
        return cls(10, 60, 200, 12, 1_500, 10_000, 1_000_000)


class Bench:
    """One run: the environment, the service's processes, and the figures gathered."""

    def __init__(
        self, plan: Plan, database_url: str, work: Path, rss: procs.RssSampler | None = None
    ) -> None:
        self.plan = plan
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.db = Database(database_url)
        self.redis = EmbeddedRedis(work / "redis").start()
        self.env = procs.child_env(database_url, self.redis.url)
        self._owns_rss = rss is None  # a store of the growth phase shares the run's sampler
        self.rss = rss or procs.RssSampler()
        self.figures: dict[str, float] = {}
        self.notes: dict[str, str] = {}
        migrate.upgrade(database_url)
        seeded = seed.site_and_articles(self.db)
        self.site_id, self.key = seeded.site_id, seeded.api_key
        seed.hot_thread(self.db, self.site_id)
        self.bodies = corpus.write_bodies(work / "bodies.jsonl", 20_000, seed=6)
        self.api: procs.Proc | None = None
        self.port = 0  # chosen at each start of the API

    # ----- service processes ----------------------------------------------------------
    def start_api(self) -> None:
        self.port = free_port()
        self.api = procs.gunicorn(
            "api", "workers.wsgi:create()", self.port, self.env, self.work, conf=True
        )
        workers = self.api.children()
        self.rss.watch("api", workers)
        self.rss.watch("intake_writer", [w for pid in workers for w in procs.children_of(pid)])

    @contextmanager
    def workers(self) -> Iterator[list[procs.Proc]]:
        started = procs.duyet_workers(2, self.env, self.work)
        self.rss.watch("worker", [p.pid for p in started])
        try:
            yield started
        finally:
            for proc in started:
                proc.stop()

    def stop_api(self) -> None:
        if self.api:
            self.api.stop()
            self.api = None

    def close(self) -> None:
        self.stop_api()
        if self._owns_rss:
            self.rss.close()
        self.redis.stop()
        self.db.dispose()

    # ----- measurements ---------------------------------------------------------------
    def ping(self, label: str) -> None:
        """The bare reference, once before intake and once after: the host's speed drifts.

        The two are averaged into ping_rps, the reference the intake ratio divides by. On
        2026-11-26 Python's speed on this machine moved from 0.36 to 0.68 s per 10M
        additions between runs minutes apart; one ping taken 15 s before intake could
        flatter or wrong the ratio by a quarter.
        """
        self.figures[label] = self.ping_rate(procs.GUNICORN_FLAGS)
        taken = [
            self.figures[k] for k in ("ping_before_rps", "ping_after_rps") if k in self.figures
        ]
        self.figures["ping_rps"] = sum(taken) / len(taken)

    def ping_at_issue_settings(self) -> None:
        """The ping under gthread 2x8, where issue 6 measured its bare limits: context only.

        The service runs 16 threads a worker (service/gunicorn_conf.py); this shows the
        reference the ratio divides by is not one that more threads slowed down.
        """
        self.figures["ping_issue_rps"] = self.ping_rate(procs.ISSUE_FLAGS)

    def ping_rate(self, flags: list[str]) -> float:
        port = free_port()
        proc = procs.gunicorn(
            "ping", "bench.ping_app:app", port, self.env, self.work, conf=False, flags=flags
        )
        try:
            return load.wrk(f"http://127.0.0.1:{port}/ping", self.plan.wrk_seconds).ok_per_second
        finally:
            proc.stop()

    def intake(self, label: str) -> int:
        """Post as fast as 32 connections go, workers stopped; return the last id before."""
        before = self.last_id()
        result = load.wrk(
            f"http://127.0.0.1:{self.port}/v1/comments",
            self.plan.wrk_seconds,
            script=load.LUA_POST,
            script_args=(str(self.bodies), self.key),
        )
        stored = self.count_since(before)
        self.figures[f"{label}_rps"] = stored / result.seconds
        self.figures[f"{label}_p50"] = result.p50_ms
        self.figures[f"{label}_p99"] = result.p99_ms
        self.figures[f"{label}_errors"] = result.errors
        return before

    def decisions(self, label: str, since: int) -> None:
        """Start two workers on the backlog; time them from both ready to an empty queue.

        Timing from the first decision counted the seconds while the second worker was
        still loading its model (0.5-2 s apart on the loaded machine, in a 3 s drain).
        """
        with self.workers():
            procs.wait_workers_ready(self.redis.url, 2)
            t0, left = time.monotonic(), self.pending_since(since)
            self.figures[f"{label}_dps"] = self.rate_until(since, left, t0, t0 + 240)

    def read_path(self) -> None:
        url = f"http://127.0.0.1:{self.port}/v1/articles/{seed.HOT_ARTICLE}/comments"
        headers = (f"Authorization: Bearer {self.key}",)
        result = load.wrk(url, self.plan.wrk_seconds, headers=headers)
        self.figures["read_rps"] = result.ok_per_second
        self.figures["read_p99"] = result.p99_ms

    def latency(self) -> None:
        """Offer a steady rate with workers running; submit-to-decision from the database."""
        bodies = [line.encode() for line in self.bodies.read_text(encoding="utf-8").splitlines()]
        before = self.last_id()
        with self.workers():
            ready = procs.wait_workers_ready(self.redis.url, 2)
            self.notes["workers_ready_seconds"] = f"{ready:.1f}"
            time.sleep(1)  # the sweep's and the scheduler's first passes
            sent = load.paced(
                "127.0.0.1",
                self.port,
                self.key,
                bodies,
                self.plan.latency_rate,
                self.plan.latency_seconds,
            )
            now = time.monotonic()
            self.rate_until(before, self.pending_since(before), now, now + 60)
        waits = self.decision_waits(before)
        self.figures["latency_offered"] = sent.sent / self.plan.latency_seconds
        self.figures["latency_accepted"] = sent.accepted
        self.figures["latency_p50"] = load.percentile(waits, 50)
        self.figures["latency_p99"] = load.percentile(waits, 99)
        self.figures["latency_max"] = max(waits, default=float("nan"))
        self.figures["latency_intake_p99"] = load.percentile(sent.latency_ms, 99)
        self.figures["latency_late_p99"] = load.percentile(sent.late_ms, 99)

    def reference(self) -> None:
        """The same moderation job, one comment each, under RQ's default forking Worker."""
        settings = Settings(redis_url=self.redis.url, queue_name=REF_QUEUE)
        before = self.last_id()
        ids = []
        for line in self.bodies.read_text(encoding="utf-8").splitlines()[
            : self.plan.reference_jobs
        ]:
            data = json.loads(line)
            ids.append(submit_comment(self.db, self.site_id, NewComment(**data))[0].id)
        queue = JobQueue(self.redis_client(), settings)
        for i in range(0, len(ids), 500):
            queue.moderate(ids[i : i + 500])
        env = {**self.env, "DUYET_QUEUE_NAME": REF_QUEUE}
        started = procs.reference_workers(2, REF_QUEUE, env, self.work)
        try:
            deadline = time.monotonic() + 20
            while self.pending_since(before) == len(ids) and time.monotonic() < deadline:
                time.sleep(0.05)
            t0, n0 = time.monotonic(), self.pending_since(before)
            self.figures["reference_dps"] = self.rate_until(
                before, n0, t0, t0 + self.plan.reference_seconds
            )
        finally:
            for proc in started:
                proc.stop(timeout=5)

    def rate_until(self, since: int, pending: int, t0: float, end: float) -> float:
        """Decisions per second from t0 until end, or until nothing is left to decide.

        Stopping at an empty queue matters: a window that outlasts the work divides the
        same count by more seconds (the reference once read 89/s whatever its speed).
        """
        left, at = pending, t0
        while time.monotonic() < end:
            time.sleep(0.05)
            now, current = time.monotonic(), self.pending_since(since)
            if current != left:
                left, at = current, now
            if left == 0:
                break
        if left == pending:
            return 0.0
        return (pending - left) / max(at - t0, 1e-3)

    def growth(self, small: Bench, large: Bench) -> None:
        """Intake and decisions with the small and with the large store, taken in turns.

        Each size has a store of its own (database and Redis), seeded as this one was. This
        VM's speed drifts by a quarter within minutes (docs/performance.md), and one
        measurement of each size minutes apart read that drift as growth: 1.48 in one run,
        0.70 in the next. The rounds go small, large, large, small, so a drift that is
        steady over the four cancels out of the two means.
        """
        self.stop_api()  # nothing of the earlier phases runs beside the rounds
        started = time.monotonic()
        for store, size in ((small, self.plan.small), (large, self.plan.large)):
            seed.filler(store.db, store.site_id, size - seed.stored(store.db))
        self.notes["seed_seconds"] = f"{time.monotonic() - started:.0f}"
        self.figures["growth_small_stored"] = seed.stored(small.db)
        self.figures["large_stored"] = seed.stored(large.db)
        rounds: dict[str, list[tuple[float, float]]] = {"small": [], "large": []}
        for turn, size in enumerate(("small", "large", "large", "small"), 1):
            store, label = small if size == "small" else large, f"growth_{turn}"
            store.start_api()
            since = store.intake(label)
            store.decisions(label, since)
            store.stop_api()
            rounds[size].append((store.figures[f"{label}_rps"], store.figures[f"{label}_dps"]))
        for size, taken in rounds.items():
            self.figures[f"growth_{size}_intake_rps"] = statistics.mean(r for r, _ in taken)
            self.figures[f"growth_{size}_dps"] = statistics.mean(d for _, d in taken)
            listed = ", ".join(f"{r:,.0f} / {d:,.0f}" for r, d in taken)
            self.notes[f"growth_rounds_{size}"] = f"intake / decisions per second: {listed}"

    # ----- database probes ------------------------------------------------------------
    def redis_client(self):  # type: ignore[no-untyped-def]
        from redis import Redis

        return Redis.from_url(self.redis.url)

    def last_id(self) -> int:
        with self.db.transaction() as s:
            return int(s.scalar(select(func.max(Comment.id))) or 0)

    def count_since(self, since: int) -> int:
        with self.db.transaction() as s:
            return int(s.scalar(select(func.count()).where(Comment.id > since)) or 0)

    def pending_since(self, since: int) -> int:
        query = select(func.count()).where(
            Comment.id > since, Comment.status == Status.PENDING.value
        )
        with self.db.transaction() as s:
            return int(s.scalar(query) or 0)

    def decision_waits(self, since: int) -> list[float]:
        query = (
            select(Comment.created_at, Decision.created_at)
            .join(Decision, Decision.comment_id == Comment.id)
            .where(Comment.id > since, Decision.decided_by == "system")
        )
        with self.db.transaction() as s:
            rows = s.execute(query).all()
        return [(decided - submitted).total_seconds() * 1000 for submitted, decided in rows]


PHASES = ("ping", "intake", "decisions", "read", "latency", "reference", "growth")


@contextmanager
def growth_stores(
    plan: Plan, urls: dict[str, str], work: Path, rss: procs.RssSampler
) -> Iterator[tuple[Bench, Bench]]:
    """The growth phase's two stores, each with its own database, Redis and seeded site."""
    small = Bench(plan, urls["small"], work / "small", rss)
    try:
        large = Bench(plan, urls["large"], work / "large", rss)
        try:
            yield small, large
        finally:
            large.close()
    finally:
        small.close()


def run(plan: Plan, urls: dict[str, str], work: Path, phases: tuple[str, ...] = PHASES) -> Bench:
    """Run the phases asked for (all by default) in their fixed order.

    urls names a database for each of STORES: the run's own, and the growth phase's two.
    """
    bench = Bench(plan, urls["main"], work)
    bench.notes["load_average_at_start"] = load_average()
    bench.notes["cpu_speed"] = cpu_speed()
    stolen_before = cpu_ticks()
    try:
        seed.filler(bench.db, bench.site_id, plan.small - seed.stored(bench.db))
        bench.figures["small_stored"] = seed.stored(bench.db)
        if "ping" in phases:
            step("ping reference")
            bench.ping("ping_before_rps")
        bench.start_api()
        since = bench.last_id()
        if "intake" in phases:
            step("intake")
            since = bench.intake("intake")
            if "ping" in phases:
                step("ping reference again")
                bench.ping("ping_after_rps")
                step("ping under the issue's gthread 2x8, for context")
                bench.ping_at_issue_settings()
        if "decisions" in phases:
            step("decisions")
            bench.decisions("small", since)
        if "read" in phases:
            step("read path")
            bench.read_path()
        if "latency" in phases:
            step("latency at a steady rate")
            bench.latency()
        if "reference" in phases:
            step("RQ forking worker reference")
            bench.reference()
        if "growth" in phases:
            step(f"growth: {plan.small:,} and {plan.large:,} stored, in turns")
            with growth_stores(plan, urls, work, bench.rss) as (small, large):
                bench.growth(small, large)
    finally:
        bench.notes["load_average_at_end"] = load_average()
        bench.notes["cpu_stolen"] = stolen_share(stolen_before, cpu_ticks())
        bench.close()
    return bench


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far, by kind, from /proc/stat (user ... steal)."""
    return [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def stolen_share(before: list[int], after: list[int]) -> str:
    """The share of CPU time the hypervisor gave to other guests between two readings."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    return f"{100 * spent[7] / max(1, sum(spent)):.0f}% of the run's CPU time (steal)"


def cpu_speed() -> str:
    """How fast this machine runs Python today: the same VM type has measured 2x apart.

    The CPU seconds of ten million additions in a Python loop (best of three); compare
    absolute figures only between runs whose speed is alike, or use the ping ratios.
    """
    best = float("inf")
    for _ in range(3):
        started, total = time.process_time(), 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.process_time() - started)
    return f"{best:.2f} s for 10M Python additions"


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what} ...", file=sys.stderr, flush=True)


STORES = ("main", "small", "large")  # the run's store, and the growth phase's two


def postgres_database(url: str, store: str) -> tuple[str, list[str], list[str]]:
    """Return a store's database URL for this run and the commands that create and drop it."""
    parts = urlsplit(url)
    name = f"duyet_bench_{os.getpid()}_{store}"  # two runs side by side never share one
    target = urlunsplit(parts._replace(path=f"/{name}"))
    conn = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    conn += ["-U", parts.username or "postgres"]
    return (
        target,
        ["createdb", *conn, name],
        ["dropdb", "--if-exists", *conn, name],
    )


@contextmanager
def databases(postgres: str | None, work: Path) -> Iterator[dict[str, str]]:
    """A database for each of STORES: SQLite files in work, or PostgreSQL databases made here."""
    if not postgres:
        yield {store: f"sqlite:///{work / store}.db" for store in STORES}
        return
    made = {store: postgres_database(postgres, store) for store in STORES}
    for _, create, drop in made.values():
        subprocess.run(drop, check=True)
        subprocess.run(create, check=True)
    try:
        yield {store: url for store, (url, _, _) in made.items()}
    finally:
        for _, _, drop in made.values():
            subprocess.run(drop, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.perf", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter phases, 200k for growth")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to use instead")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help=f"comma-separated subset of {','.join(PHASES)} (default: all), for quick iteration",
    )
    args = parser.parse_args(argv)
    phases = tuple(p for p in args.phases.split(",") if p)
    if unknown := set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    plan = Plan.of(args.quick)
    from bench.report import table

    with tempfile.TemporaryDirectory(prefix="duyet-bench-") as tmp:
        work = Path(tmp)
        with databases(args.postgres, work) as urls:
            bench = run(plan, urls, work, phases)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(table(backend, bench.figures, bench.rss.peak, plan.large))
    for name, value in bench.notes.items():
        print(f"{name.replace('_', ' ')}: {value}")
    if args.json:
        data = {"backend": backend, "figures": bench.figures, "rss_mb": bench.rss.peak}
        data["notes"] = bench.notes
        Path(args.json).write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
