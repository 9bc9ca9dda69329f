"""Moderator accounts for admins: create one, its scope and role, a new password (shown
once), lift its sign-in lock-outs, remove it. The store audits and guards every change."""

from __future__ import annotations

import secrets
from typing import Any

from flask import redirect, render_template, request, url_for
from redis.exceptions import RedisError

from service import auth
from service.context import services
from service.errors import Conflict, DuyetError, Forbidden, Unavailable
from service.models import Moderator
from service.scopes import section_name, stored_lists, valid_section
from service.store import accounts, desk_queue, moderator_accounts
from service.ui.blueprint import admin_required, bp, current_actor, current_user, scope_parts, t

DONE = ("scope", "role", "unlocked")  # what a redirect after an action says
# Each refusal from the store, in the admin's words, and its status.
REFUSALS: dict[type[DuyetError], tuple[str, int]] = {
    Forbidden: ("accounts.not_yourself", 403),
    Conflict: ("accounts.last_admin", 409),
}


def scope_words(account: Moderator) -> str:
    """What an account moderates, in the viewer's words."""
    sites, sections = stored_lists(account.scope)
    if account.role == "admin" or not (sites or sections):
        return t("accounts.everything")
    return t("accounts.scope_of", **scope_parts(sites, sections))


def lockouts(username: str) -> list[str] | None:
    """The addresses the account is locked out of; None when Redis does not answer."""
    try:
        return auth.locked_out(services().redis, username)
    except RedisError:
        return None


def _list_page(**extra: Any) -> str:
    db = services().db
    return render_template(
        "moderators.html",
        account=None,
        accounts=moderator_accounts.list_moderators(db),
        roles=moderator_accounts.ROLES,
        min_password=moderator_accounts.MIN_PASSWORD_LENGTH,
        changes=moderator_accounts.account_audit(db),
        scope_words=scope_words,
        lockouts=lockouts,
        **{"errors": {}, "form": None, "notice": None, **extra},
    )


@bp.get("/moderators")
@admin_required
def moderators() -> Any:
    """List the moderator accounts, with a form to create one."""
    removed = request.args.get("done") == "removed"
    notice = t("accounts.done_removed", name=request.args.get("name", "")) if removed else None
    return _list_page(notice=notice)


@bp.post("/moderators")
@admin_required
def create_moderator() -> Any:
    """Create an account; show a generated password this once (never stored, never
    redirected), or take one the admin typed."""
    form = request.form
    username, role, typed = form.get("username", "").strip(), form.get("role"), form.get("password")
    errors = _account_errors(username, role or "", typed or "")
    if not errors:
        password = typed or secrets.token_urlsafe(12)
        try:
            made = moderator_accounts.create_moderator(
                services().db, username, password, role or "", actor=current_actor()
            )
        except Conflict:
            errors["username"] = [t("accounts.username_taken", name=username)]
    if errors:
        return _list_page(errors=errors, form=form), 422
    notice = t("accounts.created", name=made.username)
    return _list_page(notice=notice, new_password=None if typed else (made.username, password))


