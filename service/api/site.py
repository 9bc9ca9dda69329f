"""The public API a news site's backend calls with its key: comments, threads, articles."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from service import comment_counts
from service.api import threads
from service.api.hot_path import comment_json, documented_arguments, json_arguments
from service.api.paths import ARTICLE_RULE, add_converters, checked_article_id
from service.auth import require_site
from service.context import services
from service.errors import DuyetError
from service.limits import deferred_limits
from service.models import Comment, Status
from service.schemas import (
    ArticleIn,
    ArticleOut,
    CommentEditIn,
    CommentIn,
    CommentStatusOut,
    CountsArgs,
    CountsOut,
    ReportIn,
    ReportOut,
    ThreadArgs,
    ThreadOut,
)
from service.store import articles
from service.store import comments as store
from service.store.db import Database
from service.store.new_comments import NewComment, StoredComment
from service.store.picks import picks_page
from service.store.reading import ThreadNode, comment_notice, published_thread

blp = Blueprint("site", __name__, url_prefix="/v1", description="The news site's backend")
blp.record_once(add_converters)  # before the routes below: they use <id:...>, <article:...>
SITE_AUTH: list[dict[str, list[str]]] = [{"siteKey": []}]
IDEMPOTENCY_KEY_LENGTH = 200
IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_LENGTH},
    "description": (
        "Repeat a submission safely: the same key with the same comment returns that comment;"
        " a different comment under a used key is refused (422 idempotency_key_reused)."
    ),
}


def comment_view(comment: Comment | StoredComment, article_external_id: str) -> dict[str, Any]:
    """Return the public fields of a comment (a deleted one keeps only its place)."""
    deleted = comment.status == Status.DELETED.value
    return {
        "id": comment.id,
        "article_id": article_external_id,
        "parent_id": comment.parent_id,
        "status": comment.status,
        "author_name": "" if deleted else comment.author_name,
        "body": None if deleted else comment.body,
        "created_at": comment.created_at,
    }


def comment_status(
    db: Database, comment: Comment | StoredComment, article_external_id: str
) -> dict[str, Any]:
    """The comment as its own site sees it (CommentStatusOut): public fields and the notice
    for its author."""
    notice = comment_notice(db, comment.id, comment.status, comment.body)
    return {**comment_view(comment, article_external_id), "notice": notice}


def comment_body(
    db: Database, comment: Comment | StoredComment, article_external_id: str
) -> dict[str, Any]:
    """The accepted comment as intake answers it, its time in ISO form (no schema on the way)."""
    view = comment_status(db, comment, article_external_id)
    created = view["created_at"]
    return {**view, "created_at": created.isoformat() if created else None}


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= IDEMPOTENCY_KEY_LENGTH:
        raise DuyetError(f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_LENGTH} characters")
    return key


COMMENT_IN = CommentIn()


@blp.route("/comments")
class Comments(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH, parameters=[IDEMPOTENCY_HEADER])
    @documented_arguments(blp, CommentIn)
    @blp.response(202, CommentStatusOut)
    def post(self) -> Any:
        """Accept a comment for moderation; it is stored before this answer."""
        new = NewComment(**json_arguments(COMMENT_IN))
        svc = services()
        comment, _ = svc.intake.submit(
            g.site_id, new, _idempotency_key(), g.get("request_id"), deferred_limits()
        )
        return comment_json(comment_body(svc.db, comment, new.article_id), 202)


@blp.route("/comments/<id:comment_id>")
class CommentById(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH)
    @blp.response(200, CommentStatusOut)
    def get(self, comment_id: int) -> Any:
        """Show a comment's status, public fields, and what to tell its author."""
        db = services().db
        comment, article = store.get_comment(db, g.site_id, comment_id)
        return comment_status(db, comment, article.external_id)

    @require_site
    @blp.doc(security=SITE_AUTH)
    @blp.arguments(CommentEditIn)
    @blp.response(202, CommentStatusOut)
    @blp.alt_response(200, schema=CommentStatusOut, description="The same text: nothing changed")
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, data: dict[str, Any], comment_id: int) -> Any:
        """Replace a comment's text at its author's request: it is checked again, and out
        of the published thread until then (an edit cannot slip past moderation)."""
        svc = services()
        edited = store.edit_comment(svc.db, g.site_id, comment_id, data["body"])
        if edited.needs_check:  # a pending one has its job; the sweep covers a lost enqueue
            svc.queue.moderate([comment_id], g.get("request_id"))
        if edited.webhook_event is not None:
            svc.queue.webhook(edited.webhook_event)
        view = comment_status(svc.db, edited.comment, edited.article_external_id)
        return view, 202 if edited.changed else 200

    @require_site
    @blp.doc(security=SITE_AUTH)
    @blp.response(200, CommentStatusOut)
    def delete(self, comment_id: int) -> Any:
        """Erase a comment at its author's request; a tombstone keeps its replies' place."""
        db = services().db
        comment = store.delete_comment(db, g.site_id, comment_id, "site")
        _, article = store.get_comment(db, g.site_id, comment_id)
        return comment_status(db, comment, article.external_id)


