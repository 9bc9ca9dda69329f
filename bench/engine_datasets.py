"""Benchmark the text classifier on the shared research datasets and print one table.

    python bench/engine_datasets.py [--datasets DIR] [--json]

Trains on each dataset's train split with ``TrainOptions`` chosen by cross-validation on
train data, never by dev (ViSpamReviews adds the raw blocks and an NB-LR blend), reports on
dev, then again with the diacritics stripped from the test text, beside what scikit-learn's
plain TF-IDF + logistic regression reaches on the same split (a reference, never a
selector), each with a 95% interval over resampled test comments; YouTube trains on two
videos and tests on the third, in all three rotations, with ``C``, the shape-feature weight
and the raw blocks picked by the two training videos alone. Models trained here are thrown
away: they are research measurements, never the shipped default. Datasets: ``--datasets``,
``$DUYET_DATASETS``, or ``../shared/datasets`` next to the repository.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.behaviour import NEAR  # noqa: E402
from workers.engine import evaluate  # noqa: E402
from workers.engine.classifier import TextModel, TrainOptions, load_default_model  # noqa: E402
from workers.engine.fingerprint import fingerprint, similarity  # noqa: E402
from workers.engine.rules.links import drop_page_links  # noqa: E402
from workers.engine.training import (  # noqa: E402
    evaluate_model,
    interval,
    measure_latency,
    read_labeled_csv,
    resampled_scores,
    strip_diacritics,
)
from workers.engine.types import CommentInput, Context  # noqa: E402

DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
YOUTUBE = ["01-9bZkp7q19f0", "04-CevxZvSJLk8", "07-KQ6zr6kCPj8"]
# Per rotation, (raw blocks, shape_weight, C) is picked from this grid by the two training
# videos alone (cross-validation over the pair, ``choose_options``); the held-out video
# never votes.
# Simpler settings come first, so they win ties. (Shape weight 0 and C=3 never won an
# inner comparison in the wider exploratory grid, docs/engine.md, and are left out.)
YOUTUBE_GRID = [
    (raw, w, c)
    for raw in (False, True)
    for w in (0.3, 0.5, 1.0)
    for c in (10.0, 30.0, 100.0, 300.0, 1000.0)
]
# The inner protocol: 5-fold CV over the two training videos, once per seed, the folds
# stratified and grouped by campaign (``campaign_groups``).
INNER_FOLDS, INNER_SEEDS = 5, (0, 1, 2)
RAW = {"raw_char_ngrams": (1, 5), "raw_token_ngrams": (1, 2)}
# ViSpamReviews adds the raw blocks: +0.3 point of macro-F1 in 3-fold CV on its train split
# (docs/engine.md); a min_df on them costs nothing there and keeps the model small. It also
# blends in an NB-LR at weight 0.75 (+0.2 point in the same CV, better in every fold; still
# one linear model). ViHSD keeps the defaults: on a held-out third of its train split the
# raw blocks at min_df 2 lost. YouTube's inner comparisons never picked the NB blend.
# Boosted trees blended in at 0.4 (workers/engine/trees.py): 0.848 -> 0.856 in the same CV,
# better in every fold (weights 0.25 / 0.4 / 0.5 gave 0.8554 / 0.8560 / 0.8557).
# raw_min_df 5 since session 9: 30% fewer n-grams, CV 0.8563 against 0.8560 at 2.
VISPAM_OPTIONS = TrainOptions(**RAW, raw_min_df=5, nb_blend=0.75, tree_blend=0.4)


def plain_predictions(train: tuple[list[str], list[str]], texts: list[str]) -> np.ndarray:
    """Predict with scikit-learn's plain TF-IDF + logistic regression, both at their defaults.

    The issue's floors are "about what a plain TF-IDF + logistic regression reaches"; this
    is that model, printed beside the engine's score as a reference. It never selects a
    setting (docs/engine.md, twenty-sixth round).
    """
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    return model.fit(*train).predict(texts)


def score_of(labels: Any, predicted: Any, key: str | None = None) -> float:
    """A row's metric: the F1 of class ``key``, or macro-F1 without one."""
    if key:
        return float(f1_score(labels, predicted, labels=[key], average="macro"))
    return float(f1_score(labels, predicted, average="macro"))


