"""Ids from outside (URL paths, query strings, JSON bodies, cursors): what counts as one.

Every row's id is a 64-bit signed integer from 1, in SQLite and PostgreSQL alike. Python's
int() reads digits of any script ("١" is 1) and of any size, which the database then
refuses with an error that would be a 500; so an id from a request is ASCII digits naming
1 to 2**63 - 1, and anything else names no row. Pure: the store and the web side use it.
"""

from __future__ import annotations

import re
from typing import TypeGuard

MAX_ID = 2**63 - 1
# ASCII only: `\d` and str.isdecimal() take every script's digits. 19 digits hold MAX_ID.
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(text: str) -> int | None:
    """Return the id a text names, or None when no row can have it."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if is_id(value) else None


def is_id(value: object) -> TypeGuard[int]:
    """Tell whether a value (from JSON, say) is an id a row can have: an int, not a bool."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID
