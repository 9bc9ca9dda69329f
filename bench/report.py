"""The one table the benchmark prints: each figure, its target from issue 6, met or not."""

from __future__ import annotations

import math


def _ok(met: bool) -> str:
    return "yes" if met else "**no**"


def _n(value: float, digits: int = 0) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def table(backend: str, f: dict[str, float], rss: dict[str, float], large: int) -> str:
    """Render the figures as a Markdown table."""
    g = lambda key: f.get(key, float("nan"))  # noqa: E731
    # The ratio divides by the faster of the two pings: the service's 16 threads a worker
    # must not earn a better ratio by slowing the reference down.
    reference = max(g("ping_rps"), g("ping_issue_rps")) if "ping_issue_rps" in f else g("ping_rps")
    ping_ratio = _ratio(g("intake_rps"), reference)
    rq_ratio = _ratio(g("small_dps"), g("reference_dps"))
    # Growth compares the growth phase's own rounds, taken in turns on two stores; not the
    # intake phase minutes earlier, whose host may have run at another speed.
    intake_growth = _ratio(g("growth_large_intake_rps"), g("growth_small_intake_rps"))
    decide_growth = _ratio(g("growth_large_dps"), g("growth_small_dps"))
    sizes = f"{_n(g('large_stored'))} vs {_n(g('growth_small_stored'))} stored"
    rows = [
        (
            "bare Flask ping, req/s (same gunicorn 2x16): before / after intake, mean",
            f"{_n(g('ping_before_rps'))} / {_n(g('ping_after_rps'))}, {_n(g('ping_rps'))}",
            "reference",
            "",
        ),
        (
            "bare Flask ping under the issue's gthread 2x8, req/s",
            _n(g("ping_issue_rps")),
            "reference",
            "",
        ),
        (
            "intake: accepted comments/s (32 conn)",
            _n(g("intake_rps")),
            ">= 2,000",
            _ok(g("intake_rps") >= 2000),
        ),
        (
            "intake / ping (the faster of the two)",
            _n(ping_ratio, 2),
            ">= 0.25",
            _ok(ping_ratio >= 0.25),
        ),
        (
            "intake latency p50 / p99, ms",
            f"{_n(g('intake_p50'), 1)} / {_n(g('intake_p99'), 1)}",
            "p99 <= 50",
            _ok(g("intake_p99") <= 50),
        ),
        ("intake errors (non-2xx, socket)", _n(g("intake_errors")), "0",
         _ok(g("intake_errors") == 0)),
        ("decisions/s, 2 duyet workers", _n(g("small_dps")), ">= 1,000",
         _ok(g("small_dps") >= 1000)),
        ("decisions/s, 2 RQ forking Workers", _n(g("reference_dps"), 1), "reference", ""),
        ("duyet workers / forking Worker", _n(rq_ratio, 1), ">= 15", _ok(rq_ratio >= 15)),
        (
            f"submit-to-decision p50 / p99, ms (at {_n(g('latency_offered'))}/s)",
            f"{_n(g('latency_p50'), 1)} / {_n(g('latency_p99'), 1)}",
            "<= 20 / <= 100",
            _ok(g("latency_p50") <= 20 and g("latency_p99") <= 100),
        ),
        (
            "read path req/s, p99 ms (5,000 approved)",
            f"{_n(g('read_rps'))}, {_n(g('read_p99'), 1)}",
            ">= 3,000, <= 30",
            _ok(g("read_rps") >= 3000 and g("read_p99") <= 30),
        ),
        (
            "read path / ping (the issue's machine: 3,000 of 8,100 = 0.37)",
            _n(_ratio(g("read_rps"), g("ping_rps")), 2),
            "context",
            "",
        ),
        (
            f"intake at {sizes}, mean of 2 rounds each, in turns",
            f"{_n(g('growth_large_intake_rps'))} vs {_n(g('growth_small_intake_rps'))}"
            f" ({_n(intake_growth, 2)})",
            ">= 0.80",
            _ok(intake_growth >= 0.8),
        ),
        (
            f"decisions/s at {sizes}, same rounds",
            f"{_n(g('growth_large_dps'))} vs {_n(g('growth_small_dps'))}"
            f" ({_n(decide_growth, 2)})",
            ">= 0.80",
            _ok(decide_growth >= 0.8),
        ),
        ("peak RSS per API process, MB", _n(rss.get("api", float("nan"))), "<= 150",
         _ok(rss.get("api", 1e9) <= 150)),
        ("peak RSS of the intake writer process (one per server, shared by the API processes), MB",
         _n(rss.get("intake_writer", float("nan"))), "<= 150",
         _ok(rss.get("intake_writer", 1e9) <= 150)),
        ("peak RSS per worker process, MB", _n(rss.get("worker", float("nan"))), "<= 300",
         _ok(rss.get("worker", 1e9) <= 300)),
    ]  # fmt: skip
    lines = [f"### {backend}", "", "| figure | value | target | met |", "|---|---:|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)
