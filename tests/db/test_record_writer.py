"""The writer API: what each call stores, durability of intents, reopening, failures."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from db_test_support import T0, fill
from polling import wait_until

from db.chain import verify
from db.errors import RecordClosedError, RecordError, RecordWriteError
from db.models import TABLE_INDEX
from db.record import open_record
from db.row_encoder import RowEncoder
from db.sqlite_files import Checkpointer
from db.writer import RecordWriter


def rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def writer_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("record-")]


@pytest.mark.parametrize("sync", ["full", "normal"])
@pytest.mark.timeout(30)
def test_intent_is_on_disk_when_action_intent_returns(tmp_path: Path, sync: str) -> None:
    path = tmp_path / "r.sqlite"
    committed: list[int] = []
    with open_record(
        path, "alice", "ws-01", max_delay_s=5.0, on_commit=committed.append, intent_sync=sync
    ) as rec:
        for i in range(50):
            rec.journal_event(T0 + i, "Newstate", {"Channel": "PJSIP/1001-00000001"})
        handle = rec.action_intent("QueuePause", agent="PJSIP/1001", params={"reason": "午餐"})
        # no flush: the intent and every row queued before it are already committed
        found = rows(
            path, "SELECT action, agent, params FROM action_intent WHERE seq = ?", handle.seq
        )
        assert found == [("QueuePause", "PJSIP/1001", '{"reason":"午餐"}')]
        assert rows(path, "SELECT COUNT(*) FROM journal") == [(50,)]
        assert committed and committed[-1] >= handle.seq
        rec.action_result(handle, False, {"Response": "Error", "Message": "Interface not found"})
        last = rec.flush()
        assert last == rec.committed_seq == committed[-1]
    result = rows(path, "SELECT intent_seq, ok, result, duration_ms FROM action_result")
    assert result[0][:2] == (handle.seq, 0)
    assert json.loads(result[0][2]) == {"Response": "Error", "Message": "Interface not found"}
    assert result[0][3] is not None and result[0][3] >= 0
    assert writer_threads() == []


@pytest.mark.timeout(30)
def test_journal_batches_reach_the_disk_soon_and_intents_sync_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches commit without an fsync; the WAL is fsynced right after (not at the next
    intent or checkpoint), so an intent's own fsync never carries a second of journal."""
    started: list[int] = []
    done: list[int] = []
    original = Checkpointer._fsync_wal

    def recording(self: Checkpointer) -> None:
        started.append(1)
        original(self)
        done.append(1)

    monkeypatch.setattr(Checkpointer, "_fsync_wal", recording)
    with open_record(tmp_path / "r.sqlite", "alice", "ws-01") as rec:
        checkpointer = rec._writer._checkpointer
        assert checkpointer is not None

        def quiet() -> bool:  # every commit so far is fsynced and no fsync is running
            return not checkpointer._unsynced and len(started) == len(done)

        rec.flush()
        wait_until(lambda: done and quiet(), 10, "the WAL was fsynced after the first commit")
        before = len(done)
        for i in range(20):
            rec.journal_event(T0 + i, "Newstate", {"Channel": "PJSIP/1001-00000001"})
        rec.flush()  # the batch is committed (synchronous=NORMAL) when this returns
        wait_until(
            lambda: len(done) > before and quiet(), 10, "the journal's batch was fsynced by itself"
        )
        before = len(done)
        rec.action_intent("QueuePause", agent="PJSIP/1001")
        # The intent's commit (synchronous=FULL) fsynced the WAL itself: nothing is left to sync.
        assert quiet() and len(done) == before


