"""Marshmallow schemas: what the API accepts and what it answers; the OpenAPI document's source."""

from __future__ import annotations

import ipaddress
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from service.scopes import SECTION_LENGTH, section_name, valid_section


def _storable(text: str) -> None:
    """Refuse what PostgreSQL and UTF-8 cannot store: NUL bytes and lone surrogates."""
    if "\x00" in text:
        raise ValidationError("Must not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, sent JSON-escaped ("\ud800")
        raise ValidationError("Must be valid Unicode text.") from exc


class _Storable(fields.Field):
    """Check a string value is storable before the field's own checks see it."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            _storable(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Text(_Storable, fields.String):
    """A string that PostgreSQL and UTF-8 can store: no NUL bytes, no lone surrogates."""


# URL and Email check only their shape, which a lone surrogate passes: it then reached the
# database and failed the intake batch it was in. So they are storable text too.
class Url(_Storable, fields.URL):
    """A URL that can be stored (see Text)."""


class Email(_Storable, fields.Email):
    """An email address that can be stored (see Text), in lower case: a reader types it in
    any case, and bans and author history must see one author in "Lan@x.vn" and "lan@x.vn"."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        found = super()._deserialize(value, attr, data, **kwargs)
        return normal_email(found) if isinstance(found, str) else found


class Section(Text):
    """The site's own section of an article ("the-thao"): trimmed, 1 to 100 printable
    characters; queues and moderators' scopes split by it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault(
            "description", "The site's own section of the article, 1 to 100 characters"
        )
        kwargs["allow_none"] = True
        super().__init__(validate=validate.Length(min=1, max=SECTION_LENGTH), **kwargs)

    def deserialize(
        self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any
    ) -> Any:
        # A CMS sends "" for an article filed under no section: that is no section, not a
        # 422 that would cost the reader their comment.
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        found = super()._deserialize(value, attr, data, **kwargs)
        named = section_name(found)
        if not valid_section(named):
            raise ValidationError(
                f"Must be 1 to {SECTION_LENGTH} printable characters (null clears it)."
            )
        return named


def normal_email(address: str) -> str:
    """The one spelling duyet stores and compares of an email address."""
    return address.strip().lower()


def _ip_address(value: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError as exc:
        raise ValidationError("Not a valid IP address.") from exc


def _length(low: int, high: int) -> validate.Length:
    return validate.Length(min=low, max=high)


def article_id(**kwargs: Any) -> Text:
    """The site's own article id as every input takes it: 1 to 200 storable characters."""
    kwargs.setdefault("metadata", {"description": "The site's own article id"})
    return Text(validate=_length(1, 200), **kwargs)


class CommentIn(Schema):
    article_id = article_id(required=True)
    body = Text(required=True, validate=_length(1, 20_000))
    author_name = Text(required=True, validate=_length(1, 200))
    author_email = Email(load_default=None, allow_none=True, validate=_length(3, 320))
    author_id = Text(load_default=None, allow_none=True, validate=_length(1, 200))
    parent_id = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1, max=2**62)
    )
    ip = Text(load_default=None, allow_none=True, validate=_ip_address)
    user_agent = Text(load_default=None, allow_none=True, validate=_length(0, 500))
    article_title = Text(load_default=None, allow_none=True, validate=_length(0, 500))
    article_url = Url(load_default=None, allow_none=True, validate=_length(1, 2000))
    article_section = Section(
        load_default=None,
        allow_none=True,
        metadata={
            "description": (
                'The site\'s own section of the article ("the-thao"), set with the article'
                " on its first comment, like article_title and article_url; 1 to 100"
                " characters. Moderators' queues and scopes split by it."
            )
        },
    )


class CommentEditIn(Schema):
    body = Text(
        required=True,
        validate=_length(1, 20_000),
        metadata={"description": "The comment's new text, as its author edited it"},
    )


class CommentOut(Schema):
    """A comment's public face: never the author's email or IP."""

    id = fields.Integer()
    article_id = fields.String()
    parent_id = fields.Integer(allow_none=True)
    status = fields.String()
    author_name = fields.String()
    body = fields.String(allow_none=True, metadata={"description": "Plain text; null once deleted"})
    created_at = fields.DateTime()


