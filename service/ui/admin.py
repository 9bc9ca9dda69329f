"""Site settings for admins: rules, thresholds, webhook, API keys (the secret shown once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError, validate

from service.auth import clear_caches
from service.checker import optional_checker
from service.context import services
from service.models import Site, utcnow
from service.site_config import SiteConfigSchema, site_config
from service.store import accounts, webhook_secrets
from service.store.accounts import NewKey, find_site
from service.store.overview import held_for_words
from service.store.site_models import model_status
from service.ui.blueprint import admin_required, bp, current_actor, t, when

THRESHOLDS = ("spam_hold", "spam_reject", "abuse_hold", "abuse_reject")
RETRAIN_OUTCOMES = ("requested", "nothing", "failed")  # what a retrain request's redirect says
# The reasons that name a word (the site's suspect words, the built-in profanity list): the
# settings page shows how often each word held comments, and how often moderators approved
# them anyway, over the last HELD_WORDS_SPAN: what a word on the list costs. The overview's
# week: 30 days took the page to 305 ms with a million held (bench/queue_page.py).
WORD_REASONS = ("suspect_word", "common_profanity")
HELD_WORDS_SPAN = timedelta(days=7)
_url = validate.URL(schemes={"http", "https"}, require_tld=False)


@bp.get("/settings")
@admin_required
def settings_index() -> Any:
    """List the sites to configure; go straight to the only one."""
    sites = accounts.list_sites(services().db)
    if len(sites) == 1:
        return redirect(url_for("desk.site_settings", slug=sites[0].slug))
    return render_template("settings.html", site=None, sites=sites)


def _words(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for line in raw.replace(",", "\n").splitlines():
        word = " ".join(line.split())
        if word:
            seen.setdefault(word, None)
    return list(seen)


def _form_config(form: Any) -> dict[str, Any]:
    return {
        "banned_words": _words(form.get("banned_words", "")),
        "suspect_words": _words(form.get("suspect_words", "")),
        "common_profanity": form.get("common_profanity") == "on",
        "profanity_allowed": _words(form.get("profanity_allowed", "")),
        "max_links": form.get("max_links", ""),
        "report_threshold": form.get("report_threshold", ""),
        "premoderate_default": form.get("premoderate_default") == "on",
        "thresholds": {name: form.get(name, "") for name in THRESHOLDS},
        **_form_alerts(form),
    }


def _form_alerts(form: Any) -> dict[str, Any]:
    """Who is emailed about long waits; a form from a page older than these fields (still
    open in a tab across an upgrade) keeps the site's."""
    if "alert_after_minutes" not in form:
        return {}
    return {
        "alert_emails": [email.lower() for email in _words(form.get("alert_emails", ""))],
        "alert_after_minutes": form.get("alert_after_minutes"),
    }


def _webhook(form: Any) -> tuple[dict[str, Any], str | None, dict[str, list[str]]]:
    """The webhook form's URL change, its secret ("" for none typed in, None to take it
    away; see _save_secret) and its errors."""
    changes: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    url = form.get("webhook_url", "").strip()
    if url:
        try:
            _url(url)
            if len(url) > 2000:
                raise ValidationError("Too long.")
            changes["webhook_url"] = url
        except ValidationError as exc:
            errors["webhook_url"] = [str(m) for m in exc.messages]
    else:
        changes["webhook_url"] = None
    if form.get("webhook_secret_clear") == "on":
        return changes, None, errors
    secret = form.get("webhook_secret", "")
    if len(secret) > webhook_secrets.MAX_SECRET_LENGTH:
        errors["webhook_secret"] = ["Too long."]
    return changes, secret, errors


def _save_secret(site: Site, secret: str | None) -> str | None:
    """Save the secret from the form; say what happened, for the audit entry.

    A different secret is a rotation: the old one signs for the default grace too, so the
    receiver is not broken the moment an admin saves.
    """
    db = services().db
    if secret == "":
        return None
    if secret is None:
        webhook_secrets.remove(db, site.id)
        return "removed"
    if secret == site.webhook_secret:
        return "unchanged"
    webhook_secrets.rotate(db, site.id, current_actor(), secret=secret)
    return "rotated"


def _profanity_list(config: dict[str, Any]) -> list[tuple[str, bool]] | None:
    """The built-in list with what the site lets through, or None in a process without the
    engine (the list lives in `workers`; the page then names it without its words)."""
    checker = optional_checker()
    return checker.profanity_list(config["profanity_allowed"]) if checker else None


