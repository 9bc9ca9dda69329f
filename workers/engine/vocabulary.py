"""A vectorizer's n-gram -> column map in about 25 bytes an n-gram, where a dict takes ~120.

sklearn's TfidfVectorizer keeps its vocabulary as a dict of strings. A model trained on a
large corpus with raw char n-grams holds 900,000 of them, and the dict alone is over 100 MB
of a worker's memory. ``CompactVocabulary`` keeps the same map as:

- the n-grams in column order, joined into one string, with the end offset of each (this
  is what is pickled: a model file stays portable between processes);
- built when it is made or loaded, the ``hash()`` of every n-gram, sorted, with the column
  of each. ``hash()`` of a str differs between processes, so each process builds its own.

A lookup hashes the text's n-grams and finds them with one ``searchsorted``. An n-gram of a
comment that is not in the vocabulary is taken for one that is only if their 64-bit hashes
are equal: with 10^6 n-grams in the model and 10^3 in a comment, about once in 10^10
comments, and then it adds one n-gram's weight. Two n-grams of the vocabulary with equal
hashes are found when it is built and kept in a small exact dict instead.

The price is speed: a binary search per n-gram costs about twice a dict lookup (+0.1 ms a
comment with the ViSpamReviews research model). So only vocabularies of COMPACT_FROM
n-grams or more are made compact; the shipped default model's (5,000-18,000 a block) stay
sklearn's dicts, and ``lookup_columns`` serves both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import repeat
from typing import Any

import numpy as np

# A block's vocabulary of this many n-grams or more is kept compact (~12 MB a dict of 100,000).
COMPACT_FROM = 50_000
# hash() of a str: fast (cached on the str), 64 bits, per process. A name, so tests can swap it.
term_hash = hash


class CompactVocabulary(Mapping[str, int]):
    """An immutable str -> column mapping, as sklearn's ``vocabulary_`` is used."""

    def __init__(self, terms: Iterable[str]) -> None:
        """terms: every n-gram, in column order (column i is the i-th term)."""
        terms = list(terms)
        self._text = "".join(terms)
        self._ends = np.cumsum([len(t) for t in terms], dtype=np.int64)
        self._build_index(terms)

    @classmethod
    def from_dict(cls, vocabulary: Mapping[str, int]) -> CompactVocabulary:
        """Convert sklearn's dict (columns 0..n-1, each once)."""
        if isinstance(vocabulary, CompactVocabulary):
            return vocabulary
        terms = [""] * len(vocabulary)
        for term, column in vocabulary.items():
            terms[column] = term
        return cls(terms)

    # ----- lookups ------------------------------------------------------------------------
    def columns(self, terms: Collection[str]) -> np.ndarray:
        """Return the column of each term, -1 where a term is not in the vocabulary."""
        hashes = np.fromiter(map(term_hash, terms), np.int64, len(terms))
        columns = np.full(len(terms), -1, dtype=np.intp)
        if len(self._hashes):
            # Sorted queries walk the sorted hashes in one direction: fewer cache misses.
            order = np.argsort(hashes)
            wanted = hashes[order]
            at = np.minimum(np.searchsorted(self._hashes, wanted), len(self._hashes) - 1)
            found = self._hashes[at] == wanted
            columns[order[found]] = self._columns[at[found]]
        if self._collided:  # hashes shared by two n-grams of the vocabulary: look up exactly
            for i, term in enumerate(terms):
                column = self._collided.get(term)
                if column is not None:
                    columns[i] = column
        return columns

    def term(self, column: int) -> str:
        """Return the n-gram of a column."""
        start = int(self._ends[column - 1]) if column > 0 else 0
        return self._text[start : int(self._ends[column])]

    def __getitem__(self, term: str) -> int:
        if not isinstance(term, str):
            raise KeyError(term)
        column = int(self.columns([term])[0])
        if column < 0 or self.term(column) != term:  # exact for single lookups
            raise KeyError(term)
        return column

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms())

    def _terms(self) -> list[str]:
        ends = self._ends.tolist()
        return [self._text[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]

    # ----- building, pickling, copying ----------------------------------------------------
    def _build_index(self, terms: list[str]) -> None:
        hashes = np.fromiter(map(term_hash, terms), np.int64, len(terms))
        order = np.argsort(hashes, kind="stable")
        hashes = hashes[order]
        shared = np.zeros(len(hashes), dtype=bool)
        if len(hashes) > 1:
            equal = hashes[1:] == hashes[:-1]
            shared[1:] |= equal
            shared[:-1] |= equal
        self._collided = {terms[i]: int(i) for i in order[shared]}
        self._hashes = hashes[~shared]
        self._columns = order[~shared].astype(np.int32)

    def __getstate__(self) -> dict[str, Any]:
        return {"text": self._text, "ends": self._ends}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._text, self._ends = state["text"], state["ends"]
        self._build_index(self._terms())

    def __copy__(self) -> CompactVocabulary:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, Any]) -> CompactVocabulary:
        return self


def compact_if_large(vocabulary: Mapping[str, int]) -> Mapping[str, int]:
    """Return the vocabulary to score with: compact from COMPACT_FROM n-grams, else as it is."""
    if len(vocabulary) >= COMPACT_FROM:
        return CompactVocabulary.from_dict(vocabulary)
    return vocabulary


def lookup_columns(vocabulary: Mapping[str, int], terms: Collection[str]) -> np.ndarray:
    """Return the column of each term, -1 where a term is not in the vocabulary."""
    if isinstance(vocabulary, CompactVocabulary):
        return vocabulary.columns(terms)
    count = len(terms)
    return np.fromiter(map(vocabulary.get, terms, repeat(-1, count)), np.intp, count)
