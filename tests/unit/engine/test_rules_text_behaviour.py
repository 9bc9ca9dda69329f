"""Shape of the text (empty, long, shouting, emoji, floods) and behaviour checks."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import behaving, check, codes, spans_of
from workers.engine.types import Context, SiteRules


@pytest.mark.parametrize("body", ["", "   ", "\u200b\u200d\n", "\ufeff"])
def test_empty_after_normalization_is_rejected(body: str) -> None:
    assert codes(check(body)) == {"empty": "reject"}


def test_too_long_holds() -> None:
    assert codes(check("a " * 60, Context(rules=SiteRules(max_length=100)))) == {"too_long": "hold"}


def test_shouting_holds_but_a_capitalised_word_does_not() -> None:
    assert codes(check("TÔI PHẢN ĐỐI QUYẾT ĐỊNH NÀY CỦA HUYỆN")) == {"shouting": "hold"}
    assert check("Tôi ĐỒNG Ý với ý kiến của UBND tỉnh về vấn đề này") == []


def test_emoji_only_holds() -> None:
    assert codes(check("😀😀 👍🏻 ❤️")) == {"emoji_only": "hold"}
    assert check("Hay quá 👍") == []


@pytest.mark.parametrize("body", ["!!!!!!!!!", "hahahahahahahahahahahaha", "Tuyệt " + "=))" * 8])
def test_character_walls_hold(body: str) -> None:
    assert codes(check(body)) == {"char_flood": "hold"}


def test_a_little_enthusiasm_is_not_a_flood() -> None:
    assert check("Bài viết hay quá!!! hahaha") == []


def test_flood_span_points_at_the_wall() -> None:
    body = "Ủng hộ " + "!" * 25
    assert spans_of(body, check(body), "char_flood") == ["!" * 25]


def test_banned_sender_is_rejected() -> None:
    reasons = check("Xin chào", behaving(banned=("ip",)))
    assert codes(reasons) == {"banned_sender": "reject"}
    assert "địa chỉ IP" in reasons[0].message


def test_closed_article_rejects_and_premoderated_holds() -> None:
    assert codes(check("Xin chào", Context(article_closed=True))) == {"article_closed": "reject"}
    held = check("Xin chào", Context(article_premoderated=True))
    assert codes(held) == {"article_premoderated": "hold"}


@pytest.mark.parametrize(("rate", "verdict"), [(5, None), (6, "hold"), (11, "spam")])
def test_flood_by_posting_rate(rate: int, verdict: str | None) -> None:
    found = codes(check("Xin chào", behaving(email_rate=rate)))
    assert found.get("flood") == verdict


@pytest.mark.parametrize(("count", "verdict"), [(0, None), (1, "hold"), (2, "spam"), (7, "spam")])
def test_near_duplicates(count: int, verdict: str | None) -> None:
    assert codes(check("Xin chào", behaving(duplicates=count))).get("near_duplicate") == verdict


def test_author_history() -> None:
    assert codes(check("Xin chào", behaving(author_rejected=2))) == {
        "author_rejected_before": "hold"
    }
    assert codes(check("Xin chào", behaving(author_approved=5))) == {"trusted_author": "approve"}
    assert check("Xin chào", behaving(author_approved=5, author_rejected=1)) == []
