"""The desk's overview (service/store/overview.py, /mod/overview): the engine's account."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from service.models import Comment, Decision, utcnow
from service.store import accounts
from service.store.overview import (
    ENGINE_VERDICTS,
    HeldFor,
    held_for,
    held_for_words,
    period,
    waiting,
)
from tests.integration.conftest import make_site, submit
from tests.integration.test_desk import act, decide, login

CIVIL = [
    "Mong báo tiếp tục theo dõi vụ việc này.",
    "Cảm ơn phóng viên đã đưa tin kịp thời về vụ sạt lở.",
    "Con đường này xuống cấp lâu rồi, mong tỉnh sớm sửa.",
]
SUSPECT = ["Ai cần vay tiền thì hỏi tôi nhé.", "Tôi không bao giờ vay tiền qua mạng, rủi ro lắm."]
BANNED = "Nhà cái uy tín, nạp là có thưởng."


def _figure(page: str, key: str) -> list[str]:
    """The cells of one row of the overview's table, as shown."""
    cells = re.findall(rf'data-figure="{re.escape(key)}">(.*?)</td>', page)
    return [" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells]


def test_the_overview_counts_what_the_engine_did_and_what_moderators_overturned(
    app, client, site, work, moderator
):
    db = app.extensions["duyet"].db
    rules = {"suspect_words": ["vay tiền"], "banned_words": ["nhà cái"]}
    accounts.update_site(db, site.id, config=rules)
    civil = [submit(client, site, text)["id"] for text in CIVIL]
    held = [submit(client, site, text)["id"] for text in SUSPECT]
    banned = submit(client, site, BANNED)["id"]
    work()
    day_ago = utcnow() - timedelta(days=1)
    assert waiting(db, None).count == 2
    assert waiting(db, None, cap=1).shown == "1+"  # counting stops past the cap
    assert waiting(db, None, cap=2).shown == "2"
    assert waiting(db, [site.id], cap=1).oldest == waiting(db, None).oldest  # not capped
    before = period(db, None, day_ago)
    assert before.received == 6
    assert {v: before.decided(v) for v in ENGINE_VERDICTS} == {
        "approve": 3,
        "hold": 2,
        "spam": 0,
        "reject": 1,
    }
    assert before.held_then_approved == before.published_then_removed == 0

    login(client)
    for comment_id, action in [
        (held[0], "approve"),  # a false alarm
        (held[1], "spam"),
        (civil[0], "reject"),  # published, then removed
        (banned, "approve"),  # kept out, then approved
        (civil[1], "reject"),  # ... and undone below: it counts as nothing
    ]:
        assert decide(client, comment_id, action).status_code == 200
    assert act(client, "/mod/api/undo", {"ids": [civil[1]]}).status_code == 200
    now = period(db, None, day_ago)
    assert now.outcomes == {
        "approve": {"approved": 2, "rejected": 1},
        "hold": {"approved": 1, "spam": 1},
        "reject": {"approved": 1},
    }
    assert (now.held_then_approved, now.held_then_kept_out) == (1, 1)
    assert (now.published_then_removed, now.kept_out_then_approved) == (1, 1)
    assert waiting(db, None).count == 0

    # A comment of three days ago counts in the week, not in the day.
    three_days_ago = utcnow() - timedelta(days=3)
    with db.transaction() as s:
        for table, column in ((Comment, Comment.id), (Decision, Decision.comment_id)):
            s.execute(update(table).where(column == civil[2]).values(created_at=three_days_ago))
    page = client.get("/mod/overview").get_data(as_text=True)
    assert _figure(page, "received") == ["5", "6"]
    assert _figure(page, "engine.approve") == ["2 (40%)", "3 (50%)"]  # of 5 and 6 decisions
    assert _figure(page, "engine.hold") == ["2 (40%)", "2 (33%)"]
    assert _figure(page, "held_then_approved") == ["1 (50%)", "1 (50%)"]
    assert _figure(page, "published_then_removed") == ["1 (50%)", "1 (33%)"]
    assert _figure(page, "kept_out_then_approved") == ["1 (100%)", "1 (100%)"]
    assert "Không có bình luận nào đang chờ duyệt." in page


def test_the_overview_says_why_comments_were_held_and_what_moderators_made_of_it(
    app, client, site, work, moderator
):
    db = app.extensions["duyet"].db
    accounts.update_site(db, site.id, config={"suspect_words": ["vay tiền"]})
    suspect = [submit(client, site, text)["id"] for text in SUSPECT]
    submit(client, site, "Giá xăng tăng vcl, lương thì không tăng")  # the profanity list
    submit(client, site, "Vay tiền mua nhà tầm này thì chịu, đắt vcl")  # both
    work()
    login(client)
    assert decide(client, suspect[0], "approve").status_code == 200  # a false alarm
    assert decide(client, suspect[1], "spam").status_code == 200
    week_ago = utcnow() - timedelta(days=7)
    rows = {row.key: row for row in held_for(db, None, week_ago)}
    assert rows["suspect_word"] == HeldFor("suspect_word", 3, approved=1, kept_out=1)
    assert rows["common_profanity"] == HeldFor("common_profanity", 2, approved=0, kept_out=0)
    assert held_for(db, [make_site(app, "baokhac").id], week_ago) == []
    page = client.get("/mod/overview").get_data(as_text=True)
    row = re.search(r'<tr data-reason="suspect_word">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = [
        " ".join(re.sub(r"<[^>]+>", "", c).split())
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)
    ]
    assert cells == ["Chứa từ đáng ngờ", "3", "1 (33%)", "1 (33%)"]
    assert 'href="/mod/queue?reason=common_profanity"' in page  # the held queue, filtered


