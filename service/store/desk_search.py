"""The desk's text search: the comments of a tab whose text holds what the moderator typed, in
any case, and typed without accents with or without them. Each step reads a bounded window of
the tab's newest comments (SEARCH_WINDOW) and matches it in Python: a walk of the tab's index,
never the table, and no text index in the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from service.folding import text_matcher
from service.models import Comment
from service.store.db import Database
from service.store.desk_cards import DeskItem, load_items
from service.store.desk_paging import encode_desk_cursor
from service.store.desk_queue import QueueFilter, page_keys_query

SEARCH_WINDOW = 2_000  # comments a text search reads per step, newest first


@dataclass(frozen=True)
class SearchPage:
    items: list[DeskItem]
    scanned: int  # how many of the tab's comments this step read
    next_cursor: str | None  # where the next step starts: older comments


def search_text(
    db: Database, f: QueueFilter, text: str, limit: int = 25, cursor: str | None = None
) -> SearchPage:
    """Find comments whose text holds `text` among the SEARCH_WINDOW newest of a tab (under
    its filters) from the cursor on: a bounded walk of the tab's index, never the table.

    The window is read, then matched here: the database needs no text index."""
    matches = text_matcher(text)
    window = page_keys_query(f, "newest", cursor).limit(SEARCH_WINDOW).subquery()
    query = select(window.c.id, window.c.created_at, Comment.body).join(
        Comment, Comment.id == window.c.id
    )
    with db.transaction() as s:
        # Put back in the window's order here: at most SEARCH_WINDOW rows, no sort in SQL.
        rows = sorted(s.execute(query).all(), key=lambda r: (r[1], r[0]), reverse=True)
        hits = [row for row in rows if matches(row[2])]
        page = hits[:limit]
        items = load_items(s, [row[0] for row in page])
    last = page[-1] if len(hits) > limit else rows[-1] if len(rows) == SEARCH_WINDOW else None
    more = encode_desk_cursor([last[1], last[0]]) if last is not None else None
    return SearchPage(items, rows.index(last) + 1 if last is not None else len(rows), more)
