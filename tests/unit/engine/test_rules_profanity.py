"""Common profanity and slurs hold on every site, unless the site turns the list off."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check, codes, spans_of
from workers.engine.rules.profanity import EXACT, LOOSE, listed_words
from workers.engine.types import Context, SiteRules


@pytest.mark.parametrize(
    ("body", "piece"),
    [
        ("đm bọn quan tham", "đm"),
        ("Đ.M bọn quan tham", "Đ.M"),  # split letters, capitals
        ("dm thật sự", "dm"),  # "đ" typed as "d"
        ("Giá xăng tăng vcl", "vcl"),
        ("Lũ khốn nạn này phải bị xử", "khốn nạn"),
        ("khon nan that", "khon nan"),  # a loose word typed without accents
        ("Đéo hiểu nổi", "Đéo"),
        ("đồ ba que", "ba que"),
        ("This is fucking stupid", "fucking"),
        ("đ é o hiểu gì", "đ é o"),  # letters spaced out
        ("hay vclllll", "vclllll"),  # letters repeated
        ("fuuuuck this", "fuuuuck"),
        ("do cho nay", "do cho"),  # typed bare: it may be "đồ chó", a human decides
        ("Đume lấy tiền", "Đume"),  # letters but no tone: still "đụ mẹ"
        ("Con này bêde à", "bêde"),
        ("nghiện mùi đit", "đit"),
        ("ĐỒ CHÓ", "ĐỒ CHÓ"),
    ],
)
def test_profanity_and_slurs_hold_with_their_span(body: str, piece: str) -> None:
    reasons = check(body)
    assert codes(reasons).get("common_profanity") == "hold"
    assert spans_of(body, reasons, "common_profanity") == [piece]


@pytest.mark.parametrize(
    "body",
    [
        "Mua hai lon bia buổi sáng",  # "lon": a can, not "lồn"
        "buoi sang di hoc som",  # "buổi sáng" typed bare, not "buồi"
        "Các bạn đeo khẩu trang nhé",  # "các", "đeo": not "cặc", "đéo"
        "Đi ngủ sớm, di ngu som",  # "ngu" is not on the list: it is "ngủ" typed bare
        "Quả óc chó tốt cho tim",  # walnut
        "Con chó nhà tôi đi lạc",  # a dog
        "Đừng khua chiêng gõ mõ nữa",  # "khua": to beat a drum, not "khựa"
        "Phò vua giúp nước",  # to serve a king
        "Lịch sử Bắc Kỳ thời Pháp thuộc",
        "New vlog up, and the Scunthorpe match report",  # no word inside a word
        "Sharp criticism: the minister's plan is a disgrace",
        "Quyên góp đồ cho trẻ em vùng lũ",  # "đồ" has its accent, so "cho" is "for"
        "Đầu năm học mua đồ cho con",
        "Mẹ may áo mới cho con đi học",  # "may" (sews) is not "mày" once "mẹ" has its accent
    ],
)
def test_ordinary_words_that_look_alike_are_not_held(body: str) -> None:
    assert "common_profanity" not in codes(check(body))


def test_a_site_can_turn_the_list_off() -> None:
    context = Context(rules=SiteRules(common_profanity=False))
    assert "common_profanity" not in codes(check("đm bọn quan tham", context))


def test_the_reason_names_the_word_for_the_moderator() -> None:
    (found,) = [r for r in check("Đéo hiểu nổi") if r.code == "common_profanity"]
    assert found.message.endswith("«đéo»")
    assert found.detail["word"] == "đéo"


def _held_words(body: str, allowed: tuple[str, ...]) -> list[str]:
    context = Context(rules=SiteRules(profanity_allowed=allowed))
    return [r.detail["word"] for r in check(body, context) if r.code == "common_profanity"]


def test_a_site_can_let_some_words_of_the_list_through() -> None:
    body = "Hay VL, đéo ngờ luôn"
    assert _held_words(body, ()) == ["vl", "đéo"]
    assert _held_words(body, ("vl",)) == ["đéo"]  # the other word is still held
    assert _held_words(body, ("VL ", "Đéo")) == []  # as the admin typed them


def test_an_allowed_word_typed_bare_allows_the_accented_entry_but_not_another_word() -> None:
    assert _held_words("đm bọn quan tham", ("dm",)) == []  # "dm" is how "đm" is typed
    assert _held_words("Khốn nạn thật", ("khon nan",)) == []
    # "lon" (a can) allows nothing: "lồn" is another word, and on the list exactly
    assert _held_words("cái lồn", ("lon",)) == ["lồn"]


def test_the_listed_words_say_which_ones_a_site_lets_through() -> None:
    listed = dict(listed_words(("dm", "lon", "VL")))
    assert listed["đm"] and listed["vl"]  # bare "dm" covers the loose "đm"; case folds
    assert not listed["lồn"]  # "lon" is a can: the exact entry stays on
    assert not listed["đmm"] and not listed["fuck"]
    assert sum(listed.values()) == 2
    assert not any(through for _, through in listed_words(()))
    assert [word for word, _ in listed_words(())] == [*LOOSE, *EXACT]  # every word, as written
