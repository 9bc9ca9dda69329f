"""Obvious spam with evasion tricks never passes the rules alone; civil criticism does."""

from __future__ import annotations

import pytest

from tests.unit.engine.helpers import check
from workers.engine.types import VERDICT_STRENGTH, Context, SiteRules, Verdict

SITE = Context(
    rules=SiteRules(
        banned_words=("cá độ", "nhà cái", "địt", "óc chó"),
        suspect_words=("vay tiền", "bằng đại học", "kiếm tiền online"),
        blocked_domains=("nhacai88.com",),
    )
)


def _strongest(body: str) -> Verdict:
    reasons = check(body, SITE)
    return max(
        (r.verdict for r in reasons), key=VERDICT_STRENGTH.__getitem__, default=Verdict.APPROVE
    )


@pytest.mark.parametrize(
    "body",
    [
        "N.H.À C.Á.I uy tín nhất, nạp lần đầu tặng 100%",
        "ca do bong da online, vao nhacai88 . com",
        "V a y t i ề n nhanh không thế chấp, zalo: 0912 345 678",
        "Làm bằng đại học giá rẻ, liên hệ không chín tám bảy sáu năm bốn ba hai một",
        "Kiếm tiền online 5tr/ngày ib mình nhé",
        "Hot girl show hàng bit.ly/3xyzabc",
        "Đồ óc chóóóó",
        "nhà cáі uy tín",  # Cyrillic і
        "ＣÁ ＤỘ bóng đá",
    ],
)
def test_obvious_spam_is_not_published(body: str) -> None:
    assert _strongest(body) is not Verdict.APPROVE


@pytest.mark.parametrize(
    "body",
    [
        "Ông Nguyễn Văn Hòa, chủ tịch huyện, phải chịu trách nhiệm về sai phạm này.",
        "Quan chức tham nhũng thì phải xử lý nghiêm, không có vùng cấm!",
        "Người dân ngủ không yên vì tiếng ồn của nhà máy suốt đêm.",
        "Giá vàng hôm nay 85.500.000 đồng/lượng, tăng 1,2% so với tuần trước.",
        "Great reporting. The province should publish the audit in full.",
        "Theo vnexpress.net thì dự án chậm tiến độ 3 năm rồi.",
    ],
)
def test_civil_comments_pass_the_rules(body: str) -> None:
    assert _strongest(body) is Verdict.APPROVE
