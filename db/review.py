"""Offline review of a record: read-only queries for the review window, exports and replay.

Rules:
- A Review may be used from any thread (e.g. a worker running a long replay), one call at a
  time: calls are serialised by a lock.
- `open_review` never writes (db/sqlite_files.py: `mode=ro`, immutable or a temporary copy on
  read-only media). It works on a record copied from another PC and on one a running console
  is writing; every method reads inside one transaction, so it sees one committed state.
- Queries are peewee expressions (portable); only file opening is SQLite-specific.
- Monitoring sessions, actions and alarms are rebuilt from their append-only rows: a session
  is its start row + mode rows + end row, an action its intent + result, an alarm its raised,
  acknowledged and cleared rows. Missing closing rows show as None (console stopped).
- Floor replay: the newest floor snapshot at or before the minute, then the journal rows after
  the snapshot's `through_seq` up to that minute (bounded by the next snapshot), through the
  reducer of db/floor_replay.py. With snapshots every 5 minutes or 20,000 rows that is at most
  one snapshot decode plus 20,000 rows, whatever the size of the record.
- Agent timelines assume journal time does not run backwards by more than a minute (the
  console stamps events on receipt); rows are applied in seq order.
- The interval table uses cti/state's definitions (metrics.py, intervals.py): a call counts
  in the interval in which it left the queue; talk time in the interval it was completed.
  Occupancy is not rebuilt (it needs agent time per queue) and is left empty.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any

import peewee as pw

from cti.state.config import FloorConfig, config_from_definitions
from cti.state.intervals import IntervalClock
from cti.state.metrics import IntervalCounts, IntervalMetrics, build_metrics
from db.dbapi import run_query
from db.errors import RecordError
from db.floor_replay import ALL_AGENTS, FloorAt, FloorReducer
from db.models import (
    CHAINED_MODELS,
    FloorSnapshot,
    Journal,
    RecordOpen,
    RetentionCut,
    bound_models,
    table_name,
)
from db.review_rows import (
    AckRow,
    ActionRow,
    AlarmChangeRow,
    AlarmRow,
    AuditEntry,
    DefinitionsPart,
    JournalRow,
    ModeSegment,
    MonitorSessionRow,
    ReviewFilter,
    SettingRow,
    SignInRow,
    StateSegment,
)
from db.schema import required_tables
from db.sqlite_files import ReadOnlyFile, open_read_only, translate
from db.zone import zone_from_details

_CHUNK = 500
DEFINITIONS = FloorConfig()  # the live floor's defaults, for a record opened without a console
EVERYTHING = ReviewFilter()
_TS_SLACK_US = 60_000_000  # how far journal time may run backwards (see module docstring)
INTERVAL_NAMES = (
    "QueueCallerJoin",
    "QueueCallerLeave",
    "QueueCallerAbandon",
    "AgentConnect",
    "AgentComplete",
)
# the rows supervisors and the console leave besides the PBX journal and its bookkeeping
_SUPERVISOR_TABLES = tuple(
    table_name(m)
    for m in CHAINED_MODELS
    if m not in (RecordOpen, Journal, FloorSnapshot, RetentionCut)
)
# after a leave, how long a connect/abandon may still follow before it is an "other exit"
_LEAVE_RESOLVE_S = 5.0


def _us(ts: float) -> int:
    return round(ts * 1_000_000)


def _s(ts_us: int) -> float:
    return ts_us / 1_000_000


def _json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def day_bounds(day: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """Local midnight to next local midnight (DST days are 23 or 25 hours)."""
    nxt = day + timedelta(days=1)
    if tz is None:
        return (
            datetime(day.year, day.month, day.day).timestamp(),
            datetime(nxt.year, nxt.month, nxt.day).timestamp(),
        )
    return (
        datetime(day.year, day.month, day.day, tzinfo=tz).timestamp(),
        datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp(),
    )


class _TimelineBuilder:
    """One agent's segments while the journal is replayed (see `Review.agent_timelines`)."""

    def __init__(self, agent: str, start: float) -> None:
        self.agent = agent
        self.start = start
        self.cur_t = start
        self.state = ""
        self.reason: str | None = None
        self.segments: list[StateSegment] = []

    def begin(self, reducer: FloorReducer) -> None:
        self.state, self.reason, _ = reducer.agent_state(self.agent, self.start)

    def _close_at(self, t: float, state: str, reason: str | None) -> None:
        if (self.state, self.reason) != (state, reason):
            if t > self.cur_t:
                self.segments.append(StateSegment(self.cur_t, t, self.state, self.reason))
                self.cur_t = t
            self.state, self.reason = state, reason

    def _expire(self, reducer: FloorReducer, before: float, inclusive: bool) -> None:
        """A wrap-up that ended without an event before `before` ends at its expiry."""
        pending = reducer.pending_change(self.agent, self.cur_t)
        if pending is not None and (pending <= before if inclusive else pending < before):
            state, reason, _ = reducer.agent_state(self.agent, pending)
            self._close_at(max(pending, self.start), state, reason)

    def before(self, reducer: FloorReducer, t: float) -> None:
        self._expire(reducer, t, inclusive=True)

    def after(self, reducer: FloorReducer, t: float) -> None:
        state, reason, _ = reducer.agent_state(self.agent, t)
        self._close_at(t, state, reason)

    def finish(self, reducer: FloorReducer, end: float) -> list[StateSegment]:
        self._expire(reducer, end, inclusive=False)
        if end > self.cur_t:
            self.segments.append(StateSegment(self.cur_t, end, self.state, self.reason))
        return self.segments


