"""The record: the only code that writes SQL. Each module is one concern; see its docstring."""

from service.store.db import Database

__all__ = ["Database"]
