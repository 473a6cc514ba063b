"""Benchmarks of the record (shared/BENCH.md): write speed, intent latency, review, replay.

- journal_rows_per_s: PBX events through `Record.journal_event` (writer thread, hashing,
  snapshots, SQLite) from the first call to the moment all are committed.
- intent_commit_p99_ms: `Record.action_intent` round trips (durable commit, fsync) while
  another thread journals 2,000 events/s (a busy floor), 20-200 ms apart: a supervisor's
  quickest clicks. (Back to back, every intent would find the WAL just synced by the one
  before it, which a real floor never offers.) `intent_commit_idle_p99_ms` without load;
  `intent_commit_normal_p99_ms` with intent_sync="normal" (fsync right after the commit);
  `disk_commit_fsync_p99_ms`: a bare one-row SQLite FULL commit at the same pace, the disk's
  own floor.
- review_query_ms: an agent's day timeline plus the day's interval table, median over
  several days and agents, on a generated record of 10 M rows (200 k with --quick).
- review_open_ms: the record queries behind File → Open record… (span, the filters' choices,
  the window's tables over the whole record), on that record.
- replay_jump_ms: what the replay slider redraws for a minute: `floor_at` (tiles, queue
  counters) plus `interval_at` (the queue cards' interval figures), median over 20 random
  minutes of opening hours (and the maximum).

The generated record (db/synthetic.py) is written to a temporary folder and removed; set
HOTLINE_BENCH_CACHE to a folder to keep it there and reuse it in later runs.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from db.crash_probe import run_kills
from db.export import detail_tables
from db.record import open_record
from db.review import open_review
from db.review_rows import ReviewFilter
from db.synthetic import SyntheticRecord, busiest_minutes, generate_record

_EVENTS = (
    (
        "QueueMemberStatus",
        {
            "Queue": "billing",
            "MemberName": "王芳",
            "Interface": "PJSIP/1017",
            "StateInterface": "PJSIP/1017",
            "Membership": "dynamic",
            "Penalty": "0",
            "CallsTaken": "12",
            "LastCall": "1772532000",
            "InCall": "1",
            "Status": "2",
            "Paused": "0",
            "PausedReason": "",
        },
    ),
    (
        "AgentConnect",
        {
            "Channel": "PJSIP/trunk-0000a1b2",
            "CallerIDNum": "13912345678",
            "Uniqueid": "1772532000.1234",
            "Linkedid": "1772532000.1234",
            "Queue": "billing",
            "Interface": "PJSIP/1017",
            "MemberName": "王芳",
            "HoldTime": "12",
            "RingTime": "4",
        },
    ),
    (
        "VarSet",
        {
            "Channel": "PJSIP/1017-0000a1b3",
            "Uniqueid": "1772532000.1235",
            "Linkedid": "1772532000.1234",
            "Variable": "BRIDGEPEER",
            "Value": "PJSIP/trunk-0000a1b2",
        },
    ),
    (
        "QueueCallerJoin",
        {
            "Channel": "PJSIP/trunk-0000a1b9",
            "CallerIDNum": "13812345678",
            "Uniqueid": "1772532001.1240",
            "Linkedid": "1772532001.1240",
            "Queue": "repair",
            "Position": "3",
            "Count": "3",
        },
    ),
)


def _journal_rate(folder: Path, rows: int) -> float:
    record = open_record(folder / "rate.sqlite", "bench", "bench-ws")
    try:
        record.flush()
        t0 = 1772532000.0
        start = time.perf_counter()
        for i in range(rows):
            name, fields = _EVENTS[i & 3]
            record.journal_event(t0 + i * 0.001, name, fields)
        record.flush(timeout_s=600)
        return rows / (time.perf_counter() - start)
    finally:
        record.close()


def _intent_p99(folder: Path, count: int, load_per_s: float, sync: str = "full") -> float:
    name = f"intent-{int(load_per_s)}-{sync}.sqlite"
    record = open_record(folder / name, "bench", "bench-ws", intent_sync=sync)
    stop = threading.Event()

    def journal_load() -> None:
        i = 0
        t0 = time.time()
        while not stop.is_set():
            name, fields = _EVENTS[i & 3]
            record.journal_event(time.time(), name, fields)
            i += 1
            ahead = i / load_per_s - (time.time() - t0)
            if ahead > 0:
                time.sleep(ahead)

    loader = threading.Thread(target=journal_load, name="bench-journal-load", daemon=True)
    try:
        if load_per_s > 0:
            loader.start()
        time.sleep(0.2)
        samples: list[float] = []
        rng = random.Random(3)
        for _ in range(count):
            t = time.perf_counter()
            handle = record.action_intent(
                "QueuePause", agent="PJSIP/1017", params={"reason": "午餐"}
            )
            samples.append((time.perf_counter() - t) * 1000)
            record.action_result(handle, True, "Success")
            time.sleep(_click_gap(rng))
        samples.sort()
        return samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    finally:
        stop.set()
        if loader.is_alive():
            loader.join()
        record.close()


def _click_gap(rng: random.Random) -> float:
    """Seconds between two intents: a supervisor's quickest clicks (also the disk floor's gap,
    since a disk idle for a while answers an fsync more slowly than a busy one)."""
    return rng.uniform(0.02, 0.2)


def _raw_fsync_p99(folder: Path, count: int) -> float:
    """The disk's own floor: one-row SQLite commits with synchronous=FULL, nothing else, at the
    intents' pace."""
    connection = sqlite3.connect(folder / "fsync.sqlite", isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("CREATE TABLE t (x INTEGER)")
        samples = []
        rng = random.Random(3)
        for i in range(count):
            t = time.perf_counter()
            connection.execute("BEGIN")
            connection.execute("INSERT INTO t VALUES (?)", (i,))
            connection.execute("COMMIT")
            samples.append((time.perf_counter() - t) * 1000)
            time.sleep(_click_gap(rng))
    finally:
        connection.close()
    samples.sort()
    return samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def _record_for(rows: int, folder: Path, agents: int, calls_per_day: int) -> SyntheticRecord:
    cache = os.environ.get("HOTLINE_BENCH_CACHE")
    if cache:
        path = Path(cache) / f"bench-record-v1-{rows}-{agents}-{calls_per_day}.sqlite"
        info = Path(f"{path}.days")
        if path.exists() and info.exists():
            first, days = info.read_text().split()
            return SyntheticRecord(path, rows, date.fromisoformat(first), int(days), (), ())
        path.unlink(missing_ok=True)
        record = generate_record(path, rows, agents=agents, calls_per_day=calls_per_day)
        info.write_text(f"{record.first_day.isoformat()} {record.days}")
        return record
    return generate_record(
        folder / "review.sqlite", rows, agents=agents, calls_per_day=calls_per_day
    )


def measure(
    journal_rows: int,
    intents: int,
    review_rows: int,
    *,
    agents: int = 150,
    calls_per_day: int = 9000,
    review_days: int = 7,
    replay_minutes: int = 20,
) -> dict[str, float]:
    """All figures of `bench_record` at chosen sizes (tests use tiny ones)."""
    folder = Path(tempfile.mkdtemp(prefix="hotline-bench-record-"))
    try:
        figures: dict[str, float] = {}
        figures["journal_rows_per_s"] = round(_journal_rate(folder, journal_rows))
        figures["intent_commit_p99_ms"] = round(_intent_p99(folder, intents, 2000.0), 3)
        figures["intent_commit_idle_p99_ms"] = round(_intent_p99(folder, intents, 0.0), 3)
        figures["intent_commit_normal_p99_ms"] = round(
            _intent_p99(folder, intents, 2000.0, "normal"), 3
        )
        figures["disk_commit_fsync_p99_ms"] = round(_raw_fsync_p99(folder, intents), 3)
        t = time.perf_counter()
        record = _record_for(review_rows, folder, agents, calls_per_day)
        figures["record_generate_s"] = round(time.perf_counter() - t, 1)
        figures["review_open_ms"] = round(_review_open_ms(record.path), 1)
        rng = random.Random(11)
        review_ms: list[float] = []
        replay_ms: list[float] = []
        with open_review(record.path) as review:
            figures["record_rows"] = float(review.head()[0])
            for _ in range(review_days):
                day = record.first_day + timedelta(days=rng.randrange(max(1, record.days - 1)))
                agent = f"PJSIP/{1001 + rng.randrange(agents)}"
                t = time.perf_counter()
                review.agent_timeline(agent, day)
                review.interval_table(day)
                review_ms.append((time.perf_counter() - t) * 1000)
            for minute in busiest_minutes(record, replay_minutes, seed=5):
                t = time.perf_counter()
                review.floor_at(minute)
                review.interval_at(minute)  # the queue cards' figures, as the window redraws
                replay_ms.append((time.perf_counter() - t) * 1000)
        figures["review_query_ms"] = round(statistics.median(review_ms), 1)
        figures["replay_jump_ms"] = round(statistics.median(replay_ms), 1)
        figures["replay_jump_max_ms"] = round(max(replay_ms), 1)
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _review_open_ms(path: Path) -> float:
    """What File → Open record… asks of the record before the window shows: its span, the
    filters' choices and the window's tables for the whole span (db/ side only, no Qt)."""
    t = time.perf_counter()
    with open_review(path) as review:
        span = review.record_span()
        review.bounds()
        review.supervisors()
        review.agent_names()
        review.agents()
        review.queues()
        review.action_names()
        everything = ReviewFilter(start=span[0], end=span[1] + 60) if span else ReviewFilter()
        detail_tables(review, everything)
    return (time.perf_counter() - t) * 1000


def bench_record(quick: bool) -> dict[str, float]:
    """The BENCH.md record figures: 10 M-row record (200 k with quick)."""
    if quick:
        return measure(50_000, 100, 200_000, review_days=3)
    return measure(300_000, 500, 10_000_000)


def bench_record_crash(quick: bool) -> dict[str, float]:
    """Kill a writing process with SIGKILL 200 times (30 with --quick); count problems."""
    folder = Path(tempfile.mkdtemp(prefix="hotline-bench-crash-"))
    try:
        kills, problems = run_kills(folder, 30 if quick else 200, seed=17)
        for problem in problems[:5]:
            print(f"record crash problem: {problem}")
        return {"record_crash_kills": float(kills), "record_crash_problems": float(len(problems))}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
