"""`verify` finds every kind of tampering and names the first bad row; the CLI reports it."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from db_test_support import T0, fill, run_sql
from polling import wait_until

import console.commands.audit as audit_cmd
from db.canonical import canonical
from db.chain import verify
from db.record import open_record


def tampered(src: Path, dst: Path, *statements: str) -> Path:
    shutil.copyfile(src, dst)
    run_sql(dst, *statements)
    return dst


CHAINED = (
    "journal",
    "record_open",
    "action_intent",
    "action_result",
    "monitor_start",
    "monitor_mode",
    "monitor_end",
    "alarm_raised",
    "alarm_ack",
    "alarm_cleared",
    "sign_in",
    "setting_change",
    "floor_snapshot",
    "retention_cut",
    "alarm_change",
)


def shift_from(seq: int, by: int) -> list[str]:
    """Statements renumbering every chained row from `seq` on by `by` (a forger's edit)."""
    up = [f"UPDATE {t} SET seq = seq + 1000000 WHERE seq >= {seq}" for t in CHAINED]
    back = [f"UPDATE {t} SET seq = seq - 1000000 + {by} WHERE seq >= 1000000" for t in CHAINED]
    return up + back


def audit(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    audit_cmd.add_arguments(parser)
    return audit_cmd.run(parser.parse_args(list(argv)))


@pytest.mark.timeout(30)
def test_intact_record_verifies(make_record: Callable[..., Path]) -> None:
    path = make_record()
    result = verify(path)
    assert result.ok, result.message
    # record_open + 200 events + 11 supervisor rows + snapshots (200 s of events, every 60 s)
    assert result.rows == result.last_seq
    assert result.rows > 212
    assert result.message == f"intact: {result.rows} rows"
    assert len(result.head_hash) == 64


@pytest.mark.timeout(30)
def test_canonical_definition_matches_stored_hashes(make_record: Callable[..., Path]) -> None:
    """Recompute rows by the documented definition with plain json/hashlib, not db code."""
    path = make_record(events=5)
    connection = sqlite3.connect(path)
    try:
        actors = {i: (s, w) for i, s, w in connection.execute("SELECT * FROM actor")}
        opened = connection.execute("SELECT * FROM record_open WHERE seq = 1").fetchone()
        event = connection.execute("SELECT * FROM journal ORDER BY seq LIMIT 1").fetchone()
        mode = connection.execute("SELECT * FROM monitor_mode ORDER BY seq LIMIT 1").fetchone()
        before_mode = mode[0] - 1
    finally:
        connection.close()

    def head(values: list[object]) -> str:
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"))

    seq, ts_us, actor, stored, app, purpose, pid, details = opened
    text = head(["record_open", seq, ts_us, *actors[actor], app, purpose, pid]) + "\n" + details
    h1 = hashlib.sha256(bytes(32) + text.encode()).digest()
    assert h1 == stored
    seq, ts_us, actor, stored, name, interface, queue, linkedid, fields = event
    assert (seq, name, interface, queue, linkedid) == (
        2,
        "QueueMemberStatus",
        "PJSIP/1001",
        "support",
        None,
    )
    text = head(["journal", 2, ts_us, "alice", "ws-01", name, interface, queue, None])
    assert hashlib.sha256(h1 + (text + "\n" + fields).encode()).digest() == stored
    # a table without a payload column: HEAD + "\n" + ""
    seq, ts_us, actor, stored, session_seq, mode_name = mode
    prev = verify_hash_of(path, before_mode)
    text = head(["monitor_mode", seq, ts_us, *actors[actor], session_seq, mode_name]) + "\n"
    assert hashlib.sha256(prev + text.encode()).digest() == stored
    assert canonical("monitor_mode", seq, ts_us, *actors[actor], (session_seq, mode_name)) == (
        text.encode()
    )


def verify_hash_of(path: Path, seq: int) -> bytes:
    connection = sqlite3.connect(path)
    try:
        for table in CHAINED:
            row = connection.execute(
                f"SELECT row_hash FROM {table} WHERE seq = ?", (seq,)
            ).fetchone()
            if row:
                return bytes(row[0])
    finally:
        connection.close()
    raise AssertionError(f"row {seq} not found")


@pytest.mark.timeout(30)
def test_edit_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "edit.sqlite",
        "UPDATE journal SET fields = replace(fields, '张三', '王五') WHERE seq = 50",
    )
    result = verify(bad)
    assert not result.ok
    assert (result.problem, result.seq, result.table) == ("edited", 50, "journal")
    assert result.message.startswith("row #50 (journal, ")
    assert "edited" in result.message


@pytest.mark.timeout(30)
def test_edit_of_a_supervisor_row(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(path, tmp_path / "ack.sqlite", "UPDATE alarm_ack SET comment = '没人处理'")
    result = verify(bad)
    assert result.problem == "edited" and result.table == "alarm_ack"


@pytest.mark.timeout(30)
def test_a_hidden_escalation_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    """Softening an alarm's history - downgrading its severity change, or deleting the row
    that says nobody acknowledged it in time - breaks the chain there."""
    path = make_record()
    softer = tampered(
        path, tmp_path / "soft.sqlite", "UPDATE alarm_change SET severity = 'warning'"
    )
    result = verify(softer)
    assert result.problem == "edited" and result.table == "alarm_change"
    gone = tampered(
        path, tmp_path / "gone.sqlite", "DELETE FROM alarm_change WHERE change = 'escalated'"
    )
    result = verify(gone)
    assert result.problem == "deleted" and not result.ok


@pytest.mark.timeout(30)
def test_actor_rename_breaks_every_row_of_that_actor(
    make_record: Callable[..., Path], tmp_path: Path
) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "actor.sqlite",
        "UPDATE actor SET supervisor = 'mallory' WHERE supervisor = 'alice'",
    )
    result = verify(bad)
    assert result.problem == "edited" and result.seq == 1


@pytest.mark.timeout(30)
def test_delete_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(path, tmp_path / "del.sqlite", "DELETE FROM journal WHERE seq IN (60, 61)")
    result = verify(bad)
    assert (result.problem, result.seq) == ("deleted", 60)
    assert "rows #60..#61 are missing" in result.message


@pytest.mark.timeout(30)
def test_delete_with_renumbering_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "renum.sqlite",
        "DELETE FROM journal WHERE seq = 60",
        "UPDATE journal SET seq = seq + 100000 WHERE seq > 60 AND seq < 120",
        "UPDATE journal SET seq = seq - 100001 WHERE seq > 100000",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("deleted", 60)
    assert "was written as #61" in result.message


@pytest.mark.timeout(30)
def test_insert_with_duplicate_seq(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "dup.sqlite",
        "INSERT INTO action_intent (seq, ts_us, actor, row_hash, action, agent, queue, params) "
        "SELECT 70, ts_us, actor, row_hash, 'QueueRemove', 'PJSIP/1003', 'support', '{}' "
        "FROM journal WHERE seq = 70",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("inserted", 70)
    assert "appears twice" in result.message


@pytest.mark.timeout(30)
def test_insert_with_renumbering(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "ins.sqlite",
        *shift_from(80, 1),
        "INSERT INTO journal SELECT 80, ts_us + 1, actor, row_hash, name, interface, queue, "
        "linkedid, replace(fields, '张三', '赵六') FROM journal WHERE seq = 79",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("inserted", 80)


@pytest.mark.timeout(30)
def test_an_exact_copy_inserted_is_named_a_copy(
    make_record: Callable[..., Path], tmp_path: Path
) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "copy.sqlite",
        *shift_from(80, 1),
        "INSERT INTO journal SELECT 80, ts_us, actor, row_hash, name, interface, queue, "
        "linkedid, fields FROM journal WHERE seq = 79",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("inserted", 80)
    assert "a copy of row #79" in result.message


@pytest.mark.parametrize("gap", [0, 4])
@pytest.mark.timeout(30)
def test_a_forged_row_after_the_chain_head_is_named_inserted(
    make_record: Callable[..., Path], tmp_path: Path, gap: int
) -> None:
    """Rows beyond the head were never written by the console, whatever their hash."""
    path = make_record()
    last = verify(path).last_seq
    assert last is not None
    forged = last + 1 + gap
    bad = tampered(
        path,
        tmp_path / "after.sqlite",
        "INSERT INTO action_intent (seq, ts_us, actor, row_hash, action, agent, queue, params) "
        f"SELECT {forged}, ts_us + 1, actor, randomblob(32), 'QueuePause', 'PJSIP/1001', NULL, "
        f"'{{}}' FROM journal WHERE seq = (SELECT MAX(seq) FROM journal)",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("inserted", forged)
    assert f"added after the chain head (#{last})" in result.message
    moved = verify(
        tampered(bad, tmp_path / "moved.sqlite", f"UPDATE chain_head SET last_seq = {forged}")
    )
    assert not moved.ok
    if gap:  # the head now claims rows that are not there
        assert (moved.problem, moved.seq) == ("deleted", last + 1)
    else:
        assert moved.seq == forged and "added with the chain head moved" in moved.message


@pytest.mark.timeout(30)
def test_a_removed_table_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    """Dropping a table deletes its rows: the first missing row and the table are named."""
    path = make_record()
    last = verify(path).last_seq
    with contextlib.closing(sqlite3.connect(path)) as connection:
        first_journal = connection.execute("SELECT MIN(seq) FROM journal").fetchone()[0]
        assert connection.execute("SELECT COUNT(*) FROM retention_cut").fetchone()[0] == 0
    result = verify(tampered(path, tmp_path / "drop.sqlite", "DROP TABLE journal"))
    assert not result.ok and result.seq == first_journal
    assert result.message.endswith("; table journal was removed from the file")
    assert audit("verify", str(tmp_path / "drop.sqlite")) == 1
    empty = verify(tampered(path, tmp_path / "empty.sqlite", "DROP TABLE retention_cut"))
    assert (empty.ok, empty.problem) == (False, "deleted")
    assert empty.message == (
        "table retention_cut was removed from the file (no row of the chain is missing)"
    )
    assert verify(path).last_seq == last


@pytest.mark.timeout(30)
def test_a_row_renumbered_below_one_is_named(
    make_record: Callable[..., Path], tmp_path: Path
) -> None:
    path = make_record()
    result = verify(
        tampered(path, tmp_path / "neg.sqlite", "UPDATE journal SET seq = -5 WHERE seq = 13")
    )
    assert (result.ok, result.problem, result.seq) == (False, "inserted", -5)
    assert "below 1" in result.message


@pytest.mark.timeout(30)
def test_reorder_is_named(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    bad = tampered(
        path,
        tmp_path / "swap.sqlite",
        "UPDATE journal SET seq = -1 WHERE seq = 90",
        "UPDATE journal SET seq = 90 WHERE seq = 91",
        "UPDATE journal SET seq = 91 WHERE seq = -1",
    )
    result = verify(bad)
    assert (result.problem, result.seq) == ("reordered", 90)
    assert "written as row #91" in result.message


@pytest.mark.timeout(30)
def test_tail_truncation_is_detected(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    last = verify(path).last_seq
    assert last is not None
    cut = last - 5
    statements = [f"DELETE FROM {t} WHERE seq > {cut}" for t in CHAINED]
    result = verify(tampered(path, tmp_path / "tail.sqlite", *statements))
    assert (result.problem, result.seq) == ("truncated", cut + 1)
    assert "tail was truncated" in result.message


@pytest.mark.timeout(30)
def test_appended_rows_and_rewritten_head(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    behind = verify(
        tampered(path, tmp_path / "head.sqlite", "UPDATE chain_head SET last_seq = last_seq - 3")
    )
    assert behind.problem == "inserted"
    rewritten = verify(
        tampered(path, tmp_path / "hash.sqlite", "UPDATE chain_head SET last_hash = zeroblob(32)")
    )
    assert rewritten.problem == "rewritten"


@pytest.mark.timeout(60)
def test_retention_keeps_the_chain_verifiable(tmp_path: Path) -> None:
    now = [T0 + 10 * 86_400.0]
    path = tmp_path / "ret.sqlite"
    record = open_record(
        path, "alice", "ws-01", snapshot_every_s=60.0, clock=lambda: now[0], max_delay_s=0.0
    )
    try:
        fill(record, 300, t0=T0)  # ten days old
        fill(record, 300, t0=T0 + 9 * 86_400)  # one day old
        before = verify(path)
        assert before.ok
        record.apply_retention(keep_days=5)
    finally:
        record.close()
    after = verify(path)
    assert after.ok, after.message
    assert after.first_seq is not None and after.first_seq > 300
    connection = sqlite3.connect(path)
    try:
        first_ts = connection.execute("SELECT MIN(ts_us) FROM journal").fetchone()[0]
        anchor = connection.execute(
            "SELECT first_kept_seq FROM retention_cut WHERE first_kept_seq > 0 "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()[0]
    finally:
        connection.close()
    assert first_ts >= (T0 + 5 * 86_400 - 3600) * 1e6
    assert anchor == after.first_seq
    # deleting the first kept rows after the cut is still caught
    drop_first = [f"DELETE FROM {t} WHERE seq < {anchor + 3}" for t in CHAINED]
    gone = verify(tampered(path, tmp_path / "ret-del.sqlite", *drop_first))
    assert gone.problem == "deleted" and gone.seq == anchor
    edited = verify(
        tampered(
            path,
            tmp_path / "ret-anchor.sqlite",
            "UPDATE retention_cut SET prev_hash = '00' || substr(prev_hash, 3)",
        )
    )
    assert not edited.ok and "retention anchor" in edited.message


@pytest.mark.timeout(30)
def test_audit_verify_command(
    make_record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_record()
    assert audit("verify", str(path)) == 0
    rows = verify(path).rows
    assert capsys.readouterr().out == f"intact: {rows} rows\n"
    bad = tampered(path, tmp_path / "bad.sqlite", "DELETE FROM journal WHERE seq = 30")
    assert audit("verify", str(bad)) == 1
    assert "row #30 is missing" in capsys.readouterr().out
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello", encoding="utf-8")
    assert audit("verify", str(not_db)) == 2
    assert "not a record" in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_audit_verify_through_main(make_record: Callable[..., Path], repo_root: Path) -> None:
    path = make_record(events=20)
    done = subprocess.run(
        [sys.executable, "main.py", "audit", "verify", "-v", str(path)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("intact: ") and lines[1].startswith("head: row #")


def _cuts(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        found: int = connection.execute(
            "SELECT COUNT(*) FROM retention_cut WHERE first_kept_seq > 0"
        ).fetchone()[0]
        return found
    finally:
        connection.close()


@pytest.mark.timeout(60)
@pytest.mark.parametrize("when", ["at open", "changed while open"])
def test_configured_retention_runs(tmp_path: Path, when: str) -> None:
    path = tmp_path / "kept.sqlite"
    with open_record(path, "alice", "ws-01", snapshot_every_s=60.0) as rec:
        fill(rec, 200, t0=T0)
        fill(rec, 200, t0=T0 + 9 * 86_400)
    later = T0 + 10 * 86_400
    at_open = 5 if when == "at open" else None
    with open_record(path, "alice", "ws-01", retention_days=at_open, clock=lambda: later) as rec:
        if at_open is None:
            rec.flush()
            assert _cuts(path) == 0 and rec.retention_days is None
            rec.set_retention(5)  # the supervisor changed the setting
            assert rec.retention_days == 5
        wait_until(lambda: _cuts(path) == 1, 30, "a retention cut")
        rec.flush()
    result = verify(path)
    assert result.ok and result.first_seq is not None and result.first_seq > 200


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("QueueMemberStatus", {"Queue": "计费", "Interface": "PJSIP/1017", "MemberName": "王芳"}),
        ("Hangup", {"Channel": "PJSIP/1002-0000001f", "Cause-txt": 'say "hi"\\ \t\x01'}),
        ("VarSet", {"Location": "", "StateInterface": "Local/7@x", "Linkedid": "1.2"}),
        ("Newchannel", {"Interface": "", "MemberInterface": "PJSIP/9", "DestLinkedid": "3.4"}),
        ("QueueParams", {"Queue": "support", "Max": "0"}),
        ("Status", [("Variable", "A=1"), ("Variable", "B=2"), ("Channel", "SIP/x-1")]),
        ("Odd", {"Interface": ["", "PJSIP/5"], "Queue": ["q1", "q2"], "Count": 3}),
        ("Surrogate", {"Interface": "PJSIP/\udcff", "Queue": "q\u2028"}),
    ],
)
def test_journal_fast_path_hashes_by_the_definition(name: str, fields: object) -> None:
    """The encoder's journal shortcut gives the bytes the generic `canonical` gives."""
    from db.canonical import chain_hash, json_text
    from db.floor_replay import FloorReducer, key_interface, key_linkedid, key_queue
    from db.row_encoder import JOURNAL, RowEncoder, fields_object

    encoder = RowEncoder(
        last_seq=0,
        last_hash=bytes(32),
        actors={},
        reducer=FloorReducer(),
        snapshot_every_s=300.0,
        snapshot_every_rows=10,
    )
    encoder.add(JOURNAL, 1, 1_772_532_000_000_000, ('王 "sup"', "ws-01"), (name, fields))
    row = encoder.take_batch().rows[JOURNAL][0]
    mapping = fields_object(fields)  # type: ignore[arg-type]
    content = (
        name,
        key_interface(mapping, name),
        key_queue(mapping),
        key_linkedid(mapping),
        json_text(mapping),
    )
    scrubbed = tuple(
        v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v for v in content
    )
    expected = scrubbed if name == "Surrogate" else content
    assert row[4:] == expected
    canon = canonical("journal", 1, 1_772_532_000_000_000, '王 "sup"', "ws-01", expected, True)
    assert row[3] == chain_hash(bytes(32), canon)


def test_journal_shortcut_escapes_every_character_as_the_definition() -> None:
    """orjson (the journal's shortcut) and `canonical` write every code point alike."""
    from db.canonical import journal_canonical

    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(code_points), 8192):
        text = "".join(map(chr, code_points[start : start + 8192]))
        fields = {text: text, "Queue": [text, "q"], "Count": 3}
        canon, payload = journal_canonical(7, -5, text, "ws", text, text, None, text, fields)
        assert payload == json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        assert canon == canonical(
            "journal", 7, -5, text, "ws", (text, text, None, text, payload), True
        )
