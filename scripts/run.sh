#!/usr/bin/env bash
# Sets everything up (scripts/setup.sh, safe to repeat) and starts the console. With no PBX
# configured, the console starts its embedded lab PBX. On a machine without a display the
# console is started on a virtual one (Xvfb) so the command still works over SSH.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting the console on a virtual display (Xvfb)." >&2
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python main.py "$@"
fi
exec .venv/bin/python main.py "$@"
