"""The floor: queue meters on top, filter bar, the agent tile wall with the detail panel beside
it, and the traffic chart below. Pure view: it shows what the floor controller pushes and
forwards the supervisor's choices as signals.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsColorizeEffect,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.agent_detail import AgentDetailPanel
from console.floor_models import AgentFilterProxy, AgentTileModel, QueueMeterModel
from widgets.agent_tiles import AgentTileDelegate, AgentTileView
from widgets.lazy_charts import LazyTrafficChart
from widgets.queue_meters import QueueMeterDelegate, QueueMeterView
from widgets.state_style import STATES, state_label

SORTS = ("ext", "name", "state", "time", "calls")


class FloorView(QWidget):
    """Signals:
    agent_selected(str): interface of the agent now shown in the detail panel ("" = none).
    action_requested(str, str): action and argument, for the selected agent.
    chart_queue_chosen(str): the traffic chart should show this queue ("" = all).
    """

    agent_selected = Signal(str)
    action_requested = Signal(str, str)
    chart_queue_chosen = Signal(str)

    def __init__(self, now: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("floorView")
        self.queue_model = QueueMeterModel(self)
        self.agent_model = AgentTileModel(self)
        self.proxy = AgentFilterProxy(self)
        self.proxy.setSourceModel(self.agent_model)
        self.proxy.set_sort_key("ext")

        self.meters = QueueMeterView()
        self.meter_delegate = QueueMeterDelegate(now, self.meters)  # type: ignore[arg-type]
        self.meters.setItemDelegate(self.meter_delegate)
        self.meters.setModel(self.queue_model)

        self.search = QLineEdit()
        self.search.setObjectName("agentSearch")
        self.search.setClearButtonEnabled(True)
        self.queue_filter = QComboBox()
        self.queue_filter.setObjectName("queueFilter")
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.team_filter = QComboBox()
        self.team_filter.setObjectName("teamFilter")
        self.sort = QComboBox()
        self.sort.setObjectName("agentSort")
        self.count_label = QLabel()
        self.count_label.setObjectName("agentCount")
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        (
            self.search_label,
            self.queue_label,
            self.state_label_w,
            self.team_label,
            self.sort_label,
        ) = (QLabel(), QLabel(), QLabel(), QLabel(), QLabel())
        for label, w in (
            (self.search_label, self.search),
            (self.queue_label, self.queue_filter),
            (self.state_label_w, self.state_filter),
            (self.team_label, self.team_filter),
            (self.sort_label, self.sort),
        ):
            label.setBuddy(w)
            bar.addWidget(label)
            bar.addWidget(w, 2 if w is self.search else 0)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

        self.wall = AgentTileView()
        self.tile_delegate = AgentTileDelegate(now, self.wall)  # type: ignore[arg-type]
        self.wall.setItemDelegate(self.tile_delegate)
        self.wall.setModel(self.proxy)
        self.detail = AgentDetailPanel()
        self.chart = LazyTrafficChart()
        self.chart.setMinimumHeight(150)
        self.chart_queue = QComboBox()
        self.chart_queue.setObjectName("chartQueue")
        self.chart_title = QLabel()
        chart_box = QWidget()
        cl = QVBoxLayout(chart_box)
        cl.setContentsMargins(6, 0, 6, 0)
        ch = QHBoxLayout()
        ch.addWidget(self.chart_title)
        ch.addWidget(self.chart_queue)
        ch.addStretch(1)
        cl.addLayout(ch)
        cl.addWidget(self.chart, 1)

        self.h_split = QSplitter(Qt.Orientation.Horizontal)
        self.h_split.addWidget(self.wall)
        self.h_split.addWidget(self.detail)
        self.h_split.setStretchFactor(0, 4)
        self.h_split.setStretchFactor(1, 1)
        self.v_split = QSplitter(Qt.Orientation.Vertical)
        self.v_split.addWidget(self.h_split)
        self.v_split.addWidget(chart_box)
        self.v_split.setStretchFactor(0, 4)
        self.v_split.setStretchFactor(1, 1)
        self.v_split.setSizes([600, 200])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.meters)
        lay.addLayout(bar)
        lay.addWidget(self.v_split, 1)

        self.stale = False
        self._sized = False

        self.search.textChanged.connect(lambda t: self._filter_changed(text=t))
        self.queue_filter.currentIndexChanged.connect(
            lambda _: self._filter_changed(queue=self.queue_filter.currentData() or "")
        )
        self.state_filter.currentIndexChanged.connect(
            lambda _: self._filter_changed(state=self.state_filter.currentData() or "")
        )
        self.team_filter.currentIndexChanged.connect(
            lambda _: self._filter_changed(team=self.team_filter.currentData() or "")
        )
        self.sort.currentIndexChanged.connect(
            lambda _: self.proxy.set_sort_key(self.sort.currentData() or "ext")
        )
        self.chart_queue.currentIndexChanged.connect(
            lambda _: self.chart_queue_chosen.emit(self.chart_queue.currentData() or "")
        )
        self.wall.selectionModel().currentChanged.connect(self._on_current_changed)
        self.wall.customContextMenuRequested.connect(self._on_context_menu)
        self.detail.action_requested.connect(self.action_requested)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

        self.shortcuts: dict[str, QShortcut] = {}
        for key, action in (
            ("L", "listen"),
            ("W", "whisper"),
            ("B", "barge"),
            ("S", "stop"),
            ("P", "pause"),
            ("U", "unpause"),
        ):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(
                lambda a=action: self.action_requested.emit(a, "break" if a == "pause" else "")
            )
            self.shortcuts[action] = sc
        self._queues: Sequence[str] = ()
        self._teams: Sequence[str] = ()
        self.retranslate()

    # -- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Name or extension"))
        self.search_label.setText(self.tr("&Search"))
        self.queue_label.setText(self.tr("&Queue"))
        self.state_label_w.setText(self.tr("S&tate"))
        self.team_label.setText(self.tr("Tea&m"))
        self.sort_label.setText(self.tr("S&ort"))
        self.chart_title.setText(self.tr("Traffic today"))
        self._fill_combo(
            self.state_filter, [("", self.tr("All states"))] + [(s, state_label(s)) for s in STATES]
        )
        names = {
            "ext": self.tr("Extension"),
            "name": self.tr("Name"),
            "state": self.tr("State"),
            "time": self.tr("Time in state"),
            "calls": self.tr("Calls today"),
        }
        self._fill_combo(self.sort, [(k, names[k]) for k in SORTS])
        self.set_queues(self._queues)
        self.set_teams(self._teams)
        self.tile_delegate.invalidate()
        self.meter_delegate.invalidate()
        self.chart.retranslate()
        self._update_count()

    def showEvent(self, event: QShowEvent) -> None:
        # Splitters start from size hints (the detail panel's table asks for a lot); give the
        # wall the room once, then the supervisor's own dragging wins.
        if not self._sized:
            self._sized = True
            panel = min(380, max(300, self.width() // 5))
            self.h_split.setSizes([max(200, self.width() - panel), panel])
            chart = min(220, max(150, self.height() // 5))
            self.v_split.setSizes([max(200, self.height() - chart), chart])
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _fill_combo(combo: QComboBox, items: Sequence[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for data, text in items:
            combo.addItem(text, data)
        i = combo.findData(current)
        combo.setCurrentIndex(max(0, i))
        combo.blockSignals(False)

    def set_queues(self, queues: Sequence[str]) -> None:
        self._queues = tuple(queues)
        self._fill_combo(
            self.queue_filter, [("", self.tr("All queues"))] + [(q, q) for q in queues]
        )
        self._fill_combo(self.chart_queue, [("", self.tr("All queues"))] + [(q, q) for q in queues])
        self.detail.set_all_queues(queues)

    def set_teams(self, teams: Sequence[str]) -> None:
        self._teams = tuple(teams)
        self._fill_combo(self.team_filter, [("", self.tr("All teams"))] + [(t, t) for t in teams])
        self.team_filter.setVisible(bool(teams))
        self.team_label.setVisible(bool(teams))

    def set_density(self, density: str) -> None:
        self.tile_delegate.set_density(density)
        self.wall.scheduleDelayedItemsLayout()
        self.wall.viewport().update()

    def visible_queue_keys(self) -> set[str]:
        vp = self.meters.viewport().rect()
        keys = set()
        for r in range(self.queue_model.rowCount()):
            idx = self.queue_model.index(r)
            if self.meters.visualRect(idx).intersects(vp):
                keys.add(self.queue_model.rows[r].key)
        return keys

    def set_stale(self, stale: bool) -> None:
        # The effect exists only while stale: an installed effect (even disabled) makes every
        # child update repaint the whole subtree through an offscreen pixmap.
        if stale == self.stale:
            return
        self.stale = stale
        if stale:
            grey = QGraphicsColorizeEffect(self.v_split)
            grey.setColor(Qt.GlobalColor.gray)
            grey.setStrength(0.85)
            self.v_split.setGraphicsEffect(grey)
        else:
            self.v_split.setGraphicsEffect(None)

    # -- selection -----------------------------------------------------------------------------
    def selected_key(self) -> str:
        idx = self.wall.currentIndex()
        row = idx.data(Qt.ItemDataRole.UserRole + 1) if idx.isValid() else None
        return row.key if row is not None else ""

    def select_key(self, key: str) -> bool:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            row = idx.data(Qt.ItemDataRole.UserRole + 1)
            if row is not None and row.key == key:
                self.wall.setCurrentIndex(idx)
                self.wall.scrollTo(idx)
                return True
        return False

    def _on_current_changed(self, *_: object) -> None:
        self.agent_selected.emit(self.selected_key())

    def _on_context_menu(self, pos: object) -> None:
        idx = self.wall.indexAt(pos)  # type: ignore[arg-type]
        if not idx.isValid():
            return
        self.wall.setCurrentIndex(idx)
        menu = self.detail.context_menu(self)
        menu.popup(self.wall.viewport().mapToGlobal(pos))  # type: ignore[arg-type]

    def _filter_changed(self, **kw: str) -> None:
        self.proxy.set_filter(**kw)
        self._update_count()

    def _update_count(self, *_: object) -> None:
        self.count_label.setText(
            self.tr("%1 of %2 agents")
            .replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(self.agent_model.rowCount()))
        )
