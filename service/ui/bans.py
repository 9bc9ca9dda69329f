"""The bans in force on the moderator's sites, newest first, each with its lift button:
who is kept out, by which detail, until when, by whom and why."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for

from service.context import services
from service.ids import parse_id
from service.models import Ban
from service.moderation import BAN_KINDS
from service.store import accounts
from service.store.bans import bans_in_force
from service.ui import render
from service.ui.blueprint import bp, login_required, user_scope

PAGE_SIZE = 50


@bp.get("/bans")
@login_required
def bans() -> Any:
    """List the bans in force, filtered by site and detail, with a button to lift each."""
    db, scope = services().db, user_scope()
    sites = [s for s in accounts.list_sites(db) if scope.admits_site(s.id)]
    site = next((s for s in sites if s.slug == request.args.get("site")), None)
    kind = request.args.get("kind") if request.args.get("kind") in BAN_KINDS else None
    found, before = bans_in_force(
        db,
        (site.id,) if site else scope.site_ids,
        kind,
        PAGE_SIZE,
        parse_id(request.args.get("cursor", "")),
    )
    return render_template(
        "bans.html",
        bans=found,
        sites=sites,
        site_names={s.id: s.name or s.slug for s in sites},
        chosen_site=site.slug if site else "",
        chosen_kind=kind or "",
        kinds=BAN_KINDS,
        detail=_detail,
        next_link=_next_link(site.slug if site else None, kind, before),
    )


def _detail(ban: Ban) -> str:
    """What the page shows of the banned detail: an email only as its keyed hash, as on
    the cards, so the author is recognisable and the address is not on screen."""
    if ban.kind == "email":
        return render.email_hash(ban.value, services().settings.secret_key)
    return ban.value


def _next_link(site: str | None, kind: str | None, before: int | None) -> str | None:
    if before is None:
        return None
    query = {k: v for k, v in (("site", site), ("kind", kind)) if v}
    return url_for("desk.bans") + "?" + urlencode({**query, "cursor": before})
