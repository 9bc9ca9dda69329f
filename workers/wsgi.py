"""The WSGI entry point gunicorn serves: the API with the engine plugged in.

`service` never imports `workers`; this module sits above both and hands the app the
synchronous checker that Akismet's comment-check and Coral's external phase call.
gunicorn loads it as `workers.wsgi:create()`.
"""

from __future__ import annotations

from flask import Flask

from service import create_app
from service.context import Services
from service.settings import Settings
from workers.checker import EngineChecker
from workers.engine import default_model


def create(settings: Settings | None = None, svc: Services | None = None) -> Flask:
    """Build the API app with the engine as its checker, model loaded before the first request."""
    default_model()
    return create_app(settings, svc, checker=EngineChecker())
