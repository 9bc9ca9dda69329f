"""Readers' IP addresses and user agents forgotten after each site's days, by the workers'
sweep, with the real store (SQLite and PostgreSQL) and Redis; and the desk, the moderation
API and the Akismet endpoints with what an old comment has left."""

from __future__ import annotations

import json
import socket
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import event, insert, select, update

from service.models import Article, AuditEntry, Comment, Status, utcnow
from service.settings import Settings
from service.store import Database, accounts, retention
from service.store.site_models import site_examples
from tests.integration.conftest import SiteFixture, make_site, sqlite_plan, submit
from tests.integration.test_desk import admin, hold, login, signed_in, token  # noqa: F401
from tests.integration.test_metrics import scrape, total
from workers.cli import main
from workers.engine.plugins.akismet import AkismetClient
from workers.engine.types import CommentInput
from workers.retention import BATCH_ROWS, BATCHES_PER_RUN, TURN_KEY, sweep_retention

IP, AGENT = "203.0.113.77", "Mozilla/5.0 (Linux; Android 14) Chrome/130"
DAY = timedelta(days=1)


def _db(app: Flask) -> Database:
    return app.extensions["duyet"].db


def _posted(app: Flask, client: FlaskClient, site: SiteFixture, ago: timedelta) -> int:
    """A comment sent with the reader's IP and user agent, `ago` before now."""
    comment_id = submit(client, site, "Bài viết hay.", ip=IP, user_agent=AGENT)["id"]
    _age(app, comment_id, ago)
    return comment_id


def _age(app: Flask, comment_id: int, ago: timedelta) -> None:
    with _db(app).transaction() as s:
        s.execute(update(Comment).where(Comment.id == comment_id).values(created_at=utcnow() - ago))


def _network(app: Flask, comment_id: int) -> tuple[str | None, str | None]:
    with _db(app).transaction() as s:
        comment = s.get(Comment, comment_id)
        assert comment is not None
        return comment.ip, comment.user_agent


def _keep_for(app: Flask, site: SiteFixture, days: int) -> None:
    accounts.update_site(_db(app), site.id, config={"forget_reader_network_after_days": days})


def _runs(app: Flask, site: SiteFixture) -> list[dict]:
    with _db(app).transaction() as s:
        query = select(AuditEntry).where(
            AuditEntry.site_id == site.id, AuditEntry.action == retention.FORGOTTEN
        )
        return [entry.detail for entry in s.scalars(query.order_by(AuditEntry.id))]


def test_old_comments_lose_ip_and_user_agent_and_recent_ones_keep_them(
    app: Flask, client: FlaskClient, site: SiteFixture, redis: Redis, settings: Settings
):
    old = _posted(app, client, site, 91 * DAY)
    almost = _posted(app, client, site, 89 * DAY)
    new = _posted(app, client, site, timedelta(0))
    short, long = make_site(app, "tintuc"), make_site(app, "luutru")
    _keep_for(app, short, 30)
    _keep_for(app, long, 365)
    short_old = _posted(app, client, short, 31 * DAY)
    short_new = _posted(app, client, short, 29 * DAY)
    long_old = _posted(app, client, long, 300 * DAY)
    assert sweep_retention(_db(app), redis, settings) == 2
    assert _network(app, old) == (None, None) and _network(app, short_old) == (None, None)
    for kept in (almost, new, short_new, long_old):
        assert _network(app, kept) == (IP, AGENT)
    with _db(app).transaction() as s:  # nothing else of the comment changes
        comment = s.get(Comment, old)
        assert comment is not None and comment.body == "Bài viết hay." and comment.author_name
    (run,) = _runs(app, site)
    assert run["count"] == 1 and run["days"] == 90
    assert IP not in json.dumps(run) and AGENT not in json.dumps(run)
    assert _runs(app, long) == []


def test_each_run_is_audited_and_counted_in_the_metric(
    app: Flask, client: FlaskClient, site: SiteFixture, redis: Redis, settings: Settings
):
    before = total(scrape(client), "duyet_reader_network_forgotten_total")
    for _ in range(3):
        _posted(app, client, site, 120 * DAY)
    started = utcnow()
    assert sweep_retention(_db(app), redis, settings) == 3
    assert total(scrape(client), "duyet_reader_network_forgotten_total") == before + 3
    (run,) = _runs(app, site)
    cutoff = datetime.fromisoformat(run["cutoff"])
    assert abs(cutoff - (started - 90 * DAY)) < timedelta(seconds=30)
    assert run == {"count": 3, "days": 90, "cutoff": run["cutoff"]}
    redis.delete(TURN_KEY.format(site_id=site.id))
    assert sweep_retention(_db(app), redis, settings) == 0  # nothing left: no entry either
    assert len(_runs(app, site)) == 1


