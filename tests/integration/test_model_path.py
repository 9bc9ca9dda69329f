"""A model trained with `duyet train` replaces the shipped one through DUYET_MODEL_PATH."""

from __future__ import annotations

import csv

from service.store.reading import comment_history
from tests.integration.conftest import submit
from workers import runtime
from workers.cli import main
from workers.engine.classifier import TextModel

HAM = [f"Bài viết số {n} rất hữu ích, cảm ơn phóng viên đã đưa tin." for n in range(30)]
SPAM = [f"Mua ngay thẻ cào giảm giá {n}0% tại cửa hàng zzqx của chúng tôi." for n in range(30)]


def test_the_worker_scores_with_the_model_named_by_duyet_model_path(
    app, client, site, work, tmp_path, monkeypatch
):
    data = tmp_path / "labeled.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["noi_dung", "nhan"])
        writer.writerows([(t, "ham") for t in HAM] + [(t, "spam") for t in SPAM])
    model_file = tmp_path / "site.joblib"
    argv = ["train", "--csv", str(data), "--text-column", "noi_dung", "--label-column", "nhan"]
    assert main([*argv, "--out", str(model_file), "--holdout", "0"]) == 0
    trained = TextModel.load(model_file)

    monkeypatch.setenv("DUYET_MODEL_PATH", str(model_file))
    runtime.reset()
    accepted = submit(client, site, "Cảm ơn phóng viên, bài viết rất hữu ích cho bà con.")
    work()
    _, decisions, _ = comment_history(app.extensions["duyet"].db, accepted["id"])
    assert decisions[0].engine_version.endswith("+" + trained.version)
