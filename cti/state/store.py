"""The floor store: queues, agents, waiting callers, calls, bridges and spy sessions.

Rules and trade-offs:
- One writer: the console's main thread applies typed AMI events (`apply`) and, after every
  (re)connect, ONE `SyncSnapshot` (`apply_snapshot`) that replaces the live floor atomically.
  Views never write; they read frozen snapshots (`agent()`, `queue()` ...) and poll
  `drain_changes()` to repaint only what changed, at their own pace.
- Time comes only from the injected clock, read once per applied event. Things that happen
  by the clock alone (a wrap-up window ending, a new interval, midnight) are processed
  lazily, at the exact time they were due, before the next event or read (`tick()`).
- While the floor is stale (link down, PBX restarting) nothing is known, so each agent's last
  known state keeps accruing time until the resync replaces it; the tooltip for day figures
  should say so when a stale period happened.
- Counters come from events, never from the sync lists: a snapshot restores who is where, not
  how many calls were answered. Day figures (per agent and per queue interval) survive a
  resync; callers that vanished across a PBX restart count as "other exits".
- Agent state is derived (see `agent_state`), never stored from one event: every reducer
  settles the time spent so far (`_settle`), mutates, then re-derives (`_rederive`).
- Interval attribution: see `metrics` (a call counts in the interval in which it left the
  queue).
- Reading a queue view settles its members' running segments up to the clock (exactly what
  their next event would do), so occupancy includes the time since their last event.
- List items that arrive outside a snapshot (QueueMember, QueueEntry, QueueParams from a
  QueueStatus the console sent) are merged as facts about the present, without counting.
"""

from __future__ import annotations

import heapq
import logging
import math
import sys
from collections.abc import Callable, Iterable
from types import MappingProxyType

from cti.ami.sync import SyncSnapshot
from cti.state.agent_state import AgentState, derive_pending, derive_state
from cti.state.config import FloorConfig
from cti.state.facts import ChannelFacts, EntryFacts, MemberFacts
from cti.state.intervals import IntervalClock
from cti.state.metrics import (
    IntervalCounts,
    IntervalMetrics,
    build_metrics,
    sl_projection,
    sl_terms,
)
from cti.state.naming import interface_of_channel, spy_mode_from_options
from cti.state.records import STATE_INDEX, Agent, Call, Membership, Queue, Spy
from cti.state.reducers import build_dispatch, snapshot_facts, snapshot_items
from cti.state.scores import call_count_scores
from cti.state.staffing import forecast_staffing
from cti.state.view_builder import agent_view, spy_view
from cti.state.views import (
    AgentView,
    CallView,
    Changes,
    FloorView,
    QueueView,
    SpyMode,
    SpyView,
    WaitingCaller,
)

log = logging.getLogger(__name__)

_LOGGED_OUT = AgentState.LOGGED_OUT
_READY = AgentState.READY
_NOT_READY = AgentState.NOT_READY
_TALKING = AgentState.TALKING
_ON_HOLD = AgentState.ON_HOLD
_WRAP_UP = AgentState.WRAP_UP
# Agents in these states do not staff a queue (its card and the Erlang figures).
NOT_STAFFED = frozenset({AgentState.LOGGED_OUT, AgentState.UNAVAILABLE})
_IDX = STATE_INDEX
# A "left" caller not resolved by AgentConnect, hangup or rejoin within this long is an exit
# (covers a client whose event filter hides Hangup).
_LEFT_RESOLVE_S = 60.0
_DTMF_MODES = {"4": SpyMode.LISTEN, "5": SpyMode.WHISPER, "6": SpyMode.BARGE}
_EMPTY: frozenset[str] = frozenset()


# Why a store is stale before the PBX's first snapshot (also after today's history is replayed).
NOT_SYNCHRONISED = "not synchronised yet"


