"""What the shipped engine decides, untrained, on comments nobody on this project wrote.

    python bench/default_engine.py [--datasets DIR] [--json]

The whole ``evaluate()`` (rules, the default model trained on the seed corpus only, the
policy at default thresholds) runs on every comment of the research datasets' dev splits
and of the three YouTube videos, each comment alone: no flood, duplicate or author history,
which in production catch more. The table shows, per true label, where the comments went:
published at once (approve, with its 95% interval), held for a moderator, or kept out
(spam, reject). Nothing is
trained here; it is the figure a site gets on its first day, before any moderator decision.
Datasets: ``--datasets``, ``$DUYET_DATASETS``, or ``../shared/datasets`` next to the
repository.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scipy.stats import binomtest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.engine_datasets import (  # noqa: E402
    YOUTUBE,
    parse_datasets_args,
    video_page_urls,
    youtube_text,
)
from workers.engine import ScoringModel, default_model, evaluate  # noqa: E402
from workers.engine.training import read_labeled_csv  # noqa: E402
from workers.engine.types import CommentInput, Context, Verdict  # noqa: E402

VERDICTS = (Verdict.APPROVE, Verdict.HOLD, Verdict.SPAM, Verdict.REJECT)


@dataclass(frozen=True)
class Corpus:
    """Labeled comments of one source, with the page they were posted on (if known)."""

    name: str
    texts: list[str]
    labels: list[str]
    label_names: dict[str, str]  # the CSV's label -> what it means
    page_urls: tuple[str, ...] = ()


def corpora(root: Path) -> Iterator[Corpus]:
    """The dev splits, then each YouTube video as a whole (none was trained on here)."""
    texts, labels = read_labeled_csv(root / "vihsd" / "dev.csv", "free_text", "label_id")
    yield Corpus("ViHSD dev", texts, labels, {"0": "clean", "1": "offensive", "2": "hate"})
    texts, labels = read_labeled_csv(root / "vispamreviews" / "dev.csv", "Comment", "Label")
    yield Corpus("ViSpamReviews dev", texts, labels, {"0": "not spam", "1": "spam"})
    for video in YOUTUBE:
        texts, labels = read_labeled_csv(root / "youtube-spam" / f"{video}.csv", "CONTENT", "CLASS")
        texts = [youtube_text(t) for t in texts]
        names = {"0": "ham", "1": "spam"}
        yield Corpus(f"YouTube {video[:2]}", texts, labels, names, video_page_urls(video))


def outcomes(corpus: Corpus, model: ScoringModel | None = None) -> dict[str, Counter[str]]:
    """Count the engine's verdicts per true label (the shipped model unless told)."""
    model = model or default_model()
    context = Context(page_urls=corpus.page_urls)
    counts: dict[str, Counter[str]] = {label: Counter() for label in corpus.label_names}
    for text, label in zip(corpus.texts, corpus.labels, strict=True):
        decision = evaluate(CommentInput(body=text), context, model)
        counts[label][decision.verdict.value] += 1
    return counts


def share_interval(share: int, total: int) -> list[float]:
    """95% interval of a share (``share`` of ``total`` comments, the published ones say), in
    percent (Wilson's, for a proportion): how far it could move with another sample of this
    size from the same source."""
    if not total:
        return [0.0, 0.0]
    ci = binomtest(share, total).proportion_ci(confidence_level=0.95, method="wilson")
    return [round(100 * float(ci.low), 1), round(100 * float(ci.high), 1)]


def rows(corpus: Corpus, counts: dict[str, Counter[str]]) -> list[dict[str, object]]:
    """One row per true label: how many, the share of each verdict in percent, and the
    published share's 95% interval."""
    out = []
    for label, meaning in corpus.label_names.items():
        total = sum(counts[label].values())
        shares = {v.value: round(100 * counts[label][v.value] / max(total, 1), 1) for v in VERDICTS}
        published = share_interval(counts[label][Verdict.APPROVE.value], total)
        out.append(
            {"source": corpus.name, "label": meaning, "n": total, **shares, "approve_95": published}
        )
    return out


def table(all_rows: list[dict[str, Any]]) -> str:
    head = "| source | true label | n | approve % [95%] | hold % | spam % | reject % |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    for r in all_rows:
        low, high = r["approve_95"]
        shares = " | ".join(f"{r[v.value]:.1f}" for v in VERDICTS[1:])
        published = f"{r[Verdict.APPROVE.value]:.1f} [{low:.1f}, {high:.1f}]"
        lines.append(f"| {r['source']} | {r['label']} | {r['n']:,} | {published} | {shares} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    root, args = parse_datasets_args(__doc__ or "", "vihsd/dev.csv", argv)
    if root is None:
        return 2
    started = time.perf_counter()
    all_rows = [row for corpus in corpora(root) for row in rows(corpus, outcomes(corpus))]
    model = default_model()
    print(f"engine: default model {model.version if model else 'none'}, default thresholds")
    print(table(all_rows))
    print(f"seconds: {time.perf_counter() - started:.1f}")
    if args.json:
        print(json.dumps(all_rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
