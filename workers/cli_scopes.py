"""`duyet moderator scope` and `role`: what a moderator sees and may do."""

from __future__ import annotations

import argparse
from typing import Any

from service.scopes import stored_lists
from service.store import moderator_accounts
from workers.cli_common import database, emit, refuse, with_json

ACTOR = "cli"  # who the audit log names for a change made on the command line


def scope_words(raw: Any) -> str:
    """A stored scope in one line: "all", or its sites and sections."""
    sites, sections = stored_lists(raw)
    if not sites and not sections:
        return "all"
    return f"sites: {', '.join(sites) or 'all'}; sections: {', '.join(sections) or 'all'}"


def cmd_moderator_scope(args: argparse.Namespace) -> int:
    sites, sections = args.site or [], args.section or []
    if args.all == bool(sites or sections):
        return refuse("give --all, or one or more --site SLUG / --section NAME")
    account = moderator_accounts.set_scope(database(), args.username, sites, sections, ACTOR)
    text = f"moderator {account.username} now moderates {scope_words(account.scope)}"
    if account.role == "admin":
        text += " (an admin: sees everything whatever the scope)"
    return emit(args, {"username": account.username, "scope": account.scope}, text)


def cmd_moderator_role(args: argparse.Namespace) -> int:
    account = moderator_accounts.set_role(database(), args.username, args.role, ACTOR)
    article = "an" if account.role == "admin" else "a"
    text = f"moderator {account.username} is now {article} {account.role}"
    return emit(args, {"username": account.username, "role": account.role}, text)


def register(mod_sub: Any) -> None:
    """Add `moderator scope` and `moderator role` to the moderator commands."""
    role = with_json(
        mod_sub.add_parser(
            "role", help="make an account an admin or a moderator (the last admin stays one)"
        )
    )
    role.add_argument("username")
    role.add_argument("role", choices=moderator_accounts.ROLES)
    role.set_defaults(func=cmd_moderator_role)
    scope = with_json(
        mod_sub.add_parser(
            "scope",
            help="limit a moderator to some sites and sections (or --all); applies at once",
        )
    )
    scope.add_argument("username")
    scope.add_argument("--site", action="append", metavar="SLUG", help="a site (repeatable)")
    scope.add_argument(
        "--section", action="append", metavar="NAME", help="an articles' section (repeatable)"
    )
    scope.add_argument("--all", action="store_true", help="every site and section")
    scope.set_defaults(func=cmd_moderator_scope)
