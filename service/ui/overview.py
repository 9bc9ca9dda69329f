"""The desk's overview: what the engine and the moderators did in the last day and week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import render_template, request

from service.context import services
from service.models import utcnow
from service.store import overview as figures
from service.store.accounts import find_site
from service.store.overview import ENGINE_VERDICTS, Period
from service.ui import i18n
from service.ui.blueprint import bp, login_required, user_scope
from service.ui.pages import scoped_sites

PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7)}

Figure = Callable[[Period], int]
Row = tuple[str, list[tuple[int, float | None]]]  # (label key, (count, share) per period)


@bp.get("/overview")
@login_required
def overview() -> Any:
    """Show each period's figures for every site or one, and what waits for a moderator."""
    db = services().db
    slug = (request.args.get("site") or "").strip()[:64]
    scope = user_scope()
    within = scope.sites_within((find_site(db, slug).id,) if slug else None)
    site_ids = list(within) if within is not None else None
    now = utcnow()
    periods = {
        name: figures.period(db, site_ids, now - span, scope) for name, span in PERIODS.items()
    }
    return render_template(
        "overview.html",
        rows=rows(list(periods.values())),
        period_names=list(periods),
        waiting=figures.waiting(db, site_ids, scope=scope),
        held_for=figures.held_for(db, site_ids, now - PERIODS["week"], scope),
        reason_codes=i18n.REASON_CODES,
        sites=scoped_sites(db),
        site=slug,
    )


def rows(periods: list[Period]) -> list[Row]:
    """The table's rows; a share is of the count it is a part of, None when that is 0."""

    def row(key: str, value: Figure, whole: Figure | None = None) -> Row:
        cells = []
        for p in periods:
            n, of = value(p), whole(p) if whole else 0
            cells.append((n, n / of if of else None))
        return key, cells

    def engine(verdict: str) -> Figure:
        return lambda p: p.decided(verdict)

    return [
        row("received", lambda p: p.received),
        *(row(f"engine.{v}", engine(v), lambda p: p.decided_by_engine) for v in ENGINE_VERDICTS),
        row("held_then_approved", lambda p: p.held_then_approved, engine("hold")),
        row("held_then_kept_out", lambda p: p.held_then_kept_out, engine("hold")),
        row("published_then_removed", lambda p: p.published_then_removed, engine("approve")),
        row("kept_out_then_approved", lambda p: p.kept_out_then_approved, lambda p: p.kept_out),
    ]
