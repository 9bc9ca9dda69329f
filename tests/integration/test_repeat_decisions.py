"""A moderator's action repeated on a comment already in that state changes nothing.

Each training label counts towards the site's next retrain (every 200), so a repeated click,
a retried request or a bulk action over decided comments must not add one; a different
action replaces the comment's label, since a comment counts with its latest label.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from service.models import AuditEntry, Decision, Site, TrainingExample
from service.settings import Settings
from service.store import accounts
from service.store.site_models import new_examples_by_site
from tests.integration.conftest import SiteFixture, submit
from tests.integration.test_desk import act, login

FOUR_LINKS = (
    "Xem thêm tại http://a.example.vn/1 và http://b.example.vn/2, "
    "http://c.example.vn/3 cùng http://d.example.vn/4"
)


def _held(client: FlaskClient, site: SiteFixture, work: Any) -> int:
    comment_id = int(submit(client, site, FOUR_LINKS)["id"])
    work()
    assert client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"] == "held"
    return comment_id


def _decide(client: FlaskClient, moderator: tuple[str, str], comment_id: int, action: str) -> Any:
    url = f"/v1/moderation/comments/{comment_id}/decision"
    return client.post(url, json={"action": action}, auth=moderator)


def _record(app: Flask, comment_id: int) -> tuple[int, int, list[str]]:
    """The comment's decisions and audit rows, and its training labels."""
    with app.extensions["duyet"].db.transaction() as s:

        def count(model: Any) -> int:
            return int(s.scalar(select(func.count()).where(model.comment_id == comment_id)))

        labels = s.scalars(
            select(TrainingExample.label).where(TrainingExample.comment_id == comment_id)
        )
        return count(Decision), count(AuditEntry), list(labels)


def test_approving_an_approved_comment_again_changes_nothing(app, client, site, moderator, work):
    comment_id = _held(client, site, work)
    first = _decide(client, moderator, comment_id, "approve")
    assert first.status_code == 200
    after_first = _record(app, comment_id)
    assert after_first[2] == ["ham"]
    for _ in range(2):
        again = _decide(client, moderator, comment_id, "approve")
        assert again.status_code == 200
        assert again.json == first.json  # the comment as it is
    assert _record(app, comment_id) == after_first
    assert new_examples_by_site(app.extensions["duyet"].db) == {site.id: 1}


def test_confirming_the_engines_approval_is_one_label_however_often(
    app, client, site, moderator, work
):
    comment_id = int(submit(client, site, "Cảm ơn báo đã đưa tin kịp thời về mưa lũ.")["id"])
    work()
    for _ in range(3):
        answer = _decide(client, moderator, comment_id, "approve")
        assert answer.status_code == 200 and answer.json["status"] == "approved"
    decisions, audits, labels = _record(app, comment_id)
    assert (decisions, audits, labels) == (2, 2, ["ham"])  # the engine's, then the moderator's


def test_a_different_action_replaces_the_comments_label(app, client, site, moderator, work):
    comment_id = _held(client, site, work)
    _decide(client, moderator, comment_id, "approve")
    decisions, audits, _ = _record(app, comment_id)
    changed = _decide(client, moderator, comment_id, "spam")
    assert changed.status_code == 200
    assert changed.json["status"] == "spam"
    assert _record(app, comment_id) == (decisions + 1, audits + 1, ["spam"])
    assert new_examples_by_site(app.extensions["duyet"].db) == {site.id: 1}


def test_confirming_a_reported_comment_is_a_review_but_teaches_nothing_new(
    app, client, site, moderator, work
):
    comment_id = _held(client, site, work)
    _decide(client, moderator, comment_id, "approve")
    decisions, audits, _ = _record(app, comment_id)
    url = f"/v1/comments/{comment_id}/reports"
    assert client.post(url, json={"reason": "abuse"}, headers=site.headers).status_code == 201
    _, audits, _ = _record(app, comment_id)  # the report's own audit row
    for _ in range(2):  # the first looks at the report again; the second changes nothing
        assert _decide(client, moderator, comment_id, "approve").status_code == 200
    assert _record(app, comment_id) == (decisions + 1, audits + 1, ["ham"])
    assert new_examples_by_site(app.extensions["duyet"].db) == {site.id: 1}


