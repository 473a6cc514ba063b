#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh, safe to repeat) and runs the whole test suite:
# lint, format check, type check, then pytest (Qt offscreen; a real X server via Xvfb for the
# screenshot tests, started by the tests themselves). Fails if no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
unset DISPLAY WAYLAND_DISPLAY || true

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict on cti/ and db/)"
.venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$code"
