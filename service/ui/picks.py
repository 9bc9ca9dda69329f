"""The desk's editors' picks: a form on a published comment's card features it or takes its
pick away (session + CSRF, as every desk form); the store audits both."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request

from service.context import services
from service.store import picks
from service.ui.blueprint import bp, current_user, login_required, safe_next, t, user_scope


@bp.post("/comments/<id:comment_id>/feature")
@login_required
def feature_comment(comment_id: int) -> Any:
    """Feature a published comment (featured=1) or take its pick away (featured=0)."""
    db, moderator, scope = services().db, current_user().username, user_scope()
    try:
        if request.form.get("featured") == "0":
            picks.unfeature(db, comment_id, moderator, scope)
        else:
            picks.feature(db, comment_id, moderator, scope)
    except picks.NotPublished as refused:  # a stale card: it left the thread meanwhile
        status = t(f"status.{refused.current}")
        message = t("pick.not_published", id=comment_id, status=status)
        return render_template("error.html", message=message), 409
    return redirect(safe_next(request.form.get("next")))
