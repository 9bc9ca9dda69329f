"""The `duyet` command: run the service (dev, serve, worker) and manage sites, keys, moderators.

It lives in `workers` because it sits on top of both halves: `service` never imports
`workers`, and the command line needs both.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import secrets
import sys
from collections.abc import Callable
from typing import Any

import redis.exceptions
import sqlalchemy.exc
from marshmallow import ValidationError, validate

from service.errors import DuyetError, NotFound
from service.ids import parse_id
from service.settings import Settings
from service.site_config import SiteConfigSchema
from service.store import Database, accounts, moderator_accounts
from workers import cli_db, cli_scopes, cli_secrets
from workers.cli_common import database, emit, refuse, when, with_json
from workers.cli_secrets import check_secret_length, save_secret

Handler = Callable[[argparse.Namespace], int]


def cmd_site_create(args: argparse.Namespace) -> int:
    site = accounts.create_site(database(), args.slug, args.name or args.slug)
    data = {"id": site.id, "slug": site.slug, "name": site.name}
    return emit(args, data, f"created site {site.slug} (id {site.id})")


def cmd_site_list(args: argparse.Namespace) -> int:
    sites = [{"id": s.id, "slug": s.slug, "name": s.name} for s in accounts.list_sites(database())]
    lines = "\n".join(f"{s['id']}\t{s['slug']}\t{s['name']}" for s in sites)
    return emit(args, {"sites": sites}, lines or "no sites yet")


def cmd_site_configure(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.slug)
    changes: dict[str, Any] = {}
    checked = SiteConfigSchema().load(dict(_key_value(item) for item in args.set))
    if checked:
        changes["config"] = {**(site.config or {}), **checked}
    if args.webhook_url is not None:
        changes["webhook_url"] = _webhook_url(args.webhook_url.strip()) or None
    if args.webhook_secret is not None:
        check_secret_length(args.webhook_secret)
    accounts.update_site(db, site.id, **changes)
    said = ""
    if args.webhook_secret is not None:
        changes["webhook_secret"] = args.webhook_secret
        said = save_secret(db, site.id, args.webhook_secret)
    data = {"slug": site.slug, "changed": sorted(changes), "config_keys": sorted(checked)}
    return emit(args, data, f"updated {site.slug}: {', '.join(sorted(changes)) or 'nothing'}{said}")


def _webhook_url(url: str) -> str:
    """Check a webhook URL as the desk's settings form does: http(s), at most 2,000 characters."""
    if url:
        try:
            validate.URL(schemes={"http", "https"}, require_tld=False)(url)
        except ValidationError as exc:
            raise ValidationError({"webhook_url": exc.messages}) from exc
        if len(url) > 2000:
            raise ValidationError({"webhook_url": ["Too long."]})
    return url


def cmd_site_retrain(args: argparse.Namespace) -> int:
    from workers.site_training import retrain_site

    db = database()
    site = accounts.find_site(db, args.slug)
    done = retrain_site(db, site.id)
    if done is None:
        return emit(args, {"site": site.slug, "retrained": False}, f"{site.slug}: no labels yet")
    data = {"site": site.slug, "retrained": True, "version": done.version,
            "labels": done.examples, "report": done.report}  # fmt: skip
    text = f"{site.slug}: model {done.version} trained on {done.examples} labels"
    if done.report:
        held, own, shipped = (done.report[k] for k in ("held_out", "site_model", "shipped_model"))
        text += (
            f"\non {held} held-out labels, macro-F1 {own['macro_f1']:.3f}"
            f" (the shipped model: {shipped['macro_f1']:.3f})"
        )
        if "gain_interval" in done.report:
            low, high = (100 * v for v in done.report["gain_interval"])
            text += f"; the difference's 95% interval {low:+.1f} to {high:+.1f} points"
    return emit(args, data, text)


