"""The store's mutable internal records (never handed out; views are built from them).

Plain classes with __slots__: the store keeps one `_Agent` per interface for the whole day, and
the benchmark measures bytes per agent at 2,000 agents, so there is no per-instance __dict__,
state times live in one `array('d')`, and optional parts (spy sessions, not-ready reasons)
stay None until used.
"""

from __future__ import annotations

from array import array
from collections import deque

from cti.state.agent_state import AgentState
from cti.state.metrics import IntervalCounts, IntervalMetrics
from cti.state.views import SpyMode

# Slot in `Agent.secs` for each state (LOGGED_OUT time is not accounted).
STATE_INDEX: dict[AgentState, int] = {
    AgentState.READY: 0,
    AgentState.NOT_READY: 1,
    AgentState.RINGING: 2,
    AgentState.TALKING: 3,
    AgentState.ON_HOLD: 4,
    AgentState.WRAP_UP: 5,
    AgentState.UNAVAILABLE: 6,
    AgentState.LOGGED_OUT: 7,
}
_ZERO_SECS = array("d", [0.0] * 8)


class Membership:
    __slots__ = ("calls_taken", "last_call", "paused", "penalty", "reason", "wrapup_s")

    def __init__(self) -> None:
        self.penalty = 0
        self.paused = False
        self.reason: str | None = None
        self.calls_taken = 0
        self.last_call = 0.0
        self.wrapup_s = 0.0  # member-level Wrapuptime (Asterisk 17+); 0 = the queue's


class Spy:
    __slots__ = (
        "dtmf",
        "interface",
        "linkedid",
        "mode",
        "since",
        "spyee_channel",
        "spyer_channel",
        "spyer_name",
        "spyer_number",
    )

    def __init__(
        self,
        spyer_channel: str,
        spyer_number: str | None,
        spyer_name: str | None,
        spyee_channel: str,
        interface: str,
        linkedid: str | None,
        mode: SpyMode,
        dtmf: bool,
        since: float,
    ) -> None:
        self.spyer_channel = spyer_channel
        self.spyer_number = spyer_number
        self.spyer_name = spyer_name
        self.spyee_channel = spyee_channel
        self.interface = interface
        self.linkedid = linkedid
        self.mode = mode
        self.dtmf = dtmf
        self.since = since


class Agent:
    __slots__ = (
        "acc_since",
        "answered",
        "call_linkedid",
        "call_name",
        "call_number",
        "call_queue",
        "call_since",
        "device",
        "direct_channel",
        "held",
        "interface",
        "last_paused",
        "name",
        "nr_by_reason",
        "offered_linkedid",
        "offered_name",
        "offered_number",
        "offered_queue",
        "pause_reason",
        "pending",
        "queue_talk_s",
        "queues",
        "reason",
        "requested",
        "requested_reason",
        "rna",
        "secs",
        "since",
        "spies",
        "state",
        "state_interface",
        "wrapup_queue",
        "wrapup_until",
    )

    def __init__(self, interface: str, now: float) -> None:
        self.interface = interface
        self.name = interface
        self.state_interface = interface
        self.device = 0
        self.queues: dict[str, Membership] = {}
        self.state = AgentState.LOGGED_OUT
        self.since = now
        self.acc_since = now
        self.reason: str | None = None
        self.pending: AgentState | None = None
        self.requested: AgentState | None = None
        self.requested_reason: str | None = None
        self.offered_linkedid: str | None = None
        # the queue call being offered (AgentCalled): read only while offered_linkedid is set
        self.offered_queue: str | None = None
        self.offered_number: str | None = None
        self.offered_name: str | None = None
        self.call_linkedid: str | None = None
        self.call_number: str | None = None
        self.call_name: str | None = None
        self.call_queue: str | None = None
        self.call_since: float | None = None
        self.direct_channel: str | None = None  # agent's channel of a non-queue call
        self.held = False
        self.wrapup_until: float | None = None
        self.wrapup_queue: str | None = None
        self.last_paused = False
        self.pause_reason: str | None = None
        self.spies: list[Spy] | None = None
        self.answered = 0
        self.rna = 0
        self.queue_talk_s = 0.0
        self.secs = array("d", _ZERO_SECS)
        self.nr_by_reason: dict[str, float] | None = None

    def reset_day(self) -> None:
        self.answered = 0
        self.rna = 0
        self.queue_talk_s = 0.0
        self.secs = array("d", _ZERO_SECS)
        self.nr_by_reason = None


class Call:
    """A caller known through the queue, keyed by Linkedid.

    outcome: None while waiting; "left" after QueueCallerLeave until AgentConnect (answered)
    or a hangup / rejoin / resync shows it was another exit; "answered"; "abandoned".
    """

    __slots__ = (
        "agent",
        "answered_at",
        "channel",
        "held",
        "joined_at",
        "left_at",
        "linkedid",
        "name",
        "number",
        "outcome",
        "position",
        "queue",
        "uniqueid",
    )

    def __init__(self, linkedid: str, uniqueid: str, channel: str) -> None:
        self.linkedid = linkedid
        self.uniqueid = uniqueid
        self.channel = channel
        self.number: str | None = None
        self.name: str | None = None
        self.queue: str | None = None
        self.position = 0
        self.joined_at: float | None = None
        self.left_at: float | None = None
        self.outcome: str | None = None
        self.agent: str | None = None
        self.answered_at: float | None = None
        self.held = False


class Queue:
    __slots__ = (
        "first_activity",
        "intervals",
        "last",
        "members",
        "name",
        "past_key",
        "past_total",
        "past_views",
        "recent_joins",
        "strategy",
        "version",
        "waiting",
    )

    def __init__(self, name: str) -> None:
        self.name = name
        self.strategy: str | None = None
        self.members: set[str] = set()
        self.waiting: dict[str, Call] = {}  # by caller Uniqueid
        self.intervals: dict[float, IntervalCounts] = {}
        self.last: IntervalCounts | None = None  # the interval touched last (fast path)
        self.recent_joins: deque[float] = deque()
        self.first_activity: float | None = None
        # Cache of the frozen closed intervals (see FloorStore._queue_view).
        self.version = 0
        self.past_key: tuple[int, float] | None = None
        self.past_views: tuple[IntervalMetrics, ...] = ()
        self.past_total: IntervalCounts | None = None
