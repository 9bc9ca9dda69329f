"""The desk's text search through the full-text index (migration 0018): one search finds every
match of a tab, or of every status, newest first, under the page's filters and the moderator's
scope, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, insert, make_url, text

from service.folding import fold
from service.models import Comment, CommentSearch, utcnow
from service.store import (
    Database,
    accounts,
    fulltext,
    migrate,
    moderator_accounts,
    search_candidates,
)
from service.store.articles import put_article
from service.store.desk_queue import EVERY_STATUS, QueueFilter
from service.store.moderation_input import load_many_for_moderation
from service.store.system_decisions import SystemDecision, record_system_decisions
from tests.integration.conftest import MOD_PASSWORD, make_site, submit
from tests.integration.test_desk import hold, login
from tests.integration.test_migrations import empty_database_url  # noqa: F401 (a fixture)

SUSPECT = [{"code": "suspect_word", "message": "", "verdict": "hold", "spans": [], "detail": {}}]


def _db(app: Flask) -> Database:
    return app.extensions["duyet"].db


def stored(
    db: Database,
    site_id: int,
    bodies: list[str],
    verdict: str | None = "hold",
    article: str = "bai-1",
    reasons: list[dict[str, Any]] | None = None,
) -> list[int]:
    """Store comments as intake does (pending), then decide them with the worker's batch write,
    which indexes them; verdict None leaves them pending."""
    article_id = put_article(db, site_id, article).id
    now = utcnow()
    rows = [
        {"site_id": site_id, "article_id": article_id, "author_name": "An", "body": body}
        | {"status": "pending", "report_count": 0, "created_at": now, "updated_at": now}
        for body in bodies
    ]
    with db.transaction() as s:
        ids = sorted(s.scalars(insert(Comment).returning(Comment.id), rows))
    if verdict is None:
        return ids
    for start in range(0, len(ids), 500):
        loaded = load_many_for_moderation(db, ids[start : start + 500])
        scores = {"spam": 0.2, "abuse": 0.1}
        decided = [SystemDecision(m.comment, verdict, scores, reasons or [], "t") for m in loaded]
        record_system_decisions(db, decided)
    return ids


def page(client: FlaskClient, **query: str) -> tuple[str, list[int]]:
    html = client.get("/mod/queue", query_string=query).get_data(as_text=True)
    return html, [int(n) for n in re.findall(r'<article class="card" id="c-(\d+)"', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def desk(client: FlaskClient, moderator: Any) -> FlaskClient:
    """The desk, signed in as an unscoped moderator."""
    assert login(client).status_code == 302
    return client


def test_one_search_finds_every_match_beyond_the_old_window_with_or_without_accents(
    desk, site, app
):
    forms = ["Ông Nguyễn Văn A nói đúng.", "NGUYỄN VĂN A!!!", "nguyen van a viet khong dau"]
    bodies = [
        f"Bình luận {n}: {forms[n // 35 % 3]}" if n % 35 == 0 else f"Bình luận {n} không nhắc ai."
        for n in range(2_100)
    ]
    ids = stored(_db(app), site.id, bodies)
    by_id = dict(zip(ids, bodies, strict=True))
    named = [i for i in reversed(ids) if "van a" in fold(by_id[i])]  # newest first
    accented = [i for i in named if "văn a" in by_id[i].casefold()]
    assert len(named) == 60 and len(accented) == 40 and named[-1] == ids[0]  # the oldest too
    html, first = page(desk, q="nguyen van a")
    assert "Tìm thấy 60 bình luận có «nguyen van a» trong thẻ «Chờ duyệt», mới nhất trước." in html
    assert first == named[:50]
    link = next_link(html)
    assert link and ">Trang sau<" in html
    rest = desk.get(link).get_data(as_text=True)
    assert [int(n) for n in re.findall(r'id="c-(\d+)"', rest)] == named[50:]
    assert next_link(rest) is None
    for typed in ("Nguyễn Văn A", "NGUYỄN VĂN A", "nguyễn văn a"):  # accents must then match
        html, listed = page(desk, q=typed)
        assert listed == accented and f"Tìm thấy 40 bình luận có «{typed}»" in html
    assert page(desk, q="Nguyen Van A")[1] == named[:50]


def test_the_tab_filters_every_status_and_the_scope_narrow_the_search(desk, site, app):
    db, other = _db(app), make_site(app, "baokhac")
    put_article(db, site.id, "bai-the-thao", section="the-thao")
    put_article(db, site.id, "bai-thoi-su", section="thoi-su")
    put_article(db, other.id, "bai-khac", section="the-thao")
    text_ = "Giá xăng dầu tăng."
    (held,) = stored(db, site.id, [text_], article="bai-the-thao", reasons=SUSPECT)
    (approved,) = stored(db, site.id, [text_], "approve", article="bai-the-thao")
    (spam,) = stored(db, site.id, [text_], "spam", article="bai-the-thao")
    (pending,) = stored(db, site.id, [text_], None, article="bai-the-thao")
    (news,) = stored(db, site.id, [text_], article="bai-thoi-su")
    (elsewhere,) = stored(db, other.id, [text_], article="bai-khac")
    stored(db, site.id, ["Không liên quan."], article="bai-the-thao")
    found = {
        "held": {held, news, elsewhere},
        "approved": {approved},
        "spam": {spam},
        "pending": {pending},  # not indexed yet: the waiting tab's own window finds it
    }
    for tab, expected in found.items():
        assert set(page(desk, q="xang dau", tab=tab)[1]) == expected, tab
    narrowed = {
        "site": ({"site": "baotinh"}, {held, news}),
        "section": ({"section": "the-thao"}, {held, elsewhere}),
        "article": ({"article": "bai-thoi-su"}, {news}),
        "reason": ({"reason": "suspect_word"}, {held}),
    }
    for name, (query, expected) in narrowed.items():
        assert set(page(desk, q="xang dau", **query)[1]) == expected, name
    html, every = page(desk, q="xăng dầu", within="all")
    assert set(every) == {held, approved, spam, news, elsewhere}
    assert "Tìm thấy 5 bình luận có «xăng dầu» ở mọi trạng thái" in html
    assert 'data-tab="all"' in html and '<option value="all" selected>' in html
    assert next_link(html) is None
    moderator_accounts.create_moderator(db, "thethao", MOD_PASSWORD)
    moderator_accounts.set_scope(db, "thethao", ["baotinh"], ["the-thao"], "test")
    scoped = app.test_client()
    assert login(scoped, "thethao").status_code == 302
    assert page(scoped, q="xang dau")[1] == [held]
    assert set(page(scoped, q="xang dau", within="all")[1]) == {held, approved, spam}
    assert page(scoped, q="xang dau", site="baokhac")[1] == []


def test_counts_stop_at_the_cap_and_an_accented_needle_reads_a_bounded_number(
    desk, site, app, monkeypatch
):
    db = _db(app)
    stored(db, site.id, ["Rất uy tín."] * 3 + ["Rat uy tin."] * 57)
    monkeypatch.setattr(fulltext, "COUNT_CAP", 5)
    html, listed = page(desk, q="uy tin")
    assert len(listed) == 50 and "Tìm thấy hơn 5 bình luận có «uy tin»" in html
    html, listed = page(desk, q="uy tín")  # counted from 6 of the 60 candidates: a lower bound
    assert len(listed) == 3 and re.search(r"Tìm thấy ít nhất \d bình luận có «uy tín»", html)
    monkeypatch.setattr(fulltext, "READ_LIMIT", 4)
    html, listed = page(desk, q="ủy tìn")  # its bare form is in every comment, itself in none
    assert listed == [] and "Trang này dừng sau 4 bình luận chỉ giống khi bỏ dấu" in html
    link = next_link(html)
    assert link is not None
    rest = desk.get(link).get_data(as_text=True)
    assert next_link(rest) is None and '<article class="card"' not in rest


def test_an_erased_comment_is_no_longer_found(desk, site, app):
    kept = hold(app, desk, site, body="Ông Trần Văn Bé ở xã bên.")
    erased = hold(app, desk, site, body="Địa chỉ nhà ông Trần Văn Bé là số 5.")
    assert set(page(desk, q="tran van be", within="all")[1]) == {kept, erased}
    assert desk.delete(f"/v1/comments/{erased}", headers=site.headers).status_code in (200, 204)
    assert page(desk, q="tran van be", within="all")[1] == [kept]
    with _db(app).transaction() as s:
        assert s.get(CommentSearch, erased) is None
        if s.get_bind().dialect.name == "sqlite":  # the FTS5 index forgot it too
            match = "SELECT rowid FROM comment_search_fts WHERE comment_search_fts MATCH :q"
            assert s.scalars(text(match), {"q": '"dia chi nha"'}).all() == []


def test_an_edited_comment_is_found_by_its_new_text_once_decided_again(
    client, desk, site, app, work
):
    comment = submit(client, site, "Bài viết về giá vàng hôm nay rất hay.")["id"]
    work()
    assert page(desk, q="gia vang", within="all")[1] == [comment]
    edited = client.patch(
        f"/v1/comments/{comment}", json={"body": "Hôm nay trời đẹp quá."}, headers=site.headers
    )
    assert edited.status_code == 202
    # Its row still holds the old text until the worker decides again: never shown for it.
    assert page(desk, q="gia vang", within="all")[1] == []
    assert page(desk, q="troi dep", tab="pending")[1] == [comment]  # the waiting tab's window
    work()
    assert page(desk, q="troi dep", within="all")[1] == [comment]
    assert page(desk, q="gia vang", within="all")[1] == []
    with _db(app).transaction() as s:
        assert s.get(CommentSearch, comment).text == "hom nay troi dep qua."


def test_short_needles_search_the_window_and_every_status_needs_three(desk, site, app):
    ids = stored(_db(app), site.id, ["Xăng tăng.", "Điện tăng."])
    html, listed = page(desk, q="xă")
    assert listed == [ids[0]] and "1 bình luận có «xă» trong 2 bình luận mới nhất" in html
    html, listed = page(desk, q="xă", within="all")
    assert listed == [] and "Tìm ở mọi trạng thái cần ít nhất 3 ký tự." in html
    assert page(desk, q="đi")[1] == [ids[1]]
    assert "Hãy gõ ít nhất 2 ký tự." in page(desk, q="x")[0]


@pytest.mark.parametrize("lead", ["index", "filter"])
def test_wildcards_quotes_and_backslashes_are_searched_as_typed(desk, site, app, lead, monkeypatch):
    if lead == "filter":  # SQLite: LIKE over comment_search, as for a small tab or without FTS5
        if not _db(app).is_sqlite:
            pytest.skip("PostgreSQL always reads through LIKE")
        monkeypatch.setattr(search_candidates, "_fts_leads", lambda *_: False)
    ids = stored(_db(app), site.id, ['Giảm 50% "giá" sốc_1 ở C:\\kho', "Giảm 5000 giá sốc 1"])
    for typed in ("50%", '"giá"', "sốc_1", "c:\\kho", '% "gia'):
        assert page(desk, q=typed)[1] == [ids[0]], typed
    for typed in ("5_0", "50%%", "c:\\\\kho"):  # LIKE's wildcards and escapes are plain text
        assert page(desk, q=typed)[1] == [], typed


def test_a_crafted_cursor_is_refused_not_a_server_error(desk, site, app):
    stored(_db(app), site.id, ["Giá xăng tăng."])
    for cursor in ("garbage", "WzEsIDJd", "WyIyMDI2LTAxLTAxIiwgMWUzMDBd"):
        answer = desk.get("/mod/queue", query_string={"q": "gia xang", "cursor": cursor})
        assert answer.status_code == 400, cursor


def test_the_workers_batch_indexes_its_comments_in_one_statement(site, app):
    db = _db(app)
    ids = stored(db, site.id, ["Một.", "Hai.", "Ba."], verdict=None)
    sent: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    loaded = load_many_for_moderation(db, ids)
    record_system_decisions(db, [SystemDecision(m.comment, "approve", {}, [], "t") for m in loaded])
    assert len([q for q in sent if "comment_search" in q]) == 1
    with db.transaction() as s:
        assert [s.get(CommentSearch, i).text for i in ids] == ["mot.", "hai.", "ba."]


def test_sqlite_leads_with_fts5_for_a_large_filter_and_with_the_filter_for_a_small_one(
    sqlite_template, tmp_path, monkeypatch
):
    """SQLite without statistics walked the tab's index and asked FTS5 about every comment
    (a count took minutes at a million): the smaller side leads, FTS5 as the outer loop."""
    path = tmp_path / "duyet.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    site = accounts.create_site(db, "baotinh", "Báo tỉnh")
    stored(db, site.id, [f"Bình luận số {n} về giá xăng." for n in range(30)])
    monkeypatch.setattr(search_candidates, "FEW", 10)
    large, small = _plans(db, QueueFilter("held")), _plans(db, QueueFilter("spam"))
    db.dispose()
    assert len(large) == 2  # the page and the count
    for plan in large:
        assert plan.startswith("SCAN comment_search_fts VIRTUAL TABLE INDEX"), plan
        assert "SEARCH comments USING INTEGER PRIMARY KEY" in plan, plan
    for plan in small:
        assert re.match(r"SEARCH comments USING (COVERING )?INDEX ix_comments_status", plan), plan
        assert "comment_search_fts" not in plan, plan


def _plans(db: Database, f: QueueFilter) -> list[str]:
    """The query plans of the search's statements that join the index and the comments."""
    sent: list[tuple[str, Any]] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "JOIN comment" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    fulltext.search(db, f, "gia xang")
    event.remove(db.engine, "before_cursor_execute", note)
    plans = []
    with db.transaction() as s:
        for statement, parameters in sent:
            rows = s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plan = " ".join(row[-1] for row in rows)
            plans.append(plan.removeprefix("CO-ROUTINE anon_1 "))  # the count's subquery
    return plans


