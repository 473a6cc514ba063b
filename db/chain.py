"""Verifying a record's hash chain and naming the first row that was tampered with.

Walk: every chained table is read in seq order and merged; seq must run without gaps or
repeats from the start (1, or the newest retention anchor's first kept row) to the chain
head; each row's hash must equal SHA-256(previous hash || canonical content)
(db/canonical.py). The chain head row (kept apart from the rows, updated in the same
transaction as every batch) tells whether rows were cut off the end.

When a row fails, a window of rows around it is tested against hypotheses to say *why*:
- edited: the next row still chains from this row's stored hash, so only its content changed
  (or content and hash both changed, when no other explanation fits);
- reordered: the row's content and hash are intact but belong at another position (its hash
  matches its canonical content with another seq, after another row's hash);
- deleted: a gap in seq, or the later rows were renumbered down (they chain from each other
  under their original, higher seqs);
- inserted: a seq appears twice, or the following row chains from the previous one under this
  row's seq, or rows were renumbered up; rows after the chain head (named as such whether
  or not their hashes fit);
- truncated: the chain head names a later last row than the file holds.

Limits (unkeyed hashes): someone who rewrites every row after an edit, recomputes all hashes
and updates the head row leaves a consistent chain. `audit verify -v` prints the head hash;
compared with a copy taken earlier (an export, a note) it proves nothing before it changed.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee as pw

from db.canonical import GENESIS, canonical, chain_hash
from db.dbapi import run_sql
from db.models import CHAINED_MODELS, stored_columns, table_name
from db.schema import required_tables
from db.sqlite_files import open_read_only

WINDOW = 48
_FETCH = 4096
PROGRESS_EVERY = 20_000  # rows between two progress calls (about 0.2 s)

# (seq, table index, full stored row tuple: seq, ts_us, actor, row_hash, *content)
Row = tuple[int, int, tuple[Any, ...]]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int  # rows checked (all of them when ok)
    message: str  # "intact: N rows" or what is wrong, naming the first bad row
    problem: str | None = None  # edited | deleted | inserted | reordered | truncated | rewritten
    seq: int | None = None  # the first bad row (or the first missing seq)
    table: str | None = None
    ts: float | None = None
    first_seq: int | None = None
    last_seq: int | None = None
    head_hash: str = ""  # hex of the last row's hash (the value to keep outside the file)


class _Tables:
    def __init__(self, database: pw.Database) -> None:
        self.database = database
        self.names = [table_name(m) for m in CHAINED_MODELS]
        self.columns = [stored_columns(m) for m in CHAINED_MODELS]
        # A record of an older schema lacks the tables added since (db/models.py `SINCE`);
        # which tables a version must have is checked when the file is opened.
        present = set(database.get_tables())
        self.present = [i for i, name in enumerate(self.names) if name in present]

    def _scan(self, index: int, where: str = "", params: tuple[Any, ...] = ()) -> Iterator[Row]:
        if index not in self.present:
            return
        cols = ", ".join(f'"{c}"' for c in self.columns[index])
        cursor = run_sql(
            self.database,
            f'SELECT {cols} FROM "{self.names[index]}" {where} ORDER BY "seq"',
            params,
        )
        while True:
            chunk = cursor.fetchmany(_FETCH)
            if not chunk:
                return
            for row in chunk:
                yield (row[0], index, row)

    def merged(self) -> Iterator[Row]:
        return heapq.merge(*(self._scan(i) for i in self.present))


_PAYLOAD = tuple(m.PAYLOAD for m in CHAINED_MODELS)


def _canon(names: list[str], actors: dict[int, tuple[str, str]], row: Row, seq: int) -> bytes:
    _, index, stored = row
    supervisor, workstation = actors.get(stored[2], ("?", "?"))
    try:
        return canonical(
            names[index], seq, stored[1], supervisor, workstation, stored[4:], _PAYLOAD[index]
        )
    except (TypeError, ValueError, UnicodeEncodeError):
        return b"\x00 not canonical: a value has a type the writer never stores"


def _stored_hash(row: Row) -> bytes:
    value = row[2][3]
    return bytes(value) if isinstance(value, bytes | bytearray | memoryview) else b""


def _when(ts_us: Any) -> str:
    try:
        return datetime.fromtimestamp(int(ts_us) / 1e6).astimezone().isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError, OSError):
        return "unknown time"


class _Verifier:
    def __init__(self, database: pw.Database, progress: Callable[[int], None] | None) -> None:
        self.tables = _Tables(database)
        self.database = database
        self.progress = progress
        self.actors: dict[int, tuple[str, str]] = {
            int(i): (str(s), str(w))
            for i, s, w in run_sql(
                database, 'SELECT "id", "supervisor", "workstation" FROM "actor"'
            ).fetchall()
        }
        self.head: tuple[int, bytes] | None = None
        head = run_sql(
            database, 'SELECT "last_seq", "last_hash" FROM "chain_head" WHERE "id" = 1'
        ).fetchone()
        if head is not None:
            self.head = (int(head[0]), bytes(head[1]) if head[1] is not None else b"")

    def added_after_head(self, row: Row, checked: int) -> VerifyResult:
        assert self.head is not None
        return self.fail(
            "inserted",
            row[0],
            row,
            f"was added after the chain head (#{self.head[0]}) without the console: inserted",
            checked,
        )

    def canon(self, row: Row, seq: int | None = None) -> bytes:
        return _canon(self.tables.names, self.actors, row, row[0] if seq is None else seq)

    def fail(
        self, problem: str, row_seq: int, row: Row | None, why: str, checked: int, **kw: Any
    ) -> VerifyResult:
        table = self.tables.names[row[1]] if row is not None else None
        where = f" ({table}, {_when(row[2][1])})" if row is not None else ""
        return VerifyResult(
            ok=False,
            rows=checked,
            message=f"row #{row_seq}{where} {why}",
            problem=problem,
            seq=row_seq,
            table=table,
            ts=row[2][1] / 1e6 if row is not None else None,
            **kw,
        )

    def start(self) -> tuple[int, bytes, VerifyResult | None, int | None]:
        """(first seq, hash before it, early failure, seq of the anchor used)."""
        lowest: int | None = None
        for index in self.tables.present:
            name = self.tables.names[index]
            value = run_sql(self.database, f'SELECT MIN("seq") FROM "{name}"').fetchone()[0]
            if value is not None and (lowest is None or value < lowest):
                lowest = int(value)
        if lowest is None:
            return 1, GENESIS, None, None
        if lowest < 1:  # the writer numbers rows from 1
            why = f"row #{lowest} has a sequence number below 1: it was inserted or renumbered"
            return lowest, GENESIS, self._missing(lowest, why, "inserted"), None
        anchor = None
        if self.tables.names.index("retention_cut") in self.tables.present:
            anchor = run_sql(
                self.database,
                'SELECT "seq", "first_kept_seq", "prev_hash" FROM "retention_cut" '
                'WHERE "first_kept_seq" > 0 ORDER BY "seq" DESC LIMIT 1',
            ).fetchone()
        if anchor is None:
            if lowest == 1:
                return 1, GENESIS, None, None
            span = f"rows #1..#{lowest - 1} are" if lowest > 2 else "row #1 is"
            return lowest, GENESIS, self._missing(1, f"{span} missing (deleted)"), None
        anchor_seq, first_kept, prev_hex = int(anchor[0]), int(anchor[1]), str(anchor[2])
        if first_kept == lowest:
            try:
                return lowest, bytes.fromhex(prev_hex), None, anchor_seq
            except ValueError:
                return (
                    lowest,
                    GENESIS,
                    self._missing(
                        anchor_seq, "is a retention anchor whose hash was edited", "edited"
                    ),
                    None,
                )
        if first_kept < lowest:
            span = (
                f"rows #{first_kept}..#{lowest - 1} are"
                if lowest - first_kept > 1
                else f"row #{first_kept} is"
            )
            return (
                lowest,
                GENESIS,
                self._missing(first_kept, f"{span} missing (deleted after the retention cut)"),
                None,
            )
        return (
            lowest,
            GENESIS,
            self._missing(
                lowest,
                f"precedes the retention cut at #{first_kept} (rows before it were removed): "
                "inserted",
                "inserted",
            ),
            None,
        )

    def _missing(self, seq: int, text: str, problem: str = "deleted") -> VerifyResult:
        message = text if text.startswith("row") else f"{text}"
        return VerifyResult(ok=False, rows=0, message=message, problem=problem, seq=seq)

    def run(self) -> VerifyResult:
        expected, h, early, anchor_seq = self.start()
        if early is not None:
            return early
        first_seq = expected
        checked = 0
        behind: deque[Row] = deque(maxlen=WINDOW)
        rows = self.tables.merged()
        ahead: deque[Row] = deque()
        # Past the head every row up to it checked out: whatever follows was added later.
        head_seq = self.head[0] if self.head is not None else 1 << 62
        last: Row | None = None
        while True:
            if ahead:
                row = ahead.popleft()
            else:
                following = next(rows, None)
                if following is None:
                    break
                row = following
            seq = row[0]
            if seq != expected:
                if expected > head_seq and (last is None or seq != last[0]):
                    return self.added_after_head(row, checked)
                return self._order_problem(row, expected, last, checked, rows, ahead)
            if expected > head_seq and (
                row[2][2] not in self.actors or chain_hash(h, self.canon(row)) != _stored_hash(row)
            ):
                return self.added_after_head(row, checked)
            if row[2][2] not in self.actors:
                return self.fail(
                    "edited", seq, row, "names an actor that is not in the actor table", checked
                )
            digest = chain_hash(h, self.canon(row))
            if digest != _stored_hash(row):
                while len(ahead) < WINDOW:
                    more = next(rows, None)
                    if more is None:
                        break
                    ahead.append(more)
                problem, why = self._diagnose(row, h, list(behind), list(ahead))
                if checked == 0 and anchor_seq is not None and problem == "edited":
                    why = (
                        f"does not chain from the retention anchor (row #{anchor_seq}): "
                        "the anchor or this row was edited"
                    )
                return self.fail(problem, seq, row, why, checked)
            h = digest
            behind.append(row)
            last = row
            expected += 1
            checked += 1
            if self.progress is not None and checked % PROGRESS_EVERY == 0:
                self.progress(checked)
        return self._finish(checked, first_seq, last, h)

    def _order_problem(
        self,
        row: Row,
        expected: int,
        last: Row | None,
        checked: int,
        rows: Iterator[Row],
        ahead: deque[Row],
    ) -> VerifyResult:
        seq = row[0]
        if last is not None and seq == last[0]:
            a, b = self.tables.names[last[1]], self.tables.names[row[1]]
            return self.fail(
                "inserted",
                seq,
                row,
                f"appears twice (tables {a} and {b}): a row was inserted",
                checked,
            )
        # gap: rows expected..seq-1 are missing
        span = f"rows #{expected}..#{seq - 1} are" if seq - expected > 1 else f"row #{expected} is"
        return VerifyResult(
            ok=False,
            rows=checked,
            message=f"{span} missing (deleted; the chain continues at #{seq})",
            problem="deleted",
            seq=expected,
        )

    def _diagnose(
        self, row: Row, h_prev: bytes, behind: list[Row], ahead: list[Row]
    ) -> tuple[str, str]:
        """Why `row` fails (hypotheses tested in order; see the module docstring)."""
        p = row[0]
        stored = _stored_hash(row)
        nxt = ahead[0] if ahead else None
        n_hash = _stored_hash(nxt) if nxt is not None else b""
        if nxt is not None and chain_hash(stored, self.canon(nxt)) == n_hash:
            return "edited", "was edited: its content no longer matches its hash"
        candidates = [h_prev] + [_stored_hash(r) for r in behind] + [_stored_hash(r) for r in ahead]
        for q in range(max(1, p - WINDOW), p + WINDOW + 1):
            if q == p:
                continue
            canon_q = self.canon(row, q)
            for x in candidates:
                if chain_hash(x, canon_q) == stored:
                    if any(r[0] == q and _stored_hash(r) == stored for r in behind):
                        return "inserted", f"is a copy of row #{q}: it was inserted"
                    return "reordered", f"is out of order: it was written as row #{q}"
        if nxt is not None:
            if chain_hash(h_prev, self.canon(nxt, p)) == n_hash:
                return "inserted", "was inserted (the rows after it were renumbered)"
            for d in range(1, WINDOW + 1):
                for shift in (d, -d):
                    if chain_hash(stored, self.canon(nxt, nxt[0] + shift)) == n_hash:
                        if shift > 0:
                            return (
                                "deleted",
                                f"was written as #{p + shift}: {shift} row(s) before it were "
                                "deleted and the later rows renumbered",
                            )
                        return (
                            "inserted",
                            f"was written as #{p + shift}: {-shift} row(s) were inserted "
                            "before it and the later rows renumbered",
                        )
        if nxt is None:
            return (
                "edited",
                "was edited, or added with the chain head moved: neither its content nor its "
                "hash fits the chain",
            )
        return (
            "edited",
            "was edited: neither its content nor its hash fits the chain "
            "(or the row before it was rewritten with a new hash)",
        )

    def _finish(self, checked: int, first_seq: int, last: Row | None, h: bytes) -> VerifyResult:
        head = self.head
        last_seq = last[0] if last is not None else first_seq - 1
        if head is None:
            return VerifyResult(
                ok=False,
                rows=checked,
                message="the chain head row is missing: the end of the record cannot be checked",
                problem="truncated",
                first_seq=first_seq,
                last_seq=last_seq,
            )
        head_seq, head_hash = head
        if head_seq > last_seq:
            span = (
                f"rows #{last_seq + 1}..#{head_seq} are"
                if head_seq - last_seq > 1
                else f"row #{head_seq} is"
            )
            return VerifyResult(
                ok=False,
                rows=checked,
                message=f"{span} missing: the tail was truncated "
                f"(the chain head says the record ends at #{head_seq})",
                problem="truncated",
                seq=last_seq + 1,
                first_seq=first_seq,
                last_seq=last_seq,
            )
        if head_seq < last_seq:
            return VerifyResult(
                ok=False,
                rows=checked,
                message=f"row #{head_seq + 1} and later were added after the chain head "
                f"(#{head_seq}) without the console: inserted",
                problem="inserted",
                seq=head_seq + 1,
                first_seq=first_seq,
                last_seq=last_seq,
            )
        if checked and head_hash != h:
            return VerifyResult(
                ok=False,
                rows=checked,
                message=f"the chain head's hash does not match row #{last_seq}: rows were "
                "rewritten with recomputed hashes",
                problem="rewritten",
                seq=last_seq,
                first_seq=first_seq,
                last_seq=last_seq,
            )
        return VerifyResult(
            ok=True,
            rows=checked,
            message=f"intact: {checked} rows",
            first_seq=first_seq if checked else None,
            last_seq=last_seq if checked else None,
            head_hash=h.hex() if checked else "",
        )


def verify_database(
    database: pw.Database,
    progress: Callable[[int], None] | None = None,
    schema_version: int | None = None,
) -> VerifyResult:
    """Verify an open record (read in one transaction, so a live writer does not matter).

    With `schema_version`, a chained table that version has and the file lacks was removed:
    its rows are missing (the walk names the first), and the message says which table went."""
    with database.atomic():
        result = _Verifier(database, progress).run()
    if schema_version is None:
        return result
    removed = sorted(required_tables(schema_version) - set(database.get_tables()))
    if not removed:
        return result
    if len(removed) == 1:
        what = f"table {removed[0]} was removed from the file"
    else:
        what = f"tables {', '.join(removed)} were removed from the file"
    if result.ok:
        message = f"{what} (no row of the chain is missing)"
        return replace(result, ok=False, problem="deleted", message=message)
    return replace(result, message=f"{result.message}; {what}")


def verify(path: str | Path, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Open `path` read-only and verify it. Bad files raise db.errors.RecordError."""
    handle = open_read_only(Path(path), tables_may_be_missing=True)
    try:
        version = int(handle.meta.get("schema_version", "0"))
        return verify_database(handle.database, progress, version)
    finally:
        handle.close()