class Review:
    """A record opened read-only. Use `open_review(path)`; close() (or `with`) when done."""

    def __init__(self, handle: ReadOnlyFile, path: Path) -> None:
        self._handle = handle
        self.path = path
        self.database: pw.SqliteDatabase = handle.database
        self.meta = handle.meta
        self.record_id = handle.meta.get("record_id", "")
        self.schema_version = int(handle.meta.get("schema_version", "0"))
        self.note = handle.note  # how a read-only medium was handled ("" normally)
        self.m = bound_models(self.database)
        self._tables = required_tables(self.schema_version)
        self._actor_cache: dict[int, tuple[str, str]] = {}
        self._lock = threading.RLock()  # one query at a time, from any thread
        self._zone: tuple[tzinfo | None] | None = None
        self._samples: tuple[int, list[dict[str, Any]]] | None = None

    def close(self) -> None:
        with self._lock:
            self._handle.close()

    def has_table(self, table: str) -> bool:
        """False for a table added after this record's schema version (db/models.py SINCE)."""
        return table in self._tables

    def __enter__(self) -> Review:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def head(self) -> tuple[int, str]:
        """(last seq, its hash in hex) from the chain head row: the value to note down."""

        def work() -> tuple[int, str]:
            h = self.m["chain_head"]
            row = h.select(h.last_seq, h.last_hash).where(h.id == 1).tuples().first()
            return (int(row[0]), bytes(row[1]).hex()) if row else (0, "")

        return self._guard("read the chain head", work)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ helpers

    def _raw(self, query: Any) -> Iterator[tuple[Any, ...]]:
        """Rows of a query as plain DB-API tuples (no per-field peewee conversion: hot paths)."""
        cursor = run_query(self.database, query)
        while True:
            chunk = cursor.fetchmany(2048)
            if not chunk:
                return
            yield from chunk

    def _read(self) -> Any:
        return self.database.atomic()

    def _actors(self) -> dict[int, tuple[str, str]]:
        actor = self.m["actor"]
        rows = actor.select(actor.id, actor.supervisor, actor.workstation).tuples()
        self._actor_cache = {int(i): (str(s), str(w)) for i, s, w in rows}
        return self._actor_cache

    def _who(self, actor_id: int) -> tuple[str, str]:
        return self._actor_cache.get(actor_id, ("?", "?"))

    def _common(self, model: Any, f: ReviewFilter) -> list[Any]:
        conds: list[Any] = []
        if f.start is not None:
            conds.append(model.ts_us >= _us(f.start))
        if f.end is not None:
            conds.append(model.ts_us < _us(f.end))
        if f.supervisor is not None:
            ids = [i for i, (s, _) in self._actor_cache.items() if s == f.supervisor]
            conds.append(model.actor.in_(ids or [-1]))
        return conds

    @staticmethod
    def _where(query: Any, conds: list[Any]) -> Any:
        return query.where(*conds) if conds else query

    def _by_ref(self, table: str, column: str, refs: list[int], cols: list[str]) -> list[Any]:
        model = self.m[table]
        ref = getattr(model, column)
        out: list[Any] = []
        for chunk in _chunks(refs):
            fields = [getattr(model, c) for c in cols]
            out.extend(model.select(*fields).where(ref.in_(chunk)).order_by(model.seq).tuples())
        return out

    def _guard(self, doing: str, work: Callable[[], Any]) -> Any:
        try:
            with self._lock, self._read():
                self._actors()
                return work()
        except (pw.PeeweeException, OSError) as exc:
            raise translate(exc, self.path, doing) from exc

    # ------------------------------------------------------------------ overview

    def bounds(self) -> tuple[float, float] | None:
        """First and last journal time, or None for a record without PBX events."""
        result: tuple[float, float] | None = self._guard("read its time span", self._span)
        return result

    def record_span(self) -> tuple[float, float] | None:
        """First and last time of anything in the record: PBX events and the supervisors'
        rows (a console's sign-in comes before its first PBX event, its sign-out after the
        last). None for an empty record."""

        def work() -> tuple[float, float] | None:
            ends = list(self._span() or ())
            for name in _SUPERVISOR_TABLES:
                if not self.has_table(name):
                    continue
                t = self.m[name]
                low, high = t.select(pw.fn.MIN(t.ts_us), pw.fn.MAX(t.ts_us)).tuples().first()
                ends += [_s(int(x)) for x in (low, high) if x is not None]
            return (min(ends), max(ends)) if ends else None

        return self._guard("read its time span", work)  # type: ignore[no-any-return]

    def _span(self) -> tuple[float, float] | None:
        j = self.m["journal"]
        low = j.select(j.ts_us).order_by(j.seq).limit(1).scalar()
        high = j.select(j.ts_us).order_by(j.seq.desc()).limit(1).scalar()
        if low is None or high is None:
            return None
        return _s(int(low)), _s(int(high))

    def _seq_bounds(self, start_us: int | None, end_us: int | None) -> tuple[int, int | None]:
        """(after, upto): journal rows of [start, end) have after < seq <= upto.

        The journal has no plain time index; floor snapshots say which seq was current when
        (`through_seq`), and seq order follows time order within _TS_SLACK_US.
        """
        snap = self.m["floor_snapshot"]
        after = 0
        upto: int | None = None
        if start_us is not None:
            lo = (
                snap.select(snap.through_seq)
                .where(snap.ts_us <= start_us - _TS_SLACK_US)
                .order_by(snap.ts_us.desc(), snap.seq.desc())
                .limit(1)
                .scalar()
            )
            after = int(lo) if lo is not None else 0
        if end_us is not None:
            hi = (
                snap.select(snap.through_seq)
                .where(snap.ts_us >= end_us + _TS_SLACK_US)
                .order_by(snap.ts_us, snap.seq)
                .limit(1)
                .scalar()
            )
            upto = int(hi) if hi is not None else None
        return after, upto

    def _journal_range(self, start_us: int | None, end_us: int | None) -> list[Any]:
        """Conditions selecting journal rows of [start, end) as a seq (rowid) range scan."""
        j = self.m["journal"]
        after, upto = self._seq_bounds(start_us, end_us)
        conds: list[Any] = [j.seq > after]
        if upto is not None:
            conds.append(j.seq <= upto)
        if start_us is not None:
            conds.append(j.ts_us >= start_us)
        if end_us is not None:
            conds.append(j.ts_us < end_us)
        return conds

    def _sampled_states(self) -> list[dict[str, Any]]:
        """Floor snapshots spread over the record, then the floor at its end (who and which
        queues existed when; the newest last). Kept until the record grows: the window asks
        for agents, names and queues in a row."""
        head = self.head()[0]
        if self._samples is None or self._samples[0] != head:
            self._samples = (head, self._read_samples())
        return self._samples[1]

    def _read_samples(self, samples: int = 12) -> list[dict[str, Any]]:
        snap = self.m["floor_snapshot"]
        low = snap.select(pw.fn.MIN(snap.seq)).scalar()
        high = snap.select(pw.fn.MAX(snap.seq)).scalar()
        end = self._end_state()
        if low is None or high is None:
            return [end] if end is not None else []
        # One primary-key seek per sample: a long record holds tens of thousands of
        # snapshots (hundreds of MB), which must not be scanned to pick a dozen.
        picked: set[int] = {int(high)}
        for k in range(samples):
            target = int(low) + (int(high) - int(low)) * k // samples
            seq = snap.select(snap.seq).where(snap.seq >= target).order_by(snap.seq).limit(1)
            found = seq.scalar()
            if found is not None:
                picked.add(int(found))
        out = []
        for (state,) in self._raw(
            snap.select(snap.state).where(snap.seq.in_(sorted(picked))).order_by(snap.seq)
        ):
            try:
                out.append(json.loads(state))
            except ValueError:
                continue
        if end is not None:
            out.append(end)
        return out

    def _end_state(self) -> dict[str, Any] | None:
        """The floor at the record's last PBX event: the newest snapshot plus the journal
        since (at most one snapshot interval). Without it a record shorter than the snapshot
        interval, or agents who joined after the last snapshot, would name nobody."""
        span = self._span()
        if span is None:
            return None
        reducer, _, _ = self._reducer_at(span[1])
        state: dict[str, Any] = json.loads(reducer.to_json())
        return state

    def supervisors(self) -> list[str]:
        names: list[str] = self._guard(
            "list supervisors", lambda: sorted({s for s, _ in self._actor_cache.values()})
        )
        return names

    def _distinct(self, model: Any, column: Any, conds: Iterable[Any] = ()) -> list[str]:
        """Distinct non-null values by index seeks (fast on a large indexed column)."""
        found: list[str] = []
        last: str | None = None
        extra = list(conds)
        while True:
            query = model.select(column).where(column.is_null(False), *extra)
            if last is not None:
                query = query.where(column > last)
            value = query.order_by(column).limit(1).scalar()
            if value is None:
                return found
            found.append(str(value))
            last = str(value)

    def queues(self) -> list[str]:
        """Queues seen in floor snapshots across the record and in the audit tables."""

        def work() -> list[str]:
            names: set[str] = set()
            for state in self._sampled_states():
                names.update(state.get("queues", {}).keys())
            for table in ("action_intent", "monitor_start", "alarm_raised"):
                model = self.m[table]
                names.update(self._distinct(model, model.queue))
            return sorted(names)

        return self._guard("list queues", work)  # type: ignore[no-any-return]

    def agents(self) -> list[str]:
        """Agents (queue members) seen in floor snapshots, plus agents named by the audit rows."""

        def work() -> list[str]:
            names: set[str] = set()
            for state in self._sampled_states():
                names.update(state.get("agents", {}).keys())
            for table in ("action_intent", "monitor_start"):
                model = self.m[table]
                names.update(self._distinct(model, model.agent))
            return sorted(names)

        return self._guard("list agents", work)  # type: ignore[no-any-return]

    def queue_members(self, queue: str) -> list[str]:
        """Agents who were members of `queue` in a sampled floor snapshot or at the record's
        end (the agents a queue's timeline page lists)."""

        def work() -> list[str]:
            members: set[str] = set()
            for state in self._sampled_states():
                entry = state.get("queues", {}).get(queue)
                if entry and len(entry) > 1:
                    members.update(str(m) for m in entry[1])
            return sorted(members)

        return self._guard("list a queue's agents", work)  # type: ignore[no-any-return]

    def agent_names(self) -> dict[str, str]:
        """Agent interface -> its name as the floor snapshots give it (the newest sampled)."""

        def work() -> dict[str, str]:
            names: dict[str, str] = {}
            for state in self._sampled_states():
                for interface, values in state.get("agents", {}).items():
                    if values and values[0]:
                        names[interface] = str(values[0])
            return names

        return self._guard("list agents", work)  # type: ignore[no-any-return]

    def action_names(self) -> list[str]:
        a = self.m["action_intent"]
        return self._guard("list actions", lambda: self._distinct(a, a.action))  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ tables

    def monitor_sessions(self, f: ReviewFilter = EVERYTHING) -> list[MonitorSessionRow]:
        def work() -> list[MonitorSessionRow]:
            m = self.m["monitor_start"]
            conds = self._common(m, f)
            if f.agent is not None:
                conds.append(m.agent == f.agent)
            if f.queue is not None:
                conds.append(m.queue == f.queue)
            cols = (
                m.seq,
                m.ts_us,
                m.actor,
                m.agent,
                m.mode,
                m.queue,
                m.linkedid,
                m.caller,
                m.details,
            )
            starts = list(self._where(m.select(*cols), conds).order_by(m.seq).tuples())
            refs = [int(r[0]) for r in starts]
            modes: dict[int, list[tuple[int, str]]] = {}
            for session, ts_us, mode in self._by_ref(
                "monitor_mode", "session_seq", refs, ["session_seq", "ts_us", "mode"]
            ):
                modes.setdefault(int(session), []).append((int(ts_us), str(mode)))
            ends: dict[int, tuple[int, str]] = {}
            for session, ts_us, reason in self._by_ref(
                "monitor_end", "session_seq", refs, ["session_seq", "ts_us", "reason"]
            ):
                ends.setdefault(int(session), (int(ts_us), str(reason)))
            out: list[MonitorSessionRow] = []
            for seq, ts_us, actor, agent, mode, queue, linkedid, caller, details in starts:
                end = ends.get(int(seq))
                end_s = _s(end[0]) if end else None
                changes = [(int(ts_us), str(mode)), *modes.get(int(seq), [])]
                segments = []
                for i, (t, md) in enumerate(changes):
                    seg_end = _s(changes[i + 1][0]) if i + 1 < len(changes) else end_s
                    segments.append(ModeSegment(md, _s(t), seg_end))
                sup, ws = self._who(int(actor))
                out.append(
                    MonitorSessionRow(
                        seq=int(seq),
                        started=_s(int(ts_us)),
                        ended=end_s,
                        supervisor=sup,
                        workstation=ws,
                        agent=str(agent),
                        queue=queue,
                        linkedid=linkedid,
                        caller=caller,
                        end_reason=end[1] if end else None,
                        segments=tuple(segments),
                        details=_json(details) or {},
                    )
                )
            return out

        return self._guard("read monitoring sessions", work)  # type: ignore[no-any-return]

    def actions(self, f: ReviewFilter = EVERYTHING) -> list[ActionRow]:
        def work() -> list[ActionRow]:
            a = self.m["action_intent"]
            conds = self._common(a, f)
            if f.agent is not None:
                conds.append(a.agent == f.agent)
            if f.queue is not None:
                conds.append(a.queue == f.queue)
            if f.action is not None:
                conds.append(a.action == f.action)
            cols = (a.seq, a.ts_us, a.actor, a.action, a.agent, a.queue, a.params)
            intents = list(self._where(a.select(*cols), conds).order_by(a.seq).tuples())
            results: dict[int, tuple[Any, ...]] = {}
            for row in self._by_ref(
                "action_result",
                "intent_seq",
                [int(r[0]) for r in intents],
                ["intent_seq", "seq", "ts_us", "ok", "result", "duration_ms"],
            ):
                results.setdefault(int(row[0]), row)
            out = []
            for seq, ts_us, actor, action, agent, queue, params in intents:
                res = results.get(int(seq))
                sup, ws = self._who(int(actor))
                out.append(
                    ActionRow(
                        seq=int(seq),
                        ts=_s(int(ts_us)),
                        supervisor=sup,
                        workstation=ws,
                        action=str(action),
                        agent=agent,
                        queue=queue,
                        params=_json(params) or {},
                        result_seq=int(res[1]) if res else None,
                        ok=bool(res[3]) if res else None,
                        result=str(res[4]) if res else None,
                        duration_ms=int(res[5]) if res and res[5] is not None else None,
                        completed=_s(int(res[2])) if res else None,
                    )
                )
            return out

        return self._guard("read actions", work)  # type: ignore[no-any-return]

    def alarms(self, f: ReviewFilter = EVERYTHING) -> list[AlarmRow]:
        def work() -> list[AlarmRow]:
            a = self.m["alarm_raised"]
            conds = self._common(a, f)
            if f.agent is not None:
                conds.append(a.agent == f.agent)
            if f.queue is not None:
                conds.append(a.queue == f.queue)
            cols = (
                a.seq,
                a.ts_us,
                a.actor,
                a.rule,
                a.severity,
                a.queue,
                a.agent,
                a.message,
                a.details,
            )
            raised = list(self._where(a.select(*cols), conds).order_by(a.seq).tuples())
            refs = [int(r[0]) for r in raised]
            acks: dict[int, list[AckRow]] = {}
            for alarm_seq, seq, ts_us, actor, comment in self._by_ref(
                "alarm_ack", "alarm_seq", refs, ["alarm_seq", "seq", "ts_us", "actor", "comment"]
            ):
                sup, ws = self._who(int(actor))
                acks.setdefault(int(alarm_seq), []).append(
                    AckRow(int(seq), _s(int(ts_us)), sup, ws, str(comment))
                )
            changes: dict[int, list[AlarmChangeRow]] = {}
            if self.has_table("alarm_change"):
                for alarm_seq, seq, ts_us, change, severity, message in self._by_ref(
                    "alarm_change",
                    "alarm_seq",
                    refs,
                    ["alarm_seq", "seq", "ts_us", "change", "severity", "message"],
                ):
                    changes.setdefault(int(alarm_seq), []).append(
                        AlarmChangeRow(
                            int(seq), _s(int(ts_us)), str(change), str(severity), str(message)
                        )
                    )
            cleared: dict[int, tuple[float, str]] = {}
            for alarm_seq, ts_us, reason in self._by_ref(
                "alarm_cleared", "alarm_seq", refs, ["alarm_seq", "ts_us", "reason"]
            ):
                cleared.setdefault(int(alarm_seq), (_s(int(ts_us)), str(reason)))
            out = []
            for seq, ts_us, actor, rule, severity, queue, agent, message, details in raised:
                sup, ws = self._who(int(actor))
                clr = cleared.get(int(seq))
                out.append(
                    AlarmRow(
                        seq=int(seq),
                        ts=_s(int(ts_us)),
                        supervisor=sup,
                        workstation=ws,
                        rule=str(rule),
                        severity=str(severity),
                        queue=queue,
                        agent=agent,
                        message=str(message),
                        details=_json(details) or {},
                        acks=tuple(acks.get(int(seq), [])),
                        cleared=clr[0] if clr else None,
                        cleared_reason=clr[1] if clr else None,
                        changes=tuple(changes.get(int(seq), [])),
                    )
                )
            return out

        return self._guard("read alarms", work)  # type: ignore[no-any-return]

    def sign_ins(self, f: ReviewFilter = EVERYTHING) -> list[SignInRow]:
        def work() -> list[SignInRow]:
            s = self.m["sign_in"]
            cols = (s.seq, s.ts_us, s.actor, s.account, s.outcome, s.method)
            rows = self._where(s.select(*cols), self._common(s, f)).order_by(s.seq).tuples()
            out = []
            for seq, ts_us, actor, account, outcome, method in rows:
                sup, ws = self._who(int(actor))
                out.append(
                    SignInRow(
                        int(seq), _s(int(ts_us)), sup, ws, str(account), str(outcome), str(method)
                    )
                )
            return out

        return self._guard("read sign-ins", work)  # type: ignore[no-any-return]

    def setting_changes(self, f: ReviewFilter = EVERYTHING) -> list[SettingRow]:
        def work() -> list[SettingRow]:
            s = self.m["setting_change"]
            cols = (s.seq, s.ts_us, s.actor, s.setting, s.old_value, s.new_value)
            rows = self._where(s.select(*cols), self._common(s, f)).order_by(s.seq).tuples()
            out = []
            for seq, ts_us, actor, setting, old, new in rows:
                sup, ws = self._who(int(actor))
                out.append(
                    SettingRow(
                        int(seq), _s(int(ts_us)), sup, ws, str(setting), _json(old), _json(new)
                    )
                )
            return out

        return self._guard("read setting changes", work)  # type: ignore[no-any-return]

    def journal(
        self, f: ReviewFilter = EVERYTHING, limit: int = 10_000, offset: int = 0
    ) -> list[JournalRow]:
        """PBX events (agent = interface column, queue = queue column), oldest first."""

        def work() -> list[JournalRow]:
            j = self.m["journal"]
            conds = self._journal_range(
                _us(f.start) if f.start is not None else None,
                _us(f.end) if f.end is not None else None,
            )
            if f.supervisor is not None:
                ids = [i for i, (sv, _) in self._actor_cache.items() if sv == f.supervisor]
                conds.append(j.actor.in_(ids or [-1]))
            if f.agent is not None:
                conds.append(j.interface == f.agent)
            if f.queue is not None:
                conds.append(j.queue == f.queue)
            cols = (j.seq, j.ts_us, j.name, j.interface, j.queue, j.linkedid, j.fields)
            query = self._where(j.select(*cols), conds).order_by(j.seq).limit(limit).offset(offset)
            return [
                JournalRow(int(seq), _s(int(ts)), str(name), iface, queue, lid, _json(fields) or {})
                for seq, ts, name, iface, queue, lid, fields in query.tuples()
            ]

        return self._guard("read PBX events", work)  # type: ignore[no-any-return]

    def sessions(self) -> list[tuple[int, float, dict[str, Any]]]:
        """Every console session: (its record_open seq, ts, details), oldest first."""

        def work() -> list[tuple[int, float, dict[str, Any]]]:
            o = self.m["record_open"]
            out = []
            for seq, ts_us, details in self._raw(
                o.select(o.seq, o.ts_us, o.details).order_by(o.seq).tuples()
            ):
                data = _json(details)
                out.append((int(seq), _s(int(ts_us)), data if isinstance(data, dict) else {}))
            return out

        return self._guard("list the console sessions", work)  # type: ignore[no-any-return]

    def journal_seq_at(self, ts: float) -> int | None:
        """The seq of the first PBX event at or after `ts` (by the time index), else None."""

        def work() -> int | None:
            j = self.m["journal"]
            query = j.select(j.seq).where(j.ts_us >= _us(ts)).order_by(j.ts_us, j.seq).limit(1)
            seq = query.scalar()
            return int(seq) if seq is not None else None

        return self._guard("read PBX events", work)  # type: ignore[no-any-return]

    def journal_page(
        self, after_seq: int, before_seq: int, since: float, limit: int = 5_000
    ) -> list[tuple[int, float, str, str]]:
        """Raw PBX events (seq, ts, name, fields as JSON text) with after_seq < seq <
        before_seq and ts >= since, in seq order: page on by passing the last seq back."""

        def work() -> list[tuple[int, float, str, str]]:
            j = self.m["journal"]
            query = (
                j.select(j.seq, j.ts_us, j.name, j.fields)
                .where(j.seq > after_seq, j.seq < before_seq, j.ts_us >= _us(since))
                .order_by(j.seq)
                .limit(limit)
                .tuples()
            )
            return [
                (int(seq), _s(int(ts)), str(name), str(fields))
                for seq, ts, name, fields in self._raw(query)
            ]

        return self._guard("read PBX events", work)  # type: ignore[no-any-return]

    def audit_trail(self, f: ReviewFilter = EVERYTHING) -> list[AuditEntry]:
        """Every supervisor-side row (not PBX events or snapshots) in chain order."""

        def work() -> list[AuditEntry]:
            entries: list[AuditEntry] = []
            for kind, model, agent_col, queue_col, action_col, summary in _AUDIT_KINDS:
                entries.extend(
                    self._audit_kind(f, kind, model, agent_col, queue_col, action_col, summary)
                )
            entries.sort(key=lambda e: e.seq)
            return entries

        return self._guard("read the audit trail", work)  # type: ignore[no-any-return]

    def _audit_kind(
        self,
        f: ReviewFilter,
        kind: str,
        table: str,
        agent_col: str | None,
        queue_col: str | None,
        action_col: str | None,
        summary: Callable[[dict[str, Any]], str],
    ) -> list[AuditEntry]:
        model = self.m[table]
        if not self.has_table(table):
            return []
        if f.action is not None and action_col is None:
            return []
        if f.agent is not None and agent_col is None:
            return []
        if f.queue is not None and queue_col is None:
            return []
        conds = self._common(model, f)
        if f.agent is not None and agent_col is not None:
            conds.append(getattr(model, agent_col) == f.agent)
        if f.queue is not None and queue_col is not None:
            conds.append(getattr(model, queue_col) == f.queue)
        if f.action is not None and action_col is not None:
            conds.append(getattr(model, action_col) == f.action)
        names = [fld.name for fld in model._meta.sorted_fields]
        rows = self._where(model.select(), conds).order_by(model.seq).dicts()
        out = []
        for row in rows:
            sup, ws = self._who(int(row["actor"]))
            out.append(
                AuditEntry(
                    seq=int(row["seq"]),
                    ts=_s(int(row["ts_us"])),
                    kind=kind,
                    supervisor=sup,
                    workstation=ws,
                    agent=row.get(agent_col) if agent_col else None,
                    queue=row.get(queue_col) if queue_col else None,
                    action=row.get(action_col) if action_col else None,
                    summary=summary({k: row[k] for k in names}),
                    row_hash=bytes(row["row_hash"]).hex(),
                )
            )
        return out

    # ------------------------------------------------------------------ replay

    def snapshot_times(self) -> list[float]:
        """Times of the floor snapshots (where replay jumps are cheapest)."""
        snap = self.m["floor_snapshot"]
        return self._guard(  # type: ignore[no-any-return]
            "list floor snapshots",
            lambda: [_s(int(t)) for (t,) in snap.select(snap.ts_us).order_by(snap.ts_us).tuples()],
        )

    def _snapshot_before(self, ts_us: int) -> tuple[FloorReducer, int, int | None, int | None]:
        """(reducer, through_seq, snapshot ts_us, upper seq bound from the next snapshot)."""
        snap = self.m["floor_snapshot"]
        row = (
            snap.select(snap.through_seq, snap.state, snap.ts_us)
            .where(snap.ts_us <= ts_us)
            .order_by(snap.ts_us.desc(), snap.seq.desc())
            .limit(1)
            .tuples()
            .first()
        )
        nxt = (
            snap.select(snap.through_seq)
            .where(snap.ts_us > ts_us)
            .order_by(snap.ts_us, snap.seq)
            .limit(1)
            .scalar()
        )
        upper = int(nxt) if nxt is not None else None
        if row is None:
            # Before the first snapshot, wrap-up comes from the session's recorded definitions
            # (Asterisk reports none when the queue leaves it to the console).
            config, _ = self.definitions_at(_s(ts_us))
            reducer = FloorReducer(config.wrapup_by_queue, config.wrapup_s)
            reducer.zone = self.zone
            return reducer, 0, None, upper
        try:
            reducer = FloorReducer.from_json(str(row[1]))
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise RecordError(
                f"floor snapshot at {row[2]} is unreadable: {exc}", self.path
            ) from exc
        reducer.zone = self.zone
        return reducer, int(row[0]), int(row[2]), upper

    def _replay_rows(
        self, after_seq: int, upper_seq: int | None, until_us: int, names: tuple[str, ...]
    ) -> Any:
        j = self.m["journal"]
        conds = [j.seq > after_seq, j.ts_us <= until_us, j.name.in_(names)]
        if upper_seq is not None:
            conds.append(j.seq <= upper_seq)
        return j.select(j.ts_us, j.name, j.fields).where(*conds).order_by(j.seq).tuples()

    def _reducer_at(
        self, ts: float, progress: Callable[[int], bool] | None = None
    ) -> tuple[FloorReducer, int | None, int]:
        """The floor reducer as of `ts`: the snapshot before it plus the journal since.
        (reducer, the snapshot's ts_us or None, journal rows applied)."""
        until = _us(ts)
        reducer, through, snap_ts, upper = self._snapshot_before(until)
        names = reducer.event_names
        applied = 0
        for ts_us, name, fields in self._raw(self._replay_rows(through, upper, until, names)):
            try:
                reducer.apply(_s(int(ts_us)), str(name), json.loads(fields))
            except ValueError:
                continue
            applied += 1
            if progress is not None and applied % 2000 == 0 and not progress(applied):
                raise RecordError("replay cancelled", self.path)
        return reducer, snap_ts, applied

    def floor_at(self, ts: float, progress: Callable[[int], bool] | None = None) -> FloorAt:
        """The floor at `ts`: agents' states and queues' waiting callers.

        `progress(rows_applied)` is called every 2,000 rows; returning False cancels
        (RecordError). Cost is bounded by the snapshot spacing, not the record size.
        """

        def work() -> FloorAt:
            reducer, snap_ts, applied = self._reducer_at(ts, progress)
            floor = reducer.floor_at(ts)
            return FloorAt(
                ts=floor.ts,
                agents=floor.agents,
                queues=floor.queues,
                snapshot_ts=_s(snap_ts) if snap_ts is not None else None,
                events_applied=applied,
            )

        return self._guard("replay the floor", work)  # type: ignore[no-any-return]

    def agent_timeline(self, agent: str, day: date) -> list[StateSegment]:
        """The agent's states over one day of the record's zone, as contiguous segments.

        Only the part of the day the record covers (its first to its last PBX event): before
        and after, the record does not know the agent's state.
        """
        return self.agent_timelines([agent], day)[agent]

    def agent_timelines(self, agents: Sequence[str], day: date) -> dict[str, list[StateSegment]]:
        """`agent_timeline` for several agents at once: one snapshot and one pass over their
        journal rows, instead of one each (a page of the review window's timelines)."""
        day_start, day_end = day_bounds(day, self.zone)
        wanted = list(dict.fromkeys(agents))

        def work() -> dict[str, list[StateSegment]]:
            span = self._span()
            if span is None or span[0] >= day_end or span[1] <= day_start:
                return {a: [] for a in wanted}
            start, end = max(day_start, span[0]), min(day_end, span[1])
            start_us, end_us = _us(start), _us(end)
            reducer, through, snap_ts, _ = self._snapshot_before(start_us)
            j = self.m["journal"]
            lower_ts = (snap_ts if snap_ts is not None else 0) - _TS_SLACK_US
            rows = (
                j.select(j.ts_us, j.interface, j.name, j.fields)
                .where(
                    j.interface.in_([*wanted, ALL_AGENTS]),
                    j.ts_us >= lower_ts,
                    j.ts_us < end_us,
                    j.seq > through,
                    j.name.in_(reducer.event_names),
                )
                .order_by(j.seq)
            )
            lines = {a: _TimelineBuilder(a, start) for a in wanted}
            started = False
            for ts_us, interface, name, fields in self._raw(rows):
                t = _s(int(ts_us))
                try:
                    data = json.loads(fields)
                except ValueError:
                    continue
                if t < start:
                    reducer.apply(t, str(name), data)
                    continue
                if not started:
                    started = True
                    for line in lines.values():
                        line.begin(reducer)
                own = lines.get(str(interface))
                affected = [own] if own is not None else list(lines.values())
                for line in affected:
                    line.before(reducer, t)
                reducer.apply(t, str(name), data)
                for line in affected:
                    line.after(reducer, t)
            out: dict[str, list[StateSegment]] = {}
            for agent, builder in lines.items():
                if not started:
                    builder.begin(reducer)
                out[agent] = builder.finish(reducer, end)
            return out

        return self._guard("build the agent timeline", work)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ intervals

    @property
    def zone(self) -> tzinfo | None:
        """The time zone of the record's days and clock times: the zone of the last console
        session that named one (db/zone.py); None (this PC's zone) for older records."""
        if self._zone is None:
            self._zone = (self._guard("read the record's time zone", self._recorded_zone),)
        return self._zone[0]

    def _recorded_zone(self) -> tzinfo | None:
        o = self.m["record_open"]
        rows = o.select(o.details).order_by(o.ts_us.desc(), o.seq.desc()).tuples()
        for (details,) in self._raw(rows):
            data = _json(details)
            zone = zone_from_details(data.get("zone")) if isinstance(data, dict) else None
            if zone is not None:
                return zone
        return None

    def definitions_at(
        self, ts: float, base: FloorConfig = DEFINITIONS
    ) -> tuple[FloorConfig, float | None]:
        """The figures' definitions the console writing the record ran with at `ts` (from its
        session's record_open row; the console applies changed definitions from its next
        start), and when that session began. (`base`, None) when the record has none. Either
        way in the record's zone (`zone`), whose days and intervals the figures count."""
        zone = self.zone
        base = replace(base, tz=zone) if zone is not None else base

        def work() -> tuple[FloorConfig, float | None]:
            o = self.m["record_open"]
            rows = (
                o.select(o.ts_us, o.details)
                .where(o.ts_us <= _us(ts))
                .order_by(o.ts_us.desc(), o.seq.desc())
                .tuples()
            )
            for ts_us, details in self._raw(rows):
                data = _json(details)
                floor = data.get("floor") if isinstance(data, dict) else None
                if isinstance(floor, dict):
                    return config_from_definitions(floor, base), _s(int(ts_us))
            return base, None

        return self._guard("read the floor definitions", work)  # type: ignore[no-any-return]

    def definitions_parts(
        self, day: date, base: FloorConfig = DEFINITIONS
    ) -> list[DefinitionsPart]:
        """The day cut where a console session with other definitions started, each cut moved
        on to the next boundary both sessions' intervals share: an interval counts whole, by
        the definitions of the session running when it began. One part on most days."""
        zone = self.zone
        day_start, day_end = day_bounds(day, zone)
        config, since = self.definitions_at(day_start, base)
        parts: list[list[Any]] = [[day_start, config, since]]
        for _seq, ts, details in self.sessions():
            floor = details.get("floor")
            if not (day_start < ts < day_end and isinstance(floor, dict)):
                continue
            later = replace(config_from_definitions(floor, base), tz=zone)
            last = parts[-1]
            if last[2] is None:  # nothing ran before this session today: it defines the start
                last[1], last[2] = later, ts
                continue
            if later == last[1]:
                continue
            length = max(last[1].interval_minutes, later.interval_minutes)
            clock = IntervalClock(length, zone)
            cut = clock.interval_start(ts)
            if cut < ts:
                cut = clock.interval_bounds(ts)[1]
            if cut >= day_end:
                break
            if cut <= last[0]:
                last[1], last[2] = later, ts
            else:
                parts.append([cut, later, ts])
        ends = [p[0] for p in parts[1:]] + [day_end]
        return [DefinitionsPart(p[0], end, p[1], p[2]) for p, end in zip(parts, ends, strict=True)]

    def day_intervals(
        self, day: date, base: FloorConfig = DEFINITIONS, *, queue: str | None = None
    ) -> tuple[dict[str, list[IntervalMetrics]], list[DefinitionsPart]]:
        """Per queue, the intervals of a past day that had traffic, each counted by the
        definitions the floor ran with then (`definitions_parts`), and those parts."""
        parts = self.definitions_parts(day, base)

        def work() -> dict[str, list[IntervalMetrics]]:
            table: dict[str, list[IntervalMetrics]] = {}
            for part in parts:
                counts = self._interval_counts(part.config, part.start, part.end, part.end, queue)
                for (q, _s0), c in sorted(counts.items()):
                    table.setdefault(q, []).append(_metrics(c, q, part.config))
            return {q: sorted(ms, key=lambda m: m.start) for q, ms in sorted(table.items())}

        return self._guard("build the interval table", work), parts

    def interval_table(
        self, day: date, config: FloorConfig = DEFINITIONS, *, queue: str | None = None
    ) -> dict[str, list[IntervalMetrics]]:
        """Per queue, the intervals of a past day that had traffic, by the live floor's
        definitions in `config` (interval, T and wrap-up per queue, SL formula)."""
        start, end = day_bounds(day, config.tz)

        def work() -> dict[str, list[IntervalMetrics]]:
            counts = self._interval_counts(config, start, end, end, queue)
            table: dict[str, list[IntervalMetrics]] = {}
            for (q, _s0), c in sorted(counts.items()):
                table.setdefault(q, []).append(_metrics(c, q, config))
            return table

        return self._guard("build the interval table", work)  # type: ignore[no-any-return]

    def interval_at(
        self, ts: float, config: FloorConfig = DEFINITIONS
    ) -> dict[str, IntervalMetrics]:
        """Per queue, the interval holding `ts` as the live queue meter showed it at `ts`:
        only calls that had left the queue by then are counted (floor replay's queue cards)."""
        start, end = IntervalClock(config.interval_minutes, config.tz).interval_bounds(ts)

        def work() -> dict[str, IntervalMetrics]:
            counts = self._interval_counts(config, start, end, ts, None)
            return {q: _metrics(c, q, config) for (q, _s0), c in counts.items()}

        return self._guard("rebuild the queue figures", work)  # type: ignore[no-any-return]

    def _interval_counts(
        self,
        config: FloorConfig,
        start: float,
        end: float,
        until: float,
        queue: str | None,
    ) -> dict[tuple[str, float], IntervalCounts]:
        """Counts per (queue, interval start) of what happened in [start, end) up to `until`."""
        clock = IntervalClock(config.interval_minutes, config.tz)
        j = self.m["journal"]
        counts: dict[tuple[str, float], IntervalCounts] = {}

        def bucket(q: str, t: float) -> IntervalCounts | None:
            if not start <= t < end or t > until:
                return None
            s0, s1 = clock.interval_bounds(t)
            c = counts.get((q, s0))
            if c is None:
                c = counts[(q, s0)] = IntervalCounts(s0, s1)
            return c

        # One rowid-range scan (plus a margin either side) for all five kinds, split by kind;
        # a call's outcome does not depend on the order kinds are read in. The margin before
        # finds the joins of calls that waited across the start; the one after, the connect
        # or abandon that settles a leave just before the end.
        lo_us, hi_us = _us(start - 3600), _us(min(end, until) + _LEAVE_RESOLVE_S)
        conds = [*self._journal_range(lo_us, hi_us), j.name.in_(INTERVAL_NAMES)]
        if queue is not None:
            conds.append(j.queue == queue)
        kinds: dict[str, list[tuple[Any, ...]]] = {n: [] for n in INTERVAL_NAMES}
        scan = j.select(j.name, j.ts_us, j.queue, j.linkedid, j.fields).where(*conds)
        for name, ts_us, q, linkedid, fields in self._raw(scan):
            kinds[name].append((ts_us, q, linkedid, fields))

        joined: dict[str, float] = {}
        for ts_us, q, linkedid, _f in kinds["QueueCallerJoin"]:
            t = _s(ts_us)
            joined[str(linkedid)] = t
            c = bucket(q, t) if q is not None else None
            if c is not None:
                c.arrivals += 1
        settled: set[str] = set()
        for ts_us, q, linkedid, fields in kinds["AgentConnect"]:
            settled.add(str(linkedid))
            c = bucket(q, _s(ts_us)) if q is not None else None
            if c is not None:
                c.add_answered(_field_number(fields, "HoldTime"), config.threshold(q))
        for ts_us, q, linkedid, fields in kinds["QueueCallerAbandon"]:
            settled.add(str(linkedid))
            c = bucket(q, _s(ts_us)) if q is not None else None
            if c is not None:
                wait = _field_number(fields, "HoldTime")
                c.add_abandoned(wait, config.threshold(q), config.short_abandon_s)
        for ts_us, q, linkedid, _f in kinds["QueueCallerLeave"]:
            call = str(linkedid)
            if call in settled or q is None:
                continue
            t = _s(ts_us)
            c = bucket(q, t)
            if c is not None:
                j_at = joined.get(call)
                c.add_other_exit(max(0.0, t - j_at) if j_at is not None else None)
        for ts_us, q, _linkedid, fields in kinds["AgentComplete"]:
            c = bucket(q, _s(ts_us)) if q is not None else None
            if c is not None:
                c.add_completed(_field_number(fields, "TalkTime"), config.wrapup(q))
        return counts

    def expected_arrivals(
        self, queue: str, interval_start: float, interval_s: float, days: int = 7
    ) -> float | None:
        """Mean arrivals in the same interval on the previous `days` days that have data.

        Matches cti.state.config.ArrivalHistory, so the live store's Erlang forecast can use
        the record. None when no previous day has journal rows around that time.
        """

        def work() -> float | None:
            j = self.m["journal"]
            seen: list[int] = []
            for back in range(1, days + 1):
                s0 = interval_start - back * 86_400
                snap = self.m["floor_snapshot"]
                any_row = (  # the console was recording around that time
                    snap.select(snap.seq)
                    .where(snap.ts_us >= _us(s0 - 3600), snap.ts_us < _us(s0 + interval_s + 3600))
                    .limit(1)
                    .scalar()
                )
                if any_row is None:
                    continue
                n = (
                    j.select(pw.fn.COUNT(j.seq))
                    .where(
                        *self._journal_range(_us(s0), _us(s0 + interval_s)),
                        j.queue == queue,
                        j.name == "QueueCallerJoin",
                    )
                    .scalar()
                )
                seen.append(int(n or 0))
            return sum(seen) / len(seen) if seen else None

        return self._guard("read arrival history", work)  # type: ignore[no-any-return]


