"""The hotline simulation: a discrete-event model of app_queue that emits Asterisk's AMI events.

Rules and trade-offs:
- Pure and deterministic: no I/O, no wall clock, one `random.Random(seed)`. Events are
  processed in (time, sequence) order from a heap, so the output depends only on the seed,
  the start epoch and the actions applied — never on how `advance_to` is chunked.
- The model follows app_queue (Asterisk 22) as the capture shows it: callers join, the
  queue rings members by strategy (rrmemory, ringall, leastrecent, fewestcalls, random,
  linear) among the lowest penalty tier of available members, `autofill` (several callers
  ring at once), ring timeout → AgentRingNoAnswer (RingTime ms) → `retry` seconds → ring
  again, wrap-up from the queue's wrapuptime after LastCall (invisible in AMI, as on the
  real PBX), exponential average hold and talk times, completed/abandoned counters and
  service-level counters as `queue show` computes them.
- Human behaviour: non-homogeneous Poisson arrivals (`arrivals.py`), exponential patience
  (abandon), lognormal talk and answer times, some rings not answered, breaks with reason
  codes (pause with PausedReason), shifts (QueueMemberAdded/Removed at shift start/end).
- A pause set by the supervisor (AMI QueuePause) is never undone by the simulation; an
  agent on a simulated break who is unpaused by AMI simply ends the break.
- Integer seconds are computed the way Asterisk does it (difference of integer epochs), so
  HoldTime/TalkTime match what a real PBX would report for the same instants.
- Members added by AMI for interfaces that are not simulated agents (e.g. a real SIP phone
  registered on the lab) are listed and paused like any member but never rung here.
"""

from __future__ import annotations

import heapq
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from cti.lab import ami_templates
from cti.lab.arrivals import DAY_S, ArrivalModel, QueueArrivals
from cti.lab.scenario import AgentSpec, Scenario
from cti.lab.sim_model import (
    DEVICE_INUSE,
    DEVICE_NOT_INUSE,
    DEVICE_RINGING,
    DEVICE_STATE_NAME,
    DEVICE_UNAVAILABLE,
    Agent,
    Attempt,
    Caller,
    CallerState,
    Chan,
    Membership,
    QueueRt,
)

Headers = list[tuple[str, str]]
_Handler = Callable[[Any], None]


class CallObserver(Protocol):
    """Told when a simulated agent starts / ends talking (the SIP side plays speech)."""

    def call_connected(
        self, agent_ext: str, caller_number: str, queue: str, language: str
    ) -> None: ...

    def call_ended(self, agent_ext: str) -> None: ...


def _no_event(*_args: object, **_kwargs: object) -> Headers:
    return []


class _NullTemplates:
    """Stands in for `ami_templates` during warm-up: no event is built at all."""

    def __getattr__(self, name: str) -> Callable[..., Headers]:
        return _no_event


_NULL_TEMPLATES = _NullTemplates()


def local_time_of_day(epoch: float) -> float:
    lt = time.localtime(epoch)
    return lt.tm_hour * 3600 + lt.tm_min * 60 + lt.tm_sec + (epoch % 1.0)


