"""The desk's pages: sign in and out, preferences, the queue, comment and author history."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Response, g, redirect, render_template, request, session, url_for

from service import auth
from service.context import services
from service.errors import DuyetError, NotFound
from service.ids import parse_id
from service.models import utcnow
from service.scopes import section_name, valid_section
from service.store import (
    accounts,
    desk_authors,
    desk_cards,
    desk_queue,
    desk_search,
    moderator_accounts,
    retention,
)
from service.store.accounts import find_site
from service.store.bans import bans_for
from service.store.reading import comment_history
from service.ui import i18n, render, text_search
from service.ui.blueprint import (
    bp,
    csrf_token,
    current_user,
    language,
    login_required,
    safe_next,
    t,
    user_scope,
)
from service.ui.cards import build_cards

PAGE_SIZE = 25
_REASON_CODE = re.compile(r"^[a-z0-9_.-]{1,60}$")


@bp.get("/")
def index() -> Response:
    """Open the queue."""
    return redirect(url_for("desk.queue"))  # type: ignore[return-value]


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Show the sign-in form, or sign a moderator in."""
    next_url = request.values.get("next", "")
    if request.method == "GET":
        notice = t("login.logged_out") if request.args.get("bye") else None
        return render_template("login.html", next_url=next_url, error=None, notice=notice)
    username = request.form.get("username", "").strip()[:100]
    password = request.form.get("password", "")[:500]
    account = auth.verify_login(username, password) if username and password else None
    if account is None:
        page = render_template("login.html", next_url=next_url, error=t("login.failed"))
        return page, 401
    keep = {k: session[k] for k in ("lang", "tz") if k in session}
    session.clear()  # a fresh session (and CSRF token) for the signed-in moderator
    session.update(keep)
    session.permanent = True
    session["mid"] = account.id
    session["user"] = account.username
    session["epoch"] = account.session_epoch
    csrf_token()
    return redirect(safe_next(next_url))


@bp.post("/logout")
def logout() -> Any:
    """Sign out: end the account's sessions on the server, then forget this one.

    Clearing the cookie alone left any copy of it valid until it expired.
    """
    user = g.get("desk_user")
    if user is not None:
        moderator_accounts.end_sessions(services().db, user.id)
    keep = {k: session[k] for k in ("lang", "tz") if k in session}
    session.clear()
    session.update(keep)
    return redirect(url_for("desk.login", bye=1))


@bp.post("/prefs")
def prefs() -> Any:
    """Choose the language and time zone of the desk."""
    chosen = request.form.get("lang")
    if chosen in i18n.LANGUAGES:
        session["lang"] = chosen
    zone = request.form.get("tz")
    if zone in i18n.TIMEZONES:
        session["tz"] = zone
    return redirect(safe_next(request.form.get("next")))


def queue_filter(args: Any) -> tuple[desk_queue.QueueFilter, str, str | None]:
    """The queue's filter, order and cursor from a page's arguments (the actions' counts
    read the same), within the moderator's scope."""
    tab = args.get("tab", "held")
    tab = tab if tab in desk_queue.TABS else "held"
    order = args.get("order", "oldest")
    order = order if order in desk_queue.ORDERS else "oldest"
    site_slug = (args.get("site") or "").strip()
    site_ids = (find_site(services().db, site_slug[:64]).id,) if site_slug else None
    article = (args.get("article") or "").strip()[:200] or None
    reason = (args.get("reason") or "").strip()
    cursor = (args.get("cursor") or "").strip()[:400] or None
    section = section_name(args.get("section") or "")
    f = desk_queue.QueueFilter(
        tab,
        site_ids,
        article,
        reason if _REASON_CODE.match(reason) else None,
        section=section if valid_section(section) else None,
        scope=user_scope(),
    )
    return f, order, cursor


def queue_link(**params: Any) -> str:
    """Build a queue URL keeping only the filters that are set."""
    kept = {k: v for k, v in params.items() if v}
    return url_for("desk.queue") + ("?" + urlencode(kept) if kept else "")


SEARCH_KINDS = ("auto", "id", "email", "author", "ip", "text")


def _search_kind(q: str, by: str) -> str:
    """What a search box's text names: as chosen, or guessed from its shape."""
    if by != "auto":
        return by
    if re.fullmatch(r"#?\d{1,19}", q):
        return "id"
    if re.fullmatch(r"[^@\s]+@[^@\s]+", q):
        return "email"
    try:
        ipaddress.ip_address(q)
    except ValueError:
        return "text"
    return "ip"


