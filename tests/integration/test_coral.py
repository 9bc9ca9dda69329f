"""Coral Talk's external moderation phase, with requests built from Coral's documented
contract: JSON body, X-Coral-Signature of comma-separated sha256=HEX HMACs of the raw body."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.api.coral import html_to_text
from service.store import accounts
from tests.integration.conftest import SiteFixture, make_site

SECRET = "ssec_new_7f3a9c"
OLD_SECRET = "ssec_old_1b2d4e"
URL = "/v1/integrations/coral/baotinh"


@pytest.fixture
def site(app: Flask) -> SiteFixture:
    made = make_site(app, "baotinh")
    config = {"coral_signing_secret": SECRET, "banned_words": ["đồ ngu"]}
    accounts.update_site(app.extensions["duyet"].db, made.id, config=config)
    return made


@pytest.fixture
def client(app: Flask, site: SiteFixture) -> FlaskClient:
    return app.test_client()


def coral_request(body: str, role: str = "COMMENTER", parent: str | None = None) -> dict[str, Any]:
    """A request as Coral documents it for a new comment."""
    return {
        "action": "NEW",
        "comment": {"body": body, "parentID": parent},
        "author": {"id": "user-3f9e", "role": role},
        "story": {"id": "story-81", "url": "https://baotinh.example.vn/thoi-su/bai-81.html"},
        "site": {"id": "site-coral-1"},
        "tenantID": "tenant-baotinh",
        "tenantDomain": "binhluan.baotinh.example.vn",
    }


def sign(raw: bytes, *secrets: str) -> str:
    return ",".join(
        "sha256=" + hmac.new(s.encode(), raw, hashlib.sha256).hexdigest() for s in secrets
    )


def post(client: FlaskClient, payload: dict[str, Any], *secrets: str, url: str = URL) -> Any:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "X-Coral-Signature": sign(raw, *secrets)}
    return client.post(url, data=raw, headers=headers)


def test_a_clean_comment_gets_no_objection(client: FlaskClient) -> None:
    answer = post(client, coral_request("<p>Cảm ơn tòa soạn, bài viết rất hữu ích.</p>"), SECRET)
    assert answer.status_code == 204
    assert answer.get_data() == b""


@pytest.mark.parametrize(
    ("body", "status", "reasons"),
    [
        (
            "<p>Kiếm tiền online dễ dàng, liên hệ <b>Zalo 0912 345 678</b> ngay!</p>",
            "SYSTEM_WITHHELD",
            "contact_phone",
        ),
        # the classifier calls this ham; the self-promotion rule holds it for a moderator
        (
            "<p>Bài hay quá, mọi người ghé kênh youtube của mình ủng hộ nhé</p>",
            "PREMOD",
            "self_promotion",
        ),
    ],
)
def test_contact_bait_and_self_promotion_are_flagged_as_spam(
    client: FlaskClient, body: str, status: str, reasons: str
) -> None:
    answer = post(client, coral_request(body), SECRET)
    assert answer.status_code == 200
    assert answer.json == {
        "status": status,
        "actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"}],
    }
    assert answer.headers["X-Duyet-Reasons"].startswith(reasons)


def test_a_banned_word_is_rejected_and_flagged_as_toxic(client: FlaskClient) -> None:
    answer = post(client, coral_request("<p>Tác giả đúng là đồ ngu</p>"), SECRET)
    assert answer.status_code == 200
    assert answer.json == {
        "status": "REJECTED",
        "actions": [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}],
    }


def test_a_suspicious_comment_goes_to_premoderation(
    client: FlaskClient, app: Flask, site: SiteFixture
) -> None:
    db = app.extensions["duyet"].db
    config = {"coral_signing_secret": SECRET, "suspect_words": ["biểu tình"]}
    accounts.update_site(db, site.id, config=config)
    answer = post(client, coral_request("<p>Ngày mai có biểu tình ở quảng trường</p>"), SECRET)
    assert answer.status_code == 200
    assert answer.json["status"] == "PREMOD"
    assert answer.json["actions"][0]["actionType"] == "FLAG"


def test_links_to_the_story_itself_are_not_counted(client: FlaskClient) -> None:
    story = "https://baotinh.example.vn/thoi-su/bai-81.html"
    body = f"<p>Cảm ơn tòa soạn, đọc lại: {story} {story}?utm_source=fb {story}#binh-luan</p>"
    request = coral_request(body)
    assert post(client, request, SECRET).status_code == 204
    request["story"]["url"] = ""
    assert post(client, request, SECRET).json["status"] == "PREMOD"


@pytest.mark.parametrize("role", ["STAFF", "MODERATOR", "ADMIN"])
def test_staff_are_approved(client: FlaskClient, role: str) -> None:
    answer = post(client, coral_request("<p>Liên hệ Zalo 0912 345 678</p>", role=role), SECRET)
    assert answer.status_code == 200
    assert answer.json == {"status": "APPROVED"}


def test_a_bad_signature_is_refused_in_the_envelope(client: FlaskClient) -> None:
    answer = post(client, coral_request("<p>Xin chào</p>"), "not-the-secret")
    assert answer.status_code == 401
    assert answer.json == {
        "code": "unauthorized",
        "status": 401,
        "message": "the signature does not match",
    }


def test_a_missing_signature_is_refused(client: FlaskClient) -> None:
    answer = client.post(URL, json=coral_request("<p>Xin chào</p>"))
    assert answer.status_code == 401
    assert answer.json["code"] == "unauthorized"


def test_a_body_changed_after_signing_is_refused(client: FlaskClient) -> None:
    signed = json.dumps(coral_request("<p>Xin chào</p>")).encode()
    tampered = json.dumps(coral_request("<p>Zalo 0912 345 678</p>")).encode()
    headers = {"Content-Type": "application/json", "X-Coral-Signature": sign(signed, SECRET)}
    assert client.post(URL, data=tampered, headers=headers).status_code == 401


def test_while_a_secret_rolls_either_signature_is_enough(
    client: FlaskClient, app: Flask, site: SiteFixture
) -> None:
    payload = coral_request("<p>Cảm ơn tòa soạn, bài viết rất hữu ích.</p>")
    # Coral signs with the new and the old secret; duyet still holds the old one...
    db = app.extensions["duyet"].db
    accounts.update_site(db, site.id, config={"coral_signing_secret": OLD_SECRET})
    assert post(client, payload, SECRET, OLD_SECRET).status_code == 204
    # ...then the operator pastes the new one; the old alone no longer works.
    accounts.update_site(db, site.id, config={"coral_signing_secret": SECRET})
    assert post(client, payload, OLD_SECRET, SECRET).status_code == 204
    assert post(client, payload, OLD_SECRET).status_code == 401


def test_an_unknown_site_is_refused_like_a_bad_signature(client: FlaskClient) -> None:
    answer = post(client, coral_request("<p>Xin chào</p>"), SECRET, url=URL + "-khac")
    assert answer.status_code == 401


def test_a_site_without_a_coral_secret_is_forbidden(client: FlaskClient, app: Flask) -> None:
    make_site(app, "chua-cai")
    url = "/v1/integrations/coral/chua-cai"
    answer = post(client, coral_request("<p>Xin chào</p>"), SECRET, url=url)
    assert answer.status_code == 403
    assert answer.json["code"] == "forbidden"


def test_a_malformed_request_gets_a_422_envelope(client: FlaskClient) -> None:
    payload = coral_request("<p>Xin chào</p>")
    payload["author"]["role"] = "EDITOR"
    del payload["story"]
    answer = post(client, payload, SECRET)
    assert answer.status_code == 422
    assert answer.json["code"] == "validation_failed"
    assert set(answer.json["errors"]) == {"author", "story"}


def test_coral_html_is_read_as_text_with_hidden_links_shown() -> None:
    html = '<p>Xem <a href="https://bit.ly/abc">tại đây</a></p><p>Tạm biệt&nbsp;nhé</p>'
    assert html_to_text(html) == "Xem https://bit.ly/abc tại đây\nTạm biệt nhé"
