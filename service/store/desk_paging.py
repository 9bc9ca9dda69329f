"""How the desk's lists page: the opaque cursor each page hands out (the sort key of its last
row), and the keyset order a cursor continues in, oldest, newest or riskiest first. The
queue, its text search and the author page share them."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, tuple_

from service.errors import DuyetError
from service.ids import is_id
from service.models import Comment


class BadDeskCursor(DuyetError):
    code = "bad_cursor"


def encode_desk_cursor(values: Sequence[Any]) -> str:
    """Pack the sort key of a page's last row into an opaque cursor."""
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_desk_cursor(cursor: str, order: str) -> tuple[float | None, datetime, int]:
    """Unpack a cursor made by encode_desk_cursor for the same order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
        level: float | None = None
        if order == "riskiest":
            risk, moment, comment_id = values
            level = float(risk)
        else:
            moment, comment_id = values
        when = datetime.fromisoformat(moment)
    except (ValueError, TypeError, OverflowError) as exc:  # OverflowError: float(10**400)
        raise BadDeskCursor("cursor is not one this page gave out") from exc
    # A crafted cursor's id may be one no row can have, too large for the database's bigint.
    if not is_id(comment_id):
        raise BadDeskCursor("cursor is not one this page gave out")
    return level, when, comment_id


def ordered(query: Any, order: str, cursor: str | None) -> Any:
    """Sort the query oldest, newest or riskiest first, from just after the cursor's row."""
    key, risk = tuple_(Comment.created_at, Comment.id), Comment.risk
    if cursor:
        level, moment, comment_id = decode_desk_cursor(cursor, order)
        if order == "newest":
            query = query.where(key < (moment, comment_id))
        elif order == "oldest":
            query = query.where(key > (moment, comment_id))
        else:  # `risk <= level` first: a range the index (status, risk DESC, ...) seeks to
            query = query.where(risk <= level, or_(risk < level, key > (moment, comment_id)))
    if order == "newest":
        return query.order_by(Comment.created_at.desc(), Comment.id.desc())
    if order == "riskiest":
        return query.order_by(risk.desc(), Comment.created_at, Comment.id)
    return query.order_by(Comment.created_at, Comment.id)