def cmd_site_forget_model(args: argparse.Namespace) -> int:
    from service.store.site_models import drop_site_models

    db = database()
    site = accounts.find_site(db, args.slug)
    dropped = drop_site_models(db, site.id)
    text = f"{site.slug}: {dropped} site models dropped; its comments use the shipped model"
    return emit(args, {"site": site.slug, "dropped": dropped}, text)


def _key_value(item: str) -> tuple[str, Any]:
    key, sep, raw = item.partition("=")
    if not sep:
        raise DuyetError(f"--set takes KEY=VALUE, not {item!r}")
    try:
        return key, json.loads(raw)  # numbers, booleans, lists ...
    except json.JSONDecodeError:
        return key, raw  # ... or a plain string


def cmd_key_create(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.site)
    key = accounts.create_api_key(db, site.id, args.label)
    data = {"id": key.id, "site": site.slug, "key": key.secret}
    text = f"API key for {site.slug} (shown once, store it now):\n{key.secret}"
    return emit(args, data, text)


def cmd_key_list(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.site)
    keys = [
        {
            "id": k.id,
            "prefix": k.prefix,
            "label": k.label,
            "created": when(k.created_at),
            "revoked": when(k.revoked_at),
        }  # fmt: skip
        for k in accounts.list_api_keys(db, site.id)
    ]
    lines = [f"{k['id']}\t{k['prefix']}\t{k['created']}\t{k['revoked'] or 'live'}\t{k['label']}"
             for k in keys]  # fmt: skip
    return emit(args, {"site": site.slug, "keys": keys}, "\n".join(lines) or "no keys yet")


def cmd_key_revoke(args: argparse.Namespace) -> int:
    db = database()
    site = accounts.find_site(db, args.site)
    key_id = parse_id(args.key_id)
    if key_id is None:
        raise NotFound(f"key {args.key_id!r} not found")
    accounts.revoke_api_key(db, site.id, key_id)
    from service.auth import CACHE_SECONDS  # the web side's; flask loads only here

    text = (
        f"revoked key {key_id} of {site.slug}; an API process that checked it lately"
        f" takes it for up to {CACHE_SECONDS:.0f} s more"
    )
    return emit(args, {"site": site.slug, "revoked": key_id}, text)


def _new_password(args: argparse.Namespace) -> str:
    """The password given with --password, or a random one (printed once)."""
    return args.password or secrets.token_urlsafe(12)


def cmd_moderator_create(args: argparse.Namespace) -> int:
    password = _new_password(args)
    moderator = moderator_accounts.create_moderator(
        database(), args.username, password, args.role, actor=cli_scopes.ACTOR
    )
    data = {"id": moderator.id, "username": moderator.username, "password": password}
    text = f"moderator {moderator.username} ({args.role}), password (shown once): {password}"
    return emit(args, data, text)


def cmd_moderator_password(args: argparse.Namespace) -> int:
    password = _new_password(args)
    moderator_accounts.set_password(database(), args.username, password, actor=cli_scopes.ACTOR)
    text = (
        f"moderator {args.username}, new password (shown once): {password}"
        "; their desk sessions have ended"
    )
    return emit(args, {"username": args.username, "password": password}, text)


def cmd_moderator_remove(args: argparse.Namespace) -> int:
    moderator_accounts.remove_moderator(database(), args.username, actor=cli_scopes.ACTOR)
    text = f"removed moderator {args.username}; their desk sessions have ended"
    return emit(args, {"removed": args.username}, text)


def cmd_moderator_list(args: argparse.Namespace) -> int:
    moderators = [
        {
            "id": m.id,
            "username": m.username,
            "role": m.role,
            "created": when(m.created_at),
            "scope": m.scope,
        }
        for m in moderator_accounts.list_moderators(database())
    ]
    lines = [
        f"{m['id']}\t{m['username']}\t{m['role']}\t{m['created']}\t"
        + cli_scopes.scope_words(m["scope"])
        for m in moderators
    ]
    return emit(args, {"moderators": moderators}, "\n".join(lines) or "no moderators yet")


