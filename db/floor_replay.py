"""Rebuilding the floor (agents' states, queues' waiting callers) from the journal, for replay.

The live floor is cti/state's job; this reducer only needs to answer "what did the floor look
like at minute M" from what the record holds, fast. The record writer feeds every journal
event through it and stores its state as a `floor_snapshot` row every few minutes (or every
N events); replay loads the newest snapshot before M and applies the journal rows after it.

Rules (DESIGN.md "Domain definitions"; the journal holds raw AMI field names):
- An agent is an interface (PJSIP/1001). It is LOGGED_OUT when it is a member of no queue.
- Membership: QueueMemberAdded / QueueMember (list item) / QueueMemberStatus add it,
  QueueMemberRemoved removes it. A QueueParams list item (the start of one queue's part of a
  QueueStatus resync) forgets that queue's members and waiting callers: the list items that
  follow re-add them. Shutdown (PBX restart) forgets every member and caller.
- State precedence: on a queue call (AgentConnect .. AgentComplete) TALKING, or ON_HOLD
  after Hold on the agent's channel (or device state 8); RINGING between AgentCalled and
  connect / no-answer (or device state 6, 7); UNAVAILABLE for device state 4, 5; TALKING for
  device state 2, 3 outside a queue call (a direct call); NOT_READY (+ reason) when paused;
  WRAP_UP from AgentComplete for the member's Wrapuptime, else the queue's configured
  wrap-up (Asterisk sends no wrap-up event); otherwise READY.
- Time in state counts from the event that entered it; a wrap-up that expired between two
  events changes state at its expiry time.
- Queue waiting callers: QueueCallerJoin adds, QueueCallerLeave / QueueCallerAbandon remove,
  QueueEntry (list item) adds with join time = now - Wait.
- Calls today, as the live tile counts them: queue calls answered (AgentConnect) since local
  midnight of the machine replaying, from the start of the record. Snapshots of version 1
  (written before the count existed) restart it from the snapshot. The caller on a queue call
  is the caller channel's CallerIDNum of the AgentConnect.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from cti.state.agent_state import AgentState, derive_state

LOGGED_OUT = "LOGGED_OUT"
READY = "READY"
NOT_READY = "NOT_READY"
RINGING = "RINGING"
TALKING = "TALKING"
ON_HOLD = "ON_HOLD"
WRAP_UP = "WRAP_UP"
UNAVAILABLE = "UNAVAILABLE"
AGENT_STATES = (LOGGED_OUT, READY, NOT_READY, RINGING, TALKING, ON_HOLD, WRAP_UP, UNAVAILABLE)

SNAPSHOT_VERSION = 2  # 2: each agent also carries its caller and calls today
READABLE_SNAPSHOTS = (1, 2)

Fields = Mapping[str, Any]


def _caller(fields: Fields) -> str:
    """The caller's number as the live tile shows it: Asterisk's `<unknown>` (withheld) is none."""
    number = _text(fields, "CallerIDNum") or ""
    return "" if number == "<unknown>" else number


def _text(fields: Fields, name: str) -> str | None:
    value = fields.get(name)
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, list):
        return str(value[-1]) if value else None
    return str(value)


def device_of(channel: str) -> str:
    """'PJSIP/1001-0000000a' -> 'PJSIP/1001' (the device part of a channel name)."""
    cut = channel.rfind("-")
    return channel[:cut] if cut > 0 else channel


ALL_AGENTS = "*"
# Events that change every agent's state at once (a resync starts, the PBX shuts down): the
# journal files them under interface "*" so one agent's timeline finds them by index.
ALL_AGENT_EVENTS = frozenset({"QueueParams", "Shutdown"})


_INTERFACE_HEADERS = ("Interface", "Location", "StateInterface", "MemberInterface")


def key_interface(fields: Fields, event: str = "") -> str | None:
    """The agent interface an event is about, for the journal's `interface` column."""
    if event in ALL_AGENT_EVENTS:
        return ALL_AGENTS
    get = fields.get
    # fast path for the usual case, every header a single text value
    value = get("Interface") or get("Location") or get("StateInterface")
    if value and value.__class__ is str:
        return value
    for name in _INTERFACE_HEADERS:
        value = get(name)
        if value is not None:
            if value.__class__ is not str:
                value = _text(fields, name)
            if value:
                return value
    channel = get("Channel")
    if channel is not None and channel.__class__ is not str:
        channel = _text(fields, "Channel")
    return device_of(channel) if channel else None


