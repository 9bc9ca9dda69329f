"""Akismet's REST API (1.1), so clients written for Akismet can point at duyet instead.

The site's duyet API key is the Akismet `api_key`. Answers follow Akismet's protocol, not
duyet's JSON envelope: plain-text `valid`/`invalid`, `true`/`false`/`invalid`, with
`X-akismet-debug-help` explaining an `invalid`. comment-check runs the engine in the
request (through the app's checker) and stores nothing; submit-spam / submit-ham feed the
same learning loop as a moderator's decision, so the next check of that text changes.

A comment checked again (WordPress's "Check for spam" button, a retried request) is the
same comment, not a new post: counted again toward flood and duplicate detection, eight
re-checks drifted from false to spam. Its first answer is kept for an hour (the behaviour
checks look back a minute for floods, an hour for copies) and given again, until a
submit-spam or submit-ham of that comment teaches something new.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict
from typing import Any

from flask import Response, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from service import metrics
from service.checker import CheckRequest, CheckResult, current_checker
from service.context import services
from service.schemas import normal_email
from service.store import accounts

blp = Blueprint(
    "akismet",
    __name__,
    url_prefix="/1.1",
    description="Akismet-compatible API: the site's duyet API key is the Akismet api_key",
)
TEST_SPAM_AUTHOR = "viagra-test-123"
TEST_SPAM_EMAIL = "akismet-guaranteed-spam@example.com"
THANKS = "Thanks for making the web a better place."
# Spam this sure may be dropped unseen (Akismet's "discard").
DISCARD_SPAM_SCORE = 0.97
SPAM_VERDICTS = {"spam", "reject"}
TEXT_PLAIN = "text/plain; charset=utf-8"
ANSWERED_FOR_SECONDS = 3600
# What makes a check the same comment: who wrote what, where. Not what WordPress fills in
# differently when it checks a stored comment again (referrer, comment_date_gmt, recheck_reason).
SAME_COMMENT_FIELDS = (
    "blog",
    "permalink",
    "comment_type",
    "comment_parent",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_content",
    "user_ip",
    "user_agent",
)


def _field(description: str) -> fields.String:
    return fields.String(metadata={"description": description})


class AkismetForm(Schema):
    """The form fields Akismet defines; HTTP_* server variables and others are accepted too."""

    class Meta:
        unknown = INCLUDE

    api_key = _field("The site's duyet API key (or put it as the first label of the host)")
    key = _field("verify-key only: the key to verify (same as api_key)")
    blog = _field("The site's front page URL")
    user_ip = _field("The commenter's IP address")
    user_agent = _field("The commenter's browser user agent")
    referrer = _field("The HTTP referrer of the comment form")
    permalink = _field("The article the comment was posted on")
    comment_type = _field("comment, reply, forum-post, contact-form, signup, message, ...")
    comment_author = _field("The commenter's name")
    comment_author_email = _field("The commenter's email")
    comment_author_url = _field("The commenter's website")
    comment_content = _field("The comment text")
    comment_date_gmt = _field("When the comment was written (ISO 8601)")
    comment_post_modified_gmt = _field("When the article was last changed (ISO 8601)")
    comment_parent = _field("The id of the comment this one replies to")
    blog_lang = _field("The site's languages, e.g. 'vi, en'")
    blog_charset = _field("The form's character set")
    user_role = _field("'administrator' is never spam")
    is_test = _field("'1' or 'true': check only, remember nothing")
    honeypot_field_name = _field("A hidden form field that people leave empty")


DOC_RESPONSES = {
    "headers": {
        "X-akismet-debug-help": {
            "description": "Why the answer is 'invalid'",
            "schema": {"type": "string"},
        }
    }
}


def _text(body: str, **headers: str) -> Response:
    response = Response(body, content_type=TEXT_PLAIN)
    response.headers.update(headers)
    return response


def _invalid(why: str) -> Response:
    return _text("invalid", **{"X-akismet-debug-help": why})


def _given_key(form: dict[str, Any]) -> str:
    key = form.get("api_key") or form.get("key") or ""
    if not key:
        # The raw header: werkzeug's request.host drops hosts with "_", which keys contain.
        label = request.headers.get("Host", "").split(":", 1)[0].split(".", 1)[0]
        key = label if label.startswith("dy_") else ""
    return str(key).strip()


def _site_id(form: dict[str, Any]) -> int | None:
    key = _given_key(form)
    return accounts.site_for_key(services().db, key) if key else None


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def _missing(form: dict[str, Any], *names: str) -> str | None:
    for name in names:
        if not str(form.get(name) or "").strip():
            return f'Empty "{name}" value'
    return None


def _check_request(site_id: int, form: dict[str, Any]) -> CheckRequest:
    parent = str(form.get("comment_parent") or "").strip()
    permalink = str(form.get("permalink") or "").strip()
    article = hashlib.sha256(permalink.encode()).hexdigest()[:32] if permalink else None
    return CheckRequest(
        site_id=site_id,
        body=str(form.get("comment_content") or ""),
        author_name=str(form.get("comment_author") or ""),
        author_email=normal_email(str(form.get("comment_author_email") or "")) or None,
        ip=str(form.get("user_ip") or "") or None,
        user_agent=str(form.get("user_agent") or "") or None,
        is_reply=parent not in {"", "0"},
        article_id=article,
        page_url=permalink or None,
        remember=not _truthy(form.get("is_test")),
    )


def _fixed_answer(form: dict[str, Any]) -> str | None:
    """Answer Akismet's documented test values and honeypots without running the engine."""
    if form.get("comment_author") == TEST_SPAM_AUTHOR:
        return "true"
    if str(form.get("comment_author_email") or "").lower() == TEST_SPAM_EMAIL:
        return "true"
    if str(form.get("user_role") or "").lower() == "administrator":
        return "false"
    honeypot = str(form.get("honeypot_field_name") or "")
    if honeypot and str(form.get(honeypot) or "").strip():
        return "discard"
    return None


