"""Fold a comment into forms that checks can match, with a map back to the original text.

Three forms, each a string plus, per character, the [start, end) it came from in the body:

- ``clean``: character-level folding only (NFC, case folding, invisible characters
  dropped, full-width and look-alike letters turned into plain ones, whitespace runs
  collapsed). Links, phone numbers and e-mail addresses are read here, because the
  word-level repairs below would damage them ("www" stays "www").
- ``folded``: ``clean`` plus the word-level repairs: letters split by dots, dashes or
  spaces rejoined ("n.h.à c.á.i" -> "nhà cái"), runs of three or more of one letter
  collapsed ("ngonnnn" -> "ngon"), tone marks of "oa", "oe", "uy" put in one place.
- ``plain``: ``folded`` without diacritics ("cá độ" -> "ca do"), character for character,
  so it shares the offsets of ``folded``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from workers.engine.types import Span

_MARK = "<mark>"  # sentinel: a combining mark to compose onto the previous character
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")

# Letters of other scripts that look like Latin ones, after case folding. Folded always,
# not only inside Latin words: the forms are for matching, and Cyrillic or Greek prose
# is not what this service reads.
_CONFUSABLES = {
    **dict(zip("аеіјосрхуѕһԁԛԝӏкмнтвёї", "aeijocpxyshdqwlkmhtbei", strict=True)),
    **dict(zip("αεικνορτυχγωηϲ", "aeikvoptuxywnc", strict=True)),
    "ı": "i",
    "ɑ": "a",
    "ɡ": "g",
    "ð": "đ",  # eth stands in for đ in old Vietnamese encodings
}

# Two spellings of the tone position are both standard ("hoà"/"hòa", "thuỷ"/"thủy");
# rules and comments are put in the older one so either matches either.
_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _tone_pairs() -> dict[str, str]:
    pairs = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            new_style = first + unicodedata.normalize("NFC", second + tone)
            pairs[new_style] = unicodedata.normalize("NFC", first + tone) + second
    return pairs


_TONE_PAIRS = _tone_pairs()
_TONE_RE = re.compile(f"(?<!q)(?:{'|'.join(_TONE_PAIRS)})(?![^\\W\\d_])")
_SEP = "._\\-*·"
_DOT_SPLIT_RE = re.compile(f"(?<![\\w{_SEP}])[^\\W\\d_](?:[{_SEP}][^\\W\\d_])+(?![\\w])")
_SPACE_SPLIT_RE = re.compile(r"(?<!\S)[^\W\d_](?: [^\W\d_]){2,}(?!\S)")
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")
_SPACES_RE = re.compile(r"^ +| +$| (?= )")
WORD_RE = re.compile(r"[^\W_]+")


class _FoldTable(dict[int, str]):
    """A str.translate table folding each character, filled on first sight of a character."""

    def __missing__(self, code: int) -> str:
        self[code] = out = _fold_char(chr(code))
        if len(out) != 1:
            _IRREGULAR.add(chr(code))
        return out


class _StripTable(dict[int, str]):
    """A str.translate table removing diacritics, one character for one character."""

    def __missing__(self, code: int) -> str:
        self[code] = out = _strip_char(chr(code))
        return out


def _fold_char(ch: str) -> str:
    cat = unicodedata.category(ch)
    if ch.isspace():
        return " "
    if ch in _INVISIBLE or cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    if cat in ("Mn", "Me"):
        return _MARK
    out = unicodedata.normalize("NFKC", ch).casefold()
    out = unicodedata.normalize("NFC", "".join(_CONFUSABLES.get(c, c) for c in out))
    return "".join(c for c in out if not unicodedata.combining(c))


def _strip_char(ch: str) -> str:
    if ch == "đ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


_IRREGULAR: set[str] = set()  # characters that fold to zero or several characters
_FOLD = _FoldTable()
_STRIP = _StripTable()


@dataclass(frozen=True)
class _Form:
    text: str
    starts: list[int]
    ends: list[int]


def _fold_chars(text: str) -> _Form:
    """Fold each character; compose stray combining marks onto the one before."""
    folded = text.translate(_FOLD)
    if _IRREGULAR.isdisjoint(text):  # the common case keeps positions one to one
        return _Form(folded, list(range(len(text))), list(range(1, len(text) + 1)))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        rep = _FOLD[ord(ch)]
        if rep == _MARK:
            _compose(chars, ends, text[i], i)
            continue
        chars.extend(rep)
        starts.extend([i] * len(rep))
        ends.extend([i + 1] * len(rep))
    return _Form("".join(chars), starts, ends)


def _compose(chars: list[str], ends: list[int], mark: str, at: int) -> None:
    if not chars:
        return
    composed = unicodedata.normalize("NFC", chars[-1] + mark)
    if len(composed) == 1:
        chars[-1] = composed
    ends[-1] = at + 1  # the mark belongs to the letter's span even when it cannot compose


Pick = Callable[[re.Match[str]], Iterable[tuple[int, int]]]


def _edit(form: _Form, pattern: re.Pattern[str], pick: Pick, search_in: str | None = None) -> _Form:
    """Rewrite each match of pattern keeping the (index, end index) pairs that pick returns.

    The pattern runs over ``search_in`` when given, a string aligned with ``form.text``.
    """
    if not pattern.search(form.text if search_in is None else search_in):
        return form
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in pattern.finditer(form.text if search_in is None else search_in):
        kept = [(i, i + 1) for i in range(pos, m.start())] + list(pick(m))
        chars.extend(form.text[i] for i, _ in kept)
        starts.extend(form.starts[i] for i, _ in kept)
        ends.extend(form.ends[j - 1] for _, j in kept)
        pos = m.end()
    tail = range(pos, len(form.text))
    chars.extend(form.text[i] for i in tail)
    starts.extend(form.starts[i] for i in tail)
    ends.extend(form.ends[i] for i in tail)
    return _Form("".join(chars), starts, ends)


def _letters_only(m: re.Match[str]) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in range(m.start(), m.end()) if m.string[i].isalpha()]


def _collapse_repeats(form: _Form) -> _Form:
    """Collapse runs of three or more of one letter, accents aside ("quáaaa" -> "quá")."""
    bare = strip_diacritics(form.text)
    if not _REPEAT_RE.search(bare):
        return form
    return _edit(form, _REPEAT_RE, _first_of_run, bare)


def _first_of_run(m: re.Match[str]) -> list[tuple[int, int]]:
    s = m.string
    whole_word = (m.start() == 0 or not s[m.start() - 1].isalpha()) and (
        m.end() == len(s) or not s[m.end()].isalpha()
    )
    if whole_word:  # "xxx", "www", "zzz" are words of their own
        return [(i, i + 1) for i in range(m.start(), m.end())]
    return [(m.start(), m.end())]


def _nothing(m: re.Match[str]) -> list[tuple[int, int]]:
    return []


def _retone(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group()], text) if _TONE_RE.search(text) else text


@dataclass(frozen=True)
class Normalized:
    """A comment body in its matching forms, each with offsets back into ``original``."""

    original: str
    clean: str
    clean_plain: str
    clean_starts: tuple[int, ...]
    clean_ends: tuple[int, ...]
    folded: str
    plain: str
    starts: tuple[int, ...]  # for folded and plain: index -> start in original
    ends: tuple[int, ...]

    def span(self, i: int, j: int) -> Span:
        """Map the range [i, j) of ``folded``/``plain`` to a span of the original."""
        return Span(self.starts[i], self.ends[j - 1])

    def clean_span(self, i: int, j: int) -> Span:
        """Map the range [i, j) of ``clean``/``clean_plain`` to a span of the original."""
        return Span(self.clean_starts[i], self.clean_ends[j - 1])

    @cached_property
    def glued(self) -> str:
        """Every syllable of ``plain`` glued together: a word rule can only match inside it."""
        return "".join(WORD_RE.findall(self.plain))


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese (and other) diacritics, keeping one character per character."""
    return text.translate(_STRIP)


