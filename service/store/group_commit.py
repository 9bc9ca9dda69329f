"""Intake's group commit: the comments of any sites that arrive together stored in one
transaction, each with its own answer (submit_many). In a storm a batch holds a few comments,
so its fixed cost (lookups, insert, commit) is most of the price of each: it runs on
SQLAlchemy Core and the driver's own SQL, with statements built once. A batch that collides
with a concurrent insert, or that the database refuses, is stored again one comment at a
time (new_comments.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable, ItemsView, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, bindparam, select
from sqlalchemy.exc import DataError, OperationalError

from service.errors import DuyetError
from service.models import Article, Comment, table_of
from service.store.db import Database
from service.store.new_comments import (
    ColumnsRow,
    IdempotencyKeyReused,
    NewComment,
    StoredComment,
    Submitted,
    comment_row,
    ensure_article,
    replayed,
    submit_comment,
    thread_root,
    with_article_ids,
)

Intake = tuple[int, NewComment, str | None]  # site id, comment, idempotency key


class UnstorableComment(DuyetError):
    """The database refused this comment's data (the schema lets nothing like it through)."""

    status = 422
    code = "unstorable_comment"


def submit_many(db: Database, intakes: Sequence[Intake]) -> list[Submitted | DuyetError]:
    """Store comments of any sites in one transaction; per comment, its outcome or its error.

    Intake's group commit, on SQLAlchemy Core: in a storm a batch holds a few comments, so
    its fixed cost (lookups, insert, commit) is most of the price of each. A comment the
    site got wrong (closed article, unknown parent, a reused idempotency key) fails alone;
    when the batch collides with a concurrent insert (the same idempotency key twice) or
    the database refuses one comment's data, it is stored again one comment at a time,
    where each has its own answer. Only the database being down fails the whole batch.
    """
    keys = [(site_id, key) for site_id, _, key in intakes if key]
    if len(set(keys)) != len(keys):
        return [_submit_one(db, intake) for intake in intakes]
    try:
        outcomes = _store_batch(db, intakes)
        if outcomes is None:  # an article's first comments: create it, then store
            _create_articles(db, intakes)
            outcomes = _store_batch(db, intakes)
    except OperationalError:  # the database is down: every comment of the batch gets it
        raise
    except Exception:  # a key race, or one comment's data: each alone finds out which
        outcomes = None
    if outcomes is None:
        return [_submit_one(db, intake) for intake in intakes]
    return _with_replays(db, intakes, outcomes)


def _store_batch(db: Database, intakes: Sequence[Intake]) -> list[_Outcome] | None:
    """Store the batch in one transaction on one connection; None if an article is missing."""
    with db.hot_writer(), db.engine.begin() as conn:
        articles = _find_articles(conn, intakes)
        if any((site_id, new.article_id) not in articles for site_id, new, _ in intakes):
            return None
        return _insert_many(conn, intakes, articles)


def _submit_one(db: Database, intake: Intake) -> Submitted | DuyetError:
    try:
        return submit_comment(db, *intake)
    except DuyetError as exc:
        return exc
    except (UnicodeError, DataError) as exc:  # text or a value the database cannot hold
        return UnstorableComment(f"The comment cannot be stored as sent ({type(exc).__name__}).")


_Outcome = Submitted | DuyetError | int  # an int: the id of the comment an idempotent replay names


def _insert_many(
    conn: Connection, intakes: Sequence[Intake], articles: dict[tuple[int, str], ColumnsRow]
) -> list[_Outcome]:
    outcomes: dict[int, _Outcome] = {}
    replays = _replays(conn, intakes)
    parents = _parents(conn, [new.parent_id for _, new, _ in intakes if new.parent_id is not None])
    rows: dict[int, dict[str, Any]] = {}
    for i, (site_id, new, key) in enumerate(intakes):
        if key and (seen := replays.get((site_id, key))):
            outcomes[i] = seen
            continue
        article = articles[(site_id, new.article_id)]
        try:
            rows[i] = comment_row(
                site_id, new, key, article, thread_root(parents, site_id, article, new)
            )
        except DuyetError as exc:
            outcomes[i] = exc
    if rows:
        ids = _insert_returning_ids(conn, list(rows.values()))
        for (i, values), comment_id in zip(rows.items(), ids, strict=True):
            outcomes[i] = (StoredComment(id=comment_id, **values), True)
    return [outcomes[i] for i in range(len(intakes))]