def _page(site: Site, **extra: Any) -> str:
    db = services().db
    config = site_config(site.config)
    return render_template(
        "settings.html",
        site=site,
        sites=accounts.list_sites(db),
        config=config,
        profanity_list=_profanity_list(config),
        keys=accounts.list_api_keys(db, site.id),
        changes=accounts.site_audit(db, site.id),
        thresholds=THRESHOLDS,
        model=model_status(db, site.id),
        held_words=held_for_words(db, site.id, WORD_REASONS, utcnow() - HELD_WORDS_SPAN),
        held_days=HELD_WORDS_SPAN.days,
        retrain_state=services().queue.retrain_state(site.id),
        retrain_every=services().settings.site_retrain_every,
        mail_ready=bool(services().settings.smtp_url),
        grace_until=site.webhook_secret_previous_until if webhook_secrets.in_grace(site) else None,
        grace_hours=int(webhook_secrets.DEFAULT_GRACE.total_seconds() // 3600),
        **extra,
    )


@bp.get("/settings/<slug>")
@admin_required
def site_settings(slug: str) -> Any:
    """Show a site's rules, webhook and keys."""
    site = find_site(services().db, slug)
    return _page(site, notice=_notice(site), errors={}, form=None)


def _notice(site: Site) -> str | None:
    """What the redirect after an action says happened."""
    args = request.args
    if (retrain := args.get("retrain")) in RETRAIN_OUTCOMES:
        return t(f"settings.model_retrain_{retrain}", seconds=services().settings.sweep_interval)
    if args.get("revoked"):
        return t("settings.key_revoked_done")
    if (ended := args.get("grace_ended")) is not None:
        return t("settings.webhook_grace_ended" if ended == "1" else "settings.webhook_grace_none")
    if args.get("saved") == "rotated" and webhook_secrets.in_grace(site):
        return t("settings.saved_rotated", when=when(site.webhook_secret_previous_until))
    return t("settings.saved") if args.get("saved") else None


@bp.post("/settings/<slug>")
@admin_required
def save_settings(slug: str) -> Any:
    """Validate and save a site's rules and webhook; audit the change."""
    db = services().db
    site = find_site(db, slug)
    raw = _form_config(request.form)
    errors: dict[str, Any] = {}
    try:
        loaded = SiteConfigSchema().load(raw)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        errors = {name: _named(raw.get(name), found) for name, found in messages.items()}
        loaded = {}
    hook, secret, hook_errors = _webhook(request.form)
    errors.update(hook_errors)
    if errors:
        return _page(site, errors=errors, form=request.form, notice=None), 422
    config = {**(site.config or {}), **loaded}
    accounts.update_site(db, site.id, config=config, **hook)
    detail = {"config": loaded, "webhook_url": hook.get("webhook_url")}
    if secret_change := _save_secret(site, secret):
        detail["webhook_secret"] = secret_change
    accounts.record_site_change(db, site.id, current_actor(), "site_settings", detail)
    saved = "rotated" if secret_change == "rotated" else "1"
    return redirect(url_for("desk.site_settings", slug=site.slug, saved=saved))


def _named(entered: Any, found: Any) -> Any:
    """A list field's errors name the entry at fault ("«lan@»: Not a valid email address.")
    instead of its position, which the admin never saw."""
    if not (isinstance(found, dict) and isinstance(entered, list)):
        return found
    return [
        f"«{entered[index]}»: {' '.join(messages)}"
        for index, messages in found.items()
        if isinstance(index, int) and index < len(entered)
    ] or found


@bp.post("/settings/<slug>/keys")
@admin_required
def create_key(slug: str) -> Any:
    """Create an API key and show its secret this once (never stored, never redirected)."""
    db = services().db
    site = find_site(db, slug)
    label = " ".join(request.form.get("label", "").split())[:200]
    created: NewKey = accounts.create_api_key(db, site.id, label)
    accounts.record_site_change(
        db, site.id, current_actor(), "key_create", {"key_id": created.id, "prefix": created.prefix}
    )
    return _page(site, new_key=created, errors={}, form=None, notice=None)


@bp.post("/settings/<slug>/keys/<id:key_id>/revoke")
@admin_required
def revoke_key(slug: str, key_id: int) -> Any:
    """Revoke an API key; requests with it fail from now on."""
    db = services().db
    site = find_site(db, slug)
    accounts.revoke_api_key(db, site.id, key_id)
    clear_caches()  # this process forgets the key at once; others within the auth cache time
    accounts.record_site_change(db, site.id, current_actor(), "key_revoke", {"key_id": key_id})
    return redirect(url_for("desk.site_settings", slug=site.slug, revoked=1))


@bp.post("/settings/<slug>/retrain")
@admin_required
def retrain_model(slug: str) -> Any:
    """Ask the workers to retrain the site's own model now, rather than at the next
    site_retrain_every labels (an admin who just taught it a new campaign)."""
    svc = services()
    site = find_site(svc.db, slug)
    if model_status(svc.db, site.id).new_labels == 0:
        return redirect(url_for("desk.site_settings", slug=site.slug, retrain="nothing"))
    if not svc.queue.request_retrain(site.id):
        return redirect(url_for("desk.site_settings", slug=site.slug, retrain="failed"))
    accounts.record_site_change(svc.db, site.id, current_actor(), "model_retrain", {})
    return redirect(url_for("desk.site_settings", slug=site.slug, retrain="requested"))


@bp.post("/settings/<slug>/webhook-secret/rotate")
@admin_required
def rotate_webhook_secret(slug: str) -> Any:
    """Give the site a random new webhook secret and show it this once; the old one keeps
    signing events for the default grace."""
    db = services().db
    site = find_site(db, slug)
    rotation = webhook_secrets.rotate(db, site.id, current_actor())
    site = accounts.get_site(db, site.id)
    return _page(site, new_secret=rotation.secret, errors={}, form=None, notice=None)


@bp.post("/settings/<slug>/webhook-secret/end-grace")
@admin_required
def end_webhook_grace(slug: str) -> Any:
    """Stop signing with the replaced secret now (it leaked, or the receiver has switched)."""
    db = services().db
    site = find_site(db, slug)
    ended = webhook_secrets.end_grace(db, site.id, current_actor())
    return redirect(url_for("desk.site_settings", slug=site.slug, grace_ended=int(ended)))
