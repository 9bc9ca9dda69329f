"""A batch observed in Redis at once sees what its comments would see one at a time."""

from __future__ import annotations

from redis import Redis

from workers import behaviour
from workers.behaviour import Observed, Sighting
from workers.engine.fingerprint import fingerprint

SITE = 7
COPY = "Nhà cái uy tín nạp tiền nhận thưởng ngay hôm nay, truy cập link bên dưới nhé"
OTHER = "Cảm ơn tác giả, bài viết về đường giao thông nông thôn rất hữu ích cho bà con."

Item = tuple[int, dict[str, str | None], Sighting]


def _items() -> list[Item]:
    """Three copies of one text (two articles, two authors), a text and its near copy."""
    rows = [
        (1, COPY, 10, "spammer", "10.0.0.1"),
        (2, COPY, 11, "spammer", "10.0.0.1"),
        (3, OTHER, 10, "lan", "10.0.0.2"),
        (4, COPY, 10, "khach", "10.0.0.1"),
        (5, OTHER + " Đồng ý!", 12, "lan", None),
    ]
    return [
        (
            SITE,
            {"ip": ip, "email": None, "author": author},
            Sighting(cid, fingerprint(body), art, author),
        )
        for cid, body, art, author, ip in rows
    ]


def _one_at_a_time(redis: Redis, items: list[Item]) -> list[Observed]:
    return [
        Observed(
            behaviour.posting_rates(redis, site_id, who),
            behaviour.count_duplicates(redis, site_id, sighting),
            behaviour.feedback_for(redis, site_id, sighting.fingerprint),
        )
        for site_id, who, sighting in items
    ]


def test_a_batch_sees_rates_copies_and_labels_as_comments_one_at_a_time(redis: Redis) -> None:
    behaviour.remember_label(redis, SITE, fingerprint(COPY), "spam")
    expected = _one_at_a_time(redis, _items())
    redis.flushdb()
    behaviour.remember_label(redis, SITE, fingerprint(COPY), "spam")

    observed = behaviour.observe_many(redis, _items())

    assert observed == expected
    assert [o.duplicates for o in observed] == [0, 1, 0, 2, 1]
    assert observed[3].rates == {"ip": 3, "author": 1}
    assert observed[3].feedback and observed[3].feedback[0].label == "spam"


def test_rate_and_duplicate_keys_expire(redis: Redis) -> None:
    behaviour.observe_many(redis, _items()[:1])
    ttls = {key.decode().split(":")[1]: redis.ttl(key) for key in redis.keys("duyet:*")}
    assert 0 < ttls["rate"] <= behaviour.RATE_WINDOW * 2
    assert 0 < ttls["nd"] <= behaviour.DUPLICATE_WINDOW
