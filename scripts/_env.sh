# Sourced by dev.sh and test.sh: use the active virtualenv, or make .venv, and install duyet.
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  # shellcheck disable=SC1091
  . .venv/bin/activate
fi
stamp=".venv-installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-$1"
if [ ! -f "$VIRTUAL_ENV/$stamp" ]; then
  python -m pip install --quiet --upgrade pip
  python -m pip install --quiet -e ".$2"
  touch "$VIRTUAL_ENV/$stamp"
fi
