"""The desk's text search through the full-text index (service/store/search_index.py): every
comment of a tab, or of every status, whose text holds what the moderator typed, newest
first, under the page's filters and the moderator's scope, a page at a time.

The index finds the candidates: the comments whose folded text holds the folded needle.
Each candidate is then matched here against the comment's current text with the desk's
own matcher, so a needle typed with accents finds only those accents, and a row the next
decision has not rewritten yet (an edited comment) never shows a text it no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.folding import fold, has_accents, text_matcher
from service.models import Comment
from service.store.db import Database
from service.store.desk_cards import DeskItem, load_items
from service.store.desk_paging import decode_desk_cursor, encode_desk_cursor
from service.store.desk_queue import QueueFilter
from service.store.search_candidates import Candidates
from service.store.search_index import MIN_INDEXED

PAGE_SIZE = 50
COUNT_CAP = 10_000  # matches counted at most: "more than 10,000"
# Candidates one page matches in Python at most: a needle with accents whose bare form is
# in most comments ("cà" among a million "ca") stops here, and the next page goes on.
READ_LIMIT = 5_000


@dataclass(frozen=True)
class Found:
    """One page of an indexed search, and how many matches there are in all."""

    items: list[DeskItem]
    count: int  # matches counted, at most COUNT_CAP + 1
    exact: bool  # every candidate counted; otherwise `count` is a lower bound
    next_cursor: str | None  # where the next page starts: older comments
    stopped: bool = False  # READ_LIMIT ended the page before it was full

    @property
    def more_than_cap(self) -> bool:
        return self.count > COUNT_CAP


def indexable(needle: str) -> bool:
    """Whether the index can look this needle up: three characters or more, folded."""
    return len(fold(needle)) >= MIN_INDEXED


def search(
    db: Database, f: QueueFilter, needle: str, limit: int = PAGE_SIZE, cursor: str | None = None
) -> Found:
    """Find a page of the comments under `f` whose text holds `needle`, newest first."""
    after = decode_desk_cursor(cursor, "newest")[2] if cursor else None
    matches = text_matcher(needle)
    with db.transaction() as s:
        candidates = Candidates(s, f, fold(needle))
        page, last, stopped = _page(s, candidates, matches, limit, after)
        count, exact = _count(s, candidates, needle)
        items = load_items(s, [row[0] for row in page])
    more = encode_desk_cursor([last[1], last[0]]) if last else None
    return Found(items, count, exact, more, stopped)


def _page(
    s: Session, candidates: Candidates, matches: Any, limit: int, after: int | None
) -> tuple[list[Any], Any, bool]:
    """The next `limit` matches newest first after the comment `after`, the row the page
    after them starts from (None: no more), and whether READ_LIMIT ended the page.

    Candidates are read in growing steps, as most match; after READ_LIMIT the page ends
    where the reading stopped, however few it found."""
    hits: list[Any] = []
    read, step = 0, limit + 1
    while True:
        query = candidates.select(candidates.id, Comment.created_at, Comment.body)
        if after is not None:
            query = query.where(candidates.id < after)
        rows = s.execute(query.order_by(candidates.id.desc()).limit(step)).all()
        for row in rows:
            if matches(row[2]):
                hits.append(row)
                if len(hits) > limit:
                    return hits[:limit], hits[limit - 1], False
        read += len(rows)
        if len(rows) < step:
            return hits, None, False
        if read >= READ_LIMIT:
            return hits, rows[-1], True
        after, step = rows[-1][0], min(step * 4, 1_000)


def _count(s: Session, candidates: Candidates, needle: str) -> tuple[int, bool]:
    """How many comments match, counting up to COUNT_CAP + 1 candidates, and whether that
    counted them all. A needle without accents matches every candidate: counted in SQL."""
    if not has_accents(needle):
        first = candidates.select(candidates.id).limit(COUNT_CAP + 1).subquery()
        n = s.scalar(select(func.count()).select_from(first)) or 0
        return n, n <= COUNT_CAP
    matches = text_matcher(needle)
    bodies = s.scalars(candidates.select(Comment.body).limit(COUNT_CAP + 1)).all()
    return sum(1 for body in bodies if matches(body)), len(bodies) <= COUNT_CAP
