"""File → Open record…: the offline review of a record (read-only; works on a copy from
another PC, on a record a running console is writing, and with no PBX at all).

Tabs: the record's tables (monitoring sessions with mode segments, actions, alarms, sign-ins,
settings changes) under one filter bar; agent state timelines (Gantt); the interval table and
traffic chart of a day; and the floor replay — a slider redraws the tile wall and the queue
meters as they were at that minute. Export (CSV / XLSX / PDF) and chain verification use the
same functions as `main.py audit`.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSlider,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.agent_actions import action_names
from console.alarms_view import alarm_figure, kind_label, recorded_alarm_text, severity_label
from console.floor_adapter import formula_label, interval_label, state_counts
from console.floor_models import AgentTileModel, QueueMeterModel
from console.monitor_link import end_reason_label
from console.record_link import SESSION_METHOD
from console.settings_dialog import setting_label
from cti.state.config import FloorConfig
from cti.state.intervals import IntervalClock
from cti.state.metrics import IntervalMetrics, sl_projection, sl_terms
from db.errors import RecordError
from db.export import (
    INTERVAL_COLUMNS,
    NO_END,
    NO_RESULT,
    Table,
    all_tables,
    check_target,
    detail_tables,
    export_csv,
    export_xlsx,
    header_lines,
    interval_rows,
)
from db.floor_replay import QueueAt
from db.review import Review, day_bounds, open_review
from db.review_rows import DefinitionsPart, ReviewFilter
from db.zone import epoch, same_clock, wall_time, zone_text
from widgets.agent_tiles import AgentTileDelegate, AgentTileView, TileRow
from widgets.charts import StateTimeline, TrafficChart
from widgets.queue_meters import QueueMeterDelegate, QueueMeterView, QueueRow
from widgets.segments import Segment
from widgets.state_style import mode_label

if TYPE_CHECKING:
    from db.chain import VerifyResult

log = logging.getLogger(__name__)

TIMELINE_PAGE = 40  # agents per page of the timeline tab
_Index = QModelIndex | QPersistentModelIndex


def column_label(name: str) -> str:
    """Column names of db.export tables in the UI language (exports keep the English names)."""
    t = QCoreApplication.translate
    labels = {
        "seq": t("ReviewColumns", "No."),
        "started": t("ReviewColumns", "Started"),
        "ended": t("ReviewColumns", "Ended"),
        "supervisor": t("ReviewColumns", "Supervisor"),
        "workstation": t("ReviewColumns", "Workstation"),
        "agent": t("ReviewColumns", "Agent"),
        "queue": t("ReviewColumns", "Queue"),
        "caller": t("ReviewColumns", "Caller"),
        "modes": t("ReviewColumns", "Modes"),
        "end": t("ReviewColumns", "End"),
        "time": t("ReviewColumns", "Time"),
        "action": t("ReviewColumns", "Action"),
        "params": t("ReviewColumns", "Parameters"),
        "outcome": t("ReviewColumns", "Outcome"),
        "result": t("ReviewColumns", "Result"),
        "duration_ms": t("ReviewColumns", "Duration (ms)"),
        "raised": t("ReviewColumns", "Raised"),
        "severity": t("ReviewColumns", "Severity"),
        "rule": t("ReviewColumns", "Rule"),
        "message": t("ReviewColumns", "Message"),
        "value": t("ReviewColumns", "Value"),
        "threshold": t("ReviewColumns", "Threshold"),
        "acknowledged": t("ReviewColumns", "Acknowledged"),
        "changes": t("ReviewColumns", "Changes"),
        "cleared": t("ReviewColumns", "Cleared"),
        "account": t("ReviewColumns", "Account"),
        "method": t("ReviewColumns", "Method"),
        "setting": t("ReviewColumns", "Setting"),
        "old": t("ReviewColumns", "Old value"),
        "new": t("ReviewColumns", "New value"),
        "interval": t("ReviewColumns", "Interval"),
        "offered": t("ReviewColumns", "Offered"),
        "answered": t("ReviewColumns", "Answered"),
        "answered in T": t("ReviewColumns", "Answered in T"),
        "abandoned": t("ReviewColumns", "Abandoned"),
        "short abandoned": t("ReviewColumns", "Short abandoned"),
        "SL %": t("ReviewColumns", "SL %"),
        "ASA s": t("ReviewColumns", "ASA s"),
        "AHT s": t("ReviewColumns", "AHT s"),
    }
    return labels.get(name, name)


def action_label(action: str) -> str:
    """A recorded action as the console's buttons name it, then the recorded name, e.g.
    "示忙 (pause)"; names recorded by other programs are shown as they are."""
    label = action_names().get(action)
    return f"{label} ({action})" if label else action


def outcome_label(outcome: str) -> str:
    t = QCoreApplication.translate
    labels = {
        "ok": t("ReviewWindow", "Succeeded"),
        "failed": t("ReviewWindow", "Failed"),
        "signed_out": t("ReviewWindow", "Signed out"),
    }
    return labels.get(outcome, outcome)


def method_label(method: str) -> str:
    """How a sign-in or sign-out happened, in the UI language."""
    t = QCoreApplication.translate
    labels = {
        "password": t("ReviewWindow", "Password"),
        SESSION_METHOD: t("ReviewWindow", "Console started (system user)"),
        "console_closed": t("ReviewWindow", "Console closed"),
        "manual": t("ReviewWindow", "Signed out by the supervisor"),
    }
    return labels.get(method, method)


def alarm_changes_label(text: str) -> str:
    """The Alarms table's changes ("09:48:20 severity critical; 09:58:20 escalated critical")
    in the UI language: "09:48:20 → Critical; 09:58:20 Escalated (not acknowledged in time)"."""
    shown = []
    for item in text.split("; "):
        at, _, rest = item.partition(" ")
        change, _, severity = rest.partition(" ")
        if change == "severity":
            shown.append(f"{at} → {severity_label(severity)}")
        elif change == "escalated":
            escalated = QCoreApplication.translate(
                "ReviewWindow", "Escalated (not acknowledged in time)"
            )
            shown.append(f"{at} {escalated}")
        else:
            shown.append(item)
    return "; ".join(shown)


def modes_label(text: str) -> str:
    """A session's modes ("listen 09:43:20 → whisper 09:44:10") in the UI language."""
    shown = []
    for segment in text.split(" → "):
        mode, _, at = segment.partition(" ")
        shown.append(f"{mode_label(mode)} {at}".strip())
    return " → ".join(shown)


