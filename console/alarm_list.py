"""Every active alarm in one list: the strip shows the four most urgent, and a 200-queue floor
on a bad evening raises a hundred. From here the supervisor reads them all, sorted by
urgency, and acknowledges several at once with one comment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cti.alarms.model import Alarm, Severity


def _t(text: str) -> str:
    return QCoreApplication.translate("AlarmList", text)


def by_urgency(alarms: Sequence[Alarm]) -> list[Alarm]:
    """What still needs someone first (unacknowledged), then critical before warning, then
    the oldest first. The strip shows the first four in this order: an alarm already
    acknowledged must not hide one nobody has seen."""
    return sorted(
        alarms, key=lambda a: (a.acknowledged_by is not None, -int(a.severity), a.raised_at)
    )


class AlarmListDialog(QDialog):
    """A live list of the active alarms (not modal: the floor stays in reach).

    Signals:
        acknowledge_requested(list): the supervisor asked to acknowledge these alarm ids.
    """

    acknowledge_requested = Signal(list)

    def __init__(self, describe: Callable[[Alarm], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmList")
        self.setWindowTitle(_t("Active alarms"))
        self.resize(760, 420)
        self._describe = describe
        self._ids: list[int] = []
        self._rows: list[tuple[int, str, str | None]] = []
        self.summary = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [_t("Severity"), _t("Since"), _t("Alarm"), _t("Acknowledged by")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.ack_button = QPushButton(_t("Acknowledge selected…"))
        self.ack_button.clicked.connect(self._acknowledge_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.ack_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self._update_button()

    def show_alarms(self, alarms: Sequence[Alarm]) -> None:
        """Refill the list, keeping the supervisor's selection of alarms still active."""
        ordered = by_urgency(alarms)
        rows = [(a.alarm_id, self._describe(a), a.acknowledged_by) for a in ordered]
        if rows == self._rows:
            return  # called every second: leave the table (and its scrolling) alone
        self._rows = rows
        selected = set(self.selected_ids())
        self._ids = [a.alarm_id for a in ordered]
        self.table.setRowCount(len(ordered))
        for row, a in enumerate(ordered):
            critical = a.severity is Severity.CRITICAL
            colour = QColor("#b3261e" if critical else "#b36b00")
            cells = (
                _t("Critical") if critical else _t("Warning"),
                datetime.fromtimestamp(a.raised_at).strftime("%H:%M:%S"),
                rows[row][1],
                a.acknowledged_by or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column < 3 and not a.acknowledged_by:
                    item.setForeground(colour)
                if column == 2:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        selection = self.table.selectionModel()
        for row, alarm_id in enumerate(self._ids):
            if alarm_id in selected:
                selection.select(
                    self.table.model().index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        open_count = sum(1 for a in ordered if not a.acknowledged_by)
        self.summary.setText(
            _t("%1 active alarms, %2 not acknowledged")
            .replace("%1", str(len(ordered)))
            .replace("%2", str(open_count))
        )
        self._update_button()

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._ids[r] for r in rows if r < len(self._ids)]

    def _update_button(self) -> None:
        self.ack_button.setEnabled(bool(self.selected_ids()))

    def _acknowledge_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.acknowledge_requested.emit(ids)
