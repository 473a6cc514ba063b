"""A generated record of a simulated water-company hotline, for benchmarks and review tests.

The stream looks like what the console journals from Asterisk (same event and field names as
shared/fixtures/asterisk-22): agents log in to one to three queues, take a lunch break
(paused, reason 午餐), answer calls (QueueCallerJoin, AgentCalled, QueueCallerLeave,
AgentConnect, QueueMemberStatus, Hold/Unhold, AgentComplete), callers abandon when nobody is
free within their patience, agents log out. A few supervisor rows per day (monitoring with
mode changes, pauses with results, alarms with acknowledgements) exercise the audit tables.

Rows are encoded by the writer's own RowEncoder (same hashes, same snapshot policy) and
inserted with executemany in large transactions, indexes built at the end, so ten million
rows take minutes, not hours. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw

from cti.sip.end_reasons import EndCode, EndReason
from db.canonical import GENESIS, json_text
from db.dbapi import cursor_of, run_sql
from db.floor_replay import FloorReducer
from db.models import CHAINED_MODELS, TABLE_INDEX, insert_sql
from db.row_encoder import FLOOR_SNAPSHOT, JOURNAL, EncodedBatch, RowEncoder
from db.schema import create_indexes, create_schema

QUEUES = ("billing", "repair", "outage", "complaints", "vip", "english")
QUEUE_WEIGHTS = (0.38, 0.27, 0.14, 0.11, 0.06, 0.04)
WRAPUP_S = 15.0
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛")
# relative call arrivals per hour of day (a utility hotline: morning peak, evening tail)
_HOURLY = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 13, 10, 11, 13, 13, 12, 10, 8, 6, 4, 3, 2, 1)
_ACTOR = ("supervisor-bench", "ws-bench")
# The agent's call ended, so ChanSpy hung up the spy call: the usual end of a session.
_CALL_CLEARED = EndReason(EndCode.PBX_ENDED, "200 Normal call clearing").text


@dataclass(frozen=True)
class SyntheticRecord:
    path: Path
    rows: int
    first_day: date
    days: int
    agents: tuple[str, ...]
    queues: tuple[str, ...]


@dataclass
class _Agent:
    interface: str
    name: str
    queues: tuple[str, ...]
    login: float
    logout: float
    lunch: tuple[float, float]
    busy_until: float = 0.0

    def status(self, device: str, t: float) -> dict[str, str]:
        """Device status plus the pause state Asterisk reports with it at time t."""
        paused = self.lunch[0] <= t < self.lunch[1]
        return {
            "Status": device,
            "Paused": "1" if paused else "0",
            "PausedReason": "午餐" if paused else "",
        }


def _name(rng: random.Random) -> str:
    return (
        rng.choice(_SURNAMES)
        + rng.choice(_GIVEN)
        + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
    )


def _agents_for_day(rng: random.Random, day0: float, count: int) -> list[_Agent]:
    agents = []
    for i in range(count):
        shift = i % 3  # early, day and late shifts
        login = day0 + (7.5 + 4 * shift) * 3600 + rng.uniform(-600, 600)
        logout = login + 8 * 3600 + rng.uniform(-900, 900)
        lunch0 = login + rng.uniform(3.5, 4.5) * 3600
        k = 1 + (i % 3 == 0) + (i % 7 == 0)
        queues = tuple(sorted(set(rng.choices(QUEUES, QUEUE_WEIGHTS, k=k))))
        agents.append(
            _Agent(
                interface=f"PJSIP/{1001 + i}",
                name="",
                queues=queues,
                login=login,
                logout=logout,
                lunch=(lunch0, lunch0 + rng.uniform(1800, 3600)),
            )
        )
    return agents


Event = tuple[float, int, int, Any]  # (ts, tiebreak, table index, payload)


class _DayBuilder:
    def __init__(self, rng: random.Random, day0: float, agents: list[_Agent], calls: int) -> None:
        self.rng = rng
        self.day0 = day0
        self.agents = agents
        self.calls = calls
        self.events: list[Event] = []
        self._n = 0

    def ev(self, ts: float, name: str, fields: dict[str, str]) -> None:
        self._n += 1
        self.events.append((ts, self._n, JOURNAL, (name, fields)))

    def row(self, ts: float, table: str, content: tuple[Any, ...]) -> None:
        self._n += 1
        self.events.append((ts, self._n, TABLE_INDEX[table], content))

    def member(self, ts: float, name: str, a: _Agent, queue: str, **extra: str) -> None:
        fields = {
            "Queue": queue,
            "MemberName": a.name,
            "Interface": a.interface,
            "StateInterface": a.interface,
            "Membership": "dynamic",
            "Penalty": "0",
            "CallsTaken": "0",
            "Status": "1",
            "Paused": "0",
            "PausedReason": "",
            "Wrapuptime": "0",
        }
        fields.update(extra)
        self.ev(ts, name, fields)

    def build(self) -> list[Event]:
        rng = self.rng
        for a in self.agents:
            for q in a.queues:
                self.member(a.login, "QueueMemberAdded", a, q)
            for q in a.queues:
                self.member(a.lunch[0], "QueueMemberPause", a, q, Paused="1", PausedReason="午餐")
                self.member(a.lunch[1], "QueueMemberPause", a, q, Paused="0")
            for q in a.queues:
                self.member(a.logout, "QueueMemberRemoved", a, q)
        by_queue: dict[str, list[_Agent]] = {q: [] for q in QUEUES}
        for a in self.agents:
            for q in a.queues:
                by_queue[q].append(a)
        hours = rng.choices(range(24), _HOURLY, k=self.calls)
        arrivals = sorted(self.day0 + h * 3600 + rng.uniform(0, 3600) for h in hours)
        for k, t in enumerate(arrivals):
            self.call(k, t, rng.choices(QUEUES, QUEUE_WEIGHTS)[0], by_queue)
        self.supervisor_rows()
        self.events.sort()
        return self.events

    def call(self, k: int, t: float, queue: str, by_queue: dict[str, list[_Agent]]) -> None:
        rng = self.rng
        uid = f"{int(t)}.{k}"
        caller = f"1{rng.randrange(3000000000, 3999999999)}"
        self.ev(
            t,
            "QueueCallerJoin",
            {
                "Channel": f"PJSIP/trunk-{k:08x}",
                "CallerIDNum": caller,
                "Uniqueid": uid,
                "Linkedid": uid,
                "Queue": queue,
                "Position": "1",
                "Count": "1",
            },
        )
        patience = rng.expovariate(1 / 90.0)
        best: _Agent | None = None
        best_free = 0.0
        for a in by_queue[queue]:
            if not a.login <= t < a.logout:
                continue
            free = max(a.busy_until, t)
            if a.lunch[0] <= free < a.lunch[1]:
                free = a.lunch[1]
            if free + 900 >= a.logout:  # no new calls in the last quarter hour of a shift
                continue
            if best is None or free < best_free:
                best, best_free = a, free
        ring = rng.uniform(2, 8)
        if best is None or best_free + ring - t > patience:
            gone = t + patience
            hold = str(int(patience))
            leave = {"Queue": queue, "Uniqueid": uid, "Linkedid": uid, "Position": "1"}
            self.ev(
                gone, "QueueCallerAbandon", {**leave, "HoldTime": hold, "OriginalPosition": "1"}
            )
            self.ev(gone, "QueueCallerLeave", {**leave, "Count": "0"})
            return
        a = best
        answer = best_free + ring
        talk = min(max(20.0, rng.lognormvariate(5.0, 0.6)), a.logout - answer - 60)
        end = answer + talk
        a.busy_until = end + WRAPUP_S
        base = {
            "Queue": queue,
            "Interface": a.interface,
            "MemberName": a.name,
            "Uniqueid": uid,
            "Linkedid": uid,
        }
        self.ev(best_free, "AgentCalled", {**base, "DestChannel": f"{a.interface}-{k:08x}"})
        self.ev(best_free, "QueueMemberStatus", {**base, **a.status("6", best_free), "InCall": "0"})
        self.ev(
            answer,
            "QueueCallerLeave",
            {"Queue": queue, "Uniqueid": uid, "Linkedid": uid, "Count": "0"},
        )
        wait = str(int(answer - t))
        self.ev(answer, "AgentConnect", {**base, "HoldTime": wait, "RingTime": str(int(ring))})
        self.ev(answer, "QueueMemberStatus", {**base, **a.status("2", answer), "InCall": "1"})
        if rng.random() < 0.2:
            h0 = answer + talk * 0.4
            channel = {"Channel": f"{a.interface}-{k:08x}", "Uniqueid": uid, "Linkedid": uid}
            self.ev(h0, "Hold", channel)
            self.ev(h0 + min(60.0, talk * 0.3), "Unhold", channel)
        self.ev(
            end,
            "AgentComplete",
            {**base, "HoldTime": wait, "TalkTime": str(int(talk)), "Reason": "caller"},
        )
        self.ev(end, "QueueMemberStatus", {**base, **a.status("1", end), "InCall": "0"})

    def supervisor_rows(self) -> None:
        rng = self.rng
        for _ in range(5):
            a = rng.choice(self.agents)
            t = rng.uniform(a.login + 600, a.logout - 3600)
            self.row(t, "monitor_start", (a.interface, "listen", a.queues[0], None, None, "{}"))
            start_seq_marker = self._n  # resolved to a seq by the loader
            self.row(t + 60, "monitor_mode", (("ref", start_seq_marker), "whisper"))
            self.row(t + 120, "monitor_mode", (("ref", start_seq_marker), "barge"))
            self.row(t + 180, "monitor_end", (("ref", start_seq_marker), _CALL_CLEARED))
        for _ in range(10):
            a = rng.choice(self.agents)
            t = rng.uniform(a.login + 600, a.logout - 3600)
            params = json_text({"reason": "培训"})
            self.row(t, "action_intent", ("QueuePause", a.interface, a.queues[0], params))
            ref = self._n
            self.row(t + 0.05, "action_result", (("ref", ref), 1, "Success", 50))
        for i in range(3):
            t = self.day0 + (9 + 3 * i) * 3600 + rng.uniform(0, 3600)
            q = rng.choice(QUEUES)
            self.row(
                t, "alarm_raised", ("sl_low", "warning", q, None, f"{q} 服务水平低于 80%", "{}")
            )
            ref = self._n
            self.row(t + 90, "alarm_ack", (("ref", ref), "已通知班组长"))


def _stream(
    rng: random.Random, first_day: date, agents: int, calls_per_day: int
) -> Iterator[tuple[date, list[Event]]]:
    day = first_day
    names = [_name(rng) for _ in range(agents)]
    while True:
        day0 = datetime(day.year, day.month, day.day).timestamp()
        roster = _agents_for_day(rng, day0, agents)
        for a, n in zip(roster, names, strict=True):
            a.name = n
        calls = int(calls_per_day * rng.uniform(0.85, 1.15))
        yield day, _DayBuilder(rng, day0, roster, calls).build()
        day += timedelta(days=1)


def _insert(database: pw.Database, sqls: dict[int, str], batch: EncodedBatch) -> None:
    cursor = cursor_of(database)
    for actor in batch.new_actors:
        cursor.execute(
            'INSERT INTO "actor" ("id", "supervisor", "workstation") VALUES (?, ?, ?)', actor
        )
    for table, rows in batch.rows.items():
        cursor.executemany(sqls[table], rows)


def generate_record(
    path: Path,
    rows: int,
    *,
    seed: int = 7,
    agents: int = 150,
    calls_per_day: int = 9000,
    first_day: date = date(2026, 3, 2),
    snapshot_every_s: float = 300.0,
    snapshot_every_rows: int = 20_000,
) -> SyntheticRecord:
    """Write a new record of about `rows` rows (whole days) at `path` (must not exist)."""
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)
    database = pw.SqliteDatabase(str(path), autoconnect=False)
    database.connect()
    try:
        run_sql(database, "PRAGMA journal_mode=OFF")
        run_sql(database, "PRAGMA synchronous=OFF")
        run_sql(database, "PRAGMA cache_size=-200000")
        create_schema(database, with_indexes=False)
        sqls = {i: insert_sql(database, m) for i, m in enumerate(CHAINED_MODELS)}
        encoder = RowEncoder(
            last_seq=0,
            last_hash=GENESIS,
            actors={},
            reducer=FloorReducer(dict.fromkeys(QUEUES, WRAPUP_S)),
            snapshot_every_s=snapshot_every_s,
            snapshot_every_rows=snapshot_every_rows,
        )
        seq = 0
        days = 0
        agent_ids: tuple[str, ...] = ()
        refs: dict[int, int] = {}
        run_sql(database, "BEGIN")
        for _day, events in _stream(rng, first_day, agents, calls_per_day):
            days += 1
            for ts, marker, table, raw in events:
                seq += 1
                refs[marker] = seq
                payload = raw
                if table != JOURNAL and raw and isinstance(raw[0], tuple):
                    payload = (refs[raw[0][1]], *raw[1:])  # ("ref", marker) -> that row's seq
                encoder.add(table, seq, round(ts * 1_000_000), _ACTOR, payload)
                while encoder.due:
                    due = encoder.due.pop(0)
                    seq += 1
                    encoder.add(
                        FLOOR_SNAPSHOT, seq, due.ts_us, _ACTOR, (due.through_seq, due.state)
                    )
                if encoder.batch.count >= 50_000:
                    _insert(database, sqls, encoder.take_batch())
            refs.clear()
            if not agent_ids:
                agent_ids = tuple(f"PJSIP/{1001 + i}" for i in range(agents))
            if seq >= rows:
                break
            if days % 5 == 0:
                _insert(database, sqls, encoder.take_batch())
                run_sql(database, "COMMIT")
                run_sql(database, "BEGIN")
        _insert(database, sqls, encoder.take_batch())
        run_sql(
            database,
            'UPDATE "chain_head" SET "last_seq" = ?, "last_hash" = ? WHERE "id" = 1',
            (encoder.last_seq, encoder.last_hash),
        )
        run_sql(database, "COMMIT")
        create_indexes(database)
        run_sql(database, "PRAGMA journal_mode=WAL")
        run_sql(database, "ANALYZE")
    finally:
        database.close()
    return SyntheticRecord(path, seq, first_day, days, agent_ids, QUEUES)


def busiest_minutes(record: SyntheticRecord, count: int, seed: int = 1) -> list[float]:
    """Random minutes during opening hours of the generated days (replay targets)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        day = record.first_day + timedelta(days=rng.randrange(record.days))
        day0 = datetime(day.year, day.month, day.day).timestamp()
        out.append(day0 + rng.randrange(8 * 60, 20 * 60) * 60.0)
    return sorted(out)
