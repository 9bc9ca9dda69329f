"""Time the retention sweep (workers/retention.py) over a million comments past their days.

    python bench/retention.py [--comments 1000000] [--postgres URL]

Seeds a fresh SQLite file, or with --postgres a database of its own on that server
(created and dropped here), migrated like production, with `--comments` comments of one
site, every one 100 to 158 days old with an IP and user agent (bench/seed.py's bulk fill).
Then times one run of the sweep: BATCHES_PER_RUN statements of BATCH_ROWS rows, each a
transaction of its own (what a decision may wait behind), with the plan they take; the
runs that drain the rest, one after another as successive sweeps take them; and the hourly
run of a site that is caught up, whose old rows are all cleared already.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from redis import Redis
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import seed  # noqa: E402
from bench.queue_page import migrated_store  # noqa: E402
from service.models import NETWORK_KEPT  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Database  # noqa: E402
from service.store.group_commit import submit_many  # noqa: E402
from service.store.new_comments import NewComment  # noqa: E402
from workers.retention import (  # noqa: E402
    BATCH_ROWS,
    BATCHES_PER_RUN,
    TURN_KEY,
    sweep_retention,
)

OLDER = timedelta(days=100)  # past the default 90 days, all of them
CLEARING = "UPDATE comments SET ip"


@dataclass
class Statements:
    """The clearing statements a run sent: each one's milliseconds, and the first as sent."""

    milliseconds: list[float] = field(default_factory=list)
    first: tuple[str, Any] | None = None
    _begun: float = 0.0

    def before(self, conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        self._begun = time.perf_counter()
        if statement.startswith(CLEARING) and self.first is None:
            self.first = (statement, parameters)

    def after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith(CLEARING):
            self.milliseconds.append((time.perf_counter() - self._begun) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server instead of SQLite")
    args = parser.parse_args()
    with migrated_store(args.postgres) as (url, redis_url):
        return run(url, redis_url, args.comments)


def run(url: str, redis_url: str, count: int) -> int:
    db = Database(url)
    started = time.perf_counter()
    site_id = seed.site_and_articles(db).site_id
    seed.filler(db, site_id, count, older=OLDER)
    print(f"seeded {seed.stored(db):,} comments in {time.perf_counter() - started:.0f} s")
    sent = Statements()
    event.listen(db.engine, "before_cursor_execute", sent.before)
    event.listen(db.engine, "after_cursor_execute", sent.after)
    started = time.perf_counter()
    cleared = sweep_retention(db, Redis.from_url(redis_url), Settings(database_url=url))
    whole = (time.perf_counter() - started) * 1000
    each = ", ".join(f"{ms:.0f}" for ms in sent.milliseconds)
    print(f"one run: {cleared:,} comments cleared in {whole:.0f} ms; statements (ms): {each}")
    assert sent.first is not None
    print("plan:", plan(db, *sent.first))
    sweep = Sweeps(db, Redis.from_url(redis_url), Settings(database_url=url), site_id)
    runs, cleared, slowest, spent = sweep.drain()
    print(
        f"the rest drained in {runs} more runs, {cleared:,} comments, {spent:.1f} s of runs;"
        f" the slowest run {slowest:.0f} ms, the slowest statement"
        f" {max(sent.milliseconds):.0f} ms (median {statistics.median(sent.milliseconds):.0f})"
    )
    caught_up = best_of(5, sweep.once)
    print(f"a caught-up site's hourly run (all {count:,} cleared already): {caught_up:.1f} ms")
    print("plan:", plan(db, *sent.first))
    with_index, without = intake_cost(db, site_id)
    print(
        f"intake, {INTAKE_BATCHES} batches of {INTAKE_BATCH} (submit_many), best of 3:"
        f" {with_index:.0f} ms with ix_comments_site_network, {without:.0f} ms without"
    )
    db.dispose()
    return 0


INTAKE_BATCH, INTAKE_BATCHES = 32, 300
INDEX = "ix_comments_site_network"


def intake_cost(db: Database, site_id: int) -> tuple[float, float]:
    """What the index costs the intake: the real store path, with it and without it in turn."""
    body = "Bình luận mới về chuyện thời sự."
    new = NewComment("a1", body, "Lan", ip="10.1.2.3", user_agent="Mozilla/5.0")

    def store() -> None:
        for _ in range(INTAKE_BATCHES):
            submit_many(db, [(site_id, new, None)] * INTAKE_BATCH)

    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(3):
        for indexed in (True, False):
            _set_index(db, indexed)
            timings[indexed].append(best_of(1, store))
    _set_index(db, True)
    return min(timings[True]), min(timings[False])


def _set_index(db: Database, present: bool) -> None:
    columns = f"comments (site_id, created_at) WHERE {NETWORK_KEPT}"
    with db.transaction() as s:
        if present:
            s.execute(text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {columns}"))
        else:
            s.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))


@dataclass
class Sweeps:
    """The site's runs one after another, as successive sweeps take them."""

    db: Database
    redis: Redis
    settings: Settings
    site_id: int

    def once(self) -> int:
        self.redis.delete(TURN_KEY.format(site_id=self.site_id))  # the next sweep's turn
        return sweep_retention(self.db, self.redis, self.settings)

    def drain(self) -> tuple[int, int, float, float]:
        """Run until a run clears less than its limit: runs, comments, slowest ms, seconds."""
        runs, cleared, timings = 0, 0, []
        while True:
            started = time.perf_counter()
            done = self.once()
            timings.append((time.perf_counter() - started) * 1000)
            runs, cleared = runs + 1, cleared + done
            if done < BATCH_ROWS * BATCHES_PER_RUN:
                return runs, cleared, max(timings), sum(timings) / 1000


def plan(db: Database, statement: str, parameters: Any) -> str:
    """The plan the database takes for a statement as it was sent, parameters and all."""
    explain = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    with db.transaction() as s:
        rows = s.connection().exec_driver_sql(explain + statement, parameters).all()
    return " | ".join(str(row[-1]).strip() for row in rows if "comments" in str(row[-1]))


def best_of(runs: int, task: Callable[[], object]) -> float:
    """The fastest of some runs of a task, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        task()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings)


if __name__ == "__main__":
    sys.exit(main())