def cmd_sweep(args: argparse.Namespace) -> int:
    from redis import Redis

    from workers.retention import sweep_retention
    from workers.site_training import retrain_due_sites
    from workers.sweep import sweep_once, sweep_webhooks

    settings = Settings.from_env()
    redis, db = Redis.from_url(settings.redis_url_or_local), Database(settings.database_url)
    redis.ping()  # a sweep without Redis re-queues nothing; cron must hear of it (exit 2)
    count = sweep_once(db, redis, settings)
    # What a `duyet worker`'s sweep thread also does, for deployments on plain RQ workers.
    events = sweep_webhooks(db, redis, settings)
    retrained = retrain_due_sites(db, redis, settings)
    forgotten = sweep_retention(db, redis, settings)
    text = (
        f"re-queued {count} stranded comments and {events} webhook events due;"
        f" retrained the models of sites {retrained};"
        f" forgot the reader IP and user agent of {forgotten} old comments"
    )
    data = {
        "requeued": count,
        "webhook_events": events,
        "retrained_sites": retrained,
        "reader_network_forgotten": forgotten,
    }
    return emit(args, data, text)


def cmd_worker(args: argparse.Namespace) -> int:
    from workers.process import run_worker

    return run_worker(burst=args.burst, only=args.only)


def cmd_serve(args: argparse.Namespace) -> int:
    from workers.process import run_api

    Settings.from_env().require_secret_key()  # one line and exit 2, before gunicorn starts
    return run_api(args.host, args.port, args.workers, args.threads)


def cmd_dev(args: argparse.Namespace) -> int:
    from workers.dev import run_dev

    return run_dev(args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="duyet", description="Comment moderation for news sites")
    sub = parser.add_subparsers(dest="command", required=True)
    dev = sub.add_parser("dev", help="run API, worker and an embedded Redis locally")
    dev.add_argument("--port", type=int, default=None)
    dev.set_defaults(func=cmd_dev)
    serve = sub.add_parser("serve", help="run the API under gunicorn")
    # This host only unless told: the desk and /metrics belong behind a TLS proxy (the
    # container's command says --host 0.0.0.0, its port published on 127.0.0.1).
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--threads", type=int, default=16)
    serve.set_defaults(func=cmd_serve, needs_schema=True)
    worker = sub.add_parser("worker", help="run an RQ worker on duyet's queues, with the sweep")
    worker.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    worker.add_argument(
        "--only",
        choices=("moderation", "webhooks"),  # workers.process.queue_names
        help="take one role's jobs: moderation (comments) or webhooks (deliveries); default both",
    )
    worker.set_defaults(func=cmd_worker, needs_schema=True)
    with_json(
        sub.add_parser(
            "sweep",
            help="re-queue stranded comments; retrain due site models; forget old reader IPs",
        )
    )
    sub.choices["sweep"].set_defaults(func=cmd_sweep, needs_schema=True)
    _add_management(sub)
    _add_engine_commands(sub)
    return parser


