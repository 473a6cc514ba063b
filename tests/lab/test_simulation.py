"""The simulation engine: deterministic, app_queue-like, and human-like where it should be."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from typing import Any

import pytest

from cti.lab.arrivals import ArrivalModel, QueueArrivals
from cti.lab.scenario import Scenario, load_scenario, parse_scenario
from cti.lab.simulation import HotlineSimulation

T0 = 1_795_337_200.0
Event = list[tuple[str, str]]


def scenario(**overrides: Any) -> Scenario:
    data: dict[str, Any] = {
        "scenario": {"name": "t", "start": "10:00", "seed": 7},
        "defaults": {"timeout_s": 8, "retry_s": 2, "wrapup_s": 5, "service_level_s": 20},
        "queue": [
            {"name": "support", "number": "600", "calls_per_hour": 90, "talk_median_s": 60},
            {
                "name": "complaints",
                "number": "601",
                "strategy": "ringall",
                "calls_per_hour": 20,
                "talk_median_s": 90,
            },
        ],
        "agents": [
            {"ext_start": 1001, "count": 3, "queues": ["support"]},
            {
                "ext_start": 1004,
                "count": 3,
                "queues": ["complaints", "support"],
                "penalties": [0, 1],
                "no_answer_prob": 0.2,
            },
        ],
    }
    data.update(overrides)
    return parse_scenario(data)


def timed_run(sim: HotlineSimulation, seconds: float) -> list[tuple[float, Event]]:
    """Events with the simulated time they were emitted at."""
    end = sim.now + seconds
    out: list[tuple[float, Event]] = []
    while sim.next_event_time() <= end:
        t = sim.next_event_time()
        out.extend((t, e) for e in sim.advance_to(t))
    sim.advance_to(end)
    return out


def d(e: Event) -> dict[str, str]:
    return dict(e)


def names(events: list[Event]) -> Counter[str]:
    return Counter(d(e)["Event"] for e in events)


def test_same_seed_same_events_whatever_the_chunking() -> None:
    sc = scenario()
    a = HotlineSimulation(sc, seed=3, start_epoch=T0).advance_to(T0 + 3600)
    sim = HotlineSimulation(sc, seed=3, start_epoch=T0)
    rng = random.Random(0)
    b: list[Event] = []
    while sim.now < T0 + 3600:
        b += sim.advance_to(min(T0 + 3600, sim.now + rng.uniform(0.01, 120)))
    c = HotlineSimulation(sc, seed=4, start_epoch=T0).advance_to(T0 + 3600)
    assert len(a) > 500
    assert a == b
    assert a != c


def test_warm_up_is_silent_and_leaves_a_busy_floor() -> None:
    sim = HotlineSimulation(load_scenario("default"), start_epoch=T0, warmup_s=1800)
    assert sim.now == T0
    assert sim.take_events() == []
    assert any(a.call is not None for a in sim.agents.values())
    # Logins happened at the start of the warm-up, 30 minutes before "now".
    assert {m.login_time for a in sim.agents.values() for m in a.memberships.values()} == {
        int(T0 - 1800)
    }


def test_call_lifecycles_are_complete_and_consistent() -> None:
    sc = scenario()
    sim = HotlineSimulation(sc, start_epoch=T0)
    events = [e for _, e in timed_run(sim, 4 * 3600)]
    joins: dict[str, int] = Counter()
    leaves: dict[str, int] = Counter()
    connect_hold: dict[str, str] = {}
    hangups: Counter[str] = Counter()
    created: set[str] = set()
    for e in events:
        f = d(e)
        name = f["Event"]
        if name == "QueueCallerJoin":
            joins[f["Uniqueid"]] += 1
        elif name == "QueueCallerLeave":
            leaves[f["Uniqueid"]] += 1
        elif name == "AgentConnect":
            connect_hold[f["Uniqueid"]] = f["HoldTime"]
            assert int(f["RingTime"]) < 8
        elif name == "AgentComplete":
            assert f["HoldTime"] == connect_hold[f["Uniqueid"]]
            assert f["Reason"] in ("caller", "agent")
        elif name == "AgentRingNoAnswer":
            assert f["RingTime"] == "8000"  # ms, the queue's 8 s timeout
        elif name == "Newchannel":
            assert f["Channel"] not in created
            created.add(f["Channel"])
        elif name == "Hangup":
            hangups[f["Channel"]] += 1
    counts = names(events)
    assert counts["AgentRingNoAnswer"] > 0 and counts["QueueCallerAbandon"] > 0
    assert set(hangups) <= created and max(hangups.values()) == 1
    still_up = created - set(hangups)
    assert still_up == set(sim.channels)
    waiting = {c.chan.uniqueid for q in sim.queues.values() for c in q.waiting}
    for uid, n in joins.items():
        assert n == 1
        assert leaves[uid] == (0 if uid in waiting else 1)
    # Linkedid of every agent leg is its caller's Uniqueid.
    for e in events:
        f = d(e)
        if f["Event"] == "AgentCalled":
            assert f["DestLinkedid"] == f["Uniqueid"]
            assert f["DestChannel"].startswith(f["Interface"] + "-")


def test_channel_names_and_uniqueids_look_like_asterisk() -> None:
    sim = HotlineSimulation(scenario(), start_epoch=T0)
    events = sim.advance_to(T0 + 600)
    seqs = []
    for e in events:
        f = d(e)
        if f["Event"] == "Newchannel":
            tech, _, seq = f["Channel"].rpartition("-")
            epoch, _, n = f["Uniqueid"].partition(".")
            assert tech.startswith("PJSIP/") and len(seq) == 8
            assert int(seq, 16) == int(n)
            assert T0 <= int(epoch) <= T0 + 600
            seqs.append(int(n))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_ringall_rings_every_free_member_and_cancels_the_rest() -> None:
    sc = scenario(
        queue=[{"name": "complaints", "number": "601", "strategy": "ringall", "calls_per_hour": 6}],
        agents=[{"ext_start": 1001, "count": 3, "queues": ["complaints"], "no_answer_prob": 0}],
    )
    sim = HotlineSimulation(sc, start_epoch=T0)
    timed = timed_run(sim, 3600)
    called_at: defaultdict[str, list[float]] = defaultdict(list)
    for t, e in timed:
        if d(e)["Event"] == "AgentCalled":
            called_at[d(e)["Uniqueid"]].append(t)
    first = next(iter(called_at.values()))  # the first caller found all three agents free
    assert len(first) == 3 and len(set(first)) == 1
    causes = [
        d(e)["Cause"] for _, e in timed if d(e)["Event"] == "Hangup" and d(e)["ChannelState"] == "5"
    ]
    assert causes and set(causes) == {"26"}  # "Answered elsewhere"
    cancels = [e for _, e in timed if d(e)["Event"] == "DialEnd" and d(e)["DialStatus"] == "CANCEL"]
    assert len(cancels) == len(causes)


def test_rrmemory_rotates_and_penalty_one_waits_for_the_others() -> None:
    sc = scenario(
        queue=[{"name": "support", "number": "600", "calls_per_hour": 20, "talk_median_s": 30}],
        agents=[
            {"ext_start": 1001, "count": 3, "queues": ["support"], "no_answer_prob": 0},
            {"ext_start": 1004, "count": 1, "queues": ["support"], "penalties": [1]},
        ],
    )
    sim = HotlineSimulation(sc, start_epoch=T0)
    called = [
        d(e)["Interface"] for e in sim.advance_to(T0 + 4 * 3600) if d(e)["Event"] == "AgentCalled"
    ]
    assert len(called) > 30
    assert "PJSIP/1004" not in called  # light load: a penalty-0 member is always free
    assert called[:6] == ["PJSIP/1001", "PJSIP/1002", "PJSIP/1003"] * 2


def test_wrap_up_is_respected_and_member_status_follows_the_call() -> None:
    sim = HotlineSimulation(scenario(), start_epoch=T0)
    last_complete: dict[str, float] = {}
    status: dict[tuple[str, str], str] = {}
    for t, e in timed_run(sim, 3 * 3600):
        f = d(e)
        if f["Event"] == "AgentComplete":
            last_complete[f["Interface"]] = t
        elif f["Event"] == "AgentCalled" and f["Interface"] in last_complete:
            assert t >= last_complete[f["Interface"]] + 5 - 1e-6
        elif f["Event"] == "QueueMemberStatus":
            key = (f["Queue"], f["Interface"])
            before = status.get(key, "1")
            assert (before, f["Status"]) in {("1", "6"), ("6", "2"), ("6", "1"), ("2", "1")}
            status[key] = f["Status"]
            if f["Status"] == "2":
                assert f["InCall"] in ("0", "1")


def test_abandon_events_carry_positions_and_hold_time() -> None:
    sc = scenario(
        queue=[
            {"name": "support", "number": "600", "calls_per_hour": 120, "patience_mean_s": 20},
        ],
        agents=[{"ext_start": 1001, "count": 1, "queues": ["support"]}],
    )
    sim = HotlineSimulation(sc, start_epoch=T0)
    events = [d(e) for e in sim.advance_to(T0 + 3600)]
    for i, f in enumerate(events):
        if f["Event"] == "QueueCallerAbandon":
            leave = events[i + 1]
            assert leave["Event"] == "QueueCallerLeave" and leave["Uniqueid"] == f["Uniqueid"]
            assert leave["Position"] == f["Position"]
            assert int(f["OriginalPosition"]) >= 1 and int(f["HoldTime"]) >= 0
            hangup = next(
                x for x in events[i:] if x["Event"] == "Hangup" and x["Channel"] == f["Channel"]
            )
            assert hangup["Cause"] == "0"
    assert sum(1 for f in events if f["Event"] == "QueueCallerAbandon") > 10


def test_queue_counters_follow_app_queue_formulas() -> None:
    """Hold/talk averages are app_queue's (3 × old + new) / 4, completed/abandoned counted."""
    sc = scenario()
    sim = HotlineSimulation(sc, start_epoch=T0)
    hold: dict[str, int] = defaultdict(int)
    talk: dict[str, int] = defaultdict(int)
    completed: Counter[str] = Counter()
    abandoned: Counter[str] = Counter()
    in_sl: Counter[str] = Counter()
    for e in sim.advance_to(T0 + 3 * 3600):
        f = d(e)
        q = f.get("Queue", "")
        if f["Event"] == "AgentConnect":
            h = int(f["HoldTime"])
            hold[q] = h if completed[q] + abandoned[q] == 0 else (hold[q] * 3 + h) >> 2
        elif f["Event"] == "AgentComplete":
            completed[q] += 1
            t = int(f["TalkTime"])
            talk[q] = t if completed[q] == 1 else (talk[q] * 3 + t) >> 2
            in_sl[q] += int(f["HoldTime"]) <= 20
        elif f["Event"] == "QueueCallerAbandon":
            abandoned[q] += 1
    for name, q in sim.queues.items():
        assert (q.holdtime, q.talktime, q.completed, q.abandoned, q.completed_in_sl) == (
            hold[name],
            talk[name],
            completed[name],
            abandoned[name],
            in_sl[name],
        )
        assert q.sl_perf() == pytest.approx(100 * in_sl[name] / completed[name])


