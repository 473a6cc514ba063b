"""Files that are not (usable) records: typed errors with clear messages, nothing overwritten."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from db_test_support import T0, fill

from db.chain import verify
from db.errors import (
    NewerSchemaError,
    NotARecordError,
    ReadOnlyRecordError,
    RecordError,
    RecordLockedError,
    RecordNotFoundError,
    WrongSchemaError,
)
from db.models import SCHEMA_VERSION
from db.record import open_record
from db.review import open_review

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.mark.timeout(30)
def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "shift-notes.sqlite"
    path.write_text("值班记录: nothing to see here\n" * 50, encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotARecordError, match="not an SQLite database"):
        open_record(path)
    with pytest.raises(NotARecordError):
        open_review(path)
    with pytest.raises(NotARecordError):
        verify(path)
    assert digest(path) == before
    assert siblings(path) == {"shift-notes.sqlite"}


@pytest.mark.timeout(30)
def test_empty_missing_and_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(NotARecordError, match="empty"):
        open_review(empty)
    with pytest.raises(RecordNotFoundError):
        open_review(tmp_path / "nope.sqlite")
    with pytest.raises(RecordError, match="does not exist"):
        open_record(tmp_path / "no-such-folder" / "r.sqlite")
    with pytest.raises(NotARecordError, match="folder"):
        open_review(tmp_path)


@pytest.mark.timeout(30)
def test_other_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('王芳', '96274000')")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(WrongSchemaError, match="not a hotline record"):
        open_record(path)
    with pytest.raises(WrongSchemaError, match="contacts"):
        open_review(path)
    assert digest(path) == before
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        connection.close()


@pytest.mark.timeout(30)
def test_damaged_record(make_record: Callable[..., Path]) -> None:
    path = make_record(events=5)
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE alarm_ack")
    connection.commit()
    connection.close()
    with pytest.raises(WrongSchemaError, match="missing table"):
        open_review(path)


@pytest.mark.timeout(30)
def test_newer_schema(make_record: Callable[..., Path]) -> None:
    path = make_record(events=5)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE meta SET value = '7' WHERE name = 'schema_version'")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(NewerSchemaError, match="newer version") as raised:
        open_record(path)
    assert (raised.value.found, raised.value.supported) == (7, SCHEMA_VERSION)
    with pytest.raises(NewerSchemaError):
        open_review(path)
    assert digest(path) == before


@pytest.fixture
def exclusive_lock(make_record: Callable[..., Path]) -> Iterator[Path]:
    """A record on which another program holds an exclusive lock."""
    path = make_record(events=5)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE chain_head SET last_seq = last_seq")
    yield path
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.timeout(30)
def test_locked_file(exclusive_lock: Path) -> None:
    with pytest.raises(RecordLockedError, match="locked by another program"):
        open_review(exclusive_lock, busy_timeout_s=0.1)
    with pytest.raises(RecordLockedError):
        open_record(exclusive_lock, busy_timeout_s=0.1)


@posix_only
@pytest.mark.timeout(30)
def test_read_only_medium(
    make_record: Callable[..., Path], read_only_medium: Callable[[Path], None]
) -> None:
    path = make_record(events=30)
    assert siblings(path) == {"r.sqlite"}  # closed cleanly: no -wal / -shm left
    before = digest(path)
    read_only_medium(path)
    read_only_medium(path.parent)
    with pytest.raises(ReadOnlyRecordError, match="cannot be"):
        open_record(path)
    with open_review(path) as review:
        assert review.note == "read-only medium: opened as immutable"
        assert len(review.actions()) == 1
    assert verify(path).ok
    assert digest(path) == before
    assert siblings(path) == {"r.sqlite"}


@posix_only
@pytest.mark.timeout(30)
def test_copy_with_wal_on_read_only_medium(
    tmp_path: Path, read_only_medium: Callable[[Path], None]
) -> None:
    """A file copied (with its -wal) from a PC whose console was still writing it."""
    live = tmp_path / "live.sqlite"
    media = tmp_path / "usb"
    media.mkdir()
    with open_record(live, "alice", "ws-01", snapshot_every_s=60.0) as rec:
        fill(rec, 120)
        shutil.copyfile(live, media / "copy.sqlite")
        shutil.copyfile(live.with_name("live.sqlite-wal"), media / "copy.sqlite-wal")
        copied = rec.committed_seq
    for item in (media / "copy.sqlite", media / "copy.sqlite-wal", media):
        read_only_medium(item)
    with open_review(media / "copy.sqlite") as review:
        assert "temporary copy" in review.note
        assert review.head()[0] == copied
        assert len(review.journal(limit=1000)) == 120
    result = verify(media / "copy.sqlite")
    assert result.ok and result.rows == copied
    assert siblings(media / "copy.sqlite") == {"copy.sqlite", "copy.sqlite-wal"}


@pytest.mark.timeout(30)
def test_review_while_console_writes(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    with open_record(path, "alice", "ws-01") as rec:
        fill(rec, 50)
        with open_review(path) as review:
            seen = len(review.journal())
            rec.journal_event(T0 + 900, "Hangup", {"Channel": "PJSIP/1001-00000009"})
            rec.flush()
            assert len(review.journal()) == seen + 1
            assert verify(path).ok


@pytest.mark.timeout(30)
def test_review_from_a_worker_thread(make_record: Callable[..., Path]) -> None:
    path = make_record(events=40)
    results: list[int] = []
    with open_review(path) as review:
        worker = threading.Thread(target=lambda: results.append(len(review.journal())))
        worker.start()
        worker.join(20)
        results.append(len(review.journal()))
    assert results == [40, 40]
