"""What the webhook outbox adds to a worker's decision transaction.

    python bench/outbox_cost.py [--database-url URL] [--batch 20] [--rounds 40]

Since session 23 every approval or rejection of a site with a webhook writes its event row
in the decision's transaction (service/store/outbox.py). This records batches of approved
comments with `record_system_decisions`, the worker's one write, on a site with a webhook
and on one without, in alternating rounds (the machine's speed drifts), and prints the
median milliseconds a batch of each. SQLite by default (a temporary file); pass a
PostgreSQL URL of a database this may fill (its tables are created if missing).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from service.store import Database, accounts, migrate  # noqa: E402
from service.store.moderation_input import load_many_for_moderation  # noqa: E402
from service.store.new_comments import NewComment, submit_comment  # noqa: E402
from service.store.system_decisions import (  # noqa: E402
    SystemDecision,
    record_system_decisions,
)

BODY = "Cảm ơn báo đã đưa tin kịp thời về lịch cắt điện tuần này."


def one_batch(db: Database, site_id: int, size: int) -> float:
    """Record the approval of `size` new comments in one transaction; seconds it took."""
    new = NewComment(article_id="bai-1", body=BODY, author_name="Lan")
    ids = [submit_comment(db, site_id, new)[0].id for _ in range(size)]
    loaded = load_many_for_moderation(db, ids)
    decisions = [SystemDecision(item.comment, "approve", {}, [], "bench") for item in loaded]
    started = time.perf_counter()
    outcomes = record_system_decisions(db, decisions)
    elapsed = time.perf_counter() - started
    assert len(outcomes) == size
    return elapsed


def arguments(doc: str) -> argparse.Namespace:
    """The options both cost benchmarks take (this one and bench/search_index_cost.py)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=40)
    return parser.parse_args()


def report(
    db: Database, args: argparse.Namespace, times: dict[bool, list[float]], what: tuple[str, ...]
) -> None:
    """Print the median ms a batch without and with `what` = (the thing, its name in the cost
    line, what one costs): ("a webhook", "the outbox", "an event")."""
    thing, cost, unit = what
    with_ms, without_ms = (statistics.median(times[k]) * 1000 for k in (True, False))
    print(f"database: {db.engine.dialect.name}; {args.rounds} rounds of {args.batch} approvals")
    print(f"record_system_decisions, median ms a batch: without {thing} {without_ms:.2f}")
    print(f"                                            with {thing}    {with_ms:.2f}")
    each = (with_ms - without_ms) / args.batch * 1000
    print(f"{cost}'s cost: {with_ms - without_ms:+.2f} ms a batch, {each:+.0f} us {unit}")


def main() -> None:
    args = arguments(__doc__)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/outbox.db"
    migrate.upgrade(url)
    db = Database(url)
    stamp = str(time.time_ns())
    hooked = accounts.create_site(db, f"hooked-{stamp}", "With a webhook").id
    accounts.update_site(db, hooked, webhook_url="https://bao.example.vn/hook")
    plain = accounts.create_site(db, f"plain-{stamp}", "Without").id
    times: dict[int, list[float]] = {hooked: [], plain: []}
    one_batch(db, plain, args.batch)  # warm up: statements built, caches filled
    for n in range(args.rounds):
        for site_id in (hooked, plain) if n % 2 else (plain, hooked):
            times[site_id].append(one_batch(db, site_id, args.batch))
    paired = {True: times[hooked], False: times[plain]}
    report(db, args, paired, ("a webhook", "the outbox", "an event"))
    db.dispose()


if __name__ == "__main__":
    main()
