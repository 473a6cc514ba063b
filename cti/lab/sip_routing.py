"""Real SIP calls through the lab: queue numbers and direct extension dials.

What app_queue / Dial() do, as far as the AMI stream and the phones can tell:
- Queue (`600` → support …): the caller is answered (the dialplan's Answer()), joins the
  queue (QueueCallerJoin), and the lab rings one free registered agent at a time, round robin
  from the last one rung (rrmemory). No answer within the ring timeout → AgentRingNoAnswer
  (RingTime in ms), the next agent after the retry pause. Answer → QueueCallerLeave,
  AgentConnect (HoldTime, RingTime in s), a bridge of the two legs. The first hang-up ends
  both: AgentComplete (Reason caller|agent), BridgeLeave/Hangup in app_queue's order. A caller
  hanging up while waiting → QueueCallerAbandon + QueueCallerLeave.
- Dial (a registered extension, e.g. 2001 → 1002): the caller hears ringing (180), the
  extension is rung for 30 s; answer → both answered and bridged; busy / unreachable /
  no answer → the caller gets 486 / 480, no second try.
- "Free" = registered and on no lab call at all. The queue's members are the ones
  `queue_members(queue)` names (the simulation's external members), else every registered
  agent extension.
- Agent legs carry Linkedid = the caller's Uniqueid, so the console can tie them together.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cti.lab import ami_templates as tpl
from cti.lab import sip_events as ev
from cti.lab.sip_mixing import bridge_links
from cti.lab.sip_model import MAX_CALLS, Connection, ConnState, Leg, LegRole, cause_of, dial_status

if TYPE_CHECKING:
    from cti.lab.sip_endpoint import LabCall
    from cti.lab.sip_pbx import LabSipPbx

DIAL_TIMEOUT_S = 30.0  # Dial(PJSIP/${EXTEN},30) in the fixtures' dialplan


class CallRouter:
    def __init__(
        self,
        pbx: LabSipPbx,
        queue_members: Callable[[str], Sequence[str]] | None,
        ring_timeout_s: float,
        retry_s: float,
    ) -> None:
        self._pbx = pbx
        self._queue_members = queue_members
        self._ring_timeout_s = ring_timeout_s
        self._retry_s = retry_s
        self.connections: list[Connection] = []
        self._rr_position: dict[str, int] = {}

    # ------------------------------------------------------------------ new calls

    def queue_call(self, call: LabCall, user: str, name: str, dialled: str, queue: str) -> None:
        pbx = self._pbx
        chan = pbx.new_chan(user, name, "customers", dialled)
        chan.state = 4
        leg = pbx.add_leg(LegRole.INBOUND, user, chan, call)
        pbx.emit(tpl.newchannel(chan))
        if not pbx.answer(call, 200):  # the dialplan answers before Queue()
            return
        leg.answered = True
        chan.state = 6
        chan.priority = 2
        pbx.emit(tpl.newstate(chan))
        chan.priority = 4
        chan.application = "Queue"
        chan.app_data = f"{queue},r,,,300"
        position = len(self._waiting(queue)) + 1
        conn = Connection(leg, queue, None, pbx.now(), position)
        leg.connection = conn
        self.connections.append(conn)
        pbx.emit(tpl.queue_caller("QueueCallerJoin", chan, queue, position, position))
        pbx.changed()

    def dial(self, call: LabCall, user: str, name: str, dialled: str) -> None:
        pbx = self._pbx
        chan = pbx.new_chan(user, name, "agents", dialled)
        chan.state = 4
        chan.application = "Dial"
        chan.app_data = f"PJSIP/{dialled},30"
        leg = pbx.add_leg(LegRole.INBOUND, user, chan, call)
        pbx.emit(tpl.newchannel(chan))
        conn = Connection(leg, None, dialled, pbx.now(), 1)
        leg.connection = conn
        self.connections.append(conn)
        pbx.answer(call, 180)
        pbx.changed()

    # ------------------------------------------------------------------ every poll

    def dispatch(self, now: float) -> None:
        for conn in list(self.connections):
            if conn.state is not ConnState.WAITING or now < conn.retry_at or conn.caller.ended:
                continue
            if self._pbx.call_count() >= MAX_CALLS:
                return
            ext = self._pick_agent(conn)
            if ext is not None:
                self._ring(conn, ext, now)
            elif conn.target_ext is not None:  # Dial(): busy or unreachable → give up
                code = 486 if conn.target_ext in self._pbx.registered_users() else 480
                conn.retry_at = math.inf
                self._pbx.hangup_leg(conn.caller, code)

    def run_timers(self, now: float) -> None:
        for conn in self.connections:
            agent = conn.agent
            if (
                conn.state is ConnState.RINGING
                and agent is not None
                and not agent.ended
                and not agent.timed_out
                and now >= conn.ring_deadline
            ):
                agent.timed_out = True
                self._pbx.hangup_leg(agent, 487)

    def links(self, ports: set[str]) -> set[tuple[str, str]]:
        """The bridge links of connected calls whose legs have audio."""
        desired: set[tuple[str, str]] = set()
        for conn in self.connections:
            agent = conn.agent
            if conn.state is not ConnState.CONNECTED or agent is None:
                continue
            if conn.caller.key in ports and agent.key in ports:
                desired |= bridge_links(conn.caller.key, agent.key)
        return desired

    def find_call_of(self, ext: str) -> Connection | None:
        """The connected call `ext` takes part in (for spying)."""
        for conn in self.connections:
            if conn.state is ConnState.CONNECTED and conn.party_of(ext) is not None:
                return conn
        return None

    # ------------------------------------------------------------------ ringing

    def _waiting(self, queue: str) -> list[Connection]:
        return [
            c
            for c in self.connections
            if c.queue == queue and c.state in (ConnState.WAITING, ConnState.RINGING)
        ]

    def _pick_agent(self, conn: Connection) -> str | None:
        pbx = self._pbx
        busy = pbx.busy_users()
        registered = pbx.registered_users()
        if conn.target_ext is not None:
            ok = conn.target_ext in registered and conn.target_ext not in busy
            return conn.target_ext if ok else None
        assert conn.queue is not None
        if self._queue_members is not None:
            members = list(self._queue_members(conn.queue))
        else:
            members = sorted(u for u in registered if pbx.is_agent(u))
        start = self._rr_position.get(conn.queue, -1)
        for i in range(len(members)):
            index = (start + 1 + i) % len(members)
            ext = members[index]
            if ext in registered and ext not in busy and ext != conn.caller.user:
                self._rr_position[conn.queue] = index
                return ext
        return None

    def _ring(self, conn: Connection, ext: str, now: float) -> None:
        pbx = self._pbx
        contact = pbx.contact_of(ext)
        if contact is None:
            return
        caller = conn.caller.chan
        call = pbx.place_call(contact, caller.cid_name, caller.cid_num)
        if call is None:
            conn.retry_at = now + self._retry_s
            return
        chan = pbx.new_chan(ext, pbx.display_name(ext), "agents", "s", caller.uniqueid)
        chan.application = "AppQueue" if conn.queue else "AppDial"
        chan.app_data = "(Outgoing Line)"
        leg = pbx.add_leg(LegRole.AGENT, ext, chan, call)
        leg.connection = conn
        conn.agent = leg
        conn.state = ConnState.RINGING
        conn.attempt_started = now
        conn.ring_deadline = now + (self._ring_timeout_s if conn.queue else DIAL_TIMEOUT_S)
        pbx.emit(tpl.newchannel(chan))
        if conn.queue is not None:
            # app_queue publishes AgentCalled from a snapshot with the connected line set.
            chan.conn_num, chan.conn_name = caller.cid_num, caller.cid_name
            pbx.emit(self._agent_event("AgentCalled", conn, leg))
            chan.conn_num, chan.conn_name = "<unknown>", "<unknown>"
        pbx.emit(tpl.dial_begin(caller, chan, f"PJSIP/{ext}" if conn.queue else ext))
        caller.conn_num, caller.conn_name = ext, pbx.display_name(ext)
        chan.conn_num, chan.conn_name = caller.cid_num, caller.cid_name
        pbx.changed()

    def _agent_event(self, name: str, conn: Connection, agent: Leg) -> tpl.Headers:
        assert conn.queue is not None
        return ev.agent_event(
            name,
            conn.caller.chan,
            agent.chan,
            conn.queue,
            f"PJSIP/{agent.user}",
            self._pbx.member_name(agent.user),
        )

    # ------------------------------------------------------------------ leg events

    def leg_ringing(self, leg: Leg) -> None:
        conn = leg.connection
        if conn is not None:
            self._pbx.emit(tpl.dial_state(conn.caller.chan, leg.chan, "RINGING"))

    def agent_answered(self, leg: Leg) -> None:
        conn = leg.connection
        if conn is None:
            return
        pbx = self._pbx
        now = pbx.now()
        caller, chan = conn.caller, leg.chan
        chan.state = 6
        pbx.emit(tpl.newstate(chan))
        pbx.emit(tpl.dial_end(caller.chan, chan, "ANSWER"))
        if conn.queue is not None:
            waiting = self._waiting(conn.queue)
            position = waiting.index(conn) + 1 if conn in waiting else 1
            pbx.emit(
                tpl.queue_caller(
                    "QueueCallerLeave", caller.chan, conn.queue, position, len(waiting) - 1
                )
            )
            pbx.emit(
                [
                    *self._agent_event("AgentConnect", conn, leg),
                    ("HoldTime", str(int(now) - int(conn.joined))),
                    ("RingTime", str(int(now) - int(conn.attempt_started))),
                ]
            )
        conn.state = ConnState.CONNECTED
        conn.connected_at = now
        if not caller.answered and caller.call is not None and pbx.answer(caller.call, 200):
            caller.answered = True
            caller.chan.state = 6
            pbx.emit(tpl.newstate(caller.chan))
        bridge = conn.bridge_id = str(uuid.uuid4())
        caller.chan.bridge = chan.bridge = bridge
        pbx.emit(tpl.bridge_event("BridgeCreate", bridge, 0, "simple_bridge"))
        pbx.emit(tpl.bridge_member_event("BridgeEnter", bridge, 1, "simple_bridge", chan))
        pbx.emit(tpl.bridge_member_event("BridgeEnter", bridge, 2, "simple_bridge", caller.chan))
        pbx.changed()

    def leg_ended(self, leg: Leg) -> None:
        conn = leg.connection
        if conn is None or conn.state is ConnState.ENDED:
            return
        if conn.state is ConnState.CONNECTED:
            self._connection_over(conn, first=leg)
        elif leg is conn.caller:
            self._caller_gave_up(conn)
        elif leg is conn.agent:
            self._attempt_failed(conn, leg)

    def _connection_over(self, conn: Connection, first: Leg) -> None:
        """A connected call ended because `first` hung up (in app_queue's event order)."""
        agent = conn.agent
        assert agent is not None
        pbx = self._pbx
        caller = conn.caller
        second = agent if first is caller else caller
        if conn.queue is not None:
            pbx.emit(
                [
                    *self._agent_event("AgentComplete", conn, agent),
                    ("HoldTime", str(int(conn.connected_at) - int(conn.joined))),
                    ("TalkTime", str(int(pbx.now()) - int(conn.connected_at))),
                    ("Reason", "caller" if first is caller else "agent"),
                ]
            )
        bridge = conn.bridge_id
        pbx.emit(tpl.bridge_member_event("BridgeLeave", bridge, 1, "simple_bridge", first.chan))
        first.hangup_emitted = True
        pbx.emit(tpl.hangup(first.chan, cause_of(first.end_code)))
        pbx.emit(tpl.bridge_member_event("BridgeLeave", bridge, 0, "simple_bridge", second.chan))
        pbx.emit(tpl.bridge_event("BridgeDestroy", bridge, 0, "simple_bridge"))
        second.hangup_emitted = True
        pbx.emit(tpl.hangup(second.chan, 16))
        self._end(conn)
        pbx.desk.target_gone(conn)
        pbx.hangup_leg(second)

    def _caller_gave_up(self, conn: Connection) -> None:
        pbx = self._pbx
        caller, agent = conn.caller, conn.agent
        if agent is not None and not agent.ended:
            pbx.emit(tpl.dial_end(caller.chan, agent.chan, "CANCEL"))
            agent.hangup_emitted = True
            pbx.emit(tpl.hangup(agent.chan, 0))
            agent.connection = None
            pbx.hangup_leg(agent, 487)
        if conn.queue is not None:
            waiting = self._waiting(conn.queue)
            position = waiting.index(conn) + 1 if conn in waiting else 1
            hold = int(pbx.now()) - int(conn.joined)
            pbx.emit(
                tpl.queue_caller_abandon(
                    caller.chan, conn.queue, position, conn.original_position, hold
                )
            )
            pbx.emit(
                tpl.queue_caller(
                    "QueueCallerLeave", caller.chan, conn.queue, position, len(waiting) - 1
                )
            )
        self._end(conn)

    def _attempt_failed(self, conn: Connection, agent: Leg) -> None:
        pbx = self._pbx
        status = dial_status(agent.end_code, agent.timed_out)
        caller = conn.caller
        if conn.queue is not None and status == "NOANSWER":
            ring_ms = int((pbx.now() - conn.attempt_started) * 1000)
            pbx.emit(
                [*self._agent_event("AgentRingNoAnswer", conn, agent), ("RingTime", str(ring_ms))]
            )
        pbx.emit(tpl.dial_end(caller.chan, agent.chan, status))
        agent.hangup_emitted = True
        pbx.emit(tpl.hangup(agent.chan, 0 if status == "NOANSWER" else cause_of(agent.end_code)))
        caller.chan.conn_num = caller.chan.conn_name = "<unknown>"
        conn.agent = None
        if conn.target_ext is not None:  # Dial(): no second try
            caller.end_code = agent.end_code if agent.end_code >= 400 else 480
            conn.retry_at = math.inf
            conn.state = ConnState.WAITING
            pbx.hangup_leg(caller, caller.end_code)
            return
        conn.state = ConnState.WAITING
        conn.retry_at = pbx.now() + self._retry_s

    def _end(self, conn: Connection) -> None:
        conn.state = ConnState.ENDED
        if conn in self.connections:
            self.connections.remove(conn)
        self._pbx.changed()
