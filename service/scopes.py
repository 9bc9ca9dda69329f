"""Which comments a moderator may see and act on: the one rule, for queries and for one comment.

A moderator's scope (`Moderator.scope`) is `{"sites": [slug, ...], "sections": [name, ...]}`;
a missing or empty list is "all", a null scope is everything, and an admin always has
everything. A comment is in scope when its site is one of `sites` (if they are restricted)
and its article's section is one of `sections` (if they are restricted: an article with no
section is then out of scope). Every moderator path narrows its queries with
`comment_conditions` or checks one comment with `Scope.admits`; a comment out of scope
answers exactly like a missing one, so its existence does not leak.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from service.models import Article, Comment, Site

SECTION_LENGTH = 100  # articles.section's width


@dataclass(frozen=True)
class Scope:
    """A moderator's sites (by id, and by slug for the desk's words) and sections."""

    site_ids: tuple[int, ...] | None = None  # None: every site
    sections: tuple[str, ...] | None = None  # None: every section, and articles without one
    site_slugs: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return self.site_ids is None and self.sections is None

    def admits(self, site_id: int, section: str | None) -> bool:
        """Tell whether a comment of this site, on an article of this section, is in scope."""
        if self.site_ids is not None and site_id not in self.site_ids:
            return False
        return self.sections is None or section in self.sections

    def admits_site(self, site_id: int) -> bool:
        """Tell whether this site is in scope (a ban is per site)."""
        return self.site_ids is None or site_id in self.site_ids

    def sites_within(self, chosen: tuple[int, ...] | None) -> tuple[int, ...] | None:
        """The sites a filter's choice leaves in scope (None: every site)."""
        if self.site_ids is None:
            return chosen
        if chosen is None:
            return self.site_ids
        return tuple(site_id for site_id in chosen if site_id in self.site_ids)


EVERYTHING = Scope()


def section_name(raw: str) -> str:
    """A section as stored and compared: NFC, without surrounding whitespace."""
    return unicodedata.normalize("NFC", raw).strip()


def valid_section(name: str) -> bool:
    """Tell whether a section name can be stored: 1 to 100 printable characters, trimmed."""
    named = section_name(name)
    return 1 <= len(named) <= SECTION_LENGTH and named.isprintable()


def stored_lists(raw: Any) -> tuple[list[str], list[str]]:
    """The sites' slugs and the sections of a stored scope (empty lists: all)."""
    if not isinstance(raw, dict):
        return [], []
    sites, sections = raw.get("sites"), raw.get("sections")
    return (
        [s for s in sites if isinstance(s, str)] if isinstance(sites, list) else [],
        [section_name(s) for s in sections if isinstance(s, str)]
        if isinstance(sections, list)
        else [],
    )


def scope_value(sites: Iterable[str], sections: Iterable[str]) -> dict[str, list[str]] | None:
    """What `Moderator.scope` stores for these lists; None when neither restricts."""
    site_list = sorted(set(sites))
    section_list = sorted({section_name(s) for s in sections})
    if not site_list and not section_list:
        return None
    return {"sites": site_list, "sections": section_list}


def scope_of(role: str, raw: Any, site_ids_by_slug: dict[str, int]) -> Scope:
    """A moderator's scope, its sites' slugs resolved to ids (an unknown slug names none)."""
    if role == "admin":
        return EVERYTHING
    slugs, sections = stored_lists(raw)
    site_ids = tuple(site_ids_by_slug[s] for s in slugs if s in site_ids_by_slug)
    return Scope(
        site_ids=site_ids if slugs else None,
        sections=tuple(sections) if sections else None,
        site_slugs=tuple(slugs),
    )


def comment_conditions(
    scope: Scope, section: str | None = None, site_ids: tuple[int, ...] | None = None
) -> list[ColumnElement[bool]]:
    """What narrows a query on comments to the scope and, if given, to one section.

    Nothing at all for everything and no section, so the unscoped queries stay as they
    were. A section restriction is an `article_id IN (...)` over `ix_articles_site_section`,
    its sites named (those of the scope or the filter, else every site's id), so the
    index's leading column is always given; `site_ids` is the filter's own choice of sites.
    """
    conditions: list[ColumnElement[bool]] = []
    if scope.site_ids is not None:
        conditions.append(Comment.site_id.in_(scope.site_ids))
    sections = scope.sections
    if section is not None:
        sections = (section,) if sections is None or section in sections else ()
    if sections is None:
        return conditions
    if not sections:
        return [*conditions, false()]
    sites = scope.sites_within(site_ids)
    of_sites = Article.site_id.in_(sites if sites is not None else select(Site.id))
    # Not correlated: the query it narrows may join articles itself (the article filter).
    articles = select(Article.id).where(of_sites, Article.section.in_(sections)).correlate(None)
    return [*conditions, Comment.article_id.in_(articles)]


def comment_in_scope(s: Session, comment: Comment, scope: Scope) -> bool:
    """The check for one comment: its site and (when sections are restricted) its article's."""
    if scope.everything:
        return True
    section = None
    if scope.sections is not None:
        section = s.scalar(select(Article.section).where(Article.id == comment.article_id))
    return scope.admits(comment.site_id, section)