# --- the migration --------------------------------------------------------------------------

OLD_ROWS = [
    "INSERT INTO sites (id, slug, name, config, created_at) VALUES (1, 'b', 'B', '{}', :now)",
    "INSERT INTO articles (id, site_id, external_id, title, url, closed, premoderated,"
    " thread_version, created_at) VALUES (1, 1, 'a', 'A', '', false, false, 0, :now)",
]
OLD_COMMENT = (
    "INSERT INTO comments (id, site_id, article_id, author_name, body, status, report_count,"
    " created_at, updated_at) VALUES (:id, 1, 1, 'An', :body, :status, 0, :now, :now)"
)


def _old_store(url: str, count: int) -> None:
    """A store at 0017 with `count` held comments, one naming Nguyễn Văn A, one erased."""
    db = Database(url)
    now = utcnow()
    bodies = [(n, f"Bình luận số {n}.", "held") for n in range(1, count + 1)]
    bodies[-2:] = [(count - 1, "Ông Nguyễn Văn A nói.", "approved"), (count, "", "deleted")]
    with db.engine.begin() as conn:
        for statement in OLD_ROWS:
            conn.execute(text(statement), {"now": now})
        rows = [{"id": n, "body": b, "status": st, "now": now} for n, b, st in bodies]
        conn.execute(text(OLD_COMMENT), rows)
    db.dispose()


