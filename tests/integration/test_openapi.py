"""/v1/openapi.json is valid OpenAPI 3 and describes every endpoint, the error envelope
and both auth schemes; /v1/docs renders it as a page that loads nothing from elsewhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.json  # type: ignore[no-any-return]


def openapi_path(rule: str) -> str:
    """Turn a Flask rule (/v1/comments/<int:comment_id>) into an OpenAPI path."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def api_rules(app: Flask, spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (path, method) served by a blueprint registered with the API (one tag each)."""
    documented_blueprints = {tag["name"] for tag in spec["tags"]}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] not in documented_blueprints:
            continue
        for method in sorted((rule.methods or set()) & METHODS):
            found.append((openapi_path(rule.rule), method.lower()))
    return found


def test_the_document_is_valid_openapi_3(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_endpoint_is_described(app: Flask, spec: dict[str, Any]) -> None:
    rules = api_rules(app, spec)
    missing = [(path, m) for path, m in rules if m not in spec["paths"].get(path, {})]
    assert not missing
    expected = {
        ("/v1/comments", "post"),
        ("/v1/articles/{article_id}/comments", "get"),
        ("/v1/moderation/queue", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/1.1/comment-check", "post"),
        ("/1.1/submit-spam", "post"),
        ("/v1/integrations/coral/{site}", "post"),
        ("/v1/docs", "get"),
    }
    assert expected <= set(rules)
    for path, method in rules:
        assert spec["paths"][path][method].get("summary"), f"{method} {path} has no summary"


def test_the_error_envelope_is_the_documented_error(spec: dict[str, Any]) -> None:
    envelope = spec["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["properties"]["code"]["type"] == "string"
    assert envelope["properties"]["status"]["type"] == "integer"
    assert set(envelope["required"]) == {"code", "status", "message"}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    ref = default["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ErrorEnvelope"
    assert "Error" not in spec["components"]["schemas"], "flask-smorest's own error shape leaked"


def test_both_auth_schemes_are_described_and_used(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["siteKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A site's API key",
    }
    assert schemes["moderator"]["scheme"] == "basic"
    assert spec["paths"]["/v1/comments"]["post"]["security"] == [{"siteKey": []}]
    assert spec["paths"]["/v1/moderation/queue"]["get"]["security"] == [{"moderator": []}]


def test_an_error_answer_matches_the_documented_envelope(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    answer = client.post("/v1/comments", json={})
    envelope = spec["components"]["schemas"]["ErrorEnvelope"]
    assert set(answer.json) <= set(envelope["properties"])
    assert set(envelope["required"]) <= set(answer.json)


def test_the_reference_page_needs_nothing_from_elsewhere(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    page = client.get("/v1/docs")
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<script" not in html
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in html
    assert 'id="schema-ErrorEnvelope"' in html
    assert 'id="auth-siteKey"' in html and 'id="auth-moderator"' in html