def test_breaks_pause_with_reasons_and_paused_agents_are_not_rung() -> None:
    sc = scenario(
        breaks=[
            {"reason": "restroom", "rate_per_hour": 1.0, "mean_minutes": 5, "per_shift": 0},
            {"reason": "training", "rate_per_hour": 0.5, "mean_minutes": 10, "per_shift": 1},
        ]
    )
    sim = HotlineSimulation(sc, start_epoch=T0)
    paused: dict[tuple[str, str], bool] = {}
    reasons: Counter[str] = Counter()
    for e in sim.advance_to(T0 + 4 * 3600):
        f = d(e)
        if f["Event"] == "QueueMemberPause":
            paused[(f["Queue"], f["Interface"])] = f["Paused"] == "1"
            if f["Paused"] == "1":
                reasons[f["PausedReason"]] += 1
            else:
                assert f["PausedReason"] == ""
        elif f["Event"] == "AgentCalled":
            assert not paused.get((f["Queue"], f["Interface"]), False)
    assert set(reasons) == {"restroom", "training"}


def test_night_shift_hands_over_to_the_day_shift() -> None:
    sim = HotlineSimulation(load_scenario("heating"), start_epoch=T0, warmup_s=0)
    at_start = [d(e) for e in sim.take_events()]  # 07:30: the night shift is logged in
    assert {f["Interface"] for f in at_start} == {"PJSIP/1008", "PJSIP/1009"}
    removed: set[str] = set()
    added: set[str] = set()
    for t, e in timed_run(sim, 3600):
        f = d(e)
        if f["Event"] == "QueueMemberRemoved":
            removed.add(f["Interface"])
        elif f["Event"] == "QueueMemberAdded":
            assert t >= T0 + 1800  # 08:00
            added.add(f["Interface"])
    assert removed == {"PJSIP/1008", "PJSIP/1009"}
    assert added == {f"PJSIP/{n}" for n in range(1001, 1008)}


