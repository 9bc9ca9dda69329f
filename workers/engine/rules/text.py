"""The shape of the text: empty, too long, shouting, emoji only, walls of repeated characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from workers.engine.normalize import Normalized
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Span, Verdict

SHOUT_MIN_LETTERS = 15  # "ĐỒNG Ý" is emphasis, a whole paragraph in capitals is shouting
SHOUT_RATIO = 0.75
# A unit of one to four characters repeated five times or more ("!!!!!", "hahahahaha").
_FLOOD_RE = re.compile(r"(\S{1,4}?)\1{4,}")
FLOOD_WALL = 20  # this long, a repeat is a wall wherever it stands
FLOOD_SHORT = 8  # shorter repeats only count when they are most of the comment
FLOOD_SHARE = 0.7


class _KeepIf(dict[int, str | None]):
    """A str.translate table keeping only characters that pass a test (filled lazily)."""

    def __init__(self, keep: Callable[[str], bool]) -> None:
        super().__init__()
        self.keep = keep

    def __missing__(self, code: int) -> str | None:
        self[code] = out = chr(code) if self.keep(chr(code)) else None
        return out


_UPPER_ONLY = _KeepIf(str.isupper)
_LOWER_ONLY = _KeepIf(str.islower)


def _whole(comment: CommentInput) -> tuple[Span, ...]:
    return (Span(0, len(comment.body)),)


def check_empty(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Reject a comment with nothing left after removing invisible characters and spaces."""
    if norm.folded.strip():
        return []
    return [reason("empty", "Bình luận trống", Verdict.REJECT, "Empty after normalization")]


def check_length(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold a comment longer than the site allows."""
    limit = context.rules.max_length
    if len(comment.body) <= limit:
        return []
    msg = f"Bình luận quá dài: {len(comment.body)} ký tự (tối đa {limit})"
    en = f"Too long: {len(comment.body)} characters (limit {limit})"
    return [reason("too_long", msg, Verdict.HOLD, en, [Span(limit, len(comment.body))])]


def check_shouting(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold a long enough comment written mostly in capitals."""
    body = comment.body
    upper = len(body.translate(_UPPER_ONLY))
    if upper < SHOUT_RATIO * SHOUT_MIN_LETTERS:
        return []
    cased = upper + len(body.translate(_LOWER_ONLY))
    if cased < SHOUT_MIN_LETTERS or upper < SHOUT_RATIO * cased:
        return []
    msg, en = "Viết hoa toàn bộ (la hét)", "Written in capitals (shouting)"
    share = round(upper / cased, 2)
    return [reason("shouting", msg, Verdict.HOLD, en, _whole(comment), upper_share=share)]


def _is_symbolic(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "SP"


def check_emoji_only(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold a comment made only of emoji and symbols, with no word in it."""
    chars = norm.folded.replace(" ", "")
    if not chars or not all(_is_symbolic(c) for c in chars):
        return []
    if not any(unicodedata.category(c) == "So" for c in chars):
        return []  # punctuation alone ("...", "?") is left to the other checks
    msg = "Chỉ có biểu tượng cảm xúc, không có nội dung"
    return [reason("emoji_only", msg, Verdict.HOLD, "Only emoji or symbols", _whole(comment))]


def check_flood(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Hold walls of one repeated character or syllable ("!!!!!!!!!", "hahahahahaha...")."""
    size = len(norm.clean.replace(" ", ""))
    walls = [
        m.span()
        for m in _FLOOD_RE.finditer(norm.clean)
        if len(m.group()) >= FLOOD_WALL
        or (len(m.group()) >= FLOOD_SHORT and len(m.group()) >= FLOOD_SHARE * size)
    ]
    if not walls:
        return []
    spans = [norm.clean_span(a, b) for a, b in walls]
    en = "Wall of repeated characters"
    return [reason("char_flood", "Lặp ký tự hàng loạt", Verdict.HOLD, en, spans)]
