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
    # "... để nhận quà" also asks for a like in exchange for a gift: comment bait too.
    assert codes(reasons).get("self_promotion") == "hold"
    assert set(codes(reasons)) <= {"self_promotion", "comment_bait"}
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


@pytest.mark.parametrize(
    ("body", "piece"),
    [
        ("Các mẹ muốn có thêm thu nhập thì để lại bình luận, em chỉ cách làm.",
         "để lại bình luận, em chỉ"),
        ("Việc nhẹ lương cao, cmt 'ok' em hướng dẫn", "cmt 'ok' em hướng dẫn"),
        ("Cmt ok đi ae, kèo thơm tối nay.", "Cmt ok"),
        ("Cần tiền gấp cứ để lại chữ vay nhé", "để lại chữ vay"),
        ("Thả tim bài này em gửi thông tin việc làm.", "Thả tim bài này em gửi"),
        ("Cmt số 1 để nhận tài liệu miễn phí", "Cmt số 1 để nhận tài liệu"),
        ("Ai cần vốn làm ăn gấp thì cmt, giải ngân trong ngày", "Ai cần vốn làm ăn gấp thì cmt"),
        ("ai mun kiem them thu nhap thi binh luan", "ai mun kiem them thu nhap thi binh luan"),
    ],
)  # fmt: skip
def test_asking_readers_to_comment_to_be_sent_something_holds(body: str, piece: str) -> None:
    reasons = check(body)
    assert codes(reasons) == {"comment_bait": "hold"}
    assert spans_of(body, reasons, "comment_bait") == [piece]


@pytest.mark.parametrize(
    "body",
    [
        "Ai biết thì bình luận giúp em với, xe buýt số 5 còn chạy không?",
        "Mọi người bình luận văn minh nhé.",
        "Like để ủng hộ đội tuyển Việt Nam nào!",
        "Ai có ý kiến thì bình luận bên dưới, tòa soạn sẽ tổng hợp.",
        "Tôi comment ở bài trước mà chưa thấy ai trả lời.",
        "Ai thích đội nào thì cmt cùng bàn luận trận tối nay nhé.",
        "Em cmt để theo dõi bài này.",
        "Like và share để lan tỏa thông tin cứu trợ vùng lũ.",
    ],
)
def test_asking_readers_to_comment_for_nothing_in_return_passes(body: str) -> None:
    assert "comment_bait" not in codes(check(body))
