"""The engine on the longest comments the API takes, written to make regexes backtrack.

    python bench/long_comments.py [--random 250] [--seed 0]

A comment may hold 20,000 characters. A rule whose regex backtracks on some repeated
pattern turns one such comment into seconds of CPU, and a batch of them into a stalled
worker (the audit of 2026-11-27: 25 comments of "a-" x 10,000 took 3.4 s each and stopped
every decision). This prints the whole `evaluate()` time of named worst cases found so far
and of random repetitions of short tricky units, and the slowest of all. A figure, not a
test: timings belong to benches here, and the machine's speed moves them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.engine import default_model, evaluate  # noqa: E402
from workers.engine.types import CommentInput, Context  # noqa: E402

LIMIT = 20_000  # the API's longest body
NAMED = {  # each was seconds before session 22's fixes
    "a- (disguised-domain regex)": "a-",
    "ab- (disguised-domain regex)": "ab-",
    "0 9 1 2 (a number per word, each looked at whole)": "0 9 1 2 ",
    "0912345678 (many numbers)": "0912345678 ",
    "0.9.1.2. (digit runs)": "0.9.1.2.",
    ".09 (numbers inside numbers)": ".09",
    "zalo. (chat handles)": "zalo.",
}
UNITS = list("a9-. 0:/@_đ,w") + ["com", "vn", "zalo", "chấm", " . ", "http://", "www.", "lh"]
UNITS += ["ib", "09", "ba", "không"]


def timed(body: str) -> float:
    model = default_model()
    started = time.perf_counter()
    evaluate(CommentInput(body=body), Context(), model)
    return time.perf_counter() - started


def repeated(unit: str) -> str:
    return (unit * (LIMIT // len(unit) + 1))[:LIMIT]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=250, help="random units to try")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    timed("warm up")
    print(f"| body of {LIMIT:,} characters, repeating | evaluate(), ms |\n|---|---:|")
    for name, unit in NAMED.items():
        print(f"| {name} | {timed(repeated(unit)) * 1000:.0f} |")
    rng = random.Random(args.seed)
    tried = []
    for _ in range(args.random):
        unit = "".join(rng.choice(UNITS) for _ in range(rng.randint(1, 4)))
        tried.append((timed(repeated(unit)), unit))
    tried.sort(reverse=True)
    for seconds, unit in tried[:3]:
        print(f"| {unit!r} (random, among the slowest) | {seconds * 1000:.0f} |")
    print(f"random units tried: {args.random} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
