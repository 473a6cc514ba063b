"""Versions of the app and the components it is built on (for --version and Help → About)."""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path
from typing import Any

from console import APP_VERSION


def component_versions() -> dict[str, str]:
    out: dict[str, str] = {"Hotline Console": APP_VERSION, "Python": platform.python_version()}
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        out["PySide6"] = PySide6.__version__
        out["Qt"] = qVersion()
    except ImportError as exc:
        out["PySide6"] = f"missing ({exc})"
    out["pjproject"] = _pjproject_version()
    for mod in ("peewee", "pyqtgraph", "serial", "numpy"):
        try:
            m = __import__(mod)
            out[{"serial": "pyserial"}.get(mod, mod)] = str(getattr(m, "__version__", "?"))
        except ImportError:
            out[mod] = "missing"
    out["frozen"] = "yes" if getattr(sys, "frozen", False) else "no"
    info = build_info()
    if info is not None:
        debug = " (debug build)" if info.get("debug") else ""
        out["build"] = f"{info.get('commit', '?')}, {info.get('build_date', '?')}{debug}"
    return out


def build_info() -> dict[str, Any] | None:
    """The frozen build's own metadata (build_info.json, written by build.spec), or None
    when running from the source tree or when the file is unreadable."""
    base = getattr(sys, "_MEIPASS", None)
    if not base:
        return None
    try:
        data = json.loads((Path(base) / "build_info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _pjproject_version() -> str:
    try:
        import pjsua2
    except ImportError as exc:
        return f"missing ({exc})"
    return str(getattr(pjsua2, "__version__", "unknown"))