def key_queue(fields: Fields) -> str | None:
    return _text(fields, "Queue") or None


def key_linkedid(fields: Fields) -> str | None:
    return _text(fields, "Linkedid") or _text(fields, "DestLinkedid") or None


def _int(fields: Fields, name: str, default: int = 0) -> int:
    value = _text(fields, name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _float(fields: Fields, name: str) -> float | None:
    value = _text(fields, name)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _flag(fields: Fields, name: str) -> bool | None:
    value = _text(fields, name)
    if value is None:
        return None
    if value == "0":  # what Asterisk sends; the rest is for hand-written captures
        return False
    return value == "1" or value.strip().lower() in ("1", "true", "yes")


def _midnight_of(day: date, zone: tzinfo | None) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()  # None: this PC's


@dataclass(frozen=True)
class AgentAt:
    interface: str
    name: str
    state: str
    reason: str | None
    since: float  # epoch seconds the state was entered (0.0 = before the record)
    queues: tuple[str, ...]
    caller: str = ""  # the caller's number on a queue call
    call_queue: str = ""  # the queue of that call
    calls_today: int = 0  # queue calls answered since local midnight


@dataclass(frozen=True)
class QueueAt:
    name: str
    waiting: int
    longest_wait_s: float | None
    agents_by_state: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class FloorAt:
    """The floor as it was at `ts` (what the replay slider redraws)."""

    ts: float
    agents: Mapping[str, AgentAt]
    queues: Mapping[str, QueueAt]
    snapshot_ts: float | None = None  # the snapshot it started from (None = record start)
    events_applied: int = 0


@dataclass
class _Agent:
    name: str = ""
    queues: set[str] = field(default_factory=set)
    paused: bool = False
    reason: str = ""
    status: int = 1
    ringing: bool = False
    talking: bool = False
    hold: bool = False
    talking_queue: str = ""
    wrapup_until: float = 0.0
    member_wrapup: float = 0.0
    state: str = LOGGED_OUT
    state_reason: str | None = None
    since: float = 0.0
    caller: str = ""
    calls: int = 0  # queue calls answered on the local day that starts at `calls_day`
    calls_day: float = 0.0


@dataclass
class _Queue:
    waiting: dict[str, float] = field(default_factory=dict)
    members: set[str] = field(default_factory=set)


class FloorReducer:
    """Pure reducer: `apply(ts, name, fields)` in journal order; `floor_at(ts)` reads it out."""

    def __init__(
        self, wrapup_s: Mapping[str, float] | None = None, default_wrapup_s: float = 0.0
    ) -> None:
        self.wrapup_s = dict(wrapup_s or {})
        self.default_wrapup_s = default_wrapup_s
        # Whose midnight restarts "calls today": the recording console's zone in a review
        # (db.zone), this PC's (None) while writing.
        self.zone: tzinfo | None = None
        self.agents: dict[str, _Agent] = {}
        self.queues: dict[str, _Queue] = {}
        self._day = (0.0, -1.0)  # the local day last asked about: [midnight, next midnight)
        self._handlers: dict[str, Callable[[float, Fields], str | None]] = {
            "QueueMemberAdded": self._member,
            "QueueMember": self._member_item,
            "QueueMemberStatus": self._member,
            "QueueMemberRemoved": self._member_removed,
            "QueueMemberPause": self._pause,
            "QueueMemberPaused": self._pause,
            "AgentCalled": self._called,
            "AgentRingNoAnswer": self._ring_no_answer,
            "AgentConnect": self._connect,
            "AgentComplete": self._complete,
            "AgentDump": self._dump,
            "Hold": self._hold,
            "Unhold": self._unhold,
            "QueueCallerJoin": self._caller_join,
            "QueueCallerLeave": self._caller_leave,
            "QueueCallerAbandon": self._caller_leave,
            "QueueEntry": self._entry,
            "QueueParams": self._params,
            "Shutdown": self._shutdown,
        }

    # -- public -------------------------------------------------------------------------

    def handles(self, name: str) -> bool:
        return name in self._handlers

    @property
    def event_names(self) -> tuple[str, ...]:
        """The journal event names that change the floor (all others can be skipped)."""
        return tuple(self._handlers)

    def apply(self, ts: float, name: str, fields: Fields) -> str | None:
        """Apply one event; returns the agent interface whose state may have changed."""
        handler = self._handlers.get(name)
        if handler is None:
            return None
        interface = handler(ts, fields)
        if interface is not None:
            self._restate(interface, ts)
        return interface

    def agent_state(self, interface: str, now: float) -> tuple[str, str | None, float]:
        """(state, reason, since) of one agent at `now` (LOGGED_OUT if unknown)."""
        agent = self.agents.get(interface)
        if agent is None:
            return LOGGED_OUT, None, 0.0
        state, reason = self._derive(agent, now)
        if (state, reason) != (agent.state, agent.state_reason):
            # only a wrap-up can end without an event: it ended at its expiry time
            return state, reason, agent.wrapup_until
        return state, reason, agent.since

    def pending_change(self, interface: str, now: float) -> float | None:
        """When the agent's state will change without an event (wrap-up end), if after now."""
        agent = self.agents.get(interface)
        if agent is not None and agent.state == WRAP_UP and agent.wrapup_until > now:
            return agent.wrapup_until
        return None

    def floor_at(self, ts: float) -> FloorAt:
        agents: dict[str, AgentAt] = {}
        today = self._midnight(ts)
        for interface, agent in self.agents.items():
            state, reason, since = self.agent_state(interface, ts)
            on_call = (agent.talking and state in (TALKING, ON_HOLD)) or (
                agent.ringing and state == RINGING
            )
            agents[interface] = AgentAt(
                interface=interface,
                name=agent.name or interface,
                state=state,
                reason=reason,
                since=since,
                queues=tuple(sorted(agent.queues)),
                caller=agent.caller if on_call else "",
                call_queue=agent.talking_queue if on_call else "",
                calls_today=agent.calls if agent.calls_day == today else 0,
            )
        queues: dict[str, QueueAt] = {}
        for name, queue in self.queues.items():
            counts: dict[str, int] = {}
            for member in queue.members:
                at = agents.get(member)
                if at is not None:
                    counts[at.state] = counts.get(at.state, 0) + 1
            oldest = min(queue.waiting.values(), default=None)
            queues[name] = QueueAt(
                name=name,
                waiting=len(queue.waiting),
                longest_wait_s=max(0.0, ts - oldest) if oldest is not None else None,
                agents_by_state=tuple(sorted(counts.items())),
            )
        return FloorAt(ts=ts, agents=agents, queues=queues)

    def to_json(self) -> str:
        agents = {
            iface: [
                a.name,
                sorted(a.queues),
                int(a.paused),
                a.reason,
                a.status,
                int(a.ringing),
                int(a.talking),
                int(a.hold),
                a.talking_queue,
                a.wrapup_until,
                a.member_wrapup,
                a.state,
                a.state_reason,
                a.since,
                a.caller,
                a.calls,
                a.calls_day,
            ]
            for iface, a in self.agents.items()
        }
        queues = {name: [q.waiting, sorted(q.members)] for name, q in self.queues.items()}
        return json.dumps(
            {
                "v": SNAPSHOT_VERSION,
                "agents": agents,
                "queues": queues,
                "wrapup_s": self.wrapup_s,
                "default_wrapup_s": self.default_wrapup_s,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> FloorReducer:
        data = json.loads(text)
        if data.get("v") not in READABLE_SNAPSHOTS:
            raise ValueError(f"unknown floor snapshot version {data.get('v')!r}")
        reducer = cls(data.get("wrapup_s") or {}, float(data.get("default_wrapup_s", 0.0)))
        for iface, v in data["agents"].items():
            reducer.agents[iface] = _Agent(
                name=v[0],
                queues=set(v[1]),
                paused=bool(v[2]),
                reason=v[3],
                status=v[4],
                ringing=bool(v[5]),
                talking=bool(v[6]),
                hold=bool(v[7]),
                talking_queue=v[8],
                wrapup_until=v[9],
                member_wrapup=v[10],
                state=v[11],
                state_reason=v[12],
                since=v[13],
            )
            if len(v) > 14:
                agent = reducer.agents[iface]
                agent.caller, agent.calls, agent.calls_day = v[14], v[15], v[16]
        for name, (waiting, members) in data["queues"].items():
            reducer.queues[name] = _Queue(waiting=dict(waiting), members=set(members))
        return reducer

    def _midnight(self, ts: float) -> float:
        """Midnight in `zone` (epoch seconds) of the day containing `ts`.

        As cti.state.intervals computes it (both midnights in local time, so a DST day ends
        right); not imported from there because importing cti.state loads the whole floor
        store, 0.2 s more in every process that writes a record.
        """
        start, end = self._day
        if not start <= ts < end:
            day = datetime.fromtimestamp(ts, self.zone).date()
            start = _midnight_of(day, self.zone)
            end = _midnight_of(day + timedelta(days=1), self.zone)
            self._day = (start, end)
        return start

    # -- derivation ---------------------------------------------------------------------

    def _derive(self, a: _Agent, now: float) -> tuple[str, str | None]:
        """The live store's rules (cti.state.agent_state.derive_state). Device states of an
        agent that left every queue are no longer journalled, so its last one is not used."""
        state = derive_state(
            member=bool(a.queues),
            device=a.status if a.queues else 0,
            queue_call=a.talking,
            offered=a.ringing,
            on_hold=a.talking and a.hold,
            in_wrapup=now < a.wrapup_until,
            paused_everywhere=a.paused,
        )
        return state.name, (a.reason or None) if state is AgentState.NOT_READY else None

    def _restate(self, interface: str, ts: float) -> None:
        agent = self.agents.get(interface)
        if agent is None:
            return
        state, reason = self._derive(agent, ts)
        if (state, reason) != (agent.state, agent.state_reason):
            agent.state, agent.state_reason, agent.since = state, reason, ts

    # -- handlers (each returns the interface it touched) --------------------------------

    def _agent(self, fields: Fields) -> tuple[str, _Agent] | None:
        get = fields.get
        interface = get("Interface")  # fast path: a single text header (once per event)
        if not interface or interface.__class__ is not str:
            interface = (
                _text(fields, "Interface")
                or _text(fields, "Location")
                or _text(fields, "StateInterface")
                or _text(fields, "MemberInterface")
            )
            if not interface:
                return None
        agent = self.agents.get(interface)
        if agent is None:
            agent = self.agents[interface] = _Agent()
        name = get("MemberName")
        if not name or name.__class__ is not str:
            name = _text(fields, "MemberName") or _text(fields, "Name")
        if name:
            agent.name = name
        return interface, agent

    def _queue(self, fields: Fields) -> tuple[str, _Queue] | None:
        name = _text(fields, "Queue")
        if not name:
            return None
        queue = self.queues.get(name)
        if queue is None:
            queue = self.queues[name] = _Queue()
        return name, queue

    def _member(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        interface, agent = found
        q = self._queue(fields)
        if q is not None:
            agent.queues.add(q[0])
            q[1].members.add(interface)
        agent.status = _int(fields, "Status", agent.status)
        paused = _flag(fields, "Paused")
        if paused is not None:
            agent.paused = paused
            agent.reason = (_text(fields, "PausedReason") or "") if paused else ""
        wrapup = _float(fields, "Wrapuptime")
        if wrapup is not None:
            agent.member_wrapup = wrapup
        if agent.status in (1, 4, 5):
            agent.ringing = False
        return interface

    def _member_item(self, ts: float, fields: Fields) -> str | None:
        # A resync list item is authoritative about calls in progress too.
        interface = self._member(ts, fields)
        if interface is not None:
            agent = self.agents[interface]
            in_call = _flag(fields, "InCall")
            agent.talking = bool(in_call) and agent.status in (2, 3, 8)
            if not agent.talking:
                agent.hold = False
                agent.caller = ""
        return interface

    def _member_removed(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        interface, agent = found
        q = self._queue(fields)
        if q is not None:
            agent.queues.discard(q[0])
            q[1].members.discard(interface)
        return interface

    def _pause(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        interface, agent = found
        paused = _flag(fields, "Paused")
        if paused is not None:
            agent.paused = paused
            reason = _text(fields, "PausedReason") or _text(fields, "Reason") or ""
            agent.reason = reason if paused else ""
        return interface

    def _called(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        agent = found[1]
        agent.ringing = True
        if not agent.talking:  # the tile names the ringing call's caller and queue, as live
            agent.talking_queue = _text(fields, "Queue") or ""
            agent.caller = _caller(fields)
        return found[0]

    def _ring_no_answer(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        found[1].ringing = False
        return found[0]

    def _connect(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        agent = found[1]
        agent.ringing = False
        agent.talking = True
        agent.hold = False
        agent.talking_queue = _text(fields, "Queue") or ""
        agent.caller = _caller(fields)
        day = self._midnight(ts)
        if agent.calls_day != day:
            agent.calls_day, agent.calls = day, 0
        agent.calls += 1
        return found[0]

    def _complete(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        agent = found[1]
        queue = _text(fields, "Queue") or agent.talking_queue
        agent.talking = False
        agent.hold = False
        agent.ringing = False
        agent.caller = ""
        wrapup = agent.member_wrapup or self.wrapup_s.get(queue, self.default_wrapup_s)
        agent.wrapup_until = ts + wrapup
        return found[0]

    def _dump(self, ts: float, fields: Fields) -> str | None:
        found = self._agent(fields)
        if found is None:
            return None
        found[1].ringing = False
        found[1].talking = False
        found[1].caller = ""
        return found[0]

    def _on_channel(self, fields: Fields) -> tuple[str, _Agent] | None:
        channel = _text(fields, "Channel")
        if not channel:
            return None
        interface = device_of(channel)
        agent = self.agents.get(interface)
        return (interface, agent) if agent is not None else None

    def _hold(self, ts: float, fields: Fields) -> str | None:
        found = self._on_channel(fields)
        if found is None or not found[1].talking:
            return None
        found[1].hold = True
        return found[0]

    def _unhold(self, ts: float, fields: Fields) -> str | None:
        found = self._on_channel(fields)
        if found is None:
            return None
        found[1].hold = False
        return found[0]

    def _caller_join(self, ts: float, fields: Fields) -> str | None:
        q = self._queue(fields)
        uid = _text(fields, "Uniqueid")
        if q is not None and uid:
            q[1].waiting[uid] = ts
        return None

    def _caller_leave(self, ts: float, fields: Fields) -> str | None:
        q = self._queue(fields)
        uid = _text(fields, "Uniqueid")
        if q is not None and uid:
            q[1].waiting.pop(uid, None)
        return None

    def _entry(self, ts: float, fields: Fields) -> str | None:
        q = self._queue(fields)
        uid = _text(fields, "Uniqueid")
        if q is not None and uid:
            wait = _float(fields, "Wait") or 0.0
            q[1].waiting.setdefault(uid, ts - wait)
        return None

    def _params(self, ts: float, fields: Fields) -> str | None:
        q = self._queue(fields)
        if q is None:
            return None
        name, queue = q
        queue.waiting.clear()
        for interface in queue.members:
            agent = self.agents.get(interface)
            if agent is not None:
                agent.queues.discard(name)
                self._restate(interface, ts)
        queue.members.clear()
        return None

    def _shutdown(self, ts: float, fields: Fields) -> str | None:
        for queue in self.queues.values():
            queue.waiting.clear()
            queue.members.clear()
        for interface, agent in self.agents.items():
            agent.queues.clear()
            agent.talking = agent.ringing = agent.hold = False
            agent.caller = ""
            self._restate(interface, ts)
        return None