def test_the_words_the_profanity_list_held_are_counted_with_what_moderators_did(
    app, client, site, work, moderator
):
    db = app.extensions["duyet"].db
    accounts.update_site(db, site.id, config={"suspect_words": ["vay tiền"]})
    vcl = [
        submit(client, site, "Giá xăng tăng vcl, lương thì không tăng")["id"],
        submit(client, site, "Đường này xấu vcl mà không ai sửa")["id"],
    ]
    submit(client, site, "Đéo hiểu nổi cách làm của xã")  # "đéo"
    submit(client, site, "Vay tiền mua nhà tầm này thì chịu")  # a suspect word, not the list
    other = make_site(app, "baokhac")
    submit(client, other, "Chán vcl, bài viết như không")  # another site's
    work()
    login(client)
    assert decide(client, vcl[0], "approve").status_code == 200
    week_ago = utcnow() - timedelta(days=7)
    codes = ("common_profanity", "suspect_word", "banned_word")
    assert held_for_words(db, site.id, codes, week_ago) == {
        "common_profanity": [
            HeldFor("vcl", 2, approved=1, kept_out=0),
            HeldFor("đéo", 1, approved=0, kept_out=0),
        ],
        "suspect_word": [HeldFor("vay tiền", 1, approved=0, kept_out=0)],
        "banned_word": [],
    }
    later = utcnow() + timedelta(minutes=1)
    assert held_for_words(db, site.id, codes[:1], later) == {"common_profanity": []}


def test_the_overview_shows_one_site_and_refuses_an_unknown_one(app, client, site, work, moderator):
    other = make_site(app, "baokhac")
    submit(client, site, CIVIL[0])
    work()
    login(client)
    ours = client.get(f"/mod/overview?site={site.slug}").get_data(as_text=True)
    theirs = client.get(f"/mod/overview?site={other.slug}").get_data(as_text=True)
    assert _figure(ours, "received") == ["1", "1"] and _figure(theirs, "received") == ["0", "0"]
    assert _figure(theirs, "engine.approve") == ["0", "0"]  # no share of nothing
    assert client.get("/mod/overview?site=khong-co").status_code == 404


def test_the_overview_is_for_signed_in_moderators_only(client):
    answer = client.get("/mod/overview")
    assert answer.status_code in (302, 401)
