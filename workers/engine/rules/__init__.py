"""The rule side of the engine: a chain of small checks, each answering "ok, or these reasons".

Every check has the signature ``(comment, norm, context) -> list[Reason]`` and is pure.
"""

from __future__ import annotations

from collections.abc import Callable

from workers.engine.normalize import Normalized
from workers.engine.rules import behaviour, contact, links, profanity, promotion, text, words
from workers.engine.rules.behaviour import TRUSTED_AUTHOR
from workers.engine.types import CommentInput, Context, Reason

# Stored with every decision; raise it when a check decides differently (2: links back to
# the page itself are no longer counted or scored; 3: self-promotion holds; 4: common
# profanity and slurs hold).
RULES_VERSION = "rules-5"

Check = Callable[[CommentInput, Normalized, Context], list[Reason]]

# Cheap context checks first; the order is also the order reasons are shown in.
CHECKS: tuple[Check, ...] = (
    behaviour.check_banned,
    behaviour.check_article,
    text.check_empty,
    text.check_length,
    words.check_words,
    profanity.check_common_profanity,
    links.check_links,
    contact.check_contact,
    promotion.check_self_promotion,
    text.check_shouting,
    text.check_emoji_only,
    text.check_flood,
    behaviour.check_flood,
    behaviour.check_duplicates,
    behaviour.check_author,
)


def run_checks(comment: CommentInput, norm: Normalized, context: Context) -> list[Reason]:
    """Run every rule check and return all their reasons."""
    return [reason for check in CHECKS for reason in check(comment, norm, context)]


__all__ = ["CHECKS", "RULES_VERSION", "TRUSTED_AUTHOR", "Check", "run_checks"]
