"""Golden scenarios for agent state and agent-day figures (hand-computed, UTC, T0 = 08:00)."""

from __future__ import annotations

import pytest
from floor_scenario import T0, Floor

from cti.state.agent_state import AgentState


def test_overlapping_pause_reasons_are_counted_once() -> None:
    f = Floor()
    f.add("support", "1001")
    f.add("complaints", "1001")
    f.hm("08:10")
    f.pause("support", "1001", "lunch")  # still ready for complaints
    a = f.store.agent("PJSIP/1001")
    assert a is not None and a.state is AgentState.READY and a.state_since == T0
    f.hm("08:12")
    f.pause("complaints", "1001", "lunch")  # now paused everywhere
    f.hm("08:20")
    f.pause("support", "1001", "training")  # reason changes while not ready
    a = f.store.agent("PJSIP/1001")
    assert a is not None
    assert (a.state, a.reason, a.state_since) == (AgentState.NOT_READY, "training", T0 + 1200)
    assert a.paused and a.paused_reason == "training"
    f.hm("08:30")
    f.unpause("support", "1001")
    f.unpause("complaints", "1001")
    f.hm("08:40")
    a = f.store.agent("PJSIP/1001")
    assert a is not None and a.state is AgentState.READY and not a.paused
    d = a.day
    # lunch 08:12-08:20 = 480 s, training 08:20-08:30 = 600 s
    assert dict(d.not_ready_by_reason) == {"lunch": 480.0, "training": 600.0}
    assert d.not_ready_s == 1080
    # ready 08:00-08:12 (720) + 08:30-08:40 (600); every second in exactly one state
    assert d.ready_s == 1320
    assert d.logged_in_s == 40 * 60
    assert [(m.queue, m.paused) for m in a.queues] == [("support", False), ("complaints", False)]


def test_pause_all_queues_at_once_counts_one_not_ready_period() -> None:
    f = Floor()
    for q in ("support", "complaints", "vip"):
        f.add(q, "1002")
    f.hm("08:05")
    for q in ("support", "complaints", "vip"):
        f.pause(q, "1002", "meeting")
    f.hm("08:15")
    for q in ("support", "complaints", "vip"):
        f.unpause(q, "1002")
    a = f.store.agent("PJSIP/1002")
    assert a is not None
    assert a.day.not_ready_s == 600 and dict(a.day.not_ready_by_reason) == {"meeting": 600}


def test_agent_in_two_queues() -> None:
    f = Floor()
    f.add("support", "1002")
    f.add("complaints", "1002")
    f.add("support", "1001")
    f.at(100)
    a_uid = f.join("support", "2001")
    f.at(105)
    f.called("support", a_uid, "1002", "2001")
    f.connect("support", a_uid, "1002", hold=5, number="2001")
    f.at(150)
    sup, com = f.store.queue("support"), f.store.queue("complaints")
    assert sup is not None and com is not None
    # the agent counts in both queues' state breakdown
    assert sup.agents_by_state[AgentState.TALKING] == 1
    assert sup.agents_by_state[AgentState.READY] == 1
    assert com.agents_by_state[AgentState.TALKING] == 1
    agent = f.store.agent("PJSIP/1002")
    assert agent is not None
    assert (agent.caller_number, agent.call_queue) == ("2001", "support")
    f.at(205)
    f.complete("support", a_uid, "1002", hold=5, talk=100)
    f.at(300)
    b_uid = f.join("complaints", "2002")
    f.at(308)
    f.called("complaints", b_uid, "1002", "2002")
    f.connect("complaints", b_uid, "1002", hold=8, number="2002")
    f.at(358)
    f.complete("complaints", b_uid, "1002", hold=8, talk=50)
    f.at(400)

    agent = f.store.agent("PJSIP/1002")
    assert agent is not None
    assert agent.day.answered == 2 and agent.day.queue_talk_s == 150
    assert agent.day.talk_s == 150 and agent.day.ready_s == 250
    sup, com = f.store.queue("support"), f.store.queue("complaints")
    assert sup is not None and com is not None
    assert (sup.current.answered, sup.current.asa_s) == (1, 5)
    assert (com.current.answered, com.current.asa_s) == (1, 8)
    # occupancy: support busy 100 (1002 on the support call); available = 1002 ready
    # 105 + 103 + 42 = 250 plus 1001 ready 400 -> 100 / 750
    assert sup.current.busy_s == 100 and sup.current.available_s == 650
    assert sup.current.occupancy_percent == pytest.approx(100 * 100 / 750)
    # complaints: busy 50, available 250 (only 1002 is a member)
    assert com.current.occupancy_percent == pytest.approx(100 * 50 / 300)