def bootstrap_intervals(
    labels: list[str], engine: Any, plain: Any, key: str | None = None
) -> dict[str, list[float]]:
    """95% percentile intervals of the engine's score, the plain model's, and the engine's
    lead over it, over resamples of the test comments (docs/engine.md, twenty-seventh round).

    The models stay fixed: this is the test set's sampling error, not the training data's.
    Both models are scored on the same resamples, so the lead's interval is a paired one.
    """
    draws = resampled_scores(labels, [engine, plain], key)
    ours, theirs = draws[:, 0], draws[:, 1]
    spans = {"score": ours, "plain": theirs, "lead": ours - theirs}
    return {name: list(interval(values)) for name, values in spans.items()}


def _row(name: str, metric: str, floor: float, model: TextModel, train, texts, labels, key=None):
    report = evaluate_model(model, texts, labels, latency_n=0)
    stripped = evaluate_model(model, [strip_diacritics(t) for t in texts], labels, latency_n=0)
    value = report.f1[key] if key else report.macro_f1
    value_stripped = stripped.f1[key] if key else stripped.macro_f1
    plain = plain_predictions(train, texts)
    return {
        "dataset": name,
        "metric": metric,
        "floor": floor,
        "score": round(value, 4),
        "stripped": round(value_stripped, 4),
        "loss_points": round(100 * (value - value_stripped), 2),
        "plain": round(score_of(labels, plain, key), 4),
        "intervals": bootstrap_intervals(labels, model.predict_many(texts), plain, key),
        "n_test": len(texts),
    }


def bench_vispam(root: Path) -> tuple[dict, TextModel]:
    train = read_labeled_csv(root / "vispamreviews" / "train.csv", "Comment", "Label")
    dev = read_labeled_csv(root / "vispamreviews" / "dev.csv", "Comment", "Label")
    model = TextModel.train(*train, options=VISPAM_OPTIONS, version_prefix="vispam")
    return _row("ViSpamReviews dev", "binary macro-F1", 0.85, model, train, *dev), model


def bench_vihsd(root: Path) -> tuple[dict, TextModel]:
    train = read_labeled_csv(root / "vihsd" / "train.csv", "free_text", "label_id")
    dev = read_labeled_csv(root / "vihsd" / "dev.csv", "free_text", "label_id")
    model = TextModel.train(*train, version_prefix="vihsd")
    return _row("ViHSD dev", "3-class macro-F1", 0.65, model, train, *dev), model


def youtube_text(text: str) -> str:
    """Return a YouTube comment as a reader saw it: the CSV keeps HTML escapes and tags."""
    return re.sub(r"<[^>]+>", " ", html.unescape(text)).replace("\ufeff", "")


def video_page_urls(video: str) -> tuple[str, str]:
    """The two addresses of a video's page ("04-CevxZvSJLk8": long and share-button form)."""
    video_id = video.split("-", 1)[1]
    return f"https://www.youtube.com/watch?v={video_id}", f"https://youtu.be/{video_id}"


class Video(NamedTuple):
    """One video's comments, labels and authors (the authors only group the inner folds)."""

    texts: list[str]
    labels: list[str]
    authors: list[str]


def read_video(root: Path, video: str) -> Video:
    """One video's comments as the engine scores them: unescaped, links to the video blanked.

    The engine blanks links back to the page a comment sits on (``Context.page_urls``)
    before the classifier sees the text; training text gets the same treatment here.
    """
    path = root / "youtube-spam" / f"{video}.csv"
    texts, labels = read_labeled_csv(path, "CONTENT", "CLASS")
    with open(path, newline="", encoding="utf-8-sig") as f:
        # the rows read_labeled_csv keeps: those with text
        authors = [r["AUTHOR"] for r in csv.DictReader(f) if (r["CONTENT"] or "").strip()]
    pages = video_page_urls(video)
    return Video([drop_page_links(youtube_text(t), pages) for t in texts], labels, authors)


def campaign_groups(texts: list[str], authors: list[str]) -> np.ndarray:
    """Number each comment's campaign: one author's comments, and the texts the engine calls
    near-identical (``similarity >= NEAR``, transitively), share a number.

    The inner folds keep a campaign whole; split, its scored comments would have their
    twins in the training folds, and the judge would be optimistic (docs/engine.md,
    eighteenth look and twenty-first round). An empty author groups nothing.
    """
    first_of_author: dict[str, int] = {}
    edges = [(i, first_of_author.setdefault(a, i)) for i, a in enumerate(authors) if a.strip()]
    prints = [fingerprint(t) for t in texts]
    edges += [
        (i, j)
        for i in range(len(texts))
        for j in range(i)
        if prints[i] and similarity(prints[i], prints[j]) >= NEAR
    ]
    rows, cols = zip(*edges, strict=True) if edges else ((), ())
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts),) * 2)
    return connected_components(graph, directed=False)[1]