def test_workers_take_turns_once_an_hour_and_none_sweeps_without_redis(
    app: Flask,
    client: FlaskClient,
    site: SiteFixture,
    redis: Redis,
    redis_url: str,
    settings: Settings,
):
    first = _posted(app, client, site, 100 * DAY)
    with socket.socket() as probe:  # a port where no Redis listens
        probe.bind(("127.0.0.1", 0))
        away = Redis(port=probe.getsockname()[1], socket_connect_timeout=0.2)
    assert sweep_retention(_db(app), away, settings) == 0
    assert _network(app, first) == (IP, AGENT)
    assert sweep_retention(_db(app), redis, settings) == 1
    assert 3500 < redis.ttl(TURN_KEY.format(site_id=site.id)) <= 3600
    second = _posted(app, client, site, 100 * DAY)
    other_worker = Redis.from_url(redis_url)
    assert sweep_retention(_db(app), other_worker, settings) == 0  # within the hour
    assert _network(app, second) == (IP, AGENT)
    redis.delete(TURN_KEY.format(site_id=site.id))  # the hour is over
    assert sweep_retention(_db(app), other_worker, settings) == 1
    other_worker.close()


def _old_rows(app: Flask, site: SiteFixture, count: int) -> None:
    """`count` comments 100 days old with an IP and user agent, inserted in bulk."""
    db, at = _db(app), utcnow() - 100 * DAY
    with db.transaction() as s:
        article = s.scalar(
            insert(Article).values(site_id=site.id, external_id="cu").returning(Article.id)
        )
        row = {"site_id": site.id, "article_id": article, "author_name": "Lan", "body": "Cũ."}
        row |= {"ip": IP, "user_agent": AGENT, "status": Status.APPROVED.value}
        row |= {"created_at": at, "updated_at": at}
        s.execute(insert(Comment), [row] * count)


def test_a_backlog_is_cleared_over_runs_each_a_few_bounded_statements(
    app: Flask, site: SiteFixture, redis: Redis, settings: Settings
):
    per_run = BATCH_ROWS * BATCHES_PER_RUN
    _old_rows(app, site, per_run + 700)
    db = _db(app)
    cleared: list[int] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE comments SET ip"):
            cleared.append(cursor.rowcount)

    event.listen(db.engine, "after_cursor_execute", note)
    quick = settings.with_overrides(sweep_interval=2)
    assert sweep_retention(db, redis, quick) == per_run
    assert cleared == [BATCH_ROWS] * BATCHES_PER_RUN  # one transaction each
    key = TURN_KEY.format(site_id=site.id)
    assert 0 < redis.ttl(key) <= 1  # more wait: the next sweep goes on, not the next hour
    redis.delete(key)  # as it expires by then
    assert sweep_retention(db, redis, quick) == 700
    assert cleared[BATCHES_PER_RUN:] == [700] and redis.ttl(key) > 3500
    event.remove(db.engine, "after_cursor_execute", note)
    assert [run["count"] for run in _runs(app, site)] == [per_run, 700]
    with db.transaction() as s:
        assert s.scalar(select(Comment.id).where(Comment.ip.is_not(None)).limit(1)) is None


def test_the_sweep_finds_old_rows_through_its_own_index(sqlite_template, tmp_path):
    """Without ix_comments_site_network every batch walked all of a site's rows in
    ix_comments_site_ip, old or new (PostgreSQL's plan at a million: bench/retention.py)."""
    cutoff = utcnow() - 90 * DAY
    plan = sqlite_plan(
        sqlite_template,
        tmp_path,
        lambda db: retention.forget_batch(db, 1, cutoff, BATCH_ROWS),
        "UPDATE comments",
    )
    assert "ix_comments_site_network (site_id=? AND created_at<?)" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # oldest first, in the index's own order


def test_the_desk_shows_an_old_comment_without_its_ip_and_says_why(
    app: Flask,
    signed_in: FlaskClient,  # noqa: F811 (the fixture imported above)
    site: SiteFixture,
    redis: Redis,
    settings: Settings,
):
    old = hold(app, signed_in, site, ip=IP, user_agent=AGENT, author_email="lan@example.vn")
    anonymous = hold(app, signed_in, site, ip=IP, user_agent=AGENT)
    for comment_id in (old, anonymous):
        _age(app, comment_id, 95 * DAY)
    assert sweep_retention(_db(app), redis, settings) == 2
    queue = signed_in.get("/mod/queue")
    assert queue.status_code == 200
    page = queue.get_data(as_text=True)
    assert "đã xóa sau 90 ngày" in page and IP not in page
    assert "nên không thể chặn theo IP" in page  # the ban button of the anonymous one too
    card = signed_in.get(f"/mod/comments/{old}")
    assert card.status_code == 200 and "đã xóa sau 90 ngày" in card.get_data(as_text=True)
    by_email = signed_in.get(f"/mod/authors?comment={old}&by=email")
    assert by_email.status_code == 200
    assert "Trang chỉ giữ địa chỉ IP và trình duyệt của độc giả trong 90 ngày" in by_email.text
    by_ip = signed_in.get(f"/mod/authors?comment={anonymous}&by=ip")
    assert by_ip.status_code == 200 and "đã xóa sau 90 ngày" in by_ip.text
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    english = signed_in.get(f"/mod/comments/{anonymous}").get_data(as_text=True)
    assert "forgotten after 90 days" in english and "cannot be banned by IP" in english


