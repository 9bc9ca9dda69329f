"""Intake and the site's own actions on comments: submit, read, delete, report, articles."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, ItemsView, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Dialect, Select, bindparam, insert, select
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from service.errors import Conflict, DuyetError, NotFound
from service.models import Article, Comment, Report, Site, Status, table_of, utcnow
from service.site_config import site_config
from service.store import outbox
from service.store.db import Database
from service.store.records import audit, erase_comment, touch_thread, transition

REPORTABLE = (Status.APPROVED,)
ColumnsRow = Any  # a Core row of the columns a lookup selected, read by attribute


class ArticleClosed(Conflict):
    code = "article_closed"


class InvalidParent(DuyetError):
    status = 422
    code = "invalid_parent"


class IdempotencyKeyReused(DuyetError):
    """The key names a stored comment, and this request sends a different one (as Stripe)."""

    status = 422
    code = "idempotency_key_reused"


class UnstorableComment(DuyetError):
    """The database refused this comment's data (the schema lets nothing like it through)."""

    status = 422
    code = "unstorable_comment"


@dataclass(frozen=True)
class NewComment:
    """A comment as the site submitted it, already validated by the schema."""

    article_id: str
    body: str
    author_name: str
    author_email: str | None = None
    author_id: str | None = None
    parent_id: int | None = None
    ip: str | None = None
    user_agent: str | None = None
    article_title: str | None = None
    article_url: str | None = None
    article_section: str | None = None


def _ensure_article(s: Session, site_id: int, new: NewComment) -> Article:
    article = s.scalar(
        select(Article).where(Article.site_id == site_id, Article.external_id == new.article_id)
    )
    if article is not None:
        return article
    site = s.get(Site, site_id)
    premoderated = bool(site_config(site.config if site else {})["premoderate_default"])
    article = Article(
        site_id=site_id,
        external_id=new.article_id,
        title=new.article_title or "",
        url=new.article_url or "",
        section=new.article_section,
        premoderated=premoderated,
    )
    try:
        with s.begin_nested():  # another request may create the same article at the same time
            s.add(article)
    except IntegrityError:
        return s.scalars(
            select(Article).where(Article.site_id == site_id, Article.external_id == new.article_id)
        ).one()
    return article


def _root(
    parents: Mapping[int, Comment | ColumnsRow],
    site_id: int,
    article: Article | ColumnsRow,
    new: NewComment,
) -> int | None:
    """Return the thread root a reply belongs to (None for a root comment)."""
    if new.parent_id is None:
        return None
    parent = parents.get(new.parent_id)
    if parent is None or parent.site_id != site_id or parent.article_id != article.id:
        raise InvalidParent(
            "parent_id must name a comment of the same article",
            {"parent_id": ["Unknown comment for this article."]},
        )
    return parent.root_id or parent.id


def _with_article_ids() -> Select[Comment, str]:
    """Comments with their article's external id: what a replay is compared with."""
    return select(Comment, Article.external_id).join(Article, Article.id == Comment.article_id)


def _by_idempotency_key(s: Session, site_id: int, key: str) -> tuple[Comment, str] | None:
    found = s.execute(
        _with_article_ids().where(Comment.site_id == site_id, Comment.idempotency_key == key)
    ).first()
    return (found[0], found[1]) if found else None


# What a replay must send again to be one: every field the comment row keeps. The article's
# title, URL and section are not kept per comment (they name the article, set on its first
# comment).
_REPLAYED = ("parent_id", "author_name", "author_email", "author_id", "ip", "user_agent")


def _replayed(comment: Comment, article_external_id: str, new: NewComment) -> Submitted:
    """Answer a retry with the comment its key stored; refuse a different comment."""
    if not _sends_again(comment, article_external_id, new):
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different comment; use a new key.",
            {"Idempotency-Key": ["Already used with other fields."]},
        )
    return comment, False


def _sends_again(comment: Comment, article_external_id: str, new: NewComment) -> bool:
    if article_external_id != new.article_id or comment.parent_id != new.parent_id:
        return False
    if comment.status == Status.DELETED.value:
        return True  # erased at its author's request: only its place is left to compare
    if comment.body != unicodedata.normalize("NFC", new.body):  # stored as NFC
        return False
    return all(getattr(comment, name) == getattr(new, name) for name in _REPLAYED)


