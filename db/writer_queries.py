"""Reads the writer needs: where to continue the chain, where a retention chunk cuts.

Plain SQL in the database's parameter style (portable); called on the thread that owns the
writer's connection.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

import peewee as pw

from db.dbapi import run_sql
from db.floor_replay import FloorReducer
from db.models import CHAINED_MODELS, table_name
from db.row_encoder import RowEncoder

log = logging.getLogger(__name__)


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


def restore_encoder(
    database: pw.Database,
    *,
    wrapup_s: Mapping[str, float],
    default_wrapup_s: float,
    snapshot_every_s: float,
    snapshot_every_rows: int,
) -> RowEncoder:
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
    wrapup = dict(wrapup_s)
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
            reducer.default_wrapup_s = default_wrapup_s
            through = int(snap[0])
        except (ValueError, KeyError, TypeError, IndexError):
            log.warning("latest floor snapshot unreadable; replay state restarts empty")
            reducer = None
    if reducer is None:
        reducer = FloorReducer(wrapup, default_wrapup_s)
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
        snapshot_every_s=snapshot_every_s,
        snapshot_every_rows=snapshot_every_rows,
        last_journal_ts_us=last_journal_ts,
        last_journal_seq=last_journal_seq,
        rows_since_snapshot=rows_since,
    )
