"""Benchmarks of the floor store (shared/BENCH.md): `store_events_per_s`, `store_bytes_per_agent`.

The event stream is a synthetic shift built from the same AMI frames Asterisk 22 sends (header
names as in the fixtures), parsed to typed events BEFORE timing, so the figure is the store
alone. Only events the store uses are in the stream (no VarSet / RTCP noise, which the store
drops with one dict lookup and would flatter the rate). Each call is the real sequence:
QueueCallerJoin, AgentCalled, QueueMemberStatus (ringing), QueueCallerLeave, AgentConnect,
QueueMemberStatus (in use), AgentComplete, QueueMemberStatus (not in use), Hangup; pauses and
unpauses are mixed in.
"""

from __future__ import annotations

import gc
import random
import time
import tracemalloc
from datetime import UTC, datetime

from cti.ami.events import AmiEvent, to_event
from cti.ami.message import Message
from cti.state.config import FloorConfig
from cti.state.store import FloorStore

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC).timestamp()


class _Clock:
    __slots__ = ("t",)

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


def _member(
    name: str, queue: str, ext: str, status: int, paused: bool = False, reason: str = ""
) -> Message:
    return Message(
        [
            ("Event", name),
            ("Privilege", "agent,all"),
            ("Queue", queue),
            ("MemberName", f"Agent {ext}"),
            ("Interface", f"PJSIP/{ext}"),
            ("StateInterface", f"PJSIP/{ext}"),
            ("Membership", "dynamic"),
            ("Penalty", "0"),
            ("CallsTaken", "0"),
            ("LastCall", "0"),
            ("LastPause", "0"),
            ("LoginTime", "0"),
            ("InCall", "0"),
            ("Status", str(status)),
            ("Paused", "1" if paused else "0"),
            ("PausedReason", reason),
            ("Ringinuse", "0"),
            ("Wrapuptime", "0"),
        ]
    )


def _caller(name: str, uid: str, number: str, queue: str, extra: list[tuple[str, str]]) -> Message:
    return Message(
        [
            ("Event", name),
            ("Privilege", "agent,all"),
            ("Channel", f"PJSIP/trunk-{uid}"),
            ("ChannelState", "6"),
            ("ChannelStateDesc", "Up"),
            ("CallerIDNum", number),
            ("CallerIDName", ""),
            ("ConnectedLineNum", "<unknown>"),
            ("ConnectedLineName", "<unknown>"),
            ("Context", "customers"),
            ("Exten", "600"),
            ("Priority", "4"),
            ("Uniqueid", uid),
            ("Linkedid", uid),
            ("Queue", queue),
            *extra,
        ]
    )


def setup_events(agents: int, queues: int, calls: int, seed: int = 7) -> list[AmiEvent]:
    """Members join (1-3 queues each), then `calls` calls with pauses mixed in."""
    rng = random.Random(seed)
    events: list[AmiEvent] = []
    membership: dict[str, list[str]] = {}
    for i in range(agents):
        ext = str(10000 + i)
        qs = rng.sample(range(queues), k=min(queues, rng.choice((1, 1, 2, 3))))
        membership[ext] = [f"q{q:03d}" for q in qs]
        for q in membership[ext]:
            events.append(to_event(_member("QueueMemberAdded", q, ext, 1)))
    exts = list(membership)
    for n in range(calls):
        ext = rng.choice(exts)
        queue = membership[ext][0]
        uid = f"{int(T0)}.{n}"
        number = f"13{rng.randrange(10**9):09d}"
        dest = [("Interface", f"PJSIP/{ext}"), ("MemberName", f"Agent {ext}")]
        events.append(
            to_event(
                _caller("QueueCallerJoin", uid, number, queue, [("Position", "1"), ("Count", "1")])
            )
        )
        events.append(to_event(_caller("AgentCalled", uid, number, queue, dest)))
        events.append(to_event(_member("QueueMemberStatus", queue, ext, 6)))
        events.append(
            to_event(
                _caller("QueueCallerLeave", uid, number, queue, [("Position", "1"), ("Count", "0")])
            )
        )
        events.append(
            to_event(
                _caller(
                    "AgentConnect",
                    uid,
                    number,
                    queue,
                    [*dest, ("HoldTime", str(rng.randrange(40))), ("RingTime", "2")],
                )
            )
        )
        events.append(to_event(_member("QueueMemberStatus", queue, ext, 2)))
        events.append(
            to_event(
                _caller(
                    "AgentComplete",
                    uid,
                    number,
                    queue,
                    [
                        *dest,
                        ("HoldTime", "5"),
                        ("TalkTime", str(rng.randrange(30, 600))),
                        ("Reason", "caller"),
                    ],
                )
            )
        )
        events.append(to_event(_member("QueueMemberStatus", queue, ext, 1)))
        events.append(to_event(_caller("Hangup", uid, number, queue, [("Cause", "16")])))
        if n % 10 == 0:
            reason = rng.choice(("lunch", "training", "restroom"))
            for q in membership[ext]:
                events.append(to_event(_member("QueueMemberPause", q, ext, 1, True, reason)))
            for q in membership[ext]:
                events.append(to_event(_member("QueueMemberPause", q, ext, 1, False)))
    return events


def _run(events: list[AmiEvent], step: float) -> FloorStore:
    clock = _Clock()
    store = FloorStore(FloorConfig(wrapup_s=15.0), clock)
    apply = store.apply
    for e in events:
        clock.t += step
        apply(e)
    return store


def bench_store(quick: bool) -> dict[str, float]:
    agents = 2000
    queues = 200
    calls = 1500 if quick else 30000
    events = setup_events(agents, queues, calls)
    step = 8 * 3600 / len(events)  # spread over an 8-hour shift

    gc.collect()
    best = float("inf")
    for _ in range(1 if quick else 5):
        t0 = time.perf_counter()
        _run(events, step)
        best = min(best, time.perf_counter() - t0)
    rate = len(events) / best

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    store = _run(events, step)
    store.drain_changes()
    used = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert len(store.agent_interfaces()) == agents
    return {"store_events_per_s": rate, "store_bytes_per_agent": used / agents}


def bench_ingest_with_store(quick: bool) -> dict[str, float]:
    """BENCH.md `ingest_*`: the AMI helper's ingest benchmark with the store as the sink, so
    the bytes really reach the store (codec -> typed events -> FloorStore.apply)."""
    from cti.ami.bench_codec import bench_ingest

    store = FloorStore(FloorConfig(wrapup_s=15.0), _Clock())
    return bench_ingest(quick, sink=store.apply)


if __name__ == "__main__":
    print(bench_store(quick=False))
    print(bench_ingest_with_store(quick=False))
