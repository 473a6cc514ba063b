"""The simulation's runtime objects: channels, queue members, callers, ring attempts, queues.

These are mutable on purpose (the engine updates them in place, millions of times in a long
run) and private to the lab: nothing outside `cti/lab` sees them. `__slots__` keeps 2,000
agents and their calls small and fast. Field meanings follow app_queue's: `last_call` is
the integer epoch AMI shows, `last_call_t` the exact simulated time used for wrap-up.
"""

from __future__ import annotations

from enum import Enum

from cti.lab.arrivals import QueueArrivals
from cti.lab.scenario import AgentSpec, Burst, QueueSpec

# Asterisk device states as QueueMemberStatus reports them.
DEVICE_NOT_INUSE = 1
DEVICE_INUSE = 2
DEVICE_UNAVAILABLE = 5
DEVICE_RINGING = 6

STATE_DESC = {0: "Down", 4: "Ring", 5: "Ringing", 6: "Up"}
DEVICE_STATE_NAME = {1: "NOT_INUSE", 2: "INUSE", 5: "UNAVAILABLE", 6: "RINGING"}
CAUSE_TEXT = {
    0: "Unknown",
    16: "Normal Clearing",
    17: "User busy",
    19: "No user responding",
    21: "Call Rejected",
    26: "Answered elsewhere",
}


class Chan:
    """One Asterisk channel as its AMI snapshot shows it."""

    __slots__ = (
        "app_data",
        "application",
        "bridge",
        "cid_name",
        "cid_num",
        "conn_name",
        "conn_num",
        "context",
        "created",
        "exten",
        "language",
        "linkedid",
        "name",
        "priority",
        "state",
        "uniqueid",
    )

    def __init__(
        self,
        name: str,
        uniqueid: str,
        linkedid: str,
        cid_num: str,
        cid_name: str,
        language: str,
        context: str,
        exten: str,
        created: float,
    ) -> None:
        self.name = name
        self.uniqueid = uniqueid
        self.linkedid = linkedid
        self.state = 0
        self.cid_num = cid_num
        self.cid_name = cid_name
        self.conn_num = "<unknown>"
        self.conn_name = "<unknown>"
        self.language = language
        self.context = context
        self.exten = exten
        self.priority = 1
        self.created = created
        self.application = ""
        self.app_data = ""
        self.bridge = ""


class Membership:
    __slots__ = ("last_pause", "login_time", "paused", "penalty", "reason")

    def __init__(
        self, penalty: int, login_time: int, paused: bool = False, reason: str = ""
    ) -> None:
        self.penalty = penalty
        self.login_time = login_time
        self.paused = paused
        self.reason = reason
        self.last_pause = 0


class Agent:
    """A queue member: a simulated agent, or an external interface added by QueueAdd."""

    __slots__ = (
        "break_reason",
        "break_token",
        "breaks_taken",
        "call",
        "calls_taken",
        "cid_name",
        "ext",
        "forced_pause",
        "interface",
        "last_call",
        "last_call_t",
        "member_name",
        "memberships",
        "on_shift",
        "pending_break",
        "pending_logout",
        "ring",
        "shift_serial",
        "spec",
        "state_interface",
        "status",
    )

    def __init__(self, ext: str, member_name: str, cid_name: str, spec: AgentSpec | None) -> None:
        self.spec = spec  # None: an external interface the simulation never rings
        self.ext = ext
        self.interface = f"PJSIP/{ext}"
        self.state_interface = self.interface
        self.member_name = member_name
        self.cid_name = cid_name
        self.memberships: dict[str, Membership] = {}
        self.status = DEVICE_NOT_INUSE
        self.calls_taken = 0
        self.last_call = 0
        self.last_call_t = -1e18
        self.ring: Attempt | None = None
        self.call: Caller | None = None
        self.on_shift = False
        self.shift_serial = 0  # bumps at login/logout: stale break timers see a new value
        self.break_reason: str | None = None
        self.break_token = 0
        self.forced_pause = False
        self.pending_break: int | None = None
        self.pending_logout = False
        self.breaks_taken: dict[str, int] = {}

    @property
    def busy(self) -> bool:
        return self.ring is not None or self.call is not None


class CallerState(Enum):
    WAITING = "waiting"  # in the queue, may be offered to an agent
    RINGING = "ringing"  # one or more agents are being rung
    RETRY = "retry"  # between ring attempts (the queue's `retry`)
    CONNECTED = "connected"
    GONE = "gone"


class Caller:
    __slots__ = (
        "agent",
        "agent_chan",
        "attempts",
        "bridge",
        "chan",
        "connected_at",
        "hold",
        "joined",
        "original_position",
        "queue",
        "state",
    )

    def __init__(self, chan: Chan, queue: QueueRt, joined: float, position: int) -> None:
        self.chan = chan
        self.queue = queue
        self.joined = joined
        self.original_position = position
        self.state = CallerState.WAITING
        self.attempts: list[Attempt] = []
        self.agent: Agent | None = None
        self.agent_chan: Chan | None = None
        self.connected_at = 0.0
        self.hold = 0
        self.bridge = ""


class Attempt:
    """One ring of one agent for one caller (ringall makes several at once)."""

    __slots__ = ("active", "agent", "caller", "chan", "started")

    def __init__(self, caller: Caller, agent: Agent, chan: Chan, started: float) -> None:
        self.caller = caller
        self.agent = agent
        self.chan = chan
        self.started = started
        self.active = True


class QueueRt:
    """A queue at run time: members in join order, callers in position order, counters."""

    __slots__ = (
        "abandoned",
        "abandoned_in_sl",
        "arrivals",
        "bursts",
        "completed",
        "completed_in_sl",
        "holdtime",
        "members",
        "rrpos",
        "spec",
        "talktime",
        "waiting",
    )

    def __init__(self, spec: QueueSpec, arrivals: QueueArrivals, bursts: tuple[Burst, ...]) -> None:
        self.spec = spec
        self.arrivals = arrivals
        self.bursts = bursts
        self.members: list[Agent] = []
        self.waiting: list[Caller] = []
        self.rrpos = -1
        self.holdtime = 0
        self.talktime = 0
        self.completed = 0
        self.abandoned = 0
        self.completed_in_sl = 0
        self.abandoned_in_sl = 0

    @property
    def name(self) -> str:
        return self.spec.name

    def sl_perf(self) -> float:
        return 100.0 * self.completed_in_sl / self.completed if self.completed else 0.0

    def sl_perf2(self) -> float:
        total = self.completed + self.abandoned
        return 100.0 * (self.completed_in_sl + self.abandoned_in_sl) / total if total else 0.0
