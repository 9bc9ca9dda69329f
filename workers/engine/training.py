"""Train and evaluate text models from labeled CSV files; build the shipped default model.

``python -m workers.engine.training build-default`` retrains the default model on the
seed corpus written for this project and writes ``workers/engine/models/default.joblib``.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from workers.engine.classifier import DEFAULT_MODEL_PATH, TextModel, TrainOptions
from workers.engine.trees import TreeOptions

SEED_CORPUS = Path(__file__).resolve().parent / "data" / "seed_corpus.csv"


def strip_diacritics(text: str) -> str:
    """Return text as typed without Vietnamese accents ("cá độ" -> "ca do")."""
    from workers.engine.normalize import strip_diacritics as strip

    return strip(text.replace("Đ", "D").replace("đ", "d"))


def read_labeled_csv(
    path: str | Path,
    text_column: str,
    label_column: str,
    label_map: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Read texts and labels from a UTF-8 CSV with a header row; skip rows with no text."""
    texts: list[str] = []
    labels: list[str] = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {text_column, label_column} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: no column(s) {sorted(missing)}; has {reader.fieldnames}")
        for row in reader:
            text, label = row[text_column] or "", (row[label_column] or "").strip()
            if not text.strip():
                continue
            if label_map is not None:
                if label not in label_map:
                    raise ValueError(f"{path}:{reader.line_num}: label {label!r} not in label map")
                label = label_map[label]
            if not label:
                raise ValueError(f"{path}:{reader.line_num}: empty label")
            texts.append(text)
            labels.append(label)
    return texts, labels


def parse_label_map(spec: str | None) -> dict[str, str] | None:
    """Parse "0=ham,1=spam" into a mapping (None stays None)."""
    if not spec:
        return None
    pairs = [item.split("=", 1) for item in spec.split(",") if item.strip()]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"bad label map {spec!r}; expected like 0=ham,1=spam")
    return {k.strip(): v.strip() for k, v in pairs}


def parse_train_options(pairs: Sequence[str]) -> TrainOptions:
    """Build TrainOptions from NAME=VALUE pairs ("tree_blend=0.4", "raw_char_ngrams=1,5").

    NAME is a TrainOptions field, or trees.NAME for a TreeOptions field; a value is read as
    the field's type: a number, true/false, text, a pair "LOW,HIGH", or "none".
    """
    top: dict[str, Any] = {}
    trees: dict[str, Any] = {}
    known = {n: h for n, h in typing.get_type_hints(TrainOptions).items() if n != "trees"}
    known |= {f"trees.{n}": h for n, h in typing.get_type_hints(TreeOptions).items()}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or name not in known:
            names = ", ".join(known)
            raise ValueError(f"unknown option {pair!r}; expected NAME=VALUE, NAME one of {names}")
        target, field_name = (trees, name[6:]) if name.startswith("trees.") else (top, name)
        try:
            target[field_name] = _option_value(raw.strip(), known[name])
        except ValueError as exc:
            raise ValueError(f"option {name}: {exc}") from None
    return TrainOptions(**top, trees=TreeOptions(**trees))


def _option_value(raw: str, hint: Any) -> Any:
    """Read raw as a value of the type hint (int, float, bool, str, a pair, or optional)."""
    kinds = [k for k in typing.get_args(hint) if k is not type(None)] or [hint]
    if raw.lower() == "none" and type(None) in typing.get_args(hint):
        return None
    kind = kinds[0]
    if typing.get_origin(kind) is tuple:
        parts = [int(x) for x in raw.split(",")]
        if len(parts) != 2:
            raise ValueError(f"expected two numbers like 1,5, got {raw!r}")
        return tuple(parts)
    if kind is bool:
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw.lower() in ("true", "1")
    if kind in (int, float):
        return kind(raw)  # ValueError names the bad text
    return raw


