"""What every `duyet` command shares: its answer (text, or JSON with --json), a refusal
in one line, its moments, and the database it works on."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from service.settings import Settings
from service.store import Database


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    """Print the answer, as JSON when --json was given; exit 0."""
    print(json.dumps(data, ensure_ascii=False) if getattr(args, "json", False) else text)
    return 0


def refuse(message: str) -> int:
    """Say what the operator must do instead, in one line, and exit 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def database() -> Database:
    return Database(Settings.from_env().database_url)


def with_json(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--json", action="store_true", help="answer in JSON for scripts")
    return parser


def when(moment: datetime | None) -> str | None:
    """A moment as the commands print it: ISO 8601 to the second."""
    return moment.isoformat(timespec="seconds") if moment else None
