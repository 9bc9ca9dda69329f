"""Processes load what they use: the intake writer not the web stack, the API not the
classifier's libraries.

Each API process runs an intake writer beside it (service/intake_writer.py); Flask, werkzeug
and the OpenAPI machinery would add ~20 MB to each for nothing (74-80 MB -> 61 MB when they
went). And scikit-learn adds ~90 MB to an API process (94 -> 183 MB in the benchmark when the
site models' module imported it), which only the workers and the compatible checks need.
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


def test_the_api_does_not_load_scikit_learn_until_a_site_model_is_read():
    loaded = _loaded_after(
        "import workers.wsgi, workers.checker, workers.runtime, service.ui.admin\n"
        "from workers.site_models import SiteModels"
    )
    assert "flask" in loaded and "sklearn" not in loaded