def youtube_options(raw: bool, shape_weight: float, c: float) -> dict[str, Any]:
    """Return the TrainOptions overrides of one grid point."""
    return {"C": c, "shape_weight": shape_weight, **(RAW if raw else {})}


def _inner_score(
    point: tuple[bool, float, float], texts: list[str], labels: list[str], folds: list[Any]
) -> float:
    """Mean spam F1 of one grid point over the inner folds."""
    f1s = []
    for train_rows, test_rows in folds:
        train = ([texts[i] for i in train_rows], [labels[i] for i in train_rows])
        model = TextModel.train(*train, **youtube_options(*point))
        held = ([texts[i] for i in test_rows], [labels[i] for i in test_rows])
        f1s.append(evaluate_model(model, *held, latency_n=0).f1["1"])
    return statistics.mean(f1s)


def choose_options(
    videos: dict[str, Video], names: list[str]
) -> tuple[tuple[bool, float, float], float]:
    """Pick (raw blocks, shape_weight, C) and return it with its mean inner spam F1.

    Repeated 5-fold CV over the two training videos pooled, as the final model trains on
    them (docs/engine.md, seventh round), each campaign kept in one fold (twenty-first
    round); the held-out video never votes.
    """
    texts = [t for v in names for t in videos[v].texts]
    labels = [lab for v in names for lab in videos[v].labels]
    groups = campaign_groups(texts, [a for v in names for a in videos[v].authors])
    folds = [
        fold
        for seed in INNER_SEEDS
        for fold in StratifiedGroupKFold(INNER_FOLDS, shuffle=True, random_state=seed).split(
            texts, labels, groups
        )
    ]
    # Grid points are independent: score them on every core (each fit is single-threaded).
    inner = Parallel(n_jobs=-1)(
        delayed(_inner_score)(point, texts, labels, folds) for point in YOUTUBE_GRID
    )
    scores = dict(zip(YOUTUBE_GRID, inner, strict=True))
    best = max(scores, key=scores.__getitem__)  # first of equals: the simpler setting
    return best, scores[best]


def bench_youtube(root: Path) -> tuple[list[dict], TextModel]:
    videos = {v: read_video(root, v) for v in YOUTUBE}
    rows = []
    for test in YOUTUBE:
        train = [v for v in YOUTUBE if v != test]
        (raw, w, c), inner = choose_options(videos, train)
        texts = [t for v in train for t in videos[v].texts]
        labels = [lab for v in train for lab in videos[v].labels]
        options = youtube_options(raw, w, c)
        model = TextModel.train(texts, labels, version_prefix="youtube", **options)
        name = f"YouTube test {test[:2]}"
        metric = f"spam F1 (C={c:g}, shape {w:g}{', raw' if raw else ''})"
        held_out = videos[test]
        row = _row(
            name, metric, 0.93, model, (texts, labels), held_out.texts, held_out.labels, key="1"
        )
        rows.append({**row, "inner": inner})
    return rows, model


def resident_mb(model_path: Path, sample: list[str]) -> float:
    """Return VmRSS (MB) of a fresh process that loaded model_path and scored comments."""
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "from workers.engine.classifier import TextModel;"
        "m = TextModel.load(sys.argv[2]);"
        "[m.probabilities(t) for t in json.loads(sys.stdin.read())];"
        "print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(model_path)],
        input=json.dumps(sample),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip()) / 1024


def engine_latency(texts: list[str], model: TextModel | None) -> tuple[float, float]:
    """Return median and p99 ms of the whole ``evaluate`` (normalize, rules, classifier)."""
    context = Context()
    timings = []
    for text in texts:
        start = time.perf_counter()
        evaluate(CommentInput(body=text), context, model)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99)]


