"""What crosses between an API process and its intake writer process arrives whole."""

from __future__ import annotations

import pickle
from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from service.errors import DuyetError, Unavailable
from service.intake_writer import STORE_FAILED, _portable
from service.limit_counts import TooManyRequests, too_many
from service.models import Comment
from service.store.articles import ArticleClosed
from service.store.new_comments import InvalidParent, StoredComment


def _across(value: object) -> object:
    return pickle.loads(pickle.dumps(value))


def test_errors_keep_their_status_code_message_and_details():
    for error in (
        ArticleClosed("The article is closed."),
        InvalidParent("No such parent.", {"parent_id": ["unknown"]}),
        too_many("author", 60),
    ):
        copy = _across(error)
        assert type(copy) is type(error) and isinstance(copy, DuyetError)
        assert (copy.status, copy.code, copy.message, copy.errors) == (
            error.status,
            error.code,
            error.message,
            error.errors,
        )
        assert copy.args == error.args
    limited = _across(too_many("ip", 60))
    assert isinstance(limited, TooManyRequests) and int(limited.retry_after) >= 1


def test_a_failure_of_the_store_is_answered_as_the_database_being_down():
    down = OperationalError("INSERT ...", {}, Exception("connection refused"))
    answer = _across(_portable(down))
    assert isinstance(answer, Unavailable) and answer.status == 503
    assert answer.message == STORE_FAILED


def test_an_idempotent_replays_comment_crosses_as_plain_attributes():
    now = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    values = {f.name: None for f in fields(StoredComment)}
    values.update(id=7, site_id=1, article_id=3, author_name="Lan", body="Xin chào",
                  status="pending", report_count=0, created_at=now, updated_at=now)  # fmt: skip
    comment, created = _across(_portable((Comment(**values), False)))  # type: ignore[misc]
    assert isinstance(comment, StoredComment) and created is False
    assert {name: getattr(comment, name) for name in values} == values
