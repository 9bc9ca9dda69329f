"""The desk's page of bans in force (/mod/bans): newest first, filtered by site and kind,
an email only as its hash, only the sites in the moderator's scope, lifted from the page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from service.store import moderator_accounts
from service.store.bans import add_ban
from service.ui.render import email_hash
from tests.integration.conftest import MOD_PASSWORD, make_site
from tests.integration.test_desk import act, login

EMAIL = "khuyenmai@example.vn"


def _rows(client: FlaskClient, query: str = "") -> list[int]:
    page = client.get(f"/mod/bans{query}")
    assert page.status_code == 200
    return [int(n) for n in re.findall(r'<tr data-ban="(\d+)">', page.get_data(as_text=True))]


def _ban(app: Flask, site_id: int, kind: str, value: str, **options) -> int:
    db = app.extensions["duyet"].db
    return add_ban(db, site_id, kind, value, "moderator:quantri", **options).ban.id


def test_bans_in_force_are_listed_newest_first_with_an_email_only_hashed(
    app: Flask, client, site, moderator
):
    email_ban = _ban(app, site.id, "email", EMAIL, reason="quảng cáo cá độ")
    ip_ban = _ban(app, site.id, "ip", "203.0.113.5")
    assert login(client).status_code == 302
    assert _rows(client) == [ip_ban, email_ban]
    page = client.get("/mod/bans").get_data(as_text=True)
    assert EMAIL not in page and email_hash(EMAIL, app.config["SECRET_KEY"]) in page
    assert "203.0.113.5" in page and "quảng cáo cá độ" in page and "quantri" in page
    assert 'href="/mod/bans">Lệnh chặn</a>' in page  # in the main navigation
    assert _rows(client, "?kind=ip") == [ip_ban]
    assert _rows(client, "?kind=nothing") == [ip_ban, email_ban]  # an unknown filter: all


def test_a_lifted_or_expired_ban_leaves_the_page_and_pages_go_on(
    app: Flask, client, site, moderator
):
    ids = [_ban(app, site.id, "author", f"u-{n}") for n in range(53)]
    assert login(client).status_code == 302
    first = _rows(client)
    assert first == ids[:2:-1]  # 50, newest first
    older = re.search(
        r'href="(/mod/bans\?cursor=\d+)"', client.get("/mod/bans").get_data(as_text=True)
    )
    assert older and _rows(client, older.group(1).removeprefix("/mod/bans")) == ids[2::-1]
    assert act(client, f"/mod/api/bans/{ids[-1]}/lift", {}).status_code == 200
    assert ids[-1] not in _rows(client)
    assert _rows(client, "?cursor=abc") == _rows(client)  # a bad cursor: the first page


def test_a_scoped_moderator_sees_the_bans_of_their_sites_only(app: Flask, client, site):
    other = make_site(app, "baokhac")
    here = _ban(app, site.id, "ip", "203.0.113.5")
    _ban(app, other.id, "ip", "203.0.113.6")
    db = app.extensions["duyet"].db
    moderator_accounts.create_moderator(db, "thethao", MOD_PASSWORD)
    moderator_accounts.set_scope(db, "thethao", [site.slug], ["the-thao"], "test")
    assert login(client, "thethao").status_code == 302
    assert _rows(client) == [here]
    assert _rows(client, "?site=baokhac") == [here]  # a site out of scope: not a filter
    page = client.get("/mod/bans").get_data(as_text=True)
    assert 'value="baokhac"' not in page