def test_the_desks_bulk_action_over_decided_comments_adds_no_labels(
    app, client, site, moderator, work
):
    ids = [_held(client, site, work) for _ in range(2)]
    login(client)
    for _ in range(3):
        answer = act(client, "/mod/api/bulk", {"ids": ids, "action": "reject"})
        assert answer.status_code == 200
        assert [d["status"] for d in answer.json["done"]] == ["rejected", "rejected"]
    assert all(_record(app, i)[2] == ["abuse"] for i in ids)
    assert new_examples_by_site(app.extensions["duyet"].db) == {site.id: 2}


def _hook(app: Flask, site: SiteFixture) -> None:
    """Give the site a webhook, so decisions write events (none is delivered here)."""
    accounts.update_site(app.extensions["duyet"].db, site.id, webhook_url="https://bao.vn/hook")


def test_a_repeated_reject_tells_the_site_and_teaches_the_engine_once(
    client: FlaskClient,
    site: SiteFixture,
    moderator: tuple[str, str],
    work: Any,
    redis: Redis,
    settings: Settings,
) -> None:
    """Needs service/moderation.py to skip the webhook and the learning job of a no-op."""
    comment_id = _held(client, site, work)
    _hook(client.application, site)
    webhooks = Queue(settings.webhook_queue_name, connection=redis)
    learning = Queue(settings.queue_name, connection=redis)
    _decide(client, moderator, comment_id, "reject")
    sent, taught = webhooks.count, learning.count
    assert (sent, taught) == (1, 1)
    for _ in range(2):
        assert _decide(client, moderator, comment_id, "reject").status_code == 200
    assert (webhooks.count, learning.count) == (sent, taught)


def test_undoing_a_changed_action_gives_back_the_label_before_it(
    app, client, site, moderator, work
):
    comment_id = _held(client, site, work)
    login(client)
    for action in ("approve", "spam"):
        assert (
            act(client, "/mod/api/bulk", {"ids": [comment_id], "action": action}).status_code == 200
        )
    assert _record(app, comment_id)[2] == ["spam"]
    undone = act(client, "/mod/api/undo", {"ids": [comment_id]})
    assert undone.json["restored"] == [{"id": comment_id, "status": "approved"}]
    assert _record(app, comment_id)[2] == ["ham"]  # the approval stands again, and teaches


def test_undoing_the_only_action_takes_its_label_back(app, client, site, moderator, work):
    comment_id = _held(client, site, work)
    login(client)
    act(client, "/mod/api/bulk", {"ids": [comment_id], "action": "reject"})
    act(client, "/mod/api/undo", {"ids": [comment_id]})
    assert _record(app, comment_id)[2] == []


def test_confirming_the_engines_reject_tells_the_site_nothing_new(
    client: FlaskClient,
    site: SiteFixture,
    moderator: tuple[str, str],
    work: Any,
    redis: Redis,
    settings: Settings,
    app: Flask,
) -> None:
    # A banned word rejects: the engine's decision already sent comment.rejected.
    with app.extensions["duyet"].db.transaction() as s:
        s.get(Site, site.id).config = {**s.get(Site, site.id).config, "banned_words": ["cá độ"]}
    comment_id = int(submit(client, site, "Vào đây cá độ bóng đá nào anh em")["id"])
    work()
    assert client.get(f"/v1/comments/{comment_id}", headers=site.headers).json["status"] == (
        "rejected"
    )
    _hook(app, site)
    webhooks = Queue(settings.webhook_queue_name, connection=redis)
    for action in ("reject", "spam"):
        assert _decide(client, moderator, comment_id, action).status_code == 200
    assert webhooks.count == 0
    assert _decide(client, moderator, comment_id, "approve").status_code == 200
    assert webhooks.count == 1  # the test can see an event: publishing is news to the site
