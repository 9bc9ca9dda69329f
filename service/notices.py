"""What a site can tell a comment's author: a stable code and words in both languages.

A reader whose comment does not appear wants to know why, and whether to rephrase, wait
or give up; moderators elsewhere ask for exactly this ("clear feedback to the commenter
when a word filter blocks them"). The notice tells enough to act on and nothing that
helps a spammer: a comment kept out as spam, or for links, phone numbers or a score,
reads only "not published". The site shows the message as it is, or its own words for
the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.models import Decision, Status

# A moderator's reject carries one of REASON_WORDS' reasons (the desk's list, and the API
# decision's "reason"), stored as the first line of the decision's note.
REJECT_REASON_PREFIX = "reject_reason:"

MESSAGES: dict[str, dict[str, str]] = {
    "checking": {
        "vi": "Bình luận của bạn đang được kiểm tra và sẽ hiện sau ít giây.",
        "en": "Your comment is being checked and will appear in a few seconds.",
    },
    "published": {
        "vi": "Bình luận của bạn đã được đăng.",
        "en": "Your comment is published.",
    },
    "awaiting_review": {
        "vi": "Bình luận của bạn đang chờ ban biên tập duyệt.",
        "en": "Your comment is waiting for a moderator.",
    },
    "banned_words": {
        "vi": "Bình luận có từ ngữ không được phép đăng. Bạn có thể sửa và gửi lại.",
        "en": "Your comment contains words this site does not publish. You may edit it and"
        " send it again.",
    },
    "offensive": {
        "vi": "Bình luận có lời lẽ xúc phạm nên không được đăng.",
        "en": "Your comment was not published because it reads as offensive.",
    },
    "article_closed": {
        "vi": "Bài viết đã khóa bình luận.",
        "en": "This article is closed for comments.",
    },
    "author_banned": {
        "vi": "Bạn đang bị tạm ngưng quyền bình luận trên trang này.",
        "en": "You may not comment on this site for now.",
    },
    "rejected_by_moderator": {
        "vi": "Ban biên tập không đăng bình luận này: {reason}.",
        "en": "A moderator did not publish this comment: {reason}.",
    },
    "not_published": {
        "vi": "Bình luận không được đăng vì không phù hợp với quy định bình luận.",
        "en": "Your comment was not published: it does not meet the site's comment rules.",
    },
    "deleted": {
        "vi": "Bình luận đã được xóa.",
        "en": "This comment was deleted.",
    },
}

REASON_WORDS: dict[str, dict[str, str]] = {
    "rules": {"vi": "vi phạm quy định bình luận", "en": "it breaks the comment rules"},
    "abuse": {"vi": "lời lẽ xúc phạm", "en": "it is abusive"},
    "off_topic": {"vi": "không liên quan đến bài viết", "en": "it is off topic"},
    "misinformation": {"vi": "thông tin sai sự thật", "en": "it spreads false information"},
    "personal_data": {
        "vi": "chứa thông tin cá nhân",
        "en": "it contains personal information",
    },
    "advertising": {"vi": "quảng cáo", "en": "it is advertising"},
}

# What a status says when no decision needs reading.
BY_STATUS = {
    Status.PENDING.value: "checking",
    Status.APPROVED.value: "published",
    Status.HELD.value: "awaiting_review",
    Status.DELETED.value: "deleted",
}

# The engine's reasons a reader is told of, strongest first; any other reason to keep a
# comment out (spam, links, contact bait, scores) reads "not_published".
TOLD_REASONS = (
    ("banned_sender", "author_banned"),
    ("article_closed", "article_closed"),
    ("banned_word", "banned_words"),
    ("classifier_abuse", "offensive"),
    ("feedback_abuse", "offensive"),
    ("remote_abuse", "offensive"),
)


def needs_decision(status: str) -> bool:
    """Tell whether a comment's notice depends on its latest decision (it was kept out)."""
    return status not in BY_STATUS


def notice(status: str, body: str | None, decision: Decision | None) -> dict[str, Any]:
    """The notice for a comment with this status, body and latest decision."""
    code = BY_STATUS.get(status)
    if code is not None:
        return _notice(code)
    if decision is None:
        return _notice("not_published")
    if decision.decided_by.startswith("moderator:"):
        return _moderator_notice(decision)
    return _engine_notice(decision, body or "")


def moderator_note(reason: str, words: str) -> str:
    """A moderator's reject as a decision's note: the reason's line, then their own words."""
    return REJECT_REASON_PREFIX + reason + (f"\n{words}" if words else "")


def _moderator_notice(decision: Decision) -> dict[str, Any]:
    first_line = decision.note.split("\n", 1)[0]
    reason = first_line.removeprefix(REJECT_REASON_PREFIX)
    if decision.verdict != "reject" or reason == first_line or reason not in REASON_WORDS:
        return _notice("not_published")  # a spam mark, or an old reject with no reason given
    return _notice("rejected_by_moderator", reason=reason)


def _engine_notice(decision: Decision, body: str) -> dict[str, Any]:
    deciding = [r for r in decision.reasons if r.get("verdict") == decision.verdict]
    codes = {r.get("code") for r in deciding}
    for reason_code, notice_code in TOLD_REASONS:
        if reason_code in codes:
            spans = (r.get("spans") or [] for r in deciding if r.get("code") == reason_code)
            words = _words(body, spans) if notice_code == "banned_words" else []
            return _notice(notice_code, words=words)
    return _notice("not_published")


def _words(body: str, spans_per_reason: Iterable[list[Any]]) -> list[str]:
    """The reader's own words that a rule matched, once each, in the order they appear."""
    found: list[str] = []
    for spans in spans_per_reason:
        for start, end in spans:
            word = body[start:end]
            if word and word not in found:
                found.append(word)
    return found


def _notice(
    code: str, *, words: list[str] | None = None, reason: str | None = None
) -> dict[str, Any]:
    reason_words = REASON_WORDS.get(reason or "", {})
    message = {
        language: text.format(reason=reason_words.get(language, "")) if reason else text
        for language, text in MESSAGES[code].items()
    }
    return {"code": code, "reason": reason, "words": words or [], "message": message}