# Columns whose recorded values are codes: shown in the UI language (exports keep the codes).
_VALUE_LABELS: dict[str, Callable[[str], str]] = {
    "action": action_label,
    "outcome": outcome_label,
    "method": method_label,
    "rule": kind_label,
    "severity": severity_label,
    "setting": setting_label,
    "changes": alarm_changes_label,
    "modes": modes_label,
    "end": end_reason_label,
}


def _alarm_message(row: dict[str, Any]) -> str | None:
    """The Alarms table's message rebuilt in the UI language from the recorded rule, subject
    and figures (the recorded English message stays in the tooltip and the exports)."""
    rule = row.get("rule")
    if not rule:
        return None
    subject = str(row.get("queue") or row.get("agent") or "")
    value, threshold = row.get("value"), row.get("threshold")
    return recorded_alarm_text(
        str(rule),
        subject,
        float(value) if isinstance(value, int | float) else None,
        float(threshold) if isinstance(threshold, int | float) else None,
    )


def _missing_label(text: str) -> str | None:
    """The export's words for an end that never reached the record, in the UI language."""
    t = QCoreApplication.translate
    if text == NO_END:
        return t("ReviewWindow", "(no end recorded)")
    if text == NO_RESULT:
        return t("ReviewWindow", "(no result recorded)")
    return None


# Columns shown in the UI language from the whole row (exports keep what was recorded).
def _alarm_figure(column: str) -> Callable[[dict[str, Any]], str | None]:
    def label(row: dict[str, Any]) -> str | None:
        value, rule = row.get(column), row.get("rule")
        if not isinstance(value, int | float) or not rule:
            return None
        return alarm_figure(str(rule), float(value))

    return label


_ROW_LABELS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "message": _alarm_message,
    "value": _alarm_figure("value"),
    "threshold": _alarm_figure("threshold"),
}

