"""Queue cards: a desk item with everything its template shows, built without HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service.models import Ban, Comment
from service.scopes import EVERYTHING, Scope
from service.store import desk_authors, desk_cards
from service.store.bans import bans_on
from service.store.db import Database
from service.ui import render
from service.ui.i18n import translate

REPORT_NOTE_LENGTH = 160


@dataclass
class Card:
    item: desk_cards.DeskItem
    segments: list[render.Segment]
    reasons: list[render.ReasonView]
    scores: list[tuple[str, int]]
    email_hash: str
    article_link: str | None
    author: desk_authors.AuthorSummary | None
    recent: list[Comment] = field(default_factory=list)
    ban_kinds: list[str] = field(default_factory=list)
    banned: dict[str, Ban] = field(default_factory=dict)  # kind: the ban in force on it
    report_reasons: list[tuple[str, int]] = field(default_factory=list)  # (words, count)
    report_notes: list[tuple[str, str, Any]] = field(default_factory=list)  # words, note, when

    @property
    def comment(self) -> Comment:
        return self.item.comment

    @property
    def banned_for_good(self) -> bool:
        return any(ban.expires_at is None for ban in self.banned.values())

    @property
    def banned_until(self) -> datetime | None:
        """When the author's last ban in force ends (None when banned for good or not)."""
        ends = [ban.expires_at for ban in self.banned.values() if ban.expires_at]
        return None if self.banned_for_good or not ends else max(ends)

    @property
    def first_ban_kind(self) -> str:
        """The detail the ban form picks first: one banned already, so banning extends it."""
        return next((k for k in self.ban_kinds if k in self.banned), self.ban_kinds[0])


def _reasons_of(item: desk_cards.DeskItem) -> list[dict[str, Any]]:
    reasons = item.system.reasons if item.system else []
    return [r for r in reasons if isinstance(r, dict)] if isinstance(reasons, list) else []


def report_reason(language: str, code: str) -> str:
    """Put a reader's report reason into words; an unknown one shows as it is."""
    words = translate(language, f"report.{code}")
    return code if words == f"report.{code}" else words


def _report_views(
    item: desk_cards.DeskItem, language: str
) -> tuple[list[tuple[str, int]], list[tuple[str, str, Any]]]:
    if item.reports is None:
        return [], []
    reasons = [(report_reason(language, code), n) for code, n in item.reports.reasons.items()]
    notes = [
        (
            report_reason(language, n.reason),
            render.snippet(n.note, REPORT_NOTE_LENGTH),
            n.created_at,
        )
        for n in item.reports.notes
    ]
    return reasons, notes


def build_cards(
    db: Database,
    items: list[desk_cards.DeskItem],
    language: str,
    secret: str,
    scope: Scope = EVERYTHING,
) -> list[Card]:
    """Build the cards of a page, with every author's history (in the moderator's scope)
    and bans in a few queries."""
    authors = desk_authors.author_summaries(db, [i.comment for i in items], scope)
    bans = bans_on(db, [i.comment for i in items])
    cards = []
    for item in items:
        comment = item.comment
        reasons = _reasons_of(item)
        key = desk_authors.author_key(comment)
        summary = authors.get((comment.site_id, *key)) if key else None
        recent = [c for c in summary.recent if c.id != comment.id][:3] if summary else []
        report_reasons, report_notes = _report_views(item, language)
        cards.append(
            Card(
                item=item,
                segments=render.segments(comment.body, reasons),
                reasons=render.reason_views(reasons, language),
                scores=render.scores_view(item.system.scores if item.system else None),
                email_hash=render.email_hash(comment.author_email, secret),
                article_link=render.safe_link(item.article.url),
                author=summary,
                recent=recent,
                ban_kinds=[
                    kind
                    for kind, value in (
                        ("email", comment.author_email),
                        ("author", comment.author_id),
                        ("ip", comment.ip),
                    )
                    if value
                ],
                banned=bans.get(comment.id, {}),
                report_reasons=report_reasons,
                report_notes=report_notes,
            )
        )
    return cards
