"""The moderator's desk through the Flask test client: sign-in, CSRF, queue, actions, settings."""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from service import create_app
from service.errors import Conflict
from service.models import Comment, utcnow
from service.queue import RETRAIN_LOCK_KEY
from service.store import (
    Database,
    accounts,
    desk_paging,
    desk_queue,
    desk_search,
    moderator_accounts,
)
from service.store.bans import bans_for
from service.store.moderation_input import load_for_moderation
from service.store.moderator_decisions import moderator_decide, undo_decision
from service.store.reading import comment_history
from service.store.records import audit
from service.store.site_models import add_example, model_status, save_site_model, site_examples
from service.store.system_decisions import record_system_decision
from service.ui import i18n
from service.ui.render import email_hash, segments
from tests.integration.conftest import (
    MOD_PASSWORD,
    SiteFixture,
    in_parallel,
    make_site,
    sqlite_plan,
    submit,
)
from workers.site_training import RETRAIN_CHECK_KEY, retrain_due_sites

ADMIN_PASSWORD = "quản-trị-thử-456"
OTHER_PASSWORD = "mật-khẩu-khác-789"
BANNED = "cá độ"
BODY = f"Vào trang này {BANNED} bóng đá uy tín nhất, liên hệ ngay."
XSS = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    ' <a href="javascript:window.__pwned=3">bấm vào đây</a>'
)


def _db(app: Flask):
    return app.extensions["duyet"].db


def hold(
    app: Flask,
    client: FlaskClient,
    site: SiteFixture,
    body: str = BODY,
    spam: float = 0.3,
    code: str = "suspect_word",
    **fields: object,
) -> int:
    """Submit a comment and record the engine's 'hold' for it, with a reason and its span."""
    accepted = submit(client, site, body, **fields)
    start = body.find(BANNED)
    spans = [[start, start + len(BANNED)]] if start >= 0 else []
    reason = {
        "code": code,
        "message": f"Chứa từ đáng ngờ: «{BANNED}»",
        "verdict": "hold",
        "spans": spans,
        "detail": {"en": f"Suspect word: «{BANNED}»"},
    }
    scores = {"spam": spam, "abuse": 0.1}
    record_system_decision(_db(app), accepted["id"], "hold", scores, [reason], "test-1")
    return int(accepted["id"])


