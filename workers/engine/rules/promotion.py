"""Self-promotion (a reader sending others to their own channel, page or blog), and comment
bait (a reader asking others to comment so as to be sent work, money or a link).

"Check out my channel", "sub me", "ghé kênh của mình nhé", "đăng ký kênh em với": spam on
most sites' comment policies, but a reader may also mention their blog in good faith, so
the rule holds for a moderator rather than keeping the comment out. A classifier learns
such phrasing only where its training data had it; the rule says it once, for every site.

It reads the ``plain`` form (no case, no diacritics, split letters rejoined, repeats
collapsed), so "kênh của mình", "kenh cua minh" and "k.ê.n.h c.ủ.a m.ì.n.h" match alike.
Words that readers also use innocently stay out: "my playlist" ("added to my playlist"),
"shop mình" (buyers call the seller "shop mình"), "theo dõi kênh VTV" (no possessive).

Comment bait is how an advert with no number, link or app name in it still reaches its
victims: "việc nhẹ lương cao, ai quan tâm cmt 'ok' em hướng dẫn", "để lại chữ vay, bên em
hỗ trợ", "thả tim bài này em gửi thông tin". The writer then messages whoever answered.
Three shapes, all on the ``plain`` form: a comment, reaction or keyword asked for, then
what the writer will send ("... em chỉ cách", "để nhận tài liệu"); a keyword to comment
("cmt 'ok'", "để lại chữ vay"); and "ai cần / quan tâm / muốn ... thì cmt". Readers who ask
others to comment for nothing in return ("ai biết thì bình luận giúp em", "like để ủng hộ
đội tuyển") do not match. It holds: a human decides.
"""

from __future__ import annotations

import re

from workers.engine.normalize import Normalized
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Verdict

# Where a reader sends people: a place of their own.
_PLACES_EN = (
    r"channel|chanel|vids?|videos?|tracks?|covers?|blog|vlog|website|mixtape|page|"
    r"instagram|insta|tiktok|soundcloud|twitch"
)
_DESCRIBED = r"(?:(?:new|own|official|latest|first|little|music|youtube|yt|gaming)\s+){0,3}"
_PLACES_VI = r"kenh|channel|page|fanpage|fan page|blog|vlog"
_PLATFORM_VI = r"(?:\s+(?:youtube|yt|tiktok|fb|facebook|face))?"
# Not "tớ": unaccented it is "to", and "kênh to" is "a big channel".
_OWNER_VI = r"(?:\s+cua)?\s+(?:minh|em|tui|toi|bon minh|chung minh|chung toi|tao)"
_PROMOTION_RE = re.compile(
    # English: "my new channel", "our videos", "check out my ...", "sub me", "sub4sub"
    rf"\b(?:my|our)\s+{_DESCRIBED}(?:{_PLACES_EN})\b"
    rf"|\b(?:check\s+out|checkout|visit|subscribe\s+to|sub\s+to)\s+(?:my|our)\b"
    rf"(?:\s+{_DESCRIBED}(?:{_PLACES_EN})\b)?"
    r"|\b(?:sub|subscribe|subcribe|follow)\s+(?:to\s+)?(?:me|us)\b"
    r"|\bsub\s*(?:4|for)\s*sub\b"
    # Vietnamese: "kênh (youtube) của mình", "ủng hộ kênh em nhé", "sub giúp em với"
    rf"|\b(?:{_PLACES_VI}){_PLATFORM_VI}{_OWNER_VI}\b"
    r"|\b(?:sub|subscribe|dang ky|dang ki|follow)\s+(?:giup|cho|ung ho)\s+(?:minh|em|tui)\b"
)


def check_self_promotion(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold comments that send readers to the author's own channel, page or blog."""
    spans = tuple(norm.span(*m.span()) for m in _PROMOTION_RE.finditer(norm.plain))
    if not spans:
        return []
    msg = "Quảng bá kênh, trang của chính mình"
    en = "Self-promotion (the author's own channel, page or blog)"
    return [reason("self_promotion", msg, Verdict.HOLD, en, spans)]


# What the writer asks of readers, and what the writer promises back.
_BAIT_ACT = (
    r"(?:cmt|comment|binh luan|bl|rep|reply|tha tim|tha like|tha cam xuc|like"
    r"|de lai (?:binh luan|cmt|comment|chu|so|ten|sdt|thong tin|tin nhan|loi nhan))"
)
_WRITER = r"(?:em|minh|mk|tui|toi|t|ad|admin|shop|ben em|ben minh|chi|c|anh|a)"
_SENDS = (
    r"(?:gui|chi|chi cach|huong dan|hd|tu van|tv|ib|inbox|nhan tin|ho tro|dua|cho|giai ngan"
    r"|add|ket ban|keo|check|bao gia|len don|tra loi)"
)
_GETS = (
    r"(?:nhan|lay|duoc nhan|duoc) (?:viec|thong tin|tt|huong dan|hd|link|tai lieu|qua|tien"
    r"|code|ma|keo|so|bao gia|uu dai|voucher|khoa hoc|cach)"
)
_KEYWORD = r"[\"'“‘«]?\s*(?:ok|oke|okay|nhan|vay|co|1|x|\.)\s*[\"'”’»]?(?=\W|$)"
_BAIT_RE = re.compile(
    rf"\b{_BAIT_ACT}\b(?:\W+\w+){{0,5}}?\W+(?:{_WRITER}\s+(?:se\s+)?{_SENDS}|(?:de\s+|se\s+)?{_GETS})\b"
    rf"|\b(?:cmt|comment|binh luan|de lai)\s+(?:chu|so|tu)?\s*{_KEYWORD}"
    r"|\bai\s+(?:can|quan tam|muon|mun|co nhu cau)\b(?:\W+\w+){0,6}?\W+"
    r"(?:cmt|comment|de lai|tha tim|binh luan)\b"
)


def check_comment_bait(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold comments that ask readers to comment or react so as to be sent something."""
    spans = tuple(norm.span(*m.span()) for m in _BAIT_RE.finditer(norm.plain))
    if not spans:
        return []
    msg = "Mời bình luận để được gửi việc, tiền hay thông tin (mồi của quảng cáo, lừa đảo)"
    en = "Asks readers to comment to be sent something (bait)"
    return [reason("comment_bait", msg, Verdict.HOLD, en, spans)]
