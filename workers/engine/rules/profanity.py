"""Common profanity and slurs, held for a moderator on every site from its first day.

A site's own banned and suspect words start empty, and the shipped classifier, trained
on a few hundred hand-written rows, keeps only about a third of readers' offensive
comments from going out (docs/engine.md). The words below are what a Vietnamese (or
English) newsroom removes everywhere: the abbreviations readers type ("đm", "vcl"),
sexual and scatological words, insults built on them, and slurs against regions,
political camps, ethnic groups, LGBT people and the disabled. Written from our own
knowledge of the language, not taken from any dataset (docs/engine.md, rounds 24 and 25).

The rule holds (a human decides) rather than rejects: a reader may quote an insult to
condemn it. A site turns it off with ``common_profanity: false``, or lets some of its
words through with ``profanity_allowed`` (a sports page may print "vl"; the settings
page shows the whole list, which words it held and how often moderators approved them,
through ``listed_words`` and ``workers.checker``), and adds
its own words to its banned and suspect lists as before.

Matching is that of a site's words (``rules/words.py``): whole syllables of the
normalized text, so "đ.m", "Đ M" and "v.c.l" are found, and "vl" never hits inside
"vlog". ``LOOSE`` words also match when typed without diacritics, since their bare form
is not an ordinary word ("khon nan" is "khốn nạn"); but a reader who typed some of a
word's tone marks typed them all, so a span with any tone must carry the word's tones
("đồ cho trẻ em", things for children, is not "đồ chó"; "mẹ may áo", sews, is not "mẹ
mày"), while "do cho", "Đume" and "bêde", with no tone, still hold. ``EXACT`` words must carry their
diacritics, because their bare form is one: "lon" (a can), "cac" ("các"), "buoi"
("buổi"), "deo" ("đeo"), "di" ("đi"), "khua" (to beat a drum), "du", "cut". Words whose
ordinary sense is common in news stay out altogether: "ngu" ("ngủ" typed bare), "óc chó"
(a walnut), "con chó" (a dog), "súc vật" (livestock), "Bắc Kỳ" (history), "thiểu năng"
(a medical term), "phò" ("phò vua", to serve a king), "tiên sư" (also a teasing title).
"""

from __future__ import annotations

from functools import lru_cache

from workers.engine.normalize import Normalized
from workers.engine.rules.words import Phrase, compile_words, phrase_reasons
from workers.engine.types import CommentInput, Context, Reason

# A LOOSE word written with "đ" also finds "d" ("đm" finds "dm"): one entry is enough.
LOOSE: tuple[str, ...] = (
    # "địt mẹ" and its relatives, abbreviated or not
    "đm", "đmm", "đcm", "đcmm", "đkm", "đjt", "địt", "đụ má", "đụ mẹ", "mẹ mày",
    "mả cha", "mả mẹ", "mả bố",
    # "vãi lồn", "cái lồn", "con mẹ nó" as intensifiers and exclamations
    "vcl", "vkl", "vl", "vcc", "clgt", "clm", "cmm", "cmn", "cmnr", "loz",
    # insults
    "thằng chó", "đồ chó", "chó má", "đồ ngu", "thằng ngu", "con ngu", "ngu như bò",
    "ngu như chó", "óc lợn", "não tôm", "đồ khốn", "thằng khốn", "khốn nạn", "mất dạy",
    "đồ điên", "thằng điên", "đồ rác rưởi", "đồ súc vật", "súc sinh",
    # slurs: regions, political camps, ethnic groups, LGBT people, the disabled
    "ba que", "3 que", "bò đỏ", "parky", "namkiki", "nam kiki", "tàu khựa",
    "bê đê", "pê đê", "xăng pha nhớt", "thằng què",
    # English
    "fuck", "fucking", "fucked", "fucker", "motherfucker", "fuk", "stfu", "shit",
    "bullshit", "bitch", "bitches", "cunt", "asshole", "dickhead", "bastard", "retard",
    "retarded", "faggot", "fag", "nigger", "nigga", "whore", "slut", "kys",
)  # fmt: skip

EXACT: tuple[str, ...] = (
    "lồn", "cặc", "buồi", "đéo", "đếch", "đĩ", "đụ", "cứt", "chó đẻ", "khựa",
)  # fmt: skip

PHRASES = compile_words(LOOSE, tones=True) + compile_words(EXACT, exact=True)


@lru_cache(maxsize=256)
def phrases_without(allowed: tuple[str, ...]) -> tuple[Phrase, ...]:
    """The list less the words a site allows, compared as normalized syllables.

    An allowed word written bare also allows a ``LOOSE`` entry's accented form ("dm"
    allows "đm"), as the comment's missing accents would match it; an ``EXACT`` entry
    must be written as it is, since its bare form is another word ("lon" is not "lồn").
    """
    words = compile_words(allowed)
    folded = {p.folded for p in words}
    bare = {p.plain for p in words if p.folded == p.plain}
    return tuple(p for p in PHRASES if p.folded not in folded and (p.exact or p.plain not in bare))


def listed_words(allowed: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Every word of the list as written, and whether a site allowing ``allowed`` lets it
    through: the settings page shows an admin what the box's words actually cover."""
    kept = set(phrases_without(allowed))
    return [(phrase.word, phrase not in kept) for phrase in PHRASES]


def check_common_profanity(
    comment: CommentInput, norm: Normalized, context: Context
) -> list[Reason]:
    """Hold comments with common profanity or slurs, unless the site turned the list off
    or allows the word."""
    if not context.rules.common_profanity:
        return []
    return phrase_reasons(norm, [(phrases_without(context.rules.profanity_allowed), "common")])
