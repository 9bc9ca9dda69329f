"""Small builders shared by the engine tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from workers.engine.normalize import normalize
from workers.engine.rules import run_checks
from workers.engine.types import Behaviour, CommentInput, Context, Reason, SiteRules


def check(body: str, context: Context | None = None, **comment: object) -> list[Reason]:
    """Run every rule check on a body and return the reasons."""
    given = CommentInput(body, **comment)  # type: ignore[arg-type]
    return run_checks(given, normalize(body), context or Context())


def codes(reasons: list[Reason]) -> dict[str, str]:
    """Map each reason code to the verdict it asks for."""
    return {r.code: r.verdict.value for r in reasons}


def spans_of(body: str, reasons: list[Reason], code: str) -> list[str]:
    """Return the pieces of the original body that the reasons with code point at."""
    return [body[s.start : s.end] for r in reasons if r.code == code for s in r.spans]


def words(banned: tuple[str, ...] = (), suspect: tuple[str, ...] = ()) -> Context:
    """A context whose site bans and suspects the given words."""
    return Context(rules=SiteRules(banned_words=banned, suspect_words=suspect))


def behaving(**fields: object) -> Context:
    """A context with the given behaviour measurements."""
    return Context(behaviour=Behaviour(**fields))  # type: ignore[arg-type]


def write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write a UTF-8 CSV with a header row (a miniature of a dataset's file), folders too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
