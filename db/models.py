"""peewee models of the record (schema version 2).

Rules:
- Append-only. Every table whose model derives from `Chained` is part of ONE hash chain
  ordered by `seq` (1, 2, 3 ... without gaps across all those tables). Nothing is ever
  updated: a supervisor action is two rows (intent, result), a monitoring session is a start
  row, one row per mode change and an end row. The only row that is updated is the single
  `chain_head` row, which is not part of the chain (it mirrors the last seq + hash so a
  truncated tail is detectable).
- Each chained model lists its content columns in `CONTENT`; that order is part of the
  canonical encoding (db/canonical.py) and must never change within a schema version. A model
  with `PAYLOAD = True` has a JSON payload as its last content column (NOT NULL).
- Values in chained columns are integers, text or NULL only - no floats (their text form is
  not canonical), no booleans (0/1 integers; PostgreSQL's boolean would encode differently),
  no blobs (hashes inside content are hex text). Times are integer microseconds since the
  Unix epoch, UTC (`ts_us`). JSON payloads are stored as the exact text that was hashed.
- `actor` is the id of an `actor` row (supervisor + workstation). The actor table is not
  chained, but the canonical content of every row embeds the actor's names, so editing an
  actor breaks the hash of every row that names it.
- Portable: only peewee field types that map to plain SQL types on SQLite and PostgreSQL
  (INTEGER/BIGINT, TEXT, BLOB/BYTEA). No AUTOINCREMENT, no WITHOUT ROWID, no JSON1.
  Differences on PostgreSQL: `seq` is BIGINT (on SQLite the INTEGER PRIMARY KEY is the rowid,
  which makes seq-ordered scans free); `row_hash` is BYTEA.
- Versions: schema 2 added `alarm_change`. A table's `SINCE` is the schema version that
  added it; a record of an older version lacks those tables until a writer upgrades it
  (db/schema.py `upgrade_schema`), and readers treat a missing newer table as empty.
- The models are unbound (`database = None`); `bound_models(db)` makes subclasses bound to
  one database, so several records can be open in one process (the console writes its own
  while the review window reads another) without peewee's global binding.
"""

from __future__ import annotations

from typing import Any, ClassVar

import peewee as pw

SCHEMA_VERSION = 2
APPLICATION = "hotline-console-record"


class Chained(pw.Model):
    """Columns every chained row has. `row_hash` = SHA-256(prev row_hash || canonical)."""

    seq = pw.BigIntegerField(primary_key=True)
    ts_us = pw.BigIntegerField()
    actor = pw.IntegerField()
    row_hash = pw.BlobField()

    KIND: ClassVar[str] = ""
    CONTENT: ClassVar[tuple[str, ...]] = ()
    PAYLOAD: ClassVar[bool] = False  # the last CONTENT column is hashed raw (db/canonical.py)
    SINCE: ClassVar[int] = 1  # the schema version that added the table


class RecordOpen(Chained):
    """A program opened the record for writing (console start, replay run ...)."""

    app = pw.TextField()
    purpose = pw.TextField()
    pid = pw.IntegerField()
    details = pw.TextField()  # JSON object

    KIND = "record_open"
    PAYLOAD = True
    CONTENT = ("app", "purpose", "pid", "details")

    class Meta:
        table_name = "record_open"
        indexes = ((("ts_us",), False),)


class Journal(Chained):
    """A normalised PBX event. Key fields are columns for querying; `fields` is all of it."""

    name = pw.TextField()
    interface = pw.TextField(null=True)  # agent interface, channel's device, "*" = all agents
    queue = pw.TextField(null=True)
    linkedid = pw.TextField(null=True)
    fields = pw.TextField()  # JSON object, header order kept, repeated headers as lists

    KIND = "journal"
    PAYLOAD = True
    CONTENT = ("name", "interface", "queue", "linkedid", "fields")

    class Meta:
        table_name = "journal"
        # One index only (agent + time, for agent timelines): every index costs about as
        # much per insert as the row itself. Time ranges map to seq ranges through
        # floor_snapshot (seq order follows time order), so a day is a rowid range scan.
        indexes = ((("interface", "ts_us"), False),)


class ActionIntent(Chained):
    """A supervisor action about to be executed (committed durably before it runs)."""

    action = pw.TextField()
    agent = pw.TextField(null=True)
    queue = pw.TextField(null=True)
    params = pw.TextField()  # JSON object

    KIND = "action_intent"
    PAYLOAD = True
    CONTENT = ("action", "agent", "queue", "params")

    class Meta:
        table_name = "action_intent"
        indexes = ((("ts_us",), False),)


