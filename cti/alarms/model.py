"""Plain data the alarm engine reads and writes.

Inputs are snapshots (`QueueFigures`, `AgentFigures`, `LinkFigures`): the console's adapter
fills them from the floor store every evaluation tick, so the engine never reaches into the
store and stays testable with hand-written numbers. Durations are given in seconds *as of the
snapshot* (the adapter computes them with the same clock the engine uses).

Outputs are `AlarmTransition`s — raised, severity changed, cleared, escalated, acknowledged —
each carrying an immutable `Alarm` snapshot, ready to show, sound, put on the wallboard, text
and journal. Messages are English (the console translates); the structured fields are there
so a translation never has to parse the English.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.IntEnum):
    """Ordered: a higher value is more urgent."""

    INFO = 1
    WARNING = 2
    CRITICAL = 3


class AlarmKind(enum.Enum):
    # per queue
    SERVICE_LEVEL = "service_level"
    SL_PROJECTION = "sl_projection"
    WAITING = "waiting"
    LONGEST_WAIT = "longest_wait"
    ABANDON_RATE = "abandon_rate"
    # per agent
    AGENT_TALKING = "agent_talking"
    AGENT_WRAP_UP = "agent_wrap_up"
    AGENT_NOT_READY = "agent_not_ready"
    # links
    PBX_LINK_DOWN = "pbx_link_down"
    SIP_UNREGISTERED = "sip_unregistered"


QUEUE_KINDS = frozenset(
    {
        AlarmKind.SERVICE_LEVEL,
        AlarmKind.SL_PROJECTION,
        AlarmKind.WAITING,
        AlarmKind.LONGEST_WAIT,
        AlarmKind.ABANDON_RATE,
    }
)
AGENT_KINDS = frozenset(
    {AlarmKind.AGENT_TALKING, AlarmKind.AGENT_WRAP_UP, AlarmKind.AGENT_NOT_READY}
)
LINK_KINDS = frozenset({AlarmKind.PBX_LINK_DOWN, AlarmKind.SIP_UNREGISTERED})


class AgentCondition(enum.Enum):
    """The agent states the alarm rules care about (the adapter maps the store's AgentState)."""

    TALKING = "talking"  # talking or on hold: the call is still running
    WRAP_UP = "wrap_up"
    NOT_READY = "not_ready"
    OTHER = "other"  # ready, ringing, logged out, unavailable: no time-in-state alarm


@dataclass(frozen=True)
class QueueFigures:
    """One queue as of the snapshot.

    Attributes:
        queue: queue name as the PBX knows it (the alarm subject).
        display_name: what people call it (may be Chinese); defaults to `queue`.
        waiting: callers waiting now.
        longest_wait: seconds the oldest waiting caller has waited (0 when nobody waits).
        service_level: SL of the current interval as a fraction 0..1 (None: no call counted yet).
        sl_calls: calls in the SL formula's denominator this interval (noise guard).
        sl_target: the queue's SL target as a fraction (e.g. 0.9 for 90/20).
        sl_projected: projected SL at the end of the interval, 0..1 (None: not computable).
        abandon_rate: abandoned / offered this interval, 0..1 (None: nothing offered).
        offered: callers that joined this interval (noise guard for the abandon rate).
    """

    queue: str
    waiting: int = 0
    longest_wait: float = 0.0
    service_level: float | None = None
    sl_calls: int = 0
    sl_target: float = 0.9
    sl_projected: float | None = None
    abandon_rate: float | None = None
    offered: int = 0
    display_name: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.queue


@dataclass(frozen=True)
class AgentFigures:
    """One agent as of the snapshot.

    Attributes:
        interface: the agent's interface (e.g. "PJSIP/1001"): the alarm subject.
        name: display name.
        condition: what the agent is doing (see `AgentCondition`).
        time_in_state: seconds since the agent entered `condition`.
        reason: not-ready reason code ("meal", "training" …), if any.
    """

    interface: str
    condition: AgentCondition
    time_in_state: float
    name: str = ""
    reason: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.interface


@dataclass(frozen=True)
class LinkFigures:
    """Links as of the snapshot.

    Attributes:
        pbx_up: the AMI link is live (synchronised). While it is not, queue and agent figures
            are stale: their alarms are frozen (neither raised nor cleared).
        sip_registered: the console's SIP account is registered; None when no SIP account is
            configured (no alarm then).
    """

    pbx_up: bool = True
    sip_registered: bool | None = None


@dataclass(frozen=True)
class AlarmKey:
    kind: AlarmKind
    subject: str  # queue name, agent interface, "pbx" or "sip"

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.subject}"


@dataclass(frozen=True)
class Alarm:
    """An alarm as it stands at one moment (a new object is made for every change).

    Attributes:
        alarm_id: unique within one engine instance (a re-raise after a clear gets a new id).
        key: what the alarm is about.
        severity: current severity.
        raised_at: clock time the alarm was raised.
        severity_since: clock time of the last severity change (== raised_at at first); the
            escalation timer runs from here.
        value: the measured value that triggered / last updated the alarm (None for links).
        threshold: the raise threshold of the current severity level (absolute).
        message: English one-liner for journal, wallboard and SMS.
        subject_label: display name of the subject (queue display name, agent name).
        acknowledged_by / acknowledged_at / ack_comment: set once acknowledged.
        escalated_at: set once escalated.
    """

    alarm_id: int
    key: AlarmKey
    severity: Severity
    raised_at: float
    severity_since: float
    value: float | None
    threshold: float | None
    message: str
    subject_label: str
    acknowledged_by: str | None = None
    acknowledged_at: float | None = None
    ack_comment: str | None = None
    escalated_at: float | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class TransitionKind(enum.Enum):
    RAISED = "raised"
    SEVERITY_CHANGED = "severity_changed"
    CLEARED = "cleared"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class AlarmTransition:
    """Something happened to an alarm.

    Attributes:
        kind: what happened.
        alarm: the alarm after the transition (for CLEARED: as it was when cleared).
        at: clock time.
        previous_severity: for SEVERITY_CHANGED, the severity before.
    """

    kind: TransitionKind
    alarm: Alarm
    at: float
    previous_severity: Severity | None = None
