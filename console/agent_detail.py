"""The agent detail panel: who, state, queues, today's figures, state timeline and actions."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.agent_actions import action_names
from cti.state.views import AgentView
from widgets.agent_tiles import format_duration
from widgets.lazy_charts import LazyStateTimeline
from widgets.segments import Segment
from widgets.state_style import reason_label, state_label

PAUSE_REASONS = ("break", "lunch", "training", "meeting", "restroom")


class AgentDetailPanel(QWidget):
    """Signals:
    action_requested(str, str): action name and argument (reason or queue) for the shown agent.
    """

    action_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agentDetail")
        self.setMinimumWidth(300)
        self.agent: AgentView | None = None
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.state = QLabel()
        self.state.setObjectName("detailState")
        self.call = QLabel()
        self.call.setWordWrap(True)
        self.queues = QTableWidget(0, 3)
        self.queues.setObjectName("detailQueues")
        self.queues.verticalHeader().hide()
        self.queues.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.queues.setMaximumHeight(120)
        self.queues.horizontalHeader().setStretchLastSection(True)
        self.figures = QFormLayout()
        self.fig_labels: dict[str, QLabel] = {}
        self.fig_names: dict[str, QLabel] = {}
        for key in ("answered", "talk", "hold", "wrapup", "not_ready", "rna", "logged_in"):
            name, value = QLabel(), QLabel()
            value.setObjectName(f"fig_{key}")
            self.fig_labels[key] = value
            self.fig_names[key] = name
            self.figures.addRow(name, value)
        self.timeline = LazyStateTimeline()
        self.timeline.setMinimumHeight(70)
        self.timeline.setMaximumHeight(90)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, (key, shortcut) in enumerate(
            (
                ("listen", "L"),
                ("whisper", "W"),
                ("barge", "B"),
                ("stop", "S"),
                ("pause", "P"),
                ("unpause", "U"),
                ("remove", ""),
                ("add", ""),
            )
        ):
            b = QPushButton()
            b.setObjectName(f"btn_{key}")
            b.setProperty("shortcutKey", shortcut)
            self.buttons[key] = b
            grid.addWidget(b, i // 2, i % 2)
        self.pause_menu = QMenu(self)
        self.buttons["pause"].setMenu(self.pause_menu)
        self.remove_menu = QMenu(self)
        self.buttons["remove"].setMenu(self.remove_menu)
        self.add_menu = QMenu(self)
        self.buttons["add"].setMenu(self.add_menu)
        for key in ("listen", "whisper", "barge", "stop", "unpause"):
            self.buttons[key].clicked.connect(
                lambda _=False, k=key: self.action_requested.emit(k, "")
            )
        self.all_queues: Sequence[str] = ()

        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.state)
        lay.addWidget(self.call)
        lay.addLayout(grid)
        lay.addWidget(self.queues)
        lay.addLayout(self.figures)
        self.timeline_label = QLabel()
        lay.addWidget(self.timeline_label)
        lay.addWidget(self.timeline)
        lay.addStretch(1)
        self.retranslate()
        self.show_agent(None, 0.0)

    def retranslate(self) -> None:
        names = action_names()
        for key, b in self.buttons.items():
            sk = b.property("shortcutKey")
            b.setText(f"{names[key]} ({sk})" if sk else names[key])
        self.queues.setHorizontalHeaderLabels(
            [self.tr("Queue"), self.tr("Penalty"), self.tr("Paused")]
        )
        for key, text in (
            ("answered", self.tr("Calls answered")),
            ("talk", self.tr("Talk time")),
            ("hold", self.tr("Hold time")),
            ("wrapup", self.tr("Wrap-up time")),
            ("not_ready", self.tr("Not ready")),
            ("rna", self.tr("Ring no answer")),
            ("logged_in", self.tr("Logged in")),
        ):
            self.fig_names[key].setText(text)
        self.timeline_label.setText(self.tr("Today's states"))
        self.pause_menu.clear()
        for reason in PAUSE_REASONS:
            act = self.pause_menu.addAction(reason_label(reason))
            act.triggered.connect(lambda _=False, r=reason: self.action_requested.emit("pause", r))
        self.show_agent(self.agent, 0.0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_all_queues(self, queues: Sequence[str]) -> None:
        self.all_queues = tuple(queues)

    def show_agent(self, agent: AgentView | None, now: float) -> None:
        self.agent = agent
        for b in self.buttons.values():
            b.setEnabled(agent is not None)
        # Without an agent, the tables, figures and timeline would be empty frames: hidden.
        for widget in (self.queues, self.timeline_label, self.timeline):
            widget.setVisible(agent is not None)
        for row in range(self.figures.rowCount()):
            self.figures.setRowVisible(row, agent is not None)
        if agent is None:
            self.title.setText(self.tr("No agent selected"))
            self.state.setText(self.tr("Click a tile to see the agent here."))
            self.call.clear()
            self.queues.setRowCount(0)
            for v in self.fig_labels.values():
                v.clear()
            return
        self.title.setText(f"{agent.name}  ·  {agent.extension or agent.interface}")
        st = state_label(agent.state.value)
        if agent.reason and agent.state.value == "not_ready":
            st += f" · {reason_label(agent.reason)}"
        if agent.pending:
            st += "  " + self.tr("(then %1)").replace("%1", state_label(agent.pending.value))
        self.state.setText(f"{st}  {format_duration(now - agent.state_since)}" if now else st)
        if agent.caller_number:
            self.call.setText(
                self.tr("Caller %1 · queue %2")
                .replace("%1", agent.caller_number)
                .replace("%2", agent.call_queue or "—")
            )
        else:
            self.call.clear()
        self.queues.setRowCount(len(agent.queues))
        for i, m in enumerate(agent.queues):
            paused = (
                (reason_label(m.paused_reason) if m.paused_reason else self.tr("yes"))
                if m.paused
                else self.tr("no")
            )
            for j, text in enumerate((m.queue, str(m.penalty), paused)):
                self.queues.setItem(i, j, QTableWidgetItem(text))
        d = agent.day
        self.fig_labels["answered"].setText(str(d.answered))
        self.fig_labels["talk"].setText(format_duration(d.talk_s))
        self.fig_labels["hold"].setText(format_duration(d.hold_s))
        self.fig_labels["wrapup"].setText(format_duration(d.wrapup_s))
        nr = format_duration(d.not_ready_s)
        if d.not_ready_by_reason:
            nr += (
                "  ("
                + ", ".join(
                    f"{reason_label(r)} {format_duration(s)}" for r, s in d.not_ready_by_reason
                )
                + ")"
            )
        self.fig_labels["not_ready"].setText(nr)
        self.fig_labels["rna"].setText(str(d.ring_no_answer))
        self.fig_labels["logged_in"].setText(format_duration(d.logged_in_s))
        self.remove_menu.clear()
        for m in agent.queues:
            act = self.remove_menu.addAction(m.queue)
            act.triggered.connect(
                lambda _=False, q=m.queue: self.action_requested.emit("remove", q)
            )
        self.add_menu.clear()
        member_of = {m.queue for m in agent.queues}
        for q in self.all_queues:
            if q not in member_of:
                act = self.add_menu.addAction(q)
                act.triggered.connect(lambda _=False, q=q: self.action_requested.emit("add", q))

    def context_menu(self, parent: QWidget) -> QMenu:
        """The same actions as the panel's buttons, for the tile's context menu."""
        menu = QMenu(parent)
        for key in ("listen", "whisper", "barge", "stop", "unpause"):
            b = self.buttons[key]
            act = menu.addAction(b.text())
            act.setEnabled(b.isEnabled())
            act.triggered.connect(lambda _=False, k=key: self.action_requested.emit(k, ""))
        menu.addSeparator()
        for key, sub in (
            ("pause", self.pause_menu),
            ("remove", self.remove_menu),
            ("add", self.add_menu),
        ):
            sub.setTitle(self.buttons[key].text())
            menu.addMenu(sub)
        return menu

    def show_timeline(self, segments: Sequence[Segment]) -> None:
        self.timeline.set_rows([""], [segments])
