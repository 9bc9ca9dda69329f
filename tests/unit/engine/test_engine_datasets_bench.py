"""The research bench's inner folds and its plain baseline (bench/engine_datasets.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.engine_datasets import (
    bootstrap_intervals,
    campaign_groups,
    plain_predictions,
    read_video,
    score_of,
)
from tests.unit.engine.helpers import write_table


def test_one_authors_comments_and_near_identical_texts_share_a_group() -> None:
    texts = [
        "Check out my channel http://bit.ly/abc",
        "check out my CHANNEL, http://bit.ly/abc !!",  # near-identical to the first
        "I love this song, it reminds me of summer",
        "The drummer is amazing in the second half",  # same author as the third
        "Subscribe to me for more covers every week",  # same author as the second
        "Who is watching this in 2015?",
    ]
    authors = ["spammer1", "spammer2", "fan", "fan", "spammer2", ""]
    groups = campaign_groups(texts, authors)
    assert groups[0] == groups[1] == groups[4]  # text twins, then the second one's author
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[5]}) == 3  # an empty author joins nothing


def test_no_repeats_means_one_group_per_comment() -> None:
    texts = ["first comment here", "a different one entirely", "and the third"]
    assert sorted(campaign_groups(texts, ["a", "b", ""])) == [0, 1, 2]


def test_read_video_keeps_authors_beside_the_comments_it_keeps(tmp_path: Path) -> None:
    video = "04-CevxZvSJLk8"
    write_table(
        tmp_path / "youtube-spam" / f"{video}.csv",
        ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"],
        [
            ["a", "x", "", "Love it &#39;so much&#39;", "0"],
            ["b", "y", "", "   ", "1"],  # no text: skipped with its author
            ["c", "z", "", "Roar https://youtu.be/CevxZvSJLk8 check my page", "1"],
        ],
    )
    got = read_video(tmp_path, video)
    assert got.authors == ["x", "z"]
    assert got.labels == ["0", "1"]
    assert got.texts[0] == "Love it 'so much'"
    assert "youtu.be" not in got.texts[1]  # the link back to the video itself is blanked


def test_the_plain_baseline_scores_the_class_it_is_asked_for() -> None:
    train = (
        ["buy cheap pills now", "cheap pills online", "lovely song", "what a lovely voice"] * 5,
        ["1", "1", "0", "0"] * 5,
    )
    texts = ["cheap pills here", "lovely guitar", "lovely voice", "cheap pills, not spam"]
    labels = ["1", "0", "0", "0"]
    predicted = plain_predictions(train, texts)
    # the last one is called spam: spam F1 2/3 (one right, one false alarm), ham F1 0.8
    assert score_of(labels, predicted, key="1") == pytest.approx(2 / 3)
    assert score_of(labels, predicted) == pytest.approx((2 / 3 + 0.8) / 2)


def test_the_intervals_bracket_the_scores_and_pair_the_two_models() -> None:
    rng = np.random.default_rng(7)
    labels = list(rng.choice(["0", "1"], 400))
    engine = [lab if rng.random() < 0.9 else str(1 - int(lab)) for lab in labels]  # ~90% right
    plain = [lab if rng.random() < 0.8 else str(1 - int(lab)) for lab in labels]  # ~80% right
    got = bootstrap_intervals(labels, engine, plain, key="1")
    low, high = got["score"]
    assert low < score_of(labels, engine, "1") < high and high - low < 0.1
    assert got["plain"][1] < low + 0.05  # the weaker model's interval sits lower
    assert 0 < got["lead"][0] < got["lead"][1]  # paired: the lead is surely positive
    assert bootstrap_intervals(labels, engine, plain, key="1") == got  # seeded
    same = bootstrap_intervals(labels, engine, engine)
    assert same["lead"] == [0.0, 0.0] and same["score"] == same["plain"]
