"""Run the fault suite and write each scenario's figures into docs/reliability.md.

Run: python bench/faults_report.py  (PostgreSQL too when TEST_DATABASE_URL is set; the suite
creates and drops its own throwaway databases on that server, never touching the named one)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "reliability.md"
START, END = "<!-- faults:start -->", "<!-- faults:end -->"
COLUMNS = ("sent", "accepted", "refused_503", "server_errors", "decided", "lost", "duplicated")


def run_suite(report: Path) -> int:
    """Run tests/faults with figures collected into report; return pytest's exit code."""
    env = {**os.environ, "DUYET_FAULTS_REPORT": str(report)}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/faults"]
    return subprocess.call(argv, cwd=ROOT, env=env)


def table(rows: list[dict[str, object]]) -> str:
    """Render the figures as a Markdown table."""
    head = "| scenario | database | " + " | ".join(COLUMNS) + " | notes |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 3)]
    for row in rows:
        notes = "; ".join(f"{k}: {v}" for k, v in dict(row["notes"]).items())  # type: ignore[call-overload]
        cells = " | ".join(str(row[c]) for c in COLUMNS)
        lines.append(f"| {row['scenario']} | {row['database']} | {cells} | {notes} |")
    return "\n".join(lines)


def main() -> int:
    report = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    status = run_suite(report)
    rows = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    text = DOC.read_text(encoding="utf-8")
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(f"{before}{START}\n{table(rows)}\n{END}{after}", encoding="utf-8")
    print(table(rows))
    return status


if __name__ == "__main__":
    sys.exit(main())
