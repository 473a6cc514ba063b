"""Versions of the app and the components it is built on (for --version and Help → About)."""

from __future__ import annotations

import platform
import sys

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
    return out


def _pjproject_version() -> str:
    try:
        import pjsua2
    except ImportError as exc:
        return f"missing ({exc})"
    return str(getattr(pjsua2, "__version__", "unknown"))
