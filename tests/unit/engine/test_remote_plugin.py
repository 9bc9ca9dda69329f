"""The remote classifier's contract and how its scores become reasons."""

from __future__ import annotations

import pytest

from workers.engine.plugins.remote import ContractBroken, RemoteScores, parse_scores
from workers.engine.types import Thresholds, Verdict


def test_scores_over_the_sites_thresholds_hold_or_keep_out_each_class():
    thresholds = Thresholds(spam_hold=0.5, spam_reject=0.9, abuse_hold=0.6, abuse_reject=0.95)
    found = {r.code: r.verdict for r in RemoteScores(spam=0.7, abuse=0.96).reasons(thresholds)}
    assert found == {"remote_spam": Verdict.HOLD, "remote_abuse": Verdict.REJECT}
    assert RemoteScores(spam=0.49, abuse=None).reasons(thresholds) == ()
    (kept_out,) = RemoteScores(spam=0.9).reasons(thresholds)
    assert kept_out.verdict == Verdict.SPAM and kept_out.detail["score"] == 0.9


def test_an_answer_is_read_in_order_and_a_class_left_out_is_no_opinion():
    body = {"scores": [{"spam": 0.2, "abuse": 1}, {"abuse": 0.0}, {}]}
    assert parse_scores(body, 3) == [
        RemoteScores(0.2, 1.0),
        RemoteScores(None, 0.0),
        RemoteScores(None, None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"scores": "none"},
        {"scores": [{"spam": 0.1}]},  # one entry for two texts
        {"scores": [{"spam": 0.1}, "x"]},
        {"scores": [{"spam": True}, {}]},
        {"scores": [{"spam": float("nan")}, {}]},
        {"scores": [{"spam": -0.1}, {}]},
    ],
)
def test_anything_else_breaks_the_contract(body):
    with pytest.raises(ContractBroken):
        parse_scores(body, 2)
