"""SimHash fingerprints, so the job can find near-identical texts with a few Redis reads.

The fingerprint reads the plain form (no case, no diacritics, evasions undone) with every
digit turned into "0" and everything but letters, digits and single spaces dropped: a
changed phone number, an extra emoji, or the accents removed leave it unchanged, and a
changed word moves only a few of its 64 bits.
"""

from __future__ import annotations

import re

import numpy as np

from workers.engine.normalize import normalize

SHINGLE = 4
BAND_BITS = 16
_NOT_WORD_RE = re.compile(r"[\W_]+")
_DIGIT_RE = re.compile(r"\d")
_PRIME = np.uint64(1099511628211)  # FNV's 64-bit prime
_BITS = np.uint64(1) << np.arange(64, dtype=np.uint64)


def _canonical(text: str) -> str:
    plain = normalize(text).plain
    return _DIGIT_RE.sub("0", _NOT_WORD_RE.sub(" ", plain)).strip()


def _shingle_hashes(text: str) -> np.ndarray:
    """Hash every distinct shingle to 64 bits, the same in every process (no hash seed)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = max(len(codes) - SHINGLE + 1, 1)
    h = np.zeros(count, dtype=np.uint64)
    for k in range(min(SHINGLE, len(codes))):
        h = h * _PRIME + codes[k : k + count]
    # splitmix64's finalizer spreads the polynomial hash over all 64 bits
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return np.unique(h)


def fingerprint(text: str) -> int:
    """Return the 64-bit SimHash of a comment's character shingles (0 for an empty text)."""
    canonical = _canonical(text)
    if not canonical:
        return 0
    hashes = _shingle_hashes(canonical)
    ones = ((hashes[:, None] & _BITS) != 0).sum(axis=0)
    return int(((ones * 2 > len(hashes)).astype(np.uint64) * _BITS).sum())


def similarity(a: int, b: int) -> float:
    """Return 1 - (differing bits / 64) between two fingerprints."""
    return 1.0 - (a ^ b).bit_count() / 64


def bands(fp: int) -> list[int]:
    """Split a fingerprint into four 16-bit bands, highest first (keys for bucket lookups)."""
    mask = (1 << BAND_BITS) - 1
    return [(fp >> shift) & mask for shift in (48, 32, 16, 0)]
