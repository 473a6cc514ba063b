"""Writing the record: the API the console (and `replay --record`) calls.

Every method only queues a row for the writer thread (db/writer.py) and returns at once -
except `action_intent`, which returns only after its row is committed durably, because a
supervisor action must leave a trace even if the console dies while executing it.

Every row names a supervisor and a workstation. Until accounts exist the supervisor is the
operating-system user; `sign_in(account)` makes the account the supervisor of later rows,
`sign_out()` returns to the OS user. Times are epoch seconds (float) in and integer
microseconds in the file. Methods are thread-safe.
"""

from __future__ import annotations

import atexit
import getpass
import os
import platform
import socket
import sys
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from db.canonical import json_text
from db.errors import RecordClosedError, RecordError, RecordWriteError
from db.models import SCHEMA_VERSION, TABLE_INDEX
from db.writer import CONTROL_FLUSH, CONTROL_RETENTION, RecordWriter, Waiter, WriterConfig
from db.zone import zone_details

APP_NAME = "hotline-console"

_RECORD_OPEN = TABLE_INDEX["record_open"]
_JOURNAL = TABLE_INDEX["journal"]
_ACTION_INTENT = TABLE_INDEX["action_intent"]
_ACTION_RESULT = TABLE_INDEX["action_result"]
_MONITOR_START = TABLE_INDEX["monitor_start"]
_MONITOR_MODE = TABLE_INDEX["monitor_mode"]
_MONITOR_END = TABLE_INDEX["monitor_end"]
_ALARM_RAISED = TABLE_INDEX["alarm_raised"]
_ALARM_ACK = TABLE_INDEX["alarm_ack"]
_ALARM_CLEARED = TABLE_INDEX["alarm_cleared"]
_ALARM_CHANGE = TABLE_INDEX["alarm_change"]
_SIGN_IN = TABLE_INDEX["sign_in"]
_SETTING_CHANGE = TABLE_INDEX["setting_change"]

MONITOR_MODES = ("listen", "whisper", "barge")
SECRET_PLACEHOLDER = "***"


