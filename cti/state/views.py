"""Read-only snapshots the store hands to views, the alarm engine, the wallboard and reports.

Every object here is a frozen dataclass built on demand from the store's internal records
(`FloorStore.agent()`, `.queue()` ...), so a reader can keep one as long as it likes and never
sees it change. Times are epoch seconds from the store's clock; durations are seconds
including the still-running part up to the moment the snapshot was taken (`as_of`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from cti.state.agent_state import AgentState
from cti.state.metrics import IntervalMetrics, SlProjection


class SpyMode(enum.Enum):
    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the last `drain_changes()` (interfaces, queue names, floor flag)."""

    agents: frozenset[str]
    queues: frozenset[str]
    floor: bool

    def __bool__(self) -> bool:
        return bool(self.agents or self.queues or self.floor)


@dataclass(frozen=True, slots=True)
class SpyView:
    """A supervisor listening to / coaching / barging into an agent's call (ChanSpy)."""

    spyer_channel: str
    spyer_number: str | None
    spyer_name: str | None
    spyee_channel: str
    agent_interface: str
    call_linkedid: str | None
    mode: SpyMode
    dtmf_switch: bool
    since: float


@dataclass(frozen=True, slots=True)
class MembershipView:
    """The agent's membership in one queue (as last reported by Asterisk)."""

    queue: str
    penalty: int
    paused: bool
    paused_reason: str | None
    calls_taken: int


@dataclass(frozen=True, slots=True)
class AgentDay:
    """An agent's figures for today (since local midnight, or since the store started).

    `answered` counts AgentConnect; `queue_talk_s` sums Asterisk's TalkTime of completed queue
    calls (the replay's `talk_s`). The `*_s` state times are measured with the store's clock
    and include the current state up to `as_of`; every second is in exactly one state.
    """

    answered: int
    ring_no_answer: int
    queue_talk_s: float
    talk_s: float
    hold_s: float
    wrapup_s: float
    ringing_s: float
    ready_s: float
    not_ready_s: float
    not_ready_by_reason: tuple[tuple[str, float], ...]
    unavailable_s: float

    @property
    def logged_in_s(self) -> float:
        return (
            self.talk_s
            + self.hold_s
            + self.wrapup_s
            + self.ringing_s
            + self.ready_s
            + self.not_ready_s
            + self.unavailable_s
        )


@dataclass(frozen=True, slots=True)
class AgentView:
    """One agent (one interface, e.g. PJSIP/1001), possibly member of several queues.

    Attributes:
        state / state_since: derived state (see `agent_state`) and when it was entered.
        reason: the not-ready reason when NOT_READY (or when NOT_READY is pending).
        pending: the state the agent will enter when the current call / wrap-up ends
            (NOT_READY after a pause while talking, LOGGED_OUT after removal, or a deferred
            controller request), else None. `is_pending` is the flag form.
        caller_number / caller_name / call_queue / call_since: the current call, if known.
        wrapup_until: end of the wrap-up window when in WRAP_UP.
        paused / paused_reason: the last pause state Asterisk reported for this agent (kept
            after removal from queues; the replay reports these).
        queues: memberships with penalty and per-queue pause.
        monitored_by: active spy sessions on this agent.
    """

    interface: str
    name: str
    extension: str
    state: AgentState
    state_since: float
    reason: str | None
    pending: AgentState | None
    device_status: int
    caller_number: str | None
    caller_name: str | None
    call_queue: str | None
    call_linkedid: str | None
    call_since: float | None
    wrapup_until: float | None
    paused: bool
    paused_reason: str | None
    queues: tuple[MembershipView, ...]
    monitored_by: tuple[SpyView, ...]
    day: AgentDay
    as_of: float

    @property
    def is_pending(self) -> bool:
        return self.pending is not None

    @property
    def time_in_state_s(self) -> float:
        return max(0.0, self.as_of - self.state_since)


@dataclass(frozen=True, slots=True)
class WaitingCaller:
    uniqueid: str
    linkedid: str
    channel: str
    number: str | None
    name: str | None
    position: int
    joined_at: float


@dataclass(frozen=True, slots=True)
class StaffingForecast:
    """Erlang C agents required for the NEXT interval, shown against agents staffed now.

    `arrivals_source` says where the forecast arrivals came from: "history" (same interval on
    previous days of the record), "recent" (today's recent arrival rate), or "none" (no data;
    `required_agents` is then None). `aht_source` is "today" or "default".
    """

    interval_start: float
    forecast_arrivals: float | None
    arrivals_source: str
    aht_s: float
    aht_source: str
    sl_target_percent: float
    threshold_s: float
    required_agents: int | None
    predicted_sl_percent: float | None
    staffed_agents: int


@dataclass(frozen=True, slots=True)
class QueueView:
    """One queue: live figures, the current interval, today's intervals and day totals.

    `past_intervals` lists every interval of today before the current one, oldest first,
    including empty ones after the first activity.
    """

    name: str
    strategy: str | None
    members: tuple[str, ...]
    waiting: int
    callers: tuple[WaitingCaller, ...]
    longest_wait_s: float | None
    agents_by_state: Mapping[AgentState, int]
    current: IntervalMetrics
    projection: SlProjection
    staffing: StaffingForecast
    past_intervals: tuple[IntervalMetrics, ...]
    today: IntervalMetrics
    as_of: float


@dataclass(frozen=True, slots=True)
class CallView:
    """A call known to the store, keyed by Linkedid (the caller's Uniqueid on every leg)."""

    linkedid: str
    caller_uniqueid: str
    caller_channel: str
    caller_number: str | None
    queue: str | None
    joined_at: float | None
    agent_interface: str | None
    answered_at: float | None
    on_hold: bool


@dataclass(frozen=True, slots=True)
class FloorView:
    """Whole-floor status: live or stale (and why), sizes, PBX version when known."""

    is_live: bool
    stale_reason: str | None
    pbx_version: str | None
    agents: int
    queues: int
    waiting: int
    calls: int
    bridges: int
    spy_sessions: int
    as_of: float
