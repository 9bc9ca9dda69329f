"""Hostile input generated from the service's own OpenAPI document, against every endpoint.

Each operation gets up to MAX_EXAMPLES generated requests with valid credentials (a site key
for the site API, HTTP Basic for moderators). Whatever they contain, the service must never
answer 5xx, and every error must be the one envelope {"code", "status", "message"}.
"""

from __future__ import annotations

import base64
import json
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.integration.conftest import MOD_PASSWORD, make_site

MAX_EXAMPLES = 100
MIN_CASES = 2000
calls: Counter[str] = Counter()
seconds: Counter[str] = Counter()
schema = schemathesis.pytest.from_fixture("fuzz_schema")


@pytest.fixture
def fuzz_app(app, moderator):
    """The app with a site, its key and a moderator, shared by every case of one operation."""
    site = make_site(app, "baotinh")
    app.config["FUZZ_AUTH"] = {
        "site": {"Authorization": f"Bearer {site.key}"},
        "moderator": (moderator[0], MOD_PASSWORD),
    }
    client = app.test_client()
    client.post(
        "/v1/comments",
        json={"article_id": "bai-1", "body": "Bình luận mẫu.", "author_name": "Lan"},
        headers=app.config["FUZZ_AUTH"]["site"],
    )
    return app


@pytest.fixture
def fuzz_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/v1/openapi.json", fuzz_app)


def _headers(case) -> dict[str, str]:
    auth = case.operation.schema.app.config["FUZZ_AUTH"]
    if case.path.startswith("/v1/moderation"):
        user, password = auth["moderator"]
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return dict(auth["site"])


def _assert_envelope(response, label: str) -> None:
    body = response.content
    if not body:
        return
    try:
        data = json.loads(body)
    except ValueError:
        pytest.fail(f"{label}: error {response.status_code} is not JSON: {body[:200]!r}")
    assert isinstance(data, dict), f"{label}: error is not an object"
    assert {"code", "status", "message"} <= set(data), f"{label}: {data}"
    assert data["status"] == response.status_code, f"{label}: {data}"


@pytest.mark.timeout(600)
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_generated_request_gets_a_server_error(case):
    headers = {**(case.headers or {}), **_headers(case)}
    started = time.perf_counter()
    response = case.call(headers=headers)
    seconds[case.method + " " + case.path] += time.perf_counter() - started
    label = f"{case.method} {case.formatted_path}"
    calls[label.split(" ")[0] + " " + case.path] += 1
    assert response.status_code < 500, f"{label} -> {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        _assert_envelope(response, label)


def test_the_fuzz_run_covered_enough_cases():
    """Runs after the generated tests in this module: the CI floor of generated cases."""
    if not calls:
        pytest.skip("run together with test_no_generated_request_gets_a_server_error")
    for label, n in sorted(calls.items()):
        print(f"{label}: {n} cases, {seconds[label]:.1f} s")
    print("total:", sum(calls.values()))
    assert sum(calls.values()) >= MIN_CASES, dict(calls)