class FloorStore:
    """Live model of the floor. See the module docstring for the rules.

    Inputs: `apply(event)`, `apply_snapshot(snapshot)`, `mark_stale(reason)`,
    `request_pending(...)`, `tick()`. Outputs: `drain_changes()`, `is_live`, `agent()`,
    `agents()`, `queue()`, `queues()`, `interval_metrics()`, `calls()`, `spy_sessions()`,
    `floor()`, `call_count_scores()`.
    """

    def __init__(self, config: FloorConfig, clock: Callable[[], float]) -> None:
        self._config = config
        self._clock = clock
        self._ic = IntervalClock(config.interval_minutes, config.tz)
        self._agents: dict[str, Agent] = {}
        self._by_device: dict[str, str] = {}
        self._queues: dict[str, Queue] = {}
        self._calls: dict[str, Call] = {}
        self._offers: dict[str, set[str]] = {}
        self._bridges: dict[str, set[str]] = {}
        self._spies: dict[str, Spy] = {}
        self._spy_options: dict[str, str] = {}
        self._wrap_heap: list[tuple[float, str]] = []
        self._left_heap: list[tuple[float, str]] = []
        self._live = False
        self._stale_reason: str | None = NOT_SYNCHRONISED
        self._pbx_version: str | None = None
        self._day_end: float | None = None
        self._last_now = -math.inf  # the clock as last read (to spot closed intervals)
        self._ch_agents: set[str] = set()
        self._ch_queues: set[str] = set()
        self._ch_floor = True
        self._dispatch = build_dispatch(self)

    # ------------------------------------------------------------------ inputs

    @property
    def config(self) -> FloorConfig:
        return self._config

    def apply(self, event: object) -> None:
        """Apply one typed AMI event (events the store does not use are ignored cheaply)."""
        handler = self._dispatch.get(type(event))
        if handler is not None:
            handler(event)

    def _now(self) -> float:
        """The clock, after processing what fell due before it (reducers call this once)."""
        now = self._clock()
        self._advance(now)
        return now

    def tick(self) -> None:
        """Process what is due by the clock alone (wrap-up ends, intervals, midnight)."""
        self._advance(self._clock())

    def apply_snapshot(self, snapshot: SyncSnapshot) -> None:
        """Replace the live floor with a SyncSnapshot delivered after a (re)connect."""
        items, version = snapshot_items(snapshot)
        self.resync_items(items, pbx_version=version)

    def resync_items(self, items: Iterable[object], pbx_version: str | None = None) -> None:
        """Resynchronise from sync list items (QueueParams, QueueMember, QueueEntry,
        CoreShowChannel typed events); the floor becomes live."""
        params, members, entries, channels = snapshot_facts(items)
        self.resync(params, members, entries, channels, self._clock(), pbx_version)

    def mark_stale(self, reason: str) -> None:
        """The link to the PBX is down or resynchronising: the floor is not live any more."""
        if self._live or self._stale_reason != reason:
            self._live = False
            self._stale_reason = reason
            self._ch_floor = True

    def set_pbx_version(self, version: str | None) -> None:
        self._pbx_version = version
        self._ch_floor = True

    def request_pending(
        self, interface: str, state: AgentState | None, reason: str | None = None
    ) -> None:
        """A controller deferred an action until the agent's call ends (None clears it)."""
        a = self._agents.get(interface)
        if a is None:
            return
        now = self._clock()
        self._advance(now)
        a.requested = state
        a.requested_reason = reason
        self._rederive(a, now)
        self._ch_agents.add(interface)

    # ------------------------------------------------------------------ outputs

    @property
    def is_live(self) -> bool:
        return self._live

    def drain_changes(self) -> Changes:
        """What changed since the previous call; views repaint just that."""
        self._advance(self._clock())
        changes = Changes(
            frozenset(self._ch_agents) if self._ch_agents else _EMPTY,
            frozenset(self._ch_queues) if self._ch_queues else _EMPTY,
            self._ch_floor,
        )
        self._ch_agents.clear()
        self._ch_queues.clear()
        self._ch_floor = False
        return changes

    def agent_interfaces(self) -> tuple[str, ...]:
        return tuple(self._agents)

    def queue_names(self) -> tuple[str, ...]:
        return tuple(self._queues)

    def agent(self, interface: str) -> AgentView | None:
        a = self._agents.get(interface)
        if a is None:
            return None
        now = self._clock()
        self._advance(now)
        return agent_view(a, now)

    def agents(self) -> tuple[AgentView, ...]:
        now = self._clock()
        self._advance(now)
        return tuple(agent_view(a, now) for a in self._agents.values())

    def queue(self, name: str) -> QueueView | None:
        q = self._queues.get(name)
        if q is None:
            return None
        now = self._clock()
        self._advance(now)
        return self._queue_view(q, now)

    def queues(self) -> tuple[QueueView, ...]:
        now = self._clock()
        self._advance(now)
        return tuple(self._queue_view(q, now) for q in self._queues.values())

    def interval_metrics(self, queue: str, interval_start: float) -> IntervalMetrics | None:
        """A stored interval of today (None if that queue had nothing then)."""
        q = self._queues.get(queue)
        if q is None:
            return None
        c = q.intervals.get(interval_start)
        if c is None:
            return None
        return build_metrics(c, self._config.threshold(queue), self._config.sl_formula)

    def calls(self) -> tuple[CallView, ...]:
        return tuple(
            CallView(
                linkedid=c.linkedid,
                caller_uniqueid=c.uniqueid,
                caller_channel=c.channel,
                caller_number=c.number,
                queue=c.queue,
                joined_at=c.joined_at,
                agent_interface=c.agent,
                answered_at=c.answered_at,
                on_hold=c.held,
            )
            for c in self._calls.values()
        )

    def spy_sessions(self) -> tuple[SpyView, ...]:
        return tuple(spy_view(s) for s in self._spies.values())

    def floor(self) -> FloorView:
        now = self._clock()
        return FloorView(
            is_live=self._live,
            stale_reason=None if self._live else self._stale_reason,
            pbx_version=self._pbx_version,
            agents=len(self._agents),
            queues=len(self._queues),
            waiting=sum(len(q.waiting) for q in self._queues.values()),
            calls=len(self._calls),
            bridges=len(self._bridges),
            spy_sessions=len(self._spies),
            as_of=now,
        )

    def call_count_scores(self) -> dict[str, float]:
        """Call-count score per agent; the team is every agent with logged-in time today."""
        now = self._clock()
        team: dict[str, int] = {}
        for a in self._agents.values():
            logged = sum(a.secs[:7]) + (now - a.acc_since if a.state is not _LOGGED_OUT else 0)
            if logged > 0 or a.answered:
                team[a.interface] = a.answered
        return call_count_scores(team, self._config.score_rule)

    # ------------------------------------------------------------------ time

    def _advance(self, now: float) -> None:
        self._last_now = now
        heap = self._wrap_heap
        lheap = self._left_heap
        day_end = self._day_end
        if (
            day_end is not None
            and now < day_end
            and (not heap or heap[0][0] > now)
            and (not lheap or lheap[0][0] > now)
        ):
            return  # the common case: nothing fell due
        if not self._config.reset_daily:
            self._day_end = math.inf
        elif day_end is None:
            self._ic.day_start(now)
            self._day_end = self._ic.day_end(now)
        elif now >= day_end:
            self._roll_day(now)
        while heap and heap[0][0] <= now:
            until, interface = heapq.heappop(heap)
            a = self._agents.get(interface)
            if a is None or a.wrapup_until != until:
                continue
            self._settle(a, until)
            a.wrapup_until = None
            a.wrapup_queue = None
            self._rederive(a, until)
            self._mark_agent(a)
        while lheap and lheap[0][0] <= now:
            _, linkedid = heapq.heappop(lheap)
            call = self._calls.get(linkedid)
            if call is None:
                continue
            if call.outcome == "left":
                self._resolve_exit(call)
            elif call.outcome == "abandoned":
                self._calls.pop(linkedid, None)

    def _roll_day(self, now: float) -> None:
        assert self._day_end is not None
        boundary = self._day_end
        while now >= boundary:
            # Close every open segment at midnight so yesterday's time stays yesterday's.
            for a in self._agents.values():
                self._settle(a, boundary)
                a.reset_day()
            for q in self._queues.values():
                q.intervals.clear()
                q.last = None
                q.version += 1
                q.first_activity = None
                self._ch_queues.add(q.name)
            self._ic.day_start(boundary)
            boundary = self._ic.day_end(boundary)
        self._day_end = boundary
        self._ch_agents.update(self._agents)
        self._ch_floor = True

    # ------------------------------------------------------------------ helpers

    def _agent_for(self, interface: str, now: float) -> Agent:
        a = self._agents.get(interface)
        if a is None:
            a = Agent(interface, now)
            self._agents[interface] = a
            self._by_device[interface] = interface
            self._ch_floor = True
        return a

    def _set_device_key(self, a: Agent, state_interface: str) -> None:
        self._by_device.pop(a.state_interface, None)
        # Usually the same text as the interface: share that string instead of keeping a copy.
        a.state_interface = a.interface if state_interface == a.interface else state_interface
        self._by_device[a.state_interface] = a.interface

    def _queue_for(self, name: str) -> Queue:
        q = self._queues.get(name)
        if q is None:
            q = Queue(name)
            self._queues[name] = q
            self._ch_floor = True
        return q

    def _counts(self, queue: str, ts: float) -> IntervalCounts:
        q = self._queues.get(queue) or self._queue_for(queue)
        c = q.last
        if c is not None and c.start <= ts < c.end:
            if c.end <= self._last_now:
                q.version += 1
            return c
        start, end = self._ic.interval_bounds(ts)
        c = q.intervals.get(start)
        if c is None:
            c = IntervalCounts(start, end)
            q.intervals[start] = c
            if q.first_activity is None:
                q.first_activity = ts
        q.last = c
        if c.end <= self._last_now:
            q.version += 1  # a closed interval changed: its cached view is out of date
        return c

    def _mark_agent(self, a: Agent) -> None:
        self._ch_agents.add(a.interface)
        if a.queues:
            self._ch_queues.update(a.queues)

    def _settle(self, a: Agent, now: float) -> None:
        """Account the time since the last settle to the agent's current state."""
        t0 = a.acc_since
        if now <= t0:
            return
        a.acc_since = now
        st = a.state
        if st is _LOGGED_OUT:
            return
        dt = now - t0
        a.secs[_IDX[st]] += dt
        if st is _NOT_READY:
            nr = a.nr_by_reason
            if nr is None:
                nr = a.nr_by_reason = {}
            key = a.reason or ""
            nr[key] = nr.get(key, 0.0) + dt
        elif st is _TALKING or st is _ON_HOLD:
            if a.call_queue is not None:
                self._add_time(a.call_queue, t0, now, busy=True)
        elif st is _WRAP_UP:
            if a.wrapup_queue is not None:
                self._add_time(a.wrapup_queue, t0, now, busy=True)
        elif st is _READY:
            for qname, m in a.queues.items():
                if not m.paused:
                    self._add_time(qname, t0, now, busy=False)

    def _add_time(self, queue: str, t0: float, t1: float, *, busy: bool) -> None:
        t = t0
        while t < t1:
            c = self._counts(queue, t)
            stop = min(c.end, t1)
            if busy:
                c.busy_s += stop - t
            else:
                c.available_s += stop - t
            t = stop

    def _rederive(self, a: Agent, now: float) -> None:
        member = bool(a.queues)
        paused_all = member and all(m.paused for m in a.queues.values())
        wu = a.wrapup_until
        st = derive_state(
            member=member,
            device=a.device,
            queue_call=a.call_linkedid is not None,
            offered=a.offered_linkedid is not None,
            on_hold=a.held,
            in_wrapup=wu is not None and now < wu,
            paused_everywhere=paused_all,
        )
        req = a.requested
        if req is not None and req is st:
            a.requested = None
            a.requested_reason = None
            req = None
        pending = derive_pending(st, member=member, paused_everywhere=paused_all, requested=req)
        if st is _NOT_READY or pending is _NOT_READY:
            reason = a.requested_reason if req is _NOT_READY and a.requested_reason else None
            reason = reason or a.pause_reason
        else:
            reason = None
        if st is not a.state or (st is _NOT_READY and reason != a.reason):
            a.state = st
            a.since = now
            self._mark_agent(a)
        if reason != a.reason or pending is not a.pending:
            a.reason = reason
            a.pending = pending
            self._mark_agent(a)

    def _clear_offers(self, linkedid: str | None, now: float, keep: str | None = None) -> None:
        if linkedid is None:
            return
        offered = self._offers.pop(linkedid, None)
        if not offered:
            return
        for iface in offered:
            if iface == keep:
                continue
            a = self._agents.get(iface)
            if a is not None and a.offered_linkedid == linkedid:
                self._settle(a, now)
                a.offered_linkedid = None
                self._rederive(a, now)

    def _remove_waiting(self, call: Call) -> None:
        if call.queue is None:
            return
        q = self._queues.get(call.queue)
        if q is None or q.waiting.pop(call.uniqueid, None) is None:
            return
        pos = call.position
        for other in q.waiting.values():
            if other.position > pos:
                other.position -= 1
        self._ch_queues.add(q.name)

    def _resolve_exit(self, call: Call) -> None:
        """A caller left the queue without answer or abandon: count an other exit."""
        if call.queue is not None and call.outcome in (None, "left"):
            left = call.left_at if call.left_at is not None else self._clock()
            wait = None if call.joined_at is None else max(0.0, left - call.joined_at)
            self._counts(call.queue, left).add_other_exit(wait)
            self._ch_queues.add(call.queue)
        self._remove_waiting(call)
        call.outcome = "exit"
        self._calls.pop(call.linkedid, None)

    # ------------------------------------------------------------------ reducers (primitive)
    # The typed-event adapters in `reducers.py` call these.

    def on_member(
        self, f: MemberFacts, now: float, *, removed: bool = False, pause_event: bool = False
    ) -> None:
        a = self._agent_for(f.interface, now)
        m = a.queues.get(f.queue)
        # Reasons repeat across thousands of agents; one shared string each.
        reason = sys.intern(f.paused_reason) if f.paused and f.paused_reason else None
        # Most member events are QueueMemberStatus repeating what we know; only a change of
        # device state, pause or membership touches the time accounting.
        relevant = (
            removed
            or m is None
            or pause_event
            or (f.status is not None and f.status != a.device)
            or (f.paused is not None and (f.paused != m.paused or reason != m.reason))
        )
        if relevant:
            self._settle(a, now)
        if f.name and f.name != a.name:
            a.name = f.name
        if f.state_interface and f.state_interface != a.state_interface:
            self._set_device_key(a, f.state_interface)
        if f.status is not None:
            a.device = f.status
        if removed:
            if m is not None:
                del a.queues[f.queue]
                self._queue_for(f.queue).members.discard(a.interface)
        else:
            if m is None:
                m = a.queues[f.queue] = Membership()
                self._queue_for(f.queue).members.add(a.interface)
                was_paused: bool | None = None
            else:
                was_paused = m.paused
            if f.penalty is not None:
                m.penalty = f.penalty
            if f.calls_taken is not None:
                m.calls_taken = f.calls_taken
            if f.last_call is not None:
                m.last_call = f.last_call
            if f.wrapup_s is not None:
                m.wrapup_s = f.wrapup_s
            if f.paused is not None:
                # The agent-level flag follows pause transitions (what queue_log records as
                # PAUSE / UNPAUSE), not the steady Paused: 0 of every status event, and a new
                # unpaused membership does not clear a pause reported for another queue.
                if was_paused is None:
                    changed = f.paused
                else:
                    changed = pause_event or f.paused != was_paused or reason != m.reason
                if changed:
                    a.last_paused = f.paused
                    a.pause_reason = reason
                m.paused = f.paused
                m.reason = reason
        if relevant:
            self._rederive(a, now)
        self._mark_agent(a)
        self._ch_queues.add(f.queue)

    def on_device_state(self, device: str, status: int, now: float) -> None:
        iface = self._by_device.get(device)
        if iface is None:
            return
        a = self._agents[iface]
        if a.device == status:
            return
        self._settle(a, now)
        a.device = status
        self._rederive(a, now)
        self._mark_agent(a)

    def on_caller_join(
        self,
        queue: str,
        uniqueid: str,
        linkedid: str,
        channel: str,
        number: str | None,
        name: str | None,
        position: int,
        now: float,
    ) -> None:
        old = self._calls.get(linkedid)
        if old is not None and old.outcome in (None, "left") and old.uniqueid == uniqueid:
            self._resolve_exit(old)
        call = Call(linkedid, uniqueid, channel)
        call.number = number
        call.name = name
        call.queue = queue
        call.joined_at = now
        call.position = position
        self._calls[linkedid] = call
        q = self._queue_for(queue)
        q.waiting[uniqueid] = call
        self._counts(queue, now).arrivals += 1
        joins = q.recent_joins
        joins.append(now)
        horizon = now - self._config.recent_window_s
        while joins and joins[0] < horizon:
            joins.popleft()
        self._ch_queues.add(queue)

    def _call_by_uniqueid(self, uniqueid: str, linkedid: str | None) -> Call | None:
        if linkedid is not None:
            c = self._calls.get(linkedid)
            if c is not None and c.uniqueid == uniqueid:
                return c
        c = self._calls.get(uniqueid)
        return c if c is not None and c.uniqueid == uniqueid else None

    def on_caller_leave(self, queue: str, uniqueid: str, linkedid: str | None, now: float) -> None:
        call = self._call_by_uniqueid(uniqueid, linkedid)
        if call is None:
            # Joined before we were watching: remember it so an exit can still be counted.
            call = Call(linkedid or uniqueid, uniqueid, "")
            call.queue = queue
            self._calls[call.linkedid] = call
        self._remove_waiting(call)
        if call.outcome is None:
            call.outcome = "left"
            call.left_at = now
            heapq.heappush(self._left_heap, (now + _LEFT_RESOLVE_S, call.linkedid))
        self._ch_queues.add(queue)

    def on_caller_abandon(
        self, queue: str, uniqueid: str, linkedid: str | None, wait_s: float, now: float
    ) -> None:
        cfg = self._config
        self._counts(queue, now).add_abandoned(wait_s, cfg.threshold(queue), cfg.short_abandon_s)
        call = self._call_by_uniqueid(uniqueid, linkedid)
        if call is None:
            call = Call(linkedid or uniqueid, uniqueid, "")
            call.queue = queue
            self._calls[call.linkedid] = call
        self._remove_waiting(call)
        # Kept until the caller's Hangup so the QueueCallerLeave that follows is recognised.
        call.outcome = "abandoned"
        call.left_at = now
        heapq.heappush(self._left_heap, (now + _LEFT_RESOLVE_S, call.linkedid))
        self._clear_offers(linkedid or uniqueid, now)
        self._ch_queues.add(queue)

    def on_agent_called(
        self,
        queue: str,
        interface: str,
        linkedid: str,
        now: float,
        number: str | None = None,
        name: str | None = None,
    ) -> None:
        a = self._agent_for(interface, now)
        self._settle(a, now)
        a.offered_linkedid = linkedid
        a.offered_queue = queue
        call = self._calls.get(linkedid)
        a.offered_number = number or (call.number if call is not None else None)
        a.offered_name = name or (call.name if call is not None else None)
        self._offers.setdefault(linkedid, set()).add(interface)
        self._rederive(a, now)
        self._mark_agent(a)

    def on_ring_no_answer(
        self, queue: str, interface: str, linkedid: str | None, now: float
    ) -> None:
        a = self._agent_for(interface, now)
        self._settle(a, now)
        a.rna += 1
        if a.offered_linkedid is not None and a.offered_linkedid == linkedid:
            offered = self._offers.get(a.offered_linkedid)
            if offered is not None:
                offered.discard(interface)
            a.offered_linkedid = None
        self._rederive(a, now)
        self._mark_agent(a)

    def on_agent_dump(self, interface: str, linkedid: str | None, now: float) -> None:
        a = self._agents.get(interface)
        if a is None or a.offered_linkedid is None:
            return
        self._settle(a, now)
        a.offered_linkedid = None
        self._rederive(a, now)
        self._mark_agent(a)

    def on_agent_connect(
        self,
        queue: str,
        interface: str,
        uniqueid: str,
        linkedid: str,
        number: str | None,
        name: str | None,
        wait_s: float,
        now: float,
    ) -> None:
        cfg = self._config
        self._counts(queue, now).add_answered(wait_s, cfg.threshold(queue))
        self._ch_queues.add(queue)
        call = self._call_by_uniqueid(uniqueid, linkedid)
        if call is None:
            call = Call(linkedid, uniqueid, "")
            call.queue = queue
            call.number = number
            call.name = name
            self._calls[linkedid] = call
        self._remove_waiting(call)
        call.outcome = "answered"
        call.agent = interface
        call.answered_at = now
        self._clear_offers(linkedid, now, keep=interface)
        a = self._agent_for(interface, now)
        self._settle(a, now)
        a.offered_linkedid = None
        a.answered += 1
        a.call_linkedid = linkedid
        a.direct_channel = None
        a.call_queue = queue
        a.call_number = number
        a.call_name = name
        a.call_since = now
        a.held = False
        self._rederive(a, now)
        self._mark_agent(a)

    def on_agent_complete(
        self,
        queue: str,
        interface: str,
        linkedid: str,
        talk_s: float,
        now: float,
    ) -> None:
        a = self._agent_for(interface, now)
        self._settle(a, now)
        m = a.queues.get(queue)
        wrap = m.wrapup_s if m is not None and m.wrapup_s > 0 else self._config.wrapup(queue)
        self._counts(queue, now).add_completed(talk_s, wrap)
        self._ch_queues.add(queue)
        a.queue_talk_s += talk_s
        a.call_linkedid = a.call_queue = a.call_number = a.call_name = None
        a.call_since = None
        a.held = False
        if wrap > 0:
            a.wrapup_until = now + wrap
            a.wrapup_queue = queue
            heapq.heappush(self._wrap_heap, (a.wrapup_until, interface))
        call = self._calls.get(linkedid)
        if call is not None and call.agent == interface:
            self._calls.pop(linkedid, None)
        self._rederive(a, now)
        self._mark_agent(a)

    def on_hold(self, channel: str, linkedid: str | None, held: bool, now: float) -> None:
        a = self._agents.get(interface_of_channel(channel))
        call = self._calls.get(linkedid) if linkedid else None
        if call is not None:
            call.held = held
            if a is None and call.agent is not None:
                a = self._agents.get(call.agent)
        if a is None or a.held == held:
            return
        self._settle(a, now)
        a.held = held
        self._rederive(a, now)
        self._mark_agent(a)

    def on_connected_line(
        self, channel: str, number: str | None, name: str | None, now: float
    ) -> None:
        """An agent's channel is up / ringing with a known other party: for a direct
        (non-queue) call this is the only source of the caller's number."""
        a = self._agents.get(interface_of_channel(channel))
        if a is None or a.call_linkedid is not None or not number:
            return
        if a.direct_channel != channel or a.call_number != number:
            a.direct_channel = channel
            a.call_number = number
            a.call_name = name
            if a.call_since is None:
                a.call_since = now
            self._ch_agents.add(a.interface)

    def on_hangup(self, channel: str, uniqueid: str, linkedid: str | None, now: float) -> None:
        spy = self._spies.pop(channel, None)
        if spy is not None:
            self._drop_spy(spy)
        self._spy_options.pop(channel, None)
        agent = self._agents.get(interface_of_channel(channel))
        if agent is not None and agent.direct_channel == channel:
            agent.direct_channel = None
            if agent.call_linkedid is None:
                agent.call_number = agent.call_name = None
                agent.call_since = None
            self._ch_agents.add(agent.interface)
        call = self._call_by_uniqueid(uniqueid, linkedid)
        if call is not None:
            if call.outcome in (None, "left"):
                if call.left_at is None:
                    call.left_at = now
                self._resolve_exit(call)
                self._clear_offers(call.linkedid, now)
            elif call.outcome == "abandoned":
                self._calls.pop(call.linkedid, None)
            elif call.outcome == "answered":
                a = self._agents.get(call.agent) if call.agent else None
                self._calls.pop(call.linkedid, None)
                if a is not None and a.call_linkedid == call.linkedid:
                    # The call ended without AgentComplete (e.g. after a transfer).
                    self._settle(a, now)
                    a.call_linkedid = a.call_queue = a.call_number = a.call_name = None
                    a.call_since = None
                    a.held = False
                    self._rederive(a, now)
                    self._mark_agent(a)

    def on_bridge(self, bridge_id: str, channel: str | None, kind: str) -> None:
        if kind == "create":
            self._bridges.setdefault(bridge_id, set())
        elif kind == "destroy":
            self._bridges.pop(bridge_id, None)
        elif channel is not None:
            members = self._bridges.setdefault(bridge_id, set())
            if kind == "enter":
                members.add(channel)
            else:
                members.discard(channel)

    def on_spy_options(self, spyer_channel: str, options: str) -> None:
        self._spy_options[spyer_channel] = options

    def on_spy_start(
        self,
        spyer_channel: str,
        spyer_number: str | None,
        spyer_name: str | None,
        spyer_exten: str | None,
        spyee_channel: str,
        spyee_linkedid: str | None,
        now: float,
    ) -> None:
        options = self._spy_options.pop(spyer_channel, None)
        mode, dtmf = SpyMode.LISTEN, True
        if options is not None:
            mode, dtmf = spy_mode_from_options(options)
        elif spyer_exten:
            for code, name in self._config.spy_feature_codes.items():
                if spyer_exten.startswith(code):
                    mode = SpyMode(name)
                    break
        spy = Spy(
            spyer_channel,
            spyer_number,
            spyer_name,
            spyee_channel,
            interface_of_channel(spyee_channel),
            spyee_linkedid,
            mode,
            dtmf,
            now,
        )
        old = self._spies.pop(spyer_channel, None)
        if old is not None:
            self._drop_spy(old)
        self._add_spy(spy)

    def _add_spy(self, spy: Spy) -> None:
        self._spies[spy.spyer_channel] = spy
        a = self._agents.get(spy.interface)
        if a is not None:
            if a.spies is None:
                a.spies = []
            a.spies.append(spy)
            self._ch_agents.add(a.interface)
        self._ch_floor = True

    def _drop_spy(self, spy: Spy) -> None:
        a = self._agents.get(spy.interface)
        if a is not None and a.spies:
            a.spies = [s for s in a.spies if s is not spy] or None
            self._ch_agents.add(a.interface)
        self._ch_floor = True

    def on_spy_stop(self, spyer_channel: str) -> None:
        spy = self._spies.pop(spyer_channel, None)
        if spy is not None:
            self._drop_spy(spy)

    def on_dtmf(self, channel: str, digit: str) -> None:
        spy = self._spies.get(channel)
        if spy is None or not spy.dtmf:
            return
        mode = _DTMF_MODES.get(digit)
        if mode is not None and mode is not spy.mode:
            spy.mode = mode
            self._ch_agents.add(spy.interface)
            self._ch_floor = True

    def on_queue_params(self, queue: str, strategy: str | None) -> None:
        q = self._queue_for(queue)
        if strategy and q.strategy != strategy:
            q.strategy = strategy
            self._ch_queues.add(queue)

    def on_entry(self, e: EntryFacts, linkedid: str | None, now: float) -> None:
        """A waiting caller seen in a list (not an arrival): add it if unknown."""
        q = self._queue_for(e.queue)
        known = q.waiting.get(e.uniqueid)
        if known is not None:
            known.position = e.position
            return
        lid = linkedid or e.uniqueid
        call = Call(lid, e.uniqueid, e.channel)
        call.number = e.number
        call.name = e.name
        call.queue = e.queue
        call.position = e.position
        call.joined_at = now - e.wait_s
        self._calls[lid] = call
        q.waiting[e.uniqueid] = call
        self._ch_queues.add(e.queue)

    # ------------------------------------------------------------------ resync

    def resync(
        self,
        queue_params: Iterable[tuple[str, str | None]],
        members: Iterable[MemberFacts],
        entries: Iterable[EntryFacts],
        channels: Iterable[ChannelFacts],
        now: float,
        pbx_version: str | None = None,
    ) -> None:
        """Replace the live floor with what the PBX reports now (one atomic step)."""
        self._advance(now)
        for a in self._agents.values():
            self._settle(a, now)
        chans = {c.channel: c for c in channels}
        by_uniqueid = {c.uniqueid: c for c in chans.values()}
        entry_list = list(entries)
        entry_ids = {e.uniqueid for e in entry_list}

        # Callers we knew that are gone now left during the outage: other exits.
        for call in list(self._calls.values()):
            if call.outcome in (None, "left") and call.uniqueid not in entry_ids:
                if call.left_at is None:
                    call.left_at = now
                self._resolve_exit(call)
        self._calls.clear()
        self._offers.clear()
        self._left_heap.clear()
        self._bridges.clear()
        for spy in list(self._spies.values()):
            self._drop_spy(spy)
        self._spies.clear()
        self._spy_options.clear()

        for name, strategy in queue_params:
            q = self._queue_for(name)
            q.strategy = strategy or q.strategy
        for q in self._queues.values():
            q.members.clear()
            q.waiting.clear()
            self._ch_queues.add(q.name)

        old_calls = {a.interface: a.call_linkedid for a in self._agents.values() if a.call_linkedid}
        for a in self._agents.values():
            a.queues = {}
            a.offered_linkedid = None
            a.call_linkedid = a.call_queue = a.call_number = a.call_name = None
            a.call_since = None
            a.direct_channel = None
            a.held = False
            a.spies = None
            a.device = 0  # unknown until a member item (or DeviceStateChange) says otherwise
        for f in members:
            a = self._agent_for(f.interface, now)
            if f.name:
                a.name = f.name
            if f.state_interface and f.state_interface != a.state_interface:
                self._set_device_key(a, f.state_interface)
            if f.status is not None:
                a.device = f.status
            m = Membership()
            m.penalty = f.penalty or 0
            m.paused = bool(f.paused)
            m.reason = (f.paused_reason or None) if m.paused else None
            m.calls_taken = f.calls_taken or 0
            m.last_call = f.last_call or 0.0
            m.wrapup_s = f.wrapup_s or 0.0
            a.queues[f.queue] = m
            self._queue_for(f.queue).members.add(a.interface)
            if f.paused is not None and (f.paused or a.last_paused):
                a.last_paused = m.paused
                a.pause_reason = m.reason

        for e in entry_list:
            ch = chans.get(e.channel) or by_uniqueid.get(e.uniqueid)
            self.on_entry(e, ch.linkedid if ch else None, now)

        for ch in chans.values():
            app = (ch.application or "").lower()
            if app == "chanspy" and ch.application_data:
                target, _, options = ch.application_data.partition(",")
                mode, dtmf = spy_mode_from_options(options)
                iface = target.rstrip("-")
                # ChanSpy matches by prefix; the spied channel is the agent's live channel.
                spyee = next(
                    (
                        c
                        for c in chans.values()
                        if c is not ch and interface_of_channel(c.channel) == iface
                    ),
                    None,
                )
                self._add_spy(
                    Spy(
                        ch.channel,
                        ch.caller_number,
                        ch.caller_name,
                        spyee.channel if spyee else target,
                        iface,
                        spyee.linkedid if spyee else None,
                        mode,
                        dtmf,
                        now - (ch.duration_s or 0.0),
                    )
                )
                continue
            if ch.bridge_id:
                self._bridges.setdefault(ch.bridge_id, set()).add(ch.channel)
            talker = self._agents.get(interface_of_channel(ch.channel))
            if talker is None:
                continue
            caller = by_uniqueid.get(ch.linkedid)
            queue = None
            if caller is not None and (caller.application or "").lower() == "queue":
                queue = (caller.application_data or "").split(",", 1)[0] or None
            if ch.bridge_id is None and queue is None:
                continue  # a ringing or dialling leg; device state says the rest
            talker.call_linkedid = ch.linkedid
            talker.call_queue = queue
            talker.call_number = ch.connected_number or (caller.caller_number if caller else None)
            talker.call_name = ch.connected_name or (caller.caller_name if caller else None)
            talker.call_since = now - (ch.duration_s or 0.0)
            if queue is not None and caller is not None:
                call = Call(ch.linkedid, caller.uniqueid, caller.channel)
                call.number = caller.caller_number
                call.name = caller.caller_name
                call.queue = queue
                call.outcome = "answered"
                call.agent = talker.interface
                call.answered_at = talker.call_since
                self._calls[ch.linkedid] = call

        for a in self._agents.values():
            # Wrap-up survives a reconnect: LastCall + the configured time (README #5).
            if a.call_linkedid is None and a.queues:
                until = 0.0
                wq = None
                for qname, m in a.queues.items():
                    if m.last_call > 0:
                        wrap = m.wrapup_s if m.wrapup_s > 0 else self._config.wrapup(qname)
                        if m.last_call + wrap > until:
                            until, wq = m.last_call + wrap, qname
                if until > now and (a.wrapup_until is None or a.wrapup_until < until):
                    a.wrapup_until = until
                    a.wrapup_queue = wq
                    heapq.heappush(self._wrap_heap, (until, a.interface))
            previous_call = old_calls.get(a.interface)
            before = a.state
            self._rederive(a, now)
            if (
                a.state is _TALKING
                and a.call_since is not None
                and (before is not _TALKING or previous_call != a.call_linkedid)
            ):
                a.since = a.call_since
            self._ch_agents.add(a.interface)
        self._pbx_version = pbx_version or self._pbx_version
        self._live = True
        self._stale_reason = None
        self._ch_floor = True

    # ------------------------------------------------------------------ views

    def _queue_view(self, q: Queue, now: float) -> QueueView:
        cfg = self._config
        name = q.name
        threshold = cfg.threshold(name)
        formula = cfg.sl_formula
        # Bring the members' running segments up to now, so occupancy includes the time
        # since their last event (settling early is exactly what the next event would do).
        agents = self._agents
        for iface in q.members:
            a = agents.get(iface)
            if a is not None:
                self._settle(a, now)
        start, end = self._ic.interval_bounds(now)
        cur = q.intervals.get(start) or IntervalCounts(start, end)
        current = build_metrics(cur, threshold, formula)

        key = (q.version, start)
        if q.past_key != key or q.past_total is None:
            # Closed intervals rarely change (a late exit, a segment settled afterwards bumps
            # q.version), so their frozen metrics are built once, not on every repaint.
            past: list[IntervalMetrics] = []
            past_total = IntervalCounts(start, end)
            if q.intervals:
                first = min(q.intervals)
                t = first
                length = self._ic.length_s
                while t < start - 1e-6:
                    c = q.intervals.get(t)
                    if c is None:
                        s, e = self._ic.interval_bounds(t)
                        c = IntervalCounts(s, e)
                    past.append(build_metrics(c, threshold, formula))
                    past_total.merge(c)
                    t = self._ic.interval_bounds(t + length)[0]
                past_total.start = min(first, start)
            q.past_key = key
            q.past_views = tuple(past)
            q.past_total = past_total
        day_total = IntervalCounts(q.past_total.start, end)
        day_total.merge(q.past_total)
        day_total.merge(cur)
        today = build_metrics(day_total, threshold, formula)

        num, den = sl_terms(cur, formula)
        target = cfg.target(name)
        projection = sl_projection(num, den, target)

        by_state = dict.fromkeys(AgentState, 0)
        staffed = 0
        for iface in q.members:
            a = self._agents.get(iface)
            if a is None:
                continue
            by_state[a.state] += 1
            if a.state not in NOT_STAFFED:
                staffed += 1

        callers = sorted(q.waiting.values(), key=lambda c: (c.position, c.joined_at or 0.0))
        joined = [c.joined_at for c in callers if c.joined_at is not None]
        return QueueView(
            name=name,
            strategy=q.strategy,
            members=tuple(sorted(q.members)),
            waiting=len(callers),
            callers=tuple(
                WaitingCaller(
                    uniqueid=c.uniqueid,
                    linkedid=c.linkedid,
                    channel=c.channel,
                    number=c.number,
                    name=c.name,
                    position=c.position,
                    joined_at=c.joined_at if c.joined_at is not None else now,
                )
                for c in callers
            ),
            longest_wait_s=max(0.0, now - min(joined)) if joined else None,
            agents_by_state=MappingProxyType(by_state),
            current=current,
            projection=projection,
            staffing=forecast_staffing(
                self._config,
                name,
                next_start=end,
                interval_s=self._ic.length_s,
                first_activity=q.first_activity,
                recent_joins=q.recent_joins,
                today_aht_s=today.aht_s,
                staffed=staffed,
                now=now,
            ),
            past_intervals=q.past_views,
            today=today,
            as_of=now,
        )