class HotlineSimulation:
    """The simulated floor. Drive it with `advance_to(t)`; apply AMI actions in between.

    Attributes:
        scenario: the loaded scenario.
        now: the simulated epoch reached so far.
        queues: name → runtime queue (in scenario order).
        agents: interface (`PJSIP/1001`) → member, simulated or external.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int | None = None,
        start_epoch: float = 1_795_337_200.0,  # the capture's day: a fixed default for tests
        warmup_s: float | None = None,
        observer: CallObserver | None = None,
        device_state: Callable[[str], int] | None = None,
    ) -> None:
        """`start_epoch` is the simulated time at which the floor goes live; the warm-up
        (default: the scenario's) is simulated silently before it, so that `now ==
        start_epoch` once the constructor returns and the floor is already busy."""
        self.scenario = scenario
        self.rng = random.Random(scenario.seed if seed is None else seed)
        warmup = scenario.warmup_s if warmup_s is None else max(0.0, warmup_s)
        self.now = float(start_epoch) - warmup
        self.start_epoch = float(start_epoch)
        self._observer = observer
        self._device_state = device_state
        self._verbose = scenario.verbose_events
        self._quiet = False
        self.T: Any = ami_templates  # swapped for a null object while warming up
        self._out: list[Headers] = []
        self._heap: list[tuple[float, int, _Handler, Any]] = []
        self._seq = 0
        self._chan_seq = 0
        tod0 = scenario.start_tod_s
        if tod0 is None:
            tod0 = local_time_of_day(start_epoch)
        self.model = ArrivalModel(
            scenario.curve, scenario.bursts, self.now, tod0 - warmup, self.start_epoch
        )
        self.queues: dict[str, QueueRt] = {}
        self._queue_by_number: dict[str, QueueRt] = {}
        for qs in scenario.queues:
            q = QueueRt(qs, QueueArrivals(self.model, qs.name, qs.calls_per_hour), ())
            self.queues[qs.name] = q
            self._queue_by_number[qs.number] = q
        self.agents: dict[str, Agent] = {}
        self.channels: dict[str, Chan] = {}
        self._callers_by_chan: dict[str, Caller] = {}
        self.offered = 0
        for spec in scenario.agents:
            agent = Agent(spec.ext, spec.member_name, spec.caller_id_name, spec)
            self.agents[agent.interface] = agent
            if self._in_shift(spec, self.now):
                self._login(agent)
            self._schedule_shift(agent)
        for q in self.queues.values():
            self._at(q.arrivals.next_after(self.now, self.rng), self._on_arrival, q)
        if warmup > 0:
            self.warm_up(warmup)

    # ------------------------------------------------------------------ driving the clock
    def advance_to(self, t: float) -> list[Headers]:
        """Process every simulated event up to time t; returns the AMI events emitted."""
        heap = self._heap
        while heap and heap[0][0] <= t:
            when, _, fn, arg = heapq.heappop(heap)
            self.now = when
            fn(arg)
        self.now = max(self.now, t)
        return self.take_events()

    def warm_up(self, seconds: float) -> None:
        """Run `seconds` of simulated time without producing events (a busy floor at once)."""
        self._quiet = True
        self.T = _NULL_TEMPLATES
        try:
            self.advance_to(self.now + seconds)
        finally:
            self._quiet = False
            self.T = ami_templates
            self._out.clear()

    def next_event_time(self) -> float:
        return self._heap[0][0] if self._heap else math.inf

    def take_events(self) -> list[Headers]:
        out, self._out = self._out, []
        return out

    # ------------------------------------------------------------------ read access (lists)
    def queue_by_number(self, number: str) -> QueueRt | None:
        return self._queue_by_number.get(number)

    def in_call(self, agent: Agent, queue: str) -> bool:
        return agent.call is not None and agent.call.queue.name == queue

    def available_for(self, agent: Agent, q: QueueRt) -> bool:
        """Free to take a call from q now (the QueueSummary `Available` count uses it too)."""
        m = agent.memberships.get(q.name)
        return (
            m is not None
            and not m.paused
            and agent.ring is None
            and agent.call is None
            and agent.status == DEVICE_NOT_INUSE
            and self.now >= agent.last_call_t + q.spec.wrapup_s
        )

    def callers(self) -> Iterable[Caller]:
        return self._callers_by_chan.values()

    def next_channel_seq(self) -> int:
        """The shared Uniqueid / channel-name sequence (the SIP side draws from it too, so
        real and simulated channels never collide)."""
        seq = self._chan_seq
        self._chan_seq += 1
        return seq

    def agent_call_channel(self, ext: str) -> Chan | None:
        """The agent leg of a simulated agent's current call (for ChanSpyStart's Spyee*)."""
        agent = self.agents.get(f"PJSIP/{ext}")
        if agent is None or agent.call is None:
            return None
        return agent.call.agent_chan

    def external_members(self, queue: str) -> list[Agent]:
        q = self.queues.get(queue)
        return [] if q is None else [a for a in q.members if a.spec is None]

    # ------------------------------------------------------------------ AMI actions
    def queue_add(
        self,
        queue: str,
        interface: str,
        *,
        member_name: str = "",
        penalty: int = 0,
        paused: bool = False,
        reason: str = "",
        state_interface: str = "",
    ) -> tuple[bool, str]:
        q = self.queues.get(queue)
        if q is None:
            return False, "Unable to add interface to queue: No such queue"
        agent = self.agents.get(interface)
        if agent is not None and queue in agent.memberships:
            return False, "Unable to add interface: Already there"
        if agent is None:
            ext = interface.split("/", 1)[-1]
            agent = Agent(ext, member_name or interface, member_name or ext, None)
            agent.interface = interface
            agent.status = self._external_status(interface)
            self.agents[interface] = agent
        if member_name:
            agent.member_name = member_name
        agent.state_interface = state_interface or agent.state_interface
        if agent.spec is not None:
            agent.on_shift = True
        self._add_membership(agent, q, penalty, paused, reason)
        if not paused:
            self._dispatch(q)
        return True, "Added interface to queue"

    def queue_remove(self, queue: str, interface: str) -> tuple[bool, str]:
        q = self.queues.get(queue)
        if q is None:
            return False, "Unable to remove interface from queue: No such queue"
        agent = self.agents.get(interface)
        if agent is None or queue not in agent.memberships:
            return False, "Unable to remove interface: Not there"
        self._remove_membership(agent, q)
        return True, "Removed interface from queue"

    def queue_pause(
        self, interface: str, paused: bool, queue: str | None = None, reason: str = ""
    ) -> tuple[bool, str]:
        agent = self.agents.get(interface)
        if agent is None or not agent.memberships or (queue and queue not in agent.memberships):
            return False, "Interface not found"
        names = [queue] if queue else list(agent.memberships)
        if paused:
            agent.forced_pause = True
            agent.break_reason = None
            agent.break_token += 1  # a running simulated break no longer ends by itself
            agent.pending_break = None
        else:
            agent.forced_pause = False
            agent.break_reason = None
            agent.break_token += 1
        for name in names:
            self._set_paused(agent, name, paused, reason)
        if not paused:
            self._agent_free(agent)
        return (
            True,
            "Interface paused successfully" if paused else "Interface unpaused successfully",
        )

    def hangup(self, channel: str, cause: int = 16) -> bool:
        """AMI Hangup of a simulated channel; False when no such channel exists here."""
        caller = self._callers_by_chan.get(channel)
        if caller is not None:
            if caller.state is CallerState.CONNECTED:
                self._end_call(caller, "caller", cause)
            else:
                self._abandon(caller, cause)
            return True
        chan = self.channels.get(channel)
        if chan is None:
            return False
        for caller in list(self._callers_by_chan.values()):
            if caller.agent_chan is chan and caller.state is CallerState.CONNECTED:
                self._end_call(caller, "agent", cause)
                return True
            for att in caller.attempts:
                if att.active and att.chan is chan:
                    self._cancel_attempt(att, cause)
                    self._after_attempts_failed(caller)
                    self._agent_free(att.agent)
                    return True
        return False

    def redirect(self, channel: str, exten: str) -> bool:
        """AMI Redirect of a waiting caller to another queue's number (a transfer between
        skill groups). Like app_queue, leaving by redirect counts as an abandon of the first
        queue; the caller then joins the second. Other redirects are not modelled (False)."""
        caller = self._callers_by_chan.get(channel)
        target = self._queue_by_number.get(exten)
        waiting = (CallerState.WAITING, CallerState.RINGING, CallerState.RETRY)
        if caller is None or target is None or caller.state not in waiting:
            return False
        q = caller.queue
        freed = self._cancel_all_attempts(caller)
        position = q.waiting.index(caller) + 1
        hold = int(self.now) - int(caller.joined)
        chan = caller.chan
        self._emit(
            self.T.queue_caller_abandon(chan, q.name, position, caller.original_position, hold)
        )
        self._leave_queue(caller)
        self._emit(self.T.queue_caller("QueueCallerLeave", chan, q.name, position, len(q.waiting)))
        q.abandoned += 1
        if hold <= q.spec.service_level_s:
            q.abandoned_in_sl += 1
        self.offered -= 1  # the same call, offered again below
        chan.context, chan.exten = target.spec.context, target.spec.number
        self._join_queue(chan, target)
        for agent in freed:
            self._agent_free(agent)
        self._dispatch(q)
        return True

    def external_status_changed(self, interface: str) -> None:
        """Re-read an external member's device state (e.g. a SIP phone registered)."""
        agent = self.agents.get(interface)
        if agent is None or agent.spec is not None:
            return
        status = self._external_status(interface)
        if status != agent.status:
            agent.status = status
            self._member_status(agent)

    # ------------------------------------------------------------------ scheduling helpers
    def _at(self, t: float, fn: _Handler, arg: Any) -> None:
        if t == math.inf:
            return
        self._seq += 1
        heapq.heappush(self._heap, (t, self._seq, fn, arg))

    def _emit(self, ev: Headers) -> None:
        if not self._quiet:
            self._out.append(ev)

    def _new_chan(
        self,
        tech_name: str,
        cid_num: str,
        cid_name: str,
        language: str,
        context: str,
        exten: str,
        linkedid: str | None = None,
    ) -> Chan:
        seq = self.next_channel_seq()
        uniqueid = f"{int(self.now)}.{seq}"
        chan = Chan(
            f"PJSIP/{tech_name}-{seq:08x}",
            uniqueid,
            linkedid or uniqueid,
            cid_num,
            cid_name,
            language,
            context,
            exten,
            self.now,
        )
        self.channels[chan.name] = chan
        return chan

    def _bridge_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.rng.gauss(0.0, sigma)) if sigma > 0 else median

    def _external_status(self, interface: str) -> int:
        if self._device_state is None:
            return DEVICE_UNAVAILABLE
        return self._device_state(interface)

    # ------------------------------------------------------------------ shifts and breaks
    def _in_shift(self, spec: AgentSpec, t: float) -> bool:
        if spec.shift is None:
            return True
        start, end = spec.shift
        tod = self.model.time_of_day(t)
        if start <= end:
            return start <= tod < end
        return tod >= start or tod < end

    def _next_tod(self, t: float, tod: float) -> float:
        delta = (tod - self.model.time_of_day(t)) % DAY_S
        return t + (delta if delta > 1e-6 else DAY_S)

    def _schedule_shift(self, agent: Agent) -> None:
        spec = agent.spec
        if spec is None or spec.shift is None:
            return
        start, end = spec.shift
        t = min(self._next_tod(self.now, start), self._next_tod(self.now, end))
        self._at(t, self._on_shift_boundary, agent)

    def _on_shift_boundary(self, agent: Agent) -> None:
        spec = agent.spec
        assert spec is not None
        # Decide from the clock, not from a flag: AMI QueueAdd/Remove may have changed things.
        if self._in_shift(spec, self.now + 1e-3):
            if not agent.on_shift or not agent.memberships:
                self._login(agent)
                self._dispatch_agent_queues(agent)
        elif agent.on_shift:
            if agent.busy:
                agent.pending_logout = True
            else:
                self._logout(agent)
        self._schedule_shift(agent)

    def _login(self, agent: Agent) -> None:
        spec = agent.spec
        assert spec is not None
        agent.on_shift = True
        agent.shift_serial += 1
        agent.pending_logout = False
        agent.forced_pause = False
        agent.break_reason = None
        agent.break_token += 1
        agent.pending_break = None
        agent.breaks_taken = {}
        agent.status = DEVICE_NOT_INUSE
        for name, penalty in spec.memberships:
            if name not in agent.memberships:
                self._add_membership(agent, self.queues[name], penalty, False, "")
        for i, b in enumerate(self.scenario.breaks):
            if b.rate_per_hour > 0:
                self._schedule_break_check(agent, i)

    def _logout(self, agent: Agent) -> None:
        agent.on_shift = False
        agent.shift_serial += 1
        agent.pending_logout = False
        agent.break_token += 1
        agent.break_reason = None
        agent.pending_break = None
        for name in list(agent.memberships):
            self._remove_membership(agent, self.queues[name])

    def _schedule_break_check(self, agent: Agent, index: int) -> None:
        """Each (agent, break kind) is a Poisson chain of 'feels like a break now' moments,
        restricted to the break's window; the chain dies when the shift ends."""
        spec = self.scenario.breaks[index]
        rate = spec.rate_per_hour / 3600.0
        t = self.now + self.rng.expovariate(rate)
        if spec.window is not None:
            start, end = spec.window
            tod = self.model.time_of_day(t)
            inside = start <= tod < end if start <= end else tod >= start or tod < end
            if not inside:
                t = self._next_tod(t, start) + self.rng.expovariate(rate)
        self._at(t, self._on_break_due, (agent, index, agent.shift_serial))

    def _on_break_due(self, arg: tuple[Agent, int, int]) -> None:
        agent, index, serial = arg
        if serial != agent.shift_serial or not agent.on_shift:
            return
        self._schedule_break_check(agent, index)
        spec = self.scenario.breaks[index]
        if spec.window is not None:
            start, end = spec.window
            tod = self.model.time_of_day(self.now)
            if not (start <= tod < end if start <= end else tod >= start or tod < end):
                return
        if spec.per_shift and agent.breaks_taken.get(spec.reason, 0) >= spec.per_shift:
            return
        if agent.forced_pause or agent.break_reason is not None or agent.pending_break is not None:
            return
        if not agent.memberships:
            return
        if agent.busy:
            agent.pending_break = index
        else:
            self._start_break(agent, index)

    def _start_break(self, agent: Agent, index: int) -> None:
        spec = self.scenario.breaks[index]
        agent.pending_break = None
        agent.breaks_taken[spec.reason] = agent.breaks_taken.get(spec.reason, 0) + 1
        agent.break_reason = spec.reason
        agent.break_token += 1
        for name in agent.memberships:
            self._set_paused(agent, name, True, spec.reason)
        minutes = self.rng.gammavariate(4.0, spec.mean_minutes / 4.0)
        self._at(self.now + minutes * 60.0, self._on_break_end, (agent, agent.break_token))

    def _on_break_end(self, arg: tuple[Agent, int]) -> None:
        agent, token = arg
        if token != agent.break_token or agent.break_reason is None:
            return
        agent.break_reason = None
        for name in agent.memberships:
            self._set_paused(agent, name, False, "")
        self._agent_free(agent)

    # ------------------------------------------------------------------ memberships
    def _add_membership(
        self, agent: Agent, q: QueueRt, penalty: int, paused: bool, reason: str
    ) -> None:
        m = Membership(penalty, int(self.now), paused, reason if paused else "")
        if paused:
            m.last_pause = int(self.now)
        agent.memberships[q.name] = m
        q.members.append(agent)
        self._emit(
            self.T.member_event("QueueMemberAdded", agent, q.name, m, self.in_call(agent, q.name))
        )

    def _remove_membership(self, agent: Agent, q: QueueRt) -> None:
        m = agent.memberships.pop(q.name)
        idx = q.members.index(agent)
        q.members.pop(idx)
        if q.rrpos >= idx:
            q.rrpos -= 1
        self._emit(
            self.T.member_event("QueueMemberRemoved", agent, q.name, m, self.in_call(agent, q.name))
        )

    def _set_paused(self, agent: Agent, queue: str, paused: bool, reason: str) -> None:
        m = agent.memberships[queue]
        m.paused = paused
        m.reason = reason if paused else ""
        if paused:
            m.last_pause = int(self.now)
        self._emit(
            self.T.member_event("QueueMemberPause", agent, queue, m, self.in_call(agent, queue))
        )

    def _member_status(self, agent: Agent) -> None:
        for name, m in agent.memberships.items():
            self._emit(
                self.T.member_event("QueueMemberStatus", agent, name, m, self.in_call(agent, name))
            )
        if self._verbose:
            self._emit(
                self.T.device_state_change(
                    agent.interface, DEVICE_STATE_NAME.get(agent.status, "UNKNOWN")
                )
            )

    # ------------------------------------------------------------------ callers
    def _on_arrival(self, q: QueueRt) -> None:
        self._at(q.arrivals.next_after(self.now, self.rng), self._on_arrival, q)
        spec = q.spec
        number = self._caller_number()
        chan = self._new_chan(
            self.scenario.caller_trunk,
            number,
            "<unknown>",
            spec.language,
            spec.context,
            spec.number,
        )
        chan.state = 4
        self._emit(self.T.newchannel(chan))
        if self._verbose:
            self._emit(self.T.newexten(chan, "NoOp", f"Customer {number} -> queue {spec.name}"))
            chan.priority = 2
            self._emit(self.T.newexten(chan, "Answer", ""))
        chan.state = 6
        chan.priority = 2
        self._emit(self.T.newstate(chan))
        self._join_queue(chan, q)

    def _join_queue(self, chan: Chan, q: QueueRt) -> None:
        spec = q.spec
        chan.priority = 4
        chan.application = "Queue"
        chan.app_data = f"{spec.name},r,,,{int(spec.max_wait_s)}"
        if self._verbose:
            self._emit(self.T.newexten(chan, "Queue", chan.app_data))
        caller = Caller(chan, q, self.now, len(q.waiting) + 1)
        q.waiting.append(caller)
        self._callers_by_chan[chan.name] = caller
        self.offered += 1
        self._emit(
            self.T.queue_caller("QueueCallerJoin", chan, spec.name, len(q.waiting), len(q.waiting))
        )
        patience = self.rng.expovariate(1.0 / spec.patience_mean_s)
        if patience < spec.max_wait_s:
            self._at(self.now + patience, self._on_patience_over, caller)
        else:
            self._at(self.now + spec.max_wait_s, self._on_queue_timeout, caller)
        self._dispatch(q)

    def _caller_number(self) -> str:
        r = self.rng.random()
        if r < 0.7:  # mobile
            return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
        return f"0{self.rng.randrange(10, 99)}{self.rng.randrange(10**7, 10**8)}"

    def _on_patience_over(self, caller: Caller) -> None:
        if caller.state in (CallerState.WAITING, CallerState.RINGING, CallerState.RETRY):
            self._abandon(caller, 0)

    def _on_queue_timeout(self, caller: Caller) -> None:
        if caller.state not in (CallerState.WAITING, CallerState.RINGING, CallerState.RETRY):
            return
        q = caller.queue
        freed = self._cancel_all_attempts(caller)
        position = self._leave_queue(caller)
        self._emit(
            self.T.queue_caller("QueueCallerLeave", caller.chan, q.name, position, len(q.waiting))
        )
        self._hangup_caller(caller, 16)
        for agent in freed:
            self._agent_free(agent)
        self._dispatch(q)

    def _abandon(self, caller: Caller, cause: int) -> None:
        q = caller.queue
        freed = self._cancel_all_attempts(caller)
        position = q.waiting.index(caller) + 1
        hold = int(self.now) - int(caller.joined)
        if self._verbose:
            self._emit(self.T.hangup_request(caller.chan))
        self._emit(
            self.T.queue_caller_abandon(
                caller.chan, q.name, position, caller.original_position, hold
            )
        )
        self._leave_queue(caller)
        self._emit(
            self.T.queue_caller("QueueCallerLeave", caller.chan, q.name, position, len(q.waiting))
        )
        q.abandoned += 1
        if hold <= q.spec.service_level_s:
            q.abandoned_in_sl += 1
        self._hangup_caller(caller, cause)
        for agent in freed:
            self._agent_free(agent)
        self._dispatch(q)

    def _leave_queue(self, caller: Caller) -> int:
        q = caller.queue
        position = q.waiting.index(caller) + 1
        q.waiting.pop(position - 1)
        return position

    def _hangup_caller(self, caller: Caller, cause: int) -> None:
        caller.state = CallerState.GONE
        self._emit(self.T.hangup(caller.chan, cause))
        self.channels.pop(caller.chan.name, None)
        self._callers_by_chan.pop(caller.chan.name, None)

    # ------------------------------------------------------------------ ringing
    def _dispatch(self, q: QueueRt) -> None:
        """Offer waiting callers (in position order, autofill) to available members."""
        if not q.waiting or not q.members:
            return
        for caller in list(q.waiting):
            if caller.state is not CallerState.WAITING:
                continue
            candidates = [a for a in q.members if a.spec is not None and self.available_for(a, q)]
            if not candidates:
                return
            tier_penalty = min(a.memberships[q.name].penalty for a in candidates)
            tier = [a for a in candidates if a.memberships[q.name].penalty == tier_penalty]
            if q.spec.strategy == "ringall":
                self._ring(caller, tier)
            else:
                self._ring(caller, [self._pick(q, tier)])

    def _pick(self, q: QueueRt, tier: list[Agent]) -> Agent:
        strategy = q.spec.strategy
        if strategy == "rrmemory":
            n = len(q.members)
            index = {id(a): i for i, a in enumerate(q.members)}
            chosen = min(tier, key=lambda a: (index[id(a)] - q.rrpos - 1) % n)
            q.rrpos = index[id(chosen)]
            return chosen
        if strategy == "leastrecent":
            return min(tier, key=lambda a: a.last_call_t)
        if strategy == "fewestcalls":
            return min(tier, key=lambda a: a.calls_taken)
        if strategy == "random":
            return self.rng.choice(tier)
        return tier[0]  # linear

    def _ring(self, caller: Caller, agents: list[Agent]) -> None:
        q = caller.queue
        spec = q.spec
        cchan = caller.chan
        caller.state = CallerState.RINGING
        for agent in agents:
            chan = self._new_chan(
                agent.ext, agent.ext, agent.cid_name, cchan.language, "agents", "s", cchan.uniqueid
            )
            chan.application = "AppQueue"
            chan.app_data = "(Outgoing Line)"
            att = Attempt(caller, agent, chan, self.now)
            caller.attempts.append(att)
            agent.ring = att
            self._emit(self.T.newchannel(chan))
            # app_queue publishes AgentCalled from a later snapshot than DialBegin: the
            # capture shows the destination's connected line and exten already set there.
            chan.conn_num, chan.conn_name, chan.exten = cchan.cid_num, cchan.cid_name, spec.number
            self._emit(self.T.agent_event("AgentCalled", cchan, chan, q.name, agent))
            chan.conn_num, chan.conn_name, chan.exten = "<unknown>", "<unknown>", "s"
            self._emit(self.T.dial_begin(cchan, chan, agent.interface))
            cchan.conn_num, cchan.conn_name = agent.ext, agent.cid_name
            if self._verbose:
                self._emit(self.T.new_connected_line(cchan))
            chan.state = 5
            chan.conn_num, chan.conn_name, chan.exten = cchan.cid_num, cchan.cid_name, spec.number
            self._emit(self.T.newstate(chan))
            if self._verbose:
                self._emit(self.T.dial_state(cchan, chan, "RINGING"))
            agent.status = DEVICE_RINGING
            self._member_status(agent)
            a_spec = agent.spec
            assert a_spec is not None
            answers = self.rng.random() >= a_spec.no_answer_prob
            delay = self._lognormal(a_spec.answer_median_s, 0.35)
            if answers and delay < spec.timeout_s:
                self._at(self.now + delay, self._on_answer, att)
            else:
                self._at(self.now + spec.timeout_s, self._on_ring_timeout, att)

    def _on_ring_timeout(self, att: Attempt) -> None:
        if not att.active:
            return
        caller, agent, chan = att.caller, att.agent, att.chan
        q = caller.queue
        att.active = False
        agent.ring = None
        self._emit(
            [
                *self.T.agent_event("AgentRingNoAnswer", caller.chan, chan, q.name, agent),
                ("RingTime", str(int(q.spec.timeout_s * 1000))),
            ]
        )
        self._emit(self.T.dial_end(caller.chan, chan, "NOANSWER"))
        self._emit(self.T.dial_end(caller.chan, chan, "CANCEL"))
        self._emit(self.T.hangup(chan, 0))
        self.channels.pop(chan.name, None)
        agent.status = DEVICE_NOT_INUSE
        self._member_status(agent)
        self._after_attempts_failed(caller)
        self._agent_free(agent)

    def _after_attempts_failed(self, caller: Caller) -> None:
        if caller.state is CallerState.RINGING and not any(a.active for a in caller.attempts):
            caller.attempts = []
            caller.state = CallerState.RETRY
            self._at(self.now + caller.queue.spec.retry_s, self._on_retry, caller)

    def _on_retry(self, caller: Caller) -> None:
        if caller.state is CallerState.RETRY:
            caller.state = CallerState.WAITING
            self._dispatch(caller.queue)

    def _cancel_attempt(self, att: Attempt, cause: int) -> None:
        att.active = False
        agent, chan = att.agent, att.chan
        agent.ring = None
        self._emit(self.T.dial_end(att.caller.chan, chan, "CANCEL"))
        self._emit(self.T.hangup(chan, cause))
        self.channels.pop(chan.name, None)
        agent.status = DEVICE_NOT_INUSE
        self._member_status(agent)

    def _cancel_all_attempts(self, caller: Caller) -> list[Agent]:
        """Stop ringing for a caller who leaves; returns the agents to free afterwards (so
        their next call's events come after this caller's leave events, as on Asterisk)."""
        freed = []
        for att in caller.attempts:
            if att.active:
                self._cancel_attempt(att, 0)
                freed.append(att.agent)
        caller.attempts = []
        caller.state = CallerState.GONE
        return freed

    def _on_answer(self, att: Attempt) -> None:
        if not att.active:
            return
        caller, agent, chan = att.caller, att.agent, att.chan
        q = caller.queue
        cchan = caller.chan
        att.active = False
        agent.ring = None
        others = [a for a in caller.attempts if a.active]
        caller.attempts = []
        chan.state = 6
        self._emit(self.T.newstate(chan))
        self._emit(self.T.dial_end(cchan, chan, "ANSWER"))
        for other in others:  # ringall: the rest are "answered elsewhere"
            self._cancel_attempt(other, 26)
        position = self._leave_queue(caller)
        self._emit(self.T.queue_caller("QueueCallerLeave", cchan, q.name, position, len(q.waiting)))
        hold = int(self.now) - int(caller.joined)
        ring = int(self.now) - int(att.started)
        self._emit(
            [
                *self.T.agent_event("AgentConnect", cchan, chan, q.name, agent),
                ("HoldTime", str(hold)),
                ("RingTime", str(ring)),
            ]
        )
        if q.completed + q.abandoned == 0:
            q.holdtime = hold
        else:
            q.holdtime = (q.holdtime * 3 + hold) >> 2
        bridge = self._bridge_id()
        caller.state = CallerState.CONNECTED
        caller.agent = agent
        caller.agent_chan = chan
        caller.connected_at = self.now
        caller.hold = hold
        caller.bridge = bridge
        agent.call = caller
        chan.bridge = bridge
        cchan.bridge = bridge
        self._emit(self.T.bridge_event("BridgeCreate", bridge, 0, "simple_bridge"))
        self._emit(self.T.bridge_member_event("BridgeEnter", bridge, 1, "simple_bridge", chan))
        agent.status = DEVICE_INUSE
        self._member_status(agent)
        self._emit(self.T.bridge_member_event("BridgeEnter", bridge, 2, "simple_bridge", cchan))
        talk = min(max(self._lognormal(q.spec.talk_median_s, q.spec.talk_sigma), 5.0), 4 * 3600.0)
        a_spec = agent.spec
        assert a_spec is not None
        reason = "agent" if self.rng.random() < a_spec.agent_hangup_prob else "caller"
        self._at(self.now + talk, self._on_talk_over, (caller, reason))
        if self._observer is not None:
            self._observer.call_connected(agent.ext, cchan.cid_num, q.name, q.spec.language)
        for other in others:
            self._agent_free(other.agent)

    # ------------------------------------------------------------------ end of a call
    def _on_talk_over(self, arg: tuple[Caller, str]) -> None:
        caller, reason = arg
        if caller.state is CallerState.CONNECTED:
            self._end_call(caller, reason, 16)

    def _end_call(self, caller: Caller, reason: str, cause: int) -> None:
        agent, chan = caller.agent, caller.agent_chan
        assert agent is not None and chan is not None
        q = caller.queue
        cchan = caller.chan
        talk = int(self.now) - int(caller.connected_at)
        bridge = caller.bridge
        if self._verbose:
            self._emit(self.T.hangup_request(cchan if reason == "caller" else chan))
        self._emit(
            [
                *self.T.agent_event("AgentComplete", cchan, chan, q.name, agent),
                ("HoldTime", str(caller.hold)),
                ("TalkTime", str(talk)),
                ("Reason", reason),
            ]
        )
        first, second = (cchan, chan) if reason == "caller" else (chan, cchan)
        self._emit(self.T.bridge_member_event("BridgeLeave", bridge, 1, "native_rtp", first))
        if self._verbose:
            self._emit(self.T.soft_hangup_request(first, cause))
        self._emit(self.T.hangup(first, cause))
        self._emit(self.T.bridge_member_event("BridgeLeave", bridge, 0, "native_rtp", second))
        self._emit(self.T.bridge_event("BridgeDestroy", bridge, 0, "native_rtp"))
        self._emit(self.T.hangup(second, cause))
        self.channels.pop(chan.name, None)
        self.channels.pop(cchan.name, None)
        self._callers_by_chan.pop(cchan.name, None)
        caller.state = CallerState.GONE
        agent.call = None
        agent.calls_taken += 1
        agent.last_call = int(self.now)
        agent.last_call_t = self.now
        agent.status = DEVICE_NOT_INUSE
        self._member_status(agent)
        q.completed += 1
        q.talktime = talk if q.completed == 1 else (q.talktime * 3 + talk) >> 2
        if caller.hold <= q.spec.service_level_s:
            q.completed_in_sl += 1
        if self._observer is not None:
            self._observer.call_ended(agent.ext)
        wrapups = {self.queues[name].spec.wrapup_s for name in agent.memberships}
        for w in sorted(wrapups):
            if w > 0:
                self._at(self.now + w, self._on_wrapup_over, agent)
        self._agent_free(agent)

    def _on_wrapup_over(self, agent: Agent) -> None:
        if not agent.busy:
            self._dispatch_agent_queues(agent)

    def _agent_free(self, agent: Agent) -> None:
        """The agent just stopped ringing/talking or was unpaused: logout, break or work."""
        if agent.busy or agent.spec is None:
            return
        if agent.pending_logout:
            self._logout(agent)
            return
        if agent.pending_break is not None and not agent.forced_pause:
            self._start_break(agent, agent.pending_break)
            return
        self._dispatch_agent_queues(agent)

    def _dispatch_agent_queues(self, agent: Agent) -> None:
        if not agent.memberships:
            return
        queues = [self.queues[name] for name in agent.memberships]
        queues.sort(key=lambda q: (-q.spec.weight, q.waiting[0].joined if q.waiting else math.inf))
        for q in queues:
            if agent.busy:
                return
            self._dispatch(q)
