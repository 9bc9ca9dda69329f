"""Garbage in, a clear 4xx out: never a 500, always the one envelope; text stored as NFC."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import unicodedata

import pytest

from service.errors import DuyetError
from service.intake import Submission
from service.store import accounts
from service.store.new_comments import NewComment
from tests.integration.conftest import make_site, submit

ENVELOPE = {"code", "status", "message"}


def _post_raw(client, site, data: bytes, content_type: str = "application/json"):
    return client.post(
        "/v1/comments", data=data, headers={**site.headers, "Content-Type": content_type}
    )


def _assert_4xx(response, status: int | None = None) -> None:
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    if status:
        assert response.status_code == status
    assert set(response.json) >= ENVELOPE
    assert response.json["status"] == response.status_code


@pytest.mark.parametrize(
    "raw",
    [
        b'{"article_id": "bai-1", "body": "\xff\xfe", "author_name": "A"}',
        b'{"article_id": "bai-1", "body": "\xc3\x28", "author_name": "A"}',  # broken 2-byte seq
        b'{"article_id": "bai-1", "body": "\xed\xa0\x80", "author_name": "A"}',  # CESU surrogate
        b"\x00\x00\x00{",
    ],
)
def test_invalid_utf8_is_a_400(client, site, raw):
    _assert_4xx(_post_raw(client, site, raw), 400)


@pytest.mark.parametrize("field", ["body", "author_name", "article_id", "author_id"])
def test_nul_bytes_in_any_text_field_are_a_422(client, site, field):
    payload = {"article_id": "bai-1", "body": "xin chào", "author_name": "A", field: "a\x00b"}
    response = client.post("/v1/comments", json=payload, headers=site.headers)
    _assert_4xx(response, 422)
    assert field in response.json["errors"]


def test_an_empty_body_is_a_4xx(client, site):
    _assert_4xx(_post_raw(client, site, b""))


@pytest.mark.parametrize("escaped", ["\\ud800", "\\udfff", "a\\udc00b", "\\ud83d"])
def test_lone_surrogates_are_a_422(client, site, escaped):
    raw = f'{{"article_id": "bai-1", "body": "{escaped}", "author_name": "A"}}'.encode()
    response = _post_raw(client, site, raw)
    _assert_4xx(response, 422)
    assert "body" in response.json["errors"]


def test_a_valid_surrogate_pair_is_an_emoji_and_is_kept(client, site):
    raw = b'{"article_id": "bai-1", "body": "hay qu\\u00e1 \\ud83d\\ude00", "author_name": "A"}'
    response = _post_raw(client, site, raw)
    assert response.status_code == 202
    assert response.json["body"] == "hay quá 😀"


def test_a_1_mb_body_is_a_413_in_the_envelope(client, site):
    payload = json.dumps({"article_id": "bai-1", "body": "a" * 1_000_000, "author_name": "A"})
    _assert_4xx(_post_raw(client, site, payload.encode()), 413)


def test_a_body_just_over_the_field_limit_is_a_422(client, site):
    response = client.post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": "á" * 20_001, "author_name": "A"},
        headers=site.headers,
    )
    _assert_4xx(response, 422)


@pytest.mark.parametrize("depth", [100, 5_000, 60_000])
def test_deeply_nested_json_is_a_4xx(client, site, depth):
    nested = "[" * depth + "]" * depth
    raw = f'{{"article_id": "bai-1", "body": {nested}, "author_name": "A"}}'.encode()
    response = _post_raw(client, site, raw)
    _assert_4xx(response)
    assert response.status_code in {400, 413, 422}


@pytest.mark.parametrize(
    "field, value",
    [
        ("body", 42),
        ("body", 1e308),
        ("author_name", 10**400),
        ("article_id", True),
        ("author_name", ["Lan"]),
        ("body", {"text": "x"}),
        ("parent_id", "12"),
        ("parent_id", 2**70),
        ("ip", 3232235777),
    ],
)
def test_wrong_types_are_a_422_naming_the_field(client, site, field, value):
    payload = {"article_id": "bai-1", "body": "xin chào", "author_name": "A", field: value}
    response = client.post("/v1/comments", json=payload, headers=site.headers)
    _assert_4xx(response, 422)
    assert field in response.json["errors"]


def test_huge_and_negative_ids_in_paths_are_404(client, site, moderator):
    for path in ("/v1/comments/99999999999999999999999", "/v1/comments/9223372036854775808"):
        _assert_4xx(client.get(path, headers=site.headers), 404)
    huge = "/v1/moderation/comments/99999999999999999999999"
    _assert_4xx(client.get(huge, auth=moderator), 404)


def test_a_non_ascii_digit_site_filter_is_a_404_not_a_500(client, moderator):
    _assert_4xx(client.get("/v1/moderation/queue?site=%C2%B2", auth=moderator), 404)


@pytest.mark.parametrize(
    "name",
    [
        "Lan\u202egnp.exe",  # right-to-left override
        "\u200bLan\u200c\u200d\ufeff",  # zero-width space, non-joiner, joiner, BOM
        "\u2066Lan\u2069",  # isolates
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",  # Arabic, right to left
    ],
)
def test_bidi_and_zero_width_names_are_stored_as_plain_text(client, site, work, name):
    accepted = submit(client, site, "Bình luận bình thường.", author_name=name)
    assert accepted["author_name"] == name  # kept as written, served as a JSON string
    work()
    fetched = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers)
    assert fetched.json["author_name"] == name
    assert fetched.headers["Content-Type"].startswith("application/json")


def test_emoji_of_every_shape_survive_the_round_trip(client, site):
    body = "Hay 😀 👍🏽 👨‍👩‍👧‍👦 🇻🇳 ❤️ 🫠 𝕍𝕚ệ𝕥"
    accepted = submit(client, site, body, author_name="🐉 Rồng")
    fetched = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json
    assert fetched["body"] == body and fetched["author_name"] == "🐉 Rồng"


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_every_normalization_form_is_stored_as_nfc(client, site, form):
    text = "Tiếng Việt: Nguyễn Thị Ánh, phở bò, ổn định"
    accepted = submit(client, site, unicodedata.normalize(form, text))
    stored = client.get(f"/v1/comments/{accepted['id']}", headers=site.headers).json["body"]
    assert stored == unicodedata.normalize("NFC", unicodedata.normalize(form, text))
    assert unicodedata.is_normalized("NFC", stored)
    if form in ("NFC", "NFD"):
        assert stored == text  # canonical forms of the same text are one stored text


def test_wrong_content_types_are_4xx(client, site):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        _assert_4xx(_post_raw(client, site, b"article_id=bai-1", content_type))


# ----- lone surrogates in every text field (escaped in JSON, so the JSON itself is valid) -----
SURROGATE_FIELDS = [
    ("article_id", '"bai-\\ud800"'),
    ("author_name", '"Lan\\udfff"'),
    ("author_id", '"\\udc00"'),
    ("author_email", '"lan\\ud800@example.vn"'),
    ("ip", '"\\udc00"'),
    ("user_agent", '"Mozilla\\ud800"'),
    ("article_title", '"Tin \\ud800"'),
    ("article_url", '"http://x.vn/\\ud800"'),
]


def _raw_comment(field: str, value: str, article_id: str = "bai-moi") -> bytes:
    sent = {"article_id": f'"{article_id}"', "body": '"Xin chào"', "author_name": '"Lan"'}
    sent[field] = value
    return ("{" + ", ".join(f'"{k}": {v}' for k, v in sent.items()) + "}").encode()


@pytest.mark.parametrize("field, value", SURROGATE_FIELDS)
def test_a_lone_surrogate_in_any_field_is_a_422_naming_it(client, site, field, value):
    response = _post_raw(client, site, _raw_comment(field, value))
    _assert_4xx(response, 422)
    assert field in response.json["errors"]


def test_a_lone_surrogate_url_on_an_existing_article_is_a_422_not_dropped(client, site):
    submit(client, site, "Bài đã có.", article_id="bai-co")
    raw = _raw_comment("article_url", '"http://x.vn/\\ud800"', article_id="bai-co")
    _assert_4xx(_post_raw(client, site, raw), 422)


def test_a_lone_surrogate_in_an_article_is_a_422(client, site):
    for field, value in (("title", '"Tin \\ud800"'), ("url", '"http://x.vn/\\udfff"')):
        response = client.put(
            "/v1/articles/bai-1",
            data=f'{{"{field}": {value}}}'.encode(),
            headers={**site.headers, "Content-Type": "application/json"},
        )
        _assert_4xx(response, 422)
        assert field in response.json["errors"]


def test_one_unstorable_comment_fails_alone_not_its_batch(app, site, client):
    # Past the schema (a caller of the store, or a field it does not check): the comment
    # the database cannot take is refused alone; the batch's others, of any site, are stored.
    submit(client, site, "Bài đã có.", article_id="bai-co")
    other = make_site(app, "baokhac")
    intake = app.extensions["duyet"].intake
    bad_url = NewComment("bai-moi", "Xin chào", "Lan", article_url="http://x.vn/\ud800")
    bad_name = NewComment("bai-co", "Xin chào", "Lan\udfff")
    batch = [
        Submission(site.id, NewComment("bai-co", "Ý kiến một.", "An"), None, None, None),
        Submission(site.id, bad_url, None, None, None),
        Submission(other.id, NewComment("bai-2", "Ý kiến hai.", "Bình"), None, None, None),
        Submission(site.id, bad_name, None, None, None),
        Submission(other.id, NewComment("bai-3", "Ý kiến ba.", "Chi"), None, None, None),
    ]
    intake.store(batch)
    outcomes = [sub.outcome for sub in batch]
    for bad in (outcomes[1], outcomes[3]):
        assert isinstance(bad, DuyetError) and bad.status == 422
    stored = [o[0].body for o in outcomes if isinstance(o, tuple)]
    assert stored == ["Ý kiến một.", "Ý kiến hai.", "Ý kiến ba."]


# ----- integers longer than Python will convert (4,300 digits), on every JSON endpoint -----
HUGE = "9" * 5_000


# Where each endpoint meets the number: a typed field, an unknown field, inside a list.
@pytest.mark.parametrize(
    "method, path, sent",
    [
        (
            "post",
            "/v1/comments",
            '{"article_id": "a", "body": "b", "author_name": "c", "parent_id": N}',
        ),
        ("post", "/v1/comments", '{"article_id": "a", "body": "b", "author_name": "c", "x": [N]}'),
        ("post", "/v1/comments/1/reports", '{"reason": "spam", "n": N}'),
        ("put", "/v1/articles/bai-1", '{"title": "T", "n": -N}'),
        ("post", "/v1/moderation/comments/1/decision", '{"action": "approve", "n": N}'),
    ],
    ids=["comment-parent", "comment-unknown", "report", "article", "decision"],
)
def test_a_number_too_long_to_read_is_a_400_on_every_json_endpoint(
    client, site, moderator, method, path, sent
):
    headers = {**site.headers, "Content-Type": "application/json"}
    auth = moderator if "moderation" in path else None
    raw = sent.replace("N", HUGE).encode()
    response = getattr(client, method)(path, data=raw, headers=headers, auth=auth)
    _assert_4xx(response, 400)
    assert "4300 digits" in response.json["message"]


# ----- chunked bodies (no Content-Length) over the limit: 413 like any other -----
def _chunked(client, site, method: str, path: str, sent: dict):
    return getattr(client, method)(
        path,
        input_stream=io.BytesIO(json.dumps(sent, ensure_ascii=False).encode()),
        headers={
            **site.headers,
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn marks a chunked body
    )


@pytest.mark.parametrize("method, path", [("post", "/v1/comments"), ("put", "/v1/articles/x")])
def test_an_oversized_chunked_body_is_a_413_in_the_envelope(client, site, method, path):
    sent = {"article_id": "bai-1", "body": "a" * 100_000, "author_name": "A"}
    _assert_4xx(_chunked(client, site, method, path, sent), 413)


def test_a_chunked_body_within_the_limit_is_read_whole(client, site):
    sent = {"article_id": "bai-1", "body": "á" * 20_000, "author_name": "A"}
    accepted = _chunked(client, site, "post", "/v1/comments", sent)
    assert accepted.status_code == 202 and accepted.json["body"] == sent["body"]
    titled = _chunked(client, site, "put", "/v1/articles/x", {"title": "Tin chunked"})
    assert titled.status_code == 200 and titled.json["title"] == "Tin chunked"


def test_a_number_too_long_to_read_is_a_400_from_coral_too(app, client, site):
    accounts.update_site(app.extensions["duyet"].db, site.id, config={"coral_signing_secret": "s"})
    raw = f'{{"comment": {{"body": "x"}}, "author": {{"id": {HUGE}}}}}'.encode()
    signature = "sha256=" + hmac.new(b"s", raw, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Coral-Signature": signature}
    response = client.post("/v1/integrations/coral/baotinh", data=raw, headers=headers)
    _assert_4xx(response, 400)
