"""Checks on who posts, where and how often, fed by the job through ``context``.

Verdicts: posting above the site's per-minute limit holds, and above twice the limit is
spam (scripts, not people, post that fast). One near-identical text elsewhere holds (a
reader may repost their own comment on a second article), two or more are a campaign.
An author with two or more recent rejections holds. An author with five approved
comments and no recent rejection gets an approve-level reason that the policy uses to
let a borderline classifier score through; it never outweighs a rule.
"""

from __future__ import annotations

from workers.engine.normalize import Normalized
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Verdict

TRUSTED_AFTER = 5
DISTRUSTED_AFTER = 2
_BANNED_WHO = {"email": "địa chỉ email", "author": "tác giả", "ip": "địa chỉ IP"}
_RATE_WHO = {"ip": "IP", "email": "email", "author": "tác giả"}


def check_banned(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Reject a comment whose author, email or IP is banned on the site."""
    banned = [who for who in ("author", "email", "ip") if who in context.behaviour.banned]
    if not banned:
        return []
    names = ", ".join(_BANNED_WHO[who] for who in banned)
    en = f"Banned sender: {', '.join(banned)}"
    return [
        reason("banned_sender", f"Người gửi bị chặn ({names})", Verdict.REJECT, en, banned=banned)
    ]


def check_article(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Reject on a closed article; hold everything on a pre-moderated one."""
    if context.article_closed:
        en = "Comments on this article are closed"
        return [reason("article_closed", "Bài viết đã khóa bình luận", Verdict.REJECT, en)]
    if context.article_premoderated:
        en = "Article is pre-moderated: every comment waits for a moderator"
        msg = "Bài viết kiểm duyệt trước: mọi bình luận chờ duyệt"
        return [reason("article_premoderated", msg, Verdict.HOLD, en)]
    return []


def check_flood(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold fast posting from one IP, email or author; call it spam at twice the limit."""
    limit = context.rules.flood_per_minute
    b = context.behaviour
    rates = {"ip": b.ip_rate, "email": b.email_rate, "author": b.author_rate}
    who, rate = max(rates.items(), key=lambda item: item[1])
    if rate <= limit:
        return []
    verdict = Verdict.SPAM if rate > 2 * limit else Verdict.HOLD
    msg = f"Gửi dồn dập: {rate} bình luận/phút từ cùng {_RATE_WHO[who]} (giới hạn {limit})"
    en = f"Flood: {rate}/min from one {who} (limit {limit})"
    return [reason("flood", msg, verdict, en, rates=rates)]


def check_duplicates(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold a text posted once before elsewhere; call a repeated one a spam campaign."""
    n = context.behaviour.duplicates
    if n <= 0:
        return []
    verdict = Verdict.SPAM if n >= 2 else Verdict.HOLD
    msg = f"Nội dung gần trùng với {n} bình luận khác gần đây"
    en = f"Near-identical to {n} recent comment(s) elsewhere"
    return [reason("near_duplicate", msg, verdict, en, count=n)]


def check_author(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold an author with recent rejections; mark an author with an approved history."""
    b = context.behaviour
    if b.author_rejected >= DISTRUSTED_AFTER:
        msg = f"Tác giả có {b.author_rejected} bình luận bị từ chối gần đây"
        en = f"Author had {b.author_rejected} recent rejections"
        return [reason("author_rejected_before", msg, Verdict.HOLD, en)]
    if b.author_approved >= TRUSTED_AFTER and b.author_rejected == 0:
        msg = f"Tác giả tin cậy: {b.author_approved} bình luận đã được duyệt"
        en = f"Trusted author: {b.author_approved} approved comments"
        return [reason(TRUSTED_AUTHOR, msg, Verdict.APPROVE, en)]
    return []


TRUSTED_AUTHOR = "trusted_author"
