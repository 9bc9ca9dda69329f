#!/usr/bin/env bash
# The README's first command: install duyet into .venv and run API, worker and an embedded
# Redis with a SQLite file, all on this machine. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_env.sh run ""
exec duyet dev "$@"
