"""Every setting duyet reads, in one place; the only module that reads os.environ."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

DEFAULT_DATABASE_URL = "sqlite:///duyet.db"
# The tests' key. It is in this file for anyone to read, and the key signs moderator
# sessions: a server that kept it would let anyone forge an admin's. `duyet dev` makes a
# random one of its own; `duyet serve` and gunicorn refuse to start with it.
TEST_SECRET_KEY = "dev-only-change-me"
MIN_SECRET_KEY_LENGTH = 32
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/0"


TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")


def _bool(raw: str) -> bool:
    word = raw.strip().lower()
    if word not in TRUE | FALSE:  # "ture" silently meant off (secure cookies, say)
        raise ValueError(f"{raw!r} is not one of {', '.join(sorted(TRUE | FALSE))}")
    return word in TRUE


# The least each number may be. Below it a setting breaks at run time: a rate window of 0
# divides by zero, a sweep interval of 0 spins the worker. Numbers not named here are
# counts or seconds where 0 is allowed (a limit of 0 is off) and a negative one is not.
MINIMUMS: dict[str, float] = {
    "job_timeout": 1,
    "webhook_timeout": 0.1,
    "sweep_interval": 1,
    "max_body_bytes": 1024,
    "site_models_loaded": 1,
    "dev_port": 1,
    "rate_limit_window": 1,
    "remote_classifier_timeout": 0.1,
}


@dataclass(frozen=True)
class Settings:
    """Process-wide configuration; build with Settings.from_env() or directly in tests."""

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = ""  # empty: `duyet dev` starts an embedded Redis, others use LOCAL_REDIS_URL
    secret_key: str = TEST_SECRET_KEY
    queue_name: str = "duyet"
    webhook_queue_name: str = "duyet-webhooks"
    job_timeout: int = 60
    webhook_timeout: float = 5.0
    webhook_retries: int = 5
    # Webhooks to loopback, private, link-local... addresses are refused unless this is on
    # (a development receiver on localhost); the check runs at delivery, after DNS.
    webhook_allow_private: bool = False
    sweep_interval: int = 30
    sweep_min_age: int = 30
    max_body_bytes: int = 64 * 1024
    model_path: str = ""
    # A site gets its own model (seed corpus + its moderators' labels) once this many new
    # labels arrived since its last one; 0: only an admin's request makes them (the desk's
    # "Retrain now", `duyet site retrain`).
    site_retrain_every: int = 200
    # Site models a worker keeps loaded, the least recently used going first: 15-30 MB each
    # (4,000-20,000 labels), so that a worker (~200 MB) stays under 300 MB with three.
    site_models_loaded: int = 3
    log_level: str = "INFO"
    dev_port: int = 8000
    secure_cookies: bool = False  # set behind a TLS proxy: moderator cookies only over HTTPS
    # Optional outside opinion: Akismet (or a compatible service) asked by the workers.
    akismet_key: str = ""
    akismet_blog: str = ""
    akismet_url: str = ""
    # Optional remote classifier (workers/engine/plugins/remote.py): off while the URL is empty.
    remote_classifier_url: str = ""
    remote_classifier_token: str = ""
    remote_classifier_timeout: float = 1.0
    # Rate limits: requests per rate_limit_window seconds; 0 switches a limit off.
    rate_limit_window: int = 60
    rate_limit_site_key: int = 300_000
    rate_limit_caller_ip: int = 300_000
    rate_limit_comment_ip: int = 30
    rate_limit_author: int = 20
    flood_queue_after: int = 5  # comments per window per IP/author before the bulk queue
    bulk_queue_name: str = "duyet-bulk"
    # The API processes store their comments through one writer process per server, which
    # stores the batches they send together (service/intake_writer.py); off, a thread of
    # each API process does it (the tests' in-process apps).
    intake_writer_process: bool = True

    # Behind a reverse proxy every client has the proxy's address: sign-in throttling and
    # rate limits would then count every reader as one. With N trusted proxies in front,
    # the client's address (and scheme) is read from the X-Forwarded-For / -Proto headers
    # the last N of them added (werkzeug's ProxyFix); 0 trusts no header.
    trusted_proxies: int = 0

    # Email to moderators when held comments wait too long (workers/alerts.py); off while
    # smtp_url is empty. smtp:// (a local relay), smtp+starttls:// (STARTTLS required) or
    # smtps:// (TLS from the start), with user:password@ when the server wants them.
    smtp_url: str = ""
    mail_from: str = ""
    # A PEM file of the authorities to trust for the mail server's certificate (a newsroom's
    # own CA); empty trusts the system's. Checked at start, with the URL.
    smtp_ca_file: str = ""
    # The desk's address as moderators reach it (https://binhluan.example.vn), for links in
    # those emails; without it the emails name the queue but cannot link to it.
    public_url: str = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            least = MINIMUMS.get(f.name, 0)
            if value < least:
                raise ValueError(f"{env_name(f.name)}={value} is below its least, {least}")
        self._check_mail()

    def _check_mail(self) -> None:
        """Refuse at start what would fail only when the first alert is due, hours later."""
        if not self.smtp_url:
            return
        scheme = self.smtp_url.partition("://")[0]
        if scheme not in SMTP_SCHEMES:
            raise ValueError(
                f"DUYET_SMTP_URL must start with {', '.join(s + '://' for s in SMTP_SCHEMES)}"
            )
        if "@" not in self.mail_from:
            raise ValueError("DUYET_MAIL_FROM must be an address when DUYET_SMTP_URL is set")
        if self.smtp_ca_file:
            try:
                ssl.create_default_context(cafile=self.smtp_ca_file)
            except (OSError, ssl.SSLError) as exc:
                message = f"DUYET_SMTP_CA_FILE cannot be read as PEM certificates: {exc}"
                raise ValueError(message) from exc

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read DUYET_* (and DATABASE_URL / REDIS_URL) variables, coercing each to its type."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(env_name(f.name))
            if raw is None or raw == "":
                continue
            kind = type(getattr(cls, f.name))
            try:
                values[f.name] = _bool(raw) if kind is bool else kind(raw)
            except ValueError as exc:  # name the variable: "invalid literal for int()" does not
                raise ValueError(
                    f"{env_name(f.name)}={raw!r} is not a valid {kind.__name__}"
                    + (f": {exc}" if kind is bool else "")
                ) from None
        return cls(**values)  # type: ignore[arg-type]

    def require_secret_key(self) -> None:
        """Refuse to serve moderators with the tests' key or a short one (ValueError)."""
        if self.secret_key == TEST_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(
                f"DUYET_SECRET_KEY must be a random value of {MIN_SECRET_KEY_LENGTH} characters"
                " or more (it signs moderator sessions); make one with: python -c"
                ' "import secrets; print(secrets.token_urlsafe(32))"'
            )

    @property
    def redis_url_or_local(self) -> str:
        """Return the configured Redis URL, or the conventional local one."""
        return self.redis_url or LOCAL_REDIS_URL

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with some settings replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]


# The two connection strings keep their conventional names; everything else is DUYET_*.
_PLAIN_NAMES = {"database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}


def env_name(field_name: str) -> str:
    """Return the environment variable that sets a Settings field."""
    return _PLAIN_NAMES.get(field_name, "DUYET_" + field_name.upper())


def environment_table() -> list[tuple[str, str]]:
    """List (variable, default) for every setting, for docs and their test."""
    defaults = Settings()
    return [(env_name(f.name), str(getattr(defaults, f.name))) for f in fields(Settings)]