def _metrics(c: IntervalCounts, queue: str, config: FloorConfig) -> IntervalMetrics:
    return build_metrics(c, config.threshold(queue), config.sl_formula)


def _field_number(fields: str, name: str) -> float:
    """A numeric header from the stored fields JSON, without parsing all of it.

    The writer stores fields as compact JSON ("Name":"value"); a value in any other form
    (or a name appearing inside another value) falls back to a full parse.
    """
    key = f'"{name}":"'
    i = fields.find(key)
    if i >= 0 and fields.count(key) == 1:
        k = i + len(key)
        e = fields.find('"', k)
        try:
            return max(0.0, float(fields[k:e]))
        except ValueError:
            pass
    data = _json(fields)
    return _num(data, name) if isinstance(data, dict) else 0.0


def _num(data: dict[str, Any], name: str) -> float:
    value = data.get(name)
    try:
        return max(0.0, float(value)) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _summary_intent(r: dict[str, Any]) -> str:
    params = _json(r["params"]) or {}
    extra = ", ".join(f"{k}={v}" for k, v in params.items()) if isinstance(params, dict) else ""
    target = " ".join(x for x in (r["agent"], r["queue"]) if x)
    return f"{r['action']} {target}".strip() + (f" ({extra})" if extra else "")


def _summary_result(r: dict[str, Any]) -> str:
    outcome = "ok" if r["ok"] else "failed"
    dur = f", {r['duration_ms']} ms" if r["duration_ms"] is not None else ""
    return f"result of #{r['intent_seq']}: {outcome}{dur} {r['result']}".strip()


