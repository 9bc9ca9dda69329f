"""Who can do what, and what nobody learns: keys, headers, leaks and rate limits."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from flask import Flask
from sqlalchemy import select

from service import create_app, limits
from service.auth import clear_caches
from service.limit_counts import Counter, Deferred, count_deferred
from service.models import ApiKey
from service.store import accounts
from tests.integration.conftest import make_site, submit
from workers import runtime
from workers.embedded_redis import EmbeddedRedis

CLEAN = "Cảm ơn báo đã đưa tin kịp thời."
ENVELOPE = {"code", "status", "message"}


@pytest.fixture(autouse=True)
def _closed_breaker():
    limits.breaker.reset()
    yield
    limits.breaker.reset()


def _app_with(settings, **overrides) -> Flask:
    clear_caches()
    # A day-long window: a test never straddles two fixed windows (counts would restart).
    return create_app(settings.with_overrides(**{"rate_limit_window": 86400, **overrides}))


# -- keys -------------------------------------------------------------------------------------


def test_api_keys_are_stored_only_as_sha256_hashes(app, site):
    with app.extensions["duyet"].db.transaction() as s:
        stored = s.scalars(select(ApiKey)).one()
    assert site.key not in {stored.key_hash, stored.prefix, stored.label}
    assert stored.key_hash == hashlib.sha256(site.key.encode()).hexdigest()


def test_api_keys_are_compared_in_constant_time(app, site, monkeypatch):
    compared: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a, b):  # records the call, then does the real comparison
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(accounts.hmac, "compare_digest", spy)
    db = app.extensions["duyet"].db
    forged = site.key[:-1] + ("A" if site.key[-1] != "A" else "B")  # right prefix, wrong secret
    assert accounts.site_for_key(db, forged) is None
    assert accounts.site_for_key(db, site.key) == site.id
    assert len(compared) == 2


def test_a_revoked_key_stops_working(app, client, site):
    db = app.extensions["duyet"].db
    key_id = accounts.list_api_keys(db, site.id)[0].id
    accounts.revoke_api_key(db, site.id, key_id)
    clear_caches()
    assert client.get("/v1/comments/1", headers=site.headers).status_code == 401


def test_moderator_credentials_are_not_a_site_key(client, moderator):
    response = client.post("/v1/comments", json={}, auth=moderator)
    assert response.status_code == 401
    assert set(response.json) == ENVELOPE


def test_a_site_key_cannot_touch_another_sites_article_settings(app, client, site):
    other = make_site(app, "baokhac")
    client.put("/v1/articles/bai-9", json={"closed": True}, headers=other.headers)
    mine = client.put("/v1/articles/bai-9", json={"title": "Của tôi"}, headers=site.headers)
    assert mine.status_code == 200 and mine.json["closed"] is False
    theirs = client.get("/v1/articles/bai-9/comments", headers=other.headers)
    assert theirs.json["article"]["closed"] is True


# -- what responses never carry ---------------------------------------------------------------


def test_the_public_read_api_never_returns_emails_or_ips(client, site, work):
    email, ip = "lan.nguyen@example.vn", "203.0.113.77"
    accepted = submit(client, site, CLEAN, author_email=email, ip=ip, user_agent="UA/1")
    assert email not in str(accepted) and ip not in str(accepted)
    work()
    one = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers)
    thread = client.get("/v1/articles/bai-1/comments", headers=site.headers)
    assert one.json["status"] in {"approved", "held"}
    for response in (one, thread):
        text = response.get_data(as_text=True)
        assert email not in text and ip not in text and "UA/1" not in text


def test_a_database_failure_answers_503_without_sql_or_a_trace(settings, tmp_path, site):
    app = _app_with(settings, database_url=f"sqlite:///{tmp_path}/missing/dir/duyet.db")
    response = app.test_client().post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": CLEAN, "author_name": "Lan"},
        headers=site.headers,
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    text = response.get_data(as_text=True).lower()
    for leak in ("select", "insert", "sqlite", "traceback", "operationalerror", "file "):
        assert leak not in text
    assert set(response.json) == ENVELOPE


def test_an_unexpected_error_answers_a_generic_500(app, client, site):
    def explode() -> None:
        raise RuntimeError("SELECT secret FROM api_keys -- at /work/main/service/x.py line 3")

    app.add_url_rule("/v1/_explode", "explode", explode)
    response = app.test_client().get("/v1/_explode")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "SELECT" not in text and "x.py" not in text and "RuntimeError" not in text
    assert set(response.json) == ENVELOPE


# -- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/v1/comments/1", "/healthz", "/no/such/route"])
def test_every_answer_carries_the_security_headers(client, site, path):
    response = client.get(path, headers=site.headers)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp or "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS means nothing


def test_hsts_is_sent_when_the_request_came_over_tls(app):
    response = app.test_client().get("/healthz", base_url="https://duyet.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


# -- rate limits ------------------------------------------------------------------------------


def _comment(n: int, **fields: object) -> dict:
    return {"article_id": "bai-1", "body": f"{CLEAN} ({n})", "author_name": "Lan", **fields}


def _assert_429(response) -> None:
    assert response.status_code == 429
    assert response.json["code"] == "rate_limited" and response.json["status"] == 429
    assert set(response.json) == ENVELOPE
    assert 1 <= int(response.headers["Retry-After"]) <= 86400


def test_a_flood_from_one_reader_ip_gets_429_with_retry_after(settings, site):
    client = _app_with(settings, rate_limit_comment_ip=3).test_client()
    answers = [
        client.post("/v1/comments", json=_comment(n, ip="198.51.100.9"), headers=site.headers)
        for n in range(5)
    ]
    assert [r.status_code for r in answers] == [202, 202, 202, 429, 429]
    _assert_429(answers[-1])
    other_ip = client.post(
        "/v1/comments", json=_comment(9, ip="198.51.100.10"), headers=site.headers
    )
    assert other_ip.status_code == 202  # the limit is per IP, not for everyone


def test_a_flood_from_one_author_gets_429(settings, site):
    client = _app_with(settings, rate_limit_author=2).test_client()
    codes = [
        client.post("/v1/comments", json=_comment(n, author_id="u-7"), headers=site.headers)
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [202, 202, 429]
    _assert_429(codes[-1])


def test_the_reader_ip_limit_is_per_site(settings, site):
    app = _app_with(settings, rate_limit_comment_ip=1)
    other = make_site(app, "baokhac")
    client = app.test_client()
    ip = {"ip": "198.51.100.9"}
    assert (
        client.post("/v1/comments", json=_comment(1, **ip), headers=site.headers).status_code == 202
    )
    assert (
        client.post("/v1/comments", json=_comment(2, **ip), headers=site.headers).status_code == 429
    )
    assert (
        client.post("/v1/comments", json=_comment(2, **ip), headers=other.headers).status_code
        == 202
    )


def test_a_site_key_over_its_limit_gets_429_on_any_endpoint(settings, site):
    client = _app_with(settings, rate_limit_site_key=2).test_client()
    client.get("/v1/comments/1", headers=site.headers)
    client.get("/v1/comments/1", headers=site.headers)
    _assert_429(client.get("/v1/articles/bai-1/comments", headers=site.headers))


def test_a_caller_address_over_its_limit_gets_429(settings):
    client = _app_with(settings, rate_limit_caller_ip=2).test_client()
    client.get("/healthz")
    client.get("/healthz")
    _assert_429(client.get("/healthz"))


def _calls(redis, command: str) -> int:
    stats = redis.info("commandstats").get(f"cmdstat_{command}", {})
    return int(stats.get("calls", 0))


def test_a_busy_caller_far_below_its_limits_is_counted_in_batches(client, site, redis):
    before = _calls(redis, "evalsha") + _calls(redis, "eval")
    for _ in range(200):
        client.get("/v1/comments/1", headers=site.headers)
    assert _calls(redis, "evalsha") + _calls(redis, "eval") - before < 20


def test_two_processes_batching_one_key_still_stop_it_at_its_limit(settings):
    first, second = (_app_with(settings, rate_limit_site_key=300) for _ in range(2))  # 2 workers
    site = make_site(first, "baotinh")
    codes = [
        app.test_client().get("/v1/comments/1", headers=site.headers).status_code
        for _ in range(160)
        for app in (first, second)
    ]
    assert codes.count(429) == 20 and 429 not in codes[:300]


def test_limits_fail_open_when_redis_is_down(settings, tmp_path, monkeypatch):
    own = EmbeddedRedis(tmp_path / "redis", appendonly=False).start()
    monkeypatch.setenv("REDIS_URL", own.url)
    runtime.reset()
    app = _app_with(settings, redis_url=own.url, rate_limit_comment_ip=1)
    site = make_site(app, "baotinh")
    client = app.test_client()
    own.stop(kill=True)
    answers = [
        client.post("/v1/comments", json=_comment(n, ip="198.51.100.9"), headers=site.headers)
        for n in range(3)
    ]
    assert [r.status_code for r in answers] == [202, 202, 202]  # stored, the sweep queues them
    assert limits.breaker.is_open()


def test_a_burst_from_one_ip_goes_to_the_bulk_queue(settings, site, redis):
    app = _app_with(settings, flood_queue_after=2, rate_limit_comment_ip=100)
    client = app.test_client()
    ids = [
        client.post("/v1/comments", json=_comment(n, ip="198.51.100.9"), headers=site.headers).json[
            "id"
        ]
        for n in range(4)
    ]
    normal = redis.lrange(f"rq:queue:{settings.queue_name}", 0, -1)
    bulk = redis.lrange(f"rq:queue:{settings.bulk_queue_name}", 0, -1)
    assert [f"moderate-{i}".encode() for i in ids[:2]] == normal
    assert [f"moderate-{i}".encode() for i in ids[2:]] == bulk


def test_one_batch_counts_each_comment_of_an_ip_in_order(settings, site, redis):
    limit = [Counter("ip", "site:ip-1", 2)]
    deferred = Deferred(limit, ["duyet:limit:ip:site:ip-1:0"], 86400, flood_after=1)
    verdicts = count_deferred(redis, [deferred, None, deferred, deferred])
    assert [(v.over, v.flood) for v in verdicts] == [
        (None, False),
        (None, False),
        (None, True),
        ("ip", True),
    ]
