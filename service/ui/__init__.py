"""The moderator's desk: server-rendered pages under /mod/ (templates, a little plain JS)."""

from __future__ import annotations

from flask import Flask


def init_desk(app: Flask) -> None:
    """Register the desk's blueprint and its session cookie settings on the app."""
    # Imported for the routes they add to the blueprint.
    from service.ui import actions, admin, bans, moderators, overview, pages, picks  # noqa: F401
    from service.ui.blueprint import bp, configure_sessions

    configure_sessions(app)
    app.register_blueprint(bp)
