"""Status presenter: link state, freshness, stale banner and action feedback on screen.

Only shows: it reads the store's flags and the AMI link status it is handed, and turns the
agent-action dispatch of the floor view into calls on AgentActions.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from console.agent_actions import action_names
from console.floor_view import FloorView
from console.main_window import MainWindow
from cti.ami.client import LinkState, LinkStatus

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("Status", text)


class StatusPresenter(QObject):
    def __init__(self, window: MainWindow, floor: FloorView, store: Any) -> None:
        super().__init__(window)
        self.window = window
        self.floor = floor
        self.store = store
        self.status: LinkStatus | None = None
        self.last_event = 0.0
        self.review_windows: list[Any] = []
        self._restoring = False  # the start-up progress of restoring today is on show
        self._timer = QTimer(self)
        self._timer.setObjectName("statusFreshness")
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._render_freshness)
        self._timer.start()
        self.window.set_stale(True, _t("Connecting to the PBX…"))
        self.window.closing.connect(self._timer.stop)

    # -- link ----------------------------------------------------------------------------------
    def on_link(self, status: LinkStatus) -> None:
        self.status = status
        detail = status.reason
        if status.state == LinkState.BACKOFF and status.retry_in_s is not None:
            detail = (
                _t("%1; retry in %2 s")
                .replace("%1", status.reason)
                .replace("%2", f"{status.retry_in_s:.0f}")
            )
        if status.asterisk_version:
            self.window.link_label.setToolTip(f"Asterisk {status.asterisk_version}")
        self.window.set_link_state(status.state.value, detail)
        self._render_stale()

    def on_link_failed(self, message: str) -> None:
        self.window.set_link_state("disconnected", message)
        self.window.set_stale(True, _t("No connection to the PBX: %1").replace("%1", message))
        self.floor.set_stale(True)

    def _render_stale(self) -> None:
        live = bool(self.store.is_live) and self.status is not None and self.status.is_live
        if live:
            self.window.set_stale(False)
            return
        since = time.strftime("%H:%M:%S", time.localtime(self.status.since)) if self.status else ""
        reason = self.status.reason if self.status else ""
        text = _t("The floor is NOT live since %1 — figures may be out of date").replace(
            "%1", since
        )
        if reason:
            text += f" ({reason})"
        self.window.set_stale(True, text)

    def _render_freshness(self) -> None:
        ctl_newest = getattr(self, "_controller", None)
        newest = getattr(ctl_newest, "newest_event_wall", 0.0) if ctl_newest else 0.0
        if newest:
            age = max(0.0, time.time() - newest)
            text = _t("Newest event %1 s ago").replace("%1", f"{age:.0f}")
        else:
            text = _t("No events yet")
        self.window.freshness_label.setText(text)
        self._render_stale()

    # -- actions -------------------------------------------------------------------------------
    def connect_actions(self, actions: Any, controller: Any) -> None:
        self._actions = actions
        self._controller = controller
        self.floor.action_requested.connect(self._on_action_requested)
        actions.action_finished.connect(self._on_action_finished)
        controller.live_changed.connect(lambda _live: self._render_stale())

    def _on_action_requested(self, action: str, arg: str) -> None:
        agent = self._controller.selected_agent()
        a = self._actions
        if action == "pause":
            a.pause(agent, arg or "break")
        elif action == "unpause":
            a.unpause(agent)
        elif action == "remove":
            if agent is not None and not arg and agent.queues:
                arg = agent.queues[0].queue
            a.remove_from_queue(agent, arg)
        elif action == "add":
            a.add_to_queue(agent, arg)
        elif action in ("listen", "whisper", "barge", "stop"):
            a.monitor_action(action, agent)

    def show_restoring(self, done: int, total: int) -> None:
        """Progress of restoring today's figures from the record at start-up."""
        self._restoring = True
        self.window.statusBar().showMessage(
            _t("Restoring today's figures from the record… %1 %").replace(
                "%1", str(100 * done // max(total, 1))
            )
        )

    def restoring_done(self, skipped_rows: int) -> None:
        """Today's figures are back (the progress goes), or were too many to restore (said)."""
        if skipped_rows:
            text = _t("Today's figures count from now: too many of today's events (%1) to restore.")
            self.window.show_notice(text.replace("%1", f"{skipped_rows:,}"))
        elif self._restoring:
            self.window.statusBar().clearMessage()
        self._restoring = False

    def _on_action_finished(self, action: str, ok: bool, message: str) -> None:
        name = action_names().get(action, action)
        if ok:
            self.window.statusBar().showMessage(_t("Done: %1").replace("%1", name), 5000)
            return
        log.warning("action %s failed: %s", action, message)
        self.window.show_notice(_t("%1 failed: %2").replace("%1", name).replace("%2", message))

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self.window, _t("Please confirm"), text)
        return answer == QMessageBox.StandardButton.Yes

    # -- review --------------------------------------------------------------------------------
    def open_review(self, default: Path) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            _t("Open record"),
            str(default),
            _t("Records (*.sqlite3 *.db);;All files (*)"),
        )
        if path:
            self.show_review(Path(path))

    def show_review(self, path: Path) -> Any:
        from console.review_window import ReviewWindow

        win = ReviewWindow.open(path, self.window, self.store.config)
        if win is not None:
            self.review_windows.append(win)
            win.show()
        return win
