"""What a site's own model learns from its moderators' labels, label count by label count.

    python bench/site_learning.py [--datasets DIR] [--json] [--counts 0,250,1000,4000]

A site starts with the shipped model (seed corpus only). Every `DUYET_SITE_RETRAIN_EVERY`
labels its workers retrain its own model on the seed corpus and all of its labels
(`workers.engine.training.train_site_model`, the function the workers call). Here the
site's "moderators" are the research datasets' train splits, labelled in a shuffled order
(seed 0), and each model is judged on the dev split the way the site would live with it:
the whole `evaluate()` per comment at default thresholds (what share of the clean comments
is published at once, what share of the offensive, hateful or spam ones is kept from
publication) and the ROC AUC of the classifier's abuse (or spam) probability, clean
against the rest. ViHSD's labels map to ham / abuse, ViSpamReviews' to ham / spam.

Every figure carries its 95% interval: the shares Wilson's (for a proportion), the AUC a
bootstrap over the dev comments (1,000 seeded resamples), and beside it the AUC's gain over
the shipped model, paired on the same resamples, so "the labels helped" can be told from
"this dev split happened to favour them".

Real moderators label what the engine held, not a random sample. So a second table runs
that loop itself: the site's comments arrive in the same shuffled order, the current model
decides each (the whole `evaluate()`), the moderators label only the held ones, and every
RETRAIN_EVERY labels the site's model is retrained, as the workers do. Its rows show how
many comments had gone by for that many labels.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.default_engine import Corpus, outcomes, share_interval  # noqa: E402
from bench.engine_datasets import parse_datasets_args  # noqa: E402
from service.settings import Settings  # noqa: E402
from workers.engine import default_model, evaluate  # noqa: E402
from workers.engine.classifier import TextModel  # noqa: E402
from workers.engine.training import (  # noqa: E402
    RESAMPLE_SEED,
    RESAMPLES,
    interval,
    read_labeled_csv,
    train_site_model,
)
from workers.engine.types import CommentInput, Context, Verdict  # noqa: E402

COUNTS = (0, 250, 1000, 4000)
RETRAIN_EVERY = Settings().site_retrain_every  # the workers' default cadence
# (name, directory, text column, label column, what each label means, the label a site's
# moderators would give, the classifier label whose probability ranks the bad ones)
SOURCES = (
    ("ViHSD", "vihsd", "free_text", "label_id",
     {"0": "clean", "1": "offensive", "2": "hate"}, {"0": "ham", "1": "abuse", "2": "abuse"},
     "abuse"),
    ("ViSpamReviews", "vispamreviews", "Comment", "Label",
     {"0": "not spam", "1": "spam"}, {"0": "ham", "1": "spam"}, "spam"),
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    """A dataset playing a site: its comments in arrival order (train, shuffled with seed 0)
    with the label a moderator would give each, and the comments that follow (dev)."""

    name: str
    stream: list[tuple[str, str]]
    dev: Corpus
    ranked: str  # the classifier label whose probability ranks the bad comments
    bad: np.ndarray  # per dev comment: not clean
    resamples: np.ndarray  # (RESAMPLES, dev size): how often each comment is drawn
    shipped_auc: float  # the shipped model's, and on each resample (for paired gains)
    shipped_resampled: np.ndarray


def ranked_scores(model: TextModel, texts: list[str], ranked: str) -> np.ndarray:
    """The model's probability of the ``ranked`` label for each text."""
    return model.predict_proba_many(texts)[:, model.labels.index(ranked)]


