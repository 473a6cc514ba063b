"""The running console's record: opened at start-up, fed with every PBX event, written before
every supervisor action. If the record cannot be opened (locked by another console, damaged,
read-only medium) the console still shows the floor, says so in red in the status bar, and
refuses supervisor actions — an unaudited action is worse than a refused one.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow

from console.settings import SettingChange
from cti.ami.sync import SyncSnapshot
from db.errors import RecordError
from db.record import Record, open_record

log = logging.getLogger(__name__)

SESSION_METHOD = "os_user"  # the sign-in row's method for a console session without accounts


def _t(text: str) -> str:
    return QCoreApplication.translate("RecordLink", text)


class _Refusing:
    """AuditPort used when no record is open: every intent fails with the reason."""

    def __init__(self, why: str) -> None:
        self.why = why

    def action_intent(self, action: str, **_: Any) -> Any:
        raise RecordError(self.why)

    def action_result(self, *_: Any, **__: Any) -> None:
        return None


class RecordLink:
    def __init__(self, path: Path, record: Record | None, error: str) -> None:
        self.path = path
        self.record = record
        self.error = error
        self._session = False

    @classmethod
    def open(cls, path: Path, **kwargs: Any) -> RecordLink:
        try:
            return cls(path, open_record(path, **kwargs), "")
        except RecordError as exc:
            log.error("cannot open the record %s: %s", path, exc)
            return cls(path, None, str(exc))

    @property
    def ok(self) -> bool:
        return self.record is not None

    @property
    def supervisor(self) -> str:
        return self.record.supervisor if self.record is not None else ""

    def audit(self) -> Any:
        return self.record if self.record is not None else _Refusing(self.error)

    def journal(self, item: Any) -> None:
        rec = self.record
        if rec is None:
            return
        if isinstance(item, SyncSnapshot):
            now = item.taken_at
            for group in (item.queue_params, item.queue_members, item.queue_entries, item.channels):
                for ev in group:
                    rec.journal_event(now, ev.name, ev.message.headers)
            return
        msg = getattr(item, "message", None)
        if msg is not None:
            rec.journal_event(getattr(item, "received_at", None) or _now(), item.name, msg.headers)

    def start_session(self) -> None:
        """The console started: its user's session begins (until accounts exist, the
        operating-system user), so the review can tell who ran the floor from when to when."""
        if self.record is not None and not self._session:
            self.record.sign_in(self.record.supervisor, method=SESSION_METHOD)
            self._session = True

    def set_retention(self, keep_days: float | None) -> None:
        if self.record is not None:
            self.record.set_retention(keep_days)

    def settings_edited(self, changes: list[SettingChange]) -> None:
        rec = self.record
        if rec is None:
            return
        for change in changes:
            rec.setting_changed(change.key, change.old, change.new, secret=change.secret)

    def show_state(self, window: QMainWindow) -> None:
        label = getattr(window, "record_label", None)
        if label is None:
            return
        if self.ok:
            label.setText(_t("Record: %1").replace("%1", self.path.name))
            label.setToolTip(str(self.path))
            label.setStyleSheet("")
        else:
            label.setText(_t("Record unavailable — actions disabled"))
            label.setToolTip(self.error)
            label.setStyleSheet("color: #b3261e; font-weight: bold;")

    def close(self) -> None:
        if self.record is not None:
            if self._session:
                self.record.sign_out(method="console_closed")
                self._session = False
            self.record.close()
            self.record = None


def _now() -> float:
    import time

    return time.time()
