#!/usr/bin/env bash
# The README's second command: every test suite against a real Redis (started by the tests),
# real SQLite and, when TEST_DATABASE_URL is set, PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_env.sh dev "[dev]"
# --durations: the slowest tests are named in every run's log, so a slow CI says where.
# -n: one test process per core (up to 4; pytest-xdist), each with its own Redis and
# databases (tests/conftest.py). Many tests wait on servers and subprocesses, so two
# processes finish a 2-core run in well under the time of one. "-n 0" runs them in one.
exec python -m pytest -q -p no:cacheprovider --durations=10 -n auto --maxprocesses=4 "$@"
