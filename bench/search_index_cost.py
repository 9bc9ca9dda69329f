"""What the desk's search index adds to a worker's decision transaction.

    python bench/search_index_cost.py [--database-url URL] [--batch 20] [--rounds 40]

Since migration 0018 the worker's batch write (`record_system_decisions`) also stores the
folded text of the comments it decides, in one statement (service/store/search_index.py),
which SQLite's triggers copy into FTS5 and PostgreSQL indexes with pg_trgm's GIN. This
records batches of approvals with that statement and, in alternating rounds (the machine's
speed drifts), with it left out, and prints the median milliseconds a batch of each. SQLite
by default (a temporary file); pass a PostgreSQL URL of a database this may fill.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.outbox_cost import arguments, one_batch, report  # noqa: E402
from service.store import Database, accounts, migrate, search_index  # noqa: E402


def main() -> None:
    args = arguments(__doc__)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/index.db"
    migrate.upgrade(url)
    db = Database(url)
    site = accounts.create_site(db, f"index-{time.time_ns()}", "Index cost").id
    store_texts = search_index.store_texts
    times: dict[bool, list[float]] = {True: [], False: []}
    one_batch(db, site, args.batch)  # warm up: statements built, caches filled
    for n in range(args.rounds):
        for indexed in (True, False) if n % 2 else (False, True):
            search_index.store_texts = store_texts if indexed else lambda conn, comments: None
            times[indexed].append(one_batch(db, site, args.batch))
    search_index.store_texts = store_texts
    report(db, args, times, ("the index", "the index", "a comment"))
    db.dispose()


if __name__ == "__main__":
    main()