def test_a_ban_by_a_forgotten_ip_says_it_is_gone_on_the_desk_and_the_api(
    app: Flask,
    moderator: tuple[str, str],
    signed_in: FlaskClient,  # noqa: F811 (the fixture imported above)
    site: SiteFixture,
    redis: Redis,
    settings: Settings,
):
    comment_id = hold(app, signed_in, site, ip=IP, user_agent=AGENT)
    _age(app, comment_id, 95 * DAY)
    sweep_retention(_db(app), redis, settings)  # while the moderator's card still shows it
    answer = signed_in.post(
        f"/mod/api/comments/{comment_id}/ban",
        json={"kind": "ip", "days": 7, "reject": True, "expected_status": "held"},
        headers={"X-CSRF-Token": token(signed_in)},
    )
    assert answer.status_code == 409 and answer.json["code"] == "conflict"
    assert "đã được xóa sau 90 ngày" in answer.json["message"]
    api = signed_in.application.test_client()
    by_api = api.post(
        f"/v1/moderation/comments/{comment_id}/ban",
        json={"kind": "ip", "days": 7, "reject": True},
        auth=moderator,
    )
    assert by_api.status_code == 409 and by_api.json["errors"] == {"kind": ["Forgotten."]}
    assert "forgotten after 90 days" in by_api.json["message"]
    assert api.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"] == "held"
    assert api.get("/v1/moderation/bans", auth=moderator).json["bans"] == []


def test_the_moderation_api_and_akismet_take_an_old_comment_as_it_is(
    app: Flask,
    client: FlaskClient,
    site: SiteFixture,
    moderator: tuple[str, str],
    redis: Redis,
    settings: Settings,
):
    comment_id = _posted(app, client, site, 100 * DAY)
    sweep_retention(_db(app), redis, settings)
    shown = client.get(f"/v1/moderation/comments/{comment_id}", auth=moderator)
    assert shown.status_code == 200 and shown.json["comment"]["ip"] is None
    with _db(app).transaction() as s:
        old = s.get(Comment, comment_id)
        assert old is not None
        text = f"{old.body} Ghé trang của mình xem nhé"
        stored = CommentInput(text, old.author_name, ip=old.ip, user_agent=old.user_agent)
    sent = AkismetClient(site.key, "https://baotinh.example.vn/").fields(stored)
    assert "user_ip" not in sent and "user_agent" not in sent  # what is left, no "None"
    answer = client.post("/1.1/submit-spam", data=sent)
    assert answer.get_data(as_text=True) == "Thanks for making the web a better place."
    assert site_examples(_db(app), site.id).texts == [text]


def test_admins_set_the_days_on_the_settings_page_and_with_the_cli(
    app: Flask,
    client: FlaskClient,
    site: SiteFixture,
    admin: tuple[str, str],  # noqa: F811 (the fixture imported above)
    redis: Redis,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
):
    assert login(client, *admin).status_code == 302
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert 'name="forget_reader_network_after_days"' in page and 'value="90"' in page
    assert "Chưa có bình luận nào cũ đến mức phải xóa." in page
    form = {
        "csrf_token": token(client),
        **{"max_links": "2", "report_threshold": "3", "alert_after_minutes": "30"},
        **{"spam_hold": "0.5", "spam_reject": "0.9", "abuse_hold": "0.5", "abuse_reject": "0.92"},
    }
    for refused in ("0", "3651", "ba mươi"):
        answer = client.post(
            f"/mod/settings/{site.slug}", data={**form, "forget_reader_network_after_days": refused}
        )
        assert answer.status_code == 422, refused
    saved = client.post(
        f"/mod/settings/{site.slug}", data={**form, "forget_reader_network_after_days": "30"}
    )
    assert saved.status_code == 302
    assert accounts.find_site(_db(app), site.slug).config["forget_reader_network_after_days"] == 30
    _posted(app, client, site, 31 * DAY)
    assert sweep_retention(_db(app), redis, settings) == 1
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert "Lần xóa gần nhất:" in page and "1 bình luận đăng trước" in page
    changes = page.split('id="h-changes"')[1]
    assert "sửa cài đặt trang" in changes and "xóa IP và trình duyệt" not in changes
    assert (
        main(["site", "configure", site.slug, "--set", "forget_reader_network_after_days=0"]) == 1
    )
    assert "forget_reader_network_after_days" in capsys.readouterr().err
    assert (
        main(["site", "configure", site.slug, "--set", "forget_reader_network_after_days=7"]) == 0
    )
    assert accounts.find_site(_db(app), site.slug).config["forget_reader_network_after_days"] == 7
