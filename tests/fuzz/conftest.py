"""The integration fixtures (app, moderator) for the fuzz run."""

from tests.integration.conftest import app, moderator  # noqa: F401