def _find_author(f: desk_queue.QueueFilter, kind: str, q: str) -> list[tuple[str, str]]:
    """Links to the author page, one per site where this email, author id or IP wrote."""
    sites = {site.id: site for site in accounts.list_sites(services().db)}
    site_ids = f.scope.sites_within(f.site_ids)
    found = desk_authors.author_matches(
        services().db, tuple(sites) if site_ids is None else site_ids, kind, q, f.scope
    )
    return [
        (sites[site_id].name, url_for("desk.author_page", comment=comment_id, by=kind))
        for site_id, comment_id in found
    ]


def _search(
    f: desk_queue.QueueFilter, q: str, by: str, cursor: str | None, everywhere: bool = False
) -> tuple[Any, Any, dict[str, Any]]:
    """Run the queue's search box: a redirect, or a page of text results, or what was found."""
    kind = _search_kind(q, by)
    said: dict[str, Any] = {"q": q, "by": by, "kind": kind}
    if kind == "id":
        comment_id = parse_id(q.removeprefix("#"))
        try:
            desk_cards.desk_item(services().db, comment_id, f.scope) if comment_id else None
        except NotFound:
            comment_id = None
        if comment_id:
            return redirect(url_for("desk.comment_page", comment_id=comment_id)), None, said
        said["missing"] = t("search.no_comment", id="#" + q.removeprefix("#"))
        return None, None, said
    if kind in desk_authors.AUTHOR_KINDS:
        authors = _find_author(f, kind, q)
        if len(authors) == 1:
            return redirect(authors[0][1]), None, said
        said["authors"] = authors
        if not authors:
            said["missing"] = t("search.no_author", kind=t(f"ban.kind.{kind}"), value=q)
        return None, None, said
    found, said["missing"] = text_search.find(f, q, cursor, everywhere)
    if found is None:
        return None, None, said
    said["found"] = text_search.found_words(found, q, f.tab, everywhere)
    if by == "auto":  # a word may also be a site's own author id: offer that page too
        said["authors"] = _find_author(f, "author", q)
    return None, found, said


@bp.get("/queue")
@login_required
def queue() -> Any:
    """Show a tab of the queue with its counts, filters, cards and a cursor to the next page."""
    db = services().db
    f, order, cursor = queue_filter(request.args)
    q = " ".join((request.args.get("q") or "").split())[:200]
    by = request.args.get("by", "auto")
    by = by if by in SEARCH_KINDS else "auto"
    everywhere = text_search.everywhere(request.args)
    found, search = None, None
    if q:
        jump, found, search = _search(f, q, by, cursor, everywhere)
        if jump is not None:
            return jump
    if found is not None:
        items, next_cursor = found.items, found.next_cursor
    elif search is not None:
        items, next_cursor = [], None
    else:
        items, next_cursor = desk_queue.queue_page(db, f, order, PAGE_SIZE, cursor)
    cards = build_cards(db, items, language(), services().settings.secret_key, f.scope)
    filters = {
        "site": request.args.get("site", ""),
        "section": f.section or "",
        "article": f.article or "",
        "reason": f.reason or "",
        "order": order,
    }
    if q:
        filters.update(q=q, by=by, within=desk_queue.EVERY_STATUS if everywhere else "")
    waiting = desk_queue.oldest_pending(db, f) if f.tab == "pending" else None
    return render_template(
        "queue.html",
        f=f,
        filters=filters,
        search=search,
        found=found,
        search_window=desk_search.SEARCH_WINDOW,
        search_min=text_search.MIN_INDEXED,
        everywhere=everywhere,
        read_only=f.tab in desk_queue.READ_ONLY_TABS and not everywhere,
        waiting=_waiting(waiting),
        search_kinds=SEARCH_KINDS,
        counts=desk_queue.tab_counts(db, f),
        cards=cards,
        tabs=desk_queue.TABS,
        orders=desk_queue.ORDERS,
        sites=scoped_sites(db),
        sections=desk_queue.sections_of(db, f.site_ids, f.scope),
        reason_codes=i18n.REASON_CODES,
        reject_options=reject_options(),
        next_link=queue_link(tab=f.tab, **filters, cursor=next_cursor) if next_cursor else None,
        first_link=queue_link(tab=f.tab, **filters) if cursor else None,
        tab_link=lambda tab: queue_link(tab=tab, **filters),
        js_data=_js_messages(),
    )


