"""Chart placeholders that build the pyqtgraph charts after the window is on screen.

Importing pyqtgraph (and numpy under it) costs ~0.8 s on a supervisor's PC, a third of the
start-up budget; the floor is useful before the charts are. Calls made before the chart
exists are kept (the last one of each kind) and replayed when it is built.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class _Lazy(QWidget):
    factory_name = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner: Any = None
        self._pending: dict[str, tuple[Any, ...]] = {}
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.inner is None:
            QTimer.singleShot(250, self.build)  # after the first paint of the window

    def build(self) -> Any:
        if self.inner is None:
            from widgets import charts

            self.inner = getattr(charts, self.factory_name)()
            self._lay.addWidget(self.inner)
            for name, args in self._pending.items():
                getattr(self.inner, name)(*args)
            self._pending.clear()
        return self.inner

    def _call(self, name: str, *args: Any) -> None:
        if self.inner is None:
            self._pending[name] = args
        else:
            getattr(self.inner, name)(*args)


class LazyTrafficChart(_Lazy):
    factory_name = "TrafficChart"

    def set_data(self, *args: Any) -> None:
        self._call("set_data", *args)

    def retranslate(self) -> None:
        if self.inner is not None:
            self.inner.retranslate()


class LazyStateTimeline(_Lazy):
    """The agent detail panel's timeline: a strip too short for the legend (hovering a
    stretch still names its state)."""

    factory_name = "StateTimeline"

    def build(self) -> Any:
        inner = super().build()
        inner.legend.hide()
        return inner

    def set_rows(self, *args: Any) -> None:
        self._call("set_rows", *args)
