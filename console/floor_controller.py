"""Floor controller: moves PBX events into the store and store changes into the Qt models.

Queue meters are rebuilt a bounded number per flush, the visible ones first (see
`_refresh_dirty_queues`); the longest wait ticks live in the delegate regardless.

Threading and coalescing: the AMI client delivers events on its I/O thread into `inbox`
(a thread-safe queue). One 100 ms timer on the GUI thread drains the inbox, applies every
event to the store, drains the store's change notifications and rebuilds only the rows they
name — so an event storm costs one model update and one repaint per tick, and an event is on
screen at most ~100 ms (plus paint) after it arrived. A 1 Hz timer repaints the visible tiles
for the ticking time in state and re-evaluates threshold highlights without touching rows
whose level did not change.
"""

from __future__ import annotations

import logging
import queue
import time
from array import array
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from console.floor_adapter import (
    OVERVIEW_KEY,
    TileThresholds,
    bump,
    extension_of,
    interval_label,
    overview_row,
    queue_row,
    state_counts,
    tile_row,
    with_alert,
)
from console.floor_view import FloorView
from widgets.agent_tiles import ALERT_ALARM, TileRow
from widgets.segments import Segment

log = logging.getLogger(__name__)

MAX_SEGMENTS_PER_AGENT = 2000
QUEUES_PER_FLUSH = 16


class Timelines:
    """Today's state segments per agent, kept from the rows the controller already builds.

    Compact on purpose (an 8-byte start and a 1-byte state code per change): 2,000 agents
    changing state hundreds of times a shift must not cost hundreds of megabytes.
    """

    def __init__(self) -> None:
        self._starts: dict[str, array[float]] = {}
        self._states: dict[str, bytearray] = {}
        self._codes: dict[str, int] = {}
        self._names: list[str] = []

    def _code(self, state: str) -> int:
        code = self._codes.get(state)
        if code is None:
            code = self._codes[state] = len(self._names)
            self._names.append(state)
        return code

    def note(self, key: str, since: float, state: str) -> None:
        starts = self._starts.get(key)
        if starts is None:
            starts = self._starts[key] = array("d")
            self._states[key] = bytearray()
        states = self._states[key]
        code = self._code(state)
        if starts and starts[-1] == since:
            states[-1] = code
            return
        if states and states[-1] == code:
            return
        starts.append(since)
        states.append(code)
        if len(starts) > MAX_SEGMENTS_PER_AGENT:
            del starts[: len(starts) - MAX_SEGMENTS_PER_AGENT]
            del states[: len(states) - MAX_SEGMENTS_PER_AGENT]

    def segments(self, key: str, now: float) -> list[Segment]:
        starts = self._starts.get(key)
        if starts is None:
            return []
        states = self._states[key]
        n = len(starts)
        return [
            Segment(starts[i], starts[i + 1] if i + 1 < n else now, self._names[states[i]])
            for i in range(n)
        ]


