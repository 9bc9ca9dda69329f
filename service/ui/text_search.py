"""The queue's search box when it holds text: through the full-text index when the text is
long enough for it (service/store/fulltext.py), otherwise the tab's newest comments a
window at a time (service/store/desk_search.py: search_text)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from service.context import services
from service.store import desk_queue, desk_search, fulltext
from service.store.search_index import MIN_INDEXED
from service.ui.blueprint import t

SEARCH_MIN = 2  # characters of text worth a window search
WINDOW_PAGE = 25  # the window search's cards a page, as the queue's
UNINDEXED_TABS = ("pending",)  # the worker indexes a comment when it decides it


def everywhere(args: Any) -> bool:
    """Whether the search box asked for every status rather than the open tab."""
    return bool(args.get("within") == desk_queue.EVERY_STATUS)


def find(
    f: desk_queue.QueueFilter, q: str, cursor: str | None, every_status: bool
) -> tuple[desk_search.SearchPage | fulltext.Found | None, str | None]:
    """A page of the comments holding `q`, or None and the words saying why not."""
    db = services().db
    if fulltext.indexable(q) and (every_status or f.tab not in UNINDEXED_TABS):
        scoped = replace(f, tab=desk_queue.EVERY_STATUS) if every_status else f
        return fulltext.search(db, scoped, q, cursor=cursor), None
    if every_status:
        return None, t("search.too_short_everywhere", n=MIN_INDEXED)
    if len(q) < SEARCH_MIN:
        return None, t("search.too_short", n=SEARCH_MIN)
    return desk_search.search_text(db, f, q, WINDOW_PAGE, cursor), None


def found_words(found: Any, q: str, tab: str, every_status: bool) -> str | None:
    """What an indexed search found, in the desk's language: "Found 1,234 with «q» ...";
    None for a window's page, which says what it read instead."""
    if not isinstance(found, fulltext.Found):
        return None
    if found.more_than_cap:
        count = t("search.count.more", n=f"{fulltext.COUNT_CAP:,}")
    elif not found.exact:
        count = t("search.count.at_least", n=f"{found.count:,}")
    elif found.count == 1:
        count = t("search.count.one")
    else:
        count = t("search.count", n=f"{found.count:,}")
    if every_status:
        words = t("search.found_everywhere", count=count, q=q)
    else:
        words = t("search.found", count=count, q=q, tab=t(f"tab.{tab}"))
    if found.stopped:
        words += " " + t("search.stopped", n=f"{fulltext.READ_LIMIT:,}")
    return words
