"""duyet's HTTP side: `create_app()` (service/app.py) builds the Flask app from Settings.

The app is imported on first use, not with the package: the intake writer process and
the workers import `service.store`, `service.queue` and the like, and would otherwise
load Flask, flask-smorest, apispec and every view with them (the writer process held
74-80 MB for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from service.app import create_app

        return create_app
    raise AttributeError(f"module 'service' has no attribute {name!r}")
