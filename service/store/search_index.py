"""The full-text index of comments: each decided comment's text folded (service/folding.py)
in `comment_search`, under a trigram index that finds `%needle%` without reading every row.

Written off the intake path: the worker's decision transaction stores the texts of the
comments it moved, in one statement a batch (service/store/decisions.py); an erasure
deletes the row in its own transaction (service/store/records.py). An author's edit leaves
the row as it was until the next decision stores the new text: the search matches every
candidate against the comment's current text anyway, so the old text never shows the
edited comment, and the pending comment is found by the tab's window search.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, text
from sqlalchemy.orm import Session

from service.folding import fold
from service.models import Comment, CommentSearch

MIN_INDEXED = 3  # folded characters a trigram index can look up; fewer: the window search
FTS_TABLE = "comment_search_fts"  # SQLite's FTS5 table over comment_search (migration 0018)
TRIGRAM_INDEX = "ix_comment_search_trigram"  # PostgreSQL's, when pg_trgm could be created


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's filter: the trigram indexes are the databases' own, not the models' (an FTS5
    table and its shadow tables, a GIN index that may be missing), so a comparison of the
    schema with the models leaves them out."""
    return not (name or "").startswith((FTS_TABLE, TRIGRAM_INDEX))


# One statement for any batch: the rows are one JSON parameter, [[comment id, text], ...],
# so the statement is built once. The texts are new unless an edited comment is decided
# again; then its row takes the new text (and SQLite's triggers re-index it).
_STORE = {
    "sqlite": text(
        "INSERT INTO comment_search (comment_id, text)"
        " SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
        " FROM json_each(:rows) WHERE true"  # WHERE: SQLite's parser needs it before ON
        " ON CONFLICT (comment_id) DO UPDATE SET text = excluded.text"
    ),
    "postgresql": text(
        "INSERT INTO comment_search (comment_id, text)"
        " SELECT (r->>0)::bigint, r->>1 FROM jsonb_array_elements(CAST(:rows AS jsonb)) AS r"
        " ON CONFLICT (comment_id) DO UPDATE SET text = EXCLUDED.text"
    ),
}


def store_texts(conn: Connection, comments: Iterable[Comment]) -> None:
    """Index the current text of these comments, in one statement."""
    rows = sorted((c.id, fold(c.body)) for c in comments if c.body)
    if rows:  # in id order: two transactions upserting rows lock them in the same order
        conn.execute(_STORE[conn.dialect.name], {"rows": json.dumps(rows)})


def forget(s: Session, comment_id: int) -> None:
    """Take a comment's text out of the index (its erasure), in the caller's transaction."""
    s.execute(
        delete(CommentSearch)
        .where(CommentSearch.comment_id == comment_id)
        .execution_options(synchronize_session=False)
    )
