"""bench/site_learning.py on a miniature copy of the datasets' layout (written here)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from bench import site_learning
from tests.unit.engine.helpers import write_table

CLEAN = [f"Mong huyện sớm sửa đoạn đường số {n} cho bà con đi lại." for n in range(8)]
INSULTS = [f"Thằng bình luận số {n} đúng là đồ óc bò ngu dốt." for n in range(8)]
REVIEWS = [f"Áo mẫu số {n} vải đẹp, giao hàng nhanh." for n in range(8)]
ADVERTS = [f"ib mình để biết thêm chi tiết mẫu số {n}" for n in range(8)]  # held, not spam


def _datasets(root: Path) -> None:
    hsd = [[t, "0"] for t in CLEAN] + [[t, "1"] for t in INSULTS]
    spam = [["5", t, "0", "0"] for t in REVIEWS] + [["1", t, "1", "1"] for t in ADVERTS]
    for split in ("train", "dev"):
        write_table(root / "vihsd" / f"{split}.csv", ["free_text", "label_id"], hsd)
        write_table(
            root / "vispamreviews" / f"{split}.csv",
            ["Rating", "Comment", "Label", "SpamLabel"],
            spam,
        )


def test_a_row_per_dataset_and_label_count(tmp_path: Path, capsys) -> None:
    _datasets(tmp_path)
    assert site_learning.main(["--datasets", str(tmp_path), "--counts", "0,16", "--json"]) == 0
    out = capsys.readouterr().out
    assert "ViHSD dev" in out and "ViSpamReviews dev" in out
    rows = site_learning.learning_curve(tmp_path, (0, 16))
    assert [(r["dataset"], r["labels"]) for r in rows] == [
        ("ViHSD", 0), ("ViHSD", 16), ("ViSpamReviews", 0), ("ViSpamReviews", 16)
    ]  # fmt: skip
    trained = {r["dataset"]: r for r in rows if r["labels"] == 16}
    # Trained on the very comments it is judged on, the site's model ranks them all.
    assert trained["ViHSD"]["auc"] == 1.0 and trained["ViSpamReviews"]["auc"] == 1.0
    assert trained["ViSpamReviews"]["spam kept %"] == 100.0


def test_the_held_only_loop_labels_what_was_held_and_retrains(tmp_path: Path, monkeypatch) -> None:
    _datasets(tmp_path)
    monkeypatch.setattr(site_learning, "RETRAIN_EVERY", 2)
    rows = [
        r for r in site_learning.held_only_loop(tmp_path, (0, 4)) if r["dataset"] == "ViSpamReviews"
    ]
    assert rows[0]["labels"] == 0 and rows[0]["comments seen"] == 0
    # A row at the checkpoint, or at the last retrain if the held comments ran out first
    # (once it learned the adverts, the site's model marks them spam instead of holding).
    retrained = [r["labels"] for r in rows[1:]]
    assert retrained and all(n % 2 == 0 and 0 < n <= 4 for n in retrained)
    assert all(0 < r["comments seen"] <= len(REVIEWS + ADVERTS) for r in rows[1:])


def test_missing_datasets_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert site_learning.main(["--datasets", str(tmp_path)]) == 2
    assert "datasets not found" in capsys.readouterr().err


def test_resampled_auc_is_sklearns_with_weights() -> None:
    rng = np.random.default_rng(1)
    bad = rng.random(300) < 0.3
    scores = np.round(rng.random(300) / 2 + bad / 5, 2)  # rounded, so some scores tie
    weights = rng.multinomial(300, np.full(300, 1 / 300), size=20)
    got = site_learning.resampled_auc(bad, scores, weights)
    want = [roc_auc_score(bad, scores, sample_weight=w) for w in weights]
    assert np.allclose(got, want) and len(set(np.round(got, 6))) > 10
    only_clean = np.where(bad, 0, 1)[None, :]
    assert np.isnan(site_learning.resampled_auc(bad, scores, only_clean))[0]


def test_every_figure_has_an_interval_and_the_gain_is_paired(tmp_path: Path) -> None:
    _datasets(tmp_path)
    rows = site_learning.learning_curve(tmp_path, (0, 16))
    shipped, trained = (r for r in rows if r["dataset"] == "ViSpamReviews")
    assert shipped["auc gain"] == 0.0 and shipped["auc gain 95%"] == [0.0, 0.0]
    # The shipped model takes the adverts for reviews; 16 labels teach it otherwise.
    assert trained["auc gain"] > 0.5 and trained["auc gain 95%"][0] > 0.5
    for row in (shipped, trained):
        for key in [k for k in row if k.endswith(" 95%")]:
            low, high = row[key]
            assert low <= row[key.removesuffix(" 95%")] <= high, key
    assert "| 16 | 1.000 [1.000, 1.000] | +1.000 [+1.000, +1.000] | 100.0 [67.6, 100.0] |" in (
        site_learning.table([shipped, trained])
    )
