"""Self-promotion holds: the author's own channel, page or blog, in Vietnamese or English."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check, codes, spans_of


@pytest.mark.parametrize(
    ("body", "piece"),
    [
        ("Nice song. See my new track.", "my new track"),
        ("Check out my channel!", "Check out my channel"),
        ("sub me if you like covers", "sub me"),
        ("sub4sub anyone?", "sub4sub"),
        ("visit my blog for more", "visit my blog"),
        ("Ghé kênh của mình nhé mọi người", "kênh của mình"),
        ("Cả nhà ủng hộ kênh youtube của em nhé", "kênh youtube của em"),
        ("ghe kenh cua minh nhe", "kenh cua minh"),  # typed without accents
        ("k.ê.n.h c.ủ.a m.ì.n.h có clip full", "k.ê.n.h c.ủ.a m.ì.n.h"),  # letters split
        ("Anh em sub giúp em với ạ", "sub giúp em"),
        ("Like fanpage em để nhận quà", "fanpage em"),
    ],
)
def test_promoting_ones_own_channel_or_page_holds(body: str, piece: str) -> None:
    reasons = check(body)
    assert codes(reasons) == {"self_promotion": "hold"}
    assert spans_of(body, reasons, "self_promotion") == [piece]


@pytest.mark.parametrize(
    "body",
    [
        "Added this to my playlist, love it",
        "This song is on repeat in my car",
        "Mình hay theo dõi kênh VTV24 buổi tối",  # someone else's channel
        "Sẽ ủng hộ shop mình dài dài",  # a buyer calling the seller "shop mình"
        "Kênh to quá, cả tỉnh xem",
        "Tôi đã đăng ký cho con học bơi",
        "Subscribers of this channel know the song by heart",
        "Trang của tòa soạn đưa tin rất nhanh",
    ],
)
def test_other_peoples_channels_and_ordinary_words_do_not(body: str) -> None:
    assert "self_promotion" not in codes(check(body))