def test_wrap_up_is_derived_from_agent_complete_and_configured_time() -> None:
    f = Floor(wrapup_s=30, wrapup_by_queue={"complaints": 60})
    f.add("support", "1001")
    f.answered_call("support", "1001", wait=10, talk=60)  # completes at +70
    f.status("support", "1001", 1)  # Asterisk says "not in use" at once: still wrap-up
    f.at(99)
    a = f.store.agent("PJSIP/1001")
    assert a is not None
    assert (a.state, a.state_since, a.wrapup_until) == (AgentState.WRAP_UP, T0 + 70, T0 + 100)
    assert a.day.wrapup_s == 29
    f.store.drain_changes()
    f.at(100)
    assert "PJSIP/1001" in f.store.drain_changes().agents  # the clock alone changed it
    f.at(120)
    a = f.store.agent("PJSIP/1001")
    assert a is not None
    assert (a.state, a.state_since) == (AgentState.READY, T0 + 100)
    assert (a.day.talk_s, a.day.wrapup_s, a.day.ready_s) == (60, 30, 10 + 20)
    q = f.store.queue("support")
    assert q is not None
    assert q.current.aht_s == 90  # talk 60 + wrap-up 30


def test_wrap_up_per_queue_and_member_override() -> None:
    f = Floor(wrapup_s=30, wrapup_by_queue={"complaints": 60})
    f.add("complaints", "1002")
    f.add("support", "1003", wrapup=10)  # Asterisk 17+ member Wrapuptime wins
    f.answered_call("complaints", "1002", wait=1, talk=10)  # ends at +11
    f.at(20)
    f.answered_call("support", "1003", wait=1, talk=10)  # ends at +31
    a2, a3 = f.store.agent("PJSIP/1002"), f.store.agent("PJSIP/1003")
    assert a2 is not None and a3 is not None
    assert a2.wrapup_until == T0 + 71 and a3.wrapup_until == T0 + 41


def test_pause_during_wrap_up_is_pending_then_not_ready() -> None:
    f = Floor(wrapup_s=30)
    f.add("support", "1001")
    f.answered_call("support", "1001", wait=10, talk=60)  # wrap-up 70..100
    f.at(80)
    f.pause("support", "1001", "lunch")
    a = f.store.agent("PJSIP/1001")
    assert a is not None
    assert (a.state, a.pending, a.reason) == (AgentState.WRAP_UP, AgentState.NOT_READY, "lunch")
    assert a.is_pending
    f.at(130)
    a = f.store.agent("PJSIP/1001")
    assert a is not None
    assert (a.state, a.state_since, a.pending) == (AgentState.NOT_READY, T0 + 100, None)
    assert a.day.wrapup_s == 30 and dict(a.day.not_ready_by_reason) == {"lunch": 30}


def test_pending_states_while_talking() -> None:
    f = Floor()
    f.add("support", "1001")
    f.add("support", "1002")
    f.add("support", "1003")
    calls = {}
    for ext in ("1001", "1002", "1003"):
        uid = f.join("support", "2000")
        f.called("support", uid, ext)
        f.connect("support", uid, ext, hold=0)
        calls[ext] = uid
    f.at(10)
    f.pause("support", "1001", "meeting")  # Asterisk pauses at once; the call goes on
    f.remove("support", "1002")  # removed while talking
    f.store.request_pending("PJSIP/1003", AgentState.LOGGED_OUT)  # deferred by a controller
    views = {a.extension: a for a in f.store.agents()}
    assert (views["1001"].state, views["1001"].pending) == (
        AgentState.TALKING,
        AgentState.NOT_READY,
    )
    assert views["1001"].reason == "meeting"
    assert (views["1002"].state, views["1002"].pending) == (
        AgentState.TALKING,
        AgentState.LOGGED_OUT,
    )
    assert views["1003"].pending is AgentState.LOGGED_OUT
    f.at(20)
    for ext, uid in calls.items():
        f.complete("support", uid, ext, hold=0, talk=20)
    f.remove("support", "1003")
    views = {a.extension: a for a in f.store.agents()}
    assert (views["1001"].state, views["1001"].reason) == (AgentState.NOT_READY, "meeting")
    assert views["1002"].state is AgentState.LOGGED_OUT
    assert (views["1003"].state, views["1003"].pending) == (AgentState.LOGGED_OUT, None)
    assert views["1002"].day.answered == 1  # day figures survive removal


def test_ringall_clears_ringing_on_the_agents_that_did_not_answer() -> None:
    f = Floor()
    f.add("complaints", "1001")
    f.add("complaints", "1002")
    uid = f.join("complaints", "2001")
    f.called("complaints", uid, "1001")
    f.called("complaints", uid, "1002")
    assert {a.state for a in f.store.agents()} == {AgentState.RINGING}
    f.at(3)
    f.connect("complaints", uid, "1002", hold=3)
    views = {a.extension: a.state for a in f.store.agents()}
    assert views == {"1001": AgentState.READY, "1002": AgentState.TALKING}


def test_ring_no_answer_is_counted_and_ringing_ends() -> None:
    f = Floor()
    f.add("support", "1002")
    uid = f.join("support", "2002")
    f.called("support", uid, "1002")
    f.at(8)
    f.ring_no_answer("support", uid, "1002")
    a = f.store.agent("PJSIP/1002")
    assert a is not None
    assert (a.state, a.day.ring_no_answer, a.day.ringing_s) == (AgentState.READY, 1, 8)


