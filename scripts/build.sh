#!/usr/bin/env bash
# Builds the desktop app: a one-folder PyInstaller bundle in dist/hotline-console/ (start it
# with dist/hotline-console/hotline-console). Sets up first (scripts/setup.sh: .venv from
# uv.lock, the .qm translations, the lab's speech clips), then runs build.spec from scratch
# (--clean: no stale analysis from an earlier tree), smoke-tests the result with --version and
# prints the build time and size.
#
#   HOTLINE_BUILD_DEBUG=1 bash scripts/build.sh   # debug build: console window on Windows,
#                                                  # bootloader messages
#   DIST_DIR=/some/dir bash scripts/build.sh       # put the bundle elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

DIST_DIR=${DIST_DIR:-dist}
WORK_DIR=${WORK_DIR:-build}
start=$(date +%s)
.venv/bin/python -m PyInstaller build.spec --noconfirm --clean \
  --distpath "$DIST_DIR" --workpath "$WORK_DIR" --log-level WARN "$@"
end=$(date +%s)

app="$DIST_DIR/hotline-console/hotline-console"
[ -x "$app" ] || app="$app.exe"
"$app" --version
size=$(du -sh "$DIST_DIR/hotline-console" | cut -f1)
echo "build: $((end - start)) s, $DIST_DIR/hotline-console is $size"
