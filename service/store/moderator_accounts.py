"""Moderator accounts: create, sign in, passwords, roles, scopes and sessions; audited."""

from __future__ import annotations

import functools
import re
import unicodedata

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from service.errors import Conflict, DuyetError, Forbidden, NotFound
from service.models import AuditEntry, Moderator, Site
from service.scopes import EVERYTHING, Scope, scope_of, scope_value, stored_lists, valid_section
from service.store.db import Database
from service.store.records import audit, load_row

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 500  # the sign-in form reads no more: a longer one could never sign in
# A username is typed at sign-in and named in the audit log ("moderator:<username>", 120
# characters): letters (Vietnamese too, NFC), digits and . _ @ -, up to 100 of them.
USERNAME = re.compile(r"[\w.@-]{1,100}")
ROLES = ("moderator", "admin")
# What the audit log records about accounts (their site is none); the desk lists them.
ACCOUNT_ACTIONS = (
    "moderator_create",
    "moderator_password",
    "moderator_remove",
    "moderator_role",
    "moderator_scope",
    "moderator_unlock",
)


def create_moderator(
    db: Database,
    username: str,
    password: str,
    role: str = "moderator",
    actor: str = "system",
) -> Moderator:
    """Create a moderator account with a hashed password; audited."""
    username = valid_username(username)
    if role not in ROLES:
        raise DuyetError(f"a role is one of {', '.join(ROLES)}; not {role!r}")
    password_hash = _password_hash(_long_enough(password))
    with db.transaction() as s:
        if s.scalar(select(Moderator.id).where(Moderator.username == username)) is not None:
            raise Conflict(f"moderator '{username}' already exists")
        moderator = Moderator(username=username, password_hash=password_hash, role=role)
        s.add(moderator)
        s.flush()
        detail = {"moderator": username, "role": role}
        audit(s, None, actor, "moderator_create", None, detail)
        return moderator


def valid_username(raw: str) -> str:
    """The username as stored (NFC), or DuyetError saying what a username may be."""
    username = unicodedata.normalize("NFC", raw)
    if not USERNAME.fullmatch(username):
        raise DuyetError(
            f"a username is 1 to 100 letters, digits and . _ @ -, without spaces; not {raw!r}"
        )
    return username


