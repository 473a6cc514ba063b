"""Qt models of the agent wall: a list model over TileRows and a filter/sort proxy.

Rows are replaced, not mutated, by the floor controller (at most every 150 ms, coalesced);
the 1 Hz time-in-state tick repaints the viewport without touching the model at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from widgets.agent_tiles import ROW_ROLE, TileRow
from widgets.queue_meters import QUEUE_ROLE, QueueRow, queue_tooltip
from widgets.state_style import STATES, reason_label, state_label

STATE_ORDER = {s: i for i, s in enumerate(STATES)}
SORT_KEYS = ("name", "ext", "state", "time", "calls")
_Index = QModelIndex | QPersistentModelIndex


_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


class KeyedListModel(QAbstractListModel):
    """A flat list model of row objects that carry a unique `.key`; rows are replaced whole.

    Attributes:
        rows: the current rows, in insertion order (proxies sort).
    """

    ROLE: int = ROW_ROLE

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self._pos: dict[str, int] = {}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == self.ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.tooltip(row)
        return None

    def display(self, row: Any) -> str:
        return str(row.key)

    def tooltip(self, row: Any) -> str:
        return self.display(row)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS  # asked for on every paint of every tile

    def reset_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._pos = {r.key: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def update_rows(self, rows: Iterable[Any]) -> None:
        """Replace changed rows and append new ones. dataChanged goes out per run of adjacent
        rows, not as one span from the first to the last change: the view then repaints only
        the changed tiles instead of everything between them."""
        touched: list[int] = []
        new: list[Any] = []
        for row in rows:
            i = self._pos.get(row.key)
            if i is None:
                new.append(row)
                continue
            self.rows[i] = row
            touched.append(i)
        if touched:
            touched.sort()
            start = prev = touched[0]
            for i in touched[1:]:
                if i != prev + 1:
                    self.dataChanged.emit(self.index(start), self.index(prev), [self.ROLE])
                    start = i
                prev = i
            self.dataChanged.emit(self.index(start), self.index(prev), [self.ROLE])
        if new:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for r in new:
                self._pos[r.key] = len(self.rows)
                self.rows.append(r)
            self.endInsertRows()

    def remove_keys(self, keys: Iterable[str]) -> None:
        doomed = {k for k in keys if k in self._pos}
        for key in sorted(doomed, key=lambda k: -self._pos[k]):
            i = self._pos[key]
            self.beginRemoveRows(QModelIndex(), i, i)
            del self.rows[i]
            self.endRemoveRows()
        if doomed:
            self._pos = {r.key: j for j, r in enumerate(self.rows)}

    def row_for(self, key: str) -> Any:
        i = self._pos.get(key)
        return None if i is None else self.rows[i]


class AgentTileModel(KeyedListModel):
    ROLE = ROW_ROLE

    def display(self, row: TileRow) -> str:
        return f"{row.name} {row.ext}"

    def tooltip(self, row: TileRow) -> str:
        parts = [f"{row.name} ({row.ext}) — {state_label(row.state)}"]
        if row.reason:
            parts.append(reason_label(row.reason))
        if row.caller:
            parts.append(row.caller)
        if row.queues:
            parts.append(", ".join(row.queues))
        return "\n".join(parts)


class AgentFilterProxy(QSortFilterProxyModel):
    """Filter by queue, state, team and search text; sort by name, ext, state, time or calls.

    Dynamic sorting is off on purpose: Qt would re-sort on every dataChanged, i.e. on every
    coalesced update of a busy floor. Instead the controller calls `rows_changed()` after an
    update (re-filter only when a filter looks at changing fields, re-sort only when the sort
    key is one that changes) and `tick()` once a second (time in state re-sorts at 1 Hz).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.queue = ""
        self.state = ""
        self.team = ""
        self.text = ""
        self.sort_key = "ext"
        self.setDynamicSortFilter(False)
        self._resort_due = False

    def set_filter(
        self,
        *,
        queue: str | None = None,
        state: str | None = None,
        team: str | None = None,
        text: str | None = None,
    ) -> None:
        self.beginFilterChange()
        if queue is not None:
            self.queue = queue
        if state is not None:
            self.state = state
        if team is not None:
            self.team = team
        if text is not None:
            self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._sort_now()

    def set_sort_key(self, key: str) -> None:
        self.sort_key = key if key in SORT_KEYS else "ext"
        self._sort_now()

    def _sort_now(self) -> None:
        order = (
            Qt.SortOrder.DescendingOrder
            if self.sort_key in ("time", "calls")
            else Qt.SortOrder.AscendingOrder
        )
        self.sort(-1)
        self.sort(0, order)
        self._resort_due = False

    def rows_changed(self) -> None:
        """Rows were replaced: refresh what depends on their changing fields."""
        if self.state or self.queue:
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            self._sort_now()
        elif self.sort_key in ("state", "time", "calls"):
            self._resort_due = True

    def tick(self) -> None:
        if self._resort_due or self.sort_key == "time":
            self._sort_now()

    def _row(self, index: _Index) -> TileRow:
        model = self.sourceModel()
        assert isinstance(model, AgentTileModel)
        return model.rows[index.row()]

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AgentTileModel):
            return True
        row = model.rows[source_row]
        if self.queue and self.queue not in row.queues:
            return False
        if self.state and row.state != self.state:
            return False
        if self.team and row.team != self.team:
            return False
        return not (
            self.text and self.text not in row.name.lower() and self.text not in row.ext.lower()
        )

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a = self._row(left)
        b = self._row(right)
        k = self.sort_key
        if k == "name":
            return (a.name, a.ext) < (b.name, b.ext)
        if k == "state":
            return (STATE_ORDER.get(a.state, 99), a.since) < (STATE_ORDER.get(b.state, 99), b.since)
        if k == "time":
            return a.since > b.since  # later start = shorter time in state; shown descending
        if k == "calls":
            return (a.calls, a.ext) < (b.calls, b.ext)
        return _ext_key(a.ext) < _ext_key(b.ext)


def _ext_key(ext: str) -> tuple[int, str]:
    return (int(ext), "") if ext.isdigit() else (1 << 62, ext)


class QueueMeterModel(KeyedListModel):
    ROLE = QUEUE_ROLE

    def display(self, row: QueueRow) -> str:
        return row.title

    def tooltip(self, row: QueueRow) -> str:
        return queue_tooltip(row)
