"""Banned and suspect words: whole syllables, diacritics rule, evasions, spans."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check, codes, spans_of, words


@pytest.mark.parametrize("body", ["Ông Nguyễn Văn A", "người ngủ ngon", "Ngủ đi", "ngừng lại"])
def test_ngu_does_not_hit_other_syllables(body: str) -> None:
    assert "banned_word" not in codes(check(body, words(banned=("ngu",))))


@pytest.mark.parametrize("body", ["thằng ngu", "NGU quá", "ngu.", "nguuuuu", "n g u"])
def test_ngu_hits_the_word_itself(body: str) -> None:
    reasons = check(body, words(banned=("ngu",)))
    assert codes(reasons)["banned_word"] == "reject"


@pytest.mark.parametrize(
    ("body", "piece"),
    [
        ("chơi cá độ bóng đá", "cá độ"),
        ("chơi ca do bóng đá", "ca do"),
        ("Nhận c.á đ.ộ uy tín", "c.á đ.ộ"),
        ("CÁ ĐỘ online", "CÁ ĐỘ"),
        ("ca độ", "ca độ"),
        ("cá-độ", "cá-độ"),
        ("cáđộ", "cáđộ"),
    ],
)
def test_ca_do_hits_every_spelling_with_its_span(body: str, piece: str) -> None:
    reasons = check(body, words(banned=("cá độ",)))
    assert spans_of(body, reasons, "banned_word") == [piece]


def test_ca_do_does_not_hit_other_accents_or_a_sentence_break() -> None:
    context = words(banned=("cá độ",))
    assert check("quả cà đó ngon", context) == []
    assert check("Tôi thích ăn cá. Độ này bận", context) == []


def test_rule_without_accents_only_hits_text_without_accents() -> None:
    context = words(banned=("ca do",))
    assert codes(check("ca do", context)) == {"banned_word": "reject"}
    assert check("cá độ", context) == []


def test_spaced_out_phrase_hits_a_multi_syllable_rule() -> None:
    body = "Cần v a y t i ề n gấp?"
    reasons = check(body, words(banned=("vay tiền",)))
    assert spans_of(body, reasons, "banned_word") == ["v a y t i ề n"]


def test_look_alike_letters_do_not_hide_a_word() -> None:
    body = "nhà cá\u0456 uy tín"  # Cyrillic і
    reasons = check(body, words(banned=("nhà cái",)))
    assert spans_of(body, reasons, "banned_word") == ["nhà cá\u0456"]


def test_suspect_words_hold_and_tone_spelling_does_not_matter() -> None:
    reasons = check("Hoà giải đi", words(suspect=("hòa giải",)))
    assert codes(reasons) == {"suspect_word": "hold"}
    assert reasons[0].message == "Chứa từ cần xem xét: «hòa giải»"


def test_every_occurrence_gets_a_span() -> None:
    body = "ngu ơi là ngu"
    reasons = check(body, words(banned=("ngu",)))
    assert [(s.start, s.end) for s in reasons[0].spans] == [(0, 3), (10, 13)]
    assert reasons[0].message == "Chứa từ bị cấm: «ngu»"