def _account_errors(username: str, role: str, typed: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        moderator_accounts.valid_username(username)
    except DuyetError:
        errors["username"] = [t("accounts.username_invalid")]
    if role not in moderator_accounts.ROLES:
        errors["role"] = [t("accounts.role_invalid")]
    least, most = moderator_accounts.MIN_PASSWORD_LENGTH, moderator_accounts.MAX_PASSWORD_LENGTH
    if typed and not least <= len(typed) <= most:
        errors["password"] = [t("accounts.password_length", least=least, most=most)]
    return errors


def _account_page(account: Moderator, **extra: Any) -> str:
    db = services().db
    sites, sections = stored_lists(account.scope)
    of_sites = tuple(s.id for s in accounts.list_sites(db) if s.slug in sites)
    return render_template(
        "moderators.html",
        account=account,
        sites=accounts.list_sites(db),
        scope_sites=sites,
        scope_sections=sections,
        known_sections=desk_queue.sections_of(db, of_sites or None),
        roles=moderator_accounts.ROLES,
        itself=account.id == current_user().id,
        locked=lockouts(account.username),
        scope_words=scope_words,
        **{"errors": {}, "form": None, "notice": None, **extra},
    )


def _account(moderator_id: int) -> Moderator:
    return moderator_accounts.get_moderator(services().db, moderator_id)


@bp.get("/moderators/<id:moderator_id>")
@admin_required
def moderator_account(moderator_id: int) -> Any:
    """Show one account: its scope and role, a new password, lock-outs, removal."""
    done = request.args.get("done")
    notice = t(f"accounts.done_{done}") if done in DONE else None
    return _account_page(_account(moderator_id), notice=notice)


def _done(account: Moderator, what: str) -> Any:
    return redirect(url_for("desk.moderator_account", moderator_id=account.id, done=what))


@bp.post("/moderators/<id:moderator_id>/scope")
@admin_required
def save_moderator_scope(moderator_id: int) -> Any:
    """Give the account these sites and sections (none: all); applies on its next request."""
    account = _account(moderator_id)
    sites = request.form.getlist("sites")
    sections = [n for n in map(section_name, request.form.get("sections", "").splitlines()) if n]
    known = {s.slug for s in accounts.list_sites(services().db)}
    errors: dict[str, list[str]] = {}
    if unknown := [slug for slug in sites if slug not in known]:
        errors["sites"] = [t("accounts.unknown_sites", sites=", ".join(unknown))]
    if bad := [name for name in sections if not valid_section(name)]:
        errors["sections"] = [t("accounts.bad_section", name=bad[0])]
    if errors:
        return _account_page(account, errors=errors, form=request.form), 422
    moderator_accounts.set_scope(services().db, account.username, sites, sections, current_actor())
    return _done(account, "scope")


@bp.post("/moderators/<id:moderator_id>/role")
@admin_required
def set_moderator_role(moderator_id: int) -> Any:
    """Make the account a moderator or an admin; not one's own, nor the last admin's."""
    account = _account(moderator_id)
    role = request.form.get("role", "")
    if role not in moderator_accounts.ROLES:
        errors = {"role": [t("accounts.role_invalid")]}
        return _account_page(account, errors=errors, form=request.form), 422
    try:
        moderator_accounts.set_role(services().db, account.username, role, current_actor())
    except (Forbidden, Conflict) as exc:
        return _refused(account, exc)
    return _done(account, "role")


def _refused(account: Moderator, exc: DuyetError) -> Any:
    key, status = REFUSALS[type(exc)]
    return _account_page(account, refusal=t(key)), status


@bp.post("/moderators/<id:moderator_id>/password")
@admin_required
def reset_moderator_password(moderator_id: int) -> Any:
    """Give the account a random new password, shown this once; its sessions end."""
    account = _account(moderator_id)
    password = secrets.token_urlsafe(12)
    moderator_accounts.set_password(services().db, account.username, password, current_actor())
    return _account_page(account, new_password=(account.username, password))


@bp.post("/moderators/<id:moderator_id>/unlock")
@admin_required
def unlock_moderator(moderator_id: int) -> Any:
    """Forget the account's failed sign-ins, so it may sign in again from everywhere."""
    account = _account(moderator_id)
    try:
        addresses = auth.unlock(services().redis, account.username)
    except RedisError as exc:
        raise Unavailable("the lock-outs cannot be lifted now; try again") from exc
    moderator_accounts.record_unlock(services().db, account.username, addresses, current_actor())
    return _done(account, "unlocked")


@bp.post("/moderators/<id:moderator_id>/remove")
@admin_required
def remove_moderator(moderator_id: int) -> Any:
    """Remove the account once the admin has ticked the confirmation; its sessions end."""
    account = _account(moderator_id)
    if request.form.get("confirm") != account.username:
        errors = {"confirm": [t("accounts.confirm_missing")]}
        return _account_page(account, errors=errors), 422
    try:
        moderator_accounts.remove_moderator(services().db, account.username, current_actor())
    except (Forbidden, Conflict) as exc:
        return _refused(account, exc)
    return redirect(url_for("desk.moderators", done="removed", name=account.username))