def test_supervisor_actions() -> None:
    sc = scenario()
    sim = HotlineSimulation(sc, start_epoch=T0)
    sim.advance_to(T0 + 60)
    assert sim.queue_pause("PJSIP/9999", True) == (False, "Interface not found")
    assert sim.queue_pause("PJSIP/1001", True, reason="meeting") == (
        True,
        "Interface paused successfully",
    )
    evs = [d(e) for e in sim.take_events()]
    assert [(f["Event"], f["Paused"], f["PausedReason"]) for f in evs] == [
        ("QueueMemberPause", "1", "meeting")
    ]
    later = [d(e) for e in sim.advance_to(T0 + 3 * 3600)]
    assert not any(
        f.get("Interface") == "PJSIP/1001" and f["Event"] == "AgentCalled" for f in later
    )
    assert not any(
        f.get("Interface") == "PJSIP/1001" and f["Event"] == "QueueMemberPause" for f in later
    )
    assert sim.queue_pause("PJSIP/1001", False)[1] == "Interface unpaused successfully"
    assert sim.queue_add("nosuch", "PJSIP/1001") == (
        False,
        "Unable to add interface to queue: No such queue",
    )
    assert sim.queue_add("support", "PJSIP/1001") == (
        False,
        "Unable to add interface: Already there",
    )
    assert sim.queue_add("support", "PJSIP/1091", member_name="Real Phone") == (
        True,
        "Added interface to queue",
    )
    assert sim.queue_remove("complaints", "PJSIP/1091") == (
        False,
        "Unable to remove interface: Not there",
    )
    added = [d(e) for e in sim.take_events() if d(e)["Event"] == "QueueMemberAdded"]
    assert added[-1]["MemberName"] == "Real Phone" and added[-1]["Status"] == "5"  # not registered
    # The external member is listed but never rung by the simulation.
    more = [d(e) for e in sim.advance_to(T0 + 5 * 3600)]
    assert not any(f["Event"] == "AgentCalled" and f["Interface"] == "PJSIP/1091" for f in more)
    assert sim.queue_remove("support", "PJSIP/1091") == (True, "Removed interface from queue")


