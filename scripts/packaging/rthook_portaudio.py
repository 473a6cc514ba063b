# PyInstaller runtime hook (runs in the frozen app before main.py): make `sounddevice` load the
# PortAudio library bundled next to the executable's libraries (build.spec copies the build
# host's libportaudio.so.2 there on Linux).
#
# Why: sounddevice asks `ctypes.util.find_library("portaudio")`, which on Linux only consults
# the system's ldconfig cache, so the bundled copy would never be found on a machine without
# libportaudio2 — and on one with it, a different PortAudio than the one tested would load.
# Windows and macOS are untouched: there sounddevice's wheel carries PortAudio itself.
import ctypes.util
import os
import sys

_BUNDLED = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")

if sys.platform.startswith("linux") and os.path.isfile(_BUNDLED):
    _system_find_library = ctypes.util.find_library

    def _find_library(name: str) -> str | None:
        if name == "portaudio":
            return _BUNDLED
        return _system_find_library(name)

    ctypes.util.find_library = _find_library
