"""The Akismet-compatible endpoints, driven by the real `akismet` client from PyPI.

The client talks to duyet through httpx's WSGI transport: it still builds its requests
for rest.akismet.com, exactly as in production, and the transport hands them to our app.
"""

from __future__ import annotations

import akismet
import httpx
import pytest
from flask import Flask

from service import create_app
from service.settings import Settings
from service.store import accounts
from service.store.site_models import site_examples
from tests.integration.conftest import SiteFixture, make_site

BLOG = "https://baotinh.example.vn/"
SPAM = "Nhà cái uy tín, nạp lần đầu tặng 100%, liên hệ Zalo 0912 345 678 ngay hôm nay"
HAM = "Cảm ơn phóng viên, bài viết phản ánh đúng tình hình đường sá ở xã tôi."


@pytest.fixture
def site(app: Flask) -> SiteFixture:
    return make_site(app, "baotinh")


def client_for(app: Flask, key: str) -> akismet.SyncClient:
    http = httpx.Client(transport=httpx.WSGITransport(app=app))
    return akismet.SyncClient(config=akismet.Config(key=key, url=BLOG), http_client=http)


@pytest.fixture
def ak(app: Flask, site: SiteFixture) -> akismet.SyncClient:
    return client_for(app, site.key)


def test_verify_key_accepts_a_site_key_and_refuses_others(
    app: Flask, ak: akismet.SyncClient
) -> None:
    assert ak.verify_key() is True
    stranger = client_for(app, "dy_000000000000_not-a-key")
    assert stranger.verify_key() is False
    with pytest.raises(akismet.APIKeyError):
        stranger.comment_check(user_ip="203.0.113.7", comment_content=HAM)


def test_validated_client_starts_against_duyet(app: Flask, site: SiteFixture) -> None:
    http = httpx.Client(transport=httpx.WSGITransport(app=app))
    config = akismet.Config(key=site.key, url=BLOG)
    with akismet.SyncClient.validated_client(config=config, http_client=http) as client:
        assert client.verify_key()


def test_spam_is_caught_and_ham_passes(ak: akismet.SyncClient) -> None:
    spam = ak.comment_check(
        user_ip="203.0.113.7",
        comment_type="comment",
        comment_author="Khuyến mãi",
        comment_content=SPAM,
        blog_lang="vi",
    )
    ham = ak.comment_check(
        user_ip="198.51.100.23",
        user_agent="Mozilla/5.0",
        comment_type="comment",
        comment_author="Nguyễn Văn An",
        comment_author_email="an@example.vn",
        comment_content=HAM,
        permalink=BLOG + "giao-thong/duong-xa",
        blog_lang="vi, en",
    )
    assert spam in (akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD)
    assert ham == akismet.CheckResponse.HAM


def test_links_to_the_permalink_itself_are_not_promotion(app: Flask, site: SiteFixture) -> None:
    permalink = BLOG + "giao-thong/duong-xa"
    body = f"{HAM} Chia sẻ: {permalink} {permalink}?utm_source=zalo {permalink}#binh-luan"
    form = {"api_key": site.key, "blog": BLOG, "user_ip": "198.51.100.23", "is_test": "1"}
    client = app.test_client()

    def reasons(**more: str) -> str:
        answer = client.post("/1.1/comment-check", data={**form, "comment_content": body, **more})
        assert answer.status_code == 200
        return answer.headers["X-duyet-reasons"]

    assert "too_many_links" not in reasons(permalink=permalink)
    assert "too_many_links" in reasons()


def test_checking_the_same_comment_again_is_not_a_new_post(app: Flask, site: SiteFixture) -> None:
    """WordPress's "Check for spam" button asks again about a comment it checked already."""
    client = app.test_client()
    form = {
        "api_key": site.key,
        "blog": BLOG,
        "user_ip": "198.51.100.50",
        "user_agent": "Mozilla/5.0",
        "referrer": BLOG + "giao-thong/duong-xa",
        "permalink": BLOG + "giao-thong/duong-xa",
        "comment_type": "comment",
        "comment_author": "Nguyễn Văn An",
        "comment_author_email": "an@example.vn",
        "comment_content": HAM,
    }
    # WordPress checks a stored comment again without the referrer, with its date.
    again = {**form, "referrer": "", "comment_date_gmt": "2026-11-27 08:00:00"}
    again["recheck_reason"] = "recheck_queue"

    def verdict(data: dict[str, str]) -> tuple[str, str]:
        answer = client.post("/1.1/comment-check", data=data)
        return answer.get_data(as_text=True), answer.headers["X-duyet-verdict"]

    answers = {verdict(form), *(verdict(again) for _ in range(8))}
    assert answers == {("false", "approve")}
    # Counted once: the same reader's next comment is no flood.
    next_one = {**form, "comment_content": HAM + " Mong sớm sửa đường."}
    assert verdict(next_one) == ("false", "approve")


