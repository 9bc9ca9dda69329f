"""A batch of pending comments is loaded with each author's own history and bans."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from service.models import Comment, utcnow
from service.store import Database, accounts
from service.store.bans import add_ban
from service.store.moderation_input import load_many_for_moderation
from service.store.new_comments import NewComment, submit_comment
from service.store.system_decisions import record_system_decision
from tests.integration.conftest import submit


def _comment(db: Database, site_id: int, verdict: str | None = None, **who: str) -> int:
    new = NewComment(article_id="bai-1", body="Ý kiến của tôi về bài này.", author_name="An", **who)
    comment_id = submit_comment(db, site_id, new)[0].id
    if verdict:
        record_system_decision(db, comment_id, verdict, {}, [], "test-1")
    return comment_id


def test_a_batch_gets_each_authors_history_and_bans_per_site(database_url: str) -> None:
    db = Database(database_url)
    site = accounts.create_site(db, "baotinh", "Báo Tỉnh").id
    other = accounts.create_site(db, "baokhac", "Báo Khác").id
    for verdict in ("approve", "approve", "spam", "reject", "hold"):
        _comment(db, site, verdict, author_email="an@example.vn")
    _comment(db, site, "approve", author_id="u-1")
    _comment(db, site, "approve", author_email="an@example.vn", author_id="u-1")  # both keys
    old = _comment(db, site, "reject", author_email="an@example.vn")
    with db.transaction() as s:  # outside the 90-day window
        s.execute(
            update(Comment)
            .where(Comment.id == old)
            .values(created_at=utcnow() - timedelta(days=91))
        )
    _comment(db, other, "approve", author_email="an@example.vn")
    add_ban(db, site, "email", "an@example.vn", "moderator:bientap")
    add_ban(db, site, "ip", "10.0.0.9", "moderator:bientap", expires_in=timedelta(seconds=-1))
    add_ban(db, other, "ip", "10.0.0.9", "moderator:bientap")

    pending = [
        _comment(db, site, author_email="an@example.vn", author_id="u-1", ip="10.0.0.9"),
        _comment(db, site, author_id="u-1"),
        _comment(db, site, author_email="binh@example.vn"),
        _comment(db, other, author_email="an@example.vn", ip="10.0.0.9"),
        _comment(db, site),
    ]
    loaded = load_many_for_moderation(db, [*reversed(pending), old])

    assert [item.comment.id for item in loaded] == list(reversed(pending))
    seen = {
        item.comment.id: (item.author_approved, item.author_rejected, item.banned)
        for item in loaded
    }
    assert [seen[i] for i in pending] == [
        (4, 2, ("email",)),  # email or author id, the one with both counted once
        (2, 0, ()),
        (0, 0, ()),
        (1, 0, ("ip",)),  # the other site's history and bans only
        (0, 0, ()),
    ]
    db.dispose()


def test_an_email_in_another_case_is_the_same_author_to_bans_and_history(client, site, work):
    """Intake stores one spelling of an email: a banned author cannot change case to pass."""
    first = submit(client, site, "Cảm ơn báo đã đưa tin.", author_email=" Eve@X.vn ")
    work()
    db = client.application.extensions["duyet"].db
    with db.transaction() as s:
        stored = s.get(Comment, first["id"])
        assert stored is not None and stored.author_email == "eve@x.vn"
        assert stored.status == "approved"
    add_ban(db, site.id, "email", "eve@x.vn", "moderator:bientap")
    second = submit(client, site, "Lại là tôi đây.", author_email="EVE@x.VN")
    (loaded,) = load_many_for_moderation(db, [second["id"]])
    assert (loaded.author_approved, loaded.banned) == (1, ("email",))
