"""Coral Talk's external moderation phase: Coral asks, duyet's engine answers in the request.

In Coral's admin (Configure -> Moderation -> External moderation phases) add a phase with
this URL (`/v1/integrations/coral/<site slug>`), format JSON, and copy the signing secret
Coral shows into the site's config as `coral_signing_secret`. Coral signs each request
like its webhooks; while a secret is being rolled it sends one signature per live secret,
and any match is enough.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from html.parser import HTMLParser
from typing import Any, TypeVar

from flask import Response, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from service import metrics
from service.checker import CheckRequest, CheckResult, current_checker
from service.context import services
from service.errors import Forbidden, NotFound, Unauthorized
from service.signatures import signature_matches
from service.store.accounts import find_site

F = TypeVar("F", bound=Callable[..., Any])
blp = Blueprint(
    "coral",
    __name__,
    url_prefix="/v1/integrations/coral",
    description="Coral Talk's external moderation phase",
)
SIGNATURE_HEADER = "X-Coral-Signature"
TRUSTED_ROLES = {"STAFF", "MODERATOR", "ADMIN"}
SPAM_HINTS = (
    "spam",
    "link",
    "url",
    "domain",
    "shortener",
    "contact",
    "phone",
    "zalo",
    "telegram",
    "flood",
    "rate",
    "duplicate",
    "campaign",
    "promotion",
)
STATUS_FOR_VERDICT = {"hold": "PREMOD", "spam": "SYSTEM_WITHHELD", "reject": "REJECTED"}


class _Unknown(Schema):
    class Meta:
        unknown = EXCLUDE


class CoralComment(_Unknown):
    body = fields.String(required=True, metadata={"description": "The comment, as Coral's HTML"})
    parentID = fields.String(allow_none=True, load_default=None)


class CoralAuthor(_Unknown):
    id = fields.String(required=True)
    role = fields.String(
        required=True, validate=validate.OneOf(["COMMENTER", "STAFF", "MODERATOR", "ADMIN"])
    )


class CoralStory(_Unknown):
    id = fields.String(required=True)
    url = fields.String(load_default="")


class CoralSite(_Unknown):
    id = fields.String(required=True)


class CoralRequest(_Unknown):
    """What Coral sends for each new or edited comment."""

    action = fields.String(required=True, validate=validate.OneOf(["NEW", "EDIT"]))
    comment = fields.Nested(CoralComment, required=True)
    author = fields.Nested(CoralAuthor, required=True)
    story = fields.Nested(CoralStory, required=True)
    site = fields.Nested(CoralSite, load_default=None)
    tenantID = fields.String(load_default=None)
    tenantDomain = fields.String(load_default=None)


class CoralAction(Schema):
    actionType = fields.String(validate=validate.OneOf(["FLAG"]))
    reason = fields.String(
        validate=validate.OneOf(["COMMENT_DETECTED_SPAM", "COMMENT_DETECTED_TOXIC"])
    )


class CoralAnswer(Schema):
    """duyet's opinion in Coral's words; a status ends Coral's moderation of the comment."""

    status = fields.String(
        validate=validate.OneOf(["NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD"])
    )
    actions = fields.List(fields.Nested(CoralAction))
    tags = fields.List(fields.String(validate=validate.OneOf(["FEATURED", "STAFF"])))


def signing_secrets(config: dict[str, Any]) -> list[str]:
    """Return the Coral signing secrets a site accepts (one, or several while rolling)."""
    one = config.get("coral_signing_secret")
    many = config.get("coral_signing_secrets") or []
    found = ([one] if one else []) + list(many)
    return [str(s) for s in found if s]


def require_coral_signature(view: F) -> F:
    """Let the request through only when Coral signed it with the site's secret."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            site = find_site(services().db, kwargs.pop("site"))
        except NotFound:
            raise Unauthorized("the signature does not match") from None
        secrets = signing_secrets(site.config or {})
        if not secrets:
            raise Forbidden("Coral is not set up for this site: set its coral_signing_secret")
        header = request.headers.get(SIGNATURE_HEADER, "")
        if not signature_matches(request.get_data(cache=True), header, secrets):
            raise Unauthorized("the signature does not match")
        g.site_id = site.id
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class _TextOf(HTMLParser):
    """Collect the text of Coral's comment HTML, keeping link targets the text hides."""

    BREAKS = {"p", "br", "div", "blockquote", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.parts.append(f" {href} ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Turn Coral's comment HTML into the plain text duyet's checks read."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def flag_reason(result: CheckResult) -> str:
    """Name what Coral should show moderators: detected spam or detected toxicity."""
    if result.verdict == "spam":
        return "COMMENT_DETECTED_SPAM"
    deciding = [r for r in result.reasons if r.get("verdict") == result.verdict] or result.reasons
    code = str(deciding[0].get("code", "")).lower() if deciding else ""
    if any(hint in code for hint in SPAM_HINTS):
        return "COMMENT_DETECTED_SPAM"
    if not code and result.scores.get("spam", 0.0) > result.scores.get("abuse", 0.0):
        return "COMMENT_DETECTED_SPAM"
    return "COMMENT_DETECTED_TOXIC"


def coral_answer(result: CheckResult) -> dict[str, Any] | None:
    """Translate a verdict into Coral's answer; None means no opinion (204)."""
    status = STATUS_FOR_VERDICT.get(result.verdict)
    if status is None:
        return None
    return {"status": status, "actions": [{"actionType": "FLAG", "reason": flag_reason(result)}]}


def _check_request(data: dict[str, Any]) -> CheckRequest:
    return CheckRequest(
        site_id=g.site_id,
        body=html_to_text(data["comment"]["body"]),
        author_id=data["author"]["id"],
        is_reply=bool(data["comment"].get("parentID")),
        article_id=data["story"]["id"],
        page_url=data["story"]["url"] or None,
    )


@blp.route("/<string:site>")
class ExternalPhase(MethodView):
    @require_coral_signature
    @blp.doc(
        parameters=[
            {
                "in": "header",
                "name": SIGNATURE_HEADER,
                "required": True,
                "schema": {"type": "string"},
                "description": "One or more comma-separated sha256=HEX: HMAC-SHA256 of the "
                "raw body with the site's Coral signing secret",
            }
        ]
    )
    @blp.arguments(CoralRequest)
    @blp.response(200, CoralAnswer, description="duyet's opinion")
    @blp.alt_response(204, description="No opinion: Coral goes on with its own settings")
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def post(self, data: dict[str, Any]) -> Any:
        """Moderate a comment for Coral: approve staff, hold, withhold or reject the rest."""
        if data["author"]["role"] in TRUSTED_ROLES:
            metrics.CHECKS.labels(integration="coral", verdict="approve").inc()
            return {"status": "APPROVED"}
        with metrics.Timer("coral"):
            result = current_checker().check(services(), _check_request(data))
        metrics.CHECKS.labels(integration="coral", verdict=result.verdict).inc()
        answer = coral_answer(result)
        if answer is None:
            return Response(status=204, headers={"X-Duyet-Verdict": result.verdict})
        return (
            answer,
            200,
            {"X-Duyet-Verdict": result.verdict, "X-Duyet-Reasons": ",".join(result.codes)},
        )
