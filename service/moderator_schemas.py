"""Schemas of the moderators' API actions beyond one decision: bulk decisions and bans."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.ids import MAX_ID
from service.moderation import BAN_DAYS, BAN_KINDS
from service.schemas import DecisionIn, Text, expected_status

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