def default_supervisor() -> str:
    """The operating-system user (the supervisor until accounts exist)."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError, ImportError):
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


def default_workstation() -> str:
    return socket.gethostname() or platform.node() or "unknown"


@dataclass(frozen=True)
class ActionHandle:
    """A durably recorded intent; pass it to `Record.action_result`."""

    seq: int
    action: str
    agent: str | None
    queue: str | None
    started: float  # time.monotonic() when the intent was committed


@dataclass(frozen=True)
class MonitorHandle:
    seq: int
    agent: str


@dataclass(frozen=True)
class AlarmHandle:
    seq: int
    rule: str


def _exit_closer(record: Record) -> Callable[[], None]:
    ref = weakref.ref(record)

    def close() -> None:
        alive = ref()
        if alive is not None:
            alive.close()

    return close


def _us(ts: float) -> int:
    return round(ts * 1_000_000)


class Record:
    """An open record file being written. Create with `open_record`; `close()` when done."""

    def __init__(
        self,
        writer: RecordWriter,
        path: Path,
        supervisor: str,
        workstation: str,
        clock: Callable[[], float],
    ) -> None:
        self._writer = writer
        self.path = path
        self.record_id = writer.meta.get("record_id", "")
        self._os_user = supervisor
        self.workstation = workstation
        self._actor = (supervisor, workstation)
        writer.current_actor = self._actor
        self._clock = clock
        self._closed = False
        self.opened_seq = 0  # this session's record_open row (set by open_record)
        # A console that exits without close() still commits what it queued: the writer
        # thread is a daemon and would otherwise die with the queue.
        self._at_exit = _exit_closer(self)
        atexit.register(self._at_exit)

    # -- who --------------------------------------------------------------------------

    @property
    def supervisor(self) -> str:
        return self._actor[0]

    def _set_supervisor(self, name: str) -> None:
        self._actor = (name, self.workstation)
        self._writer.current_actor = self._actor

    # -- state ------------------------------------------------------------------------

    @property
    def committed_seq(self) -> int:
        """The last seq known to be committed."""
        return self._writer.committed_seq

    @property
    def error(self) -> RecordError | None:
        """Why the writer stopped, if it did."""
        return self._writer.error

    def _put(self, table: int, ts: float | None, payload: Any, waiter: Waiter | None = None) -> int:
        if self._closed:
            raise RecordClosedError("the record is closed", self.path)
        when = self._clock() if ts is None else ts
        return self._writer.enqueue(table, _us(when), self._actor, payload, waiter)

    # -- journal ----------------------------------------------------------------------

    def journal_event(
        self,
        ts: float,
        event_name: str,
        fields: Mapping[str, Any] | Sequence[tuple[str, Any]],
    ) -> int:
        """Queue one normalised PBX event; returns its seq. Never waits for the disk.

        `fields` is every header of the event (a mapping, or (name, value) pairs where
        repeated headers are kept as lists). It is copied, so the caller may reuse it.
        """
        snapshot: Mapping[str, Any] | tuple[tuple[str, Any], ...]
        if fields.__class__ is dict or isinstance(fields, Mapping):
            snapshot = dict(fields)
        else:
            snapshot = tuple(fields)
        if self._closed:
            raise RecordClosedError("the record is closed", self.path)
        return self._writer.enqueue(
            _JOURNAL, round(ts * 1_000_000), self._actor, (event_name, snapshot)
        )

    # -- supervisor actions -----------------------------------------------------------

    def action_intent(
        self,
        action: str,
        *,
        agent: str | None = None,
        queue: str | None = None,
        params: Mapping[str, Any] | None = None,
        ts: float | None = None,
        timeout_s: float = 10.0,
    ) -> ActionHandle:
        """Record that `action` is about to run; returns once the row is on disk (fsync).

        Raises RecordWriteError if it could not be committed: the caller should then not
        run the action (or run it knowing it is unrecorded).
        """
        waiter = Waiter()
        content = (action, agent, queue, json_text(dict(params or {})))
        if self._closed:
            raise RecordClosedError("the record is closed", self.path)
        when = self._clock() if ts is None else ts
        seq = self._writer.commit_urgent(
            _ACTION_INTENT, _us(when), self._actor, content, waiter, timeout_s
        )
        if not waiter.event.wait(timeout_s):
            raise RecordWriteError(
                f"the intent of {action} was not confirmed within {timeout_s:g} s", self.path
            )
        if waiter.error is not None:
            raise RecordWriteError(f"the intent of {action} was not recorded: {waiter.error}")
        return ActionHandle(seq, action, agent, queue, time.monotonic())

    def action_result(
        self,
        handle: ActionHandle,
        ok: bool,
        result: str | Mapping[str, Any] = "",
        duration: float | None = None,
        ts: float | None = None,
    ) -> int:
        """Record how the action ended; duration in seconds (measured from the intent if None)."""
        seconds = time.monotonic() - handle.started if duration is None else duration
        text = result if isinstance(result, str) else json_text(dict(result))
        content = (handle.seq, int(bool(ok)), text, round(seconds * 1000))
        return self._put(_ACTION_RESULT, ts, content)

    # -- monitoring -------------------------------------------------------------------

    def monitor_session_start(
        self,
        agent: str,
        mode: str,
        *,
        queue: str | None = None,
        linkedid: str | None = None,
        caller: str | None = None,
        details: Mapping[str, Any] | None = None,
        ts: float | None = None,
    ) -> MonitorHandle:
        content = (agent, mode, queue, linkedid, caller, json_text(dict(details or {})))
        return MonitorHandle(self._put(_MONITOR_START, ts, content), agent)

    def monitor_session_mode(
        self, handle: MonitorHandle, mode: str, ts: float | None = None
    ) -> int:
        return self._put(_MONITOR_MODE, ts, (handle.seq, mode))

    def monitor_session_end(
        self, handle: MonitorHandle, reason: str = "ended", ts: float | None = None
    ) -> int:
        return self._put(_MONITOR_END, ts, (handle.seq, reason))

    # -- alarms -----------------------------------------------------------------------

    def alarm_raised(
        self,
        rule: str,
        severity: str,
        message: str,
        *,
        queue: str | None = None,
        agent: str | None = None,
        details: Mapping[str, Any] | None = None,
        ts: float | None = None,
    ) -> AlarmHandle:
        content = (rule, severity, queue, agent, message, json_text(dict(details or {})))
        return AlarmHandle(self._put(_ALARM_RAISED, ts, content), rule)

    def alarm_acknowledged(
        self, alarm: AlarmHandle | int, comment: str = "", ts: float | None = None
    ) -> int:
        seq = alarm.seq if isinstance(alarm, AlarmHandle) else int(alarm)
        return self._put(_ALARM_ACK, ts, (seq, comment))

    def alarm_changed(
        self,
        alarm: AlarmHandle | int,
        change: str,
        severity: str,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        ts: float | None = None,
    ) -> int:
        """The alarm's severity changed (`change="severity"`) or it escalated ("escalated")."""
        seq = alarm.seq if isinstance(alarm, AlarmHandle) else int(alarm)
        content = (seq, change, severity, message, json_text(dict(details or {})))
        return self._put(_ALARM_CHANGE, ts, content)

    def alarm_cleared(
        self, alarm: AlarmHandle | int, reason: str = "cleared", ts: float | None = None
    ) -> int:
        seq = alarm.seq if isinstance(alarm, AlarmHandle) else int(alarm)
        return self._put(_ALARM_CLEARED, ts, (seq, reason))

    # -- sign-ins and settings --------------------------------------------------------

    def sign_in(
        self, account: str, ok: bool = True, method: str = "password", ts: float | None = None
    ) -> int:
        """A sign-in attempt. On success `account` becomes the supervisor of later rows."""
        if ok:
            self._set_supervisor(account)
        return self._put(_SIGN_IN, ts, (account, "ok" if ok else "failed", method))

    def sign_out(self, method: str = "manual", ts: float | None = None) -> int:
        """The supervisor's session ended (`method`: how; "console_closed" at shut-down)."""
        seq = self._put(_SIGN_IN, ts, (self.supervisor, "signed_out", method))
        self._set_supervisor(self._os_user)
        return seq

    def setting_changed(
        self,
        setting: str,
        old: object,
        new: object,
        *,
        secret: bool = False,
        ts: float | None = None,
    ) -> int:
        """Values are stored as JSON; `secret=True` stores '***' instead of either value."""
        if secret:
            old_text, new_text = json_text(SECRET_PLACEHOLDER), json_text(SECRET_PLACEHOLDER)
        else:
            old_text, new_text = json_text(old), json_text(new)
        return self._put(_SETTING_CHANGE, ts, (setting, old_text, new_text))

    # -- housekeeping -----------------------------------------------------------------

    def flush(self, timeout_s: float = 60.0) -> int:
        """Wait until everything queued so far is committed; returns the committed seq."""
        if self._closed:
            raise RecordClosedError("the record is closed", self.path)
        waiter = self._writer.control(CONTROL_FLUSH)
        if not waiter.event.wait(timeout_s):
            raise RecordWriteError(f"rows were not committed within {timeout_s:g} s", self.path)
        if waiter.error is not None:
            raise RecordWriteError(str(waiter.error), self.path)
        return self._writer.committed_seq

    @property
    def retention_days(self) -> float | None:
        return self._writer.config.retention_days

    def set_retention(self, keep_days: float | None) -> None:
        """Change the retention period of this open record (None: keep everything)."""
        self._writer.set_retention(keep_days)

    def apply_retention(self, keep_days: float, timeout_s: float = 600.0) -> None:
        """Remove rows older than `keep_days` now (in chunks, each with an anchor row)."""
        cutoff_us = _us(self._clock() - keep_days * 86_400)
        waiter = self._writer.control(CONTROL_RETENTION, cutoff_us, reserve_seq=True)
        if not waiter.event.wait(timeout_s):
            raise RecordWriteError("retention did not finish in time", self.path)
        if waiter.error is not None:
            raise RecordWriteError(str(waiter.error), self.path)
        self.flush(timeout_s)

    def close(self) -> None:
        """Commit what is queued, stop the writer thread, close the file. Idempotent."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._at_exit)
        self._writer.close()

    def __enter__(self) -> Record:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_record(
    path: str | Path,
    supervisor: str | None = None,
    workstation: str | None = None,
    *,
    purpose: str = "console",
    app: str = APP_NAME,
    retention_days: float | None = None,
    snapshot_every_s: float = 300.0,
    snapshot_every_rows: int = 20_000,
    wrapup_s: Mapping[str, float] | None = None,
    default_wrapup_s: float = 0.0,
    max_batch_rows: int = 5_000,
    max_delay_s: float = WriterConfig.max_delay_s,
    busy_timeout_s: float = 5.0,
    intent_sync: str = "full",
    on_commit: Callable[[int], None] | None = None,
    on_error: Callable[[RecordError], None] | None = None,
    clock: Callable[[], float] = time.time,
    definitions: Mapping[str, Any] | None = None,
    pbx: str | None = None,
) -> Record:
    """Open (or create) a record for writing and start its writer thread.

    `definitions`: the definitions of the floor figures this console runs with
    (cti.state.config.definitions_json), kept in the record_open row so a review of a past day
    uses them (`Review.definitions_at`). `pbx`: which PBX this session follows ("lab:water",
    "ami:10.0.0.5:5038"), so a later session knows which earlier journal is its floor's.

    Raises a RecordError subclass for files that are not records, newer records, locked or read-
    only files; the file is not modified in those cases. `on_commit(last_seq)` and
    `on_error(error)` are called from the writer's threads (or an action_intent caller's).
    `intent_sync`: "full" (default) fsyncs an intent's commit before `action_intent` returns;
    "normal" returns
    after the commit and fsyncs the WAL immediately afterwards (db/writer.py).
    """
    if intent_sync not in ("full", "normal"):
        raise ValueError(f"intent_sync must be 'full' or 'normal', not {intent_sync!r}")
    target = Path(path)
    config = WriterConfig(
        path=target,
        snapshot_every_s=snapshot_every_s,
        snapshot_every_rows=snapshot_every_rows,
        max_batch_rows=max_batch_rows,
        max_delay_s=max_delay_s,
        busy_timeout_s=busy_timeout_s,
        retention_days=retention_days,
        wrapup_s=tuple(sorted((wrapup_s or {}).items())),
        default_wrapup_s=default_wrapup_s,
        intent_sync=intent_sync,
    )
    writer = RecordWriter(config, on_commit=on_commit, on_error=on_error, clock=clock)
    writer.start()
    record = Record(
        writer,
        target,
        supervisor or default_supervisor(),
        workstation or default_workstation(),
        clock,
    )
    details: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
        "schema": SCHEMA_VERSION,
        "zone": zone_details(clock()),
    }
    if definitions is not None:
        details["floor"] = dict(definitions)
    if pbx is not None:
        details["pbx"] = pbx
    record.opened_seq = record._put(
        _RECORD_OPEN, None, (app, purpose, os.getpid(), json_text(details))
    )
    return record


class ReplayRecordSink:
    """Journals a capture replay: `sink(event, message)` per event, `close()` at the end.

    A raw capture has no per-frame time, so each event is stamped with the replay's own
    capture clock (cti.state.replay.CaptureClock: the time fields the stream carries, never
    going back) - the same clock the store sees. Events that come before the first time field
    are held and stamped with the first time found (or the wall clock at close).
    """

    _HOLD_MAX = 100_000

    def __init__(self, record: Record) -> None:
        from cti.state.replay import CaptureClock

        self.record = record
        self._clock = CaptureClock()
        self._held: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.events = 0

    def __call__(self, event: Any, message: Any) -> None:
        self._clock.observe(message, event)
        name = str(message.name or getattr(event, "name", "") or "")
        fields = tuple(message.headers)
        if not self._clock.now:
            if len(self._held) < self._HOLD_MAX:
                self._held.append((name, fields))
                return
            self._flush_held(time.time())
        if self._held:
            self._flush_held(self._clock.now)
        self.record.journal_event(self._clock.now, name, fields)
        self.events += 1

    def _flush_held(self, ts: float) -> None:
        for name, fields in self._held:
            self.record.journal_event(ts, name, fields)
            self.events += 1
        self._held.clear()

    def close(self) -> None:
        if self._held:
            self._flush_held(self._clock.now or time.time())
        self.record.close()


def open_replay_sink(
    path: str | Path, supervisor: str | None = None, workstation: str | None = None
) -> ReplayRecordSink:
    """The `replay --record DB` hook: a record opened for the replay, as an event sink."""
    return ReplayRecordSink(open_record(path, supervisor, workstation, purpose="replay"))
