"""Operators' endpoints: liveness and readiness."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from service.context import services
from service.schemas import HealthOut
from service.store import migrate

blp = Blueprint("ops", __name__, description="Health checks for operators")


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthOut)
    def get(self) -> Any:
        """Answer 200 while the process is up."""
        return {"status": "ok", "checks": {}}


def _check_database() -> str:
    try:
        problem = migrate.schema_problem(services().db)
    except SQLAlchemyError as exc:
        return f"down: {exc.__class__.__name__}"
    return f"wrong schema: {problem}" if problem else "ok"


def _check_redis() -> str:
    try:
        services().redis.ping()
    except RedisError as exc:
        return f"down: {exc.__class__.__name__}"
    return "ok"


@blp.route("/readyz")
class Ready(MethodView):
    @blp.response(200, HealthOut)
    @blp.alt_response(
        503, schema=HealthOut, description="The database is unreachable or its schema is behind"
    )
    def get(self) -> Any:
        """Answer 200 while this API can take comments: the database is reachable and at
        this code's schema. Without Redis it still can (stored, queued by the sweep later;
        sign-in and rate limits wait), so Redis down answers 200 "degraded", not 503: a
        load balancer must not take every API out over a Redis restart."""
        checks = {"database": _check_database(), "redis": _check_redis()}
        if checks["database"] != "ok":
            return {"status": "unavailable", "checks": checks}, 503
        return {"status": "ok" if checks["redis"] == "ok" else "degraded", "checks": checks}
