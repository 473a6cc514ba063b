"""Records written before schema 2 (which added `alarm_change`): every reader takes them as
they are, without writing; a console that writes to one upgrades it first and the chain goes
on unbroken."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from db_test_support import T0, run_sql

from db.chain import verify
from db.errors import WrongSchemaError
from db.models import SCHEMA_VERSION
from db.record import open_record
from db.review import open_review

pytestmark = pytest.mark.timeout(30)


DROP_NEW_TABLE = "DROP TABLE alarm_change"
AS_SCHEMA_1 = "UPDATE meta SET value = '1' WHERE name = 'schema_version'"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _schema_1_record(path: Path) -> Path:
    """A record exactly as schema 1 wrote it: no alarm_change table, version 1 in meta."""
    with open_record(path, "班长", "desk-1", snapshot_every_s=60.0) as rec:
        for i in range(30):
            rec.journal_event(
                T0 + i, "QueueCallerJoin", {"Queue": "urban", "Uniqueid": str(i), "Position": "1"}
            )
        alarm = rec.alarm_raised(
            "waiting", "warning", "Queue urban: 6 calls waiting", queue="urban", ts=T0 + 31
        )
        rec.alarm_acknowledged(alarm, "已安排", ts=T0 + 40)
        rec.sign_in("班长", method="os_user", ts=T0 - 5)
    run_sql(path, DROP_NEW_TABLE, AS_SCHEMA_1)
    return path


def test_schema_1_record_is_read_and_verified_without_a_write(tmp_path: Path) -> None:
    path = _schema_1_record(tmp_path / "old.sqlite3")
    before = _digest(path)
    result = verify(path)
    assert result.ok, result.message
    with open_review(path) as review:
        assert review.schema_version == 1
        (alarm,) = review.alarms()
        assert alarm.changes == () and alarm.acks[0].comment == "已安排"
        kinds = {entry.kind for entry in review.audit_trail()}
        assert "alarm_raised" in kinds and "alarm_change" not in kinds
        assert review.record_span() == (T0 - 5, T0 + 40)
    assert _digest(path) == before


def test_writing_upgrades_a_schema_1_record_and_the_chain_goes_on(tmp_path: Path) -> None:
    path = _schema_1_record(tmp_path / "old.sqlite3")
    rows_before = verify(path).last_seq
    with open_review(path) as review:
        alarm_seq = review.alarms()[0].seq
    with open_record(path, "班长", "desk-1") as rec:
        rec.alarm_changed(alarm_seq, "severity", "critical", "Queue urban: 11 calls waiting")
        rec.alarm_changed(alarm_seq, "escalated", "critical", "Queue urban: 11 calls waiting")
    result = verify(path)
    assert result.ok, result.message
    assert rows_before is not None and result.last_seq is not None
    assert result.last_seq > rows_before + 2  # the writer's own open row, the two changes
    with open_review(path) as review:
        assert review.schema_version == SCHEMA_VERSION
        (alarm,) = review.alarms()
        assert [(c.change, c.severity) for c in alarm.changes] == [
            ("severity", "critical"),
            ("escalated", "critical"),
        ]


def test_a_current_record_without_its_new_table_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with open_record(path, "班长", "desk-1") as rec:
        rec.journal_event(T0, "QueueCallerJoin", {"Queue": "urban", "Uniqueid": "1"})
    run_sql(path, DROP_NEW_TABLE)
    with pytest.raises(WrongSchemaError, match="missing table"):
        open_review(path)
    with pytest.raises(WrongSchemaError, match="missing table"):
        open_record(path)


def test_passing_a_record_off_as_schema_1_does_not_hide_its_alarm_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "disguised.sqlite3"
    with open_record(path, "班长", "desk-1") as rec:
        alarm = rec.alarm_raised("waiting", "warning", "Queue urban: 6 calls waiting", ts=T0)
        rec.alarm_changed(alarm, "escalated", "warning", "Queue urban: 6 calls waiting", ts=T0 + 1)
        rec.alarm_cleared(alarm, ts=T0 + 2)
    run_sql(path, DROP_NEW_TABLE, AS_SCHEMA_1)
    result = verify(path)
    assert not result.ok and result.problem == "deleted"