_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def definitions_text(config: FloorConfig, since: float | None) -> str:
    """Which definitions the interval figures use, and whose they are."""
    t = QCoreApplication.translate
    rule = (
        t("ReviewWindow", "SL = %1, T = %2 s, target %3 %, %4-minute intervals")
        .replace("%1", formula_label(config.sl_formula))
        .replace("%2", f"{config.sl_threshold_s:g}")
        .replace("%3", f"{config.sl_target * 100:g}")
        .replace("%4", str(config.interval_minutes))
    )
    if since is None:
        who = t("ReviewWindow", "this console's definitions (the record holds none for that day)")
    else:
        who = t("ReviewWindow", "as the console started at %1 ran them").replace(
            "%1", wall_time(since, config.tz).strftime("%Y-%m-%d %H:%M")
        )
    return f"{rule} — {who}"


def _part_at(parts: list[DefinitionsPart], ts: float) -> DefinitionsPart:
    """The part of the day holding `ts` (the last part for anything after the day)."""
    return next((p for p in parts if ts < p.end), parts[-1])


def parts_text(parts: list[DefinitionsPart]) -> str:
    """The definitions behind a day's intervals: one line, or one per session that ran with
    other definitions ("from 13:30: …")."""
    if len(parts) == 1:
        return definitions_text(parts[0].config, parts[0].since)
    t = QCoreApplication.translate
    return "\n".join(
        t("ReviewWindow", "from %1: %2")
        .replace("%1", wall_time(p.start, p.config.tz).strftime("%H:%M"))
        .replace("%2", definitions_text(p.config, p.since))
        for p in parts
    )


def zone_note(zone: tzinfo | None, ts: float) -> str:
    """Whose clock the window's times are on (status bar)."""
    t = QCoreApplication.translate
    if zone is None:
        return t("ReviewWindow", "Times in this PC's time zone (the record names none)")
    text = t("ReviewWindow", "Times: %1").replace("%1", zone_text(zone, ts))
    if same_clock(zone, ts):
        return text
    here = zone_text(datetime.fromtimestamp(ts).astimezone().tzinfo, ts)
    return (
        t("ReviewWindow", "%1, the recording console's zone (this PC: %2)")
        .replace("%1", text)
        .replace("%2", here)
    )


def replay_queue_row(
    q: QueueAt, m: IntervalMetrics | None, ts: float, config: FloorConfig
) -> QueueRow:
    """A replayed queue card: callers and agents at `ts`, and the interval's figures as the
    live meter showed them then (calls that had left the queue by `ts`)."""
    by = {k.lower(): v for k, v in q.agents_by_state}
    start, end = IntervalClock(config.interval_minutes, config.tz).interval_bounds(ts)
    num, den = sl_terms(m, config.sl_formula) if m is not None else (0, 0)
    target = config.target(q.name)
    figures: dict[str, Any] = {"needed": sl_projection(num, den, target).needed_within}
    if m is not None:
        figures.update(
            sl=None if m.sl_percent is None else m.sl_percent / 100.0,
            asa_s=m.asa_s,
            abandon=None if m.abandon_percent is None else m.abandon_percent / 100.0,
            offered=m.offered,
        )
    return QueueRow(
        key=q.name,
        title=q.name,
        waiting=q.waiting,
        oldest_join=(ts - q.longest_wait_s) if q.longest_wait_s else None,
        sl_target=target,
        sl_threshold_s=int(config.threshold(q.name)),
        formula=formula_label(config.sl_formula),
        interval=interval_label(start, end, config.tz),
        **state_counts(by),
        **figures,
    )


class HintedTableView(QTableView):
    """A table that says so when it is empty, instead of showing a blank page."""

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            colour = self.palette().color(QPalette.ColorRole.Text)
            colour.setAlpha(150)
            painter.setPen(colour)
            painter.drawText(
                self.viewport().rect().adjusted(0, 24, 0, 0),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self.empty_text,
            )
            painter.end()