def normalize(text: str) -> Normalized:
    """Fold a comment body into its clean, folded and plain forms."""
    return _normalize_cached(text)


@lru_cache(maxsize=512)  # the classifier normalizes the same body right after the rules
def _normalize_cached(text: str) -> Normalized:
    clean = _edit(_fold_chars(text), _SPACES_RE, _nothing)
    folded = _edit(clean, _DOT_SPLIT_RE, _letters_only)
    folded = _edit(folded, _SPACE_SPLIT_RE, _letters_only)
    folded = _collapse_repeats(folded)
    folded_text = _retone(folded.text)
    return Normalized(
        original=text,
        clean=clean.text,
        clean_plain=strip_diacritics(clean.text),
        clean_starts=tuple(clean.starts),
        clean_ends=tuple(clean.ends),
        folded=folded_text,
        plain=strip_diacritics(folded_text),
        starts=tuple(folded.starts),
        ends=tuple(folded.ends),
    )


def syllables(text: str) -> list[str]:
    """Return the syllables (runs of letters and digits) of a text's folded form."""
    return WORD_RE.findall(normalize(text).folded)


def token_spans(form: str) -> list[tuple[int, int]]:
    """Return [start, end) of each syllable in a form of a normalized text."""
    return [m.span() for m in WORD_RE.finditer(form)]


