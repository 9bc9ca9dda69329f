"""Garbage in, a clear 4xx out: never a 500, always the one envelope; text stored as NFC."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tests.integration.conftest import submit

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