@dataclass(slots=True)
class StoredComment:
    """A comment intake has just inserted, as plain attributes named like Comment's columns.

    Building an ORM instance per comment cost intake's writer more than the INSERT itself
    (SQLAlchemy instruments every attribute it sets), and nothing here needs its state.
    """

    id: int
    site_id: int
    article_id: int
    parent_id: int | None
    root_id: int | None
    author_name: str
    author_email: str | None
    author_id: str | None
    ip: str | None
    user_agent: str | None
    body: str
    idempotency_key: str | None
    status: str
    report_count: int
    created_at: datetime
    updated_at: datetime


# The comment, and False when it was an idempotent replay.
Submitted = tuple[Comment | StoredComment, bool]
Intake = tuple[int, NewComment, str | None]  # site id, comment, idempotency key


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
            rows[i] = _row(site_id, new, key, article, _root(parents, site_id, article, new))
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
# The columns _row() fills, in its order: what the batch INSERT writes.
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
            _ensure_article(s, site_id, new)


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
        rows = s.execute(_with_article_ids().where(Comment.id.in_(replayed)))
        loaded = {comment.id: (comment, external_id) for comment, external_id in rows}
    return [
        _replay_outcome(*loaded[o], intake[1]) if isinstance(o, int) else o
        for o, intake in zip(outcomes, intakes, strict=True)
    ]


def _replay_outcome(
    comment: Comment, article_external_id: str, new: NewComment
) -> Submitted | DuyetError:
    try:
        return _replayed(comment, article_external_id, new)
    except IdempotencyKeyReused as exc:
        return exc


def _parents(conn: Connection, parent_ids: list[int]) -> dict[int, ColumnsRow]:
    if not parent_ids:
        return {}
    rows = conn.execute(_PARENTS, {"ids": list(set(parent_ids))})
    return {row.id: row for row in rows}


def submit_comment(
    db: Database, site_id: int, new: NewComment, idempotency_key: str | None = None
) -> Submitted:
    """Store a comment as pending; return it and whether it is new (False: idempotent replay)."""
    try:
        with db.transaction() as s:
            if idempotency_key and (seen := _by_idempotency_key(s, site_id, idempotency_key)):
                return _replayed(*seen, new)
            comment = _insert(s, site_id, new, idempotency_key)
            return comment, True
    except IntegrityError:
        if not idempotency_key:
            raise
        with db.transaction() as s:  # lost a race with the same key: answer with the winner
            seen = _by_idempotency_key(s, site_id, idempotency_key)
            if seen is None:
                raise
            return _replayed(*seen, new)


def _insert(s: Session, site_id: int, new: NewComment, idempotency_key: str | None) -> Comment:
    article = _ensure_article(s, site_id, new)
    parent = s.get(Comment, new.parent_id) if new.parent_id is not None else None
    parents = {parent.id: parent} if parent is not None else {}
    values = _row(site_id, new, idempotency_key, article, _root(parents, site_id, article, new))
    # One INSERT ... RETURNING id instead of the unit of work's flush: intake's hottest line.
    comment_id = s.scalar(insert(Comment).values(values).returning(Comment.id))
    return Comment(id=comment_id, **values)


def _row(
    site_id: int,
    new: NewComment,
    idempotency_key: str | None,
    article: Article | ColumnsRow,
    root: int | None,
) -> dict[str, Any]:
    """Return the new comment's column values; raise if its article takes no comments."""
    if article.closed:
        raise ArticleClosed("comments on this article are closed")
    now = utcnow()
    return {
        "site_id": site_id,
        "article_id": article.id,
        "parent_id": new.parent_id,
        "root_id": root,
        "author_name": new.author_name,
        "author_email": new.author_email,
        "author_id": new.author_id,
        "ip": new.ip,
        "user_agent": new.user_agent,
        "body": unicodedata.normalize("NFC", new.body),
        "idempotency_key": idempotency_key,
        "status": Status.PENDING.value,
        "report_count": 0,
        "created_at": now,
        "updated_at": now,
    }


def get_comment(db: Database, site_id: int, comment_id: int) -> tuple[Comment, Article]:
    """Load one comment of a site with its article, or raise NotFound."""
    with db.transaction() as s:
        return _owned(s, site_id, comment_id)


