"""`duyet site rotate-secret` and `duyet site end-grace`: a site's webhook secret rolled with
a grace (service/store/webhook_secrets.py), and how `site configure --webhook-secret` saves one."""

from __future__ import annotations

import argparse
from typing import Any

from marshmallow import ValidationError

from service.store import Database, accounts, webhook_secrets
from workers.cli_common import database, emit, when, with_json

ACTOR = "cli"  # who the audit log says acted, for the changes made here


def check_secret_length(secret: str) -> None:
    """Refuse a secret the column cannot hold, naming the option."""
    limit = webhook_secrets.MAX_SECRET_LENGTH
    if len(secret) > limit:
        raise ValidationError({"webhook_secret": [f"Longer than {limit} characters."]})


def save_secret(db: Database, site_id: int, secret: str) -> str:
    """Set a site's secret as the desk does: a different one is a rotation with the default
    grace, an empty one takes it away. Return what to add to the command's answer."""
    if not secret:
        webhook_secrets.remove(db, site_id)
        return ""
    rotation = webhook_secrets.rotate(db, site_id, ACTOR, secret=secret)
    if rotation.previous_until is None:
        return ""
    return f"; the old secret also signs events until {when(rotation.previous_until)}"


def cmd_rotate_secret(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.slug)
    grace = webhook_secrets.grace_from_hours(args.grace_hours)
    rotation = webhook_secrets.rotate(db, site.id, ACTOR, grace=grace)
    until = when(rotation.previous_until)
    data = {"site": site.slug, "secret": rotation.secret, "previous_until": until}
    old = f"the old one also signs events until {until}" if until else "no old one signs events"
    text = f"new webhook secret for {site.slug} (shown once, store it now; {old}):\n"
    return emit(args, data, text + rotation.secret)


def cmd_end_grace(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.slug)
    ended = webhook_secrets.end_grace(db, site.id, ACTOR)
    said = "the old webhook secret signs no more events" if ended else "no old secret was signing"
    return emit(args, {"site": site.slug, "ended": ended}, f"{site.slug}: {said}")


def register(site: Any) -> None:
    """Add the two commands to `duyet site`."""
    rotate = with_json(
        site.add_parser(
            "rotate-secret",
            help="a new random webhook secret, printed once; the old one signs for a grace too",
        )
    )
    rotate.add_argument("slug")
    rotate.add_argument(
        "--grace-hours",
        type=float,
        default=webhook_secrets.DEFAULT_GRACE.total_seconds() / 3600,
        help="how long the old secret also signs events (default 24; 0: not at all)",
    )
    rotate.set_defaults(func=cmd_rotate_secret)
    end_grace = with_json(
        site.add_parser("end-grace", help="stop signing with the old webhook secret now")
    )
    end_grace.add_argument("slug")
    end_grace.set_defaults(func=cmd_end_grace)
