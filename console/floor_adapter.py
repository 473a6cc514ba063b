"""Turns the store's frozen views into what the painted widgets show (TileRow, QueueRow).

Pure functions, no Qt objects kept: the floor controller calls them for the agents and queues
named in the store's change notifications only.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from cti.state.agent_state import AgentState
from cti.state.metrics import SlFormula, sl_projection, sl_terms
from cti.state.store import NOT_STAFFED
from cti.state.views import AgentView, QueueView
from widgets.agent_tiles import ALERT_ALARM, ALERT_NONE, ALERT_WARN, TileRow
from widgets.queue_meters import QueueRow

_versions = itertools.count(1)

OVERVIEW_KEY = "\x00all"


@dataclass(frozen=True)
class TileThresholds:
    """Per-state limits (seconds) after which a tile is highlighted: warn, then alarm."""

    talking: tuple[float, float] = (600.0, 900.0)
    on_hold: tuple[float, float] = (120.0, 300.0)
    wrap_up: tuple[float, float] = (60.0, 120.0)
    not_ready: tuple[float, float] = (900.0, 1800.0)
    ringing: tuple[float, float] = (15.0, 30.0)

    def alert(self, state: str, seconds: float) -> int:
        limits = getattr(self, state, None)
        if not limits:
            return ALERT_NONE
        if seconds >= limits[1]:
            return ALERT_ALARM
        if seconds >= limits[0]:
            return ALERT_WARN
        return ALERT_NONE


# Marked for translation here, translated one at a time (queue rows are built on the GUI
# thread for every queue that changed).
_FORMULA_TEXT = {
    SlFormula.ANSWERED_AND_LATE_ABANDONED: QT_TRANSLATE_NOOP(
        "Formula", "answered within T / (answered + abandoned after T)"
    ),
    SlFormula.ANSWERED: QT_TRANSLATE_NOOP("Formula", "answered within T / answered"),
    SlFormula.ANSWERED_AND_ABANDONED: QT_TRANSLATE_NOOP(
        "Formula", "(answered within T + abandoned within T) / (answered + abandoned)"
    ),
    SlFormula.OFFERED: QT_TRANSLATE_NOOP("Formula", "answered within T / offered"),
}


def formula_label(formula: SlFormula) -> str:
    """The service-level formula in the UI language (cti's own text is English)."""
    return QCoreApplication.translate("Formula", _FORMULA_TEXT.get(formula, formula.text))


def extension_of(agent: AgentView) -> str:
    if agent.extension:
        return agent.extension
    return agent.interface.split("/", 1)[-1]


def tile_row(agent: AgentView, thresholds: TileThresholds, now: float, team: str = "") -> TileRow:
    state = agent.state.value
    on_call = agent.state in (AgentState.TALKING, AgentState.ON_HOLD, AgentState.RINGING)
    spy = agent.monitored_by[0] if agent.monitored_by else None
    return TileRow(
        key=agent.interface,
        name=agent.name or extension_of(agent),
        ext=extension_of(agent),
        state=state,
        reason=(agent.reason or "") if agent.state is AgentState.NOT_READY else "",
        since=agent.state_since,
        caller=(agent.caller_number or "") if on_call else "",
        queue=(agent.call_queue or "") if on_call else "",
        calls=agent.day.answered,
        monitor_by=(spy.spyer_name or spy.spyer_number or "") if spy else "",
        monitor_mode=spy.mode.value if spy else "",
        pending=agent.pending.value if agent.pending else "",
        queues=tuple(m.queue for m in agent.queues),
        team=team,
        version=next(_versions),
        alert=thresholds.alert(state, now - agent.state_since),
    )


_Row = TypeVar("_Row", TileRow, QueueRow)

_NOT_STAFFED = frozenset(state.value for state in NOT_STAFFED)


def state_counts(by_state: Mapping[str, int]) -> dict[str, int]:
    """A queue card's agent counters (QueueRow fields) from agents per lower-case state."""
    return {
        "ready": by_state.get("ready", 0),
        "talking": by_state.get("talking", 0) + by_state.get("on_hold", 0),
        "wrap_up": by_state.get("wrap_up", 0),
        "not_ready": by_state.get("not_ready", 0),
        "ringing": by_state.get("ringing", 0),
        "staffed": sum(n for state, n in by_state.items() if state not in _NOT_STAFFED),
    }


def bump(row: _Row, **changes: object) -> _Row:
    """A copy of the row with changes and a new version (so the delegate repaints it)."""
    return replace(row, version=next(_versions), **changes)  # type: ignore[arg-type]


def with_alert(row: TileRow, thresholds: TileThresholds, now: float) -> TileRow | None:
    """The row with its alert level for `now`, or None when the level is unchanged."""
    level = thresholds.alert(row.state, now - row.since)
    return None if level == row.alert else bump(row, alert=level)


@functools.lru_cache(maxsize=512)
def interval_label(start: float, end: float, zone: tzinfo | None = None) -> str:
    """ "09:00–09:30" in `zone` (None: this PC's)."""
    a = datetime.fromtimestamp(start, zone)
    b = datetime.fromtimestamp(end, zone)
    return f"{a:%H:%M}–{b:%H:%M}"


def queue_row(
    q: QueueView, title: str | None = None, wait_limits: tuple[float, float] = (30.0, 60.0)
) -> QueueRow:
    cur = q.current
    by = q.agents_by_state
    oldest = min((c.joined_at for c in q.callers), default=None)
    st = q.staffing
    return QueueRow(
        key=q.name,
        title=title or q.name,
        waiting=q.waiting,
        oldest_join=oldest,
        wait_warn_s=wait_limits[0],
        wait_alarm_s=wait_limits[1],
        sl=None if cur.sl_percent is None else cur.sl_percent / 100.0,
        sl_target=q.projection.target_percent / 100.0,
        sl_threshold_s=int(cur.sl_threshold_s),
        needed=q.projection.needed_within,
        asa_s=cur.asa_s,
        abandon=None if cur.abandon_percent is None else cur.abandon_percent / 100.0,
        offered=cur.offered,
        ready=by.get(AgentState.READY, 0),
        talking=by.get(AgentState.TALKING, 0) + by.get(AgentState.ON_HOLD, 0),
        wrap_up=by.get(AgentState.WRAP_UP, 0),
        not_ready=by.get(AgentState.NOT_READY, 0),
        ringing=by.get(AgentState.RINGING, 0),
        required=st.required_agents,
        staffed=st.staffed_agents,
        formula=formula_label(cur.sl_formula),
        interval=interval_label(cur.start, cur.end),
        forecast_source=st.arrivals_source,
        version=next(_versions),
    )


def overview_row(queues: list[QueueView], rows: list[QueueRow], title: str) -> QueueRow:
    """All queues together, recomputed from the queues' counts (never an average of percents)."""
    first = rows[0] if rows else QueueRow(key="", title="")
    formula = queues[0].current.sl_formula if queues else None
    num = den = answered = abandoned = offered = 0
    asa_total = 0.0
    for q in queues:
        cur = q.current
        if formula is not None:
            n, d = sl_terms(cur, formula)
            num, den = num + n, den + d
        answered += cur.answered
        abandoned += cur.abandoned
        offered += cur.offered
        if cur.asa_s is not None:
            asa_total += cur.asa_s * cur.answered
    proj = sl_projection(num, den, first.sl_target)
    joins = [r.oldest_join for r in rows if r.oldest_join is not None and r.waiting]
    required = [r.required for r in rows if r.required is not None]
    return QueueRow(
        key=OVERVIEW_KEY,
        title=title,
        waiting=sum(r.waiting for r in rows),
        oldest_join=min(joins) if joins else None,
        wait_warn_s=first.wait_warn_s,
        wait_alarm_s=first.wait_alarm_s,
        sl=num / den if den else None,
        sl_target=first.sl_target,
        sl_threshold_s=first.sl_threshold_s,
        needed=proj.needed_within,
        asa_s=asa_total / answered if answered else None,
        abandon=abandoned / offered if offered else None,
        offered=offered,
        ready=sum(r.ready for r in rows),
        talking=sum(r.talking for r in rows),
        wrap_up=sum(r.wrap_up for r in rows),
        not_ready=sum(r.not_ready for r in rows),
        ringing=sum(r.ringing for r in rows),
        required=sum(required) if required else None,
        staffed=sum(r.staffed for r in rows),
        formula=first.formula,
        interval=first.interval,
        forecast_source=first.forecast_source,
        overview=True,
        version=next(_versions),
    )


def wall_now() -> float:
    return time.time()
