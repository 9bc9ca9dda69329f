"""The same-run reference: a bare Flask endpoint returning JSON, served like the API."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping() -> dict[str, bool]:
    """Answer a tiny JSON body."""
    return {"ok": True}