def _add_management(sub: Any) -> None:
    cli_db.register(sub)
    # Every command of these groups reads or writes the database: see cli_db.schema_problem.
    site_group = sub.add_parser("site", help="sites")
    site_group.set_defaults(needs_schema=True)
    site = site_group.add_subparsers(dest="site_cmd", required=True)
    create = with_json(site.add_parser("create", help="create a site"))
    create.add_argument("slug")
    create.add_argument("--name", default="")
    create.set_defaults(func=cmd_site_create)
    with_json(site.add_parser("list", help="list sites")).set_defaults(func=cmd_site_list)
    configure = with_json(site.add_parser("configure", help="change a site's rules or webhook"))
    configure.add_argument("slug")
    configure.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a config value, JSON or plain text: max_links=3, banned_words='[\"cá độ\"]', "
        "coral_signing_secret=...",
    )
    configure.add_argument("--webhook-url", default=None, help="empty string removes it")
    configure.add_argument("--webhook-secret", default=None, help="empty string removes it")
    configure.set_defaults(func=cmd_site_configure)
    cli_secrets.register(site)
    retrain = with_json(
        site.add_parser("retrain", help="train the site's own model from its moderators' labels")
    )
    retrain.add_argument("slug")
    retrain.set_defaults(func=cmd_site_retrain)
    forget = with_json(
        site.add_parser("forget-model", help="drop the site's own models: back to the shipped one")
    )
    forget.add_argument("slug")
    forget.set_defaults(func=cmd_site_forget_model)
    key_group = sub.add_parser("key", help="API keys")
    key_group.set_defaults(needs_schema=True)
    key = key_group.add_subparsers(dest="key_cmd", required=True)
    key_create = with_json(key.add_parser("create", help="create an API key for a site"))
    key_create.add_argument("site", help="site slug or id")
    key_create.add_argument("--label", default="")
    key_create.set_defaults(func=cmd_key_create)
    key_list = with_json(key.add_parser("list", help="a site's keys (never their secrets)"))
    key_list.add_argument("site", help="site slug or id")
    key_list.set_defaults(func=cmd_key_list)
    key_revoke = with_json(key.add_parser("revoke", help="revoke a site's key by its id"))
    key_revoke.add_argument("site", help="site slug or id")
    key_revoke.add_argument("key_id", help="the id `duyet key list` shows")
    key_revoke.set_defaults(func=cmd_key_revoke)
    mod = sub.add_parser("moderator", help="moderator accounts")
    mod.set_defaults(needs_schema=True)
    mod_sub = mod.add_subparsers(dest="mod_cmd", required=True)
    mod_create = with_json(mod_sub.add_parser("create", help="create a moderator account"))
    mod_create.add_argument("username")
    mod_create.add_argument("--password", default=None, help="default: a random one, printed")
    mod_create.add_argument("--role", choices=["moderator", "admin"], default="moderator")
    mod_create.set_defaults(func=cmd_moderator_create)
    mod_password = with_json(
        mod_sub.add_parser("password", help="set a new password; ends the account's desk sessions")
    )
    mod_password.add_argument("username")
    mod_password.add_argument("--password", default=None, help="default: a random one, printed")
    mod_password.set_defaults(func=cmd_moderator_password)
    mod_remove = with_json(mod_sub.add_parser("remove", help="delete a moderator account"))
    mod_remove.add_argument("username")
    mod_remove.set_defaults(func=cmd_moderator_remove)
    with_json(mod_sub.add_parser("list", help="list moderator accounts")).set_defaults(
        func=cmd_moderator_list
    )
    cli_scopes.register(mod_sub)


def _add_engine_commands(sub: Any) -> None:
    try:
        from workers.engine import cli_commands
    except ImportError:  # the classifier's commands are optional until it ships
        return
    cli_commands.register(sub)


# What an operator's mistake raises (a missing file or column, a bad setting or database
# URL, a corrupt model file, Redis or the database away): one line, not a traceback.
OPERATOR_ERRORS = (
    OSError,
    ValueError,
    EOFError,
    pickle.UnpicklingError,
    sqlalchemy.exc.ArgumentError,
    sqlalchemy.exc.OperationalError,
    redis.exceptions.RedisError,
)


def main(argv: list[str] | None = None) -> int:
    """Run the duyet command line."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    try:
        logging.basicConfig(
            level=Settings.from_env().log_level, format="%(levelname)s %(name)s: %(message)s"
        )
        if getattr(args, "needs_schema", False) and (problem := cli_db.schema_problem()):
            return refuse(problem)
        return handler(args)
    except DuyetError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        print(f"error: {exc.messages}", file=sys.stderr)
        return 1
    except OPERATOR_ERRORS as exc:
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