@pytest.mark.timeout(30)
def test_every_row_names_supervisor_and_workstation(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_record(path, "os-user", "ws-07") as rec:
        rec.journal_event(T0, "FullyBooted", {"Status": "Fully Booted"})
        rec.sign_in("李四", ts=T0 + 1)
        rec.setting_changed("ami.secret", "old", "new", secret=True, ts=T0 + 2)
        rec.sign_in("mallory", ok=False, ts=T0 + 3)
        rec.sign_out(ts=T0 + 4)
        rec.setting_changed("wallboard.port", None, "/dev/ttyUSB0", ts=T0 + 5)
    named = rows(
        path,
        "SELECT t.seq, a.supervisor, a.workstation FROM ("
        "SELECT seq, actor FROM sign_in UNION ALL SELECT seq, actor FROM setting_change "
        "UNION ALL SELECT seq, actor FROM journal) t JOIN actor a ON a.id = t.actor ORDER BY t.seq",
    )
    assert [(s, w) for _, s, w in named] == [
        ("os-user", "ws-07"),  # journal
        ("李四", "ws-07"),  # sign-in row is the new supervisor's
        ("李四", "ws-07"),
        ("李四", "ws-07"),  # failed attempt changes nothing
        ("李四", "ws-07"),  # sign-out is the leaving supervisor's
        ("os-user", "ws-07"),
    ]
    settings = rows(path, "SELECT setting, old_value, new_value FROM setting_change ORDER BY seq")
    assert settings == [
        ("ami.secret", '"***"', '"***"'),
        ("wallboard.port", "null", '"/dev/ttyUSB0"'),
    ]
    outcomes = rows(path, "SELECT account, outcome FROM sign_in ORDER BY seq")
    assert outcomes == [("李四", "ok"), ("mallory", "failed"), ("李四", "signed_out")]


@pytest.mark.timeout(30)
def test_journal_keeps_every_header(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_record(path) as rec:
        headers = [
            ("Event", "Newchannel"),
            ("Channel", "PJSIP/1002-0000000b"),
            ("Linkedid", "1795337201.17"),
            ("ChanVariable", "A=1"),
            ("ChanVariable", "B=2"),
            ("Name", "bad \udcff byte"),  # an undecodable byte smuggled into str
        ]
        rec.journal_event(T0, "Newchannel", headers)
    stored = rows(path, "SELECT name, interface, queue, linkedid, fields FROM journal")
    name, interface, queue, linkedid, fields = stored[0]
    assert (name, interface, queue, linkedid) == (
        "Newchannel",
        "PJSIP/1002",
        None,
        "1795337201.17",
    )
    data = json.loads(fields)
    assert data["ChanVariable"] == ["A=1", "B=2"]
    assert data["Name"].startswith("bad ") and "\udcff" not in data["Name"]
    assert verify(path).ok


@pytest.mark.timeout(30)
def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_record(path, "alice", "ws-01", snapshot_every_rows=40) as rec:
        fill(rec, 100)
        first_last = rec.committed_seq
    with open_record(path, "bob", "ws-02", snapshot_every_rows=40) as rec:
        seq = rec.journal_event(T0 + 500, "Hangup", {"Channel": "PJSIP/1001-00000002"})
        assert seq == first_last + 2  # its own record_open row comes first
        fill(rec, 100, t0=T0 + 600)
    result = verify(path)
    assert result.ok and result.first_seq == 1
    opened = rows(path, "SELECT a.supervisor FROM record_open r JOIN actor a ON a.id = r.actor")
    assert opened == [("alice",), ("bob",)]
    snapshots = rows(path, "SELECT through_seq, seq FROM floor_snapshot ORDER BY seq")
    assert snapshots and all(through < seq for through, seq in snapshots)


@pytest.mark.timeout(30)
def test_closed_record_refuses_writes(tmp_path: Path) -> None:
    rec = open_record(tmp_path / "r.sqlite")
    rec.close()
    rec.close()  # idempotent
    with pytest.raises(RecordClosedError):
        rec.journal_event(T0, "Hangup", {})
    with pytest.raises(RecordClosedError):
        rec.action_intent("QueuePause")


@pytest.mark.timeout(30)
def test_second_writer_cannot_fork_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    errors: list[RecordError] = []
    first = open_record(path, "alice", "ws-01", on_error=errors.append)
    second = None
    try:
        fill(first, 20)
        second = open_record(path, "bob", "ws-02", on_error=errors.append)
        second.flush()
        with pytest.raises(RecordWriteError):
            for i in range(100):
                first.journal_event(T0 + 1000 + i, "Newstate", {"Channel": "PJSIP/1001-1"})
                first.flush()
        assert first.error is not None and "another program is writing" in str(first.error)
        second.journal_event(T0 + 2000, "Newstate", {"Channel": "PJSIP/1003-1"})
        second.flush()
    finally:
        first.close()
        if second is not None:
            second.close()
    assert len(errors) == 1
    assert verify(path).ok


@pytest.mark.timeout(30)
def test_failed_intent_raises_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[RecordError] = []
    rec = open_record(tmp_path / "r.sqlite", on_error=errors.append)
    try:
        rec.flush()

        def broken(self: RecordWriter, *args: Any, **kwargs: Any) -> None:
            raise RecordError("the disk holding r.sqlite is full; could not save rows")

        monkeypatch.setattr(RecordWriter, "_write", broken)
        with pytest.raises(RecordWriteError, match=r"disk holding r\.sqlite is full"):
            rec.action_intent("QueueRemove", agent="PJSIP/1001")
        with pytest.raises(RecordWriteError):
            rec.journal_event(T0, "Hangup", {})
    finally:
        rec.close()
    assert [str(e) for e in errors] == ["the disk holding r.sqlite is full; could not save rows"]
    assert writer_threads() == []


@pytest.mark.timeout(60)
def test_close_right_after_a_burst_keeps_every_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows and floor snapshots queued while close() is called are all committed."""
    path = tmp_path / "burst.sqlite"
    for attempt in range(5):
        rec = open_record(path, "alice", "ws-01", snapshot_every_s=10.0, max_delay_s=0.0)
        for i in range(3000):
            rec.journal_event(T0 + attempt * 10_000 + i, "QueueCallerJoin", {"Queue": "q"})
        rec.close()
        assert rec.error is None
    result = verify(path)
    assert result.ok, result.message
    assert rows(path, "SELECT COUNT(*) FROM journal") == [(15_000,)]
    snapshots = rows(path, "SELECT COUNT(*) FROM floor_snapshot")[0][0]
    assert snapshots >= 5 * 299
    assert "record writer stopped" not in caplog.text


@pytest.mark.timeout(60)
def test_intents_from_several_threads_under_load_keep_the_chain(tmp_path: Path) -> None:
    """An intent is committed on its caller's thread when the commit thread is idle, through
    the pipeline when it is busy; under a journal load from another thread both happen, and
    the record stays one intact chain holding every row in order."""
    path = tmp_path / "r.sqlite"
    committers: set[str] = set()

    def note(_seq: int) -> None:
        committers.add(threading.current_thread().name)

    stop = threading.Event()
    journal = 0

    def load() -> None:
        nonlocal journal
        while not stop.is_set():
            rec.journal_event(
                T0 + journal, "Newstate", {"Channel": f"PJSIP/{1000 + journal % 50}-1"}
            )
            journal += 1
            if journal % 20 == 0:
                stop.wait(0.001)

    handles: list[int] = []
    lock = threading.Lock()

    def act(name: str) -> None:
        for i in range(60):
            handle = rec.action_intent("QueuePause", agent=f"PJSIP/{1000 + i}", params={"by": name})
            with lock:
                handles.append(handle.seq)
            rec.action_result(handle, True, "Success")
            if i % 3 == 0:
                stop.wait(0.002)

    with open_record(path, "alice", "ws-01", on_commit=note, max_delay_s=0.02) as rec:
        loader = threading.Thread(target=load, name="test-load")
        actors = [
            threading.Thread(target=act, args=(f"sup-{n}",), name=f"test-act-{n}") for n in range(3)
        ]
        loader.start()
        for t in actors:
            t.start()
        for t in actors:
            t.join()
        stop.set()
        loader.join()
        rec.flush()
        assert rec.error is None
    result = verify(path)
    assert result.ok, result.message
    assert rows(path, "SELECT COUNT(*) FROM journal") == [(journal,)]
    assert sorted(r[0] for r in rows(path, "SELECT seq FROM action_intent")) == sorted(handles)
    assert rows(path, "SELECT COUNT(*) FROM action_result") == [(180,)]
    assert "record-commit" in committers
    assert any(name.startswith("test-act-") for name in committers)


@pytest.mark.timeout(60)
def test_rows_are_encoded_at_once_and_committed_with_their_batch_or_an_intent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Journal rows are hashed soon after they are queued but committed in batches; an intent
    then only encodes its own row and commits the open batch with it."""
    encoded: list[tuple[int, str]] = []  # (table, thread) in encoding order
    add = RowEncoder.add

    def noting_add(self: RowEncoder, table: int, *rest: Any) -> None:
        encoded.append((table, threading.current_thread().name))
        add(self, table, *rest)

    monkeypatch.setattr(RowEncoder, "add", noting_add)
    path = tmp_path / "r.sqlite"
    # A batch would wait an hour for more rows: only an intent or the close commits it.
    with open_record(path, "alice", "ws-01", max_delay_s=3600.0) as rec:
        opened = rec.flush()
        encoded.clear()
        seqs = [rec.journal_event(T0 + i, "QueueCallerJoin", {"Queue": "q"}) for i in range(20)]
        wait_until(lambda: len(encoded) == 20, 20.0, "the encoder thread to hash the 20 rows")
        assert {thread for _, thread in encoded} == {"record-writer"}
        assert rec.committed_seq == opened

        handle = rec.action_intent("QueuePause", agent="PJSIP/1001")
        assert encoded[20:] == [(TABLE_INDEX["action_intent"], "MainThread")]
        assert rec.committed_seq == handle.seq == seqs[-1] + 1
        assert rows(path, "SELECT COUNT(*) FROM journal") == [(20,)]
        rec.journal_event(T0 + 30, "QueueCallerLeave", {"Queue": "q"})
    assert rows(path, "SELECT COUNT(*) FROM journal") == [(21,)]
    assert verify(path).ok

    # With nothing else happening, an open batch is committed once it is due.
    with open_record(path, "alice", "ws-01", max_delay_s=0.2) as rec:
        later = [
            rec.journal_event(T0 + 40 + i, "QueueCallerJoin", {"Queue": "q"}) for i in range(5)
        ]
        wait_until(lambda: rec.committed_seq >= later[-1], 20.0, "the open batch to be committed")
        assert rows(path, "SELECT COUNT(*) FROM journal") == [(26,)]
    assert verify(path).ok
