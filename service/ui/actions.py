"""The desk's JSON actions (session + CSRF): decide, bulk decide, undo, ban, lift a ban.

Each goes through the same store functions as the moderation API, which audit every change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import jsonify, render_template, request, url_for

from service.context import services
from service.errors import Conflict, DuyetError
from service.ids import is_id
from service.models import Status
from service.moderation import BAN_DAYS, BAN_KINDS, BanRequest, ban_author, decide_as_moderator
from service.notices import moderator_note
from service.store import desk_cards, desk_queue
from service.store.bans import BAN_EXTENDED, BAN_NEW, BanOutcome, bans_for, lift_ban
from service.store.moderator_decisions import StaleStatus, Undone, UndoRefused, undo_decision
from service.ui import i18n
from service.ui.blueprint import (
    bp,
    current_user,
    language,
    login_required,
    t,
    user_scope,
    when,
)
from service.ui.cards import build_cards
from service.ui.pages import queue_filter, reject_options

ACTIONS = ("approve", "reject", "spam")
STATUSES = tuple(status.value for status in Status)
MAX_BULK = 200
# The page offers undo for 10 seconds; the server allows a little more for a slow network.
UNDO_WINDOW = timedelta(seconds=15)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DuyetError("send a JSON object")
    return data


def _action(data: dict[str, Any]) -> str:
    action = data.get("action")
    if action not in ACTIONS:
        raise DuyetError("action must be approve, reject or spam", {"action": ["Unknown."]})
    return str(action)


MAX_NOTE = 1000


def _note(action: str, data: dict[str, Any]) -> str:
    """The decision's note: a reject's reason from the list, then the moderator's own words."""
    raw = data.get("note")
    words = " ".join(raw.split())[:MAX_NOTE] if isinstance(raw, str) else ""
    if action != "reject":
        return words
    reason = data.get("reason")
    if reason not in i18n.REJECT_REASONS:
        reason = i18n.REJECT_REASONS[0]
    return moderator_note(reason, words)


def _ids(data: dict[str, Any]) -> list[int]:
    raw = data.get("ids")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_BULK:
        raise DuyetError(f"ids must list 1 to {MAX_BULK} comment ids")
    # Every id is checked before any is acted on: a bad one late in the list must not
    # leave the ones before it decided.
    if not all(is_id(i) for i in raw):
        raise DuyetError("ids must be comment ids: whole numbers from 1 to 2**63 - 1")
    return list(dict.fromkeys(raw))


def _expected(raw: Any) -> str | None:
    """The status the moderator's card showed, if the page sent it."""
    if raw is not None and raw not in STATUSES:
        raise DuyetError(
            "expected_status must be a comment status", {"expected_status": ["Unknown."]}
        )
    return raw  # type: ignore[no-any-return]


def _expected_each(data: dict[str, Any]) -> dict[str, str | None]:
    """Each bulk id's expected status: {"<id>": "<status>"}, for the ids that carry one."""
    raw = data.get("expected_status") or {}
    if not isinstance(raw, dict):
        raise DuyetError("expected_status must map comment ids to statuses")
    return {str(key): _expected(value) for key, value in raw.items()}


def _decide(comment_id: int, action: str, note: str, expected: str | None = None) -> dict[str, Any]:
    try:
        outcome = decide_as_moderator(
            services(), comment_id, action, current_user().username, note, expected, user_scope()
        )
    except StaleStatus as exc:
        raise _stale(exc.current) from exc
    return {"id": comment_id, "status": outcome.comment.status}


def _stale(current: str) -> Conflict:
    """Another moderator decided the comment meanwhile, said in the moderator's language."""
    return Conflict(t("action.stale", status=t(f"status.{current}")))


def _counts() -> dict[str, int]:
    """Count the tabs under the page's own filters (site, article, reason), as the page did."""
    data = request.get_json(silent=True)
    raw = data.get("filters") if isinstance(data, dict) else None
    given = {k: v for k, v in raw.items() if isinstance(v, str)} if isinstance(raw, dict) else {}
    try:
        f, _, _ = queue_filter(given)
    except DuyetError:  # a site gone since the page was drawn: count them all
        f = desk_queue.QueueFilter(scope=user_scope())
    return desk_queue.tab_counts(services().db, f)


@bp.post("/api/comments/<id:comment_id>/decision")
@login_required
def decide(comment_id: int) -> Any:
    """Approve, reject (with a reason from the list) or mark one comment as spam."""
    data = _body()
    action = _action(data)
    expected = _expected(data.get("expected_status"))
    done = _decide(comment_id, action, _note(action, data), expected)
    return jsonify({**done, "counts": _counts()})


