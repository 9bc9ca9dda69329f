"""The moderators' API: the queue, decisions, history (HTTP Basic, never a site key)."""

from __future__ import annotations

from typing import Any

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from service.api.paths import add_converters
from service.auth import require_moderator
from service.context import services
from service.models import Comment
from service.moderation import decide_as_moderator
from service.notices import moderator_note
from service.schemas import DecisionIn, HistoryOut, QueueArgs, QueueItemOut, QueueOut
from service.store.accounts import find_site
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


@blp.route("/comments/<id:comment_id>")
class History(MethodView):
    @require_moderator
    @blp.doc(security=MODERATOR_AUTH)
    @blp.response(200, HistoryOut)
    def get(self, comment_id: int) -> Any:
        """Show a comment with every decision and audit entry about it."""
        comment, decisions, entries = comment_history(services().db, comment_id, g.scope)
        return {"comment": _private_fields(comment), "decisions": decisions, "audit": entries}
