"""The writer: the only code that writes a record file while the console runs.

Rules:
- Producers (GUI thread, AMI thread ...) only reserve a seq and append to an in-memory queue
  under one lock; the seq is fixed at that moment, so queue order is chain order.
- Two threads, a pipeline: the encoder thread ("record-writer") takes everything queued
  (lingering up to `encode_delay_s`), hashes it in seq order into an open batch, and hands
  the batch on once it is `max_delay_s` old or `max_batch_rows` long, so rows go in big
  transactions; the commit thread ("record-commit") owns the database connection and inserts
  each batch in one transaction with the chain head update. While SQLite writes one batch
  (without the GIL) the next one is being hashed. At most two batches wait between them, so
  memory stays bounded when the disk is slow. Encoding soon and committing late keeps the
  unencoded backlog short, which an intent would otherwise have to encode before its own row.
- The chain head update is a compare-and-set on the previous last seq: a second writer on the
  same file (another console) can never fork the chain, it fails instead.
- A supervisor action's intent is urgent and committed with synchronous=FULL
  (db/sqlite_files.py) before the caller is released; everything else with NORMAL. When no
  batch is in flight, the caller's own thread encodes the rows queued so far plus its intent
  and commits them (`commit_urgent`): handing the row through the encoder and commit threads
  and back costs three thread wake-ups, more than the fsync on a fast disk. Encoding is
  serialised by one lock and the connection by another, so seq order is kept either way. When
  a batch is in flight, the intent's batch follows it through the commit thread. With
  `intent_sync="normal"` the intent's commit does not wait for the disk either: it survives a
  console crash at once (WAL) and a power loss once the checkpoint thread has fsynced the WAL,
  which it does immediately - a few milliseconds, in parallel with the action's own round trip
  to the PBX. That meets a 2 ms budget on disks whose fsync alone takes longer.
- "Committed" means the transaction returned; `on_commit(last_seq)` is called after it (on the
  thread that committed: the commit thread, or an intent's caller). A SIGKILL loses only rows
  not yet committed, never a committed one, and never corrupts the file (SQLite WAL).
- A busy database (another program's lock) is retried with back-off; any other failure stops
  the writer: waiting intents get the error, later writes raise RecordWriteError, and
  `on_error` is called once.
- Checkpoints run on their own thread and connection (PASSIVE), so copying WAL pages into the
  database never delays an intent's commit. The same thread fsyncs the WAL within 20 ms of a
  batch's commit: the journal reaches the disk soon even without intents, and an intent's own
  fsync carries only the last few milliseconds of the floor, not everything since the last
  checkpoint (db/sqlite_files.py `Checkpointer`).
- Retention: a cut removes rows older than the cut-off in chunks of `retention_chunk_rows`,
  each chunk one transaction that deletes rows and appends a `retention_cut` anchor row (the
  hash of the last removed row), so the chain stays verifiable and an intent waits at most
  one chunk. The cut follows a floor snapshot when there is one, so replay still works from
  the first kept minute (db/writer_queries.py).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

import peewee as pw

from db.dbapi import cursor_of
from db.errors import RecordError, RecordLockedError, RecordWriteError
from db.models import CHAINED_MODELS, TABLE_INDEX, insert_sql, stored_columns, table_name
from db.row_encoder import FLOOR_SNAPSHOT, ActorKey, EncodedBatch, RowEncoder
from db.sqlite_files import (
    Checkpointer,
    checkpoint,
    open_for_writing,
    set_durable,
    sqlite_cause,
    translate,
)
from db.writer_queries import RetentionPlan, plan_retention_chunk, restore_encoder

log = logging.getLogger(__name__)

RETENTION_CUT = TABLE_INDEX["retention_cut"]
CONTROL_FLUSH = -1
CONTROL_RETENTION = -2
CONTROL_CLOSE = -3
# Parameters per multi-row INSERT: below SQLite's default limit (32,766) and PostgreSQL's.
PARAMS_PER_INSERT = 30_000


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
    # How long an open batch waits for more rows before its commit. Short: an intent commits
    # the open batch with its own row, and each row there adds to its wait (at 2,000 events/s,
    # 5 ms instead of 20 ms took ~0.25 ms off an intent's median, for ~4 % of a core).
    max_delay_s: float = 0.005
    encode_delay_s: float = 0.002  # how long the encoder lingers before encoding queued rows
    busy_timeout_s: float = 5.0
    checkpoint_every_s: float = 1.0
    retention_days: float | None = None
    retention_every_s: float = 3600.0
    retention_chunk_rows: int = 50_000
    wrapup_s: tuple[tuple[str, float], ...] = ()
    default_wrapup_s: float = 0.0
    intent_sync: str = "full"  # "full": fsync in the commit; "normal": fsync right after


class ConcurrentWriterError(RecordLockedError):
    pass


@dataclass
class _Job:
    """Work for the commit thread: a batch to commit, or a call to run on the connection."""

    batch: EncodedBatch | None = None
    durable: bool = False
    waiters: list[Waiter] = field(default_factory=list)
    extra: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    call: Callable[[pw.Database], Any] | None = None
    result: Any = None
    error: BaseException | None = None
    finished: threading.Event | None = None
    stop: bool = False


class RecordWriter:
    """Owns the writer threads. `start()` opens the file (typed errors raise there)."""

    def __init__(
        self,
        config: WriterConfig,
        on_commit: Callable[[int], None] | None = None,
        on_error: Callable[[RecordError], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.clock = clock  # wall time for retention cut-offs and anchor rows
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
        self.current_actor: ActorKey = ("", "")  # who retention cuts are written as
        self._encoder: RowEncoder | None = None
        self._jobs: queue.Queue[_Job] = queue.Queue(maxsize=2)
        # Encoding is serialised by `_encode_lock` (the encoder thread, or an urgent caller),
        # use of the connection by `_db_lock` (the commit thread, or an urgent caller). Jobs
        # handed to the commit thread are counted: `_submitted` changes under `_encode_lock`,
        # `_finished` under `_db_lock`, so holding both gives a consistent "nothing in flight".
        self._encode_lock = threading.Lock()
        self._db_lock = threading.Lock()
        self._submitted = 0
        self._finished = 0
        self._encode_thread: threading.Thread | None = None
        self._commit_thread: threading.Thread | None = None
        self._opened = threading.Event()
        self._open_error: BaseException | None = None
        self._database: pw.SqliteDatabase | None = None
        self._rows_per_insert: list[int] = []
        self._insert_cache: dict[tuple[int, int], str] = {}  # (table, rows): INSERT statement
        self._checkpointer: Checkpointer | None = None
        self._next_retention = 0.0
        # The encoder's open batch (encoded, not yet handed on) and when it must be handed on.
        self._open_batch: EncodedBatch | None = None
        self._open_until = 0.0

    # ------------------------------------------------------------------ producer side

    def start(self) -> None:
        self._commit_thread = threading.Thread(
            target=self._commit_run, name="record-commit", daemon=True
        )
        self._commit_thread.start()
        self._opened.wait()
        if self._open_error is not None:
            self._commit_thread.join()
            raise self._open_error
        encoder = self._encoder
        assert encoder is not None
        self._next_seq = encoder.last_seq + 1
        self.committed_seq = encoder.last_seq
        if self.config.retention_days is not None:
            self._next_retention = time.monotonic()
        self._checkpointer = Checkpointer(self.config.path, self.config.checkpoint_every_s)
        self._checkpointer.start()
        self._encode_thread = threading.Thread(
            target=self._encode_run, name="record-writer", daemon=True
        )
        self._encode_thread.start()

    def enqueue(
        self,
        table: int,
        ts_us: int,
        actor: ActorKey,
        payload: Any,
        waiter: Waiter | None = None,
        wake: bool = True,
    ) -> int:
        """Reserve the next seq for a row and queue it; returns the seq.

        An item with a waiter wakes the encoder at once, unless `wake` is False (the caller
        encodes it itself, see `commit_urgent`).
        """
        with self._lock:
            if self.error is not None:
                raise RecordWriteError(f"the record cannot be written: {self.error}")
            if self._closing:
                raise RecordWriteError("the record is closed")
            seq = self._next_seq
            self._next_seq = seq + 1
            self._pending.append((table, seq, ts_us, actor, payload, waiter))
            if waiter is not None:
                if wake:
                    self._urgent = True
                    self._wake.notify()
            elif self._idle:
                self._idle = False
                self._wake.notify()
            elif len(self._pending) == self.config.max_batch_rows:
                self._wake.notify()  # once: the encoder takes everything queued when it wakes
            return seq

    def commit_urgent(
        self,
        table: int,
        ts_us: int,
        actor: ActorKey,
        payload: Any,
        waiter: Waiter,
        timeout_s: float,
    ) -> int:
        """Queue a row that must be committed before the caller goes on (an action's intent).

        When the commit thread is idle, the row - with everything queued before it - is
        encoded and committed on the calling thread: no hand-over between three threads, so
        the wait is the disk's own. Otherwise it goes through the pipeline like any row. Either
        way `waiter` fires when it is committed (or failed); the caller waits on it.
        """
        seq = self.enqueue(table, ts_us, actor, payload, waiter, wake=False)
        if not self._encode_lock.acquire(timeout=timeout_s):
            self._hand_on([])
            return seq
        try:
            if waiter.event.is_set():  # the encoder thread took it meanwhile
                return seq
            with self._wake:
                items = self._pending
                self._pending = deque()
            if (
                self.error is not None
                or len(items) > self.config.max_batch_rows
                or any(item[0] < 0 for item in items)
            ):
                self._hand_on(items)  # closing, a flush, a retention cut, a backlog
                return seq
            batch, waiters = self._encode_items(items)
            with self._db_lock:
                if self._submitted == self._finished:
                    self._commit_here(batch, waiters)
                    return seq
            self._submit(_Job(batch=batch, durable=True, waiters=waiters))
            return seq
        except _CommitThreadGoneError:
            return seq  # the waiters were answered with the error
        except RecordError as exc:
            self._fail(exc)
            return seq
        except Exception as exc:
            log.exception("record writer stopped")
            self._fail(RecordWriteError(str(exc)))
            return seq
        finally:
            self._encode_lock.release()

    def _hand_on(self, items: deque[Item] | list[Item]) -> None:
        """Give taken items back to the encoder thread (in front, order kept) and wake it."""
        with self._wake:
            self._pending.extendleft(reversed(items))
            self._urgent = True
            self._wake.notify()

    def _encode_items(self, items: deque[Item]) -> tuple[EncodedBatch, list[Waiter]]:
        encoder = self._encoder
        assert encoder is not None
        waiters: list[Waiter] = []
        try:
            for code, seq, ts_us, actor, payload, waiter in items:
                encoder.add(code, seq, ts_us, actor, payload)
                if encoder.due:
                    self._queue_snapshots(actor)
                if waiter is not None:
                    waiters.append(waiter)
        except BaseException:
            for item in items:
                if item[5] is not None and item[5] not in waiters:
                    waiters.append(item[5])
            error = RecordWriteError("a row could not be encoded")
            self._fail(error)
            for waiter in waiters:
                waiter.done(error)
            raise
        return encoder.take_batch(), waiters

    def _commit_here(self, batch: EncodedBatch, waiters: list[Waiter]) -> None:
        """Commit on the calling thread; the caller holds both locks and nothing is in flight."""
        try:
            if batch.count:
                self._write(batch, True, [])
        except RecordError as exc:
            self._fail(exc)
            for waiter in waiters:
                waiter.done(exc)
            return
        for waiter in waiters:
            waiter.done()

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
        if self._encode_thread is None:
            return
        with self._lock:
            already = self._closing
            self._closing = True
            if not already:
                self._pending.append((CONTROL_CLOSE, -1, 0, ("", ""), None, None))
                self._urgent = True
                self._wake.notify()
        self._encode_thread.join(timeout_s)
        if self._commit_thread is not None:
            self._commit_thread.join(timeout_s)
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None

    # ------------------------------------------------------------------ commit thread

    def _commit_run(self) -> None:
        cfg = self.config
        try:
            database, meta = open_for_writing(cfg.path, cfg.busy_timeout_s)
            self._database = database
            self.meta = meta
            try:
                self._encoder = restore_encoder(
                    database,
                    wrapup_s=dict(cfg.wrapup_s),
                    default_wrapup_s=cfg.default_wrapup_s,
                    snapshot_every_s=cfg.snapshot_every_s,
                    snapshot_every_rows=cfg.snapshot_every_rows,
                )
            except (pw.PeeweeException, sqlite3.Error) as exc:
                raise translate(exc, cfg.path, "read the record's last rows") from exc
            self._rows_per_insert = [
                PARAMS_PER_INSERT // len(stored_columns(model)) for model in CHAINED_MODELS
            ]
        except BaseException as exc:
            self._open_error = exc
            if self._database is not None:
                self._database.close()
            self._opened.set()
            return
        self._opened.set()
        try:
            self._commit_loop()
        except BaseException as exc:  # the thread must never die silently
            log.exception("record commit thread stopped")
            error = exc if isinstance(exc, RecordError) else RecordWriteError(str(exc))
            self._fail(error)
            self._refuse_jobs(error)
        finally:
            with contextlib.suppress(Exception):
                self._database.close()

    def _refuse_jobs(self, error: RecordError) -> None:
        """After a failure: answer every job still coming with the error, until stopped."""
        while True:
            job = self._jobs.get()
            for waiter in job.waiters:
                waiter.done(error)
            if job.finished is not None:
                job.error = error
                job.finished.set()
            if job.stop:
                return

    def _commit_loop(self) -> None:
        database = self._database
        assert database is not None
        while True:
            job = self._jobs.get()
            with self._db_lock:
                try:
                    if self._run_job(database, job):
                        return
                finally:
                    self._finished += 1

    def _run_job(self, database: pw.SqliteDatabase, job: _Job) -> bool:
        """One job on the connection (the caller holds `_db_lock`); True for the stop job."""
        if job.stop:
            with contextlib.suppress(Exception):
                checkpoint(database)
            return True
        if job.call is not None:
            try:
                job.result = job.call(database)
            except BaseException as exc:
                job.error = exc
            if job.finished is not None:
                job.finished.set()
            return False
        try:
            if self.error is not None:
                raise self.error  # failed on an urgent caller's thread: write nothing more
            if job.batch is not None and (job.batch.count or job.extra):
                self._write(job.batch, job.durable, job.extra)
        except RecordError as exc:
            self._fail(exc)  # first, so a released waiter already sees `error`
            for waiter in job.waiters:
                waiter.done(exc)
            if job.finished is not None:
                job.finished.set()
            raise
        for waiter in job.waiters:
            waiter.done()
        if job.finished is not None:
            job.finished.set()
        return False

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
        full = durable and self.config.intent_sync == "full"
        while True:
            try:
                if full:
                    set_durable(database, True)
                try:
                    with database.atomic():
                        cursor = cursor_of(database)
                        for actor_row in batch.new_actors:
                            cursor.execute(actor_sql, actor_row)
                        for sql, params in extra:
                            cursor.execute(sql, params)
                        for table, rows in batch.rows.items():
                            self._insert_rows(cursor, table, rows)
                        cursor.execute(head_sql, (batch.last_seq, batch.last_hash, prev_seq))
                        if cursor.rowcount != 1:
                            raise ConcurrentWriterError(
                                f"another program is writing {self.config.path.name}; "
                                "this console stopped writing to it",
                                self.config.path,
                            )
                finally:
                    if full:
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
            if durable and not full:
                self._checkpointer.sync_now()
            else:
                self._checkpointer.poke(synced=full)
        if self.on_commit is not None:
            try:
                self.on_commit(batch.last_seq)
            except Exception:
                log.exception("on_commit callback failed")

    def _insert_rows(self, cursor: Any, table: int, rows: list[tuple[Any, ...]]) -> None:
        """Insert in as few statements as the parameter limit allows, of about equal size."""
        limit = self._rows_per_insert[table]
        statements = -(-len(rows) // limit)
        size = -(-len(rows) // statements)
        flat = chain.from_iterable
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            cursor.execute(self._insert_sql(table, len(part)), tuple(flat(part)))

    def _insert_sql(self, table: int, rows: int) -> str:
        key = (table, rows)
        sql = self._insert_cache.get(key)
        if sql is None:
            if len(self._insert_cache) > 256:
                self._insert_cache.clear()
            database = self._database
            assert database is not None
            sql = self._insert_cache[key] = insert_sql(database, CHAINED_MODELS[table], rows)
        return sql

    # ------------------------------------------------------------------ encoder thread

    def _encode_run(self) -> None:
        try:
            while True:
                self._wait_for_items()
                # Taken under the encode lock: an urgent caller may have taken (and encoded)
                # rows meanwhile, and rows must be encoded in the order they were queued.
                with self._encode_lock:
                    with self._wake:
                        items = self._pending
                        self._pending = deque()
                        self._urgent = False
                    if items and not self._process(items):
                        return
                    until = self._open_deadline()
                    if until is not None and until <= time.monotonic():
                        self._submit(_Job(batch=self._take_open()))
        except _CommitThreadGoneError:
            return
        except BaseException as exc:  # the thread must never die silently
            log.exception("record writer stopped")
            self._fail(exc if isinstance(exc, RecordError) else RecordWriteError(str(exc)))
            with self._encode_lock:
                self._submit(_Job(stop=True))

    def _open_deadline(self) -> float | None:
        """When the open batch must be handed on; None without one (or after a caller took it)."""
        encoder = self._encoder
        if encoder is None or encoder.batch is not self._open_batch or not encoder.batch.count:
            return None
        return self._open_until

    def _take_open(self) -> EncodedBatch:
        encoder = self._encoder
        assert encoder is not None
        self._open_batch = None
        return encoder.take_batch()

    def _wait_for_items(self) -> None:
        """Wait for queued items (or the open batch's deadline), then linger briefly."""
        cfg = self.config
        with self._wake:
            while not self._pending:
                # Read without the encode lock: a caller taking the open batch meanwhile only
                # makes this wake-up find nothing to do.
                until = self._open_deadline()
                if until is None:
                    if self._retention_due():
                        break
                    timeout = 1.0
                else:
                    timeout = until - time.monotonic()
                    if timeout <= 0:
                        return
                self._idle = True
                self._wake.wait(timeout=timeout)
            self._idle = False
            deadline = time.monotonic() + cfg.encode_delay_s
            while not self._urgent and len(self._pending) < cfg.max_batch_rows:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._wake.wait(remaining)

    def set_retention(self, days: float | None) -> None:
        """Keep rows for `days` from now on (None: keep everything); a changed period is
        applied at the writer's next idle moment, then hourly as usual."""
        with self._wake:
            if days == self.config.retention_days:
                return
            self.config = replace(self.config, retention_days=days)
            self._next_retention = time.monotonic()
            self._wake.notify()

    def _retention_due(self) -> bool:
        """Called with the lock held, when idle: queue a periodic retention cut if due."""
        if self.config.retention_days is None or time.monotonic() < self._next_retention:
            return False
        self._next_retention = time.monotonic() + self.config.retention_every_s
        cutoff_us = int((self.clock() - self.config.retention_days * 86_400) * 1_000_000)
        seq = self._next_seq
        self._next_seq = seq + 1
        self._pending.append((CONTROL_RETENTION, seq, 0, self.current_actor, cutoff_us, None))
        return True

    def _submit(self, job: _Job) -> None:
        """Hand a job to the commit thread; gives up if that thread has died."""
        self._submitted += 1
        while True:
            try:
                self._jobs.put(job, timeout=0.5)
                return
            except queue.Full:
                if self._commit_thread is None or not self._commit_thread.is_alive():
                    error = self.error or RecordWriteError("the record's commit thread stopped")
                    for waiter in job.waiters:
                        waiter.done(error)
                    raise _CommitThreadGoneError from None

    def _call(self, fn: Callable[[pw.Database], Any]) -> Any:
        """Run `fn(database)` on the commit thread after everything submitted before it."""
        job = _Job(call=fn, finished=threading.Event())
        self._submit(job)
        assert job.finished is not None
        while not job.finished.wait(0.5):
            if self._commit_thread is None or not self._commit_thread.is_alive():
                raise _CommitThreadGoneError
        if job.error is not None:
            raise job.error
        return job.result

    def _process(self, items: deque[Item]) -> bool:
        """Encode what was taken and hand it on in batches; False after the close item."""
        encoder = self._encoder
        assert encoder is not None
        waiters: list[Waiter] = []
        durable = False
        closing = False
        batch_rows = self.config.max_batch_rows
        for code, seq, ts_us, actor, payload, waiter in items:
            if code >= 0:
                encoder.add(code, seq, ts_us, actor, payload)
                if encoder.due:
                    self._queue_snapshots(actor)
                if waiter is not None:
                    waiters.append(waiter)
                    durable = True
                if encoder.batch.count >= batch_rows:
                    # A producer running ahead: bounded batches, so that encoding the next
                    # overlaps committing this one (one huge transaction would serialise them).
                    self._submit(_Job(batch=encoder.take_batch(), durable=durable, waiters=waiters))
                    waiters, durable = [], False
                continue
            if code == CONTROL_FLUSH:
                if waiter is not None:
                    waiters.append(waiter)
                continue
            if code == CONTROL_CLOSE:
                # Snapshot rows this thread queued while close() was being called may follow
                # the close item; they are encoded with the rest before stopping.
                closing = True
                continue
            self._submit(_Job(batch=encoder.take_batch(), durable=durable, waiters=waiters))
            waiters, durable = [], False
            self._retention_chunk(seq, int(payload), actor, waiter)
        if closing:
            self._submit(_Job(batch=encoder.take_batch(), waiters=waiters))
            self._drain()
            self._submit(_Job(stop=True))
            return False
        if not waiters and encoder.batch.count:
            if encoder.batch is not self._open_batch:  # rows began a new open batch
                self._open_batch = encoder.batch
                self._open_until = time.monotonic() + self.config.max_delay_s
            if time.monotonic() < self._open_until:
                return True  # keep it open for more rows
        job = _Job(batch=self._take_open(), durable=durable, waiters=waiters)
        if durable:
            # Wait for an intent's commit instead of encoding on: a thread that keeps the GIL
            # would delay the commit thread by up to the interpreter's switch interval (5 ms).
            job.finished = threading.Event()
        self._submit(job)
        if job.finished is not None:
            while not job.finished.wait(0.5):
                if self._commit_thread is None or not self._commit_thread.is_alive():
                    raise _CommitThreadGoneError
        return True

    def _drain(self) -> None:
        """At close: encode what the writer itself queued (snapshots) after the close item."""
        encoder = self._encoder
        assert encoder is not None
        while True:
            with self._lock:
                rest = list(self._pending)
                self._pending.clear()
            if not rest:
                return
            waiters = []
            for code, seq, ts_us, actor, payload, waiter in rest:
                if code >= 0:
                    encoder.add(code, seq, ts_us, actor, payload)
                    if encoder.due:
                        self._queue_snapshots(actor)
                if waiter is not None:
                    waiters.append(waiter)
            self._submit(_Job(batch=encoder.take_batch(), waiters=waiters))

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

    def _retention_chunk(
        self, seq: int, cutoff_us: int, actor: ActorKey, waiter: Waiter | None
    ) -> None:
        """One chunk of a retention cut; queues the next chunk (with the waiter) if needed."""
        encoder = self._encoder
        assert encoder is not None
        chunk = self.config.retention_chunk_rows
        plan: RetentionPlan | None = self._call(
            lambda database: plan_retention_chunk(database, cutoff_us, chunk)
        )
        if plan is None:
            with self._lock:
                if self._next_seq == seq + 1:  # nobody reserved a seq since: hand it back
                    self._next_seq = seq
                    if waiter is not None:
                        waiter.done()
                    return
            # the reserved seq needs a row or the chain would have a gap: a no-op cut row
            plan = RetentionPlan(first_kept=0, prev_hash="", rows_removed=0, more=False)
        extra: list[tuple[str, tuple[Any, ...]]] = []
        if plan.first_kept:
            param = "?" if self._database is None else self._database.param
            extra = [
                (f'DELETE FROM "{table_name(m)}" WHERE "seq" < {param}', (plan.first_kept,))
                for m in CHAINED_MODELS
            ]
        encoder.add(
            RETENTION_CUT,
            seq,
            int(self.clock() * 1_000_000),
            actor,
            (plan.first_kept, plan.prev_hash, cutoff_us, plan.rows_removed),
        )
        done = [waiter] if waiter is not None and not plan.more else []
        self._submit(_Job(batch=encoder.take_batch(), waiters=done, extra=extra))
        if plan.more:
            with self._lock:
                next_seq = self._next_seq
                self._next_seq = next_seq + 1
                self._pending.append((CONTROL_RETENTION, next_seq, 0, actor, cutoff_us, waiter))

    # ------------------------------------------------------------------ failure

    def _fail(self, error: RecordError) -> None:
        with self._lock:
            if self.error is not None:
                return
            self.error = error
            pending = list(self._pending)
            self._pending.clear()
            self._urgent = True
            self._wake.notify()
        for item in pending:
            if item[5] is not None:
                item[5].done(error)
        if self.on_error is not None:
            try:
                self.on_error(error)
            except Exception:
                log.exception("on_error callback failed")


class _CommitThreadGoneError(Exception):
    """The commit thread is gone; the encoder thread ends quietly."""