@dataclass
class Report:
    """Scores of a model on labeled texts."""

    labels: list[str]
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]  # rows: true label, columns: predicted, in ``labels`` order
    calibration_error: float  # expected calibration error of the top probability, 10 bins
    latency_median_ms: float
    latency_p99_ms: float
    n: int
    model_version: str = ""
    # 95% percentile-bootstrap interval of macro_f1 over the comments (``resampled_scores``)
    macro_f1_interval: tuple[float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def format(self) -> str:
        """Return the report as a readable plain-text table."""
        width = max(8, *(len(label) for label in self.labels))
        head = f"{'label':<{width}}  precision  recall     f1  support"
        lines = [f"model {self.model_version}, {self.n} comments", head, "-" * len(head)]
        for label in self.labels:
            lines.append(
                f"{label:<{width}}  {self.precision[label]:9.3f}  {self.recall[label]:6.3f}"
                f"  {self.f1[label]:5.3f}  {self.support[label]:7d}"
            )
        lines.append(f"{'macro F1':<{width}}  {'':9}  {'':6}  {self.macro_f1:5.3f}")
        if self.macro_f1_interval:
            low, high = self.macro_f1_interval
            lines.append(
                f"macro F1 95% interval {low:.3f}-{high:.3f} ({RESAMPLES:,} resamples of these"
                " comments: how far the score can move with the test set alone)"
            )
        lines.append(
            f"accuracy {self.accuracy:.3f}, calibration error {self.calibration_error:.3f}"
        )
        lines.append("")
        lines.append("confusion (rows: true, columns: predicted)")
        lines.append(" " * width + "".join(f"{label[:8]:>9}" for label in self.labels))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"{label:<{width}}" + "".join(f"{c:9d}" for c in row))
        lines.append("")
        lines.append(
            f"latency per comment (single calls): median {self.latency_median_ms:.3f} ms, "
            f"p99 {self.latency_p99_ms:.3f} ms"
        )
        return "\n".join(lines)