def _owned(s: Session, site_id: int, comment_id: int) -> tuple[Comment, Article]:
    comment = s.get(Comment, comment_id)
    # Another site's comment answers exactly like a missing one: ids reveal nothing.
    if comment is None or comment.site_id != site_id:
        raise NotFound("comment not found")
    article = s.get(Article, comment.article_id)
    assert article is not None
    return comment, article


def delete_comment(db: Database, site_id: int, comment_id: int, actor: str) -> Comment:
    """Erase a comment's text at its author's request; the row stays as a thread tombstone."""
    with db.transaction() as s:
        comment, _ = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:
            return comment
        audit(s, comment, actor, "delete", Status.DELETED)
        erase_comment(s, comment_id)
        # Always: a deleted comment may become a visible tombstone over published replies.
        touch_thread(s, comment.article_id)
        s.refresh(comment)
        return comment


@dataclass(frozen=True)
class Edited:
    """An edit as stored: the comment now, whether its text changed, whether it must be
    queued for a check (it was decided; a pending one has its job), the webhook event."""

    comment: Comment
    article_external_id: str
    changed: bool
    needs_check: bool
    webhook_event: int | None


def edit_comment(db: Database, site_id: int, comment_id: int, body: str) -> Edited:
    """Replace a comment's text at its author's request; it goes back to pending, to be
    checked again, and leaves the published thread until then.

    The text before is kept in the audit entry, for the moderator who finds a comment
    approved as one thing and edited into another (and erased with the comment).
    """
    text = unicodedata.normalize("NFC", body)
    with db.transaction() as s:
        comment, article = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:
            raise Conflict("comment was deleted at its author's request")
        if article.closed:
            raise ArticleClosed("comments on this article are closed")
        if comment.body == text:  # sent again: nothing to check again
            return Edited(comment, article.external_id, False, False, None)
        was = comment.status
        audit(s, comment, "site", "edit", Status.PENDING, {"previous_body": comment.body})
        comment.body = text
        comment.status = Status.PENDING.value
        comment.revision = Comment.revision + 1  # in SQL: two edits at once count two
        comment.updated_at = utcnow()
        event = None
        if was == Status.APPROVED.value:
            touch_thread(s, comment.article_id)  # it leaves the published thread
            event = outbox.add_event(s, comment, outbox.UNPUBLISHED)
        s.flush()
        s.refresh(comment)
        return Edited(comment, article.external_id, True, was != Status.PENDING.value, event)


def report_comment(
    db: Database, site_id: int, comment_id: int, reason: str, note: str = ""
) -> Comment:
    """Record a reader's report; enough reports send a published comment back to review."""
    with db.transaction() as s:
        comment, _ = _owned(s, site_id, comment_id)
        if comment.status == Status.DELETED.value:  # erased: nothing is left to report
            raise Conflict("comment was deleted at its author's request")
        s.add(Report(comment_id=comment_id, reason=reason, note=note))
        comment.report_count += 1
        site = s.get(Site, site_id)
        threshold = int(site_config(site.config if site else {})["report_threshold"])
        audit(s, comment, "reader", "report", None, {"reason": reason})
        s.flush()
        if comment.report_count >= threshold and transition(s, comment_id, REPORTABLE, Status.HELD):
            audit(s, comment, "system", "reports_threshold", Status.HELD, {"reports": threshold})
            touch_thread(s, comment.article_id)
        s.refresh(comment)
        return comment


def put_article(db: Database, site_id: int, external_id: str, **settings: Any) -> Article:
    """Create or update an article's title, URL, section and comment settings."""
    with db.transaction() as s:
        article = s.scalar(
            select(Article).where(Article.site_id == site_id, Article.external_id == external_id)
        )
        if article is None:
            article = Article(site_id=site_id, external_id=external_id)
            s.add(article)
        for name, value in settings.items():
            setattr(article, name, value)
        s.flush()
        touch_thread(s, article.id)
        s.refresh(article)
        return article


def get_article(db: Database, site_id: int, external_id: str) -> Article:
    """Load a site's article by the site's own id, or raise NotFound."""
    with db.transaction() as s:
        article = s.scalar(
            select(Article).where(Article.site_id == site_id, Article.external_id == external_id)
        )
        if article is None:
            raise NotFound("article not found")
        return article
