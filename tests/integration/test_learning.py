"""A moderator's decision teaches the engine: the next near-identical comment scores with it."""

from __future__ import annotations

from service.store.reading import comment_history
from tests.integration.conftest import submit

PROMO = "Shop em bán áo khoác giá tốt 199k, ai cần thì ghé trang của shop nha"
PROMO_AGAIN = "Shop em bán áo khoác giá tốt 249k, ai cần thì ghé trang của shop nha!!"
CIVIL = "Đường vào xã em mùa mưa lầy lội lắm, mong tỉnh sớm làm lại đoạn này."
CIVIL_AGAIN = "Đường vào xã em mùa mưa lầy lội lắm, mong tỉnh sớm làm lại đoạn này ạ."


def _decision(app, comment_id):
    _, decisions, _ = comment_history(app.extensions["duyet"].db, comment_id)
    return decisions[-1] if len(decisions) == 1 else decisions[0]


def _decide(client, moderator, comment_id, action):
    response = client.post(
        f"/v1/moderation/comments/{comment_id}/decision", json={"action": action}, auth=moderator
    )
    assert response.status_code == 200, response.json


def test_marking_spam_raises_the_score_of_a_near_identical_comment(
    app, client, site, work, moderator
):
    first = submit(client, site, PROMO)
    work()
    before = _decision(app, first["id"]).scores["spam"]
    _decide(client, moderator, first["id"], "spam")
    work()  # the learning job
    again = submit(client, site, PROMO_AGAIN, author_name="Người khác")
    work()
    after = _decision(app, again["id"])
    assert after.scores["spam"] > before
    assert after.verdict != "approve"
    assert "feedback_spam" in [reason["code"] for reason in after.reasons]


def test_approving_lowers_the_score_of_a_near_identical_comment(app, client, site, work, moderator):
    first = submit(client, site, CIVIL)
    work()
    before = _decision(app, first["id"]).scores["spam"]
    _decide(client, moderator, first["id"], "approve")
    work()
    # The same reader again: from another author a copy would be held as a campaign.
    again = submit(client, site, CIVIL_AGAIN)
    work()
    after = _decision(app, again["id"])
    assert after.scores["spam"] < before
    assert after.verdict == "approve"
    assert "feedback_ham" in [reason["code"] for reason in after.reasons]
