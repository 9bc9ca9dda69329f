"""The admins' page of moderator accounts (/mod/moderators) through the Flask test client:
create, scope, role, a new password shown once, unlock, remove, and every refusal."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select

from service.auth import FAILURES_PER_ACCOUNT_AND_IP
from service.models import AuditEntry
from service.store import accounts, moderator_accounts
from tests.integration.conftest import MOD_PASSWORD, make_site
from tests.integration.test_desk import admin, hold, login, token  # noqa: F401 (a fixture)
from workers.cli import main

PAGE = "/mod/moderators"
SHOWN_ONCE = re.compile(r'<code id="new-password">([^<]+)</code>')


def _db(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["duyet"].db


@pytest.fixture
def desk(
    client: FlaskClient,
    admin: tuple[str, str],  # noqa: F811 (the fixture imported above)
) -> FlaskClient:
    """The admin "quantri", signed in."""
    assert login(client, *admin).status_code == 302
    return client


def post(client: FlaskClient, url: str, **form: object):  # type: ignore[no-untyped-def]
    return client.post(url, data={"csrf_token": token(client), **form})


def account_url(app: Flask, username: str, action: str = "") -> str:
    account = next(
        m for m in moderator_accounts.list_moderators(_db(app)) if m.username == username
    )
    return f"{PAGE}/{account.id}" + (f"/{action}" if action else "")


def audited(app: Flask) -> list[tuple[str, str, str]]:
    """The account changes in the audit log, oldest first: (actor, action, account)."""
    with _db(app).transaction() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action.like("moderator_%")))
        return [(e.actor, e.action, e.detail.get("moderator")) for e in entries]


def test_a_generated_password_is_shown_once_and_signs_the_new_moderator_in(app, desk):
    page = desk.get(PAGE).get_data(as_text=True)
    assert 'href="/mod/moderators"' in page and "Biên tập viên" in page  # in the navigation
    created = post(desk, PAGE, username="lan.nguyễn", role="moderator", password="")
    assert created.status_code == 200
    shown = created.get_data(as_text=True)
    password = SHOWN_ONCE.search(shown).group(1)  # type: ignore[union-attr]
    assert "chỉ hiện một lần" in shown
    assert password not in desk.get(PAGE).get_data(as_text=True)  # a reload shows it no more
    assert 'data-account="lan.nguyễn"' in desk.get(PAGE).get_data(as_text=True)
    other = app.test_client()
    assert login(other, "lan.nguyễn", password).status_code == 302
    assert other.get("/mod/queue").status_code == 200
    assert ("moderator:quantri", "moderator_create", "lan.nguyễn") in audited(app)
    assert "tạo tài khoản biên tập viên" in desk.get(PAGE).get_data(as_text=True)


def test_a_typed_password_is_taken_and_not_shown_back(app, desk):
    typed = "mật-khẩu-gõ-tay-123"
    created = post(desk, PAGE, username="minh", role="admin", password=typed)
    assert created.status_code == 200
    assert typed not in created.get_data(as_text=True)
    assert not SHOWN_ONCE.search(created.get_data(as_text=True))
    assert moderator_accounts.verify_moderator(_db(app), "minh", typed).role == "admin"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"username": "", "role": "moderator"}, "username", "Tên đăng nhập gồm 1 đến 100"),
        ({"username": "hai từ", "role": "moderator"}, "username", "không có dấu cách"),
        ({"username": "x" * 101, "role": "moderator"}, "username", "Tên đăng nhập gồm"),
        ({"username": "an", "role": "god"}, "role", "Hãy chọn vai trò"),
        ({"username": "an", "role": "moderator", "password": "ngan-qua"}, "password", "từ 12"),
        ({"username": "quantri", "role": "moderator"}, "username", "Đã có tài khoản «quantri»"),
    ],
)
def test_bad_account_forms_are_refused_with_the_values_kept(app, desk, form, field, words):
    answer = post(desk, PAGE, **form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'role="alert"' in page
    error = re.search(rf'<span class="field-error" id="err-{field}">([^<]+)</span>', page)
    assert error and words in error.group(1)
    if form["username"]:
        assert f'value="{form["username"]}"' in page  # what the admin typed stays
    assert [m.username for m in moderator_accounts.list_moderators(_db(app))] == ["quantri"]


def test_a_scope_change_applies_on_the_moderators_next_queue_request(
    app,
    client,
    admin,  # noqa: F811 (the fixture imported above)
):
    site = make_site(app, "baotinh")
    sport = hold(app, client, site, article_id="bai-bong-da", article_section="Thể thao")
    news = hold(app, client, site, article_id="bai-thoi-su", article_section="Thời sự")
    moderator_accounts.create_moderator(_db(app), "bientap", MOD_PASSWORD)
    moderator = app.test_client()
    assert login(moderator, "bientap").status_code == 302
    queue = moderator.get("/mod/queue").get_data(as_text=True)
    assert f'id="c-{sport}"' in queue and f'id="c-{news}"' in queue

    assert login(client, *admin).status_code == 302
    form = client.get(account_url(app, "bientap")).get_data(as_text=True)
    assert "Thể thao, Thời sự" in form  # the sections there are, suggested
    saved = post(client, account_url(app, "bientap", "scope"), sites="baotinh", sections="Thể thao")
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu phạm vi" in page
    assert "trang baotinh; chuyên mục Thể thao" in page

    queue = moderator.get("/mod/queue").get_data(as_text=True)  # the same session, next request
    assert f'id="c-{sport}"' in queue and f'id="c-{news}"' not in queue
    assert ("moderator:quantri", "moderator_scope", "bientap") in audited(app)
    listed = client.get(PAGE).get_data(as_text=True)
    assert "trang baotinh; chuyên mục Thể thao" in listed and "mọi trang, mọi chuyên mục" in listed


def test_a_bad_scope_is_refused_naming_what_is_wrong(app, desk):
    make_site(app, "baotinh")
    moderator_accounts.create_moderator(_db(app), "bientap", MOD_PASSWORD)
    url = account_url(app, "bientap", "scope")
    unknown = post(desk, url, sites=["baotinh", "khong-co"], sections="Thể thao")
    assert unknown.status_code == 422
    page = unknown.get_data(as_text=True)
    assert "Không có trang: khong-co." in page
    assert 'value="baotinh" checked' in page and ">Thể thao</textarea>" in page
    too_long = post(desk, url, sections="Thể thao\n" + "x" * 101)
    assert too_long.status_code == 422
    assert "1 đến 100 ký tự" in too_long.get_data(as_text=True)
    assert moderator_accounts.list_moderators(_db(app))[-1].scope is None  # nothing was saved


def test_a_reset_password_is_shown_once_and_ends_the_accounts_sessions(app, desk):
    moderator_accounts.create_moderator(_db(app), "bientap", MOD_PASSWORD)
    moderator = app.test_client()
    assert login(moderator, "bientap").status_code == 302
    assert moderator.get("/mod/queue").status_code == 200

    reset = post(desk, account_url(app, "bientap", "password"))
    assert reset.status_code == 200
    password = SHOWN_ONCE.search(reset.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    assert password not in desk.get(account_url(app, "bientap")).get_data(as_text=True)

    assert moderator.get("/mod/queue").status_code == 302  # signed out on its next request
    assert login(app.test_client(), "bientap", MOD_PASSWORD).status_code == 401
    assert login(app.test_client(), "bientap", password).status_code == 302
    assert ("moderator:quantri", "moderator_password", "bientap") in audited(app)


def test_a_locked_out_moderator_is_shown_and_unlocked(app, desk, redis: Redis):
    moderator_accounts.create_moderator(_db(app), "bientap", MOD_PASSWORD)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(FAILURES_PER_ACCOUNT_AND_IP):
        assert login(elsewhere, "bientap", "sai-mat-khau-roi").status_code == 401
    assert login(elsewhere, "bientap").status_code == 401  # locked out from there
    listed = desk.get(PAGE).get_data(as_text=True)
    assert "bị khóa (sai mật khẩu nhiều lần) ở: 203.0.113.9" in listed

    unlocked = post(desk, account_url(app, "bientap", "unlock"))
    assert unlocked.status_code == 302
    assert "Đã mở khóa" in desk.get(unlocked.headers["Location"]).get_data(as_text=True)
    assert login(elsewhere, "bientap").status_code == 302
    assert "bị khóa" not in desk.get(PAGE).get_data(as_text=True)
    entry = ("moderator:quantri", "moderator_unlock", "bientap")
    assert entry in audited(app)


def test_removing_needs_the_confirmation_and_ends_the_accounts_sessions(app, desk):
    moderator_accounts.create_moderator(_db(app), "bientap", MOD_PASSWORD)
    moderator = app.test_client()
    assert login(moderator, "bientap").status_code == 302
    url = account_url(app, "bientap", "remove")
    unconfirmed = post(desk, url)
    assert unconfirmed.status_code == 422
    assert "Hãy đánh dấu ô xác nhận" in unconfirmed.get_data(as_text=True)
    assert moderator.get("/mod/queue").status_code == 200

    removed = post(desk, url, confirm="bientap")
    assert removed.status_code == 302
    page = desk.get(removed.headers["Location"]).get_data(as_text=True)
    assert "Đã xóa tài khoản bientap" in page and 'data-account="bientap"' not in page
    assert moderator.get("/mod/queue").status_code == 302
    assert ("moderator:quantri", "moderator_remove", "bientap") in audited(app)
    assert post(desk, url, confirm="bientap").status_code == 404


def test_an_admin_cannot_remove_or_demote_themselves_nor_the_last_admin_go(app, desk):
    own = account_url(app, "quantri")
    page = desk.get(own).get_data(as_text=True)
    assert "Xóa tài khoản quantri" not in page and 'id="new-role"' not in page
    for action, form in (("remove", {"confirm": "quantri"}), ("role", {"role": "moderator"})):
        refused = post(desk, f"{own}/{action}", **form)
        assert refused.status_code == 403
        assert "tài khoản của chính mình" in refused.get_data(as_text=True)
    assert (
        moderator_accounts.verify_moderator(_db(app), "quantri", "quản-trị-thử-456").role == "admin"
    )  # type: ignore[union-attr]

    # Another admin is asked to remove the last admin from the store and from the CLI.
    with pytest.raises(accounts.Conflict):
        moderator_accounts.remove_moderator(_db(app), "quantri", actor="moderator:someone")
    assert main(["moderator", "remove", "quantri"]) == 1
    moderator_accounts.create_moderator(_db(app), "phuong", MOD_PASSWORD, role="admin")
    demoted = post(desk, account_url(app, "phuong", "role"), role="moderator")
    assert demoted.status_code == 302
    assert moderator_accounts.verify_moderator(_db(app), "phuong", MOD_PASSWORD).role == "moderator"  # type: ignore[union-attr]
    entry = ("moderator:quantri", "moderator_role", "phuong")
    assert entry in audited(app)


def test_moderators_get_403_on_every_route_of_the_page(app, client, moderator):
    assert login(client).status_code == 302
    own = account_url(app, "bientap")
    assert 'href="/mod/moderators"' not in client.get("/mod/queue").get_data(as_text=True)
    assert client.get(PAGE).status_code == 403
    assert client.get(own).status_code == 403
    assert post(client, PAGE, username="ke-gian", role="admin").status_code == 403
    for action in ("scope", "role", "password", "unlock", "remove"):
        answer = post(client, f"{own}/{action}", role="admin", confirm="bientap")
        assert answer.status_code == 403, action
    assert [m.role for m in moderator_accounts.list_moderators(_db(app))] == ["moderator"]
    assert audited(app) == [("system", "moderator_create", "bientap")]


def test_a_post_without_the_csrf_token_changes_nothing(app, desk):
    answer = desk.post(PAGE, data={"username": "lan", "role": "admin"})
    assert answer.status_code == 403
    assert "Hãy tải lại trang" in answer.get_data(as_text=True)
    assert [m.username for m in moderator_accounts.list_moderators(_db(app))] == ["quantri"]


def test_an_unknown_account_is_a_404_page(desk):
    assert desk.get(f"{PAGE}/999999").status_code == 404
    assert post(desk, f"{PAGE}/999999/password").status_code == 404


def test_the_page_speaks_english_too(app, desk):
    desk.post("/mod/prefs", data={"csrf_token": token(desk), "lang": "en", "tz": "UTC"})
    page = desk.get(PAGE).get_data(as_text=True)
    assert "Moderators" in page and "Create the account" in page and "everything" in page
    refused = post(desk, PAGE, username="", role="moderator")
    assert "A username is 1 to 100" in refused.get_data(as_text=True)