@bp.get("/api/comments/<id:comment_id>/card")
@login_required
def card(comment_id: int) -> Any:
    """Render one comment's card as it stands now, for the desk to replace a stale one."""
    svc, scope = services(), user_scope()
    item = desk_cards.desk_item(svc.db, comment_id, scope)
    built = build_cards(svc.db, [item], language(), svc.settings.secret_key, scope)
    return render_template(
        "_card.html", card=built[0], cards=built, reject_options=reject_options()
    )


@bp.post("/api/bulk")
@login_required
def bulk() -> Any:
    """Apply one action to many comments; each succeeds or fails on its own."""
    data = _body()
    action = _action(data)
    note = _note(action, data)
    expected = _expected_each(data)
    done, failed = [], []
    for comment_id in _ids(data):
        try:
            done.append(_decide(comment_id, action, note, expected.get(str(comment_id))))
        except DuyetError as exc:
            failed.append({"id": comment_id, "code": exc.code, "message": exc.message})
    return jsonify({"done": done, "failed": failed, "counts": _counts()})


@bp.post("/api/undo")
@login_required
def undo() -> Any:
    """Take back this moderator's latest action on each comment, within seconds."""
    data = _body()
    svc = services()
    restored, failed = [], []
    for comment_id in _ids(data):
        try:
            undone = undo_decision(
                svc.db, comment_id, current_user().username, UNDO_WINDOW, user_scope()
            )
        except UndoRefused as exc:  # said in the moderator's language
            failed.append({"id": comment_id, "code": exc.code, "message": t(f"undo.{exc.why}")})
            continue
        except DuyetError as exc:
            failed.append({"id": comment_id, "code": exc.code, "message": exc.message})
            continue
        if undone.webhook_event is not None:
            svc.queue.webhook(undone.webhook_event)
        restored.append({"id": comment_id, "status": undone.comment.status, **_ban_stays(undone)})
    return jsonify({"restored": restored, "failed": failed, "counts": _counts()})


def _ban_stays(undone: Undone) -> dict[str, str]:
    """Say so when the comment's author is still banned: undo puts back a comment, not a ban."""
    c = undone.comment
    details = [("email", c.author_email or ""), ("author", c.author_id or ""), ("ip", c.ip or "")]
    if not bans_for(services().db, c.site_id, details):
        return {}
    return {
        "ban_stays": t("undo.ban_stays", id=c.id, page=t("card.open_author")),
        "author_page": url_for("desk.author_page", comment=c.id),
    }


@bp.post("/api/comments/<id:comment_id>/ban")
@login_required
def ban(comment_id: int) -> Any:
    """Ban the author of a comment by email, author id or IP, for some days or for good."""
    data = _body()
    kind, days = data.get("kind"), data.get("days", 0)
    if kind not in BAN_KINDS:
        raise DuyetError("kind must be email, author or ip", {"kind": ["Unknown."]})
    if days not in BAN_DAYS:
        raise DuyetError("days must be one of 1, 7, 30 or 0 (for good)", {"days": ["Unknown."]})
    asked = BanRequest(
        kind=kind,
        days=days,
        note=str(data.get("note") or "")[:500],
        reject=data.get("reject") is True,
        expected_status=_expected(data.get("expected_status")),
    )
    try:
        banned = ban_author(services(), comment_id, asked, current_user().username, user_scope())
    except StaleStatus as exc:
        raise _stale(exc.current) from exc
    answer: dict[str, Any] = {
        "id": comment_id,
        "ban_id": banned.outcome.ban.id,
        "ban": banned.outcome.done,
        "until": i18n.iso_time(banned.outcome.ban.expires_at) or None,
        "message": _ban_words(comment_id, banned.outcome),
        "status": banned.rejected,
    }
    return jsonify({**answer, "counts": _counts()})


def _ban_words(comment_id: int, banned: BanOutcome) -> str:
    """Say what banning did, in the moderator's language: a new ban, or the one already in
    force extended or left as it was."""
    until = banned.ban.expires_at
    if banned.done == BAN_NEW:
        return t("action.done.ban", id=comment_id)
    if banned.done == BAN_EXTENDED:
        key = "ban.extended" if until else "ban.extended_forever"
        return t(key, id=comment_id, before=when(banned.until_before), until=when(until))
    key = "ban.kept" if until else "ban.kept_forever"
    return t(key, id=comment_id, until=when(until))


@bp.post("/api/bans/<id:ban_id>/lift")
@login_required
def lift(ban_id: int) -> Any:
    """End a ban now."""
    actor = f"moderator:{current_user().username}"
    ended = lift_ban(services().db, ban_id, actor, user_scope())
    return jsonify({"ban_id": ended.id, "lifted": True})
