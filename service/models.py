"""Tables of the record: sites, keys, moderators, articles, comments, decisions, audit log,
and the webhook events waiting to be sent."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC, read back timezone-aware on every database.

    PostgreSQL keeps the zone; SQLite stores text without one, so without this the same
    comment would be "...+00:00" from one database and naive from the other.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Status(StrEnum):
    """Where a comment stands; it leaves PENDING exactly once."""

    PENDING = "pending"
    APPROVED = "approved"
    HELD = "held"
    SPAM = "spam"
    REJECTED = "rejected"
    DELETED = "deleted"


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for hot-path statements that skip the ORM layer's bookkeeping."""
    return cast(Table, model.__table__)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    # While a secret is rolled, events are signed with the old one too, until this moment.
    webhook_secret_previous: Mapped[str | None] = mapped_column(String(200))
    webhook_secret_previous_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Rules and thresholds edited by the site's admins; see service.site_config.
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    # The public prefix finds the row; only a SHA-256 of the whole key is stored.
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Moderator(Base):
    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="moderator")  # or "admin"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Signing out adds one. A desk session carries the value it signed in with, so every
    # session of the account signed in before ends, though its cookie is still validly signed.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The sites and sections this moderator sees and acts on; None is all (service.scopes).
    scope: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id"),
        Index("ix_articles_site_section", "site_id", "section"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The site's own section ("thoi-su"); queues and moderators' scopes split by it.
    section: Mapped[str | None] = mapped_column(String(100))
    # Bumped on every change to the published thread; the read path's ETag is built from it.
    thread_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# A comment that still holds its reader's network details (ix_comments_site_network).
NETWORK_KEPT = "ip IS NOT NULL OR user_agent IS NOT NULL"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("site_id", "idempotency_key"),
        Index("ix_comments_thread", "article_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_site_status", "site_id", "status", "created_at"),
        # An author's history (the worker counts it per comment) from the index alone;
        # partial, so a site whose comments lack the column never looks like one author.
        Index(
            "ix_comments_author",
            "site_id",
            "author_email",
            "status",
            "created_at",
            "author_id",
            sqlite_where=text("author_email IS NOT NULL"),
            postgresql_where=text("author_email IS NOT NULL"),
        ),
        Index(
            "ix_comments_site_author_id",
            "site_id",
            "author_id",
            "status",
            "created_at",
            "author_email",
            sqlite_where=text("author_id IS NOT NULL"),
            postgresql_where=text("author_id IS NOT NULL"),
        ),
        Index("ix_comments_site_ip", "site_id", "ip"),
        # The sweep that forgets readers' IPs and user agents (workers/retention.py) finds a
        # site's old rows that still hold one here; partial, so a cleared row leaves it and
        # the index holds only the site's last N days.
        Index(
            "ix_comments_site_network",
            "site_id",
            "created_at",
            sqlite_where=text(NETWORK_KEPT),
            postgresql_where=text(NETWORK_KEPT),
        ),
        # Partial: only the few reported comments, so the "reported" tab never scans the table.
        Index(
            "ix_comments_reported",
            "status",
            "created_at",
            sqlite_where=text("report_count > 0"),
            postgresql_where=text("report_count > 0"),
        ),
        # The same for a site's moderators: with a site filter SQLite otherwise took
        # ix_comments_site_status and read every held comment of the site.
        Index(
            "ix_comments_site_reported",
            "site_id",
            "status",
            "created_at",
            sqlite_where=text("report_count > 0"),
            postgresql_where=text("report_count > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    # The top of the reply chain, so a page of threads loads its replies in one query.
    root_id: Mapped[int | None] = mapped_column(BigId, index=True)
    author_name: Mapped[str] = mapped_column(String(200))
    author_email: Mapped[str | None] = mapped_column(String(320))
    author_id: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=Status.PENDING.value)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # When the sweep last (re)queued this pending comment; None until the first enqueue.
    enqueued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The engine's higher score (spam or abuse) from its decision, kept here for the desk's
    # riskiest-first order: 0 until the engine has decided.
    risk: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    # One more with each edit the site sends; a worker's decision stands only for the
    # revision it read (service/store/system_decisions.py), so an edited text is never published
    # on the strength of a check of the text before it.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # An editors' pick (service/store/picks.py): when and by whom ("moderator:<name>"). Only
    # a published comment has one; every change that takes it out of the thread clears both.
    featured_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    featured_by: Mapped[str | None] = mapped_column(String(120))


# The desk's riskiest-first order, walked from the top: no sort of a whole tab.
Index(
    "ix_comments_status_risk", Comment.status, Comment.risk.desc(), Comment.created_at, Comment.id
)
# The same for one site's held comments, so a small site's moderator does not wait while
# SQLite walks a large site's rows; partial, so only held comments pay for it.
Index(
    "ix_comments_held_risk",
    Comment.site_id,
    Comment.risk.desc(),
    Comment.created_at,
    Comment.id,
    sqlite_where=text("status = 'held'"),
    postgresql_where=text("status = 'held'"),
)
# An article's picks, newest first (the thread's featured=true); partial, so only the few
# picked comments pay for it and the read never walks the article's whole thread.
Index(
    "ix_comments_featured",
    Comment.article_id,
    Comment.featured_at,
    Comment.id,
    sqlite_where=text("featured_at IS NOT NULL"),
    postgresql_where=text("featured_at IS NOT NULL"),
)


class CommentSearch(Base):
    """A comment's text as the desk's search matches it (service/folding.py), written with
    the worker's decision. Its trigram index is the database's own and is not declared
    here: an FTS5 table on SQLite, pg_trgm's GIN index on PostgreSQL (migration 0018)."""

    __tablename__ = "comment_search"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    text: Mapped[str] = mapped_column(Text)


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_created", "created_at"),)  # the desk's overview

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    verdict: Mapped[str] = mapped_column(String(16))
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    engine_version: Mapped[str] = mapped_column(String(100), default="")
    decided_by: Mapped[str] = mapped_column(String(120))  # "system" or "moderator:<username>"
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(50))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Ban(Base):
    __tablename__ = "bans"
    __table_args__ = (Index("ix_bans_lookup", "site_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "email", "author" or "ip"
    value: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(50))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TrainingExample(Base):
    """A text a moderator labeled; the learning loop and retraining read these."""

    __tablename__ = "training_examples"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))  # "ham", "spam" or "abuse"
    source: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class SiteModel(Base):
    """A site's own classifier: the seed corpus and its moderators' labels, trained together.

    The worker scores the site's comments with its newest one (workers/site_models.py); the
    blob is a TextModel as `TextModel.to_bytes` wrote it: a pickle, trusted as the database is.
    """

    __tablename__ = "site_models"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(80))
    # The newest training example it learned from: later ones count towards the next retrain.
    last_example_id: Mapped[int] = mapped_column(BigInteger)
    examples: Mapped[int] = mapped_column(Integer)
    # Held-out scores of this model and of the shipped one on the same decisions, if any.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WebhookEvent(Base):
    """An event for a site's webhook, written in the transaction of the decision it announces.

    A delivery job lives in Redis and can be lost (a worker killed just after the commit,
    Redis down or restarted empty); this row cannot. The job sends it and records the
    outcome here; the sweep queues again every waiting event that is due (workers/sweep.py),
    which is also how failed deliveries are retried with backoff.
    """

    __tablename__ = "webhook_events"
    __table_args__ = (
        # Partial: the sweep reads only the few events still waiting, never the delivered.
        Index(
            "ix_webhook_events_due",
            "next_attempt_at",
            sqlite_where=text("state = 'waiting'"),
            postgresql_where=text("state = 'waiting'"),
        ),
        Index("ix_webhook_events_updated", "updated_at"),  # pruning finished events
        # Ids only grow, even after pruning: receivers skip an event_id seen before, and
        # SQLite would otherwise give a pruned newest row's id to the next event.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(40))  # "comment.published", ...
    # waiting, delivered, dropped (stale or no webhook now), refused (no public address),
    # failed (every attempt failed)
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While waiting: the earliest moment of the next attempt (a sending worker pushes it
    # past its deadline first, so the sweep leaves an attempt in flight alone).
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_status: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