def login(client: FlaskClient, username: str = "bientap", password: str = MOD_PASSWORD):
    page = client.get("/mod/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token, "the login form carries a CSRF token"
    return client.post(
        "/mod/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )


def token(client: FlaskClient) -> str:
    with client.session_transaction("/mod/") as session:
        return str(session["csrf"])


def act(client: FlaskClient, url: str, body: dict, csrf: str | None = None):
    headers = {"X-CSRF-Token": token(client) if csrf is None else csrf}
    return client.post(url, json=body, headers=headers)


def decide(client: FlaskClient, comment_id: int, action: str, **extra: object):
    return act(client, f"/mod/api/comments/{comment_id}/decision", {"action": action, **extra})


def status_of(client: FlaskClient, site: SiteFixture, comment_id: int) -> str:
    return client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"]


@pytest.fixture
def admin(app: Flask) -> tuple[str, str]:
    moderator_accounts.create_moderator(_db(app), "quantri", ADMIN_PASSWORD, role="admin")
    return ("quantri", ADMIN_PASSWORD)


@pytest.fixture
def signed_in(client: FlaskClient, moderator) -> FlaskClient:
    assert login(client).status_code == 302
    return client


# --- signing in ------------------------------------------------------------------------------


def test_pages_ask_for_sign_in_and_the_cookie_is_httponly_lax_and_scoped(client, moderator):
    response = client.get("/mod/queue?tab=spam")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/mod/login?next=/mod/queue")
    page = client.get("/mod/login").get_data(as_text=True)
    assert '<html lang="vi">' in page and "Đăng nhập" in page
    answer = login(client)
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/mod" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests
    assert client.get("/mod/queue").status_code == 200


def test_the_cookie_is_secure_over_tls(client, moderator):
    client.get("/mod/login", base_url="https://localhost")
    with client.session_transaction("/mod/", base_url="https://localhost") as session:
        csrf = session["csrf"]
    answer = client.post(
        "/mod/login",
        base_url="https://localhost",
        data={"username": "bientap", "password": MOD_PASSWORD, "csrf_token": csrf},
    )
    assert answer.status_code == 302
    assert "Secure" in answer.headers["Set-Cookie"]


def test_wrong_passwords_lock_the_account_even_for_the_right_one(client, moderator):
    for _ in range(5):
        answer = login(client, password="sai-mat-khau")
        assert answer.status_code == 401
        assert "bị khóa" in answer.get_data(as_text=True)
    assert login(client).status_code == 401
    assert client.get("/mod/queue").status_code == 302


def test_sign_in_without_the_csrf_token_is_refused(client, moderator):
    client.get("/mod/login")
    answer = client.post("/mod/login", data={"username": "bientap", "password": MOD_PASSWORD})
    assert answer.status_code == 403
    assert client.get("/mod/queue").status_code == 302


def test_logout_ends_the_session(signed_in):
    answer = signed_in.post("/mod/logout", data={"csrf_token": token(signed_in)})
    assert answer.status_code == 302
    assert signed_in.get("/mod/queue").status_code == 302
    assert signed_in.post("/mod/api/undo", json={"ids": [1]}).status_code in (401, 403)


def test_a_site_key_or_no_session_cannot_use_the_desk_api(client, site, app):
    comment_id = hold(app, client, site)
    answer = client.post(
        f"/mod/api/comments/{comment_id}/decision", json={"action": "approve"}, headers=site.headers
    )
    assert answer.status_code in (401, 403)
    assert answer.json["code"] in ("unauthorized", "csrf_failed")
    assert status_of(client, site, comment_id) == "held"


# --- CSRF on actions -------------------------------------------------------------------------


def test_actions_without_or_with_a_wrong_csrf_token_change_nothing(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    url = f"/mod/api/comments/{comment_id}/decision"
    missing = signed_in.post(url, json={"action": "approve"})
    wrong = act(signed_in, url, {"action": "approve"}, csrf="not-the-token")
    assert missing.status_code == wrong.status_code == 403
    assert missing.json["code"] == "csrf_failed"
    assert status_of(signed_in, site, comment_id) == "held"
    assert decide(signed_in, comment_id, "approve").status_code == 200


# --- the queue -------------------------------------------------------------------------------


def test_a_held_card_shows_highlighted_span_reasons_scores_and_no_raw_email(signed_in, site, app):
    email = "lan.nguyen@example.vn"
    comment_id = hold(app, signed_in, site, author_email=email, ip="203.0.113.9", spam=0.82)
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    assert f'id="c-{comment_id}"' in page
    mark = '<mark class="hl" data-reasons="1">cá độ<sup class="rref">1</sup></mark>'
    assert mark in page
    assert f"Chứa từ đáng ngờ: «{BANNED}»" in page
    assert "Spam 82%" in page
    assert "203.0.113.9" in page
    assert email not in page
    assert email_hash(email, app.config["SECRET_KEY"]) in page
    assert re.search(r'data-count="held">1<', page)


def test_comment_text_is_escaped_and_pages_have_a_strict_csp(signed_in, site, app):
    comment_id = hold(app, signed_in, site, body=XSS)
    response = signed_in.get("/mod/queue")
    page = response.get_data(as_text=True)
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "<img src=x" not in page and 'href="javascript:' not in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    history = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert "<script>window.__pwned" not in history


def test_replies_show_their_parent_and_the_author_history(signed_in, site, app):
    first = hold(app, signed_in, site, body="Bài viết hay.", author_email="an@example.vn")
    decide(signed_in, first, "approve")
    reply = hold(
        app, signed_in, site, body="Trả lời: " + BODY, parent_id=first, author_email="an@example.vn"
    )
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    card = page[page.index(f'id="c-{reply}"') :]
    assert "Trả lời bình luận của Lan" in card
    assert "Bài viết hay." in card
    assert "1 đã duyệt · 0 bị từ chối/spam · 2 tổng" in card


def test_riskiest_first_reason_filter_and_cursor_paging(signed_in, site, app):
    low = hold(app, signed_in, site, spam=0.2)
    high = hold(app, signed_in, site, spam=0.95, code="contact_phone")
    mid = hold(app, signed_in, site, spam=0.6)
    db = _db(app)
    oldest, _ = desk_queue.queue_page(db, desk_queue.QueueFilter("held"), "oldest")
    assert [i.comment.id for i in oldest] == [low, high, mid]
    pages, cursor = [], None
    while True:
        items, cursor = desk_queue.queue_page(
            db, desk_queue.QueueFilter("held"), "riskiest", 2, cursor
        )
        pages.append([i.comment.id for i in items])
        if cursor is None:
            break
    assert pages == [[high, mid], [low]]
    one_site = desk_queue.QueueFilter("held", site_ids=(site.id,))  # its own index, partial on held
    first, cursor = desk_queue.queue_page(db, one_site, "riskiest", 2)
    rest, _ = desk_queue.queue_page(db, one_site, "riskiest", 2, cursor)
    assert [[i.comment.id for i in page] for page in (first, rest)] == pages
    phone, _ = desk_queue.queue_page(db, desk_queue.QueueFilter("held", reason="contact_phone"))
    assert [i.comment.id for i in phone] == [high]
    page = signed_in.get("/mod/queue?order=riskiest&reason=contact_phone").get_data(as_text=True)
    assert f'id="c-{high}"' in page and f'id="c-{low}"' not in page
    assert signed_in.get("/mod/queue?cursor=garbage").status_code == 400


def test_a_sites_riskiest_held_page_seeks_its_own_index(sqlite_template, tmp_path):
    """SQLite has no statistics to tell a small site from a large one: without an index led
    by the site it walks every site's risk order (637 ms for a small site's page beside a
    million held, bench/queue_page.py). Read from the statement as sent, parameters bound."""
    path = tmp_path / "duyet.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    one_site = desk_queue.QueueFilter("held", site_ids=(2,))
    later = desk_paging.encode_desk_cursor([0.5, utcnow(), 10])

    sent: list[tuple[str, tuple[object, ...]]] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))  # as SQLite gets it, bound values and all

    event.listen(db.engine, "before_cursor_execute", note)
    plans = []
    for cursor in (None, later):
        with db.transaction() as s:
            s.execute(desk_queue.page_keys_query(one_site, "riskiest", cursor).limit(26)).all()
            statement, parameters = sent[-1]
            rows = s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append(" ".join(row[-1] for row in rows))
    db.dispose()
    for plan in plans:
        assert "ix_comments_held_risk" in plan and "TEMP B-TREE" not in plan, plan


def test_tabs_count_what_they_list_and_reported_comments_have_their_tab(signed_in, site, app):
    ids = [hold(app, signed_in, site) for _ in range(3)]
    decide(signed_in, ids[0], "approve")
    decide(signed_in, ids[1], "spam")
    signed_in.post(f"/v1/comments/{ids[0]}/reports", json={"reason": "abuse"}, headers=site.headers)
    counts = desk_queue.tab_counts(_db(app), desk_queue.QueueFilter())
    expected = {"held": 1, "reported": 1, "pending": 0, "approved": 1, "spam": 1, "rejected": 0}
    assert counts == expected
    reported = signed_in.get("/mod/queue?tab=reported").get_data(as_text=True)
    assert f'id="c-{ids[0]}"' in reported and "1 lượt báo cáo" in reported
    decide(signed_in, ids[0], "approve")  # looked at again: leaves the reported tab
    assert desk_queue.tab_counts(_db(app), desk_queue.QueueFilter())["reported"] == 0


def _report(client: FlaskClient, site: SiteFixture, comment_id: int, reason: str, note: str = ""):
    body = {"reason": reason, "note": note}
    answer = client.post(f"/v1/comments/{comment_id}/reports", json=body, headers=site.headers)
    assert answer.status_code < 300, answer.json


def test_cards_say_why_readers_reported_counted_with_their_latest_notes(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "approve")
    _report(signed_in, site, comment_id, "spam", "Quảng cáo cá độ <b>lộ liễu</b>")
    _report(signed_in, site, comment_id, "abuse")
    _report(signed_in, site, comment_id, "spam", "x" * 400)
    for n in range(3):
        _report(signed_in, site, comment_id, "off_topic", f"ghi chú số {n}")
    page = signed_in.get("/mod/queue?tab=reported").get_data(as_text=True)
    card = page[page.index(f'id="c-{comment_id}"') :]
    reasons = re.search(r'<p class="report-reasons">(.*?)</p>', card, re.S)
    assert reasons is not None
    words = re.sub(r"<[^>]+>", "", reasons.group(1))
    assert words == "lạc đề ×3, spam ×2, xúc phạm ×1"
    notes = re.findall(r'<q class="text">(.*?)</q>', card)
    assert notes == ["ghi chú số 2", "ghi chú số 1", "ghi chú số 0"]  # the latest three
    history = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert "lạc đề ×3" in history and "<b>lộ liễu" not in history
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    english = signed_in.get("/mod/queue?tab=reported").get_data(as_text=True)
    listed = re.search(r'<p class="report-reasons">(.*?)</p>', english, re.S)
    assert listed and re.sub(r"<[^>]+>", "", listed.group(1)) == "off topic ×3, spam ×2, abuse ×1"
    log = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    log = log[log.index('id="h-audit"') :]
    assert "<td>reported by a reader: off topic</td>" in log


def test_report_notes_are_escaped_and_truncated_and_loaded_in_one_query(signed_in, site, app):
    first = hold(app, signed_in, site)
    second = hold(app, signed_in, site)
    _report(signed_in, site, first, "spam", XSS)
    _report(signed_in, site, second, "other", "y" * 900)
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    assert "<script>window.__pwned" not in page and "&lt;script&gt;" in page
    assert "y" * 159 + "…" in page and "y" * 161 not in page
    sent: list[str] = []

    def count(conn, cursor, statement, *rest):  # type: ignore[no-untyped-def]
        sent.append(statement)

    db = _db(app)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        items, _ = desk_queue.queue_page(db, desk_queue.QueueFilter("held"))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [i.reports.reasons for i in items if i.reports] == [{"spam": 1}, {"other": 1}]
    assert len([q for q in sent if "FROM reports" in q]) == 1


def test_the_search_box_jumps_to_a_comment_or_an_authors_page(signed_in, site, app):
    comment_id = hold(app, signed_in, site, author_email="an@example.vn", ip="198.51.100.4")
    by_author = hold(app, signed_in, site, author_id="u-42")
    answer = signed_in.get(f"/mod/queue?q=%23{comment_id}")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/mod/comments/{comment_id}"
    for q, kind in (("an@example.vn", "email"), ("198.51.100.4", "ip")):
        found = signed_in.get("/mod/queue", query_string={"q": q})
        assert found.status_code == 302
        assert found.headers["Location"] == f"/mod/authors?comment={comment_id}&by={kind}"
    found = signed_in.get("/mod/queue", query_string={"q": "u-42", "by": "author"})
    assert found.headers["Location"] == f"/mod/authors?comment={by_author}&by=author"
    missing = signed_in.get("/mod/queue?q=999999").get_data(as_text=True)
    assert "Không có bình luận #999999." in missing
    nobody = signed_in.get("/mod/queue", query_string={"q": "<b>x</b>@example.vn"})
    page = nobody.get_data(as_text=True)
    assert nobody.status_code == 200 and "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    other = make_site(app, "baokhac")
    elsewhere = submit(signed_in, other, "Bình luận ở trang khác.", author_email="an@example.vn")
    both = signed_in.get("/mod/queue", query_string={"q": "an@example.vn"}).get_data(as_text=True)
    assert f"/mod/authors?comment={comment_id}&amp;by=email" in both
    assert f"/mod/authors?comment={elsewhere['id']}&amp;by=email" in both
    one_site = signed_in.get("/mod/queue", query_string={"q": "an@example.vn", "site": "baokhac"})
    assert one_site.headers["Location"] == f"/mod/authors?comment={elsewhere['id']}&by=email"


def test_text_search_reads_a_bounded_window_of_the_tab_and_goes_further_by_cursor(
    signed_in, site, app, monkeypatch
):
    monkeypatch.setattr(desk_search, "SEARCH_WINDOW", 4)
    ids = [hold(app, signed_in, site, body=f"Bình luận số {n} về GIÁ XĂNG.") for n in range(6)]
    plain = hold(app, signed_in, site, body="Không liên quan.")
    tagged = hold(app, signed_in, site, body="<i>giá xăng</i> tăng")
    decide(signed_in, ids[0], "approve")  # another tab: not searched from the held tab
    # Two characters: too few for the full-text index (test_fulltext_search.py), so the window.
    page = signed_in.get("/mod/queue", query_string={"q": "xă"}).get_data(as_text=True)
    listed = [int(n) for n in re.findall(r'<article class="card" id="c-(\d+)"', page)]
    assert listed == [tagged, ids[5], ids[4]]  # in the 4 newest held, newest first
    assert "&lt;i&gt;giá xăng&lt;/i&gt;" in page and "<i>giá xăng" not in page
    assert "3 bình luận có «xă» trong 4 bình luận mới nhất" in page
    further = re.search(r'<a href="([^"]+)" rel="next">Tìm tiếp', page)
    assert further is not None
    rest = signed_in.get(further.group(1).replace("&amp;", "&")).get_data(as_text=True)
    listed = [int(n) for n in re.findall(r'<article class="card" id="c-(\d+)"', rest)]
    assert listed == [ids[3], ids[2], ids[1]] and plain not in listed
    unaccented = signed_in.get("/mod/queue", query_string={"q": "xa"}).get_data(as_text=True)
    assert "3 bình luận có «xa» trong 4" in unaccented
    assert "Đã xem hết thẻ này." in rest and 'rel="next"' not in rest
    approved = signed_in.get("/mod/queue", query_string={"q": "GIÁ", "tab": "approved"})
    assert f'id="c-{ids[0]}"' in approved.get_data(as_text=True)
    short = signed_in.get("/mod/queue", query_string={"q": "g"}).get_data(as_text=True)
    assert "Hãy gõ ít nhất 2 ký tự." in short and '<article class="card"' not in short


def test_text_search_is_a_bounded_walk_of_the_tabs_index(sqlite_template, tmp_path):
    """The plan reads the tab's (site, status, created_at) index newest first, at most the
    window, and never the comments table in full."""
    filtered = desk_queue.QueueFilter("held", site_ids=(2,))
    plan = sqlite_plan(
        sqlite_template,
        tmp_path,
        lambda db: desk_search.search_text(db, filtered, "giá xăng"),
        "LIMIT",
    )
    assert "ix_comments_site_status" in plan and "SCAN comments" not in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_the_pending_tab_lists_what_the_worker_has_not_decided_read_only(signed_in, site, app):
    held = hold(app, signed_in, site)
    waiting = [submit(signed_in, site, f"Chờ worker số {n}.")["id"] for n in range(2)]
    with _db(app).transaction() as s:  # as if the worker stopped ten minutes ago
        s.get(Comment, waiting[0]).created_at = utcnow() - timedelta(minutes=10)
    response = signed_in.get("/mod/queue?tab=pending")
    page = response.get_data(as_text=True)
    assert all(f'id="c-{i}"' in page for i in waiting) and f'id="c-{held}"' not in page
    assert re.search(r'data-count="pending">2<', page)
    assert "data-action=" not in page and 'class="bulk"' not in page and "ban-form" not in page
    assert "Bình luận chờ lâu nhất đã chờ 10 phút" in page
    assert "worker có thể đang ngừng" in page
    refused = decide(signed_in, waiting[0], "approve", expected_status="pending")
    assert refused.status_code >= 400 and status_of(signed_in, site, waiting[0]) == "pending"
    one = signed_in.get(f"/mod/comments/{waiting[1]}").get_data(as_text=True)
    assert "data-action=" not in one and "Đang chờ worker xét" in one
    with _db(app).transaction() as s:
        s.get(Comment, waiting[0]).created_at = utcnow()
    recent = signed_in.get("/mod/queue?tab=pending").get_data(as_text=True)
    assert "worker có thể đang ngừng" not in recent and "đã chờ" in recent
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    assert "Waiting for the worker" in signed_in.get("/mod/queue?tab=pending").get_data(
        as_text=True
    )


# --- actions ---------------------------------------------------------------------------------


def test_approve_publishes_through_the_site_api_and_is_audited(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    answer = decide(signed_in, comment_id, "approve")
    assert answer.status_code == 200
    assert answer.json["status"] == "approved" and answer.json["counts"]["held"] == 0
    thread = signed_in.get("/v1/articles/bai-1/comments", headers=site.headers).json
    assert [c["id"] for c in thread["comments"]] == [comment_id]
    _, _, entries = comment_history(_db(app), comment_id)
    assert [(e.actor, e.action, e.to_status) for e in entries][-1] == (
        "moderator:bientap",
        "approve",
        "approved",
    )


def test_reject_records_the_reason_from_the_list(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    assert decide(signed_in, comment_id, "reject", reason="off_topic").json["status"] == "rejected"
    _, decisions, entries = comment_history(_db(app), comment_id)
    assert decisions[-1].note == "reject_reason:off_topic"
    assert entries[-1].detail == {"note": "reject_reason:off_topic"}


def test_unknown_action_is_a_clear_4xx(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    answer = decide(signed_in, comment_id, "publish")
    assert answer.status_code == 400 and answer.json["errors"] == {"action": ["Unknown."]}
    assert decide(signed_in, 999_999, "approve").status_code == 404


def test_bulk_marks_many_as_spam_each_audited(signed_in, site, app):
    ids = [hold(app, signed_in, site) for _ in range(3)]
    answer = act(signed_in, "/mod/api/bulk", {"action": "spam", "ids": ids + [999_999]})
    assert answer.status_code == 200
    assert [d["id"] for d in answer.json["done"]] == ids
    assert [f["id"] for f in answer.json["failed"]] == [999_999]
    assert answer.json["counts"]["spam"] == 3
    for comment_id in ids:
        assert status_of(signed_in, site, comment_id) == "spam"
        assert comment_history(_db(app), comment_id)[2][-1].actor == "moderator:bientap"


def test_every_action_answers_with_the_counts_of_the_pages_filters(signed_in, site, app):
    other_site = make_site(app, "baokhac")
    ours = [hold(app, signed_in, site) for _ in range(3)]
    hold(app, signed_in, other_site)
    hold(app, signed_in, other_site, code="contact_phone")
    filters = {"site": site.slug}
    answer = decide(signed_in, ours[0], "approve", filters=filters)
    assert answer.json["counts"]["held"] == 2 and answer.json["counts"]["approved"] == 1
    bulk = act(signed_in, "/mod/api/bulk", {"action": "spam", "ids": ours[1:], "filters": filters})
    assert bulk.json["counts"]["held"] == 0 and bulk.json["counts"]["spam"] == 2
    undo = act(signed_in, "/mod/api/undo", {"ids": ours[1:], "filters": filters})
    assert undo.json["counts"]["held"] == 2
    by_reason = {"site": other_site.slug, "reason": "contact_phone", "article": "bai-1"}
    assert decide(signed_in, ours[1], "spam", filters=by_reason).json["counts"]["held"] == 1
    # No filters (the comment's own page), or ones that make no sense: every site's counts.
    assert decide(signed_in, ours[2], "spam").json["counts"]["held"] == 2
    odd = {"site": ["x"], "reason": 3}
    assert decide(signed_in, ours[2], "reject", filters=odd).json["counts"]["held"] == 2


def test_undo_puts_a_comment_back_and_unpublishes_it(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "approve")
    answer = act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    assert answer.json["restored"] == [{"id": comment_id, "status": "held"}]
    assert status_of(signed_in, site, comment_id) == "held"
    thread = signed_in.get("/v1/articles/bai-1/comments", headers=site.headers).json
    assert thread["comments"] == []
    actions = [e.action for e in comment_history(_db(app), comment_id)[2]]
    assert actions[-2:] == ["approve", "undo"]
    again = act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    assert again.json["restored"] == [] and again.json["failed"][0]["code"] == "conflict"


def test_an_undone_review_sends_a_reported_comment_back_to_the_reported_tab(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "approve")
    report = {"reason": "abuse"}
    signed_in.post(f"/v1/comments/{comment_id}/reports", json=report, headers=site.headers)
    db = _db(app)
    assert desk_queue.tab_counts(db, desk_queue.QueueFilter())["reported"] == 1
    decide(signed_in, comment_id, "approve")  # looked at again: off the reported tab
    assert desk_queue.tab_counts(db, desk_queue.QueueFilter())["reported"] == 0
    answer = act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    assert answer.json["restored"] == [{"id": comment_id, "status": "approved"}]
    assert answer.json["counts"]["reported"] == 1  # the review is taken back
    page = signed_in.get("/mod/queue?tab=reported").get_data(as_text=True)
    card = page[page.index(f'id="c-{comment_id}"') :]
    assert "Quyết định gần nhất: duyệt bởi bientap" in card  # the first approval stands
    _, decisions, entries = comment_history(db, comment_id)
    assert [d.decided_by for d in decisions] == ["system", "moderator:bientap"]
    assert [e.action for e in entries][-4:] == ["approve", "report", "approve", "undo"]


def test_an_undone_decision_is_no_longer_the_cards_latest(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "spam")
    act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    card = page[page.index(f'id="c-{comment_id}"') :]
    assert "Quyết định gần nhất" not in card
    _, decisions, _ = comment_history(_db(app), comment_id)
    assert [d.decided_by for d in decisions] == ["system"]


def test_undo_after_someone_elses_action_says_why_in_the_moderators_language(
    signed_in, other, site, app
):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "approve")
    decide(other, comment_id, "reject")
    answer = act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    assert answer.json["restored"] == []
    assert answer.json["failed"] == [
        {
            "id": comment_id,
            "code": "conflict",
            "message": "sau thao tác của bạn đã có thao tác khác trên bình luận này.",
        }
    ]
    assert status_of(signed_in, site, comment_id) == "rejected"


def test_undo_is_refused_when_late_or_for_someone_elses_action(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "spam")
    db = _db(app)
    with pytest.raises(Conflict):
        undo_decision(db, comment_id, "someone-else", timedelta(seconds=15))
    with pytest.raises(Conflict):
        undo_decision(db, comment_id, "bientap", timedelta(seconds=0))
    assert status_of(signed_in, site, comment_id) == "spam"


def test_ban_by_email_is_recorded_and_seen_by_the_worker_for_the_next_comment(signed_in, site, app):
    comment_id = hold(app, signed_in, site, author_email="spammer@example.vn")
    answer = act(
        signed_in,
        f"/mod/api/comments/{comment_id}/ban",
        {"kind": "email", "days": 7, "note": "quảng cáo", "reject": True},
    )
    assert answer.status_code == 200 and answer.json["status"] == "rejected"
    bans = bans_for(_db(app), site.id, [("email", "spammer@example.vn")])
    assert len(bans) == 1 and bans[0].expires_at is not None
    following = submit(signed_in, site, "Lại là tôi đây.", author_email="spammer@example.vn")
    loaded = load_for_moderation(_db(app), following["id"])
    assert loaded is not None and loaded.banned == ("email",)
    assert act(signed_in, f"/mod/api/bans/{bans[0].id}/lift", {}).status_code == 200
    assert bans_for(_db(app), site.id, [("email", "spammer@example.vn")]) == []


def test_undoing_ban_and_reject_says_the_ban_stays_in_both_languages(signed_in, site, app):
    comment_id = hold(app, signed_in, site, author_email="spammer@example.vn")
    ban = {"kind": "email", "days": 7, "reject": True}
    assert act(signed_in, f"/mod/api/comments/{comment_id}/ban", ban).json["status"] == "rejected"
    answer = act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    (restored,) = answer.json["restored"]
    assert restored["status"] == "held"
    assert restored["ban_stays"] == (
        f"Lệnh chặn tác giả của #{comment_id} vẫn còn: hoàn tác không bỏ chặn."
        " Bỏ chặn ở trang «Tất cả bình luận của tác giả»."
    )
    assert restored["author_page"] == f"/mod/authors?comment={comment_id}"
    assert bans_for(_db(app), site.id, [("email", "spammer@example.vn")])  # it does stay
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    act(signed_in, f"/mod/api/comments/{comment_id}/ban", ban)
    english = act(signed_in, "/mod/api/undo", {"ids": [comment_id]}).json["restored"][0]
    assert english["ban_stays"].startswith(f"The ban on the author of #{comment_id} stays")
    unbanned = hold(app, signed_in, site, author_email="reader@example.vn")
    decide(signed_in, unbanned, "reject")
    plain = act(signed_in, "/mod/api/undo", {"ids": [unbanned]}).json["restored"][0]
    assert "ban_stays" not in plain


def test_ban_needs_a_detail_the_comment_has_and_a_known_duration(signed_in, site, app):
    comment_id = hold(app, signed_in, site)  # no email, no author id, no IP
    url = f"/mod/api/comments/{comment_id}/ban"
    assert act(signed_in, url, {"kind": "email", "days": 7}).status_code == 400
    with_ip = hold(app, signed_in, site, ip="198.51.100.7")
    url = f"/mod/api/comments/{with_ip}/ban"
    assert act(signed_in, url, {"kind": "ip", "days": 3}).status_code == 400


def _ban(client: FlaskClient, comment_id: int, kind: str = "email", days: int = 7, **extra):
    return act(client, f"/mod/api/comments/{comment_id}/ban", {"kind": kind, "days": days, **extra})


def _active_bans(app: Flask, site: SiteFixture, kind: str, value: str):
    return bans_for(_db(app), site.id, [(kind, value)])


def test_banning_a_banned_detail_again_extends_its_one_ban_or_leaves_it(signed_in, site, app):
    email = "spammer@example.vn"
    comment_id = hold(app, signed_in, site, author_email=email, ip="198.51.100.9")
    first = _ban(signed_in, comment_id, days=7).json
    assert first["ban"] == "new" and first["message"] == f"Đã chặn tác giả của #{comment_id}."
    (ban,) = _active_bans(app, site, "email", email)
    week = ban.expires_at
    longer = _ban(signed_in, comment_id, days=30).json
    assert longer["ban"] == "extended" and longer["ban_id"] == first["ban_id"]
    assert re.fullmatch(
        rf"Tác giả của #{comment_id} đã bị chặn đến .+, nay gia hạn đến .+\.", longer["message"]
    )
    (ban,) = _active_bans(app, site, "email", email)
    assert ban.expires_at - week > timedelta(days=22)
    month = ban.expires_at
    shorter = _ban(signed_in, comment_id, days=1).json
    assert shorter["ban"] == "kept" and shorter["until"] == i18n.iso_time(month)
    assert shorter["message"].endswith("lệnh chặn giữ nguyên.")
    assert [b.expires_at for b in _active_bans(app, site, "email", email)] == [month]
    forever = _ban(signed_in, comment_id, days=0, note="tái phạm").json
    assert forever["ban"] == "extended" and forever["until"] is None
    assert forever["message"].endswith(", nay chặn vĩnh viễn.")
    again = _ban(signed_in, comment_id, days=30).json
    assert again["ban"] == "kept"
    assert (
        again["message"] == f"Tác giả của #{comment_id} đã bị chặn vĩnh viễn: lệnh chặn giữ nguyên."
    )
    (ban,) = _active_bans(app, site, "email", email)
    assert ban.expires_at is None and ban.id == first["ban_id"]
    # Newest first; a ban left as it was changes nothing.
    log = accounts.site_audit(_db(app), site.id)
    assert [e.action for e in log] == ["ban_extend", "ban_extend", "ban"]
    assert log[0].detail["until"] is None and log[0].detail["note"] == "tái phạm"
    assert log[1].detail["until_before"] == week.isoformat()
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    assert _ban(signed_in, comment_id, days=1).json["message"] == (
        f"The author of #{comment_id} is already banned for good."
    )
    assert _ban(signed_in, comment_id, kind="ip", days=1).json["ban"] == "new"  # another detail
    english = _ban(signed_in, comment_id, kind="ip", days=7).json["message"]
    assert re.fullmatch(
        rf"The author of #{comment_id} was already banned until .+, extended to .+\.", english
    )


def test_a_ban_on_another_site_or_an_ended_one_is_not_extended(signed_in, site, app):
    email = "spammer@example.vn"
    comment_id = hold(app, signed_in, site, author_email=email)
    elsewhere = make_site(app, "bao-khac")
    other_id = hold(app, signed_in, elsewhere, author_email=email)
    assert _ban(signed_in, comment_id).json["ban"] == "new"
    assert _ban(signed_in, other_id).json["ban"] == "new"  # bans are per site
    (ban,) = _active_bans(app, site, "email", email)
    act(signed_in, f"/mod/api/bans/{ban.id}/lift", {})
    renewed = _ban(signed_in, comment_id).json
    assert renewed["ban"] == "new" and renewed["ban_id"] != ban.id


def test_two_moderators_banning_the_same_author_at_once_leave_one_ban(signed_in, other, site, app):
    """Both would read 'no ban' and then add one: the site's lock lets one read at a time."""
    email = "spammer@example.vn"
    comment_id = hold(app, signed_in, site, author_email=email)
    db = _db(app)
    both_read = threading.Barrier(2, timeout=2)
    racing: set[int] = set()

    def before_reading(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        me = threading.get_ident()
        if me in racing and "FROM bans" in statement and statement.lstrip().startswith("SELECT"):
            racing.discard(me)  # wait once, about to read the bans, for the other to get there
            # A broken barrier: the other waits for the lock this one holds, so go on alone.
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait()

    def one(n: int) -> str:
        racing.add(threading.get_ident())
        answer = _ban((signed_in, other)[n], comment_id, days=(7, 30)[n])
        assert answer.status_code == 200, answer.json
        return str(answer.json["ban"])

    event.listen(db.engine, "before_cursor_execute", before_reading)
    try:
        outcomes = in_parallel(one, 2)
    finally:
        event.remove(db.engine, "before_cursor_execute", before_reading)
    assert sorted(outcomes) in (["extended", "new"], ["kept", "new"])
    (ban,) = _active_bans(app, site, "email", email)
    assert ban.expires_at is not None and ban.expires_at - utcnow() > timedelta(days=29)


def _cards(page: str) -> dict[int, str]:
    parts = page.split('<article class="card" id="c-')[1:]
    return {int(part.split('"', 1)[0]): part for part in parts}


def test_a_card_says_its_author_is_banned_and_the_ban_form_offers_to_extend(signed_in, site, app):
    email = "spammer@example.vn"
    by_email = hold(app, signed_in, site, author_email=email, ip="198.51.100.1")
    by_ip = hold(app, signed_in, site, ip="198.51.100.66")
    unbanned = hold(app, signed_in, site, author_email="reader@example.vn")
    elsewhere = make_site(app, "bao-khac")
    same_email_elsewhere = hold(app, signed_in, elsewhere, author_email=email)
    _ban(signed_in, by_email, days=7)
    _ban(signed_in, by_ip, kind="ip", days=0)
    sent: list[str] = []

    def count(conn, cursor, statement, *rest):  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(_db(app).engine, "before_cursor_execute", count)
    try:
        page = signed_in.get("/mod/queue").get_data(as_text=True)
    finally:
        event.remove(_db(app).engine, "before_cursor_execute", count)
    assert len([q for q in sent if "FROM bans" in q]) == 1  # one query for the whole page
    cards = _cards(page)
    assert re.search(
        r'class="banned">Tác giả đã bị chặn đến [^<]+ \(theo Email\)<', cards[by_email]
    )
    assert "Gia hạn chặn tác giả <kbd>b</kbd>" in cards[by_email]
    assert re.search(
        r'value="email" checked data-extends> Email <span class="ban-now">', cards[by_email]
    )
    assert "chặn lại sẽ gia hạn" in cards[by_email] and ">Gia hạn chặn</button>" in cards[by_email]
    assert 'value="ip" >' in cards[by_email]  # the IP is not banned: a new ban
    assert "Tác giả đã bị chặn vĩnh viễn (theo Địa chỉ IP)" in cards[by_ip]
    assert "(đang bị chặn vĩnh viễn)" in cards[by_ip] and ">Chặn</button>" in cards[by_ip]
    assert 'class="banned"' not in cards[unbanned] and "Gia hạn" not in cards[unbanned]
    assert "Chặn tác giả <kbd>b</kbd>" in cards[unbanned]
    other_site = signed_in.get(f"/mod/queue?site={elsewhere.id}").get_data(as_text=True)
    assert 'class="banned"' not in _cards(other_site)[same_email_elsewhere]  # bans are per site
    one = signed_in.get(f"/mod/api/comments/{by_email}/card").get_data(as_text=True)
    assert 'class="banned">Tác giả đã bị chặn đến' in one
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    english = _cards(signed_in.get("/mod/queue").get_data(as_text=True))
    assert re.search(r'class="banned">Author banned until [^<]+ \(by Email\)<', english[by_email])
    assert "Extend the author&#39;s ban <kbd>b</kbd>" in english[by_email]
    assert "Author banned for good (by IP address)" in english[by_ip]
    lifted = _active_bans(app, site, "email", email)[0]
    act(signed_in, f"/mod/api/bans/{lifted.id}/lift", {})
    page = signed_in.get(f"/mod/comments/{by_email}").get_data(as_text=True)
    assert 'class="banned"' not in page and "Ban author <kbd>b</kbd>" in page


# --- two moderators on one comment -----------------------------------------------------------


@pytest.fixture
def other(app: Flask, signed_in: FlaskClient) -> FlaskClient:
    """A second moderator, signed in on a browser of their own."""
    moderator_accounts.create_moderator(_db(app), "bientap2", OTHER_PASSWORD)
    second = app.test_client()
    assert login(second, "bientap2", OTHER_PASSWORD).status_code == 302
    return second


def test_a_decision_from_a_stale_card_is_refused_and_the_card_shows_who_decided(
    signed_in, other, site, app
):
    comment_id = hold(app, signed_in, site)
    assert decide(other, comment_id, "reject", expected_status="held").status_code == 200
    stale = decide(signed_in, comment_id, "approve", expected_status="held")
    assert stale.status_code == 409 and stale.json["code"] == "conflict"
    assert "Biên tập viên khác vừa quyết định" in stale.json["message"]
    assert "«Đã từ chối»" in stale.json["message"]
    assert status_of(signed_in, site, comment_id) == "rejected"
    _, decisions, entries = comment_history(_db(app), comment_id)
    assert [d.decided_by for d in decisions] == ["system", "moderator:bientap2"]
    assert entries[-1].actor == "moderator:bientap2"
    card = signed_in.get(f"/mod/api/comments/{comment_id}/card").get_data(as_text=True)
    assert f'id="c-{comment_id}"' in card and 'data-status="rejected"' in card
    assert "bientap2" in card and "<html" not in card
    # Seen as it is now, the moderator may still overrule on purpose.
    again = decide(signed_in, comment_id, "approve", expected_status="rejected")
    assert again.status_code == 200 and again.json["status"] == "approved"
    assert decide(signed_in, comment_id, "spam", expected_status="pub").status_code == 400


def test_ban_and_reject_from_a_stale_card_is_refused_and_bans_no_one(signed_in, other, site, app):
    email = "spammer@example.vn"
    comment_id = hold(app, signed_in, site, author_email=email)
    assert decide(other, comment_id, "approve", expected_status="held").status_code == 200
    stale = _ban(signed_in, comment_id, reject=True, expected_status="held")
    assert stale.status_code == 409 and stale.json["code"] == "conflict"
    assert "Biên tập viên khác vừa quyết định" in stale.json["message"]
    assert "«Đã duyệt»" in stale.json["message"]
    assert status_of(signed_in, site, comment_id) == "approved"
    assert _active_bans(app, site, "email", email) == []
    assert [e.action for e in accounts.site_audit(_db(app), site.id)] == []
    # Seen as it is now, the moderator may still ban and reject it on purpose.
    again = _ban(signed_in, comment_id, reject=True, expected_status="approved")
    assert again.status_code == 200 and again.json["status"] == "rejected"
    assert len(_active_bans(app, site, "email", email)) == 1
    # Banning alone decides nothing about the comment: a stale card does not matter then.
    second = hold(app, signed_in, site, author_email="other@example.vn")
    decide(other, second, "spam")
    alone = _ban(signed_in, second, days=30, expected_status="held")
    assert alone.status_code == 200 and alone.json["status"] is None
    assert status_of(signed_in, site, second) == "spam"
    rejected = _ban(signed_in, second, reject=True, expected_status="spam")
    assert rejected.json["status"] == "rejected" and rejected.json["ban"] == "kept"
    kept = _ban(signed_in, second, reject=True, expected_status="rejected")  # nothing to decide
    assert kept.status_code == 200 and kept.json["status"] is None


def test_bulk_refuses_each_stale_id_on_its_own(signed_in, other, site, app):
    ids = [hold(app, signed_in, site) for _ in range(3)]
    decide(other, ids[1], "approve")
    expected = {str(i): "held" for i in ids}
    body = {"action": "spam", "ids": ids, "expected_status": expected}
    answer = act(signed_in, "/mod/api/bulk", body)
    assert [d["id"] for d in answer.json["done"]] == [ids[0], ids[2]]
    assert [(f["id"], f["code"]) for f in answer.json["failed"]] == [(ids[1], "conflict")]
    assert "«Đã duyệt»" in answer.json["failed"][0]["message"]
    assert [status_of(signed_in, site, i) for i in ids] == ["spam", "approved", "spam"]


def test_the_moderation_api_takes_an_expected_status_and_documents_it(client, site, app, moderator):
    comment_id = hold(app, client, site)
    url = f"/v1/moderation/comments/{comment_id}/decision"
    assert client.post(url, json={"action": "reject"}, auth=moderator).status_code == 200
    stale = client.post(url, json={"action": "approve", "expected_status": "held"}, auth=moderator)
    assert stale.status_code == 409
    assert stale.json["code"] == "conflict" and stale.json["status"] == 409
    message = "another moderator decided this comment meanwhile: it is now rejected"
    assert stale.json["message"] == message
    assert status_of(client, site, comment_id) == "rejected"
    wrong = client.post(url, json={"action": "approve", "expected_status": "x"}, auth=moderator)
    assert wrong.status_code == 422 and "expected_status" in wrong.json["errors"]
    right = {"action": "approve", "expected_status": "rejected"}
    assert client.post(url, json=right, auth=moderator).json["status"] == "approved"
    # Without the field, as before: the decision applies whatever the status.
    assert client.post(url, json={"action": "spam"}, auth=moderator).json["status"] == "spam"
    spec = client.get("/v1/openapi.json").json
    fields = spec["components"]["schemas"]["DecisionIn"]["properties"]
    assert "409 conflict" in fields["expected_status"]["description"]
    operation = spec["paths"]["/v1/moderation/comments/{comment_id}/decision"]["post"]
    assert "409" in operation["responses"]


def test_two_moderators_deciding_from_the_same_card_at_once_decide_once(signed_in, site, app):
    """Both read 'held', then both update: the conditional UPDATE lets only one through."""
    db = _db(app)
    comment_id = hold(app, signed_in, site)
    both_read = threading.Barrier(2, timeout=10)
    racing = set()

    def before_update(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        me = threading.get_ident()
        if me in racing and statement.lstrip().upper().startswith("UPDATE COMMENTS"):
            racing.discard(me)  # wait once, at the status change
            both_read.wait()

    def one(n: int) -> str:
        racing.add(threading.get_ident())
        try:
            action = ("approve", "reject")[n]
            moderator_decide(db, comment_id, action, f"mod{n}", expected_status="held")
        except Conflict:
            return "refused"
        return "decided"

    event.listen(db.engine, "before_cursor_execute", before_update)
    try:
        outcomes = in_parallel(one, 2)
    finally:
        event.remove(db.engine, "before_cursor_execute", before_update)
    assert sorted(outcomes) == ["decided", "refused"]
    _, decisions, _ = comment_history(db, comment_id)
    assert len([d for d in decisions if d.decided_by != "system"]) == 1


# --- history pages ---------------------------------------------------------------------------


def test_comment_and_author_history_show_who_decided_what(signed_in, site, app):
    first = hold(app, signed_in, site, author_id="u-77", author_name="Bình")
    second = hold(
        app, signed_in, site, body="Bình luận thứ hai.", author_id="u-77", author_name="Bình"
    )
    decide(signed_in, first, "reject", reason="abuse")
    page = signed_in.get(f"/mod/comments/{first}").get_data(as_text=True)
    assert "bientap" in page and "hệ thống" in page
    assert "Lý do từ chối: Xúc phạm, thô tục" in page and "reject_reason:" not in page
    author = signed_in.get(f"/mod/authors?comment={second}").get_data(as_text=True)
    assert f"#{first}" in author and f"#{second}" in author
    assert "Bình luận của Bình" in author
    assert signed_in.get("/mod/comments/999999").status_code == 404


def test_a_decision_from_the_comment_page_keeps_the_moderators_note(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    page = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert f'id="dn-{comment_id}"' in page
    assert 'class="decision-note"' not in signed_in.get("/mod/queue").get_data(as_text=True)
    note = "Đã hỏi <b>tòa soạn</b>:\n  bài này cần giữ."
    assert decide(signed_in, comment_id, "reject", reason="abuse", note=note).status_code == 200
    _, decisions, _ = comment_history(_db(app), comment_id)
    assert decisions[-1].note == "reject_reason:abuse\nĐã hỏi <b>tòa soạn</b>: bài này cần giữ."
    history = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert "Lý do từ chối: Xúc phạm, thô tục — Đã hỏi &lt;b&gt;tòa soạn&lt;/b&gt;: bài" in history
    decide(signed_in, comment_id, "approve", note="x" * 1500)
    _, decisions, _ = comment_history(_db(app), comment_id)
    assert decisions[-1].note == "x" * 1000


def test_the_audit_log_says_each_action_in_words_in_both_languages(signed_in, site, app):
    comment_id = hold(app, signed_in, site)
    decide(signed_in, comment_id, "approve")
    act(signed_in, "/mod/api/undo", {"ids": [comment_id]})
    decide(signed_in, comment_id, "approve")
    for _ in range(3):  # the site's report threshold sends it back to review
        report = {"reason": "abuse"}
        signed_in.post(f"/v1/comments/{comment_id}/reports", json=report, headers=site.headers)
    with _db(app).transaction() as s:  # as the webhook delivery records its attempts
        comment = s.get(Comment, comment_id)
        audit(s, comment, "system", "webhook_delivered", None, {"event": "comment.published"})
        audit(s, comment, "system", "webhook_failed", None, {"event": "comment.published"})
    page = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    log = page[page.index('id="h-audit"') :]
    for words in ("<td>hoàn tác</td>", "<td>đủ số báo cáo, đưa về chờ duyệt</td>"):
        assert words in log
    assert "<td>đã báo cho trang (webhook)</td>" in log
    assert "<td>báo cho trang thất bại (webhook)</td>" in log
    assert re.search(r"<td>(undo|reports_threshold|webhook_\w+)</td>", log) is None
    signed_in.post("/mod/prefs", data={"csrf_token": token(signed_in), "lang": "en"})
    english = signed_in.get(f"/mod/comments/{comment_id}").get_data(as_text=True)
    assert "<td>undone</td>" in english and "<td>enough reports: back to review</td>" in english
    assert "<td>site not told: webhook failed</td>" in english


def test_a_reply_to_an_erased_comment_names_no_one(signed_in, site, app):
    parent = hold(app, signed_in, site, body="Bài viết hay.")
    reply = hold(app, signed_in, site, body="Trả lời: " + BODY, parent_id=parent)
    assert signed_in.delete(f"/v1/comments/{parent}", headers=site.headers).status_code < 300
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    card = page[page.index(f'id="c-{reply}"') :]
    assert "Trả lời bình luận của (đã xóa)" in card


# --- settings --------------------------------------------------------------------------------


def test_settings_are_for_admins_only(signed_in, site):
    assert signed_in.get(f"/mod/settings/{site.slug}").status_code == 403
    answer = signed_in.post(f"/mod/settings/{site.slug}", data={"csrf_token": token(signed_in)})
    assert answer.status_code == 403
    retrain = f"/mod/settings/{site.slug}/retrain"
    assert signed_in.post(retrain, data={"csrf_token": token(signed_in)}).status_code == 403


def test_admin_saves_rules_and_webhook_and_the_change_is_audited(client, site, app, admin):
    assert login(client, *admin).status_code == 302
    form = {
        "csrf_token": token(client),
        "banned_words": "cá độ\nnhà cái\n\ncá độ",
        "suspect_words": "vay tiền",
        "max_links": "1",
        "report_threshold": "2",
        "premoderate_default": "on",
        "spam_hold": "0.4",
        "spam_reject": "0.95",
        "abuse_hold": "0.5",
        "abuse_reject": "0.9",
        "webhook_url": "https://bao.example.vn/hooks/duyet",
        "webhook_secret": "bí-mật",
    }
    answer = client.post(f"/mod/settings/{site.slug}", data=form)
    assert answer.status_code == 302
    saved = accounts.get_site(_db(app), site.id)
    assert saved.config["banned_words"] == ["cá độ", "nhà cái"]
    assert saved.config["max_links"] == 1 and saved.config["premoderate_default"] is True
    assert saved.config["common_profanity"] is False  # its box was left unticked
    assert saved.config["thresholds"]["spam_hold"] == 0.4
    assert saved.webhook_url == "https://bao.example.vn/hooks/duyet"
    assert saved.webhook_secret == "bí-mật"
    entries = accounts.site_audit(_db(app), site.id)
    assert entries[0].action == "site_settings" and entries[0].actor == "moderator:quantri"
    assert "bí-mật" not in str(entries[0].detail)
    page = client.get(f"/mod/settings/{site.slug}?saved=1").get_data(as_text=True)
    assert "nhà cái" in page and "Đã lưu cài đặt." in page and "bí-mật" not in page


def test_the_common_profanity_list_is_ticked_for_a_new_site(client, site, admin):
    login(client, *admin)
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert 'name="common_profanity" checked' in page


def test_admin_sees_the_words_the_profanity_list_held_and_lets_one_through(
    client, site, app, admin, work
):
    submit(client, site, "Trận này hay vl, đá quá đỉnh")
    submit(client, site, "Thủ môn bắt hay vl luôn")
    work()
    login(client, *admin)
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    row = re.search(r'<tr data-word="vl">(.*?)</tr>', page, re.S)
    assert row is not None and "<td>2</td>" in row.group(1)  # held twice, nobody decided yet
    assert "<li>vl</li>" in page and "<li>lồn</li>" in page and 'class="through"' not in page
    assert 'href="/mod/queue?reason=common_profanity&amp;site=' in page
    form = {
        "csrf_token": token(client),
        "common_profanity": "on",
        "profanity_allowed": "VL\n  vl ",
        "max_links": "2",
        "report_threshold": "3",
        **{name: "0.5" for name in ("spam_hold", "abuse_hold")},
        **{name: "0.95" for name in ("spam_reject", "abuse_reject")},
    }
    assert client.post(f"/mod/settings/{site.slug}", data=form).status_code == 302
    saved = accounts.get_site(_db(app), site.id)
    assert saved.config["profanity_allowed"] == ["VL", "vl"]  # as typed, duplicates dropped
    assert saved.config["common_profanity"] is True
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert ">VL\nvl</textarea>" in page
    # the whole list shows what the box covers: "vl" and nothing else
    assert re.findall(r'<li class="through">([^<]*)', page) == ["vl "]
    assert "trang này vẫn đăng 1 từ" in page
    too_long = {**form, "profanity_allowed": "v" * 101}
    refused = client.post(f"/mod/settings/{site.slug}", data=too_long)
    assert refused.status_code == 422 and 'id="err-profanity_allowed"' in refused.get_data(True)
    assert accounts.get_site(_db(app), site.id).config["profanity_allowed"] == ["VL", "vl"]


def test_without_the_engine_the_settings_page_names_the_list_without_its_words(settings):
    """service.create_app alone has no engine: the page still works, without the list."""
    plain = create_app(settings)
    moderator_accounts.create_moderator(_db(plain), "quantri", ADMIN_PASSWORD, role="admin")
    site = make_site(plain, "khac")
    client = plain.test_client()
    login(client, "quantri", ADMIN_PASSWORD)
    page = client.get(f"/mod/settings/{site.slug}")
    assert page.status_code == 200
    assert 'name="common_profanity" checked' in page.get_data(as_text=True)
    assert "builtin-list" not in page.get_data(as_text=True)
    _db(plain).dispose()


def test_settings_say_which_model_scores_the_site_and_what_it_learned(client, site, app, admin):
    login(client, *admin)
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert "mô hình gốc" in page and "0 nhãn mới" in page
    report = {"held_out": 40, "site_model": {"macro_f1": 0.912}, "shipped_model": {"macro_f1": 0.6}}
    examples = site_examples(_db(app), site.id)
    save_site_model(_db(app), site.id, "site1-abc", b"blob", examples, report)
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert "site1-abc" in page and "macro-F1 0.91 (mô hình gốc: 0.60)" in page
    assert "khoảng tin cậy" not in page  # a report from before the interval: none shown
    report["gain_interval"] = [0.18, 0.44]
    save_site_model(_db(app), site.id, "site1-def", b"blob", examples, report)
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert "khoảng tin cậy 95% trên chính các quyết định ấy: +18 đến +44 điểm" in page


def test_an_admin_asks_for_a_retrain_and_the_next_sweep_trains_the_site(
    client, site, app, admin, redis, settings
):
    login(client, *admin)
    page, retrain = f"/mod/settings/{site.slug}", f"/mod/settings/{site.slug}/retrain"
    assert "Huấn luyện lại ngay" not in client.get(page).get_data(as_text=True)  # no labels
    nothing = client.post(retrain, data={"csrf_token": token(client)}, follow_redirects=True)
    assert "Không có nhãn mới nào" in nothing.get_data(as_text=True)
    db = _db(app)
    add_example(db, site.id, "Tour Phú Quốc trọn gói 3 ngày chỉ 1tr9, inbox em", "spam", "desk")
    add_example(db, site.id, "Cảm ơn báo đã đưa tin về đoạn đường sạt lở", "ham", "desk")
    assert "Huấn luyện lại ngay" in client.get(page).get_data(as_text=True)

    asked = client.post(retrain, data={"csrf_token": token(client)}, follow_redirects=True)
    assert "Đã yêu cầu huấn luyện lại" in asked.get_data(as_text=True)
    assert "đang chờ worker nhận" in asked.get_data(as_text=True)  # and no second button
    assert "Huấn luyện lại ngay" not in asked.get_data(as_text=True)
    assert accounts.site_audit(db, site.id)[0].action == "model_retrain"
    redis.set(RETRAIN_LOCK_KEY.format(site.id), 1)
    assert "Worker đang huấn luyện lại" in client.get(page).get_data(as_text=True)
    redis.delete(RETRAIN_LOCK_KEY.format(site.id))

    redis.set(RETRAIN_CHECK_KEY, 1)  # the count-based check is not due, and 2 < 200 labels
    assert retrain_due_sites(db, redis, settings) == [site.id]  # in a child process
    assert model_status(db, site.id).examples == 2
    assert retrain_due_sites(db, redis, settings) == []  # a request is taken once
    shown = client.get(page).get_data(as_text=True)
    assert "Huấn luyện lại ngay" not in shown and "đang chờ worker" not in shown


def test_invalid_settings_are_refused_with_the_field_marked(client, site, app, admin):
    login(client, *admin)
    form = {"csrf_token": token(client), "max_links": "-3", "report_threshold": "2"}
    form |= {"spam_hold": "2", "webhook_url": "javascript:alert(1)"}
    answer = client.post(f"/mod/settings/{site.slug}", data=form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="err-max_links"' in page and 'id="err-webhook_url"' in page
    assert accounts.get_site(_db(app), site.id).config == {}


def test_api_keys_are_shown_once_and_revoked(client, site, app, admin):
    login(client, *admin)
    created = client.post(
        f"/mod/settings/{site.slug}/keys", data={"csrf_token": token(client), "label": "CMS"}
    )
    secret = re.search(r'<code id="new-key">([^<]+)</code>', created.get_data(as_text=True))
    assert secret
    headers = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/v1/comments/1", headers=headers).status_code == 404  # a valid key
    page = client.get(f"/mod/settings/{site.slug}").get_data(as_text=True)
    assert secret.group(1) not in page
    key_id = max(k.id for k in accounts.list_api_keys(_db(app), site.id))
    revoked = client.post(
        f"/mod/settings/{site.slug}/keys/{key_id}/revoke", data={"csrf_token": token(client)}
    )
    assert revoked.status_code == 302
    assert client.get("/v1/comments/1", headers=headers).status_code == 401
    actions = [e.action for e in accounts.site_audit(_db(app), site.id)]
    assert actions[:2] == ["key_revoke", "key_create"]


# --- language and text -----------------------------------------------------------------------


def test_english_is_selectable_and_times_follow_the_chosen_zone(signed_in, site, app):
    hold(app, signed_in, site)
    assert "Chờ duyệt" in signed_in.get("/mod/queue").get_data(as_text=True)
    signed_in.post(
        "/mod/prefs",
        data={"csrf_token": token(signed_in), "lang": "en", "tz": "UTC", "next": "/mod/queue"},
    )
    page = signed_in.get("/mod/queue").get_data(as_text=True)
    assert '<html lang="en">' in page and "Waiting" in page and "Suspect word" in page


def test_every_key_exists_in_both_languages_and_every_template_key_is_in_the_catalog():
    assert set(i18n.VI) == set(i18n.EN)
    assert all(i18n.VI[k].count("{") == i18n.EN[k].count("{") for k in i18n.VI)
    templates = Path(__file__).resolve().parents[2] / "service" / "ui" / "templates"
    used = set()
    for path in templates.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*'([a-z_.]+)'""", path.read_text()))
    # t('tab.' ~ tab) names a family of keys: at least one must exist for each prefix.
    missing = {k for k in used if k not in i18n.VI and not any(v.startswith(k) for v in i18n.VI)}
    assert used and not missing, missing


def test_the_moderators_guide_names_the_ban_and_note_controls_in_both_its_parts():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "moderation.md").read_text()
    vietnamese, english = " ".join(guide.split()).split("## In English, briefly")
    keys = ("action.ban_extend", "ban.submit_extend", "ban.also_reject", "action.note")
    for part, language in ((vietnamese, "vi"), (english, "en")):
        for key in keys:
            assert i18n.translate(language, key) in part, (language, key)
        assert "409" in part and "conflict" in part
    assert "“… đã bị chặn vĩnh viễn”" in vietnamese and '"already banned for good"' in english


def test_times_default_to_ho_chi_minh():
    from datetime import datetime

    moment = datetime(2026, 1, 2, 17, 30)  # stored UTC
    assert i18n.format_time(moment, "vi", None) == "03/01/2026 00:30"
    assert i18n.format_time(moment, "en", "UTC") == "02 Jan 2026, 17:30"


def test_segments_split_at_every_span_and_ignore_bad_spans():
    reasons = [
        {"spans": [[0, 5], [3, 8]]},
        {"spans": [[4, 6], [50, 60], ["a", 1], [6, 2]]},
    ]
    found = [(s.text, s.reasons) for s in segments("0123456789", reasons)]
    assert found == [("0123", (1,)), ("45", (1, 2)), ("67", (1,)), ("89", ())]
    assert "".join(s.text for s in segments("<b>x</b>", reasons)) == "<b>x</b>"
