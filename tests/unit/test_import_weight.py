"""The intake writer process loads what it stores and queues with, not the web stack.

Each API process runs one beside it (service/intake_writer.py); Flask, werkzeug and the
OpenAPI machinery would add ~20 MB to each for nothing (74-80 MB -> 61 MB when they went).
"""

from __future__ import annotations

import json
import subprocess
import sys

WEB_STACK = ("flask", "werkzeug", "flask_smorest", "apispec", "jinja2", "webargs")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in json.loads(out.stdout.splitlines()[-1])}


def test_the_intake_writer_process_does_not_load_the_web_stack():
    # What serve() imports before it answers "ready" (service/intake_writer.py).
    loaded = _loaded_after(
        "import service.intake_writer as w\n"
        "from service.intake import Intake\n"
        "from service.logging import configure_logging\n"
        "from service.queue import JobQueue\n"
        "from service.store import Database\n"
        "from service.thread_versions import ThreadVersions"
    )
    assert {"sqlalchemy", "redis", "rq"} <= loaded
    assert loaded.isdisjoint(WEB_STACK), sorted(loaded & set(WEB_STACK))


def test_the_package_still_names_the_app_factory():
    loaded = _loaded_after("from service import create_app\nassert callable(create_app)")
    assert "flask" in loaded
