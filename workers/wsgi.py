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


def create(settings: Settings | None = None, svc: Services | None = None) -> Flask:
    """Build the API app with the engine as its checker.

    The model loads on the first Akismet or Coral check, not here: most API processes only
    take comments in and never score one, and the model would cost each of them its memory.
    Settings read from the environment (gunicorn's way) must carry a real secret key.
    """
    if settings is None:
        settings = Settings.from_env()
        settings.require_secret_key()
    return create_app(settings, svc, checker=EngineChecker())