class TableModel(QAbstractTableModel):
    """A read-only table over db.export.Table rows."""

    def __init__(
        self,
        table: Table | None = None,
        parent: Any = None,
        agent_label: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table or Table("", (), [])
        # the record's own names for agents ("王芳 · 1001"; the interface in the tooltip)
        self.labels = dict(_VALUE_LABELS)
        if agent_label is not None:
            self.labels["agent"] = agent_label

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        display = role == Qt.ItemDataRole.DisplayRole
        if not (display or role == Qt.ItemDataRole.ToolTipRole) or not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        text = "" if value is None else str(value)
        column = self.table.columns[index.column()]
        missing = _missing_label(text)
        if missing is not None:
            return missing if display else None
        label = self.labels.get(column)
        if label is not None and text:
            return label(text) if display else text
        row_label = _ROW_LABELS.get(column)
        if row_label is not None and text:
            shown = row_label(
                dict(zip(self.table.columns, self.table.rows[index.row()], strict=True))
            )
            return (shown or text) if display else text
        if _ISO_TIME.match(text):
            # Exports keep the full ISO time with its UTC offset; on screen the offset is the
            # reviewing PC's own, so the table shows local date and time, the tooltip all of it.
            return f"{text[:10]} {text[11:19]}" if display else text
        return text if display else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return column_label(self.table.columns[section])
        return None


class _VerifyCancelledError(Exception):
    """The supervisor cancelled a chain check."""


class ReviewWindow(QMainWindow):
    """Attributes:
    review: the open record (read-only).
    tables: one TableModel per record table, refreshed by the filter.
    """

    def __init__(
        self, review: Review, parent: QWidget | None = None, config: FloorConfig | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.review = review
        # The console's own definitions (interval, SL threshold, target, formula), so a past
        # interval reads as the live meters showed it; defaults when opened without a console.
        self.config = config or FloorConfig()
        # Days, intervals and clock times are the recording console's (db/zone.py), so a
        # copy reviewed on a PC in another zone reads as the floor lived it.
        self.zone = review.zone
        self.last_verify_text = ""  # the last chain check's result, as shown
        self.resize(1280, 820)
        self.setWindowTitle(self.tr("Record %1 (read-only)").replace("%1", review.path.name))
        bounds = review.bounds() or (time.time() - 3600, time.time())
        self.bounds = bounds

        # Filter bar: whole minutes around everything in the record (the pickers show minutes)
        first, last = review.record_span() or bounds
        self.date_from = QDateTimeEdit(QDateTime(wall_time(first // 60 * 60, self.zone)))
        self.date_to = QDateTimeEdit(QDateTime(wall_time(last // 60 * 60 + 60, self.zone)))
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.supervisor = self._combo(review.supervisors())
        self.agent_names = review.agent_names()
        self.agent = self._combo(review.agents(), self._agent_label)
        # A floor of 2,000 agents: type part of a name or an extension to find one.
        self.agent.setEditable(True)
        self.agent.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        finder = self.agent.completer()
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.queue = self._combo(review.queues())
        self.action = self._combo(review.action_names())
        self.apply_btn = QPushButton(self.tr("Apply filter"))
        self.apply_btn.clicked.connect(self.refresh)
        self.export_btn = QPushButton(self.tr("Export…"))
        self.export_btn.clicked.connect(self._on_export)
        self.verify_btn = QPushButton(self.tr("Verify chain"))
        self.verify_btn.clicked.connect(self._on_verify)
        bar = QHBoxLayout()
        for label, w in (
            (self.tr("From"), self.date_from),
            (self.tr("To"), self.date_to),
            (self.tr("Supervisor"), self.supervisor),
            (self.tr("Agent"), self.agent),
            (self.tr("Queue"), self.queue),
            (self.tr("Action"), self.action),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.apply_btn)
        bar.addStretch(1)
        bar.addWidget(self.export_btn)
        bar.addWidget(self.verify_btn)

        self.tabs = QTabWidget()
        self.tables: dict[str, TableModel] = {}
        for title in ("Monitoring sessions", "Actions", "Alarms", "Sign-ins", "Settings"):
            model = TableModel(parent=self, agent_label=self._agent_label)
            view = HintedTableView(self.tr("Nothing in this period and filter."))
            view.setModel(model)
            view.setSortingEnabled(False)
            view.horizontalHeader().setStretchLastSection(True)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)
            # Fit columns to the first rows only: a long record's tables have tens of
            # thousands of rows, and measuring each cell would stall the window's opening.
            view.horizontalHeader().setResizeContentsPrecision(200)
            model.modelReset.connect(view.resizeColumnsToContents)
            self.tables[title] = model
            self.tabs.addTab(view, self._tab_title(title))

        # Timeline tab
        self.timeline_day = QDateEdit(wall_time(bounds[1], self.zone).date())
        self.timeline_day.setCalendarPopup(True)
        self.timeline_day.setDisplayFormat("yyyy-MM-dd")
        self.timeline_btn = QPushButton(self.tr("Show"))
        self.timeline_btn.clicked.connect(self._on_timeline)
        # A floor of 2,000 agents is shown a page at a time: each row replays its agent's day.
        self.timeline_page = 0
        self.timeline_prev = QPushButton(self.tr("◀ Previous"))
        self.timeline_next = QPushButton(self.tr("Next ▶"))
        self.timeline_prev.clicked.connect(lambda: self._turn_timeline_page(-1))
        self.timeline_next.clicked.connect(lambda: self._turn_timeline_page(1))
        self.timeline_prev.setEnabled(False)
        self.timeline_next.setEnabled(False)
        self.timeline_count = QLabel()
        self.timeline = StateTimeline()
        tl = QWidget()
        tll = QVBoxLayout(tl)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Day")))
        row.addWidget(self.timeline_day)
        row.addWidget(self.timeline_btn)
        row.addSpacing(16)
        row.addWidget(self.timeline_prev)
        row.addWidget(self.timeline_count)
        row.addWidget(self.timeline_next)
        row.addStretch(1)
        tll.addLayout(row)
        tll.addWidget(self.timeline, 1)
        self.tabs.addTab(tl, self.tr("Agent timelines"))

        # Intervals tab
        self.interval_day = QDateEdit(wall_time(bounds[1], self.zone).date())
        self.interval_day.setCalendarPopup(True)
        self.interval_day.setDisplayFormat("yyyy-MM-dd")
        self.interval_btn = QPushButton(self.tr("Show"))
        self.interval_btn.clicked.connect(self._on_intervals)
        self.interval_model = TableModel(parent=self)
        self.interval_view = QTableView()
        self.interval_view.setModel(self.interval_model)
        self.interval_model.modelReset.connect(self.interval_view.resizeColumnsToContents)
        self.interval_chart = TrafficChart()
        iv = QWidget()
        ivl = QVBoxLayout(iv)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Day")))
        row.addWidget(self.interval_day)
        row.addWidget(self.interval_btn)
        self.definitions_label = QLabel()
        self.definitions_label.setObjectName("intervalDefinitions")
        self.definitions_label.setWordWrap(True)
        row.addWidget(self.definitions_label, 1)
        ivl.addLayout(row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.interval_view)
        split.addWidget(self.interval_chart)
        ivl.addWidget(split, 1)
        self.tabs.addTab(iv, self.tr("Intervals"))

        # Replay tab
        self.replay_ts = bounds[0]  # set by the first replay below
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setRange(0, math.ceil(max(0.0, bounds[1] - self._first_minute()) / 60))
        self.slider.setPageStep(15)
        self.slider.sliderReleased.connect(self._on_replay)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.replay_label = QLabel()
        self.replay_queues = QueueMeterModel(self)
        self.replay_agents = AgentTileModel(self)
        meters = QueueMeterView()
        meters.setItemDelegate(QueueMeterDelegate(lambda: self.replay_ts, meters))
        meters.setModel(self.replay_queues)
        wall = AgentTileView()
        wall.setItemDelegate(AgentTileDelegate(lambda: self.replay_ts, wall))
        wall.setModel(self.replay_agents)
        rp = QWidget()
        rpl = QVBoxLayout(rp)
        row = QHBoxLayout()
        row.addWidget(self.slider, 1)
        row.addWidget(self.replay_label)
        rpl.addLayout(row)
        rpl.addWidget(meters)
        rpl.addWidget(wall, 1)
        self.tabs.addTab(rp, self.tr("Floor replay"))

        central = QWidget()
        lay = QVBoxLayout(central)
        if review.note:
            note = QLabel(review.note)
            note.setWordWrap(True)
            lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.zone_label = QLabel(zone_note(self.zone, bounds[1]))
        self.zone_label.setObjectName("reviewZone")
        self.statusBar().addPermanentWidget(self.zone_label)
        self.refresh()
        self._on_slider_moved(self.slider.value())

    @classmethod
    def open(
        cls, path: Path, parent: QWidget | None = None, config: FloorConfig | None = None
    ) -> ReviewWindow | None:
        try:
            review = open_review(path)
        except RecordError as exc:
            QMessageBox.warning(parent, cls.tr("Open record"), str(exc))
            return None
        return cls(review, parent, config)

    def _tab_title(self, title: str) -> str:
        return {
            "Monitoring sessions": self.tr("Monitoring sessions"),
            "Actions": self.tr("Actions"),
            "Alarms": self.tr("Alarms"),
            "Sign-ins": self.tr("Sign-ins"),
            "Settings": self.tr("Settings changes"),
        }[title]

    def _combo(self, values: list[str], label: Callable[[str], str] = str) -> QComboBox:
        c = QComboBox()
        c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        c.addItem(self.tr("(all)"), None)
        for v in values:
            c.addItem(label(v), v)
        return c

    def chosen_agent(self) -> str | None:
        """The agent typed or picked in the filter: the item whose label is the text, else
        the only one containing it ("1017", "王芳"); None for all (or nothing matching,
        which the status bar says)."""
        text = self.agent.currentText().strip()
        exact = self.agent.findText(text, Qt.MatchFlag.MatchFixedString)
        if exact >= 0:
            return cast("str | None", self.agent.itemData(exact))
        if not text:
            return None
        found = [
            i
            for i in range(1, self.agent.count())
            if text.casefold() in self.agent.itemText(i).casefold()
        ]
        if len(found) == 1:
            return cast("str | None", self.agent.itemData(found[0]))
        self.statusBar().showMessage(
            self.tr("No single agent matches “%1”: showing all agents.").replace("%1", text),
            10000,
        )
        return None

    def _agent_label(self, interface: str) -> str:
        """The agent as the filter and the timeline show it: "王芳 · 1017", else the interface."""
        name = self.agent_names.get(interface)
        return f"{name} · {interface.rsplit('/', 1)[-1]}" if name else interface

    def current_filter(self) -> ReviewFilter:
        return ReviewFilter(
            start=epoch(self.date_from.dateTime().toPython(), self.zone),
            end=epoch(self.date_to.dateTime().toPython(), self.zone),
            supervisor=self.supervisor.currentData(),
            agent=self.chosen_agent(),
            queue=self.queue.currentData(),
            action=self.action.currentData(),
        )

    def refresh(self) -> None:
        try:
            tables = detail_tables(self.review, self.current_filter())
        except RecordError as exc:
            QMessageBox.warning(self, self.tr("Record"), str(exc))
            return
        for t in tables:
            if t.title in self.tables:
                self.tables[t.title].set_table(t)

    # -- timeline / intervals ------------------------------------------------------------
    def timeline_agents(self) -> list[str]:
        """Whom the timeline lists: the filter's agent, else the filter's queue's members,
        else every agent of the record."""
        agent, queue = self.chosen_agent(), self.queue.currentData()
        if agent:
            return [agent]
        return self.review.queue_members(queue) if queue else self.review.agents()

    def _on_timeline(self) -> None:
        self.timeline_page = 0
        self._show_timeline_page()

    def _turn_timeline_page(self, step: int) -> None:
        self.timeline_page += step
        self._show_timeline_page()

    def _show_timeline_page(self) -> None:
        day: date = self.timeline_day.date().toPython()
        self.timeline.set_zone(self.zone, day_bounds(day, self.zone)[0] + 43200)
        try:
            everyone = self.timeline_agents()
        except RecordError as exc:
            QMessageBox.warning(self, self.tr("Record"), str(exc))
            return
        pages = max(1, -(-len(everyone) // TIMELINE_PAGE))
        self.timeline_page = max(0, min(self.timeline_page, pages - 1))
        first = self.timeline_page * TIMELINE_PAGE
        agents = everyone[first : first + TIMELINE_PAGE]
        self.timeline_prev.setEnabled(self.timeline_page > 0)
        self.timeline_next.setEnabled(self.timeline_page < pages - 1)
        self.timeline_count.setText(
            self.tr("Agents %1–%2 of %3")
            .replace("%1", str(first + 1 if agents else 0))
            .replace("%2", str(first + len(agents)))
            .replace("%3", str(len(everyone)))
        )
        rows: list[list[Segment]] = []
        failure = ""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rows = self._timeline_rows(agents, day)
        except RecordError as exc:
            failure = str(exc)
        finally:
            QApplication.restoreOverrideCursor()  # before any message: no wait cursor over it
        if failure:
            QMessageBox.warning(self, self.tr("Record"), failure)
            return
        self.timeline.set_rows([self._agent_label(a) for a in agents], rows)

    def _timeline_rows(self, agents: list[str], day: date) -> list[list[Segment]]:
        lines = self.review.agent_timelines(agents, day)
        return [
            [
                Segment(
                    s.start,
                    s.end if s.end is not None else s.start,
                    s.state.lower(),
                    s.reason or "",
                )
                for s in lines[a]
            ]
            for a in agents
        ]

    def config_at(self, ts: float) -> tuple[FloorConfig, float | None]:
        """The definitions the recording console ran with at `ts`, else this window's own."""
        try:
            return self.review.definitions_at(ts, self.config)
        except RecordError as exc:
            log.warning("floor definitions unreadable, using the console's: %s", exc)
            return self.config, None

    def _on_intervals(self) -> None:
        day: date = self.interval_day.date().toPython()
        try:
            table, parts = self.review.day_intervals(day, self.config)
        except RecordError as exc:
            QMessageBox.warning(self, self.tr("Record"), str(exc))
            return
        self.definitions_label.setText(parts_text(parts))
        rows, totals = interval_rows(table, self.zone, self.tr("All queues"))
        keys = [m.start for m in totals]
        self.interval_model.set_table(Table("Intervals", INTERVAL_COLUMNS, rows))
        self.interval_chart.set_data(
            [wall_time(k, self.zone).strftime("%H:%M") for k in keys],
            [m.offered for m in totals],
            [m.answered for m in totals],
            [m.abandoned for m in totals],
            [m.sl_percent for m in totals],
            [_part_at(parts, k).config.sl_target * 100.0 for k in keys],
        )

    # -- replay --------------------------------------------------------------------------
    def _first_minute(self) -> float:
        """The first whole minute at or after the record's first PBX event: the replay
        starts there, where the floor is known (at the first event itself nothing is)."""
        return math.ceil(self.bounds[0] / 60) * 60.0

    def replay_time(self, value: int) -> float:
        """The slider's position as a time: whole minutes, the last one the record's end."""
        return min(self._first_minute() + value * 60, self.bounds[1])

    def _on_slider_moved(self, value: int) -> None:
        ts = self.replay_time(value)
        self.replay_label.setText(wall_time(ts, self.zone).strftime("%Y-%m-%d %H:%M"))
        if not self.slider.isSliderDown():
            self._on_replay()

    def _on_replay(self) -> None:
        ts = self.replay_time(self.slider.value())
        self.replay_ts = ts
        progress = QProgressDialog(self.tr("Rebuilding the floor…"), self.tr("Cancel"), 0, 0, self)
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)

        def tick(rows: int) -> bool:
            progress.setLabelText(
                self.tr("Rebuilding the floor… %1 events").replace("%1", str(rows))
            )
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            floor = self.review.floor_at(ts, tick)
            config, _ = self.config_at(ts)
            figures = self.review.interval_at(ts, config)
        except RecordError as exc:
            progress.close()
            if not progress.wasCanceled():
                QMessageBox.warning(self, self.tr("Floor replay"), str(exc))
            return
        progress.close()
        tiles = [
            TileRow(
                key=a.interface,
                name=a.name or a.interface,
                ext=a.interface.split("/")[-1],
                state=a.state.lower(),
                reason=a.reason or "",
                since=a.since or ts,
                caller=a.caller,
                queue=a.call_queue,
                calls=a.calls_today,
                queues=a.queues,
            )
            for a in sorted(floor.agents.values(), key=lambda a: a.interface)
        ]
        self.replay_agents.reset_rows(tiles)
        self.replay_queues.reset_rows(
            [
                replay_queue_row(q, figures.get(q.name), ts, config)
                for q in sorted(floor.queues.values(), key=lambda q: q.name)
            ]
        )

    # -- export / verify -----------------------------------------------------------------
    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export record"),
            str(Path.home() / f"{self.review.path.stem}.xlsx"),
            "Excel (*.xlsx);;CSV (*.csv);;PDF (*.pdf)",
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, out: Path) -> int:
        f = self.current_filter()
        try:
            if out.suffix.lower() == ".csv":
                n = export_csv(self.review, f, out)
            elif out.suffix.lower() == ".pdf":
                from console.record_pdf import write_pdf

                check_target(self.review.path, out)
                tables = all_tables(self.review, f, base=self.config)
                write_pdf(
                    out, f"Record {self.review.path.name}", header_lines(self.review, f), tables
                )
                n = len(tables[0].rows)
            else:
                n = export_xlsx(self.review, f, out, base=self.config)
        except (RecordError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Export record"), str(exc))
            return -1
        self.statusBar().showMessage(
            self.tr("Exported %1 rows to %2").replace("%1", str(n)).replace("%2", str(out)), 10000
        )
        return n

    def _on_verify(self) -> None:
        """Check the chain with progress (a 10 M-row record takes minutes) and say the result
        in the window's language; the verifier's own explanation follows as the detail."""
        from db.chain import verify

        try:
            total = self.review.head()[0]
        except RecordError:
            total = 0
        progress = QProgressDialog(
            self.tr("Checking the chain…"), self.tr("Cancel"), 0, max(total, 0), self
        )
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)

        def tick(rows: int) -> None:
            progress.setValue(min(rows, total))
            progress.setLabelText(
                self.tr("Checking the chain… %1 of %2 rows")
                .replace("%1", f"{rows:,}")
                .replace("%2", f"{total:,}")
            )
            from PySide6.QtWidgets import QApplication

            QApplication.processEvents()
            if progress.wasCanceled():
                raise _VerifyCancelledError

        try:
            result = verify(self.review.path, tick)
        except _VerifyCancelledError:
            progress.close()
            self.statusBar().showMessage(self.tr("Chain check cancelled"), 10000)
            return
        except RecordError as exc:
            progress.close()
            QMessageBox.warning(self, self.tr("Verify chain"), str(exc))
            return
        progress.close()
        self.last_verify_text = self.verify_text(result)
        box = QMessageBox.information if result.ok else QMessageBox.critical
        box(self, self.tr("Verify chain"), self.last_verify_text)

    def verify_text(self, result: VerifyResult) -> str:
        if result.ok:
            text = self.tr("The chain is intact: %1 rows.").replace("%1", f"{result.rows:,}")
            if result.last_seq is not None:
                text += "\n" + self.tr(
                    "Chain head: row #%1, SHA-256 %2 (note it down: a later check against it "
                    "proves nothing before it changed)."
                ).replace("%1", str(result.last_seq)).replace("%2", result.head_hash)
            return text
        kinds = {
            "edited": self.tr("edited"),
            "deleted": self.tr("deleted"),
            "inserted": self.tr("inserted"),
            "reordered": self.tr("moved out of order"),
            "truncated": self.tr("cut off at the end"),
            "rewritten": self.tr("rewritten with recomputed hashes"),
        }
        kind = kinds.get(result.problem or "", result.problem or "")
        if result.seq is None:
            text = self.tr("The record was altered: %1.").replace("%1", kind)
        else:
            where = ""
            if result.table is not None and result.ts is not None:
                when = wall_time(result.ts, self.zone).strftime("%Y-%m-%d %H:%M:%S")
                where = self.tr(" (%1, %2)").replace("%1", result.table).replace("%2", when)
            text = (
                self.tr("The record was altered: row #%1%2 was %3.")
                .replace("%1", str(result.seq))
                .replace("%2", where)
                .replace("%3", kind)
            )
        return text + "\n" + self.tr("Details: %1").replace("%1", result.message)

    def closeEvent(self, event: Any) -> None:
        self.review.close()
        super().closeEvent(event)