class FloorController(QObject):
    """Signals:
    repainted(float): a model update was pushed; the argument is the newest event's arrival
        time (monotonic), used by the event-to-pixel benchmark.
    live_changed(bool): the store went live (in sync with the PBX) or stale.
    """

    repainted = Signal(float)
    live_changed = Signal(bool)

    def __init__(
        self,
        store: Any,
        view: FloorView,
        apply_event: Callable[[Any], None],
        now: Callable[[], float] = time.time,
        thresholds: TileThresholds | None = None,
        teams: dict[str, str] | None = None,
        interval_ms: int = 100,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.view = view
        self.inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._apply_event = apply_event
        self.now = now
        self.thresholds = thresholds or TileThresholds()
        self.teams = teams or {}
        self.timelines = Timelines()
        # today's states before this session (restored from the record), per agent on demand
        self.earlier: Callable[[str], list[Segment]] | None = None
        self._earlier: dict[str, list[Segment]] = {}
        self._live: bool | None = None
        self._built_live: bool | None = None  # the store's live flag at the last rebuild
        self._queue_names: tuple[str, ...] = ()
        self._queue_rows: dict[str, Any] = {}
        self._queue_views: dict[str, Any] = {}
        self._chart_dirty = True
        self._chart_queue = ""
        self._ticks = 0
        self._flushes = 0
        self._dirty_queues: set[str] = set()
        self._selected = ""
        self.newest_arrival = 0.0
        self.newest_event_wall = 0.0

        self.flush_timer = QTimer(self)
        self.flush_timer.setObjectName("floorFlush")
        self.flush_timer.setInterval(interval_ms)
        self.flush_timer.timeout.connect(self.flush)
        self.tick_timer = QTimer(self)
        self.tick_timer.setObjectName("floorTick")
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self._on_tick)
        view.agent_selected.connect(self._on_agent_selected)
        view.chart_queue_chosen.connect(self._on_chart_queue)

    def start(self) -> None:
        self.rebuild()
        self.flush_timer.start()
        self.tick_timer.start()

    def stop(self) -> None:
        self.flush_timer.stop()
        self.tick_timer.stop()

    # -- intake (any thread) -------------------------------------------------------------------
    def post(self, item: Any) -> None:
        """Called from the AMI I/O thread: queue an event, snapshot or link change."""
        self.inbox.put((time.monotonic(), item))

    # -- GUI thread ----------------------------------------------------------------------------
    def flush(self) -> None:
        newest = 0.0
        n = 0
        while True:
            try:
                arrived, item = self.inbox.get_nowait()
            except queue.Empty:
                break
            try:
                self._apply_event(item)
            except Exception:
                log.exception("applying %s failed", type(item).__name__)
            newest = arrived
            n += 1
        changes = self.store.drain_changes()
        live = bool(self.store.is_live)
        if changes.floor and live != self._built_live:
            self.rebuild()  # a resync or the link going down: everything may have changed
        elif changes.floor:
            # A new device or queue, a spy session: update what appeared or vanished rather
            # than rebuild 2,000 rows (a busy PBX shows new devices every few seconds).
            known = {r.key for r in self.view.agent_model.rows}
            appeared = known.symmetric_difference(self.store.agent_interfaces())
            self._update(changes.agents | appeared, changes.queues)
        elif changes:
            self._update(changes.agents, changes.queues)
        if live != self._live:
            self._live = live
            self.view.set_stale(not live)
            self.live_changed.emit(live)
        if n:
            self.newest_arrival = newest
            self.newest_event_wall = time.time()
            self.repainted.emit(newest)

    def rebuild(self) -> None:
        # Everything is read from the store below: changes noted until now are covered (left
        # pending, they would make the next flush rebuild most rows a second time).
        self.store.drain_changes()
        self._built_live = bool(self.store.is_live)
        now = self.now()
        rows = []
        for agent in self.store.agents():
            row = tile_row(agent, self.thresholds, now, self.teams.get(extension_of(agent), ""))
            self.timelines.note(row.key, row.since, row.state)
            rows.append(row)
        self.view.agent_model.reset_rows(rows)
        names = tuple(sorted(self.store.queue_names()))
        if names != self._queue_names:
            self._queue_names = names
            self.view.set_queues(names)
        teams = sorted(set(self.teams.values()))
        self.view.set_teams(teams)
        self._queue_rows = {}
        self._queue_views = {}
        self._rebuild_queues(names)
        self._refresh_detail(now)
        self._refresh_chart()

    def _update(self, agents: frozenset[str], queues: frozenset[str]) -> None:
        now = self.now()
        rows: list[TileRow] = []
        gone: list[str] = []
        for key in agents:
            agent = self.store.agent(key)
            if agent is None:
                gone.append(key)
                continue
            row = tile_row(agent, self.thresholds, now, self.teams.get(extension_of(agent), ""))
            self.timelines.note(row.key, row.since, row.state)
            rows.append(row)
        if rows:
            self.view.agent_model.update_rows(rows)
        if gone:
            self.view.agent_model.remove_keys(gone)
        if rows or gone:
            self.view.proxy.rows_changed()
        self._dirty_queues |= queues
        self._flushes += 1
        if self._dirty_queues and self._flushes % 3 == 0:  # meters refresh at ~3 Hz
            self._refresh_dirty_queues()
        if self._selected and (self._selected in agents):
            self._refresh_detail(now)

    def _refresh_dirty_queues(self) -> None:
        """Rebuild at most QUEUES_PER_FLUSH changed queues per flush, the ones whose meters are
        on screen first: a queue view costs ~0.25 ms, and a busy 200-queue floor changes most
        queues every flush, so an unbounded rebuild would make one flush take 50 ms."""
        names = tuple(sorted(self.store.queue_names()))
        if names != self._queue_names:
            self._queue_names = names
            self.view.set_queues(names)
            self._queue_rows = {}
            self._queue_views = {}
            self._dirty_queues = set()
            self._rebuild_queues(names)
            self._chart_dirty = True
            return
        visible = self.view.visible_queue_keys()
        dirty = sorted(self._dirty_queues, key=lambda q: (q not in visible, q))
        batch, rest = dirty[:QUEUES_PER_FLUSH], dirty[QUEUES_PER_FLUSH:]
        self._dirty_queues = set(rest)
        self._rebuild_queues([q for q in batch if q in names])
        self._chart_dirty = True

    def _rebuild_queues(self, names: Any) -> None:
        views = []
        for name in names:
            q = self.store.queue(name)
            if q is None:
                continue
            views.append(q)
            self._queue_views[name] = q
            self._queue_rows[name] = queue_row(q)
        all_views = [self._queue_views[n] for n in self._queue_names if n in self._queue_views]
        rows = [self._queue_rows[n] for n in self._queue_names if n in self._queue_rows]
        overview = overview_row(
            all_views, rows, QCoreApplication.translate("FloorController", "All queues")
        )
        # An agent in several queues is counted once on the overview card.
        by_state: dict[str, int] = {}
        for r in self.view.agent_model.rows:
            by_state[r.state] = by_state.get(r.state, 0) + 1
        overview = bump(overview, **state_counts(by_state))
        model = self.view.queue_model
        if model.rowCount() != len(rows) + 1 or [r.key for r in model.rows[1:]] != [
            r.key for r in rows
        ]:
            model.reset_rows([overview, *rows])
        else:
            model.update_rows([overview, *[self._queue_rows[q.name] for q in views]])

    def _on_tick(self) -> None:
        now = self.now()
        model = self.view.agent_model
        changed = []
        for row in model.rows:
            new = with_alert(row, self.thresholds, now)
            if new is not None:
                changed.append(new)
        if changed:
            model.update_rows(changed)
        self.view.proxy.tick()
        self.view.wall.viewport().update()
        self.view.meters.viewport().update()
        self._ticks += 1
        if self._chart_dirty and self._ticks % 10 == 0:
            self._refresh_chart()
        if self._selected:
            self._refresh_detail(now)

    def _on_agent_selected(self, key: str) -> None:
        self._selected = key
        self._refresh_detail(self.now())

    def _refresh_detail(self, now: float) -> None:
        agent = self.store.agent(self._selected) if self._selected else None
        self.view.detail.show_agent(agent, now)
        if agent is not None:
            key = agent.interface
            earlier = self._earlier.get(key)
            if earlier is None:
                earlier = self._earlier[key] = self.earlier(key) if self.earlier else []
            self.view.detail.show_timeline(earlier + self.timelines.segments(key, now))

    def _on_chart_queue(self, name: str) -> None:
        self._chart_queue = name
        self._refresh_chart()

    def _refresh_chart(self) -> None:
        """The traffic chart changes per interval, not per event: redrawn at most every 10 s."""
        self._chart_dirty = False
        names = [self._chart_queue] if self._chart_queue else list(self._queue_names)
        views = [self._queue_views[n] for n in names if n in self._queue_views]
        if not views:
            self.view.chart.set_data([], [], [], [], [], 90.0)
            return
        # Align intervals across queues by start time.
        by_start: dict[float, list[Any]] = {}
        for q in views:
            for m in (*q.past_intervals, q.current):
                by_start.setdefault(m.start, []).append(m)
        starts = sorted(by_start)
        labels, offered, answered, abandoned, sl = [], [], [], [], []
        from cti.state.metrics import sl_terms

        for s in starts:
            ms = by_start[s]
            labels.append(interval_label(ms[0].start, ms[0].end).split("–")[0])
            offered.append(sum(m.offered for m in ms))
            answered.append(sum(m.answered for m in ms))
            abandoned.append(sum(m.abandoned for m in ms))
            num = den = 0
            for m in ms:
                n, d = sl_terms(m, m.sl_formula)
                num, den = num + n, den + d
            sl.append(100.0 * num / den if den else None)
        self.view.chart.set_data(
            labels, offered, answered, abandoned, sl, views[0].projection.target_percent
        )

    def set_thresholds(self, thresholds: TileThresholds, teams: dict[str, str]) -> None:
        self.thresholds = thresholds
        if teams != self.teams:
            self.teams = teams
            self.rebuild()
        else:
            self._on_tick()

    def show_alarms(self, alarms: tuple[Any, ...]) -> None:
        """Agents with an active alarm get the alarm highlight even below the tile thresholds."""
        keys = {a.key.subject for a in alarms}
        self.alarmed = keys
        model = self.view.agent_model
        changed = []
        for row in model.rows:
            want = (
                ALERT_ALARM
                if row.key in keys
                else self.thresholds.alert(row.state, self.now() - row.since)
            )
            if want != row.alert:
                changed.append(bump(row, alert=want))
        if changed:
            model.update_rows(changed)

    def selected_agent(self) -> Any:
        return self.store.agent(self._selected) if self._selected else None


__all__ = ["OVERVIEW_KEY", "FloorController"]