def _long_enough(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DuyetError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DuyetError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    return password


def list_moderators(db: Database) -> list[Moderator]:
    """List every moderator account, oldest first."""
    with db.transaction() as s:
        return list(s.scalars(select(Moderator).order_by(Moderator.id)))


def set_password(db: Database, username: str, password: str, actor: str = "system") -> None:
    """Give a moderator a new password and end every desk session the account has; audited."""
    password_hash = _password_hash(_long_enough(password))
    with db.transaction() as s:
        moderator_id = _moderator_id(s, username)
        s.execute(
            update(Moderator)
            .where(Moderator.id == moderator_id)
            .values(password_hash=password_hash)
        )
        _end_sessions(s, moderator_id)
        audit(s, None, actor, "moderator_password", None, {"moderator": username})


def remove_moderator(db: Database, username: str, actor: str = "system") -> None:
    """Delete a moderator's account: its desk sessions end with it; audited.

    No table refers to a moderator by key: decisions and the audit log name the account
    in text ("moderator:<username>"), so its past decisions stay as they were. An admin
    cannot remove themselves, and the last admin stays: someone must be able to sign in
    and manage the accounts on the desk.
    """
    with db.transaction() as s:
        account = _account(s, username)
        _refuse_for_self(actor, username, "remove")
        if account.role == "admin":
            _keep_an_admin(s)
        s.execute(delete(Moderator).where(Moderator.id == account.id))
        audit(s, None, actor, "moderator_remove", None, {"moderator": username})


def set_role(db: Database, username: str, role: str, actor: str = "system") -> Moderator:
    """Make an account a moderator or an admin; audited. The last admin stays one."""
    if role not in ROLES:
        raise DuyetError(f"a role is one of {', '.join(ROLES)}; not {role!r}")
    with db.transaction() as s:
        account = _account(s, username)
        if account.role == role:
            return account
        if role != "admin":
            _refuse_for_self(actor, username, "demote")
            _keep_an_admin(s)
        before, account.role = account.role, role
        detail = {"moderator": username, "before": before, "after": role}
        audit(s, None, actor, "moderator_role", None, detail)
        s.flush()
        return account


def _refuse_for_self(actor: str, username: str, what: str) -> None:
    if actor == f"moderator:{username}":
        raise Forbidden(f"an admin cannot {what} their own account; ask another admin")


def _keep_an_admin(s: Session) -> None:
    """Refuse to take away the last admin. The admins' rows are locked (PostgreSQL) so two
    admins removing each other at once cannot both see the other left."""
    admins = s.scalars(select(Moderator.id).where(Moderator.role == "admin").with_for_update())
    if len(admins.all()) <= 1:
        raise Conflict("this is the last admin: make another account an admin first")


def record_unlock(db: Database, username: str, addresses: list[str], actor: str) -> None:
    """Write into the audit log that an admin lifted an account's sign-in lock-outs."""
    with db.transaction() as s:
        _moderator_id(s, username)
        detail = {"moderator": username, "addresses": addresses}
        audit(s, None, actor, "moderator_unlock", None, detail)


def account_audit(db: Database, limit: int = 20) -> list[AuditEntry]:
    """Return the latest changes to moderator accounts, newest first."""
    with db.transaction() as s:
        query = select(AuditEntry).where(AuditEntry.action.in_(ACCOUNT_ACTIONS))
        return list(s.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


def get_moderator(db: Database, moderator_id: int) -> Moderator:
    """Load a moderator account or raise NotFound."""
    return load_row(db, Moderator, moderator_id)


def _account(s: Session, username: str) -> Moderator:
    account = s.get(Moderator, _moderator_id(s, username))
    assert account is not None
    return account


def _moderator_id(s: Session, username: str) -> int:
    moderator_id = s.scalar(select(Moderator.id).where(Moderator.username == username))
    if moderator_id is None:
        raise NotFound(f"moderator '{username}' not found")
    return moderator_id


def moderator_scope(s: Session, account: Moderator) -> Scope:
    """The account's scope, its sites resolved (a query only for a restricted moderator)."""
    if account.role == "admin" or account.scope is None:
        return EVERYTHING
    slugs, _ = stored_lists(account.scope)
    ids: dict[str, int] = {}
    if slugs:
        rows = s.execute(select(Site.slug, Site.id).where(Site.slug.in_(slugs)))
        ids = {row.slug: row.id for row in rows}
    return scope_of(account.role, account.scope, ids)


def moderator_with_scope(db: Database, moderator_id: int) -> tuple[Moderator, Scope] | None:
    """A moderator's account and scope as they stand now (None: no such account): the desk
    and the API read them on every request, so a change takes effect on the next one."""
    with db.transaction() as s:
        account = s.get(Moderator, moderator_id)
        return None if account is None else (account, moderator_scope(s, account))


def set_scope(
    db: Database, username: str, sites: list[str], sections: list[str], actor: str
) -> Moderator:
    """Give a moderator these sites and sections (empty lists: all); audited.

    Takes effect on the account's next request: the desk and the API read it every time."""
    with db.transaction() as s:
        account = _account(s, username)
        known = set(s.scalars(select(Site.slug).where(Site.slug.in_(sites)))) if sites else set()
        if missing := sorted(set(sites) - known):
            raise NotFound(f"no site with slug {', '.join(repr(m) for m in missing)}")
        bad = [name for name in sections if not valid_section(name)]
        if bad:
            raise DuyetError(f"a section is 1 to 100 characters of text, not {bad[0]!r}")
        before, after = account.scope, scope_value(sites, sections)
        account.scope = after
        detail = {"moderator": username, "before": before, "after": after}
        audit(s, None, actor, "moderator_scope", None, detail)
        s.flush()
        return account


def end_sessions(db: Database, moderator_id: int) -> None:
    """End every desk session of the account signed in so far (see Moderator.session_epoch)."""
    with db.transaction() as s:
        _end_sessions(s, moderator_id)


def _end_sessions(s: Session, moderator_id: int) -> None:
    s.execute(
        update(Moderator)
        .where(Moderator.id == moderator_id)
        .values(session_epoch=Moderator.session_epoch + 1)
    )


def verify_moderator(db: Database, username: str, password: str) -> Moderator | None:
    """Check a moderator's password; the account if it is right.

    Failures are counted, and attempts throttled, by the caller (service.auth.verify_login):
    per client address, which the store does not know. A lock kept on the account itself
    let anyone lock any moderator out from anywhere.
    """
    with db.transaction() as s:
        moderator = s.scalar(select(Moderator).where(Moderator.username == username))
        if moderator is None:
            _password_matches(_dummy_hash(), password)  # same cost whether or not the user exists
            return None
        return moderator if _password_matches(moderator.password_hash, password) else None


# werkzeug's hashing is imported on first use: the intake writer process and the workers
# import this module for sites and keys, and need neither werkzeug nor the dummy hash (whose
# scrypt briefly takes 32 MB).
def _password_hash(password: str) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    from werkzeug.security import check_password_hash

    return check_password_hash(password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    return _password_hash("not-a-real-password")