# Spelled-out digits, as readers (and spammers dodging number filters) write them; read on
# the diacritics-free form, so "chín", "chin" and "CHÍN" are one key.
DIGIT_WORDS = {
    **dict.fromkeys(("khong", "ko", "hong", "zero", "o", "oh"), "0"),
    **dict.fromkeys(("mot", "one", "i", "l"), "1"),
    **dict.fromkeys(("hai", "two"), "2"),
    **dict.fromkeys(("ba", "three"), "3"),
    **dict.fromkeys(("bon", "tu", "four"), "4"),
    **dict.fromkeys(("nam", "lam", "five"), "5"),
    **dict.fromkeys(("sau", "six"), "6"),
    **dict.fromkeys(("bay", "seven"), "7"),
    **dict.fromkeys(("tam", "eight"), "8"),
    **dict.fromkeys(("chin", "nine"), "9"),
}
_DIGIT_PART_RE = re.compile(r"\d+|[^\W\d_]+")
_HAS_DIGIT_RE = re.compile(r"\d")
_RUN_GAP_RE = re.compile(r"[ .\-_,/()+*:|]{0,3}")


@dataclass(frozen=True)
class DigitRun:
    """Consecutive number-like syllables read as one digit string."""

    digits: str
    token_of: tuple[int, ...]  # for each digit, which token of ``tokens`` it came from
    tokens: tuple[tuple[int, int], ...]  # [start, end) of each token in ``clean``
    spelled: bool  # some digit was written as a word

    def clean_range(self, first_digit: int, end_digit: int) -> tuple[int, int]:
        """Return the ``clean`` range covering the digits [first_digit, end_digit)."""
        first, last = self.token_of[first_digit], self.token_of[end_digit - 1]
        return self.tokens[first][0], self.tokens[last][1]


def _token_digits(token: str) -> tuple[str, bool] | None:
    if token.isascii() and token.isdigit():
        return token, False
    if token in DIGIT_WORDS:
        return DIGIT_WORDS[token], True
    if token.isalpha():  # a glued token ("09tám", "o9o") has a real digit
        return None
    parts = _DIGIT_PART_RE.findall(token)
    digits = [p if p.isdigit() else DIGIT_WORDS.get(p) for p in parts]
    if any(d is None or not d.isascii() for d in digits):
        return None
    return "".join(d for d in digits if d), True


def digit_runs(norm: Normalized) -> list[DigitRun]:
    """Find runs of digits and digit words ("không chín 1 hai") in a normalized comment."""
    runs: list[DigitRun] = []
    current: list[tuple[tuple[int, int], str, bool]] = []
    text = norm.clean_plain
    for m in WORD_RE.finditer(text):
        read = _token_digits(m.group())
        joined = current and _RUN_GAP_RE.fullmatch(text, current[-1][0][1], m.start())
        if current and (read is None or not joined):
            runs.append(_make_run(current))
            current = []
        if read is not None:
            current.append((m.span(), *read))
    if current:
        runs.append(_make_run(current))
    return runs


def _make_run(items: list[tuple[tuple[int, int], str, bool]]) -> DigitRun:
    token_of = tuple(k for k, (_, digits, _) in enumerate(items) for _ in digits)
    return DigitRun(
        digits="".join(digits for _, digits, _ in items),
        token_of=token_of,
        tokens=tuple(span for span, _, _ in items),
        spelled=any(spelled for _, _, spelled in items),
    )


def digits_from_words(text: str, min_tokens: int = 3) -> str:
    """Rewrite runs of at least min_tokens number-like syllables in text as plain digits."""
    norm = normalize(text)
    out, pos = [], 0
    for run in digit_runs(norm):
        if len(run.tokens) < min_tokens or not run.spelled:
            continue
        span = norm.clean_span(run.tokens[0][0], run.tokens[-1][1])
        out += [text[pos : span.start], run.digits]
        pos = span.end
    return "".join(out) + text[pos:]
