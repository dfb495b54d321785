#!/usr/bin/env bash
# Set up a local virtual environment, provision what the tests need (Debian's chromium and
# PostgreSQL, when this machine allows it), then run every check: ruff, mypy, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ -z "${NEWSFUSE_TEST_PG_URL:-}" ]; then
  NEWSFUSE_TEST_PG_URL=$(bash scripts/provision.sh)
  export NEWSFUSE_TEST_PG_URL
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
