"""Per-site banned words (reject) and suspect words (hold), matched on whole syllables.

How diacritics are matched: a comment character matches a rule character when the two
are equal, or when the comment character is bare (carries no diacritic) and equals the
rule character stripped. Missing accents in the comment are a wildcard; accents that are
present must agree. So the rule "cá độ" hits "cá độ", "ca do", "ca độ" and "c.á đ.ộ",
but not "cà đó"; the rule "ngu" hits "ngu" and "NGU" but not "ngủ" or "người", and never
"Nguyễn" because matches start and end on syllable boundaries. An admin who wants both
"địt" and "dit" writes the rule with its diacritics.

Syllables are compared joined together, so "vay tiền" also hits "vaytiền" and the
rejoined "v a y t i ề n"; a phrase never runs across punctuation such as ". " or ",".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from workers.engine.normalize import WORD_RE, Normalized, normalize, strip_diacritics
from workers.engine.rules.base import reason
from workers.engine.types import CommentInput, Context, Reason, Span, Verdict

_BREAK = "\x00"  # stands between syllables a phrase may not join across
_SOFT_GAP = frozenset("._-*·")


@dataclass(frozen=True)
class Phrase:
    """A rule word as written, and its syllables joined in folded and plain form.

    ``exact``: the comment must carry the word's diacritics as written, for words whose
    bare form is an ordinary word ("lồn" and "lon", a can; "buồi" and "buoi", "buổi").
    ``tones``: a span typed with any tone mark must carry each of the word's tones, while a
    span typed without tones still matches: the reader who wrote "đồ" with its tone wrote
    "cho" ("for") on purpose, so "đồ cho trẻ em" is not "đồ chó"; "Đume" and "bêde" carry
    no tone, only letters, and are still "đụ mẹ" and "bê đê".
    """

    word: str
    folded: str
    plain: str
    exact: bool = False
    tones: bool = False


@dataclass(frozen=True)
class _Joined:
    folded: str
    plain: str
    starts: dict[int, int]  # joined index where a syllable starts -> its index in folded
    ends: dict[int, int]  # joined index where a syllable ends -> its end in folded


@lru_cache(maxsize=256)
def compile_words(
    words: tuple[str, ...], exact: bool = False, tones: bool = False
) -> tuple[Phrase, ...]:
    """Normalize a site's word list once; the same tuple comes back for every comment."""
    phrases = []
    for word in words:
        folded = "".join(WORD_RE.findall(normalize(word).folded))
        if folded:
            phrases.append(Phrase(word, folded, strip_diacritics(folded), exact, tones))
    return tuple(phrases)


def _is_soft(gap: str) -> bool:
    return gap == " " or (gap != "" and set(gap) <= _SOFT_GAP)


def _join(norm: Normalized) -> _Joined:
    pieces: list[str] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    size, prev_end = 0, None
    for m in WORD_RE.finditer(norm.folded):
        if prev_end is not None and not _is_soft(norm.folded[prev_end : m.start()]):
            pieces.append(_BREAK)
            size += 1
        starts[size] = m.start()
        pieces.append(m.group())
        size += m.end() - m.start()
        ends[size] = prev_end = m.end()
    text = "".join(pieces)
    return _Joined(text, strip_diacritics(text), starts, ends)


def find_phrase(phrase: Phrase, joined: _Joined) -> list[tuple[int, int]]:
    """Return the [start, end) ranges of folded where phrase occurs as whole syllables."""
    found = []
    size = len(phrase.plain)
    i = joined.plain.find(phrase.plain)
    while i >= 0:
        j = i + size
        if i in joined.starts and j in joined.ends and _accents_agree(phrase, joined, i, j):
            found.append((joined.starts[i], joined.ends[j]))
        i = joined.plain.find(phrase.plain, i + 1)
    return found


def _accents_agree(phrase: Phrase, joined: _Joined, i: int, j: int) -> bool:
    wrote, bare = joined.folded[i:j], joined.plain[i:j]
    if phrase.exact:
        return wrote == phrase.folded
    letters = zip(wrote, phrase.folded, bare, strict=True)
    if phrase.tones and any(map(_tone, wrote)):
        return all(c in (r, b) and _tone(c) == _tone(r) for c, r, b in letters)
    return all(c in (r, b) for c, r, b in letters)


# Vietnamese's five tone marks as Unicode combining characters (the hats, the horn and
# the breve make other letters, not tones).
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@lru_cache(maxsize=512)
def _tone(char: str) -> str:
    """The tone mark a letter carries, or "" for none."""
    return next((m for m in unicodedata.normalize("NFD", char) if m in _TONE_MARKS), "")


def _word_reasons(
    norm: Normalized, joined: _Joined, phrases: list[Phrase], kind: str
) -> list[Reason]:
    code, message, verdict, english = _KINDS[kind]
    reasons = []
    for phrase in phrases:
        spans = [norm.span(a, b) for a, b in find_phrase(phrase, joined)]
        if spans:
            msg, en = f"{message}: «{phrase.word}»", f"{english}: {phrase.word}"
            reasons.append(reason(code, msg, verdict, en, spans, word=phrase.word))
    return reasons


_KINDS = {
    "banned": ("banned_word", "Chứa từ bị cấm", Verdict.REJECT, "Contains a banned word"),
    "suspect": ("suspect_word", "Chứa từ cần xem xét", Verdict.HOLD, "Contains a suspect word"),
    "common": (
        "common_profanity",
        "Chứa từ tục tĩu hoặc miệt thị thường gặp",
        Verdict.HOLD,
        "Contains common profanity or a slur",
    ),
}


def phrase_reasons(
    norm: Normalized, lists: Iterable[tuple[tuple[Phrase, ...], str]]
) -> list[Reason]:
    """One reason per phrase of each (phrases, kind) list found in the comment, with its spans."""
    # Whatever matches is a substring of all syllables glued together: a cheap first cut.
    found = [([p for p in phrases if p.plain in norm.glued], kind) for phrases, kind in lists]
    if not any(phrases for phrases, _ in found):
        return []
    joined = _join(norm)
    return [r for phrases, kind in found for r in _word_reasons(norm, joined, phrases, kind)]


def check_words(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Reject on the site's banned words and hold on its suspect words."""
    banned = compile_words(context.rules.banned_words)
    suspect = compile_words(context.rules.suspect_words)
    return phrase_reasons(norm, [(banned, "banned"), (suspect, "suspect")])


def spans_text(body: str, spans: tuple[Span, ...]) -> list[str]:
    """Return the pieces of body that spans point at (for tests and moderator tooltips)."""
    return [body[s.start : s.end] for s in spans]
