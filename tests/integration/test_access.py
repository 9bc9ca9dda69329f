"""Who may see and do what: site keys are scoped to one site and are not moderators."""

from __future__ import annotations

from tests.integration.conftest import make_site, submit


def test_a_site_key_cannot_read_another_sites_comments(app, client, site, work):
    other = make_site(app, "baokhac")
    theirs = submit(client, other, "Bình luận của trang khác.")
    work()
    assert client.get(f"/v1/comments/{theirs['id']}", headers=site.headers).status_code == 404
    assert client.delete(f"/v1/comments/{theirs['id']}", headers=site.headers).status_code == 404
    report = client.post(
        f"/v1/comments/{theirs['id']}/reports", json={"reason": "spam"}, headers=site.headers
    )
    assert report.status_code == 404
    # The same article id on two sites is two different articles.
    assert client.get("/v1/articles/bai-1/comments", headers=site.headers).status_code == 404
    mine = client.get("/v1/articles/bai-1/comments", headers=other.headers).json["comments"]
    assert [c["id"] for c in mine] == [theirs["id"]]


def test_a_site_key_cannot_act_as_a_moderator(client, site, work):
    accepted = submit(client, site, "Xem ngay http://a.vn http://b.vn http://c.vn http://d.vn")
    work()
    queue = client.get("/v1/moderation/queue", headers=site.headers)
    assert queue.status_code == 403
    assert queue.json["code"] == "forbidden"
    decision = client.post(
        f"/v1/moderation/comments/{accepted['id']}/decision",
        json={"action": "approve"},
        headers=site.headers,
    )
    assert decision.status_code == 403


def test_missing_or_wrong_credentials_get_401_in_the_envelope(client, site):
    no_key = client.post("/v1/comments", json={})
    assert no_key.status_code == 401
    assert set(no_key.json) == {"code", "status", "message"}
    wrong = client.get("/v1/comments/1", headers={"Authorization": "Bearer dy_nope_nope"})
    assert wrong.status_code == 401
    bad_mod = client.get("/v1/moderation/queue", auth=("bientap", "sai-mat-khau"))
    assert bad_mod.status_code == 401


def test_repeated_wrong_passwords_lock_the_moderator_out(client, moderator):
    for _ in range(5):
        client.get("/v1/moderation/queue", auth=(moderator[0], "sai-mat-khau"))
    assert client.get("/v1/moderation/queue", auth=moderator).status_code == 401


def test_invalid_input_gets_422_with_field_messages(client, site):
    response = client.post(
        "/v1/comments",
        json={"article_id": "", "body": 42, "author_name": "A", "ip": "not-an-ip", "extra": 1},
        headers=site.headers,
    )
    assert response.status_code == 422
    body = response.json
    assert body["code"] == "validation_failed" and body["status"] == 422
    assert set(body["errors"]) == {"article_id", "body", "ip", "extra"}


def test_nul_bytes_and_broken_json_are_4xx_not_500(client, site):
    nul = client.post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": "a\x00b", "author_name": "A"},
        headers=site.headers,
    )
    assert nul.status_code == 422
    broken = client.post(
        "/v1/comments",
        data=b"\xff{not json",
        headers={**site.headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json["status"] == 400
    huge = client.post(
        "/v1/comments",
        data=b"{" + b" " * (128 * 1024) + b"}",
        headers={**site.headers, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert huge.json["code"] == "request_entity_too_large"


def test_unknown_route_and_method_are_json_errors(client, site):
    assert client.get("/v1/nothing-here").json["code"] == "not_found"
    wrong = client.patch("/v1/comments", headers=site.headers)
    assert wrong.status_code == 405 and wrong.json["status"] == 405


def test_openapi_document_covers_every_endpoint_and_both_auth_schemes(client):
    spec = client.get("/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert set(spec["components"]["securitySchemes"]) == {"siteKey", "moderator"}
    paths = set(spec["paths"])
    for expected in (
        "/v1/comments",
        "/v1/comments/{comment_id}",
        "/v1/comments/{comment_id}/reports",
        "/v1/articles/{article_id}",
        "/v1/articles/{article_id}/comments",
        "/v1/moderation/queue",
        "/v1/moderation/comments/{comment_id}/decision",
        "/healthz",
        "/readyz",
    ):
        assert expected in paths
    assert "ErrorEnvelope" in spec["components"]["schemas"]
