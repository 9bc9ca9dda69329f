"""The serving processes freeze what start-up built, so full collections skip it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from service import gunicorn_conf
from service.heap import freeze_startup_objects


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run keeps its usual collector


def test_freezing_moves_live_objects_out_of_the_collectors_reach(unfrozen: None) -> None:
    assert gc.get_freeze_count() == 0
    freeze_startup_objects()
    assert gc.get_freeze_count() > 1_000
    assert sum(gc.get_count()) < 10  # the generations it would walk start empty


def test_garbage_left_by_start_up_is_freed_not_frozen(unfrozen: None) -> None:
    class Node:
        pass

    cycle = Node()
    cycle.self = cycle  # type: ignore[attr-defined]
    alive = weakref.ref(cycle)
    del cycle
    freeze_startup_objects()
    assert alive() is None  # a frozen cycle would live as long as the process


def test_gunicorn_workers_freeze_once_the_app_is_built(unfrozen: None) -> None:
    gunicorn_conf.post_worker_init(worker=None)
    assert gc.get_freeze_count() > 1_000
