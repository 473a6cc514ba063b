#!/usr/bin/env bash
# One-time (and safe to repeat) set-up of a development or supervisor machine.
#
# - installs the system libraries the console needs and that a bare Debian lacks: Qt's
#   runtime for a real window (xcb) and offscreen, fonts with Chinese glyphs, PortAudio
#   for the headset bridge, Xvfb for screenshots, socat for serial tests, espeak-ng + sox
#   for the lab's speech clips;
# - installs uv (pinned) and makes the project's virtual environment as .venv from uv.lock;
# - builds the Qt translations (.ts -> .qm) and the lab's speech clips.
# Every step checks before it acts, so a second run only verifies.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

APT_PACKAGES=(
  # Qt 6 xcb platform plugin and offscreen rendering
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libglib2.0-0
  fonts-noto-cjk
  # headset and alarm audio (sounddevice -> PortAudio)
  libportaudio2
  # tests and screenshots: virtual screen, pseudo-terminal pairs
  xvfb xauth socat
  # lab speech clips
  espeak-ng sox
  # the record's models are tested on a real PostgreSQL server (a throw-away cluster)
  postgresql
  # python venv support on Debian's own python
  python3-venv
)

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# uv: pinned, installed into a small bootstrap venv so the system Python stays untouched
# (Debian marks its Python as externally managed).
UV_VERSION=0.13.8
BOOT=.venv-bootstrap
if [ ! -x "$BOOT/bin/uv" ] || [ "$("$BOOT/bin/uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  "$PY" -m venv "$BOOT"
  "$BOOT/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
UV="$BOOT/bin/uv"

"$UV" sync --frozen --python "$("$PY" -c 'import sys; print(sys.executable)')" --all-groups --all-extras -q

.venv/bin/python scripts/build_resources.py
echo "setup: ready (.venv)"
