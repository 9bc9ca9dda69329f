"""Contact bait: Vietnamese mobile numbers in any spelling, chat-app handles."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check, codes, spans_of


@pytest.mark.parametrize(
    "number",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "+84912345678",
        "(+84) 0912 345 678",
        "０９１２３４５６７８",
        "03 98 76 54 32",
    ],
)
def test_mobile_numbers_hold_with_their_span(number: str) -> None:
    body = f"Số của tôi {number} nha"
    reasons = check(body)
    assert codes(reasons) == {"contact_phone": "hold"}
    # "(+84) 0912..." is highlighted from the "+"
    assert spans_of(body, reasons, "contact_phone") == [number.removeprefix("(")]


@pytest.mark.parametrize(
    "body",
    [
        "không chín một hai ba bốn năm sáu bảy tám",
        "ko chin mot hai ba bon nam sau bay tam",
        "09 tám 7 sáu 5 bốn 3 hai 1",
        "O9I2 345 678",
    ],
)
def test_numbers_spelled_to_dodge_filters_are_spam(body: str) -> None:
    assert codes(check(f"Gọi em {body}"))["contact_phone"] == "spam"


def test_a_number_with_a_call_to_contact_is_spam() -> None:
    body = "Cần vay liên hệ 0912.345.678"
    reasons = check(body)
    assert codes(reasons) == {"contact_phone": "spam"}
    assert spans_of(body, reasons, "contact_phone") == ["0912.345.678"]


@pytest.mark.parametrize(
    ("body", "piece"),
    [("tele @kiemtien99", "tele @kiemtien99"), ("Zalo: nguyenvana", "Zalo: nguyenvana")],
)
def test_chat_handles_are_spam(body: str, piece: str) -> None:
    reasons = check(body)
    assert codes(reasons)["contact_handle"] == "spam"
    assert spans_of(body, reasons, "contact_handle") == [piece]


def test_invitation_to_inbox_holds() -> None:
    assert codes(check("ai cần thì ib mình nhé")) == {"contact_invite": "hold"}


@pytest.mark.parametrize(
    "body",
    [
        "Năm 2024 có 1.500.000 người dự thi",
        "Zalo đang gặp sự cố từ sáng",
        "Người dân nên liên hệ cơ quan chức năng",
        "Gọi 113 hoặc 115 khi cần",
        "giá 12.345.678 đồng",
        "Ba tôi năm nay sáu mươi tuổi",
    ],
)
def test_ordinary_numbers_and_mentions_are_not_contact_bait(body: str) -> None:
    assert check(body) == []