_AUDIT_KINDS: tuple[
    tuple[str, str, str | None, str | None, str | None, Callable[[dict[str, Any]], str]], ...
] = (
    (
        "record_open",
        "record_open",
        None,
        None,
        None,
        lambda r: f"{r['app']} opened the record ({r['purpose']}, pid {r['pid']})",
    ),
    ("action_intent", "action_intent", "agent", "queue", "action", _summary_intent),
    ("action_result", "action_result", None, None, None, _summary_result),
    (
        "monitor_start",
        "monitor_start",
        "agent",
        "queue",
        None,
        lambda r: (
            f"{r['mode']} on {r['agent']}" + (f" (caller {r['caller']})" if r["caller"] else "")
        ),
    ),
    (
        "monitor_mode",
        "monitor_mode",
        None,
        None,
        None,
        lambda r: f"session #{r['session_seq']} switched to {r['mode']}",
    ),
    (
        "monitor_end",
        "monitor_end",
        None,
        None,
        None,
        lambda r: f"session #{r['session_seq']} ended ({r['reason']})",
    ),
    (
        "alarm_raised",
        "alarm_raised",
        "agent",
        "queue",
        None,
        lambda r: f"[{r['severity']}] {r['rule']}: {r['message']}",
    ),
    (
        "alarm_ack",
        "alarm_ack",
        None,
        None,
        None,
        lambda r: f"alarm #{r['alarm_seq']} acknowledged: {r['comment']}",
    ),
    (
        "alarm_cleared",
        "alarm_cleared",
        None,
        None,
        None,
        lambda r: f"alarm #{r['alarm_seq']} cleared ({r['reason']})",
    ),
    (
        "alarm_change",
        "alarm_change",
        None,
        None,
        None,
        lambda r: (
            f"alarm #{r['alarm_seq']} escalated [{r['severity']}]: {r['message']}"
            if r["change"] == "escalated"
            else f"alarm #{r['alarm_seq']} now {r['severity']}: {r['message']}"
        ),
    ),
    (
        "sign_in",
        "sign_in",
        None,
        None,
        None,
        lambda r: f"{r['account']}: {r['outcome']} ({r['method']})",
    ),
    (
        "setting_change",
        "setting_change",
        None,
        None,
        None,
        lambda r: f"{r['setting']}: {r['old_value']} -> {r['new_value']}",
    ),
    (
        "retention_cut",
        "retention_cut",
        None,
        None,
        None,
        lambda r: (
            f"retention removed {r['rows_removed']} rows before #{r['first_kept_seq']}"
            if r["first_kept_seq"]
            else "retention: nothing to remove"
        ),
    ),
)


def open_review(path: str | Path, busy_timeout_s: float = 2.0) -> Review:
    """Open a record read-only for review. Bad files raise a db.errors.RecordError subclass."""
    target = Path(path)
    return Review(open_read_only(target, busy_timeout_s), target)
