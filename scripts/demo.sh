#!/usr/bin/env bash
# Set up a local virtual environment and run newsfuse on the bundled example articles.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/newsfuse run examples/nato-russia-2022-01 --out out "$@"