def test_ami_hangups_end_calls_like_asterisk() -> None:
    sim = HotlineSimulation(scenario(), start_epoch=T0)
    sim.advance_to(T0 + 1800)
    connected = next(c for c in sim.callers() if c.agent is not None)
    assert sim.hangup(connected.chan.name, 16)
    evs = [d(e) for e in sim.take_events()]
    complete = next(f for f in evs if f["Event"] == "AgentComplete")
    assert complete["Reason"] == "caller" and complete["Channel"] == connected.chan.name
    other = next(c for c in sim.callers() if c.agent is not None and c.agent_chan is not None)
    assert other.agent_chan is not None
    assert sim.hangup(other.agent_chan.name, 16)
    evs = [d(e) for e in sim.take_events()]
    assert next(f for f in evs if f["Event"] == "AgentComplete")["Reason"] == "agent"
    assert not sim.hangup("PJSIP/1001-deadbeef")


def test_arrivals_follow_the_curve_and_bursts() -> None:
    sc = scenario()
    model = ArrivalModel([(0, 0.5), (12, 1.5)], sc.bursts, t0=0.0, tod0=0.0)
    assert model.curve_factor(0) == pytest.approx(0.5)
    assert model.curve_factor(6 * 3600) == pytest.approx(1.0)
    assert model.curve_factor(18 * 3600) == pytest.approx(1.0)  # wraps back toward midnight
    # Thinning reproduces the integral of the rate: flat 360/h for 20 h → 7,200 ± 5σ.
    flat = QueueArrivals(ArrivalModel([(0, 1.0)], [], 0.0, 0.0), "q", 360.0)
    rng = random.Random(11)
    t, n = 0.0, 0
    while (t := flat.next_after(t, rng)) < 20 * 3600:
        n += 1
    assert abs(n - 7200) < 5 * math.sqrt(7200)
    burst = parse_scenario(
        {
            "queue": [{"name": "a", "number": "600"}, {"name": "b", "number": "601"}],
            "arrivals": {
                "bursts": [{"after_minutes": 10, "minutes": 5, "factor": 4, "queues": ["a"]}]
            },
        }
    ).bursts
    m = ArrivalModel([(0, 1.0)], burst, t0=0.0, tod0=0.0)
    assert m.factor(m.bursts_for("a"), 12 * 60) == 4
    assert m.factor(m.bursts_for("a"), 16 * 60) == 1
    assert m.factor(m.bursts_for("b"), 12 * 60) == 1


def test_redirect_moves_a_waiting_caller_to_another_queue() -> None:
    sc = scenario(
        queue=[
            {"name": "support", "number": "600", "calls_per_hour": 60, "patience_mean_s": 9000},
            {"name": "english", "number": "604", "calls_per_hour": 0},
        ],
        agents=[{"ext_start": 1001, "count": 1, "queues": ["english"]}],
    )
    sim = HotlineSimulation(sc, start_epoch=T0)
    sim.advance_to(T0 + 600)
    waiting = sim.queues["support"].waiting
    assert waiting, "nobody serves support: its callers wait"
    caller = waiting[0]
    assert not sim.redirect(caller.chan.name, "999")
    assert sim.redirect(caller.chan.name, "604")
    evs = [d(e) for e in sim.take_events()]
    assert [f["Event"] for f in evs[:3]] == [
        "QueueCallerAbandon",
        "QueueCallerLeave",
        "QueueCallerJoin",
    ]
    assert (evs[2]["Queue"], evs[2]["Exten"], evs[2]["Channel"]) == (
        "english",
        "604",
        caller.chan.name,
    )
    assert any(f["Event"] == "AgentCalled" and f["Queue"] == "english" for f in evs)
