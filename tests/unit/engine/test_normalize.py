"""Normalization: one test per evasion trick, and offsets that point back at the body."""

from __future__ import annotations

import unicodedata

from workers.engine.normalize import digit_runs, digits_from_words, normalize, syllables


def test_nfd_input_folds_to_the_same_forms_as_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Cá độ bóng đá")
    norm = normalize(nfd)
    assert norm.folded == "cá độ bóng đá"
    assert norm.plain == "ca do bong da"
    # "độ" is four code points in NFD; its span covers all of them
    start = norm.folded.index("độ")
    span = norm.span(start, start + 2)
    assert span.end - span.start == 4
    assert unicodedata.normalize("NFC", nfd[span.start : span.end]) == "độ"


def test_zero_width_and_control_characters_are_removed() -> None:
    norm = normalize("c\u200bá\u200d đ\ufeffộ\x07")
    assert norm.folded == "cá độ"


def test_full_width_letters_and_digits_fold_to_ascii() -> None:
    assert normalize("ＮＨＡ ＣＡＩ ８８").folded == "nha cai 88"


def test_cyrillic_look_alikes_fold_into_latin_words() -> None:
    # Cyrillic і, а, о, с, е, р inside Vietnamese/English words
    assert normalize("cá\u0456").folded == "cái"
    assert normalize("\u0441\u0430 \u0501\u043e").plain == "ca do"
    assert normalize("vi\u0430gr\u0430").folded == "viagra"


def test_greek_look_alikes_fold() -> None:
    assert normalize("\u03bday tiền").folded == "vay tiền"


def test_letters_split_by_dots_are_rejoined() -> None:
    norm = normalize("n.h.à c.á.i uy tín")
    assert norm.folded == "nhà cái uy tín"
    assert norm.plain == "nha cai uy tin"


def test_letters_split_by_dashes_and_underscores_are_rejoined() -> None:
    assert normalize("c-á đ_ộ").folded == "cá độ"


def test_letters_split_by_spaces_are_rejoined() -> None:
    assert normalize("v a y t i ề n nhanh").folded == "vaytiền nhanh"


def test_two_spaced_letters_are_left_alone() -> None:
    # "ừ ạ" is two real one-letter words, not an evasion
    assert normalize("ừ ạ").folded == "ừ ạ"


def test_repeated_letters_collapse() -> None:
    assert normalize("ngonnnnn quáaaaa").folded == "ngon quá"


def test_double_letters_are_kept() -> None:
    assert normalize("good ball cải xoong").folded == "good ball cải xoong"


def test_words_of_one_repeated_letter_are_kept() -> None:
    assert normalize("xxx www").folded == "xxx www"


def test_tone_placement_variants_agree() -> None:
    assert normalize("hoà bình, thuỷ lợi").folded == normalize("hòa bình, thủy lợi").folded


def test_d_with_stroke_strips_to_d_and_eth_folds_to_it() -> None:
    assert normalize("Đường ðẹp").plain == "duong dep"


def test_offsets_map_folded_back_to_the_original() -> None:
    body = "Xin chào   N.G.U.Y.Ễ.N\u200b!"
    norm = normalize(body)
    i = norm.folded.index("nguyễn")
    span = norm.span(i, i + len("nguyễn"))
    assert body[span.start : span.end] == "N.G.U.Y.Ễ.N"


def test_clean_form_keeps_links_intact() -> None:
    norm = normalize("Xem WWW.Example.COM nhé")
    assert "www.example.com" in norm.clean
    i = norm.clean.index("www")
    span = norm.clean_span(i, i + len("www.example.com"))
    assert norm.original[span.start : span.end] == "WWW.Example.COM"


def test_digits_written_as_words_become_digits() -> None:
    text = "gọi không chín một hai ba bốn năm sáu bảy tám nhé"
    assert digits_from_words(text) == "gọi 0912345678 nhé"


def test_digit_words_without_accents_and_mixed_with_digits() -> None:
    assert digits_from_words("ko chin mot 2 3 4 5 6 7 8") == "0912345678"
    assert [r.digits for r in digit_runs(normalize("sdt 09 tám 7.654.321"))] == ["0987654321"]


def test_ordinary_number_words_in_prose_are_not_rewritten() -> None:
    text = "Năm nay ba tôi sáu mươi tuổi"
    assert digits_from_words(text) == text


def test_syllables_split_on_spaces_and_punctuation() -> None:
    assert syllables("Ông Nguyễn, người Hà Nội!") == ["ông", "nguyễn", "người", "hà", "nội"]