class NoticeMessage(Schema):
    vi = fields.String()
    en = fields.String()


class NoticeOut(Schema):
    """What the site can tell the comment's author, as service/notices.py words it."""

    code = fields.String(
        metadata={
            "description": (
                "checking | published | awaiting_review | banned_words | offensive |"
                " article_closed | author_banned | rejected_by_moderator | not_published |"
                " deleted"
            )
        }
    )
    reason = fields.String(
        allow_none=True,
        metadata={"description": "A moderator's reason (rejected_by_moderator only)"},
    )
    words = fields.List(
        fields.String(),
        metadata={"description": "The author's own words a banned-word rule matched"},
    )
    message = fields.Nested(NoticeMessage, metadata={"description": "Ready to show, vi and en"})


class CommentStatusOut(CommentOut):
    """A comment as its site sees it after sending it: the public fields and the notice."""

    notice = fields.Nested(NoticeOut)


class ThreadComment(CommentOut):
    featured = fields.Boolean(
        metadata={"description": "An editors' pick: a moderator featured this comment"}
    )
    replies = fields.List(fields.Nested(lambda: ThreadComment()))


class ArticleIn(Schema):
    title = Text(validate=_length(0, 500))
    url = Url(validate=_length(1, 2000))
    closed = fields.Boolean(metadata={"description": "No new comments are accepted"})
    premoderated = fields.Boolean(
        metadata={"description": "Every new comment waits for a moderator"}
    )
    section = Section(
        allow_none=True,
        metadata={
            "description": (
                'The site\'s own section of the article ("the-thao"), 1 to 100 characters;'
                " null clears it. Moderators' queues and scopes split by it."
            )
        },
    )


class ArticleOut(Schema):
    id = fields.String(attribute="external_id")
    title = fields.String()
    url = fields.String()
    closed = fields.Boolean()
    premoderated = fields.Boolean()
    section = fields.String(allow_none=True)


class ThreadArgs(Schema):
    order = fields.String(load_default="newest", validate=validate.OneOf(["newest", "oldest"]))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = Text(load_default=None, validate=_length(1, 200))
    featured = fields.Boolean(
        load_default=False,
        metadata={
            "description": (
                "Only the editors' picks, by the moment each was picked (newest first unless"
                " order=oldest), each without its replies"
            )
        },
    )


class ThreadArticle(ArticleOut):
    comment_count = fields.Integer(
        metadata={"description": "Published comments, replies included: the thread's, summed"}
    )


class ThreadOut(Schema):
    article = fields.Nested(ThreadArticle)
    comments = fields.List(fields.Nested(ThreadComment))
    next_cursor = fields.String(allow_none=True)


MAX_COUNTED_ARTICLES = 100  # what one article list shows; it bounds the count's query


def _distinct_ids(ids: list[str]) -> None:
    if len(set(ids)) > MAX_COUNTED_ARTICLES:
        raise ValidationError(f"At most {MAX_COUNTED_ARTICLES} different article ids.")


class CountsArgs(Schema):
    article_id = fields.List(
        article_id(),
        required=True,
        validate=[validate.Length(min=1), _distinct_ids],
        metadata={
            "description": (
                "The site's own article ids, the parameter repeated: 1 to 100 different ones"
                " (a repeated id is counted once)"
            )
        },
    )


class CountsOut(Schema):
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": (
                "Each article id asked -> its published comments, replies included (what its"
                " thread shows, summed over pages; 0 for an article with none yet)"
            )
        },
    )


class ReportIn(Schema):
    reason = fields.String(
        required=True,
        validate=validate.OneOf(["spam", "abuse", "off_topic", "misinformation", "other"]),
    )
    note = Text(load_default="", validate=_length(0, 1000))


class ReportOut(Schema):
    id = fields.Integer()
    status = fields.String()
    report_count = fields.Integer()


class HealthOut(Schema):
    status = fields.String()
    checks = fields.Dict(keys=fields.String(), values=fields.String())
