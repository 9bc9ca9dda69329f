"""Which comments a text search reads: those under the desk's filter whose folded text holds
the folded needle, from the full-text index (service/store/search_index.py), in the order the
search pages them (newest first, by id).

PostgreSQL's planner weighs pg_trgm's index against the filter's own by its statistics.
SQLite's has no statistics here and cannot weigh an FTS5 table at all: it walked the tab's
index and asked FTS5 about each comment (a count took minutes at a million). So SQLite is
told which side leads: the smaller of the two, counted up to a bound (a rare word's
matches first, which settles most searches in one short count).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import column, func, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import Join

from service.models import Comment, CommentSearch, table_of
from service.store.desk_queue import QueueFilter, queue_query
from service.store.search_index import FTS_TABLE

FEW = 20_000  # this many or fewer on a side: that side leads, whatever the other's size
BOUND = 50_000  # otherwise both are counted up to this, to see which is smaller
_FTS = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))


class _FtsFirst(Join):
    """FTS5's table JOIN comments, written CROSS JOIN: SQLite then keeps FTS5 as the outer
    loop, walking its matches newest first, whatever it guesses of the filter."""

    inherit_cache = True


@compiles(_FtsFirst, "sqlite")
def _cross_join(join: _FtsFirst, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.visit_join(join, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


class Candidates:
    """The candidates of one search: `select(...)` them, ordered or counted by `id`."""

    def __init__(self, s: Session, f: QueueFilter, key: str) -> None:
        self.f, self.fts = f, False
        self.id: Any = Comment.id
        self.holds: Any = CommentSearch.text.like(_pattern(key), escape="\\")
        if s.get_bind().dialect.name == "sqlite" and _has_fts(s) and _fts_leads(s, f, key):
            self.id, self.fts = _FTS.c.rowid, True
            self.holds = _match(key)

    def select(self, *columns: Any) -> Any:
        """The candidates' columns, under the filter."""
        if self.fts:
            joined = _FtsFirst(_FTS, table_of(Comment), Comment.id == _FTS.c.rowid)
            query = select(*columns).select_from(joined)
        else:
            query = select(*columns).join(CommentSearch, CommentSearch.comment_id == Comment.id)
        return queue_query(query.where(self.holds), self.f)


def _fts_leads(s: Session, f: QueueFilter, key: str) -> bool:
    """Whether FTS5's matches are fewer than the comments the filter admits."""
    matches = select(_FTS.c.rowid).where(_match(key))
    if _bounded(s, matches, FEW) <= FEW:
        return True
    admitted = _bounded(s, queue_query(select(Comment.id), f), BOUND)
    return admitted > FEW and _bounded(s, matches, BOUND) <= admitted


def _bounded(s: Session, query: Any, bound: int) -> int:
    """The query's rows, counted up to `bound` + 1."""
    first = query.limit(bound + 1).subquery()
    return s.scalar(select(func.count()).select_from(first)) or 0


def _has_fts(s: Session) -> bool:
    """Whether migration 0018 could build the FTS5 table (SQLite 3.34 and later)."""
    found = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name")
    return s.scalar(found, {"name": FTS_TABLE}) is not None


def _match(key: str) -> Any:
    """An FTS5 phrase: with the trigram tokenizer, the substring itself."""
    return _FTS.c[FTS_TABLE].op("MATCH")('"' + key.replace('"', '""') + '"')


def _pattern(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
