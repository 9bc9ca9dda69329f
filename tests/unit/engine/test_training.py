"""Training and evaluating from labeled CSV files, and the model CLI commands."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from workers.engine import cli_commands
from workers.engine.classifier import TextModel
from workers.engine.training import (
    SEED_CORPUS,
    cell_scores,
    evaluate_model,
    interval,
    joint_cells,
    parse_label_map,
    parse_train_options,
    read_labeled_csv,
    resampled_scores,
    stratified_split,
    train_from_csv,
)

HAM = [
    "Đường vào xã ngập sâu sau trận mưa tối qua",
    "Cảm ơn bác sĩ trạm y tế đã tận tình",
    "Giá cà phê năm nay tăng, bà con phấn khởi",
    "Học sinh được nghỉ học vì bão, phụ huynh yên tâm",
    "Cần thêm đèn đường ở ngã ba chợ",
    "Huyện phải chịu trách nhiệm về dự án chậm tiến độ",
    "Đội bóng tỉnh thắng trận đầu mùa giải",
    "Mong sớm sửa cây cầu tạm cho học sinh đi học",
]
SPAM = [
    "Vay tiền nhanh không thế chấp gọi ngay",
    "Nhà cái uy tín nạp tiền nhận thưởng lớn",
    "Kiếm tiền online mỗi ngày tại nhà dễ dàng",
    "Làm bằng đại học giá rẻ có hồ sơ gốc",
    "Soi kèo miễn phí vào nhóm kèo VIP",
    "Đầu tư tiền ảo lãi cao mỗi tháng",
    "Cho vay bốc bát họ góp ngày lãi thấp",
    "Tặng tiền cho thành viên mới nhà cái",
]


def write_csv(path: Path, rows: list[tuple[str, str]], header=("body", "verdict")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def labeled_csv(tmp_path: Path) -> Path:
    rows = [(t, "0") for t in HAM] + [(t, "1") for t in SPAM]
    rows.append(("Bình luận có\nxuống dòng, và dấu phẩy", "0"))  # a quoted cell spanning lines
    rows.append(("   ", "1"))  # no text: skipped
    return write_csv(tmp_path / "train.csv", rows)


def test_read_labeled_csv_handles_newlines_and_label_map(labeled_csv: Path) -> None:
    texts, labels = read_labeled_csv(labeled_csv, "body", "verdict", {"0": "ham", "1": "spam"})
    assert len(texts) == len(HAM) + len(SPAM) + 1
    assert "Bình luận có\nxuống dòng, và dấu phẩy" in texts
    assert set(labels) == {"ham", "spam"}


def test_read_labeled_csv_reports_bad_columns_and_labels(labeled_csv: Path) -> None:
    with pytest.raises(ValueError, match="no column"):
        read_labeled_csv(labeled_csv, "text", "verdict")
    with pytest.raises(ValueError, match="not in label map"):
        read_labeled_csv(labeled_csv, "body", "verdict", {"0": "ham"})


def test_parse_label_map() -> None:
    assert parse_label_map("0=ham, 1=spam") == {"0": "ham", "1": "spam"}
    assert parse_label_map(None) is None
    with pytest.raises(ValueError):
        parse_label_map("0:ham")


def test_stratified_split_keeps_every_label() -> None:
    texts = [str(i) for i in range(20)]
    labels = ["a"] * 10 + ["b"] * 10
    train_t, train_l, test_t, test_l = stratified_split(texts, labels, 0.2)
    assert sorted(test_l) == ["a", "a", "b", "b"]
    assert not set(train_t) & set(test_t) and len(train_t) == 16


def test_train_from_small_csv_with_dev_csv(labeled_csv: Path, tmp_path: Path) -> None:
    dev = write_csv(
        tmp_path / "dev.csv",
        [("Vay tiền nhanh lãi thấp gọi ngay", "1"), ("Đường ngập sâu, mong huyện sửa", "0")],
    )
    model, report = train_from_csv(
        labeled_csv, "body", "verdict", label_map={"0": "ham", "1": "spam"}, dev_path=dev
    )
    assert model.labels == ("ham", "spam")
    assert model.version.startswith("csv-train-")
    assert report is not None and report.n == 2
    assert report.macro_f1 == 1.0
    assert model.predict("vay tien nhanh goi ngay") == "spam"


def test_train_from_csv_holdout_and_no_holdout(labeled_csv: Path) -> None:
    _, report = train_from_csv(labeled_csv, "body", "verdict", holdout=0.25)
    assert report is not None and report.n == 4 and sum(report.support.values()) == 4
    model, none = train_from_csv(labeled_csv, "body", "verdict", holdout=0)
    assert none is None and model.meta["rows"] == len(HAM) + len(SPAM) + 1


def test_evaluate_report_contents() -> None:
    model = TextModel.train(HAM + SPAM, ["ham"] * len(HAM) + ["spam"] * len(SPAM))
    texts = ["Vay tiền nhanh gọi ngay", "Nhà cái uy tín", "Đường ngập sâu", "Vay tiền bốc họ"]
    labels = ["spam", "spam", "ham", "ham"]  # the last one is labeled wrongly on purpose
    report = evaluate_model(model, texts, labels, latency_n=50)
    assert report.confusion == [[1, 1], [0, 2]]  # rows: true ham, true spam
    assert report.precision["spam"] == pytest.approx(2 / 3)
    assert report.recall["ham"] == 0.5 and report.recall["spam"] == 1.0
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert report.accuracy == 0.75
    assert 0 < report.latency_median_ms <= report.latency_p99_ms
    table = report.format()
    for needle in ("precision", "macro F1", "confusion", "median", "p99", "ham", "spam"):
        assert needle in table
    json.dumps(report.to_dict())


def test_the_cells_score_as_sklearn_does_and_resamples_bracket_the_score() -> None:
    truth = ["0", "1", "2", "1", "0", "2", "2", "1"]
    guess = ["0", "1", "1", "1", "2", "2", "0", "1"]
    cells, counts = joint_cells(truth, [guess, truth])
    assert counts.sum() == len(truth)
    macro, perfect = cell_scores(cells, counts[None, :])[0]
    assert macro == pytest.approx(f1_score(truth, guess, average="macro")) and perfect == 1.0
    only_1 = cell_scores(cells, counts[None, :], key="1")[0, 0]
    assert only_1 == pytest.approx(f1_score(truth, guess, labels=["1"], average="macro"))
    draws = resampled_scores(truth, [guess, truth])
    assert draws.shape == (1000, 2)
    low, high = interval(draws[:, 0])
    assert low < macro < high
    assert interval(draws[:, 1]) == (1.0, 1.0)  # a label missing from a resample is not a 0
    assert (resampled_scores(truth, [guess, truth]) == draws).all()  # seeded: reads the same


def test_a_report_says_how_far_its_macro_f1_can_move() -> None:
    model = TextModel.train(HAM + SPAM, ["ham"] * len(HAM) + ["spam"] * len(SPAM))
    texts, labels = HAM[:6] + SPAM[:6], ["ham"] * 6 + ["spam"] * 6
    report = evaluate_model(model, texts, labels, latency_n=0, with_interval=True)
    assert report.macro_f1_interval is not None
    low, high = report.macro_f1_interval
    assert low <= report.macro_f1 <= high <= 1.0
    assert "95% interval" in report.format()
    assert evaluate_model(model, texts, labels, latency_n=0).macro_f1_interval is None


def test_evaluate_with_labels_the_model_does_not_know() -> None:
    model = TextModel.train(HAM + SPAM, ["ham"] * len(HAM) + ["spam"] * len(SPAM))
    report = evaluate_model(model, ["Đồ ngu"], ["abuse"], latency_n=0)
    assert report.labels == ["ham", "spam", "abuse"]
    assert report.recall["abuse"] == 0.0


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="duyet")
    cli_commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_train_then_evaluate(labeled_csv: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "model.joblib"
    common = ["--csv", str(labeled_csv), "--text-column", "body", "--label-column", "verdict"]
    assert run_cli(["train", *common, "--out", str(out), "--holdout", "0.25"]) == 0
    assert "macro F1" in capsys.readouterr().out and out.exists()
    assert run_cli(["evaluate", *common, "--model", str(out), "--strip-diacritics", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == len(HAM) + len(SPAM) + 1 and report["macro_f1"] > 0.8
    low, high = report["macro_f1_interval"]
    assert low <= report["macro_f1"] <= high


def test_cli_evaluate_default_model_on_seed_corpus(capsys) -> None:
    argv = ["evaluate", "--csv", str(SEED_CORPUS), "--text-column", "text"]
    assert run_cli([*argv, "--label-column", "label"]) == 0
    assert "abuse" in capsys.readouterr().out


def test_cli_model_build_writes_a_loadable_model(tmp_path: Path) -> None:
    out = tmp_path / "default.joblib"
    assert run_cli(["model-build", "--out", str(out)]) == 0
    model = TextModel.load(out)
    assert model.version.startswith("seed-") and model.labels == ("abuse", "ham", "spam")
    assert out.stat().st_size < 5_000_000


def test_parse_train_options() -> None:
    opts = parse_train_options(
        ["tree_blend=0.4", "raw_char_ngrams=1,5", "class_weight=none", "augment_plain=false",
         "min_df=2", "trees.columns=500", "word_form=folded"]
    )  # fmt: skip
    assert opts.tree_blend == 0.4 and opts.raw_char_ngrams == (1, 5)
    assert opts.class_weight is None and opts.augment_plain is False and opts.min_df == 2
    assert opts.trees.columns == 500 and opts.trees.iterations == 600
    assert opts.word_form == "folded" and opts.raw_token_ngrams is None
    assert parse_train_options([]) == parse_train_options([]).__class__()
    for bad in (
        "tree_blend",
        "colour=red",
        "trees=1",
        "min_df=two",
        "raw_char_ngrams=1",
        "augment_plain=maybe",
    ):
        with pytest.raises(ValueError):
            parse_train_options([bad])


def test_cli_train_with_options(labeled_csv: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "model.joblib"
    common = ["--csv", str(labeled_csv), "--text-column", "body", "--label-column", "verdict"]
    trees = ["--option", "tree_blend=0.3", "--option", "trees.iterations=20"]
    assert run_cli(["train", *common, "--out", str(out), "--holdout", "0", *trees]) == 0
    model = TextModel.load(out)
    assert model.meta["options"]["tree_blend"] == 0.3 and model._trees is not None
    assert run_cli(["train", *common, "--out", str(out), "--option", "nope=1"]) == 2
    assert "unknown option 'nope=1'" in capsys.readouterr().err
