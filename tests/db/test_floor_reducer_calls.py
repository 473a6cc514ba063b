"""Floor replay shows what the live tile shows: the caller and queue of a call, calls today."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from db.floor_replay import READY, RINGING, TALKING, WRAP_UP, FloorReducer

AGENT = "PJSIP/1017"


def _member(reducer: FloorReducer, ts: float) -> None:
    reducer.apply(
        ts,
        "QueueMemberStatus",
        {"Queue": "billing", "Interface": AGENT, "MemberName": "王芳", "Status": "1"},
    )


def _call(reducer: FloorReducer, ts: float, caller: str, talk_s: float = 60.0) -> None:
    connect = {"Queue": "billing", "Interface": AGENT, "CallerIDNum": caller}
    reducer.apply(ts, "AgentConnect", connect)
    reducer.apply(ts + talk_s, "AgentComplete", {"Queue": "billing", "Interface": AGENT})


def _local(day_offset: int, hour: int, minute: int = 0) -> float:
    base = datetime(2026, 3, 3, hour, minute) + timedelta(days=day_offset)
    return base.timestamp()


def test_a_call_shows_its_caller_and_queue_and_counts_once() -> None:
    reducer = FloorReducer(default_wrapup_s=30.0)
    _member(reducer, _local(0, 8))
    t = _local(0, 9)
    reducer.apply(
        t,
        "AgentConnect",
        {"Queue": "billing", "Interface": AGENT, "CallerIDNum": "13912345678"},
    )
    during = reducer.floor_at(t + 10).agents[AGENT]
    assert (during.state, during.caller, during.call_queue) == (TALKING, "13912345678", "billing")
    assert during.calls_today == 1
    reducer.apply(t + 60, "AgentComplete", {"Queue": "billing", "Interface": AGENT})
    after = reducer.floor_at(t + 70).agents[AGENT]
    assert (after.state, after.caller, after.call_queue, after.calls_today) == (
        WRAP_UP,
        "",
        "",
        1,
    )


def test_a_ringing_call_shows_its_caller_and_queue_until_it_stops_ringing() -> None:
    """As the live tile does: a supervisor sees who is ringing whom, from which queue."""
    reducer = FloorReducer()
    _member(reducer, _local(0, 8))
    t = _local(0, 9)
    offer = {"Queue": "billing", "Interface": AGENT, "CallerIDNum": "13912345678"}
    reducer.apply(t, "AgentCalled", offer)
    ringing = reducer.floor_at(t + 2).agents[AGENT]
    assert (ringing.state, ringing.caller, ringing.call_queue) == (
        RINGING,
        "13912345678",
        "billing",
    )
    reducer.apply(t + 8, "AgentRingNoAnswer", offer)
    missed = reducer.floor_at(t + 9).agents[AGENT]
    assert (missed.state, missed.caller, missed.call_queue) == (READY, "", "")
    # Rung for a second caller, then answering it: the talking call is that caller's.
    reducer.apply(t + 20, "AgentCalled", {**offer, "CallerIDNum": "13700000000"})
    reducer.apply(t + 23, "AgentConnect", {**offer, "CallerIDNum": "13700000000"})
    talking = reducer.floor_at(t + 30).agents[AGENT]
    assert (talking.state, talking.caller, talking.calls_today) == (TALKING, "13700000000", 1)
    # A withheld number is no number, as live (Asterisk writes `<unknown>`).
    reducer.apply(t + 90, "AgentComplete", offer)
    reducer.apply(t + 200, "AgentCalled", {**offer, "CallerIDNum": "<unknown>"})
    assert reducer.floor_at(t + 201).agents[AGENT].caller == ""


def test_calls_today_start_again_at_local_midnight() -> None:
    reducer = FloorReducer()
    _member(reducer, _local(0, 8))
    for minute in (0, 10, 20):
        _call(reducer, _local(0, 23, minute), f"1380000000{minute // 10}")
    assert reducer.floor_at(_local(0, 23, 59)).agents[AGENT].calls_today == 3
    assert reducer.floor_at(_local(1, 0, 1)).agents[AGENT].calls_today == 0
    _call(reducer, _local(1, 8), "13800000009")
    assert reducer.floor_at(_local(1, 9)).agents[AGENT].calls_today == 1


def test_snapshots_carry_the_count_and_old_snapshots_still_load() -> None:
    reducer = FloorReducer()
    _member(reducer, _local(0, 8))
    _call(reducer, _local(0, 9), "13912345678", talk_s=600.0)
    reducer.apply(
        _local(0, 9, 15),
        "AgentConnect",
        {"Queue": "billing", "Interface": AGENT, "CallerIDNum": "13700000000"},
    )
    text = reducer.to_json()
    again = FloorReducer.from_json(text).floor_at(_local(0, 9, 20)).agents[AGENT]
    assert (again.caller, again.calls_today) == ("13700000000", 2)

    # A version-1 snapshot (before the count existed): it loads, and counting restarts there.
    data = json.loads(text)
    data["v"] = 1
    data["agents"] = {k: v[:14] for k, v in data["agents"].items()}
    old = FloorReducer.from_json(json.dumps(data))
    at = old.floor_at(_local(0, 9, 20)).agents[AGENT]
    assert (at.state, at.caller, at.calls_today) == (TALKING, "", 0)
    _call(old, _local(0, 10), "13600000000")
    assert old.floor_at(_local(0, 10, 5)).agents[AGENT].calls_today == 1
