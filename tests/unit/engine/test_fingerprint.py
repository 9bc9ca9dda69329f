"""SimHash fingerprints: near-identical spam stays within three bits, unrelated text is far."""

from __future__ import annotations

import pytest

from workers.engine.fingerprint import bands, fingerprint, similarity

SPAM = (
    "Vay tiền nhanh chỉ cần CMND, giải ngân trong ngày, lãi suất thấp, liên hệ zalo "
    "0912345678 để được hỗ trợ tư vấn miễn phí nhé các bạn"
)


def _bits(a: str, b: str) -> int:
    return round((1 - similarity(fingerprint(a), fingerprint(b))) * 64)


@pytest.mark.parametrize(
    "variant",
    [
        SPAM.replace("0912345678", "0987654321"),  # a changed number
        SPAM + " 😀🔥",  # extra emoji
        SPAM.upper(),
        "Vay tien nhanh chi can CMND, giai ngan trong ngay, lai suat thap, lien he zalo "
        "0912345678 de duoc ho tro tu van mien phi nhe cac ban",  # diacritics removed
        "v.a.y t.i.ề.n" + SPAM[8:],  # split letters
        SPAM.replace(" ", "  ").replace(",", " ,"),
    ],
)
def test_near_identical_texts_are_within_three_bits(variant: str) -> None:
    assert _bits(SPAM, variant) <= 3


def test_a_changed_word_moves_only_a_few_bits() -> None:
    assert _bits(SPAM, SPAM.replace("lãi suất thấp", "lãi rất thấp")) <= 10


@pytest.mark.parametrize(
    "other",
    [
        "Bài viết rất hay, cảm ơn tác giả đã phản ánh đúng thực trạng giao thông ở thành phố",
        "Chính quyền cần xử lý nghiêm các sai phạm trong dự án này",
        "This is a great article about the economy and inflation",
    ],
)
def test_unrelated_texts_are_far_apart(other: str) -> None:
    assert _bits(SPAM, other) >= 16


def test_fingerprint_is_a_stable_64_bit_value() -> None:
    fp = fingerprint(SPAM)
    assert 0 <= fp < 2**64
    assert fingerprint(SPAM) == fp
    assert fingerprint("") == 0 and fingerprint("😀") == 0


def test_bands_split_into_four_16_bit_keys_and_near_texts_share_one() -> None:
    fp = fingerprint(SPAM)
    assert len(bands(fp)) == 4 and all(0 <= b < 2**16 for b in bands(fp))
    assert sum(b << (48 - 16 * i) for i, b in enumerate(bands(fp))) == fp
    near = fingerprint(SPAM + " 😀")
    assert set(bands(fp)) & set(bands(near))


def test_similarity_counts_differing_bits() -> None:
    assert similarity(0, 0) == 1.0
    assert similarity(0, 0b111) == 1 - 3 / 64
    assert similarity(0, 2**64 - 1) == 0.0