def test_submit_spam_changes_the_next_verdict(ak: akismet.SyncClient) -> None:
    comment = {
        "user_ip": "198.51.100.40",
        "comment_author": "Bạn đọc",
        "comment_content": "Mọi người ghé xem trang của mình nhé, nhiều thông tin bổ ích lắm",
    }
    assert ak.comment_check(**comment) == akismet.CheckResponse.HAM
    assert ak.submit_spam(**comment) is True
    assert ak.comment_check(**comment) != akismet.CheckResponse.HAM


def test_submit_ham_releases_a_text_the_check_caught(ak: akismet.SyncClient) -> None:
    comment = {"user_ip": "198.51.100.41", "comment_content": HAM}
    ak.submit_spam(**comment)
    assert ak.comment_check(**comment) != akismet.CheckResponse.HAM
    assert ak.submit_ham(**comment) is True
    assert ak.comment_check(**comment) == akismet.CheckResponse.HAM


def test_submits_are_training_examples_for_the_sites_own_model(
    ak: akismet.SyncClient, app: Flask, site: SiteFixture
) -> None:
    comment = {"user_ip": "198.51.100.44", "comment_content": HAM}
    ak.submit_spam(**comment)
    ak.submit_ham(**comment)  # the same text again: its latest label counts
    ak.submit_spam(user_ip="198.51.100.44", comment_content=SPAM)
    examples = site_examples(app.extensions["duyet"].db, site.id)
    assert list(zip(examples.texts, examples.labels, strict=True)) == [(HAM, "ham"), (SPAM, "spam")]


def test_documented_test_values(ak: akismet.SyncClient) -> None:
    assert ak.comment_check(
        user_ip="203.0.113.9", comment_author="viagra-test-123", comment_content=HAM
    )
    assert ak.comment_check(
        user_ip="203.0.113.9",
        comment_author_email="akismet-guaranteed-spam@example.com",
        comment_content=HAM,
    )
    assert (
        ak.comment_check(user_ip="203.0.113.9", user_role="administrator", comment_content=SPAM)
        == akismet.CheckResponse.HAM
    )


def test_is_test_traffic_teaches_nothing(
    ak: akismet.SyncClient, app: Flask, site: SiteFixture
) -> None:
    comment = {"user_ip": "198.51.100.42", "comment_content": HAM, "is_test": True}
    ak.submit_spam(**comment)
    assert ak.comment_check(**comment) == akismet.CheckResponse.HAM
    assert site_examples(app.extensions["duyet"].db, site.id).texts == []


def test_blatant_spam_may_be_discarded(ak: akismet.SyncClient, app: Flask) -> None:
    text = "Bạn ơi xem thêm ở trang này nhé, có nhiều điều thú vị đang chờ"
    ak.submit_spam(user_ip="198.51.100.43", comment_content=text)
    verdict = ak.comment_check(user_ip="198.51.100.43", comment_content=text)
    assert verdict == akismet.CheckResponse.DISCARD


def test_errors_explain_themselves_in_the_debug_header(app: Flask, site: SiteFixture) -> None:
    client = app.test_client()
    no_ip = client.post("/1.1/comment-check", data={"api_key": site.key, "blog": BLOG})
    assert no_ip.get_data(as_text=True) == "invalid"
    assert no_ip.headers["X-akismet-debug-help"] == 'Empty "user_ip" value'
    bad_key = client.post("/1.1/verify-key", data={"key": "dy_x_y", "blog": BLOG})
    assert bad_key.get_data(as_text=True) == "invalid"
    assert "API key" in bad_key.headers["X-akismet-debug-help"]


def test_the_key_may_be_the_first_label_of_the_host(app: Flask, site: SiteFixture) -> None:
    client = app.test_client()
    answer = client.post(
        "/1.1/comment-check",
        data={"blog": BLOG, "user_ip": "203.0.113.5", "comment_content": HAM},
        headers={"Host": f"{site.key}.duyet.example"},  # as the old WordPress plugin sends it
    )
    assert answer.get_data(as_text=True) == "false"


def test_a_revoked_key_is_invalid(app: Flask, site: SiteFixture) -> None:
    db = app.extensions["duyet"].db
    other = accounts.create_api_key(db, site.id, "wordpress")
    accounts.revoke_api_key(db, site.id, other.id)
    assert client_for(app, other.secret).verify_key() is False


def test_without_the_engine_the_check_says_so(settings: Settings) -> None:
    """service.create_app alone has no checker: a clear 503, never a silent 'false'."""
    plain = create_app(settings)
    key = make_site(plain, "khac").key
    answer = plain.test_client().post(
        "/1.1/comment-check", data={"api_key": key, "blog": BLOG, "user_ip": "203.0.113.5"}
    )
    assert answer.status_code == 503
    assert answer.json["code"] == "unavailable"
    plain.extensions["duyet"].db.dispose()
