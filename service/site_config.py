"""A site's rule settings: the defaults, and the schema admins edit them through."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

DEFAULTS: dict[str, Any] = {
    "banned_words": [],
    "suspect_words": [],
    "common_profanity": True,
    "profanity_allowed": [],
    "blocked_domains": [],
    "max_links": 2,
    "max_length": 5000,
    "flood_per_minute": 5,
    "report_threshold": 3,
    "premoderate_default": False,
    "thresholds": {"spam_hold": 0.5, "spam_reject": 0.9, "abuse_hold": 0.5, "abuse_reject": 0.92},
    # Who is emailed when held comments wait longer than alert_after_minutes (workers/alerts.py).
    "alert_emails": [],
    "alert_after_minutes": 30,
    # Days a comment keeps its reader's IP address and user agent; the workers' sweep then
    # clears both (workers/retention.py). They serve flood checks, bans and spotting one
    # person behind many names for a while, not for ever (Decree 13/2023/ND-CP, the GDPR).
    "forget_reader_network_after_days": 90,
}
MAX_ALERT_MINUTES = 24 * 60
MAX_NETWORK_DAYS = 3650

_probability = validate.Range(min=0.0, max=1.0)


class ThresholdsSchema(Schema):
    spam_hold = fields.Float(validate=_probability)
    spam_reject = fields.Float(validate=_probability)
    abuse_hold = fields.Float(validate=_probability)
    abuse_reject = fields.Float(validate=_probability)


class SiteConfigSchema(Schema):
    """Rule settings of one site; every field optional, unset ones keep their default."""

    banned_words = fields.List(
        fields.String(validate=validate.Length(1, 100)), validate=validate.Length(max=2000)
    )
    suspect_words = fields.List(
        fields.String(validate=validate.Length(1, 100)), validate=validate.Length(max=2000)
    )
    common_profanity = fields.Boolean()
    # Words of the built-in profanity list this site publishes (workers/engine/rules/profanity.py).
    profanity_allowed = fields.List(
        fields.String(validate=validate.Length(1, 100)), validate=validate.Length(max=200)
    )
    blocked_domains = fields.List(
        fields.String(validate=validate.Length(1, 253)), validate=validate.Length(max=2000)
    )
    max_links = fields.Integer(validate=validate.Range(min=0, max=100))
    max_length = fields.Integer(validate=validate.Range(min=1, max=100_000))
    flood_per_minute = fields.Integer(validate=validate.Range(min=1, max=10_000))
    report_threshold = fields.Integer(validate=validate.Range(min=1, max=1000))
    premoderate_default = fields.Boolean()
    thresholds = fields.Nested(ThresholdsSchema)
    alert_emails = fields.List(
        fields.Email(validate=validate.Length(3, 320)), validate=validate.Length(max=20)
    )
    alert_after_minutes = fields.Integer(validate=validate.Range(min=5, max=MAX_ALERT_MINUTES))
    forget_reader_network_after_days = fields.Integer(
        validate=validate.Range(min=1, max=MAX_NETWORK_DAYS)
    )
    # The shared secret Coral signs its external-moderation requests with; a list while rolling.
    coral_signing_secret = fields.String(validate=validate.Length(min=16, max=200))
    coral_signing_secrets = fields.List(
        fields.String(validate=validate.Length(min=16, max=200)), validate=validate.Length(max=5)
    )


def site_config(stored: dict[str, Any] | None) -> dict[str, Any]:
    """Return a site's effective configuration: its stored values over the defaults."""
    merged = {**DEFAULTS, **(stored or {})}
    merged["thresholds"] = {**DEFAULTS["thresholds"], **(stored or {}).get("thresholds", {})}
    return merged