def resampled_auc(bad: np.ndarray, scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """ROC AUC of ``scores`` (bad against the rest) under each row of ``weights`` (how often
    each comment was drawn), all rows at once: the Mann-Whitney count, with ties counted
    half, over the comments sorted once. Equal to sklearn's ``roc_auc_score`` with
    ``sample_weight``, a thousand of which take 2 s per row of the table (this, 0.1 s), and
    NaN, not an error, for a resample that drew only one kind of comment."""
    order = np.argsort(scores, kind="stable")
    ranked = scores[order]
    tie_starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    drawn = weights[:, order].astype(float)
    positive = np.add.reduceat(drawn * bad[order], tie_starts, axis=1)
    negative = np.add.reduceat(drawn * ~bad[order], tie_starts, axis=1)
    below = np.cumsum(negative, axis=1) - negative
    pairs = positive.sum(axis=1) * negative.sum(axis=1)
    won = (positive * (below + negative / 2)).sum(axis=1)
    return np.divide(won, pairs, out=np.full(len(weights), np.nan), where=pairs > 0)


def sites(root: Path) -> Iterator[Site]:
    for name, folder, text_col, label_col, meanings, site_label, ranked in SOURCES:
        train_t, train_l = read_labeled_csv(root / folder / "train.csv", text_col, label_col)
        dev_t, dev_l = read_labeled_csv(root / folder / "dev.csv", text_col, label_col)
        stream = [(text, site_label[label]) for text, label in zip(train_t, train_l, strict=True)]
        random.Random(0).shuffle(stream)
        dev = Corpus(f"{name} dev", dev_t, dev_l, meanings)
        bad = np.array([label != next(iter(meanings)) for label in dev_l])  # "0" is clean
        rng = np.random.default_rng(RESAMPLE_SEED)
        draws = rng.multinomial(len(dev_t), np.full(len(dev_t), 1 / len(dev_t)), size=RESAMPLES)
        shipped = ranked_scores(default_model(), dev_t, ranked)
        auc = float(roc_auc_score(bad, shipped))
        yield Site(name, stream, dev, ranked, bad, draws, auc, resampled_auc(bad, shipped, draws))


def learning_curve(root: Path, counts: tuple[int, ...]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for site in sites(root):
        for count in counts:
            texts = [text for text, _ in site.stream[:count]]
            labels = [label for _, label in site.stream[:count]]
            started = time.perf_counter()
            model = train_site_model(texts, labels, "site")[0] if count else default_model()
            seconds = time.perf_counter() - started
            rows.append(_row(site, count, model, seconds))
    return rows


def held_only_loop(root: Path, counts: tuple[int, ...]) -> list[dict[str, object]]:
    """Labels come only from what the current model held; retrain every RETRAIN_EVERY.

    A row at each retrain that reaches one of `counts`, and at the last retrain if the
    comments ran out first.
    """
    rows: list[dict[str, object]] = []
    for site in sites(root):
        model: TextModel = default_model()
        rows.append({**_row(site, 0, model, 0.0), "comments seen": 0})
        texts: list[str] = []
        labels: list[str] = []
        checkpoints = sorted(c for c in counts if c > 0)
        last_row: dict[str, object] | None = None
        for seen, (text, label) in enumerate(site.stream, start=1):
            if evaluate(CommentInput(body=text), Context(), model).verdict != Verdict.HOLD:
                continue
            texts.append(text)
            labels.append(label)
            if len(texts) % RETRAIN_EVERY:
                continue
            started = time.perf_counter()
            model = train_site_model(texts, labels, "site")[0]
            row = _row(site, len(texts), model, time.perf_counter() - started)
            last_row = {**row, "comments seen": seen}
            if checkpoints and len(texts) >= checkpoints[0]:
                rows.append(last_row)
                checkpoints = [c for c in checkpoints if c > len(texts)]
                if not checkpoints:
                    break
        if last_row is not None and rows[-1] is not last_row:  # the comments ran out
            rows.append(last_row)
    return rows


def _row(site: Site, count: int, model: TextModel, seconds: float) -> dict[str, object]:
    """A model's figures on the site's dev split; a key ending in " 95%" holds the 95%
    interval of the key before it."""
    dev = site.dev
    scores = ranked_scores(model, dev.texts, site.ranked)
    auc = float(roc_auc_score(site.bad, scores))
    resampled = resampled_auc(site.bad, scores, site.resamples)
    row: dict[str, object] = {
        "dataset": site.name,
        "labels": count,
        "auc": round(auc, 4),
        "auc 95%": list(interval(resampled)),
        "auc gain": round(auc - site.shipped_auc, 4),
        "auc gain 95%": list(interval(resampled - site.shipped_resampled)),
    }
    counts = outcomes(dev, model)
    clean = next(iter(dev.label_names))  # "0": the clean label comes first
    for label, meaning in dev.label_names.items():
        total = sum(counts[label].values())
        if not total:  # a label the dev split does not use
            continue
        approved = counts[label]["approve"]
        share, name = (approved, f"{meaning} approved %") if label == clean else (
            total - approved, f"{meaning} kept %")  # fmt: skip
        row[name] = round(100 * share / total, 1)
        row[f"{name} 95%"] = share_interval(share, total)
    return {**row, "train_seconds": round(seconds, 1)}


def table(rows: list[dict[str, object]]) -> str:
    """One Markdown table per dataset: a row per label count."""
    lines = []
    for name in dict.fromkeys(str(r["dataset"]) for r in rows):
        mine = [r for r in rows if r["dataset"] == name]
        columns = [k for k in mine[0] if k != "dataset" and not k.endswith(" 95%")]
        lines += [
            "",
            f"{name} dev",
            "| " + " | ".join(_heading(mine[0], c) for c in columns) + " |",
            "|" + "---:|" * len(columns),
        ]
        for r in mine:
            lines.append("| " + " | ".join(_cell(r, c) for c in columns) + " |")
    return "\n".join(lines)


def _heading(row: dict[str, object], column: str) -> str:
    return f"{column} [95%]" if f"{column} 95%" in row else column


def _cell(row: dict[str, object], column: str) -> str:
    value = row[column]
    if isinstance(value, int):
        return f"{value:,}"
    span = row.get(f"{column} 95%")
    if not isinstance(span, list):
        return str(value)
    digits = 1 if column.endswith("%") else 3
    sign = "+" if column == "auc gain" else ""
    low, high = (f"{v:{sign}.{digits}f}" for v in span)
    return f"{value:{sign}.{digits}f} [{low}, {high}]"


def main(argv: list[str] | None = None) -> int:
    root, args = parse_datasets_args(__doc__ or "", "vihsd/train.csv", argv, _more_arguments)
    if root is None:
        return 2
    counts = tuple(int(c) for c in args.counts.split(","))
    started = time.perf_counter()
    rows = learning_curve(root, counts)
    print(f"shipped model {default_model().version}; a site's model = seed corpus + N labels")
    print("\nLabels from a random sample of the comments:")
    print(table(rows))
    loop = held_only_loop(root, counts)
    print(f"\nLabels only from what the current model held, retrained every {RETRAIN_EVERY}:")
    print(table(loop))
    print(f"seconds: {time.perf_counter() - started:.0f}")
    if args.json:
        print(json.dumps({"random": rows, "held_only": loop}, indent=2, ensure_ascii=False))
    return 0


def _more_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)), help="labels per model")


if __name__ == "__main__":
    sys.exit(main())