def _insert_returning_ids(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows with one statement on the driver's cursor; their ids, in row order.

    SQLAlchemy sends SQLite one INSERT per row when the ids must come back in order, and
    its execution machinery cost more than the insert; this is the statement it sends
    PostgreSQL, for both: INSERT ... SELECT ... ORDER BY the row's position, so the ids are
    generated in row order, and RETURNING's ids sorted are the rows' ids. On SQLite each new
    rowid is above every existing one while the transaction holds the write lock.
    test_group_commit.py checks each answer names its own comment.
    """
    dialect = conn.dialect
    binds = _binders(dialect)
    params = [
        bind(row[name]) if bind else row[name] for row in rows for name, bind in binds.items()
    ]
    returned = _driver_rows(conn, _multi_insert_sql(dialect, len(rows)), params)
    return sorted(int(found[0]) for found in returned)


@functools.lru_cache(maxsize=16)
def _binders(dialect: Dialect) -> dict[str, Callable[[Any], Any] | None]:
    """Each inserted column's bind processor (UtcDateTime's, SQLite's datetime text)."""
    types = {name: _COMMENTS.c[name].type.dialect_impl(dialect) for name in _INSERTED}
    return {name: sql_type.bind_processor(dialect) for name, sql_type in types.items()}


@functools.lru_cache(maxsize=256)
def _multi_insert_sql(dialect: Dialect, rows: int) -> str:
    names = ", ".join(_INSERTED)
    if dialect.name == "postgresql":  # typed placeholders: a column of NULLs has no type
        types = [_COMMENTS.c[name].type.compile(dialect) for name in _INSERTED]
        one = ", ".join(f"CAST(? AS {sql_type})" for sql_type in types)
    else:
        one = ", ".join(["?"] * len(_INSERTED))
    values = ", ".join(f"({one}, {position})" for position in range(rows))
    picked = ", ".join(f"column{i + 1}" for i in range(len(_INSERTED)))
    order = f"column{len(_INSERTED) + 1}"
    return (
        f"INSERT INTO comments ({names}) SELECT {picked} FROM (VALUES {values}) AS batch"
        f" ORDER BY {order} RETURNING id"
    )


# The batch's statements, built once: constructing a statement costs more than running it.
_COMMENTS = table_of(Comment)
_ARTICLES = table_of(Article)
# The columns comment_row() fills, in its order: what the batch INSERT writes.
_INSERTED = (
    "site_id",
    "article_id",
    "parent_id",
    "root_id",
    "author_name",
    "author_email",
    "author_id",
    "ip",
    "user_agent",
    "body",
    "idempotency_key",
    "status",
    "report_count",
    "created_at",
    "updated_at",
)
_COMMENTS_BY_KEY = select(_COMMENTS.c.id, _COMMENTS.c.idempotency_key).where(
    _COMMENTS.c.site_id == bindparam("site_id"),
    _COMMENTS.c.idempotency_key.in_(bindparam("keys", expanding=True)),
)
_PARENTS = select(
    _COMMENTS.c.id, _COMMENTS.c.site_id, _COMMENTS.c.article_id, _COMMENTS.c.root_id
).where(_COMMENTS.c.id.in_(bindparam("ids", expanding=True)))


def _by_site(
    intakes: Sequence[Intake], pick: Callable[[NewComment, str | None], str | None]
) -> ItemsView[int, set[str]]:
    """Group the values pick() takes from each intake by site (None values left out)."""
    grouped: dict[int, set[str]] = {}
    for site_id, new, key in intakes:
        value = pick(new, key)
        if value is not None:
            grouped.setdefault(site_id, set()).add(value)
    return grouped.items()


def _create_articles(db: Database, intakes: Sequence[Intake]) -> None:
    with db.transaction() as s:
        for site_id, new, _ in intakes:
            ensure_article(s, site_id, new)


def _find_articles(
    conn: Connection, intakes: Sequence[Intake]
) -> dict[tuple[int, str], ColumnsRow]:
    """Every batch looks its articles up: on the driver's cursor, like the insert."""
    found: dict[tuple[int, str], ColumnsRow] = {}
    for site_id, external_ids in _by_site(intakes, lambda new, _: new.article_id):
        marks = ", ".join(["?"] * len(external_ids))
        sql = f"{_ARTICLES_OF_SITE} AND external_id IN ({marks})"
        for row in _driver_rows(conn, sql, [site_id, *external_ids]):
            found[(site_id, row[1])] = _ArticleRow(*row)
    return found


_ARTICLES_OF_SITE = "SELECT id, external_id, closed FROM articles WHERE site_id = ?"


class _ArticleRow(NamedTuple):
    id: int
    external_id: str
    closed: bool


def _driver_rows(conn: Connection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run SQL written with ? placeholders as the driver's own SQL; its rows.

    exec_driver_sql skips SQLAlchemy's compilation but keeps its error handling: a driver
    error arrives as SQLAlchemy's (the API answers OperationalError 503, and an
    IntegrityError sends the batch down the one-by-one road), and a dead connection is
    invalidated rather than handed back to the pool.
    """
    if conn.dialect.paramstyle != "qmark":  # psycopg's are %s
        sql = sql.replace("?", "%s")
    return [tuple(row) for row in conn.exec_driver_sql(sql, tuple(params))]


def _replays(conn: Connection, intakes: Sequence[Intake]) -> dict[tuple[int, str], int]:
    found: dict[tuple[int, str], int] = {}
    for site_id, keys in _by_site(intakes, lambda _, key: key):
        rows = conn.execute(_COMMENTS_BY_KEY, {"site_id": site_id, "keys": list(keys)})
        found.update({(site_id, row.idempotency_key): row.id for row in rows})
    return found


def _with_replays(
    db: Database, intakes: Sequence[Intake], outcomes: list[_Outcome]
) -> list[Submitted | DuyetError]:
    """Answer each idempotent replay with its stored comment, if it sends that comment again."""
    replayed = [o for o in outcomes if isinstance(o, int)]
    if not replayed:
        return outcomes  # type: ignore[return-value]
    with db.transaction() as s:
        rows = s.execute(with_article_ids().where(Comment.id.in_(replayed)))
        loaded = {comment.id: (comment, external_id) for comment, external_id in rows}
    return [
        _replay_outcome(*loaded[o], intake[1]) if isinstance(o, int) else o
        for o, intake in zip(outcomes, intakes, strict=True)
    ]


def _replay_outcome(
    comment: Comment, article_external_id: str, new: NewComment
) -> Submitted | DuyetError:
    try:
        return replayed(comment, article_external_id, new)
    except IdempotencyKeyReused as exc:
        return exc


def _parents(conn: Connection, parent_ids: list[int]) -> dict[int, ColumnsRow]:
    if not parent_ids:
        return {}
    rows = conn.execute(_PARENTS, {"ids": list(set(parent_ids))})
    return {row.id: row for row in rows}