def scoped_sites(db: Any) -> list[Any]:
    """The sites a filter offers: those in the moderator's scope."""
    scope = user_scope()
    return [site for site in accounts.list_sites(db) if scope.admits_site(site.id)]


STALLED = timedelta(minutes=5)  # the worker decides in milliseconds: this long is an outage


def _waiting(since: datetime | None) -> dict[str, Any] | None:
    """How long the oldest pending comment has waited, in words, and whether that is too long."""
    if since is None:
        return None
    waited = max(utcnow() - since, timedelta(0))
    minutes = int(waited.total_seconds() // 60)
    age = t("age.minutes", n=minutes) if minutes < 120 else t("age.hours", n=minutes // 60)
    if minutes < 1:
        age = t("age.seconds", n=int(waited.total_seconds()))
    return {"age": age, "since": since, "stalled": waited >= STALLED}


def reject_options() -> list[tuple[str, str]]:
    """The reasons a moderator picks from when rejecting, in the desk's language."""
    return [(code, t(f"reject.{code}")) for code in i18n.REJECT_REASONS]


def _js_messages() -> dict[str, Any]:
    keys = [
        "action.done.approve",
        "action.done.reject",
        "action.done.spam",
        "action.done.ban",
        "action.done.undo",
        "action.done.bulk",
        "action.undo",
        "action.undo_hint",
        "action.failed",
        "action.nothing_selected",
        "action.undo_expired",
        "bulk.selected",
        *(f"status.{status}" for status in ("held", "approved", "spam", "rejected", "deleted")),
    ]
    return {"messages": {key: t(key) for key in keys}}


@bp.get("/comments/<id:comment_id>")
@login_required
def comment_page(comment_id: int) -> Any:
    """Show one comment with every decision and audit entry about it."""
    db, scope = services().db, user_scope()
    item = desk_cards.desk_item(db, comment_id, scope)
    comment, decisions, entries = comment_history(db, comment_id, scope)
    card = build_cards(db, [item], language(), services().settings.secret_key, scope)[0]
    return render_template(
        "comment.html",
        card=card,
        decisions=decisions,
        entries=entries,
        reject_options=reject_options(),
        js_data=_js_messages(),
    )


@bp.get("/authors")
@login_required
def author_page() -> Any:
    """Show every comment of the author of a comment, with each decision on it."""
    db = services().db
    comment_id = parse_id(request.args.get("comment", ""))
    if comment_id is None:  # names no comment, as an id in the path would
        raise NotFound("comment not found")
    kind = request.args.get("by", "")
    scope = user_scope()
    item = desk_cards.desk_item(db, comment_id, scope)
    key = desk_authors.author_key(item.comment)
    if kind not in desk_authors.AUTHOR_KINDS:
        kind = key[0] if key else "ip"
    value = getattr(item.comment, {"author": "author_id", "email": "author_email"}.get(kind, "ip"))
    # An address forgotten after the site's days gets a page that says so, not an error.
    forgotten = retention.ip_forgotten_after(db, [item.comment]).get(comment_id)
    if not value and not (kind == "ip" and forgotten):
        raise DuyetError("this comment has no such author detail")
    cursor = (request.args.get("cursor") or "")[:400] or None
    entries, next_cursor = (
        desk_authors.author_comments(db, item.comment.site_id, kind, value, 50, cursor, scope)
        if value
        else ([], None)
    )
    bans = bans_for(
        db,
        item.comment.site_id,
        [
            ("email", item.comment.author_email or ""),
            ("author", item.comment.author_id or ""),
            ("ip", item.comment.ip or ""),
        ],
    )
    next_link = None
    if next_cursor:
        query = urlencode({"comment": comment_id, "by": kind, "cursor": next_cursor})
        next_link = url_for("desk.author_page") + "?" + query
    return render_template(
        "author.html",
        origin=item.comment,
        kind=kind,
        email_hash=render.email_hash(item.comment.author_email, services().settings.secret_key),
        entries=entries,
        bans=bans,
        next_link=next_link,
        snippet=render.snippet,
        user_is_admin=current_user().is_admin,
        ip_forgotten_after=forgotten,
    )
