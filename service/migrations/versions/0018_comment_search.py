"""comment_search: every comment's text folded, under a trigram index, for the desk's search

The desk's search box read the 2,000 newest comments of a tab at a time: finding every
comment that names someone in a million took hundreds of clicks. Each comment's text, folded
as the search folds what a moderator types (service/folding.py: no case, no accents), is
now a row of comment_search, and the database's own trigram index finds `%needle%`:
SQLite an FTS5 table with the trigram tokenizer over it (kept in step by triggers),
PostgreSQL pg_trgm's GIN index. The worker writes the rows with its decisions; this fills
them for the comments stored before, 5,000 at a time.

Without pg_trgm (a role that may not create it) or FTS5's trigram tokenizer (SQLite before
3.34) the upgrade goes on without the index and says so: the search then reads the whole
table, slower but complete (docs/operations.md).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-28 06:30:00
"""

import logging
import time

import sqlalchemy as sa
from alembic import op

# The one import of today's code: the index must fold text exactly as the search folds
# needles, and a copy would drift. A change to fold() needs the index rebuilt anyway.
from service.folding import fold

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 5_000
log = logging.getLogger("duyet.migrations")

# External content: the FTS5 table keeps only the index, reads texts from comment_search.
FTS = (
    "CREATE VIRTUAL TABLE comment_search_fts USING fts5("
    "text, content='comment_search', content_rowid='comment_id', tokenize='trigram')"
)
FTS_TRIGGERS = (
    "CREATE TRIGGER comment_search_added AFTER INSERT ON comment_search BEGIN"
    " INSERT INTO comment_search_fts (rowid, text) VALUES (new.comment_id, new.text); END",
    "CREATE TRIGGER comment_search_removed AFTER DELETE ON comment_search BEGIN"
    " INSERT INTO comment_search_fts (comment_search_fts, rowid, text)"
    " VALUES ('delete', old.comment_id, old.text); END",
    "CREATE TRIGGER comment_search_changed AFTER UPDATE ON comment_search BEGIN"
    " INSERT INTO comment_search_fts (comment_search_fts, rowid, text)"
    " VALUES ('delete', old.comment_id, old.text);"
    " INSERT INTO comment_search_fts (rowid, text) VALUES (new.comment_id, new.text); END",
)
TRIGGER_NAMES = ("comment_search_added", "comment_search_removed", "comment_search_changed")


def upgrade() -> None:
    op.create_table(
        "comment_search",
        sa.Column(
            "comment_id",
            BigId,
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
    )
    bind = op.get_bind()
    _backfill(bind)  # before the index: one build is faster than a million inserts into it
    if bind.dialect.name == "sqlite":
        _fts5(bind)
    else:
        _trigram_index(bind)


def _backfill(bind: sa.Connection) -> None:
    """Fold and store the text of every comment stored so far (erased ones have none)."""
    read = sa.text(
        "SELECT id, body FROM comments WHERE id > :after AND body <> '' ORDER BY id LIMIT :n"
    )
    write = sa.text("INSERT INTO comment_search (comment_id, text) VALUES (:id, :text)")
    after, done, began = 0, 0, time.monotonic()
    while rows := bind.execute(read, {"after": after, "n": BATCH}).all():
        bind.execute(write, [{"id": comment_id, "text": fold(body)} for comment_id, body in rows])
        after, done = rows[-1][0], done + len(rows)
        if done % (20 * BATCH) == 0:
            log.info("search index: %d comments folded so far", done)
    log.info("search index: %d comments folded in %.1f s", done, time.monotonic() - began)


def _fts5(bind: sa.Connection) -> None:
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(FTS)
    except sa.exc.OperationalError as exc:  # no FTS5, or no trigram tokenizer (< 3.34)
        log.warning(
            "search index: SQLite cannot build an FTS5 trigram table (%s); the desk's text"
            " search will read every comment's text (docs/operations.md)",
            exc.orig,
        )
        return
    began = time.monotonic()
    bind.exec_driver_sql("INSERT INTO comment_search_fts (comment_search_fts) VALUES ('rebuild')")
    for trigger in FTS_TRIGGERS:
        bind.exec_driver_sql(trigger)
    log.info("search index: FTS5 trigram index built in %.1f s", time.monotonic() - began)


def _trigram_index(bind: sa.Connection) -> None:
    try:
        with bind.begin_nested():  # a failure must not abort the upgrade's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        log.warning(
            "search index: could not create the extension pg_trgm (%s). The upgrade goes on"
            " without the trigram index: the desk's text search will read every comment's"
            " text. A superuser can run CREATE EXTENSION pg_trgm in this database and then"
            " create the index (docs/operations.md, 'The search index').",
            str(exc.orig).strip().splitlines()[0],
        )
        return
    # The extension may live in another schema than ours (made there before): name it.
    schema = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    ops = f"{bind.dialect.identifier_preparer.quote_schema(schema)}.gin_trgm_ops"
    began = time.monotonic()
    bind.exec_driver_sql(
        f"CREATE INDEX ix_comment_search_trigram ON comment_search USING gin (text {ops})"
    )
    log.info("search index: GIN trigram index built in %.1f s", time.monotonic() - began)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS comment_search_fts")
    op.drop_table("comment_search")  # its index with it; pg_trgm stays: others may use it
