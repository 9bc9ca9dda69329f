"""The management commands, as an operator's scripts call them (with --json)."""

from __future__ import annotations

import json
import os
import secrets

import pytest

from service.settings import MIN_SECRET_KEY_LENGTH, TEST_SECRET_KEY
from service.store import Database, accounts
from workers.cli import main
from workers.dev import dev_secret_key
from workers.wsgi import create


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_site_key_and_moderator_commands_answer_in_json(settings, capsys):
    site = _run(capsys, "site", "create", "baotinh", "--name", "Báo Tỉnh")
    assert site["slug"] == "baotinh"
    key = _run(capsys, "key", "create", "baotinh")
    assert key["key"].startswith("dy_")
    db = Database(settings.database_url)
    assert accounts.site_for_key(db, key["key"]) == site["id"]
    moderator = _run(capsys, "moderator", "create", "lan", "--role", "admin")
    assert accounts.verify_moderator(db, "lan", moderator["password"]) is not None
    assert [s["slug"] for s in _run(capsys, "site", "list")["sites"]] == ["baotinh"]


def test_site_configure_validates_and_merges_config(settings, capsys):
    _run(capsys, "site", "create", "baotinh")
    answer = _run(
        capsys,
        "site", "configure", "baotinh",
        "--set", "max_links=4",
        "--set", 'banned_words=["cá độ"]',
        "--set", "coral_signing_secret=a-secret-of-enough-length",
        "--webhook-url", "https://example.vn/hook",
    )  # fmt: skip
    assert answer["config_keys"] == ["banned_words", "coral_signing_secret", "max_links"]
    site = accounts.find_site(Database(settings.database_url), "baotinh")
    assert site.config["max_links"] == 4 and site.config["banned_words"] == ["cá độ"]
    assert site.webhook_url == "https://example.vn/hook"
    assert main(["site", "configure", "baotinh", "--set", "max_links=-1"]) == 1
    assert "max_links" in capsys.readouterr().err


def _fails_in_one_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    return err


def test_an_operators_mistake_is_one_line_and_exit_2(settings, capsys, tmp_path, monkeypatch):
    one_label = tmp_path / "one.csv"
    one_label.write_text("text,label\nxin chào,ham\n", encoding="utf-8")
    train = ["train", "--text-column", "text", "--label-column", "label", "--out", "m.joblib"]
    assert "FileNotFoundError" in _fails_in_one_line(capsys, *train, "--csv", "missing.csv")
    assert "two distinct labels" in _fails_in_one_line(capsys, *train, "--csv", str(one_label))
    wrong = ["--csv", str(one_label), "--text-column", "body", "--label-column", "label"]
    assert "no column(s) ['body']" in _fails_in_one_line(capsys, "evaluate", *wrong)
    columns = ["--csv", str(one_label), "--text-column", "text", "--label-column", "label"]
    assert "not a model file" in _fails_in_one_line(
        capsys, "evaluate", *columns, "--model", str(one_label)
    )
    monkeypatch.setenv("DUYET_JOB_TIMEOUT", "abc")
    assert "DUYET_JOB_TIMEOUT='abc'" in _fails_in_one_line(capsys, "sweep")


def test_a_sweep_without_redis_fails_loudly(settings, capsys, monkeypatch):
    # Before: "re-queued 0 stranded comments" and exit 0, so cron never noticed.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert "ConnectionError" in _fails_in_one_line(capsys, "sweep")


@pytest.mark.parametrize("key", [None, "dev-only-change-me", "short-but-not-default"])
def test_serve_refuses_the_tests_secret_key_or_a_short_one(settings, capsys, monkeypatch, key):
    """The key signs moderator sessions: with one anyone can read, anyone is an admin."""
    if key is None:
        monkeypatch.delenv("DUYET_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("DUYET_SECRET_KEY", key)
    assert "DUYET_SECRET_KEY must be a random value" in _fails_in_one_line(capsys, "serve")
    with pytest.raises(ValueError, match="DUYET_SECRET_KEY"):
        create()  # gunicorn's own way in: workers.wsgi:create()


def test_the_app_gunicorn_loads_starts_with_a_real_key(settings, monkeypatch):
    monkeypatch.setenv("DUYET_SECRET_KEY", secrets.token_urlsafe(32))
    app = create()
    assert app.config["SECRET_KEY"] == os.environ["DUYET_SECRET_KEY"]
    app.extensions["duyet"].db.dispose()


def test_dev_makes_its_own_secret_key_once_readable_only_by_its_owner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = dev_secret_key()
    assert len(first) >= MIN_SECRET_KEY_LENGTH and first != TEST_SECRET_KEY
    assert dev_secret_key() == first  # a restart keeps moderators signed in
    assert (tmp_path / ".duyet" / "secret_key").stat().st_mode & 0o077 == 0
