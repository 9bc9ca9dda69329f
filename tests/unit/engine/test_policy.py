"""Policy: rules, classifier scores against thresholds, trust, and moderator feedback."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from workers.engine import engine_version, evaluate
from workers.engine.policy import apply_feedback
from workers.engine.types import (
    Behaviour,
    CommentInput,
    Context,
    Feedback,
    SiteRules,
    Thresholds,
    Verdict,
)


@dataclass
class FixedModel:
    """A scoring model that answers the same probabilities for every text."""

    spam: float = 0.02
    abuse: float = 0.02
    version: str = "fixed-1"
    seen: list[str] = field(default_factory=list)

    def probabilities(self, text: str) -> dict[str, float]:
        self.seen.append(text)
        return {"ham": 1 - self.spam - self.abuse, "spam": self.spam, "abuse": self.abuse}


CIVIL = CommentInput("Tôi nghĩ huyện nên làm rõ trách nhiệm của ông chủ tịch trong vụ này.")


def _verdict(model: FixedModel, context: Context | None = None) -> Verdict:
    return evaluate(CIVIL, context or Context(), model).verdict


def test_clean_and_confident_is_approved_with_version_and_scores() -> None:
    model = FixedModel()
    decision = evaluate(CIVIL, Context(), model)
    assert decision.verdict is Verdict.APPROVE
    assert decision.reasons == ()
    assert decision.engine_version == "rules-5+fixed-1" == engine_version(model)
    assert decision.scores["spam"] == pytest.approx(0.02)
    assert model.seen == [CIVIL.body]


def test_the_classifier_reads_the_text_without_links_back_to_the_page() -> None:
    model = FixedModel()
    page = "https://baotinh.example.vn/thoi-su/duong-xa-123.html"
    comment = CommentInput(f"Chia sẻ cho mọi người: {page}?utm_source=zalo, còn https://x.vn/a")
    evaluate(comment, Context(page_urls=(page,)), model)
    evaluate(comment, Context(), model)
    assert model.seen == ["Chia sẻ cho mọi người:  , còn https://x.vn/a", comment.body]


@pytest.mark.parametrize(
    ("spam", "abuse", "verdict"),
    [
        (0.6, 0.0, Verdict.HOLD),
        (0.95, 0.0, Verdict.SPAM),
        (0.0, 0.6, Verdict.HOLD),
        (0.0, 0.95, Verdict.REJECT),
        (0.49, 0.49, Verdict.APPROVE),
    ],
)
def test_scores_meet_the_site_thresholds(spam: float, abuse: float, verdict: Verdict) -> None:
    assert _verdict(FixedModel(spam, abuse)) is verdict


def test_thresholds_are_per_site() -> None:
    strict = Context(rules=SiteRules(thresholds=Thresholds(spam_hold=0.3)))
    assert _verdict(FixedModel(spam=0.35), strict) is Verdict.HOLD
    assert _verdict(FixedModel(spam=0.35)) is Verdict.APPROVE


def test_strongest_rule_verdict_wins_over_a_clean_score() -> None:
    context = Context(rules=SiteRules(banned_words=("ngu",)), behaviour=Behaviour(duplicates=3))
    decision = evaluate(CommentInput("đồ ngu"), context, FixedModel())
    assert decision.verdict is Verdict.REJECT
    found = {r.code for r in decision.reasons}
    assert found == {"banned_word", "common_profanity", "near_duplicate"}


def test_premoderated_article_holds_what_would_be_approved() -> None:
    decision = evaluate(CIVIL, Context(article_premoderated=True), FixedModel())
    assert decision.verdict is Verdict.HOLD
    assert [r.code for r in decision.reasons] == ["article_premoderated"]


def test_trusted_author_softens_only_a_borderline_classifier_hold() -> None:
    trusted = Context(behaviour=Behaviour(author_approved=12))
    assert _verdict(FixedModel(spam=0.55), trusted) is Verdict.APPROVE
    assert _verdict(FixedModel(spam=0.85), trusted) is Verdict.HOLD
    assert _verdict(FixedModel(spam=0.95), trusted) is Verdict.SPAM
    ruled = Context(rules=SiteRules(suspect_words=("chủ tịch",)), behaviour=trusted.behaviour)
    assert _verdict(FixedModel(spam=0.55), ruled) is Verdict.HOLD


def test_no_model_holds_for_a_human() -> None:
    from workers.engine.policy import decide

    verdict, scores, reasons = decide([], None, Context())
    assert verdict is Verdict.HOLD and scores == {}
    assert [r.code for r in reasons] == ["model_unavailable"]


@pytest.mark.parametrize("body", ["👍", "🥰🥰🥰", "❤❤❤ 👏"])
def test_emoji_alone_is_held_by_the_rule_and_never_scored(body: str) -> None:
    # The classifier would read only its padding there: a lone "👍" scored abuse 0.98
    # with the shipped model and was rejected. The rules decide, and the reason says so.
    model = FixedModel(abuse=0.99)
    decision = evaluate(CommentInput(body), Context(), model)
    assert decision.verdict is Verdict.HOLD
    assert [r.code for r in decision.reasons] == ["emoji_only", "no_words"]
    assert decision.scores == {} and model.seen == []


def test_punctuation_alone_goes_by_the_rules_alone() -> None:
    model = FixedModel(abuse=0.99)
    decision = evaluate(CommentInput("?"), Context(), model)
    assert decision.verdict is Verdict.APPROVE and model.seen == []
    assert [r.code for r in decision.reasons] == ["no_words"]


def test_a_word_beside_the_emoji_is_scored() -> None:
    model = FixedModel(abuse=0.99)
    decision = evaluate(CommentInput("Hay quá 👍"), Context(), model)
    assert decision.verdict is Verdict.REJECT and model.seen == ["Hay quá 👍"]


def test_the_shipped_model_does_not_reject_a_thumbs_up() -> None:
    decision = evaluate(CommentInput("👍"), Context())
    assert decision.verdict is Verdict.HOLD
    assert "classifier_abuse" not in [r.code for r in decision.reasons]


def test_spam_label_on_a_near_identical_text_stops_approval() -> None:
    model = FixedModel(spam=0.3)
    assert _verdict(model) is Verdict.APPROVE
    after = Context(feedback=(Feedback("spam", 0.97),))
    decision = evaluate(CIVIL, after, model)
    assert decision.verdict is Verdict.SPAM
    assert decision.scores["spam"] > 0.9 and decision.scores["model_spam"] == pytest.approx(0.3)
    assert [r.code for r in decision.reasons] == ["feedback_spam", "classifier_spam"]


def test_ham_label_on_a_near_identical_text_lets_it_through() -> None:
    model = FixedModel(spam=0.7)
    assert _verdict(model) is Verdict.HOLD
    decision = evaluate(CIVIL, Context(feedback=(Feedback("ham", 0.97),)), model)
    assert decision.verdict is Verdict.APPROVE
    assert decision.scores["spam"] < 0.1
    assert decision.reasons[0].code == "feedback_ham"
    assert decision.reasons[0].detail["scores"] == {"spam": [0.7, 0.021], "abuse": [0.02, 0.001]}


def test_feedback_is_weighted_by_similarity_and_the_closest_counts_last() -> None:
    scores, reasons = apply_feedback(
        {"spam": 0.5, "abuse": 0.1},
        (Feedback("ham", 0.99), Feedback("spam", 0.8), Feedback("ham", 0.5)),
    )
    assert [r.code for r in reasons] == ["feedback_spam", "feedback_ham"]  # 0.5 is ignored
    assert scores["spam"] == pytest.approx(0.01 * (0.2 * 0.5 + 0.8))


def test_abuse_label_raises_the_abuse_score() -> None:
    decision = evaluate(CIVIL, Context(feedback=(Feedback("abuse", 0.96),)), FixedModel())
    assert decision.verdict is Verdict.REJECT
    assert decision.scores["abuse"] > 0.92


def test_outside_opinions_join_the_reasons() -> None:
    from workers.engine.plugins.akismet import AkismetResult

    reason = AkismetResult(spam=True, discard=True).reason()
    assert reason is not None
    decision = evaluate(CIVIL, Context(), FixedModel(), outside=[reason])
    assert decision.verdict is Verdict.SPAM
