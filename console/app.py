"""The assembled console (built by main.build_console) and its ordered shutdown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtWidgets import QApplication

from console.main_window import MainWindow
from console.paths import AppPaths
from console.shell import ShellController

log = logging.getLogger(__name__)


@dataclass
class Console:
    """Attributes:
    app: the QApplication.
    paths: where data, logs and config live.
    window: the main window.
    shell: menus, settings, language and theme.
    stoppers: shutdown steps, run in reverse order of registration.
    floor_ready: True once the floor is live and shows agents (the self-check waits for it).
    parts: the named components (store, floor, controller, actions, monitor, record, alarms)
        for the self-check and end-to-end tests.
    """

    app: QApplication
    paths: AppPaths
    window: MainWindow
    shell: ShellController
    stoppers: list[tuple[str, Callable[[], None]]] = field(default_factory=list)
    floor_ready: Callable[[], bool] | None = None
    parts: dict[str, Any] = field(default_factory=dict)

    def on_shutdown(self, name: str, fn: Callable[[], None]) -> None:
        self.stoppers.append((name, fn))

    def shutdown(self) -> None:
        while self.stoppers:
            name, fn = self.stoppers.pop()
            try:
                fn()
            except Exception:
                log.exception("shutdown step %s failed", name)
