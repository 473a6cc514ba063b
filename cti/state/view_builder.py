"""Freezing the store's internal records into the read-only views of `views`."""

from __future__ import annotations

from cti.state.agent_state import AgentState
from cti.state.naming import extension_of_interface
from cti.state.records import STATE_INDEX, Agent, Spy
from cti.state.views import AgentDay, AgentView, MembershipView, SpyView

_IDX = STATE_INDEX
_LOGGED_OUT = AgentState.LOGGED_OUT
_NOT_READY = AgentState.NOT_READY
_READY = AgentState.READY
_TALKING = AgentState.TALKING
_ON_HOLD = AgentState.ON_HOLD
_WRAP_UP = AgentState.WRAP_UP


def agent_view(a: Agent, now: float) -> AgentView:
    """Freeze an agent record; state times include the running state up to `now`."""
    secs = list(a.secs)
    nr = dict(a.nr_by_reason) if a.nr_by_reason else {}
    if a.state is not _LOGGED_OUT and now > a.acc_since:
        dt = now - a.acc_since
        secs[_IDX[a.state]] += dt
        if a.state is _NOT_READY:
            key = a.reason or ""
            nr[key] = nr.get(key, 0.0) + dt
    day = AgentDay(
        answered=a.answered,
        ring_no_answer=a.rna,
        queue_talk_s=a.queue_talk_s,
        talk_s=secs[_IDX[_TALKING]],
        hold_s=secs[_IDX[_ON_HOLD]],
        wrapup_s=secs[_IDX[_WRAP_UP]],
        ringing_s=secs[_IDX[AgentState.RINGING]],
        ready_s=secs[_IDX[_READY]],
        not_ready_s=secs[_IDX[_NOT_READY]],
        not_ready_by_reason=tuple(sorted(nr.items())),
        unavailable_s=secs[_IDX[AgentState.UNAVAILABLE]],
    )
    # A queue call ringing the agent (not a call of its own): the tile names its caller and
    # queue, as it will once answered.
    offered = a.offered_linkedid is not None and a.call_linkedid is None
    return AgentView(
        interface=a.interface,
        name=a.name,
        extension=extension_of_interface(a.interface),
        state=a.state,
        state_since=a.since,
        reason=a.reason,
        pending=a.pending,
        device_status=a.device,
        caller_number=a.call_number or (a.offered_number if offered else None),
        caller_name=a.call_name or (a.offered_name if offered else None),
        call_queue=a.call_queue or (a.offered_queue if offered else None),
        call_linkedid=a.call_linkedid,
        call_since=a.call_since,
        wrapup_until=a.wrapup_until if a.state is _WRAP_UP else None,
        paused=a.last_paused,
        paused_reason=a.pause_reason if a.last_paused else None,
        queues=tuple(
            MembershipView(qn, m.penalty, m.paused, m.reason, m.calls_taken)
            for qn, m in a.queues.items()
        ),
        monitored_by=tuple(spy_view(s) for s in a.spies) if a.spies else (),
        day=day,
        as_of=now,
    )


def spy_view(s: Spy) -> SpyView:
    return SpyView(
        spyer_channel=s.spyer_channel,
        spyer_number=s.spyer_number,
        spyer_name=s.spyer_name,
        spyee_channel=s.spyee_channel,
        agent_interface=s.interface,
        call_linkedid=s.linkedid,
        mode=s.mode,
        dtmf_switch=s.dtmf,
        since=s.since,
    )
