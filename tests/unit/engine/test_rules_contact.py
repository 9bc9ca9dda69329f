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
    "body",
    [
        "Ai thấy đua xe trái phép thì gọi ngay đường dây nóng công an tỉnh 0913 456 113.",
        "Hotline tiếp nhận phản ánh của UBND thành phố là 0905 115 115, họ xử lý nhanh.",
    ],
)
def test_a_call_to_contact_far_from_the_number_only_holds(body: str) -> None:
    # A reader passing on a public hotline names who answers it between the call and the
    # number; an advert puts them together.
    assert codes(check(body)) == {"contact_phone": "hold"}


@pytest.mark.parametrize(
    "body",
    [
        "Anh chị nào cần vay liên hệ em qua số 0912 345 678",
        "0912 345 678 (zalo) nhận làm bằng cấp tốc",
        "Gọi cho em theo số 0912345678 nhé",
    ],
)
def test_a_call_to_contact_near_the_number_is_spam(body: str) -> None:
    assert codes(check(body))["contact_phone"] == "spam"


@pytest.mark.parametrize(
    "body",
    [
        "Cúp điện từ 07/09/2024-09/09/2024, có gì thắc mắc liên hệ điện lực huyện.",
        "Lịch cắt điện ngày 09/07/2024-10/07/2024 ở xã Phú Mỹ",
        "Hạn nộp hồ sơ 05.08.2025 - 09.08.2025, liên hệ phòng giáo dục",
    ],
)
def test_dates_are_not_phone_numbers(body: str) -> None:
    assert "contact_phone" not in codes(check(body))


def test_a_date_beside_a_real_number_leaves_the_number() -> None:
    body = "Ngày 07/09/2024 liên hệ 0912 345 678"
    reasons = check(body)
    assert codes(reasons) == {"contact_phone": "spam"}
    assert spans_of(body, reasons, "contact_phone") == ["0912 345 678"]


@pytest.mark.parametrize(
    "body",
    [
        "Ai bị lừa thì báo ngay cho Công an tỉnh qua Zalo: Công an Thừa Thiên Huế nhé.",
        "Ai bị lừa thì nhắn anh ấy qua Zalo: lấy lại tiền Tuấn Minh",  # bait, or not
    ],
)
def test_an_account_named_in_vietnamese_holds_for_a_human(body: str) -> None:
    reasons = check(body)
    assert codes(reasons) == {"contact_account": "hold"}
    assert spans_of(body, reasons, "contact_account")[0].startswith("Zalo: ")


def test_a_call_after_the_number_counts_only_in_its_clause() -> None:
    assert codes(check("Hotline của UBND là 0905 115 115, tôi gọi rồi."))["contact_phone"] == (
        "hold"
    )
    assert codes(check("☎ 0912.345.678 gọi ngay"))["contact_phone"] == "spam"


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