class ActionResult(Chained):
    """The outcome of an intent: ok 1/0, result text/JSON, duration in milliseconds."""

    intent_seq = pw.BigIntegerField(index=True)
    ok = pw.IntegerField()
    result = pw.TextField()
    duration_ms = pw.IntegerField(null=True)

    KIND = "action_result"
    CONTENT = ("intent_seq", "ok", "result", "duration_ms")

    class Meta:
        table_name = "action_result"
        indexes = ((("ts_us",), False),)


class MonitorStart(Chained):
    """A monitoring session started (listen / whisper / barge) on an agent's call."""

    agent = pw.TextField()
    mode = pw.TextField()
    queue = pw.TextField(null=True)
    linkedid = pw.TextField(null=True)
    caller = pw.TextField(null=True)
    details = pw.TextField()  # JSON object

    KIND = "monitor_start"
    PAYLOAD = True
    CONTENT = ("agent", "mode", "queue", "linkedid", "caller", "details")

    class Meta:
        table_name = "monitor_start"
        indexes = ((("ts_us",), False),)


class MonitorMode(Chained):
    """The session switched mode (DTMF 4/5/6 or a console button)."""

    session_seq = pw.BigIntegerField(index=True)
    mode = pw.TextField()

    KIND = "monitor_mode"
    CONTENT = ("session_seq", "mode")

    class Meta:
        table_name = "monitor_mode"
        indexes = ((("ts_us",), False),)


class MonitorEnd(Chained):
    session_seq = pw.BigIntegerField(index=True)
    reason = pw.TextField()

    KIND = "monitor_end"
    CONTENT = ("session_seq", "reason")

    class Meta:
        table_name = "monitor_end"
        indexes = ((("ts_us",), False),)


class AlarmRaised(Chained):
    rule = pw.TextField()
    severity = pw.TextField()
    queue = pw.TextField(null=True)
    agent = pw.TextField(null=True)
    message = pw.TextField()
    details = pw.TextField()  # JSON object

    KIND = "alarm_raised"
    PAYLOAD = True
    CONTENT = ("rule", "severity", "queue", "agent", "message", "details")

    class Meta:
        table_name = "alarm_raised"
        indexes = ((("ts_us",), False),)


class AlarmAck(Chained):
    alarm_seq = pw.BigIntegerField(index=True)
    comment = pw.TextField()

    KIND = "alarm_ack"
    CONTENT = ("alarm_seq", "comment")

    class Meta:
        table_name = "alarm_ack"
        indexes = ((("ts_us",), False),)


class AlarmCleared(Chained):
    alarm_seq = pw.BigIntegerField(index=True)
    reason = pw.TextField()

    KIND = "alarm_cleared"
    CONTENT = ("alarm_seq", "reason")

    class Meta:
        table_name = "alarm_cleared"
        indexes = ((("ts_us",), False),)


class AlarmChange(Chained):
    """An alarm's severity changed, or it escalated (nobody acknowledged it in time and the
    on-call numbers were texted). `change` is 'severity' or 'escalated'; `severity` is the
    alarm's severity after the change; details (JSON) carry value and threshold."""

    alarm_seq = pw.BigIntegerField(index=True)
    change = pw.TextField()
    severity = pw.TextField()
    message = pw.TextField()
    details = pw.TextField()  # JSON object

    KIND = "alarm_change"
    PAYLOAD = True
    CONTENT = ("alarm_seq", "change", "severity", "message", "details")
    SINCE = 2

    class Meta:
        table_name = "alarm_change"
        indexes = ((("ts_us",), False),)


class SignIn(Chained):
    """Sign-in attempts and sign-outs; outcome is 'ok', 'failed' or 'signed_out'."""

    account = pw.TextField()
    outcome = pw.TextField()
    method = pw.TextField()

    KIND = "sign_in"
    CONTENT = ("account", "outcome", "method")

    class Meta:
        table_name = "sign_in"
        indexes = ((("ts_us",), False),)


class SettingChange(Chained):
    """A setting changed; values are JSON text ('"***"' for secrets)."""

    setting = pw.TextField()
    old_value = pw.TextField(null=True)
    new_value = pw.TextField(null=True)

    KIND = "setting_change"
    CONTENT = ("setting", "old_value", "new_value")

    class Meta:
        table_name = "setting_change"
        indexes = ((("ts_us",), False),)


