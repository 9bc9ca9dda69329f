"""Self-promotion: a reader sending others to their own channel, page or blog.

"Check out my channel", "sub me", "ghé kênh của mình nhé", "đăng ký kênh em với": spam on
most sites' comment policies, but a reader may also mention their blog in good faith, so
the rule holds for a moderator rather than keeping the comment out. A classifier learns
such phrasing only where its training data had it; the rule says it once, for every site.

It reads the ``plain`` form (no case, no diacritics, split letters rejoined, repeats
collapsed), so "kênh của mình", "kenh cua minh" and "k.ê.n.h c.ủ.a m.ì.n.h" match alike.
Words that readers also use innocently stay out: "my playlist" ("added to my playlist"),
"shop mình" (buyers call the seller "shop mình"), "theo dõi kênh VTV" (no possessive).
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