def measure_latency(model: TextModel, texts: Sequence[str], n: int = 2000) -> tuple[float, float]:
    """Return median and p99 milliseconds of single-comment ``probabilities`` calls."""
    if not texts or n <= 0:
        return 0.0, 0.0
    sample = [texts[i % len(texts)] for i in range(n)]
    timings = []
    clock = time.perf_counter
    for text in sample:
        start = clock()
        model.probabilities(text)
        timings.append((clock() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


# A score's 95% interval: the comments resampled with replacement this many times (a
# percentile bootstrap, seeded so that a report reads the same twice).
RESAMPLES, RESAMPLE_SEED = 1000, 0


def joint_cells(
    truth: Sequence[str], predictions: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of (truth, each model's guess), and how many comments hold each."""
    columns = [np.asarray(truth, dtype=str)] + [np.asarray(p, dtype=str) for p in predictions]
    cells, cell_of = np.unique(np.column_stack(columns), axis=0, return_inverse=True)
    return cells, np.bincount(cell_of.ravel(), minlength=len(cells))


def cell_scores(cells: np.ndarray, counts: np.ndarray, key: str | None = None) -> np.ndarray:
    """Each model's score for each row of ``counts`` (comments per cell of ``joint_cells``):
    F1 of class ``key``, or macro-F1 over the labels a row holds or a model guessed, as
    sklearn averages it. Shape (rows, models)."""
    scores = []
    for model in range(1, cells.shape[1]):
        labels = [key] if key else sorted(set(cells[:, 0]) | set(cells[:, model]))
        f1s, present = [], []
        for label in labels:
            actual, guessed = cells[:, 0] == label, cells[:, model] == label
            hits, both = counts @ (actual & guessed), counts @ actual + counts @ guessed
            f1s.append(np.divide(2 * hits, both, out=np.zeros(len(counts)), where=both > 0))
            present.append(both > 0)
        shown = np.maximum(np.sum(present, axis=0), 1)
        scores.append(np.sum(f1s, axis=0) / (1 if key else shown))
    return np.column_stack(scores)


def resampled_scores(
    truth: Sequence[str],
    predictions: Sequence[Sequence[str]],
    key: str | None = None,
    resamples: int = RESAMPLES,
    seed: int = RESAMPLE_SEED,
) -> np.ndarray:
    """Each model's score on bootstrap resamples of the comments, shape (resamples, models).
    Every model is scored on the same resamples, so differences between columns are paired.

    Drawing n comments with replacement is a multinomial draw of n over the cells of the
    joint table (truth, each model's guess), so only the cells' counts are drawn: the
    resamples cost the same for ten comments or a million (only the one tabulation grows).
    """
    cells, counts = joint_cells(truth, predictions)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(len(truth), counts / len(truth), size=resamples)
    return cell_scores(cells, draws, key)


def interval(values: np.ndarray) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles: a 95% percentile-bootstrap interval."""
    low, high = np.percentile(values, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def _calibration_error(proba: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    top = proba.max(axis=1)
    edges = np.minimum((top * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        mask = edges == b
        if mask.any():
            error += mask.mean() * abs(top[mask].mean() - correct[mask].mean())
    return float(error)


def evaluate_model(
    model: TextModel,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    latency_n: int = 2000,
    with_interval: bool = False,
) -> Report:
    """Score model on labeled texts: per-class P/R/F1, macro-F1 (with its 95% bootstrap
    interval if asked: what a report's users read; the benches' inner folds do without),
    confusion, latency."""
    proba = model.predict_proba_many(texts)
    predicted = [model.labels[i] for i in proba.argmax(axis=1)]
    names = list(model.labels) + sorted(set(labels) - set(model.labels))
    index = {label: i for i, label in enumerate(names)}
    confusion = np.zeros((len(names), len(names)), dtype=int)
    for truth, guess in zip(labels, predicted, strict=True):
        confusion[index[truth], index[guess]] += 1
    precision, recall, f1, support = {}, {}, {}, {}
    for i, label in enumerate(names):
        tp, col, row = confusion[i, i], confusion[:, i].sum(), confusion[i, :].sum()
        precision[label] = float(tp / col) if col else 0.0
        recall[label] = float(tp / row) if row else 0.0
        denom = precision[label] + recall[label]
        f1[label] = 2 * precision[label] * recall[label] / denom if denom else 0.0
        support[label] = int(row)
    present = [label for label in names if support[label] or confusion[:, index[label]].sum()]
    correct = np.array([t == p for t, p in zip(labels, predicted, strict=True)], dtype=float)
    median, p99 = measure_latency(model, texts, latency_n)
    return Report(
        labels=names,
        precision=precision,
        recall=recall,
        f1=f1,
        support=support,
        macro_f1=float(np.mean([f1[label] for label in present])) if present else 0.0,
        accuracy=float(correct.mean()) if len(correct) else 0.0,
        confusion=confusion.tolist(),
        calibration_error=_calibration_error(proba, correct) if len(correct) else 0.0,
        latency_median_ms=median,
        latency_p99_ms=p99,
        n=len(texts),
        model_version=model.version,
        macro_f1_interval=(
            interval(resampled_scores(labels, [predicted])[:, 0])
            if with_interval and len(texts)
            else None
        ),
    )


def stratified_split(
    texts: Sequence[str], labels: Sequence[str], holdout: float, seed: int = 0
) -> tuple[list[str], list[str], list[str], list[str]]:
    """Split rows into train and held-out parts, keeping each label's share."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    held: set[int] = set()
    for rows in by_label.values():
        rng.shuffle(rows)
        held.update(rows[: round(len(rows) * holdout)])
    train = [i for i in range(len(texts)) if i not in held]
    test = sorted(held)
    return (
        [texts[i] for i in train],
        [labels[i] for i in train],
        [texts[i] for i in test],
        [labels[i] for i in test],
    )


def train_from_csv(
    path: str | Path,
    text_column: str,
    label_column: str,
    *,
    label_map: Mapping[str, str] | None = None,
    dev_path: str | Path | None = None,
    holdout: float = 0.2,
    options: TrainOptions | None = None,
    seed: int = 0,
) -> tuple[TextModel, Report | None]:
    """Train on a CSV and report on --dev-csv, or on a held-out share of the rows."""
    texts, labels = read_labeled_csv(path, text_column, label_column, label_map)
    prefix = f"csv-{Path(path).stem}"
    if dev_path is not None:
        dev_texts, dev_labels = read_labeled_csv(dev_path, text_column, label_column, label_map)
        model = TextModel.train(texts, labels, options=options, version_prefix=prefix)
        return model, evaluate_model(model, dev_texts, dev_labels, with_interval=True)
    if holdout <= 0:
        return TextModel.train(texts, labels, options=options, version_prefix=prefix), None
    train_t, train_l, test_t, test_l = stratified_split(texts, labels, holdout, seed)
    model = TextModel.train(train_t, train_l, options=options, version_prefix=prefix)
    return model, evaluate_model(model, test_t, test_l, with_interval=True)


def build_default_model(out: str | Path = DEFAULT_MODEL_PATH) -> TextModel:
    """Train the default model on the seed corpus and write it into the package."""
    texts, labels = read_labeled_csv(SEED_CORPUS, "text", "label")
    model = TextModel.train(texts, labels, options=DEFAULT_OPTIONS, version_prefix="seed")
    model.save(out)
    return model


# A site's own model holds a share of its labels out for its report once it has this many.
SITE_HELD_OUT_FROM = 100
SITE_HELD_OUT_SHARE = 0.2


def train_site_model(
    texts: Sequence[str], labels: Sequence[str], version_prefix: str
) -> tuple[TextModel, dict[str, Any] | None]:
    """A site's own model: the seed corpus and the site's labelled comments, trained together.

    The seed keeps what a site has not labelled yet (betting adverts on a site that never
    saw one); the site's labels teach its own readers' ways. With SITE_HELD_OUT_FROM labels
    or more, a stratified fifth is held out first and both this model and the shipped one
    are scored on it, so the report says what retraining bought; the model returned is then
    trained on all of them.
    """
    seed_texts, seed_labels = read_labeled_csv(SEED_CORPUS, "text", "label")
    report = None
    if len(texts) >= SITE_HELD_OUT_FROM:
        train_t, train_l, test_t, test_l = stratified_split(texts, labels, SITE_HELD_OUT_SHARE)
        trial = TextModel.train(
            seed_texts + train_t, seed_labels + train_l, options=DEFAULT_OPTIONS
        )
        shipped = TextModel.load(DEFAULT_MODEL_PATH)
        report = {
            "held_out": len(test_t),
            "site_model": _summary(evaluate_model(trial, test_t, test_l, latency_n=0)),
            "shipped_model": _summary(evaluate_model(shipped, test_t, test_l, latency_n=0)),
            "gain_interval": gain_interval(test_t, test_l, trial, shipped),
        }
    model = TextModel.train(
        seed_texts + list(texts),
        seed_labels + list(labels),
        options=DEFAULT_OPTIONS,
        version_prefix=version_prefix,
    )
    return model, report


def gain_interval(
    texts: Sequence[str], labels: Sequence[str], model: TextModel, baseline: TextModel
) -> list[float]:
    """95% interval of model's macro-F1 minus baseline's over resamples of the same held-out
    comments (paired): with a site's few hundred labels, a held-out fifth is small, and the
    difference it shows can be luck; the settings page says how much."""
    both = resampled_scores(labels, [model.predict_many(texts), baseline.predict_many(texts)])
    return list(interval(both[:, 0] - both[:, 1]))


def _summary(report: Report) -> dict[str, Any]:
    return {
        "macro_f1": round(report.macro_f1, 4),
        "f1": {k: round(v, 4) for k, v in report.f1.items()},
    }


# The seed corpus is small; on a held-out quarter of it C=30 gave the lowest calibration
# error (0.03 against 0.10 at C=3) at the same macro-F1.
DEFAULT_OPTIONS = TrainOptions(C=30.0)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m workers.engine.training build-default``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["build-default"]:
        print("usage: python -m workers.engine.training build-default", file=sys.stderr)
        return 2
    model = build_default_model()
    size = DEFAULT_MODEL_PATH.stat().st_size
    print(f"wrote {DEFAULT_MODEL_PATH} ({size / 1e6:.2f} MB), version {model.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