@blp.route("/comments/<id:comment_id>/reports")
class Reports(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH)
    @blp.arguments(ReportIn)
    @blp.response(201, ReportOut)
    def post(self, data: dict[str, Any], comment_id: int) -> Any:
        """Forward a reader's report; enough reports send the comment back to review."""
        comment = store.report_comment(
            services().db, g.site_id, comment_id, data["reason"], data["note"]
        )
        return {"id": comment.id, "status": comment.status, "report_count": comment.report_count}


@blp.route("/articles/<article:article_id>", **ARTICLE_RULE)
class Articles(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH)
    @blp.arguments(ArticleIn)
    @blp.response(200, ArticleOut)
    def put(self, data: dict[str, Any], article_id: str) -> Any:
        """Create or update an article: title, URL, section, open or closed, pre-moderation."""
        article_id = checked_article_id(article_id)
        return articles.put_article(services().db, g.site_id, article_id, **data)


def _node_view(node: ThreadNode, article_external_id: str) -> dict[str, Any]:
    view = comment_view(node.comment, article_external_id)
    view["featured"] = node.comment.featured_at is not None
    view["replies"] = [_node_view(reply, article_external_id) for reply in node.replies]
    return view


NOT_MODIFIED = "Not modified since the ETag given in If-None-Match"


def not_modified(etag: str) -> Response | None:
    """A 304 if the request's If-None-Match names the ETag, else None."""
    # Weak comparison, as RFC 9110 asks of If-None-Match: a proxy that compresses the
    # page marks our ETag weak (W/"..."), and the page under it is still the same.
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    response.set_etag(etag)
    return response


def tagged(body: bytes | str, etag: str) -> Response:
    """A JSON answer under its ETag, which a reader's cache must check before each use."""
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    return Response(body, 200, headers, mimetype="application/json")


@blp.route("/articles/<article:article_id>/comments", **ARTICLE_RULE)
class Thread(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH)
    @documented_arguments(blp, ThreadArgs, location="query")
    @blp.response(200, ThreadOut)
    @blp.alt_response(304, description=NOT_MODIFIED)
    def get(self, article_id: str) -> Any:
        """List an article's published comments, threaded, paged by cursor, with an ETag.

        With featured=true: only the editors' picks, each without its replies."""
        args = threads.thread_args()
        article_id = checked_article_id(article_id)
        svc = services()
        etag = threads.page_etag(*svc.thread_versions.lookup(svc.db, g.site_id, article_id), args)
        if (unchanged := not_modified(etag)) is not None:
            return unchanged
        return tagged(
            threads.page_of(svc.redis, etag, lambda: render_thread(article_id, args)), etag
        )


def render_thread(article_id: str, args: dict[str, Any]) -> str:
    """Render one page of an article's thread as JSON (g.site_id names the site)."""
    svc = services()
    article = articles.get_article(svc.db, g.site_id, article_id)
    newest_first, limit, cursor = args["order"] == "newest", args["limit"], args["cursor"]
    listed = picks_page if args["featured"] else published_thread
    page = listed(svc.db, article, newest_first, limit, cursor)
    body = {
        "article": article,
        "comments": [_node_view(node, article_id) for node in page.roots],
        "next_cursor": page.next_cursor,
    }
    rendered = ThreadOut().dump(body)
    versions = {article_id: (article.id, article.thread_version)}
    counted = comment_counts.counts_of(svc.redis, svc.db, g.site_id, versions)
    rendered["article"]["comment_count"] = counted[article_id]  # ThreadArticle documents it
    return current_app.json.dumps(rendered)


# A static path: werkzeug matches it before the <article:...> rules, whatever the order.
@blp.route("/articles/comment-counts")
class CommentCounts(MethodView):
    @require_site
    @blp.doc(security=SITE_AUTH)
    @documented_arguments(blp, CountsArgs, location="query")
    @blp.response(200, CountsOut)
    @blp.alt_response(304, description=NOT_MODIFIED)
    def get(self) -> Any:
        """Count the published comments of many articles at once (an article list's page)."""
        external_ids = threads.counted_ids()  # a repeated id counts once
        svc = services()
        versions = svc.thread_versions.lookup_many(svc.db, g.site_id, external_ids)
        etag = comment_counts.counts_etag(external_ids, versions)
        if (unchanged := not_modified(etag)) is not None:
            return unchanged
        counted = comment_counts.counts_of(svc.redis, svc.db, g.site_id, versions)
        # CountsOut's shape, already: a schema dump would copy 100 pairs for nothing.
        counts = {external_id: counted.get(external_id, 0) for external_id in external_ids}
        return tagged(current_app.json.dumps({"counts": counts}), etag)