def test_the_migration_indexes_every_comment_stored_before_it(
    empty_database_url,  # noqa: F811 (the fixture imported above)
):
    migrate.upgrade(empty_database_url, "0017")
    _old_store(empty_database_url, 5_003)  # more than one batch of 5,000
    migrate.upgrade(empty_database_url)
    db = Database(empty_database_url)
    try:
        with db.transaction() as s:
            assert s.scalar(text("SELECT count(*) FROM comment_search")) == 5_002
            assert s.get(CommentSearch, 5_002).text == "ong nguyen van a noi."
            assert s.get(CommentSearch, 5_003) is None  # erased: nothing to find
            assert _has_trigram_index(s) is True
        found = fulltext.search(db, QueueFilter(EVERY_STATUS), "nguyễn văn a")
        assert [item.comment.id for item in found.items] == [5_002] and found.count == 1
        assert len(fulltext.search(db, QueueFilter("held"), "so 4999").items) == 1
    finally:
        db.dispose()


def _has_trigram_index(s: Any) -> bool:
    if s.get_bind().dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'comment_search_%'"
        return bool(s.scalar(text(query)) == 8)  # FTS5's table, its 4 own, 3 triggers
    query = (
        "SELECT count(*) FROM pg_indexes"
        " WHERE indexname = 'ix_comment_search_trigram' AND schemaname = current_schema()"
    )
    return bool(s.scalar(text(query)) == 1)


