"""The API reference: the error envelope in the OpenAPI document, and /v1/docs, a page
rendered on the server from that document (no scripts, no CDN, works offline)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from jinja2 import Environment
from marshmallow import Schema, fields

blp = Blueprint("docs", __name__, url_prefix="/v1", description="This reference")
METHODS = ("get", "put", "post", "patch", "delete")


class ErrorEnvelope(Schema):
    """Every error duyet answers, whatever the endpoint."""

    code = fields.String(
        required=True,
        metadata={"description": "Stable machine-readable code", "example": "validation_failed"},
    )
    status = fields.Integer(required=True, metadata={"description": "The HTTP status, repeated"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people"})
    errors = fields.Dict(metadata={"description": "Field name -> messages (validation errors)"})


class DuyetApi(Api):
    """flask-smorest's Api, documenting duyet's error envelope instead of its own."""

    ERROR_SCHEMA = ErrorEnvelope


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 2rem;color:#222}
code,pre{font:13px ui-monospace,monospace;background:#f4f4f4;padding:.1em .3em}
.op{border:1px solid #ddd;border-radius:4px;margin:1rem 0;padding:.5rem 1rem}
.m{display:inline-block;min-width:4.5em;font-weight:bold;text-transform:uppercase}
.get{color:#075}.post{color:#04a}.put{color:#a60}.delete{color:#b00}.patch{color:#70a}
table{border-collapse:collapse;margin:.3rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;
text-align:left;vertical-align:top}h2{border-bottom:1px solid #ccc;margin-top:2rem}
.muted{color:#666}
"""
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ info.title }} API {{ info.version }}</title><style>{{ css }}</style></head>
<body>
<h1>{{ info.title }} API <span class="muted">{{ info.version }}</span></h1>
<p>{{ info.description }}</p>
<p>The machine-readable document is <a href="openapi.json">openapi.json</a>
(OpenAPI {{ openapi }}).</p>
<h2 id="auth">Authentication</h2>
<table><tr><th>scheme</th><th>how</th><th>what</th></tr>
{% for name, s in schemes.items() %}<tr><td id="auth-{{ name }}"><code>{{ name }}</code></td>
<td>{{ s.type }} {{ s.scheme }}</td><td>{{ s.description }}</td></tr>{% endfor %}</table>
<h2>Endpoints</h2>
<ul>{% for tag, ops in groups %}<li><a href="#tag-{{ tag }}">{{ tag }}</a>:
{{ descriptions.get(tag, "") }}</li>{% endfor %}</ul>
{% for tag, ops in groups %}
<h2 id="tag-{{ tag }}">{{ tag }}</h2><p>{{ descriptions.get(tag, "") }}</p>
{% for op in ops %}
<div class="op" id="{{ op.anchor }}">
<p><span class="m {{ op.method }}">{{ op.method }}</span> <code>{{ op.path }}</code>
{% if op.security %}<span class="muted">— auth: {{ op.security|join(", ") }}</span>
{% endif %}</p>
<p>{{ op.summary }}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>type</th>
<th>required</th><th>about</th></tr>{% for p in op.parameters %}<tr>
<td><code>{{ p.name }}</code></td><td>{{ p["in"] }}</td><td>{{ p.type }}</td>
<td>{{ "yes" if p.required else "" }}</td><td>{{ p.description }}</td></tr>{% endfor %}
</table>{% endif %}
{% for media, ref in op.body %}<p>Body ({{ media }}): {{ ref|safe }}</p>{% endfor %}
<table><tr><th>answer</th><th>body</th><th>about</th></tr>
{% for r in op.responses %}<tr><td>{{ r.status }}</td><td>{{ r.body|safe }}</td>
<td>{{ r.description }}</td></tr>{% endfor %}</table>
</div>
{% endfor %}{% endfor %}
<h2 id="schemas">Schemas</h2>
{% for name, rows in schemas %}
<h3 id="schema-{{ name }}">{{ name }}</h3>
<table><tr><th>field</th><th>type</th><th>required</th><th>about</th></tr>
{% for r in rows %}<tr><td><code>{{ r.name }}</code></td><td>{{ r.type|safe }}</td>
<td>{{ "yes" if r.required else "" }}</td><td>{{ r.about }}</td></tr>{% endfor %}</table>
{% endfor %}
</body></html>
"""
_env = Environment(autoescape=True)
_page = _env.from_string(_TEMPLATE)


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def type_html(schema: dict[str, Any] | None) -> str:
    """Describe a JSON schema in a few words of HTML, linking referenced schemas."""
    if not schema:
        return ""
    if "$ref" in schema:
        name = _esc(schema["$ref"].rsplit("/", 1)[-1])
        return f'<a href="#schema-{name}">{name}</a>'
    kind = schema.get("type", "object")
    if kind == "array":
        return "array of " + type_html(schema.get("items"))
    words = _esc(kind) + (f" ({_esc(schema['format'])})" if "format" in schema else "")
    if "enum" in schema:
        words += ": " + ", ".join(_esc(str(v)) for v in schema["enum"])
    return words + (" or null" if schema.get("nullable") else "")


def _constraints(prop: dict[str, Any]) -> str:
    keys = ("minLength", "maxLength", "minimum", "maximum", "default")
    found = [f"{k} {prop[k]}" for k in keys if k in prop and prop[k] is not None]
    return "; ".join(found)


def _schema_rows(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    rows = []
    for name, prop in schema.get("properties", {}).items():
        about = " ".join(x for x in (prop.get("description", ""), _constraints(prop)) if x)
        rows.append(
            {"name": name, "type": type_html(prop), "required": name in required, "about": about}
        )
    return rows


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in item:
        section, name = item["$ref"].split("/")[-2:]
        return spec["components"][section][name]  # type: ignore[no-any-return]
    return item


def _bodies(spec: dict[str, Any], holder: dict[str, Any]) -> list[tuple[str, str]]:
    content = _resolve(spec, holder).get("content", {})
    return [(media, type_html(v.get("schema")) or "text") for media, v in content.items()]


def _operation(spec: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> dict[str, Any]:
    responses = []
    for status, answer in sorted(op.get("responses", {}).items(), key=lambda kv: kv[0]):
        resolved = _resolve(spec, answer)
        body = ", ".join(f"{ref} <span class=muted>{m}</span>" for m, ref in _bodies(spec, answer))
        responses.append(
            {"status": status, "body": body, "description": resolved.get("description", "")}
        )
    parameters = [
        {**p, "type": type_html(p.get("schema"))}
        for p in (_resolve(spec, x) for x in op.get("parameters", []))
    ]
    return {
        "method": method,
        "path": path,
        "summary": op.get("summary", ""),
        "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
        "security": [name for req in op.get("security", []) for name in req],
        "parameters": parameters,
        "body": _bodies(spec, op["requestBody"]) if "requestBody" in op else [],
        "responses": responses,
    }


def render(spec: dict[str, Any]) -> str:
    """Render an OpenAPI 3 document as one self-contained HTML page."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(spec, path, method, op))
    components = spec.get("components", {})
    return _page.render(
        info=spec.get("info", {}),
        openapi=spec.get("openapi", ""),
        css=_CSS,
        schemes=components.get("securitySchemes", {}),
        descriptions={t["name"]: t.get("description", "") for t in spec.get("tags", [])},
        groups=list(groups.items()),
        schemas=[(n, _schema_rows(s)) for n, s in sorted(components.get("schemas", {}).items())],
    )


@blp.route("/docs")
class Docs(MethodView):
    @blp.response(200, content_type="text/html", description="The API reference as a web page")
    def get(self) -> Any:
        """Show this API's reference as a web page, rendered from the OpenAPI document."""
        api: Api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
        response = Response(render(api.spec.to_dict()), content_type="text/html; charset=utf-8")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; frame-ancestors 'none'"
        )
        return response