def parse_datasets_args(
    doc: str,
    needed: str,
    argv: list[str] | None,
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> tuple[Path | None, argparse.Namespace]:
    """Parse ``--datasets DIR``, ``--json`` and the arguments ``more`` adds; the root is None
    (said on stderr) if the file ``needed`` (e.g. "vihsd/train.csv") is not under it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=os.environ.get("DUYET_DATASETS"))
    parser.add_argument("--json", action="store_true")
    if more is not None:
        more(parser)
    args = parser.parse_args(argv)
    root = Path(args.datasets) if args.datasets else DEFAULT_DATASETS
    if not (root / needed).exists():
        print(f"datasets not found under {root}; pass --datasets DIR", file=sys.stderr)
        return None, args
    return root, args


def _span(interval: list[float], points: bool = False) -> str:
    low, high = interval
    return f"[{100 * low:+.1f}, {100 * high:+.1f}]" if points else f"[{low:.3f}, {high:.3f}]"


def print_scores(rows: list[dict]) -> None:
    """The rows as a table; in brackets, 95% intervals over resampled test comments."""
    print(
        f"{'dataset':<20} {'metric':<36} {'floor':>5} {'score':>6} {'95% interval':>16}"
        f" {'no accents':>10} {'loss':>6}  {'plain':>5} {'lead, points':>22}"
    )
    for r in rows:
        ok = "ok" if r["score"] >= r["floor"] and r["loss_points"] <= 3 else "BELOW"
        lead = 100 * (r["score"] - r["plain"])
        print(
            f"{r['dataset']:<20} {r['metric']:<36} {r['floor']:5.2f} {r['score']:6.3f}"
            f" {_span(r['intervals']['score']):>16} {r['stripped']:10.3f}"
            f" {r['loss_points']:5.1f}p  {r['plain']:5.3f}"
            f" {lead:+5.1f} {_span(r['intervals']['lead'], points=True):>16}  {ok}"
            + (f"  (inner CV {r['inner']:.4f})" if "inner" in r else "")
        )


def main(argv: list[str] | None = None) -> int:
    root, args = parse_datasets_args(__doc__ or "", "vihsd/train.csv", argv)
    if root is None:
        return 2
    started = time.perf_counter()
    spam_row, spam_model = bench_vispam(root)
    hsd_row, hsd_model = bench_vihsd(root)
    youtube_rows, youtube_model = bench_youtube(root)
    rows = [spam_row, hsd_row, *youtube_rows]

    dev_texts = read_labeled_csv(root / "vihsd" / "dev.csv", "free_text", "label_id")[0]
    sample = list(dict.fromkeys(dev_texts))[:2000]  # distinct comments: no cache hits
    clf_median, clf_p99 = measure_latency(hsd_model, [t + " ." for t in sample], 2000)
    eng_median, eng_p99 = engine_latency([t + " .." for t in sample], hsd_model)
    seed_median, seed_p99 = measure_latency(load_default_model(), [t + " ..." for t in sample])
    raw_median, raw_p99 = engine_latency([t + " ...." for t in sample], spam_model)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vihsd.joblib"
        hsd_model.save(path)
        size_mb = path.stat().st_size / 1e6
        rss = resident_mb(path, sample[:200])
        spam_model.save(path)
        raw_rss = resident_mb(path, sample[:200])
        youtube_model.save(path)
        youtube_rss = resident_mb(path, sample[:200])
    perf = {
        "classifier_median_ms": round(clf_median, 3),
        "classifier_p99_ms": round(clf_p99, 3),
        "engine_median_ms": round(eng_median, 3),
        "engine_p99_ms": round(eng_p99, 3),
        "default_model_median_ms": round(seed_median, 3),
        "default_model_p99_ms": round(seed_p99, 3),
        "engine_vispam_raw_median_ms": round(raw_median, 3),
        "engine_vispam_raw_p99_ms": round(raw_p99, 3),
        "rss_mb_vihsd_model": round(rss, 1),
        "rss_mb_vispam_raw_model": round(raw_rss, 1),
        "rss_mb_youtube_model": round(youtube_rss, 1),
        "vihsd_model_file_mb": round(size_mb, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps({"rows": rows, "performance": perf}, indent=2))
        return 0
    print_scores(rows)
    print()
    print(
        f"classifier, one comment (ViHSD model, 2,000 ViHSD dev comments): median "
        f"{clf_median:.3f} ms, p99 {clf_p99:.3f} ms"
    )
    print(
        f"whole engine evaluate(), same comments: median {eng_median:.3f} ms, p99 {eng_p99:.3f} ms"
    )
    print(f"default seed model, same comments: median {seed_median:.3f} ms, p99 {seed_p99:.3f} ms")
    print(
        f"whole engine with the ViSpamReviews model (raw blocks, blends), same comments: median "
        f"{raw_median:.3f} ms, p99 {raw_p99:.3f} ms; resident memory {raw_rss:.0f} MB"
    )
    print(
        f"resident memory with the ViHSD model loaded: {rss:.0f} MB (model file {size_mb:.1f} MB);"
        f" with the last YouTube model: {youtube_rss:.0f} MB"
    )
    print(f"total {perf['total_seconds']} s on {perf['cpus']} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
