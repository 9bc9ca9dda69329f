"""Varied comment bodies and authors for the load generators (Vietnamese first, some spam)."""

from __future__ import annotations

import json
import random
from pathlib import Path

_PROSE = (
    "bài viết rất hay cảm ơn tác giả thông tin hữu ích chính quyền địa phương cần sớm "
    "giải quyết người dân mong chờ dự án đường giao thông bệnh viện trường học giá cả "
    "tăng cao mùa mưa bão lũ lụt nông dân thu hoạch lúa cà phê du lịch biển đẹp quá "
    "đồng ý với ý kiến trên tôi nghĩ rằng vấn đề này không đơn giản cần minh bạch hơn "
    "ủng hộ phản đối lãnh đạo tỉnh huyện xã cán bộ trách nhiệm kiểm tra xử lý nghiêm "
    "the article is good thanks for sharing local news really matters"
)
WORDS = _PROSE.split()
SPAM = (
    "nhà cái uy tín nạp tiền nhận thưởng 100% truy cập ngay",
    "vay tiền nhanh không thế chấp liên hệ zalo 0912 345 678",
    "làm bằng đại học giá rẻ bao công chứng gọi 09.88.77.66.55",
    "cá độ bóng đá tỷ lệ kèo cao nhất link bit.ly/keo88",
    "kiếm tiền online 5 triệu mỗi ngày inbox telegram @giaunhanh",
)
NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng", "Phạm Minh", "Hoàng Lan", "Võ Thanh")


def body(rng: random.Random) -> str:
    """Return one comment text: mostly civil, about one in ten spam."""
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 40)))
    if rng.random() < 0.1:
        return f"{rng.choice(SPAM)} {text[:60]}"
    return text.capitalize() + "."


def comment(rng: random.Random, articles: int, authors: int) -> dict[str, object]:
    """Return one POST /v1/comments body with a varied author, IP and article."""
    who = rng.randrange(authors)
    return {
        "article_id": f"a{rng.randrange(articles)}",
        "body": body(rng),
        "author_name": f"{rng.choice(NAMES)} {who}",
        "author_email": f"reader{who}@example.vn",
        "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "user_agent": "Mozilla/5.0 (bench)",
    }


def write_bodies(
    path: Path, count: int, seed: int, articles: int = 200, authors: int = 50_000
) -> Path:
    """Write count JSON bodies, one a line, for wrk's Lua script and the paced generator."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(count):
            out.write(json.dumps(comment(rng, articles, authors), ensure_ascii=False) + "\n")
    return path
