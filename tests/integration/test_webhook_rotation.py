"""Rolling a site's webhook secret: during the grace each event is signed with the new and
the old secret, afterwards with the new one only; from the store, the desk and the CLI."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from service.models import Site
from service.signatures import offered_signatures, signature, signature_matches
from service.store import Database, accounts, moderator_accounts, webhook_secrets
from tests.integration.conftest import Listener, SiteFixture
from tests.integration.test_desk import ADMIN_PASSWORD, login, token
from tests.integration.test_webhook_safety import _env, _hook_to, _published, _queue_event
from workers.cli import main

OLD, NEW, NEWER = "bí-mật-cũ", "bí-mật-mới", "bí-mật-mới-hơn"


def _db(app: Flask) -> Database:
    return app.extensions["duyet"].db


def _delivered_signature(app, client, site, work, listener, monkeypatch) -> tuple[bytes, str]:
    """Deliver one event to the listener; return its raw body and its signature header."""
    _env(monkeypatch, DUYET_WEBHOOK_ALLOW_PRIVATE="true")
    comment_id = _published(client, site, work)
    _hook_to(app, site, listener)
    _queue_event(app, comment_id, "comment.published")
    work()
    header = listener.header("X-Duyet-Signature", len(listener.heads) - 1)
    assert header is not None
    return listener.raw_bodies[-1], header


def _end_grace_by_the_clock(app: Flask, site: SiteFixture) -> None:
    """Let the grace pass: its end is a second ago."""
    with _db(app).transaction() as s:
        past = datetime.now(UTC) - timedelta(seconds=1)
        s.execute(update(Site).where(Site.id == site.id).values(webhook_secret_previous_until=past))


def _rotations(app: Flask, site: SiteFixture) -> list[tuple[str, str, dict]]:
    entries = accounts.site_audit(_db(app), site.id)
    return [(e.action, e.actor, e.detail) for e in entries if "webhook_secret_" in e.action]


def test_during_the_grace_events_carry_the_new_and_the_old_signature(
    app: Flask, client, site, work, listener: Listener, monkeypatch
):
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    rotation = webhook_secrets.rotate(_db(app), site.id, "moderator:quantri", secret=NEW)
    assert rotation.previous_until is not None
    left = rotation.previous_until - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < left <= timedelta(hours=24)
    body, header = _delivered_signature(app, client, site, work, listener, monkeypatch)
    assert header == f"{signature(body, NEW)}, {signature(body, OLD)}"
    assert offered_signatures(header) == [signature(body, NEW), signature(body, OLD)]
    # A receiver that knows either secret accepts the event; one that knows neither does not.
    assert signature_matches(body, header, [OLD]) and signature_matches(body, header, [NEW])
    assert not signature_matches(body, header, ["bí-mật-khác"])


def test_after_the_grace_the_header_is_the_new_signature_alone(
    app: Flask, client, site, work, listener: Listener, monkeypatch
):
    """A receiver that compares the whole header with its one expected value works again."""
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    webhook_secrets.rotate(_db(app), site.id, "cli", secret=NEW)
    _end_grace_by_the_clock(app, site)
    body, header = _delivered_signature(app, client, site, work, listener, monkeypatch)
    assert header == signature(body, NEW)
    assert not signature_matches(body, header, [OLD])


def test_rotating_again_in_the_grace_keeps_only_the_secret_it_replaces(
    app: Flask, client, site, work, listener: Listener, monkeypatch
):
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    first = webhook_secrets.rotate(_db(app), site.id, "cli", secret=NEW)
    second = webhook_secrets.rotate(_db(app), site.id, "cli", secret=NEWER)
    assert first.previous_until and second.previous_until
    assert second.previous_until > first.previous_until  # a grace of its own
    body, header = _delivered_signature(app, client, site, work, listener, monkeypatch)
    assert header == f"{signature(body, NEWER)}, {signature(body, NEW)}"
    assert not signature_matches(body, header, [OLD])
    assert [action for action, *_ in _rotations(app, site)] == ["webhook_secret_rotate"] * 2


def test_ending_the_grace_early_drops_the_old_signature_and_is_audited(
    app: Flask, client, site, work, listener: Listener, monkeypatch
):
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    rotation = webhook_secrets.rotate(_db(app), site.id, "moderator:quantri", secret=NEW)
    assert webhook_secrets.end_grace(_db(app), site.id, "moderator:lan") is True
    assert webhook_secrets.end_grace(_db(app), site.id, "moderator:lan") is False  # none left
    body, header = _delivered_signature(app, client, site, work, listener, monkeypatch)
    assert header == signature(body, NEW)
    (ended, ended_by, ended_detail), (rotated, rotated_by, rotated_detail) = _rotations(app, site)
    assert (rotated, rotated_by) == ("webhook_secret_rotate", "moderator:quantri")
    assert rotated_detail["grace_until"] == rotation.previous_until.isoformat()
    assert (ended, ended_by) == ("webhook_secret_grace_end", "moderator:lan")
    assert ended_detail["was_until"] == rotation.previous_until.isoformat()
    ended_at = datetime.fromisoformat(ended_detail["grace_until"])
    assert abs(ended_at - datetime.now(UTC)) < timedelta(minutes=1)
    audited = json.dumps([rotated_detail, ended_detail], ensure_ascii=False)
    assert OLD not in audited and NEW not in audited


def test_a_first_secret_a_zero_grace_and_the_same_secret_again_keep_no_old_one(app: Flask, site):
    db = _db(app)
    assert webhook_secrets.rotate(db, site.id, "cli", secret=OLD).previous_until is None
    assert webhook_secrets.signing(accounts.get_site(db, site.id)) == [OLD]
    webhook_secrets.rotate(db, site.id, "cli", secret=NEW, grace=timedelta(0))
    assert webhook_secrets.signing(accounts.get_site(db, site.id)) == [NEW]
    webhook_secrets.rotate(db, site.id, "cli", secret=NEWER)
    again = webhook_secrets.rotate(db, site.id, "cli", secret=NEWER)  # saved twice
    assert webhook_secrets.signing(accounts.get_site(db, site.id)) == [NEWER, NEW]
    assert again.previous_until is not None
    assert len(_rotations(app, site)) == 3  # the repeat is no rotation
    webhook_secrets.remove(db, site.id)
    assert webhook_secrets.signing(accounts.get_site(db, site.id)) == []  # events go unsigned
    removed = accounts.get_site(db, site.id)
    assert (removed.webhook_secret_previous, removed.webhook_secret_previous_until) == (None, None)


# --- the desk ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(app: Flask, client):
    moderator_accounts.create_moderator(_db(app), "quantri", ADMIN_PASSWORD, role="admin")
    assert login(client, "quantri", ADMIN_PASSWORD).status_code == 302
    return client


def _save_secret(client, site: SiteFixture, **fields: str):
    form = {"csrf_token": token(client), "max_links": "2", "report_threshold": "3"}
    form |= {"spam_hold": "0.5", "abuse_hold": "0.5", "spam_reject": "0.95", "abuse_reject": "0.95"}
    form |= fields
    return client.post(f"/mod/settings/{site.slug}", data=form, follow_redirects=True)


def test_saving_a_different_secret_on_the_desk_rotates_it_with_the_default_grace(
    app: Flask, admin_client, site
):
    page = admin_client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert "khóa cũ vẫn ký sự kiện thêm 24 giờ" in page
    assert _save_secret(admin_client, site, webhook_secret=OLD).status_code == 200
    assert accounts.get_site(_db(app), site.id).webhook_secret_previous is None  # a first one
    saved = _save_secret(admin_client, site, webhook_secret=NEW).get_data(as_text=True)
    stored = accounts.get_site(_db(app), site.id)
    assert (stored.webhook_secret, stored.webhook_secret_previous) == (NEW, OLD)
    assert stored.webhook_secret_previous_until is not None
    left = stored.webhook_secret_previous_until - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < left <= timedelta(hours=24)
    assert "bằng cả khóa cũ đến" in saved and 'id="secret-grace"' in saved
    assert "Thôi dùng khóa cũ ngay" in saved and OLD not in saved and NEW not in saved
    rotations = _rotations(app, site)
    assert [(a, who) for a, who, _ in rotations] == [
        ("webhook_secret_rotate", "moderator:quantri")
    ] * 2
    # The same secret saved again, or none typed: no rotation.
    _save_secret(admin_client, site, webhook_secret=NEW)
    _save_secret(admin_client, site)
    assert len(_rotations(app, site)) == 2
    assert accounts.get_site(_db(app), site.id).webhook_secret_previous == OLD


def test_clearing_the_desks_webhook_still_takes_away_url_and_secrets(
    app: Flask, admin_client, site
):
    _save_secret(admin_client, site, webhook_url="https://bao.example.vn/hook", webhook_secret=OLD)
    _save_secret(admin_client, site, webhook_url="https://bao.example.vn/hook", webhook_secret=NEW)
    page = _save_secret(admin_client, site, webhook_secret_clear="on").get_data(as_text=True)
    cleared = accounts.get_site(_db(app), site.id)
    assert (cleared.webhook_url, cleared.webhook_secret) == (None, None)
    assert (cleared.webhook_secret_previous, cleared.webhook_secret_previous_until) == (None, None)
    assert "Đã lưu cài đặt." in page and 'id="secret-grace"' not in page
    too_long = _save_secret(admin_client, site, webhook_secret="s" * 201)
    assert too_long.status_code == 422 and 'id="err-webhook_secret"' in too_long.get_data(True)


def test_the_rotate_button_shows_the_new_secret_once_and_the_end_button_ends_the_grace(
    app: Flask, admin_client, site
):
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    url = f"/mod/settings/{site.slug}/webhook-secret"
    shown = admin_client.post(f"{url}/rotate", data={"csrf_token": token(admin_client)})
    assert shown.status_code == 200
    found = re.search(r'<code id="new-secret">([^<]+)</code>', shown.get_data(as_text=True))
    assert found is not None and len(found.group(1)) >= 40
    stored = accounts.get_site(_db(app), site.id)
    assert (stored.webhook_secret, stored.webhook_secret_previous) == (found.group(1), OLD)
    page = admin_client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert found.group(1) not in page and 'id="secret-grace"' in page
    ended = admin_client.post(
        f"{url}/end-grace", data={"csrf_token": token(admin_client)}, follow_redirects=True
    )
    assert "Khóa cũ không còn ký sự kiện nào nữa." in ended.get_data(as_text=True)
    assert 'id="secret-grace"' not in ended.get_data(as_text=True)
    assert webhook_secrets.signing(accounts.get_site(_db(app), site.id)) == [found.group(1)]
    again = admin_client.post(
        f"{url}/end-grace", data={"csrf_token": token(admin_client)}, follow_redirects=True
    )
    assert "Không có khóa cũ nào đang ký sự kiện." in again.get_data(as_text=True)
    actions = [action for action, *_ in _rotations(app, site)]
    assert actions == ["webhook_secret_grace_end", "webhook_secret_rotate"]


def test_the_secret_buttons_need_the_csrf_token_and_an_admin(app: Flask, client, site, moderator):
    accounts.update_site(_db(app), site.id, webhook_secret=OLD)
    url = f"/mod/settings/{site.slug}/webhook-secret"
    login(client)  # a moderator, not an admin
    for action in ("rotate", "end-grace"):
        assert client.post(f"{url}/{action}", data={"csrf_token": token(client)}).status_code == 403
        assert client.post(f"{url}/{action}", data={"csrf_token": "wrong"}).status_code in (
            400,
            403,
        )
    assert accounts.get_site(_db(app), site.id).webhook_secret == OLD
    assert _rotations(app, site) == []


# --- the command line -------------------------------------------------------------------------


def test_the_cli_rotates_with_a_chosen_grace_prints_the_secret_once_and_ends_it(settings, capsys):
    db = Database(settings.database_url)
    assert main(["site", "create", "baotinh"]) == 0
    assert main(["site", "configure", "baotinh", "--webhook-secret", OLD]) == 0
    capsys.readouterr()
    assert main(["site", "rotate-secret", "baotinh", "--grace-hours", "2", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    site = accounts.find_site(db, "baotinh")
    assert (site.webhook_secret, site.webhook_secret_previous) == (answer["secret"], OLD)
    until = datetime.fromisoformat(answer["previous_until"])
    assert timedelta(hours=1, minutes=59) < until - datetime.now(UTC) <= timedelta(hours=2)
    assert main(["site", "end-grace", "baotinh"]) == 0
    assert "signs no more events" in capsys.readouterr().out
    assert webhook_secrets.signing(accounts.find_site(db, "baotinh")) == [answer["secret"]]
    assert main(["site", "end-grace", "baotinh"]) == 0
    assert "no old secret was signing" in capsys.readouterr().out
    assert main(["site", "rotate-secret", "baotinh"]) == 0  # the default grace, in text
    printed = capsys.readouterr().out
    newest = accounts.find_site(db, "baotinh").webhook_secret
    assert newest and printed.rstrip().endswith(newest) and "shown once" in printed
    actors = {e.actor for e in accounts.site_audit(db, site.id)}
    assert actors == {"cli"}
    db.dispose()


def test_site_configure_with_a_new_secret_rotates_it_too(settings, capsys):
    assert main(["site", "create", "baotinh"]) == 0
    assert main(["site", "configure", "baotinh", "--webhook-secret", OLD]) == 0
    assert main(["site", "configure", "baotinh", "--webhook-secret", NEW]) == 0
    assert "the old secret also signs events until" in capsys.readouterr().out
    db = Database(settings.database_url)
    site = accounts.find_site(db, "baotinh")
    assert webhook_secrets.signing(site) == [NEW, OLD]
    assert main(["site", "configure", "baotinh", "--webhook-secret", ""]) == 0  # removes both
    assert webhook_secrets.signing(accounts.find_site(db, "baotinh")) == []
    db.dispose()


@pytest.mark.parametrize("hours", ["-1", "nan", "inf", "1e9"])
def test_the_cli_refuses_a_grace_that_is_none_in_one_line(settings, capsys, hours):
    assert main(["site", "create", "baotinh"]) == 0
    assert main(["site", "rotate-secret", "baotinh", "--grace-hours", hours]) == 1
    assert capsys.readouterr().err.startswith("error: the grace is 0 to 720 hours, not ")
    assert accounts.find_site(Database(settings.database_url), "baotinh").webhook_secret is None


def test_the_cli_refuses_a_grace_that_is_no_number(settings, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["site", "rotate-secret", "baotinh", "--grace-hours", "một ngày"])
    assert exited.value.code == 2
    assert "invalid float value" in capsys.readouterr().err


def test_the_cli_names_an_unknown_site(settings, capsys):
    for command in (["rotate-secret", "khong-co"], ["end-grace", "khong-co"]):
        assert main(["site", *command]) == 1
        assert "site 'khong-co' not found" in capsys.readouterr().err
