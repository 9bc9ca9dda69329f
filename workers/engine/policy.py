"""Turn rule reasons, classifier probabilities and moderator feedback into one decision.

1. Moderator feedback on near-identical texts moves the classifier's scores first: each
   label pulls the score towards its own target (spam -> spam 1 and abuse 0, abuse ->
   abuse 1, ham -> both 0) with a weight equal to the similarity, most similar last.
   After a moderator marked a text spam, a near-identical one scores about as high;
   after one was approved, a near-identical one scores about as low.
2. Scores meet the site's thresholds: spam >= spam_reject is spam, abuse >= abuse_reject
   is reject, either >= its hold threshold holds (uncertain goes to a human).
3. A trusted author's comment in the lower half of the uncertain band is let through;
   nothing else softens, and never a rule.
4. The strongest verdict of any reason wins (pre-moderated articles hold through their
   rule reason); with no reason stronger than approve, the comment is approved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workers.engine.rules.behaviour import TRUSTED_AUTHOR
from workers.engine.types import VERDICT_STRENGTH, Context, Feedback, Reason, Thresholds, Verdict

FEEDBACK_MIN_SIMILARITY = 0.75  # below this a label says little about the new text
_TARGETS = {
    "spam": {"spam": 1.0, "abuse": 0.0},
    "abuse": {"abuse": 1.0},
    "ham": {"spam": 0.0, "abuse": 0.0},
}
_LABEL_VI = {"spam": "spam", "abuse": "vi phạm", "ham": "hợp lệ"}


def apply_feedback(
    scores: Mapping[str, float], feedback: Sequence[Feedback]
) -> tuple[dict[str, float], list[Reason]]:
    """Pull scores towards moderators' labels on near-identical texts; explain each pull."""
    adjusted = dict(scores)
    reasons = []
    useful = [f for f in feedback if f.similarity >= FEEDBACK_MIN_SIMILARITY]
    for fb in sorted(useful, key=lambda f: f.similarity):
        before = dict(adjusted)
        for key, target in _TARGETS.get(fb.label, {}).items():
            adjusted[key] = (1 - fb.similarity) * adjusted.get(key, 0.0) + fb.similarity * target
        reasons.append(_feedback_reason(fb, before, adjusted))
    return adjusted, reasons


def _feedback_reason(fb: Feedback, before: dict[str, float], after: dict[str, float]) -> Reason:
    pct = round(fb.similarity * 100)
    moves = {k: [round(before.get(k, 0.0), 3), round(after[k], 3)] for k in _TARGETS[fb.label]}
    msg = f"Người kiểm duyệt đã đánh dấu {_LABEL_VI[fb.label]} một bình luận giống {pct}%"
    detail: dict[str, object] = {
        "en": f"A moderator labeled a {pct}% similar text '{fb.label}'",
        "label": fb.label,
        "similarity": round(fb.similarity, 3),
        "scores": moves,
    }
    verdict = Verdict.APPROVE if fb.label == "ham" else Verdict.HOLD
    return Reason(f"feedback_{fb.label}", msg, verdict, (), detail)


def score_reasons(scores: Mapping[str, float], t: Thresholds, trusted: bool) -> list[Reason]:
    """Compare the (adjusted) scores with the site's thresholds; explain every crossing."""
    reasons = []
    for key, hold, reject, strong in (
        ("spam", t.spam_hold, t.spam_reject, Verdict.SPAM),
        ("abuse", t.abuse_hold, t.abuse_reject, Verdict.REJECT),
    ):
        score = scores.get(key)
        if score is None or score < hold:
            continue
        if score >= reject:
            verdict = strong
        elif trusted and score < (hold + reject) / 2:
            verdict = Verdict.APPROVE  # a trusted author's borderline comment goes out
        else:
            verdict = Verdict.HOLD
        reasons.append(
            _score_reason(key, score, hold if verdict is not strong else reject, verdict)
        )
    return reasons


def _score_reason(key: str, score: float, threshold: float, verdict: Verdict) -> Reason:
    name = {"spam": "spam", "abuse": "ngôn từ vi phạm"}[key]
    en = {"spam": "spam", "abuse": "abuse"}[key]
    msg = f"Bộ phân loại: điểm {name} {score:.2f} (ngưỡng {threshold:.2f})"
    if verdict is Verdict.APPROVE:
        msg += ", cho qua vì tác giả tin cậy"
    detail = {
        "en": f"Classifier {en} score {score:.2f} (threshold {threshold:.2f})",
        "score": score,
    }
    return Reason(f"classifier_{key}", msg, verdict, (), detail)


def strongest(reasons: Sequence[Reason]) -> Verdict:
    """Return the strongest verdict any reason asks for (approve when none asks for more)."""
    return max(
        (r.verdict for r in reasons), key=VERDICT_STRENGTH.__getitem__, default=Verdict.APPROVE
    )


def decide(
    rule_reasons: Sequence[Reason],
    probabilities: Mapping[str, float] | None,
    context: Context,
    *,
    has_words: bool = True,
) -> tuple[Verdict, dict[str, float], tuple[Reason, ...]]:
    """Combine rule reasons and classifier probabilities into a verdict, scores and reasons.

    Without a letter or digit (emoji, punctuation) the classifier is not asked: it would
    read nothing but its own padding and answer with the bias of short texts (a lone "👍"
    scored abuse 0.98 and was rejected). The rules alone decide, and the reason says so.
    """
    reasons = list(rule_reasons)
    if not has_words:
        msg = "Không có chữ để bộ phân loại đọc: chỉ các quy tắc quyết định"
        en = "No words for the classifier to read: the rules alone decide"
        reasons.append(Reason("no_words", msg, Verdict.APPROVE, (), {"en": en}))
        return strongest(reasons), {}, tuple(reasons)
    if probabilities is None:
        msg = "Chưa có mô hình phân loại: chờ người duyệt"
        reasons.append(
            Reason("model_unavailable", msg, Verdict.HOLD, (), {"en": "No classifier loaded"})
        )
        return strongest(reasons), {}, tuple(reasons)
    model_scores = {k: float(probabilities.get(k, 0.0)) for k in ("spam", "abuse")}
    scores, feedback_reasons = apply_feedback(model_scores, context.feedback)
    trusted = any(r.code == TRUSTED_AUTHOR for r in rule_reasons)
    reasons += feedback_reasons + score_reasons(scores, context.rules.thresholds, trusted)
    out = {**{f"model_{k}": v for k, v in probabilities.items()}, **scores}
    return strongest(reasons), out, tuple(reasons)
