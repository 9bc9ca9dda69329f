"""Settings come from the environment with explicit types; site config merges over defaults."""

from __future__ import annotations

import pytest

from service.settings import Settings, env_name
from service.site_config import DEFAULTS, site_config


def test_settings_read_and_coerce_environment_variables():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://x/y",
            "DUYET_JOB_TIMEOUT": "12",
            "DUYET_WEBHOOK_TIMEOUT": "1.5",
        }
    )
    assert settings.database_url == "postgresql://x/y"
    assert settings.job_timeout == 12
    assert settings.webhook_timeout == 1.5
    assert settings.redis_url == ""
    assert settings.redis_url_or_local == "redis://127.0.0.1:6379/0"


def test_empty_variables_keep_defaults():
    assert Settings.from_env({"DUYET_JOB_TIMEOUT": ""}).job_timeout == Settings().job_timeout


def test_connection_strings_keep_their_conventional_names():
    assert env_name("database_url") == "DATABASE_URL"
    assert env_name("redis_url") == "REDIS_URL"
    assert env_name("sweep_interval") == "DUYET_SWEEP_INTERVAL"


def test_site_config_overrides_only_what_is_stored():
    merged = site_config({"max_links": 5, "thresholds": {"spam_hold": 0.3}})
    assert merged["max_links"] == 5
    assert merged["thresholds"]["spam_hold"] == 0.3
    assert merged["thresholds"]["spam_reject"] == DEFAULTS["thresholds"]["spam_reject"]
    assert merged["report_threshold"] == 3


@pytest.mark.parametrize(
    ("variable", "raw", "said"),
    [
        ("DUYET_RATE_LIMIT_WINDOW", "0", "below its least, 1"),  # a division by zero later
        ("DUYET_SWEEP_INTERVAL", "0", "below its least, 1"),  # a worker spinning
        ("DUYET_WEBHOOK_RETRIES", "-3", "below its least, 0"),
        ("DUYET_MAX_BODY_BYTES", "-5", "below its least, 1024"),
        ("DUYET_SECURE_COOKIES", "ture", "is not a valid bool"),  # silently off before
    ],
)
def test_a_value_that_would_break_at_run_time_stops_at_start(variable, raw, said):
    with pytest.raises(ValueError, match=f"{variable}=.*{said}"):
        Settings.from_env({variable: raw})


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"DUYET_SMTP_URL": "mail.example.vn:25", "DUYET_MAIL_FROM": "a@b.vn"}, "must start with"),
        ({"DUYET_SMTP_URL": "smtps://mail.example.vn"}, "DUYET_MAIL_FROM must be an address"),
    ],
)
def test_mail_settings_that_would_fail_at_the_first_alert_stop_at_start(values, said):
    with pytest.raises(ValueError, match=said):
        Settings.from_env(values)
    ready = {"DUYET_SMTP_URL": "smtp+starttls://mail.example.vn:587", "DUYET_MAIL_FROM": "a@b.vn"}
    assert Settings.from_env(ready).smtp_url.startswith("smtp+starttls://")


def test_limits_of_zero_stay_allowed_they_switch_a_limit_off():
    assert Settings.from_env({"DUYET_RATE_LIMIT_AUTHOR": "0"}).rate_limit_author == 0