def is_blatant(result: CheckResult) -> bool:
    """Tell whether spam is sure enough to drop unseen."""
    return result.verdict == "reject" or result.scores.get("spam", 0.0) >= DISCARD_SPAM_SCORE


def _verdict_response(result: CheckResult, guid: str) -> Response:
    spam = result.verdict in SPAM_VERDICTS
    headers = {
        "X-akismet-guid": guid,
        "X-duyet-verdict": result.verdict,
        "X-duyet-reasons": ",".join(result.codes),
    }
    if spam and is_blatant(result):
        headers["X-akismet-pro-tip"] = "discard"
    return _text("true" if spam else "false", **headers)


@blp.route("/verify-key")
class VerifyKey(MethodView):
    @blp.arguments(AkismetForm, location="form")
    @blp.response(
        200, content_type="text/plain", description="'valid' or 'invalid'", **DOC_RESPONSES
    )
    def post(self, form: dict[str, Any]) -> Any:
        """Tell whether a key is a live duyet API key."""
        if _site_id(form) is None:
            return _invalid("Invalid API key. Use an API key of your duyet site (dy_...).")
        if _missing(form, "blog"):
            return _invalid('Empty "blog" value')
        return _text("valid")


@blp.route("/comment-check")
class CommentCheck(MethodView):
    @blp.arguments(AkismetForm, location="form")
    @blp.response(
        200,
        content_type="text/plain",
        description="'true' (spam), 'false' (not spam) or 'invalid'",
        **DOC_RESPONSES,
    )
    def post(self, form: dict[str, Any]) -> Any:
        """Check one comment now; 'true' means spam."""
        site_id = _site_id(form)
        if site_id is None:
            return _invalid("Invalid API key. Use an API key of your duyet site (dy_...).")
        problem = _missing(form, "blog", "user_ip")
        if problem:
            return _invalid(problem)
        guid = str(g.get("request_id") or uuid.uuid4().hex)
        fixed = _fixed_answer(form)
        if fixed is not None:
            metrics.CHECKS.labels(integration="akismet", verdict=fixed).inc()
            tip = {"X-akismet-pro-tip": "discard"} if fixed == "discard" else {}
            body = "false" if fixed == "false" else "true"
            return _text(body, **{"X-akismet-guid": guid, **tip})
        result = _answer(site_id, form)
        metrics.CHECKS.labels(integration="akismet", verdict=result.verdict).inc()
        return _verdict_response(result, guid)


def _answer(site_id: int, form: dict[str, Any]) -> CheckResult:
    """Check a comment, or give a comment checked again its first answer."""
    asked = _check_request(site_id, form)
    if not asked.remember:  # test traffic leaves no trace, and finds none
        return _check(asked)
    redis, key = services().redis, _answered_key(site_id, form)
    kept = redis.get(key)
    if kept is not None:
        return CheckResult(**json.loads(kept))
    result = _check(asked)
    redis.set(key, json.dumps(asdict(result)), ex=ANSWERED_FOR_SECONDS)
    return result


def _check(asked: CheckRequest) -> CheckResult:
    with metrics.Timer("akismet"):
        return current_checker().check(services(), asked)


def _answered_key(site_id: int, form: dict[str, Any]) -> str:
    same = [str(form.get(name) or "").strip() for name in SAME_COMMENT_FIELDS]
    digest = hashlib.sha256(json.dumps(same, ensure_ascii=False).encode()).hexdigest()
    return f"duyet:akismet:answered:{site_id}:{digest}"


def _submit(form: dict[str, Any], label: str) -> Response:
    site_id = _site_id(form)
    if site_id is None:
        return _invalid("Invalid API key. Use an API key of your duyet site (dy_...).")
    # Only the text is learned: a report about an old comment whose IP and user agent were
    # forgotten (workers/retention.py) carries what is left, and still teaches.
    problem = _missing(form, "blog")
    if problem:
        return _invalid(problem)
    body = str(form.get("comment_content") or "")
    if body.strip() and not _truthy(form.get("is_test")):
        current_checker().learn(services(), site_id, body, label, source="akismet")
        metrics.LABELS_LEARNED.labels(source="akismet", label=label).inc()
        services().redis.delete(_answered_key(site_id, form))  # its next check learns it
    return _text(THANKS)


@blp.route("/submit-spam")
class SubmitSpam(MethodView):
    @blp.arguments(AkismetForm, location="form")
    @blp.response(200, content_type="text/plain", description=THANKS, **DOC_RESPONSES)
    def post(self, form: dict[str, Any]) -> Any:
        """Report a comment as spam that comment-check let through; later checks learn it."""
        return _submit(form, "spam")


@blp.route("/submit-ham")
class SubmitHam(MethodView):
    @blp.arguments(AkismetForm, location="form")
    @blp.response(200, content_type="text/plain", description=THANKS, **DOC_RESPONSES)
    def post(self, form: dict[str, Any]) -> Any:
        """Report a comment as not spam that comment-check caught; later checks learn it."""
        return _submit(form, "ham")
