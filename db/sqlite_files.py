"""Opening record files with SQLite: for writing, and read-only for review.

Everything SQLite-specific lives here (PRAGMAs, URI flags, error codes); the models and the
queries are plain peewee and would run on PostgreSQL unchanged. On PostgreSQL the writer
would get its database from a connection URL instead, and none of this applies (WAL and
fsync policy are server settings there; `synchronous_commit` stays on).

Writing:
- The file's first bytes are checked before SQLite touches it; the schema is checked before
  anything is written, so a file that is not a record, or a newer one, is never modified.
- WAL mode. `synchronous=NORMAL` for batched journal commits: in WAL mode a commit is then
  safe against the process being killed (the WAL is in the OS cache) but not against power
  loss. A supervisor action's intent switches the connection to `synchronous=FULL` for its
  own commit, so the intent - and every row before it, which sits earlier in the same WAL -
  is on the disk before the action runs. Automatic checkpoints are off; the writer runs a
  PASSIVE checkpoint itself when it is idle, so a checkpoint never lands inside an intent's
  commit (that is what keeps the intent's latency at one fsync).

Reading (review, verify, export):
- `mode=ro` URI: never writes, works while a console is writing the same file (WAL readers
  see the last committed state) and on a copy that came with or without its -wal file.
- On a read-only medium SQLite cannot create the -shm index: a file without a WAL is then
  opened `immutable=1` (nothing can be writing to it), one with a WAL is copied, with its WAL,
  to a private temporary folder and opened there.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from db.dbapi import run_sql
from db.errors import (
    NotARecordError,
    ReadOnlyRecordError,
    RecordError,
    RecordLockedError,
    RecordNotFoundError,
    WrongSchemaError,
)
from db.schema import check_schema, create_schema, existing_tables, upgrade_schema

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"

_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def sqlite_cause(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind a peewee exception (peewee re-raises with `from`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, sqlite3.Error):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def translate(exc: BaseException, path: Path, doing: str) -> RecordError:
    """Map an SQLite failure to a typed error with a message for people."""
    cause = sqlite_cause(exc)
    code = getattr(cause, "sqlite_errorcode", -1) & 0xFF if cause is not None else -1
    name = path.name
    text = str(cause or exc)
    if code in (_BUSY, _LOCKED) or "locked" in text:
        return RecordLockedError(
            f"{name} is locked by another program (is a console or a database tool using it?); "
            f"could not {doing}",
            path,
        )
    if code == _READONLY or "readonly" in text:
        return ReadOnlyRecordError(
            f"{name} cannot be written (read-only medium or no permission); could not {doing}",
            path,
        )
    if code == _NOTADB or "not a database" in text:
        return NotARecordError(f"{name} is not a database file", path)
    if code == _CORRUPT or "malformed" in text:
        return WrongSchemaError(f"{name} is damaged ({text}); could not {doing}", path)
    if code == _FULL:
        return RecordError(f"the disk holding {name} is full; could not {doing}", path)
    if code == _CANTOPEN:
        return ReadOnlyRecordError(
            f"{name} cannot be opened (its folder may be read-only or missing); could not {doing}",
            path,
        )
    return RecordError(f"{name}: {text}; could not {doing}", path)


def check_header(path: Path) -> int:
    """Size of the file after checking it looks like SQLite (0 = empty). Never writes."""
    if path.is_dir():
        raise NotARecordError(f"{path.name} is a folder, not a record file", path)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError:
        raise ReadOnlyRecordError(f"{path.name} cannot be read (no permission)", path) from None
    except OSError as exc:
        raise RecordError(f"{path.name} cannot be read: {exc.strerror or exc}", path) from None
    if head and head != SQLITE_MAGIC:
        raise NotARecordError(f"{path.name} is not a record (not an SQLite database)", path)
    return len(head)


# ----------------------------------------------------------------------------- writing


def open_for_writing(path: Path, busy_timeout_s: float) -> tuple[pw.SqliteDatabase, dict[str, str]]:
    """Connect (in the calling thread), check or create the schema, set the write PRAGMAs."""
    if path.exists():
        check_header(path)
    elif not path.parent.is_dir():
        raise RecordError(f"folder {path.parent} does not exist", path)
    database = pw.SqliteDatabase(
        str(path),
        timeout=busy_timeout_s,
        check_same_thread=False,
        autoconnect=False,
        # One connection, used by the writer's commit thread or by an action's caller (the
        # writer serialises them with a lock), not one connection per thread.
        thread_safe=False,
    )
    try:
        database.connect()
        tables = existing_tables(database)
        meta = check_schema(database, path) if tables else None
        # Only now may anything be written to the file.
        mode = run_sql(database, "PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise ReadOnlyRecordError(
                f"{path.name} cannot be switched to WAL mode (read-only medium?)", path
            )
        run_sql(database, "PRAGMA synchronous=NORMAL")
        run_sql(database, "PRAGMA wal_autocheckpoint=0")
        run_sql(database, "PRAGMA cache_size=-32000")
        run_sql(database, f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        if meta is None:
            meta = create_schema(database)
        else:
            # Prove we can write (read-only medium, another writer's lock) before going on:
            # SQLite opens an unwritable file read-only without saying so. The update writes
            # the same value and is rolled back, so the file does not change.
            run_sql(database, "BEGIN IMMEDIATE")
            try:
                run_sql(database, 'UPDATE "chain_head" SET "last_seq" = "last_seq"')
            finally:
                run_sql(database, "ROLLBACK")
            meta = upgrade_schema(database, meta)
    except RecordError:
        database.close()
        raise
    except (pw.PeeweeException, sqlite3.Error) as exc:
        database.close()
        raise translate(exc, path, "open it for writing") from exc
    return database, meta


def set_durable(database: pw.Database, durable: bool) -> None:
    """FULL (fsync at commit) for intents, NORMAL for batches. Outside transactions only."""
    run_sql(database, "PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")


def checkpoint(database: pw.Database) -> None:
    """Copy WAL content into the database file without waiting for readers."""
    run_sql(database, "PRAGMA wal_checkpoint(PASSIVE)").fetchall()


# ----------------------------------------------------------------------------- reading


@dataclass
class ReadOnlyFile:
    database: pw.SqliteDatabase
    meta: dict[str, str]
    note: str  # "" normally; says how a read-only medium was handled
    temp_dir: Path | None

    def close(self) -> None:
        self.database.close()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None


def _ro_database(path: Path, flags: str, busy_timeout_s: float) -> pw.SqliteDatabase:
    uri = f"{path.resolve().as_uri()}?{flags}"
    # One connection shared by whichever thread uses the Review (thread_safe=False); the
    # Review serialises its calls, so a worker thread may run long queries.
    return pw.SqliteDatabase(
        uri,
        uri=True,
        timeout=busy_timeout_s,
        check_same_thread=False,
        autoconnect=False,
        thread_safe=False,
    )


def _try_open(path: Path, flags: str, busy_timeout_s: float) -> pw.SqliteDatabase:
    database = _ro_database(path, flags, busy_timeout_s)
    try:
        database.connect()
        existing_tables(database)  # first real read: fails here for bad/locked files
    except BaseException:
        database.close()
        raise
    return database


def open_read_only(
    path: Path, busy_timeout_s: float = 2.0, *, tables_may_be_missing: bool = False
) -> ReadOnlyFile:
    """Open any record read-only (see the module comment); typed errors for bad files.
    `tables_may_be_missing`: see db/schema.py `check_schema`."""
    path = Path(path)
    if not path.exists():
        raise RecordNotFoundError(f"{path} does not exist", path)
    if check_header(path) == 0:
        raise NotARecordError(f"{path.name} is empty, not a record", path)
    note = ""
    temp_dir: Path | None = None
    try:
        database = _try_open(path, "mode=ro", busy_timeout_s)
    except (pw.PeeweeException, sqlite3.Error) as exc:
        cause = sqlite_cause(exc)
        code = getattr(cause, "sqlite_errorcode", -1) & 0xFF if cause else -1
        if code not in (_CANTOPEN, _READONLY, _IOERR):
            raise translate(exc, path, "open it") from exc
        wal = path.with_name(path.name + "-wal")
        try:
            if not wal.exists() or wal.stat().st_size == 0:
                database = _try_open(path, "mode=ro&immutable=1", busy_timeout_s)
                note = "read-only medium: opened as immutable"
            else:
                temp_dir = Path(tempfile.mkdtemp(prefix="hotline-record-"))
                copy = temp_dir / path.name
                shutil.copyfile(path, copy)
                shutil.copyfile(wal, temp_dir / wal.name)
                database = _try_open(copy, "mode=ro", busy_timeout_s)
                note = "read-only medium: reading a temporary copy"
        except (pw.PeeweeException, sqlite3.Error, OSError) as exc2:
            if temp_dir is not None:
                shutil.rmtree(temp_dir, ignore_errors=True)
            if isinstance(exc2, OSError):
                raise RecordError(f"{path.name} cannot be read: {exc2}", path) from exc2
            raise translate(exc2, path, "open it") from exc2
    try:
        meta = check_schema(database, path, tables_may_be_missing=tables_may_be_missing)
    except RecordError:
        database.close()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise
    except (pw.PeeweeException, sqlite3.Error) as exc:
        database.close()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
        raise translate(exc, path, "read it") from exc
    return ReadOnlyFile(database=database, meta=meta, note=note, temp_dir=temp_dir)


class Checkpointer:
    """A thread with its own connection: PASSIVE checkpoints after commits, and fsyncs of the
    WAL file. SQLite only.

    - Soon after commits that did not sync the WAL (the journal's batches, synchronous=NORMAL):
      at most `sync_every_s` later. A durable commit (an intent) must fsync everything written
      to the WAL before it; without these syncs that is up to a second of a busy floor's
      journal (a megabyte), which made an intent's fsync several times slower than an idle
      one. They also put the journal on disk within `sync_every_s`, not at the checkpoint.
    - On request at once (`sync_now`): what makes an intent committed with synchronous=NORMAL
      survive a power loss too, a few milliseconds after its caller went on.
    """

    def __init__(self, path: Path, every_s: float, sync_every_s: float = 0.02) -> None:
        self._path = path
        self._wal = path.with_name(path.name + "-wal")
        self._every_s = every_s
        self._sync_every_s = sync_every_s
        self._dirty = False
        self._sync = False
        self._unsynced = False  # commits since the last fsync of the WAL
        self._last_sync = 0.0
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="record-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self, synced: bool = False) -> None:
        """After a commit; `synced`: it fsynced the WAL itself (synchronous=FULL)."""
        self._dirty = True
        if synced:
            self._unsynced = False
            self._last_sync = time.monotonic()
        elif not self._unsynced:
            self._unsynced = True
            self._wake.set()

    def sync_now(self) -> None:
        self._dirty = True
        self._sync = True
        self._wake.set()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(10.0)

    def _fsync_wal(self) -> None:
        try:
            with self._wal.open("r+b") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            log.warning("could not fsync %s: %s", self._wal.name, exc)

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(str(self._path), timeout=0.0, check_same_thread=False)
        except sqlite3.Error:
            log.warning("checkpoint connection failed; WAL grows until the record is closed")
            return
        last = time.monotonic()
        try:
            while True:
                timeout = self._every_s
                if self._unsynced:
                    timeout = self._last_sync + self._sync_every_s - time.monotonic()
                self._wake.wait(max(0.0, timeout))
                self._wake.clear()
                if self._stop:
                    return
                due = self._unsynced and (time.monotonic() - self._last_sync >= self._sync_every_s)
                if self._sync or due:
                    # Cleared first: a commit during the fsync marks the WAL unsynced again.
                    self._sync = self._unsynced = False
                    self._fsync_wal()
                    self._last_sync = time.monotonic()
                if not self._dirty or time.monotonic() - last < self._every_s:
                    continue
                self._dirty = False
                last = time.monotonic()
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            connection.close()