@pytest.fixture
def without_pg_trgm(postgres_ready: str) -> Iterator[str]:
    """A database of its own, migrated by a role that may create tables but not extensions."""
    given = make_url(postgres_ready)
    name, role = f"{given.database}_noext", f"{given.database}_noext_role"
    admin = Database(given.set(database="postgres").render_as_string(hide_password=False))
    auto = admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    auto.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    auto.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    auto.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    auto.exec_driver_sql(f'CREATE DATABASE "{name}"')
    own = Database(given.set(database=name).render_as_string(hide_password=False))
    with own.engine.begin() as conn:
        conn.exec_driver_sql(f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"')
    own.dispose()
    yield given.set(database=name, username=role).render_as_string(hide_password=False)
    auto.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    auto.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
    auto.close()
    admin.dispose()


def test_without_pg_trgm_the_upgrade_goes_on_and_the_search_reads_the_table(
    without_pg_trgm, caplog
):
    migrate.upgrade(without_pg_trgm, "0017")
    _old_store(without_pg_trgm, 10)
    with caplog.at_level(logging.WARNING, logger="duyet.migrations"):
        migrate.upgrade(without_pg_trgm)
    assert "could not create the extension pg_trgm" in caplog.text
    assert "permission denied" in caplog.text
    db = Database(without_pg_trgm)
    try:
        assert migrate.current_revision(db) == migrate.head_revision()
        with db.transaction() as s:
            assert _has_trigram_index(s) is False
        found = fulltext.search(db, QueueFilter("approved"), "nguyen van a")
        assert [item.comment.id for item in found.items] == [9]
    finally:
        db.dispose()
