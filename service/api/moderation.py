"""The moderators' API: the queue, decisions one by one or in bulk, bans, history (HTTP
Basic, never a site key). Every action is the desk's own (service/moderation.py)."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.paths import add_converters
from service.auth import require_moderator
from service.context import services
from service.errors import DuyetError
from service.ids import is_id
from service.models import Comment
from service.moderation import BanRequest, ban_author, decide_as_moderator
from service.moderator_schemas import (
    BanDoneOut,
    BanIn,
    BanOut,
    BansArgs,
    BansOut,
    BulkDecisionIn,
    BulkDecisionOut,
    DecisionIn,
    HistoryOut,
    QueueArgs,
    QueueItemOut,
    QueueOut,
)
from service.notices import moderator_note
from service.store import picks
from service.store.accounts import find_site
from service.store.bans import bans_in_force, lift_ban
from service.store.reading import QueueItem, comment_history, moderation_queue

blp = Blueprint(
    "moderation", __name__, url_prefix="/v1/moderation", description="Moderators' queue and actions"
)
blp.record_once(add_converters)  # before the routes below: they use <id:...>
MODERATOR_AUTH: list[dict[str, list[str]]] = [{"moderator": []}]


def item_view(item: QueueItem) -> dict[str, Any]:
    """Return a queue item as the moderator API shows it."""
    comment = item.comment
    return {
        **_private_fields(comment),
        "article": item.article,
        "parent": item.parent,
        "decision": item.decision,
    }


PRIVATE_FIELDS = [
    "id",
    "site_id",
    "author_name",
    "author_email",
    "author_id",
    "ip",
    "body",
    "status",
    "report_count",
    "created_at",
    "featured_at",
    "featured_by",
]


def _private_fields(comment: Comment) -> dict[str, Any]:
    fields = PRIVATE_FIELDS
    return {name: getattr(comment, name) for name in fields}


def _site_filter(slug: str | None) -> tuple[int, ...] | None:
    return (find_site(services().db, slug).id,) if slug else None


@blp.route("/queue")
class Queue(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.arguments(QueueArgs, location="query")
    @blp.response(200, QueueOut)
    def get(self, args: dict[str, Any]) -> Any:
        """List comments that need a human (held by default), oldest first, in the
        moderator's scope."""
        items, next_cursor = moderation_queue(
            services().db,
            status=args["status"],
            site_ids=_site_filter(args["site"]),
            article_external_id=args["article"],
            newest_first=args["order"] == "newest",
            limit=args["limit"],
            cursor=args["cursor"],
            section=args["section"],
            scope=g.scope,
        )
        return {"items": [item_view(i) for i in items], "next_cursor": next_cursor}


def _note(data: dict[str, Any]) -> str:
    """The decision's note: for a reject, its reason first, as the desk writes it."""
    if data["action"] != "reject":
        return str(data["note"])
    return moderator_note(data["reason"], data["note"])


@blp.route("/comments/<id:comment_id>/decision")
class DecisionView(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.arguments(DecisionIn)
    @blp.response(200, QueueItemOut)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any], comment_id: int) -> Any:
        """Approve, reject or mark a comment as spam; recorded in the audit log."""
        outcome = decide_as_moderator(
            services(),
            comment_id,
            data["action"],
            g.moderator.username,
            _note(data),
            expected_status=data["expected_status"],
            scope=g.scope,
        )
        return _private_fields(outcome.comment)


@blp.route("/comments/<id:comment_id>/feature")
class FeatureView(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.response(200, QueueItemOut)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, comment_id: int) -> Any:
        """Feature a published comment (an editors' pick); recorded in the audit log.

        A comment that is not published answers 409 not_published; one featured already
        stays as it was."""
        comment = picks.feature(services().db, comment_id, g.moderator.username, g.scope)
        return _private_fields(comment)

    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.response(200, QueueItemOut)
    def delete(self, comment_id: int) -> Any:
        """Take a comment's pick away; recorded in the audit log (none: nothing changes)."""
        comment = picks.unfeature(services().db, comment_id, g.moderator.username, g.scope)
        return _private_fields(comment)


@blp.route("/comments/<id:comment_id>")
class History(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.response(200, HistoryOut)
    def get(self, comment_id: int) -> Any:
        """Show a comment with every decision and audit entry about it."""
        comment, decisions, entries = comment_history(services().db, comment_id, g.scope)
        return {"comment": _private_fields(comment), "decisions": decisions, "audit": entries}


@blp.route("/decisions")
class BulkDecisions(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.arguments(BulkDecisionIn)
    @blp.response(200, BulkDecisionOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Apply one action to many comments; each is decided, or refused, on its own (a
        comment out of scope is refused as not found)."""
        done, failed = [], []
        for comment_id, expected in _each_once(data["comments"]).items():
            try:
                status = _decide(comment_id, data["action"], _note(data), expected)
            except DuyetError as exc:
                failed.append({"id": comment_id, "code": exc.code, "message": exc.message})
            else:
                done.append({"id": comment_id, "status": status})
        return {"done": done, "failed": failed}


def _decide(comment_id: int, action: str, note: str, expected: str | None) -> str:
    outcome = decide_as_moderator(
        services(), comment_id, action, g.moderator.username, note, expected, g.scope
    )
    return str(outcome.comment.status)


def _each_once(comments: list[dict[str, Any]]) -> dict[int, str | None]:
    """Each comment id with its expected status, the first time it is given."""
    each: dict[int, str | None] = {}
    for item in comments:
        each.setdefault(item["id"], item["expected_status"])
    return each


@blp.route("/comments/<id:comment_id>/ban")
class BanView(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.arguments(BanIn)
    @blp.response(200, BanDoneOut)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, data: dict[str, Any], comment_id: int) -> Any:
        """Ban a comment's author on its site by email, author id or IP, for 1, 7 or 30 days
        or for good; with `reject`, reject the comment first. Audited. By an IP the site has
        forgotten (its forget_reader_network_after_days): 409, nothing banned or rejected."""
        banned = ban_author(
            services(), comment_id, BanRequest(**data), g.moderator.username, g.scope
        )
        return {
            "comment_id": comment_id,
            "done": banned.outcome.done,
            "status": banned.rejected,
            "ban": banned.outcome.ban,
        }


@blp.route("/bans")
class Bans(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.arguments(BansArgs, location="query")
    @blp.response(200, BansOut)
    def get(self, args: dict[str, Any]) -> Any:
        """List the bans in force on the moderator's sites, newest first."""
        bans, before = bans_in_force(
            services().db,
            g.scope.sites_within(_site_filter(args["site"])),
            args["kind"],
            args["limit"],
            _ban_cursor(args["cursor"]),
        )
        return {"bans": bans, "next_cursor": str(before) if before is not None else None}


def _ban_cursor(raw: str | None) -> int | None:
    if raw is None:
        return None
    cursor = int(raw) if raw.isascii() and raw.isdecimal() else None
    if not is_id(cursor):
        raise DuyetError("cursor is not one this API gave", {"cursor": ["Unknown cursor."]})
    return cursor


@blp.route("/bans/<id:ban_id>")
class BanLift(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.response(200, BanOut)
    def delete(self, ban_id: int) -> Any:
        """End a ban now; it stays on record with its new end. Audited."""
        return lift_ban(services().db, ban_id, f"moderator:{g.moderator.username}", g.scope)
