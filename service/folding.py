"""Text as the desk's search box matches it: in any case, and accents optional.

One place, because the full-text index stores comments folded this way
(service/store/search_index.py) and the search must fold what a moderator types the same.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable


def fold(text: str) -> str:
    """Return the text without case or accents, đ as d: "Nguyễn Văn Á" -> "nguyen van a"."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.replace("đ", "d").replace("Đ", "D").casefold()


def has_accents(text: str) -> bool:
    """Whether the text, in any case, says more than its folded form: a needle typed with
    accents, which must then match them."""
    needle = unicodedata.normalize("NFC", text).casefold()
    return needle != fold(needle)


def text_matcher(text: str) -> Callable[[str], bool]:
    """Match a comment's text in any case; typed without accents, with or without them.

    In Python, not SQL: SQLite's lower() and LIKE know only ASCII letters."""
    needle = unicodedata.normalize("NFC", text).casefold()
    if not has_accents(needle):
        return lambda body: needle in fold(body)
    return lambda body: needle in unicodedata.normalize("NFC", body).casefold()
