"""Marshmallow schemas of the moderators' API: the queue, decisions one by one or in bulk,
history and bans (service/api/moderation.py). The site's API is in service/schemas.py."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.ids import MAX_ID
from service.moderation import BAN_DAYS, BAN_KINDS
from service.notices import REASON_WORDS
from service.schemas import Section, Text

EXPECTABLE_STATUSES = ["held", "pending", "approved", "spam", "rejected", "deleted"]


def expected_status() -> fields.String:
    """The optional status a moderator's action was taken on: a guard against overruling."""
    return fields.String(
        load_default=None,
        validate=validate.OneOf(EXPECTABLE_STATUSES),
        metadata={
            "description": (
                "The status the moderator last saw. If the comment is in another one now"
                " (another moderator decided it meanwhile), nothing changes and the answer is"
                " 409 conflict. Without it the action applies whatever the status."
            )
        },
    )


class DecisionIn(Schema):
    action = fields.String(required=True, validate=validate.OneOf(["approve", "reject", "spam"]))
    note = Text(load_default="", validate=validate.Length(0, 2000))
    reason = fields.String(
        load_default="rules",
        validate=validate.OneOf(list(REASON_WORDS)),
        metadata={
            "description": (
                "Why a reject (ignored for approve and spam); the site may show the author"
                " the reason in words (the comment's notice)"
            )
        },
    )
    expected_status = expected_status()


class ReasonOut(Schema):
    code = fields.String()
    message = fields.String()
    verdict = fields.String()
    spans = fields.List(fields.List(fields.Integer()))
    detail = fields.Dict()


class DecisionOut(Schema):
    verdict = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.Nested(ReasonOut))
    engine_version = fields.String()
    decided_by = fields.String()
    note = fields.String()
    created_at = fields.DateTime()


class QueueArgs(Schema):
    status = fields.String(
        load_default="held",
        validate=validate.OneOf(["held", "reported", "pending", "approved", "spam", "rejected"]),
    )
    site = Text(
        load_default=None, validate=validate.Length(1, 64), metadata={"description": "Site slug"}
    )
    article = Text(
        load_default=None,
        validate=validate.Length(1, 200),
        metadata={"description": "Site's article id"},
    )
    section = Section(
        load_default=None, metadata={"description": "The articles' section (as the site sent it)"}
    )
    order = fields.String(load_default="oldest", validate=validate.OneOf(["oldest", "newest"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(load_default=None, validate=validate.Length(1, 200))


class QueueParent(Schema):
    id = fields.Integer()
    author_name = fields.String()
    body = fields.String()


class QueueArticle(Schema):
    id = fields.String(attribute="external_id")
    title = fields.String()
    url = fields.String()
    section = fields.String(allow_none=True)


class QueueItemOut(Schema):
    """A comment as a moderator sees it: private fields, reasons and scores included."""

    id = fields.Integer()
    site_id = fields.Integer()
    article = fields.Nested(QueueArticle)
    parent = fields.Nested(QueueParent, allow_none=True)
    author_name = fields.String()
    author_email = fields.String(allow_none=True)
    author_id = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)
    body = fields.String()
    status = fields.String()
    report_count = fields.Integer()
    created_at = fields.DateTime()
    featured_at = fields.DateTime(
        allow_none=True, metadata={"description": "When a moderator featured it; null: not"}
    )
    featured_by = fields.String(allow_none=True, metadata={"description": "moderator:<name>"})
    decision = fields.Nested(DecisionOut, allow_none=True)


class QueueOut(Schema):
    items = fields.List(fields.Nested(QueueItemOut))
    next_cursor = fields.String(allow_none=True)


class AuditOut(Schema):
    actor = fields.String()
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    detail = fields.Dict()
    created_at = fields.DateTime()


class HistoryOut(Schema):
    comment = fields.Nested(QueueItemOut)
    decisions = fields.List(fields.Nested(DecisionOut))
    audit = fields.List(fields.Nested(AuditOut))


MAX_BULK = 100


class BulkComment(Schema):
    id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID))
    expected_status = expected_status()


class BulkDecisionIn(DecisionIn):
    """One action for many comments, each decided (or refused) on its own."""

    class Meta:
        exclude = ("expected_status",)  # given per comment

    comments = fields.List(
        fields.Nested(BulkComment),
        required=True,
        validate=validate.Length(min=1, max=MAX_BULK),
        metadata={"description": f"1 to {MAX_BULK} comments; an id given twice counts once"},
    )


class BulkDone(Schema):
    id = fields.Integer()
    status = fields.String()


class BulkFailed(Schema):
    id = fields.Integer()
    code = fields.String(metadata={"description": "not_found, conflict..., as the error envelope"})
    message = fields.String()


class BulkDecisionOut(Schema):
    done = fields.List(fields.Nested(BulkDone))
    failed = fields.List(fields.Nested(BulkFailed))


class BanIn(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(BAN_KINDS),
        metadata={"description": "Which of the comment's author details to ban"},
    )
    days = fields.Integer(
        load_default=0,
        validate=validate.OneOf(BAN_DAYS),
        metadata={"description": "1, 7 or 30 days; 0 for good"},
    )
    note = Text(load_default="", validate=validate.Length(max=500))
    reject = fields.Boolean(
        load_default=False, metadata={"description": "Reject the comment too, before the ban"}
    )
    expected_status = expected_status()


class BanOut(Schema):
    id = fields.Integer()
    site_id = fields.Integer()
    kind = fields.String()
    value = fields.String()
    note = fields.String(attribute="reason")
    created_by = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True, metadata={"description": "null: for good"})


class BanDoneOut(Schema):
    comment_id = fields.Integer()
    done = fields.String(
        metadata={"description": "new; extended (a shorter ban in force now lasts longer); kept"}
    )
    status = fields.String(
        allow_none=True, metadata={"description": "The comment's status if it was rejected"}
    )
    ban = fields.Nested(BanOut)


class BansArgs(Schema):
    site = Text(load_default=None, validate=validate.Length(1, 64))
    kind = fields.String(load_default=None, validate=validate.OneOf(BAN_KINDS))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = Text(load_default=None, validate=validate.Length(1, 30))


class BansOut(Schema):
    bans = fields.List(fields.Nested(BanOut))
    next_cursor = fields.String(allow_none=True)
