"""The management commands, as an operator's scripts call them (with --json)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import inspect, make_url, select, text

from service.models import AuditEntry
from service.settings import MIN_SECRET_KEY_LENGTH, TEST_SECRET_KEY, Settings
from service.store import Database, accounts, migrate, moderator_accounts
from service.store.new_comments import NewComment, submit_comment
from tests.integration.conftest import MOD_PASSWORD
from tests.integration.test_desk import login
from tests.integration.test_migrations import empty_database_url  # noqa: F401 (a fixture)
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
    assert moderator_accounts.verify_moderator(db, "lan", moderator["password"]) is not None
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


def _comment_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM comments").fetchone()[0])


def _submit(db: Database, site_id: int, n: int) -> None:
    submit_comment(
        db, site_id, NewComment(article_id="bai-1", body=f"Bình luận {n}", author_name="Lan")
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_of_a_running_sqlite_database_holds_every_comment(settings, capsys, tmp_path):
    db = Database(settings.database_url)  # kept open, as a running server's connections are
    site_id = accounts.create_site(db, "baotinh", "Báo Tỉnh").id
    for n in range(20):
        _submit(db, site_id, n)
    live = Path(make_url(settings.database_url).database or "")
    shutil.copy(live, tmp_path / "cp.db")
    assert _comment_count(tmp_path / "cp.db") < 20  # the audit's `cp`: the log stayed behind

    writing, written = threading.Event(), []

    def keep_writing() -> None:  # the API and workers go on writing during the backup
        while not writing.is_set():
            _submit(db, site_id, 100 + len(written))
            written.append(1)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        answer = _run(capsys, "db", "backup", str(tmp_path / "backup.db"))
    finally:
        writing.set()
        writer.join()
    backup = tmp_path / "backup.db"
    assert answer["backup"] == str(backup) and answer["bytes"] == backup.stat().st_size
    assert not Path(f"{backup}-wal").exists()  # one self-contained file
    assert 20 <= _comment_count(backup) <= 20 + len(written)
    with closing(sqlite3.connect(backup)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    restored = Database(f"sqlite:///{backup}")
    assert migrate.schema_problem(restored) is None
    restored.dispose()
    db.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgresql_backup_names_the_pg_dump_command(settings, capsys, tmp_path):
    target = tmp_path / "duyet.dump"
    err = _fails_in_one_line(capsys, "db", "backup", str(target))
    assert err.count("\n") == 1 and f"pg_dump --format=custom --file={target}" in err
    assert make_url(settings.database_url).database in err and not target.exists()


def test_db_current_says_where_the_schema_is_and_whether_to_upgrade(
    empty_database_url,  # noqa: F811 (the fixture imported above)
    capsys,
    monkeypatch,
):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    head = migrate.head_revision()
    never = _run(capsys, "db", "current")
    assert never == {"current": None, "head": head, "state": "empty", "upgrade_needed": True}
    migrate.upgrade(empty_database_url, "0001")
    assert _run(capsys, "db", "current")["state"] == "behind"
    assert main(["db", "current"]) == 0
    assert "0001" in (said := capsys.readouterr().out) and "duyet db upgrade" in said
    migrate.upgrade(empty_database_url)
    assert _run(capsys, "db", "current") == {
        "current": head, "head": head, "state": "current", "upgrade_needed": False,
    }  # fmt: skip
    db = Database(empty_database_url)
    with db.transaction() as s:  # as a newer duyet leaves it, after this code was rolled back
        s.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    db.dispose()
    ahead = _run(capsys, "db", "current")
    assert ahead["state"] == "unknown" and not ahead["upgrade_needed"]


NEEDS_THE_SCHEMA = [
    ["site", "list"],
    ["site", "create", "baotinh"],
    ["site", "configure", "baotinh", "--set", "max_links=3"],
    ["key", "create", "baotinh"],
    ["moderator", "create", "lan"],
    ["sweep"],
    ["worker", "--burst"],
]


def test_a_command_on_a_schema_missing_or_behind_says_run_db_upgrade_in_one_line(
    empty_database_url,  # noqa: F811 (the fixture imported above)
    capsys,
    monkeypatch,
):
    # Before: a 64-line ProgrammingError traceback on PostgreSQL, a raw SQL error on SQLite.
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    for at in ("never migrated", "0001"):
        if at == "0001":
            migrate.upgrade(empty_database_url, "0001")
        for argv in NEEDS_THE_SCHEMA:
            err = _fails_in_one_line(capsys, *argv)
            assert err.count("\n") == 1 and "run `duyet db upgrade`" in err, argv
            assert at in err
    migrate.upgrade(empty_database_url)
    assert _run(capsys, "site", "create", "baotinh")["slug"] == "baotinh"


@pytest.mark.parametrize(
    "slug", ["", "Bad Slug!", "BaoTinh", "-bao", "bao_tinh", "bao\ntinh", "b" * 65, "báo"]
)
def test_a_site_slug_is_lower_case_letters_digits_and_hyphens(settings, capsys, slug):
    assert main(["site", "create", "--", slug]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "slug" in err
    assert accounts.list_sites(Database(settings.database_url)) == []


def test_a_good_slug_is_taken(settings, capsys):
    for slug in ("bao-tinh", "24h", "b" * 64):
        assert _run(capsys, "site", "create", slug)["slug"] == slug


def test_a_new_password_or_a_removal_ends_the_moderators_desk_sessions(app, client, capsys):
    db = app.extensions["duyet"].db
    _run(capsys, "moderator", "create", "bientap", "--password", MOD_PASSWORD)
    assert login(client).status_code == 302 and client.get("/mod/queue").status_code == 200
    changed = _run(capsys, "moderator", "password", "bientap")  # random, shown once
    assert len(changed["password"]) >= moderator_accounts.MIN_PASSWORD_LENGTH
    page = client.get("/mod/queue")
    assert page.status_code == 302 and page.headers["Location"].startswith("/mod/login")
    assert moderator_accounts.verify_moderator(db, "bientap", MOD_PASSWORD) is None
    assert login(client, password=changed["password"]).status_code == 302
    assert client.get("/mod/queue").status_code == 200

    _run(capsys, "moderator", "remove", "bientap")
    assert client.get("/mod/queue").status_code == 302
    assert moderator_accounts.verify_moderator(db, "bientap", changed["password"]) is None
    assert _run(capsys, "moderator", "list")["moderators"] == []
    assert main(["moderator", "remove", "bientap"]) == 1
    assert "not found" in capsys.readouterr().err


def test_moderators_are_listed_without_their_passwords(settings, capsys):
    _run(capsys, "moderator", "create", "lan", "--role", "admin")
    _run(capsys, "moderator", "create", "minh")
    listed = _run(capsys, "moderator", "list")["moderators"]
    assert [(m["username"], m["role"]) for m in listed] == [("lan", "admin"), ("minh", "moderator")]
    assert set(listed[0]) == {"id", "username", "role", "created", "scope"}


def test_a_role_is_changed_audited_and_the_last_admin_kept(settings, capsys):
    _run(capsys, "moderator", "create", "lan", "--role", "admin")
    _run(capsys, "moderator", "create", "minh")
    assert _run(capsys, "moderator", "role", "minh", "admin") == {
        "username": "minh",
        "role": "admin",
    }
    assert _run(capsys, "moderator", "role", "lan", "moderator")["role"] == "moderator"
    assert main(["moderator", "role", "minh", "moderator"]) == 1  # the last admin
    assert "last admin" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:  # not a role: argparse's usage error
        main(["moderator", "role", "minh", "editor"])
    assert refused.value.code == 2 and "invalid choice: 'editor'" in capsys.readouterr().err
    listed = _run(capsys, "moderator", "list")["moderators"]
    assert [(m["username"], m["role"]) for m in listed] == [("lan", "moderator"), ("minh", "admin")]
    db = Database(settings.database_url)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "moderator_role")).all()
        changes = [(row.actor, row.detail["moderator"], row.detail["after"]) for row in rows]
    assert changes == [("cli", "minh", "admin"), ("cli", "lan", "moderator")]


def test_a_moderators_scope_is_set_checked_listed_audited_and_cleared(settings, capsys):
    _run(capsys, "site", "create", "baotinh")
    _run(capsys, "site", "create", "baokhac")
    _run(capsys, "moderator", "create", "minh")
    argv = ["moderator", "scope", "minh", "--site", "baotinh", "--section", " the-thao "]
    scoped = _run(capsys, *argv, "--section", "bong-da")
    assert scoped["scope"] == {"sites": ["baotinh"], "sections": ["bong-da", "the-thao"]}
    assert main(["moderator", "list"]) == 0
    listed = capsys.readouterr().out
    assert "minh\tmoderator" in listed and "sites: baotinh; sections: bong-da, the-thao" in listed
    assert _run(capsys, "moderator", "list")["moderators"][0]["scope"] == scoped["scope"]
    assert main(["moderator", "scope", "minh", "--site", "khong-co", "--site", "baotinh"]) == 1
    assert "no site with slug 'khong-co'" in capsys.readouterr().err
    for refused in (["--all", "--site", "baotinh"], [], ["--section", "   "]):
        assert main(["moderator", "scope", "minh", *refused]) in (1, 2)
        assert capsys.readouterr().err.startswith("error: ")
    assert main(["moderator", "scope", "ai-do", "--all"]) == 1
    assert "not found" in capsys.readouterr().err
    sections_only = _run(capsys, "moderator", "scope", "minh", "--section", "thoi-su")
    assert sections_only["scope"] == {"sites": [], "sections": ["thoi-su"]}
    assert _run(capsys, "moderator", "scope", "minh", "--all")["scope"] is None
    assert main(["moderator", "list"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("\tall")
    db = Database(settings.database_url)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.action == "moderator_scope")).all()
        changes = [(row.actor, row.detail["before"], row.detail["after"]) for row in rows]
    assert changes == [
        ("cli", None, scoped["scope"]),
        ("cli", scoped["scope"], sections_only["scope"]),
        ("cli", sections_only["scope"], None),
    ]


def test_no_table_refers_to_a_moderator_by_key_so_removal_keeps_the_audit_trail(settings):
    # Decisions and audit rows name the moderator in text ("moderator:lan"): a removed
    # account's past decisions stay. A foreign key to moderators would make removal fail.
    db = Database(settings.database_url)
    schema = inspect(db.engine)
    for table in schema.get_table_names():
        assert all(fk["referred_table"] != "moderators" for fk in schema.get_foreign_keys(table))
    db.dispose()


@pytest.mark.parametrize("command", [["create", "lan"], ["password", "lan"]])
def test_a_password_needs_12_characters(settings, capsys, command):
    if command[0] == "password":
        _run(capsys, "moderator", "create", "lan", "--password", MOD_PASSWORD)
    assert main(["moderator", *command, "--password", "elevenchars"]) == 1
    err = capsys.readouterr().err
    assert err == "error: a password needs at least 12 characters\n"
    assert main(["moderator", *command, "--password", "twelve-chars"]) == 0


def test_keys_are_listed_without_secrets_and_revoked_by_id(settings, capsys):
    db = Database(settings.database_url)
    _run(capsys, "site", "create", "baotinh")
    _run(capsys, "site", "create", "baokhac")
    old = _run(capsys, "key", "create", "baotinh", "--label", "cũ")
    new = _run(capsys, "key", "create", "baotinh", "--label", "mới")
    listed = _run(capsys, "key", "list", "baotinh")["keys"]
    assert [(k["id"], k["label"], k["revoked"]) for k in listed] == [
        (old["id"], "cũ", None), (new["id"], "mới", None),
    ]  # fmt: skip
    assert set(listed[0]) == {"id", "prefix", "label", "created", "revoked"}
    assert listed[0]["prefix"] in old["key"] and old["key"] not in json.dumps(listed)
    assert _run(capsys, "key", "revoke", "baotinh", str(old["id"]))["revoked"] == old["id"]
    assert accounts.site_for_key(db, old["key"]) is None
    assert accounts.site_for_key(db, new["key"]) is not None
    assert _run(capsys, "key", "list", "baotinh")["keys"][0]["revoked"] is not None
    for site, key_id in (("baokhac", str(new["id"])), ("baotinh", "١"), ("baotinh", "9" * 30)):
        assert main(["key", "revoke", site, key_id]) == 1  # another site's key, or no id
        assert "not found" in capsys.readouterr().err
    assert accounts.site_for_key(db, new["key"]) is not None
    db.dispose()


def _duyet(settings: Settings, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the duyet command in a process of its own, as cron or systemd does."""
    environ = {**os.environ, "DATABASE_URL": settings.database_url, **env}
    command = [sys.executable, "-m", "workers.cli", *argv]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def test_a_burst_worker_without_redis_fails_in_one_line(settings):
    # Before: it retried every second for ever, so cron never heard of it.
    done = _duyet(
        settings, "worker", "--burst", "--only", "webhooks", REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("error: ConnectionError: ")


def test_a_corrupt_model_file_is_named_with_its_setting(settings, tmp_path):
    model = tmp_path / "model.joblib"
    model.write_text("garbage\n", encoding="utf-8")  # was: invalid literal for int()
    done = _duyet(settings, "worker", "--burst", DUYET_MODEL_PATH=str(model))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    said = done.stderr.splitlines()[-1]
    assert said.startswith(f"error: ValueError: DUYET_MODEL_PATH={model}: not a model file (")
    done = _duyet(settings, "worker", "--burst", DUYET_MODEL_PATH=str(tmp_path / "none"))
    assert done.stderr.splitlines()[-1].endswith(f"={tmp_path / 'none'}: No such file or directory")


def test_serve_refuses_a_schema_behind_before_starting(settings, capsys, tmp_path, monkeypatch):
    """gunicorn on a database never migrated would answer 500 to every comment."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("DUYET_SECRET_KEY", secrets.token_urlsafe(32))
    assert main(["serve"]) == 2
    assert "never migrated; run `duyet db upgrade`" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()  # asking created no empty database
