"""The moderator's desk: server-rendered pages under /mod/ (templates, a little plain JS)."""

from __future__ import annotations

from flask import Flask


def init_desk(app: Flask) -> None:
    """Register the desk's blueprint and its session cookie settings on the app."""
    from service.ui import actions, admin, bans, moderators, overview, pages  # noqa: F401 (routes)
    from service.ui.blueprint import bp, configure_sessions

    configure_sessions(app)
    app.register_blueprint(bp)