class FloorSnapshot(Chained):
    """The replay reducer's state (db/floor_replay.py) after journal rows up to through_seq."""

    through_seq = pw.BigIntegerField()  # the last journal row included in the state
    state = pw.TextField()  # JSON

    KIND = "floor_snapshot"
    PAYLOAD = True
    CONTENT = ("through_seq", "state")

    class Meta:
        table_name = "floor_snapshot"
        indexes = ((("ts_us",), False),)


class RetentionCut(Chained):
    """Rows with seq < first_kept_seq were deleted; prev_hash is row (first_kept_seq-1)'s hash.

    The newest cut row is the anchor from which `verify` starts when the oldest rows are gone.
    """

    first_kept_seq = pw.BigIntegerField()
    prev_hash = pw.TextField()  # hex
    cutoff_ts_us = pw.BigIntegerField()
    rows_removed = pw.BigIntegerField()

    KIND = "retention_cut"
    CONTENT = ("first_kept_seq", "prev_hash", "cutoff_ts_us", "rows_removed")

    class Meta:
        table_name = "retention_cut"
        indexes = ((("ts_us",), False),)


class Meta(pw.Model):
    """Key/value facts about the file: application, schema_version, record_id, created_us."""

    name = pw.TextField(primary_key=True)
    value = pw.TextField()

    class Meta:
        table_name = "meta"


class Actor(pw.Model):
    """Who wrote rows: supervisor (OS user until accounts exist) at a workstation."""

    id = pw.IntegerField(primary_key=True)
    supervisor = pw.TextField()
    workstation = pw.TextField()

    class Meta:
        table_name = "actor"
        indexes = ((("supervisor", "workstation"), True),)


class ChainHead(pw.Model):
    """One row (id 1): last seq and hash, updated in the same transaction as every batch."""

    id = pw.IntegerField(primary_key=True)
    last_seq = pw.BigIntegerField()
    last_hash = pw.BlobField()

    class Meta:
        table_name = "chain_head"


# Order is the table index used in the writer's queue items; append new kinds at the end.
CHAINED_MODELS: tuple[type[Chained], ...] = (
    RecordOpen,
    Journal,
    ActionIntent,
    ActionResult,
    MonitorStart,
    MonitorMode,
    MonitorEnd,
    AlarmRaised,
    AlarmAck,
    AlarmCleared,
    SignIn,
    SettingChange,
    FloorSnapshot,
    RetentionCut,
    AlarmChange,
)
PLAIN_MODELS: tuple[type[pw.Model], ...] = (Meta, Actor, ChainHead)
ALL_MODELS: tuple[type[pw.Model], ...] = PLAIN_MODELS + CHAINED_MODELS
TABLE_INDEX: dict[str, int] = {m.KIND: i for i, m in enumerate(CHAINED_MODELS)}


def table_name(model: type[pw.Model]) -> str:
    name: str = model._meta.table_name
    return name


def stored_columns(model: type[Chained]) -> tuple[str, ...]:
    """Column order used for inserts and reads: seq, ts_us, actor, row_hash, *CONTENT."""
    return ("seq", "ts_us", "actor", "row_hash", *model.CONTENT)


def bound_models(database: pw.Database) -> dict[str, type[Any]]:
    """Subclasses of every model bound to `database`, keyed by table name."""
    bound: dict[str, type[Any]] = {}
    for model in ALL_MODELS:
        meta = type("Meta", (), {"database": database, "table_name": table_name(model)})
        bound[table_name(model)] = type(
            model.__name__, (model,), {"Meta": meta, "__module__": __name__}
        )
    return bound


def insert_sql(database: pw.Database, model: type[Chained], rows: int = 1) -> str:
    """The parameterised INSERT of `rows` rows of `stored_columns(model)` (standard SQL).

    Several rows per statement matter for speed: SQLite's module releases the GIL around
    each statement step, and one step per row means one GIL hand-over per row.
    """
    cols = stored_columns(model)
    quote = database.quote  # e.g. '""' (SQLite, PostgreSQL) or '``'
    names = ", ".join(f"{quote[0]}{c}{quote[1]}" for c in cols)
    one = "(" + ", ".join(database.param for _ in cols) + ")"
    values = ", ".join([one] * rows)
    return f"INSERT INTO {quote[0]}{table_name(model)}{quote[1]} ({names}) VALUES {values}"
