"""The writer thread: the only code that writes a record file while the console runs.

Rules:
- Producers (GUI thread, AMI thread ...) only reserve a seq and append to an in-memory queue
  under one lock; the seq is fixed at that moment, so queue order is chain order.
- The thread takes everything queued (lingering up to `max_delay_s` so rows go in big
  transactions), hashes it in seq order and inserts it in one transaction together with the
  chain head update. The head update is a compare-and-set on the previous last seq: a second
  writer on the same file (another console) can never fork the chain, it fails instead.
- A supervisor action's intent is urgent: the thread stops lingering, commits everything up to
  and including it with synchronous=FULL (db/sqlite_files.py) and only then releases the
  caller. Everything else is committed with synchronous=NORMAL.
- "Committed" means the transaction returned; `on_commit(last_seq)` is called after it. A
  SIGKILL loses only rows not yet committed, never a committed one, and never corrupts the
  file (SQLite WAL).
- A busy database (another program's lock) is retried with back-off; any other failure stops
  the writer: waiting intents get the error, later writes raise RecordWriteError, and
  `on_error` is called once.
- Checkpoints run on their own thread and connection (PASSIVE), so copying WAL pages into the
  database never delays an intent's commit.
- Retention: a cut removes rows older than the cut-off in chunks of `retention_chunk_rows`,
  each chunk one transaction that deletes rows and appends a `retention_cut` anchor row (the
  hash of the last removed row), so the chain stays verifiable and an intent waits at most
  one chunk. The cut starts at a floor snapshot when there is one, so replay still works
  from the first kept minute.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee as pw

from db.dbapi import cursor_of, run_sql
from db.errors import RecordError, RecordLockedError, RecordWriteError
from db.floor_replay import FloorReducer
from db.models import CHAINED_MODELS, TABLE_INDEX, insert_sql, table_name
from db.row_encoder import FLOOR_SNAPSHOT, ActorKey, EncodedBatch, RowEncoder
from db.sqlite_files import (
    Checkpointer,
    checkpoint,
    open_for_writing,
    set_durable,
    sqlite_cause,
    translate,
)

log = logging.getLogger(__name__)

RETENTION_CUT = TABLE_INDEX["retention_cut"]
CONTROL_FLUSH = -1
CONTROL_RETENTION = -2
CONTROL_CLOSE = -3


class Waiter:
    """A producer waiting for its item to be committed."""

    __slots__ = ("error", "event")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.error: RecordError | None = None

    def done(self, error: RecordError | None = None) -> None:
        self.error = error
        self.event.set()


# (table index or CONTROL_*, seq, ts_us, actor, payload, waiter)
Item = tuple[int, int, int, ActorKey, Any, Waiter | None]


@dataclass(frozen=True)
class WriterConfig:
    path: Path
    snapshot_every_s: float = 300.0
    snapshot_every_rows: int = 20_000
    max_batch_rows: int = 5_000
    max_delay_s: float = 0.1
    busy_timeout_s: float = 5.0
    checkpoint_every_s: float = 1.0
    retention_days: float | None = None
    retention_every_s: float = 3600.0
    retention_chunk_rows: int = 50_000
    wrapup_s: tuple[tuple[str, float], ...] = ()
    default_wrapup_s: float = 0.0


class ConcurrentWriterError(RecordLockedError):
    pass


class RecordWriter:
    """Owns the writer thread. `start()` opens the file (typed errors raise there)."""

    def __init__(
        self,
        config: WriterConfig,
        on_commit: Callable[[int], None] | None = None,
        on_error: Callable[[RecordError], None] | None = None,
    ) -> None:
        self.config = config
        self.on_commit = on_commit
        self.on_error = on_error
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending: deque[Item] = deque()
        self._idle = False
        self._urgent = False
        self._next_seq = 0
        self._closing = False
        self.error: RecordError | None = None
        self.meta: dict[str, str] = {}
        self.committed_seq = 0
        self._thread: threading.Thread | None = None
        self._checkpointer: Checkpointer | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._database: pw.SqliteDatabase | None = None
        self._encoder: RowEncoder | None = None
        self._insert: dict[int, str] = {}
        self._next_retention = 0.0
        self.current_actor: ActorKey = ("", "")  # who retention cuts are written as

    # ------------------------------------------------------------------ producer side

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="record-writer", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._start_error is not None:
            self._thread.join()
            raise self._start_error
        self._checkpointer = Checkpointer(self.config.path, self.config.checkpoint_every_s)
        self._checkpointer.start()

    def enqueue(
        self,
        table: int,
        ts_us: int,
        actor: ActorKey,
        payload: Any,
        waiter: Waiter | None = None,
    ) -> int:
        """Reserve the next seq for a row and queue it; returns the seq."""
        with self._lock:
            if self.error is not None:
                raise RecordWriteError(f"the record cannot be written: {self.error}")
            if self._closing:
                raise RecordWriteError("the record is closed")
            seq = self._next_seq
            self._next_seq = seq + 1
            self._pending.append((table, seq, ts_us, actor, payload, waiter))
            if waiter is not None:
                self._urgent = True
                self._wake.notify()
            elif self._idle:
                self._idle = False
                self._wake.notify()
            elif len(self._pending) >= self.config.max_batch_rows:
                self._wake.notify()
            return seq

    def control(self, code: int, payload: Any = None, reserve_seq: bool = False) -> Waiter:
        """Queue a control item (flush, retention); its waiter fires when it is done."""
        waiter = Waiter()
        with self._lock:
            if self.error is not None:
                waiter.done(RecordWriteError(f"the record cannot be written: {self.error}"))
                return waiter
            seq = -1
            if reserve_seq:
                seq = self._next_seq
                self._next_seq = seq + 1
            self._pending.append((code, seq, 0, self.current_actor, payload, waiter))
            self._urgent = True
            self._wake.notify()
        return waiter

    def close(self, timeout_s: float = 60.0) -> None:
        if self._thread is None:
            return
        with self._lock:
            already = self._closing
            self._closing = True
            if not already:
                self._pending.append((CONTROL_CLOSE, -1, 0, ("", ""), None, None))
                self._urgent = True
                self._wake.notify()
        self._thread.join(timeout_s)
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    # ------------------------------------------------------------------ writer thread

    def _run(self) -> None:
        try:
            self._open()
        except BaseException as exc:
            self._start_error = exc
            self._started.set()
            return
        self._started.set()
        try:
            self._loop()
        except BaseException as exc:  # the thread must never die silently
            log.exception("record writer stopped")
            self._fail(exc if isinstance(exc, RecordError) else RecordWriteError(str(exc)))
        finally:
            if self._database is not None:
                with contextlib.suppress(Exception):
                    self._database.close()

    def _open(self) -> None:
        cfg = self.config
        database, meta = open_for_writing(cfg.path, cfg.busy_timeout_s)
        self._database = database
        self.meta = meta
        try:
            self._encoder = restore_encoder(database, cfg)
        except (pw.PeeweeException, sqlite3.Error) as exc:
            database.close()
            raise translate(exc, cfg.path, "read the record's last rows") from exc
        self._insert = {i: insert_sql(database, m) for i, m in enumerate(CHAINED_MODELS)}
        self._next_seq = self._encoder.last_seq + 1
        self.committed_seq = self._encoder.last_seq
        if cfg.retention_days is not None:
            self._next_retention = time.monotonic()

    def _take(self) -> list[Item]:
        cfg = self.config
        with self._wake:
            while not self._pending:
                if self._retention_due():
                    return []
                self._idle = True
                self._wake.wait(timeout=1.0)
            self._idle = False
            deadline = time.monotonic() + cfg.max_delay_s
            while not self._urgent and len(self._pending) < cfg.max_batch_rows:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)
            items = list(self._pending)
            self._pending.clear()
            self._urgent = False
            return items

    def _retention_due(self) -> bool:
        if self.config.retention_days is None or time.monotonic() < self._next_retention:
            return False
        self._next_retention = time.monotonic() + self.config.retention_every_s
        cutoff_us = int((time.time() - self.config.retention_days * 86_400) * 1_000_000)
        seq = self._next_seq
        self._next_seq = seq + 1
        self._pending.append((CONTROL_RETENTION, seq, 0, self.current_actor, cutoff_us, None))
        return True

    def _loop(self) -> None:
        while True:
            items = self._take()
            try:
                if not self._process(items):
                    return
            except RecordError as exc:
                for item in items:
                    if item[5] is not None and not item[5].event.is_set():
                        item[5].done(exc)
                raise

    def _process(self, items: list[Item]) -> bool:
        """Encode and commit one batch; False after the close item."""
        encoder = self._encoder
        assert encoder is not None
        waiters: list[Waiter] = []
        durable = False
        for item in items:
            code, seq, ts_us, actor, payload, waiter = item
            if code >= 0:
                encoder.add(code, seq, ts_us, actor, payload)
                if encoder.due:
                    self._queue_snapshots(actor)
                if waiter is not None:
                    waiters.append(waiter)
                    durable = True
                continue
            # control items: commit what came before them first
            self._commit(encoder.take_batch(), durable, waiters)
            waiters, durable = [], False
            if code == CONTROL_CLOSE:
                self._drain()
                self._finish()
                return False
            if code == CONTROL_RETENTION:
                self._retention_chunk(seq, int(payload), actor, waiter)
            elif waiter is not None:
                waiter.done()
        self._commit(encoder.take_batch(), durable, waiters)
        return True

    def _drain(self) -> None:
        """At close: write what the writer itself queued (snapshots) after the close item."""
        encoder = self._encoder
        assert encoder is not None
        while True:
            with self._lock:
                rest = list(self._pending)
                self._pending.clear()
            if not rest:
                return
            for code, seq, ts_us, actor, payload, waiter in rest:
                if code >= 0:
                    encoder.add(code, seq, ts_us, actor, payload)
                    if encoder.due:
                        self._queue_snapshots(actor)
                elif waiter is not None:
                    waiter.done()
            self._commit(encoder.take_batch(), False, [])

    def _queue_snapshots(self, actor: ActorKey) -> None:
        encoder = self._encoder
        assert encoder is not None
        with self._lock:
            for due in encoder.due:
                seq = self._next_seq
                self._next_seq = seq + 1
                self._pending.append(
                    (FLOOR_SNAPSHOT, seq, due.ts_us, actor, (due.through_seq, due.state), None)
                )
            encoder.due.clear()

    def _commit(self, batch: EncodedBatch, durable: bool, waiters: list[Waiter]) -> None:
        if batch.count:
            self._write(batch, durable, [])
        for waiter in waiters:
            waiter.done()

    def _write(
        self,
        batch: EncodedBatch,
        durable: bool,
        extra: list[tuple[str, tuple[Any, ...]]],
    ) -> None:
        database = self._database
        assert database is not None
        delay = 0.01
        give_up = time.monotonic() + max(30.0, 3 * self.config.busy_timeout_s)
        prev_seq = batch.first_seq - 1
        param = database.param
        head_sql = (
            f'UPDATE "chain_head" SET "last_seq" = {param}, "last_hash" = {param} '
            f'WHERE "id" = 1 AND "last_seq" = {param}'
        )
        actor_sql = (
            f'INSERT INTO "actor" ("id", "supervisor", "workstation") VALUES ({param}, {param}, '
            f"{param})"
        )
        while True:
            try:
                if durable:
                    set_durable(database, True)
                try:
                    with database.atomic():
                        cursor = cursor_of(database)
                        for actor_row in batch.new_actors:
                            cursor.execute(actor_sql, actor_row)
                        for sql, params in extra:
                            cursor.execute(sql, params)
                        for table, rows in batch.rows.items():
                            cursor.executemany(self._insert[table], rows)
                        cursor.execute(head_sql, (batch.last_seq, batch.last_hash, prev_seq))
                        if cursor.rowcount != 1:
                            raise ConcurrentWriterError(
                                f"another program is writing {self.config.path.name}; "
                                "this console stopped writing to it",
                                self.config.path,
                            )
                finally:
                    if durable:
                        set_durable(database, False)
            except (pw.PeeweeException, sqlite3.Error) as exc:
                cause = sqlite_cause(exc)
                code = getattr(cause, "sqlite_errorcode", -1) & 0xFF if cause else -1
                if code in (5, 6) and time.monotonic() < give_up:
                    time.sleep(delay)
                    delay = min(1.0, delay * 2)
                    continue
                raise translate(exc, self.config.path, "save rows") from exc
            break
        self.committed_seq = batch.last_seq
        if self._checkpointer is not None:
            self._checkpointer.poke()
        if self.on_commit is not None:
            try:
                self.on_commit(batch.last_seq)
            except Exception:
                log.exception("on_commit callback failed")

    def _retention_chunk(
        self, seq: int, cutoff_us: int, actor: ActorKey, waiter: Waiter | None
    ) -> None:
        """One chunk of a retention cut; queues the next chunk (with the waiter) if needed."""
        database = self._database
        encoder = self._encoder
        assert database is not None and encoder is not None
        plan = plan_retention_chunk(database, cutoff_us, self.config.retention_chunk_rows)
        if plan is None:
            with self._lock:
                if self._next_seq == seq + 1:  # nobody reserved a seq since: hand it back
                    self._next_seq = seq
                    if waiter is not None:
                        waiter.done()
                    return
            # the reserved seq needs a row or the chain would have a gap: a no-op cut row
            plan = RetentionPlan(first_kept=0, prev_hash="", rows_removed=0, more=False)
        first_kept = plan.first_kept
        extra: list[tuple[str, tuple[Any, ...]]] = []
        if first_kept:
            for model in CHAINED_MODELS:
                extra.append(
                    (
                        f'DELETE FROM "{table_name(model)}" WHERE "seq" < {database.param}',
                        (first_kept,),
                    )
                )
        encoder.add(
            RETENTION_CUT,
            seq,
            int(time.time() * 1_000_000),
            actor,
            (first_kept, plan.prev_hash, cutoff_us, plan.rows_removed),
        )
        self._write(encoder.take_batch(), False, extra)
        if plan.more:
            with self._lock:
                next_seq = self._next_seq
                self._next_seq = next_seq + 1
                self._pending.append((CONTROL_RETENTION, next_seq, 0, actor, cutoff_us, waiter))
        elif waiter is not None:
            waiter.done()

    def _finish(self) -> None:
        database = self._database
        if database is not None:
            with contextlib.suppress(Exception):
                checkpoint(database)

    def _fail(self, error: RecordError) -> None:
        with self._lock:
            if self.error is None:
                self.error = error
            pending = list(self._pending)
            self._pending.clear()
        for item in pending:
            if item[5] is not None:
                item[5].done(error)
        if self.on_error is not None:
            try:
                self.on_error(error)
            except Exception:
                log.exception("on_error callback failed")


@dataclass(frozen=True)
class RetentionPlan:
    first_kept: int
    prev_hash: str
    rows_removed: int
    more: bool


def _min_seq(database: pw.Database) -> int | None:
    found: list[int] = []
    for model in CHAINED_MODELS:
        row = run_sql(database, f'SELECT MIN("seq") FROM "{table_name(model)}"').fetchone()
        if row and row[0] is not None:
            found.append(int(row[0]))
    return min(found) if found else None


def row_hash_at(database: pw.Database, seq: int) -> bytes | None:
    for model in CHAINED_MODELS:
        row = run_sql(
            database,
            f'SELECT "row_hash" FROM "{table_name(model)}" WHERE "seq" = {database.param}',
            (seq,),
        ).fetchone()
        if row is not None:
            return bytes(row[0])
    return None


def plan_retention_chunk(
    database: pw.Database, cutoff_us: int, chunk_rows: int
) -> RetentionPlan | None:
    """Where the next retention chunk cuts, or None when nothing is old enough."""
    lowest = _min_seq(database)
    if lowest is None:
        return None
    param = database.param
    # Prefer cutting right after the rows a floor snapshot covers, so replay works from the
    # first kept row: the newest snapshot whose last covered journal row is old enough.
    row = run_sql(
        database,
        'SELECT s."through_seq" FROM "floor_snapshot" s JOIN "journal" j '
        f'ON j."seq" = s."through_seq" WHERE j."ts_us" < {param} '
        'ORDER BY s."seq" DESC LIMIT 1',
        (cutoff_us,),
    ).fetchone()
    target = int(row[0]) + 1 if row is not None else None
    if target is None:
        # No snapshot before the cut-off: cut after the newest row that is older than it.
        newest_old = 0
        for model in CHAINED_MODELS:
            r = run_sql(
                database,
                f'SELECT MAX("seq") FROM "{table_name(model)}" WHERE "ts_us" < {param}',
                (cutoff_us,),
            ).fetchone()
            if r and r[0] is not None:
                newest_old = max(newest_old, int(r[0]))
        target = newest_old + 1 if newest_old else None
    if target is None or target <= lowest:
        return None
    first_kept = min(target, lowest + chunk_rows)
    prev = row_hash_at(database, first_kept - 1)
    if prev is None:
        return None  # the row before the cut is already missing: leave the evidence alone
    removed = 0
    for model in CHAINED_MODELS:
        r = run_sql(
            database,
            f'SELECT COUNT(*) FROM "{table_name(model)}" WHERE "seq" < {param}',
            (first_kept,),
        ).fetchone()
        removed += int(r[0])
    return RetentionPlan(first_kept, prev.hex(), removed, more=first_kept < target)


def restore_encoder(database: pw.Database, cfg: WriterConfig) -> RowEncoder:
    """Continue the chain of an existing record: head, actors, and the replay reducer."""
    head = run_sql(
        database, 'SELECT "last_seq", "last_hash" FROM "chain_head" WHERE "id" = 1'
    ).fetchone()
    last_seq, last_hash = (int(head[0]), bytes(head[1])) if head else (0, bytes(32))
    actors = {
        (str(s), str(w)): int(i)
        for i, s, w in run_sql(
            database, 'SELECT "id", "supervisor", "workstation" FROM "actor"'
        ).fetchall()
    }
    wrapup = dict(cfg.wrapup_s)
    snap = run_sql(
        database,
        'SELECT "through_seq", "state", "ts_us" FROM "floor_snapshot" ORDER BY "seq" DESC LIMIT 1',
    ).fetchone()
    reducer: FloorReducer | None = None
    through = 0
    if snap is not None:
        try:
            reducer = FloorReducer.from_json(str(snap[1]))
            reducer.wrapup_s = wrapup or reducer.wrapup_s
            reducer.default_wrapup_s = cfg.default_wrapup_s
            through = int(snap[0])
        except (ValueError, KeyError, TypeError, IndexError):
            log.warning("latest floor snapshot unreadable; replay state restarts empty")
            reducer = None
    if reducer is None:
        reducer = FloorReducer(wrapup, cfg.default_wrapup_s)
        through = 0
    cursor = run_sql(
        database,
        f'SELECT "seq", "ts_us", "name", "fields" FROM "journal" WHERE "seq" > {database.param} '
        'ORDER BY "seq"',
        (through,),
    )
    last_journal_seq = through
    last_journal_ts: int | None = int(snap[2]) if snap is not None else None
    rows_since = 0
    for seq, ts_us, name, fields in cursor:
        if reducer.handles(name):
            try:
                reducer.apply(ts_us / 1_000_000, name, json.loads(fields))
            except ValueError:
                log.warning("journal row %s has unreadable fields", seq)
        last_journal_seq, last_journal_ts = int(seq), int(ts_us)
        rows_since += 1
    return RowEncoder(
        last_seq=last_seq,
        last_hash=last_hash,
        actors=actors,
        reducer=reducer,
        snapshot_every_s=cfg.snapshot_every_s,
        snapshot_every_rows=cfg.snapshot_every_rows,
        last_journal_ts_us=last_journal_ts,
        last_journal_seq=last_journal_seq,
        rows_since_snapshot=rows_since,
    )
