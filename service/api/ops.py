"""Operators' endpoints: liveness and readiness."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.context import services
from service.schemas import HealthOut

blp = Blueprint("ops", __name__, description="Health checks for operators")


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthOut)
    def get(self) -> Any:
        """Answer 200 while the process is up."""
        return {"status": "ok", "checks": {}}


def _check_database() -> str:
    try:
        with services().db.transaction() as s:
            s.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


def _check_redis() -> str:
    try:
        services().redis.ping()
    except RedisError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, HealthOut)
    @blp.alt_response(503, schema=HealthOut, description="A dependency is unreachable")
    def get(self) -> Any:
        """Answer 200 when the database and Redis are reachable, 503 otherwise."""
        checks = {"database": _check_database(), "redis": _check_redis()}
        ready = all(v == "ok" for v in checks.values())
        return {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503