def test_a_ringing_queue_call_names_its_caller_and_queue() -> None:
    """The tile and the agent panel of a ringing agent say who is calling from which queue,
    and forget it when the agent did not answer."""
    f = Floor()
    f.add("support", "1002")
    uid = f.join("support", "13912345678")
    f.called("support", uid, "1002", number="13912345678")
    a = f.store.agent("PJSIP/1002")
    assert a is not None
    assert (a.state, a.caller_number, a.call_queue) == (
        AgentState.RINGING,
        "13912345678",
        "support",
    )
    f.at(8)
    f.ring_no_answer("support", uid, "1002")
    a = f.store.agent("PJSIP/1002")
    assert a is not None
    assert (a.state, a.caller_number, a.call_queue) == (AgentState.READY, None, None)


def test_device_states_unavailable_direct_call_and_hold() -> None:
    f = Floor()
    f.add("support", "1001")
    f.at(5)
    f.status("support", "1001", 5)
    a = f.store.agent("PJSIP/1001")
    assert a is not None and a.state is AgentState.UNAVAILABLE
    f.at(10)
    f.event("DeviceStateChange", ("Device", "PJSIP/1001"), ("State", "INUSE"))
    a = f.store.agent("PJSIP/1001")
    assert a is not None and (a.state, a.caller_number) == (AgentState.TALKING, None)
    # a direct (non-queue) call: the number comes from the agent channel's connected line
    direct = [("Channel", "PJSIP/1001-00000005"), ("ChannelState", "6"), ("Uniqueid", "d.5"),
              ("Linkedid", "d.4"), ("ConnectedLineNum", "13800138000")]  # fmt: skip
    f.event("NewConnectedLine", *direct)
    a = f.store.agent("PJSIP/1001")
    assert a is not None and (a.caller_number, a.call_queue) == ("13800138000", None)
    f.at(20)
    f.event("Hangup", *direct)
    f.event("DeviceStateChange", ("Device", "PJSIP/1001"), ("State", "NOT_INUSE"))
    a = f.store.agent("PJSIP/1001")
    assert a is not None and (a.state, a.caller_number) == (AgentState.READY, None)
    # a queue call put on hold by the agent's phone
    f.at(30)
    uid = f.join("support", "2001")
    f.called("support", uid, "1001")
    f.connect("support", uid, "1001", hold=0, number="2001")
    f.at(40)
    f.event("Hold", ("Channel", "PJSIP/1001-00000009"), ("Uniqueid", "x.9"), ("Linkedid", uid))
    a = f.store.agent("PJSIP/1001")
    assert a is not None and a.state is AgentState.ON_HOLD
    f.at(55)
    f.event("Unhold", ("Channel", "PJSIP/1001-00000009"), ("Uniqueid", "x.9"), ("Linkedid", uid))
    f.at(60)
    a = f.store.agent("PJSIP/1001")
    assert a is not None and a.state is AgentState.TALKING
    assert (a.day.unavailable_s, a.day.hold_s, a.day.talk_s) == (5, 15, 10 + 15)


def test_day_rolls_over_at_midnight() -> None:
    f = Floor()
    f.hm("23:59")
    f.add("support", "1001")
    f.answered_call("support", "1001", wait=1, talk=9)
    f.hm("23:59", 30)
    f.at(16 * 3600 + 60)  # 00:01 next day
    a = f.store.agent("PJSIP/1001")
    q = f.store.queue("support")
    assert a is not None and q is not None
    assert a.day.answered == 0 and a.day.ready_s == 60
    assert q.today.offered == 0 and q.past_intervals == ()


def test_change_notifications_name_what_changed() -> None:
    f = Floor()
    f.add("support", "1001")
    f.add("complaints", "1002")
    first = f.store.drain_changes()
    assert first.agents == {"PJSIP/1001", "PJSIP/1002"}
    assert first.queues == {"support", "complaints"} and first.floor
    assert not f.store.drain_changes()
    f.at(5)
    f.join("support", "2001")
    ch = f.store.drain_changes()
    assert ch.queues == {"support"} and not ch.agents and not ch.floor
    f.event("VarSet", ("Channel", "PJSIP/x-1"), ("Variable", "A"), ("Value", "1"))
    assert not f.store.drain_changes()


def test_call_count_score() -> None:
    f = Floor()
    for ext, calls in (("1001", 10), ("1002", 8), ("1003", 12)):
        f.add("support", ext)
        for _ in range(calls):
            f.answered_call("support", ext, wait=1, talk=1)
    # team average 10: 12 is +20 % -> +4, 8 is -20 % -> -4
    assert f.store.call_count_scores() == {
        "PJSIP/1001": 100.0,
        "PJSIP/1002": 96.0,
        "PJSIP/1003": 104.0,
    }
