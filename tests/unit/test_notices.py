"""The notice's rules on their own: which decisions a reader hears of, and in what words."""

from __future__ import annotations

from service.models import Decision
from service.notices import MESSAGES, REASON_WORDS, notice


def _engine(verdict: str, *reasons: tuple[str, str, list[list[int]]]) -> Decision:
    found = [{"code": c, "verdict": v, "spans": s} for c, v, s in reasons]
    return Decision(verdict=verdict, reasons=found, decided_by="system", note="")


def test_the_strongest_told_reason_wins_and_only_the_deciding_ones_count():
    body = "đồ ngu, đồ ngu"
    both = _engine(
        "reject",
        ("banned_word", "reject", [[0, 6], [8, 14]]),
        ("banned_sender", "reject", []),
    )
    assert notice("rejected", body, both)["code"] == "author_banned"
    words = notice("rejected", body, _engine("reject", ("banned_word", "reject", [[0, 6]])))
    assert words["code"] == "banned_words" and words["words"] == ["đồ ngu"]
    # Kept out as spam: a banned word asking for less than the verdict does not name it.
    spam = _engine("spam", ("classifier_spam", "spam", []), ("banned_word", "hold", [[0, 6]]))
    assert notice("spam", body, spam) == notice("spam", body, None)
    assert notice("spam", body, spam)["code"] == "not_published"


def test_the_same_word_twice_is_named_once():
    decision = _engine("reject", ("banned_word", "reject", [[0, 6], [8, 14]]))
    assert notice("rejected", "đồ ngu, đồ ngu", decision)["words"] == ["đồ ngu"]


def test_abuse_scores_read_offensive_and_other_scores_not_published():
    abuse = _engine("reject", ("classifier_abuse", "reject", []))
    assert notice("rejected", "x", abuse)["code"] == "offensive"
    links = _engine("spam", ("too_many_links", "spam", []))
    assert notice("spam", "x", links)["code"] == "not_published"


def test_a_moderators_reject_from_before_reasons_reads_not_published():
    old = Decision(verdict="reject", reasons=[], decided_by="moderator:lan", note="lạc đề")
    assert notice("rejected", "x", old)["code"] == "not_published"
    given = Decision(
        verdict="reject", reasons=[], decided_by="moderator:lan", note="reject_reason:abuse\nx"
    )
    assert notice("rejected", "x", given)["message"]["en"].endswith("it is abusive.")


def test_every_message_and_reason_has_both_languages():
    for words in (*MESSAGES.values(), *REASON_WORDS.values()):
        assert set(words) == {"vi", "en"} and all(text.strip() for text in words.values())
