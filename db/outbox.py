"""Durable SMS outbox (peewee on SQLite, its own file; no Qt).

Why a separate file and not the record: the record is append-only and hash-chained, while an
outbox row changes state (pending → sending → sent/failed). The record still gets the story
(the console journals every `SmsEvent`).

Guarantees and the one trade-off:
- `enqueue` commits (WAL, synchronous=FULL) before returning: once the alarm handler got an
  id back, a crash or power cut cannot lose the message.
- State changes are single-row transactions. A message is claimed (`status='sending'`,
  attempts+1) *before* the modem sees it, and each part's +CMGS reference is committed the
  moment the modem reports it. Parts already recorded are never sent again.
- Crash window: between the modem accepting a part and our commit of its reference there is
  no way to know whether the SMS left (the same holds for a timeout or an unplug right after
  Ctrl-Z). On restart a row found in 'sending' is put back to 'pending' with
  `possible_duplicate=1` and that part is sent again: at-least-once. We choose a possible
  duplicate over a possible loss because this is how alarms reach the on-call manager at
  night. The window is one modem round trip + one commit, so duplicates are rare, and they
  are flagged.
- Several processes must not drain the same outbox (one console per outbox file).
"""

from __future__ import annotations

import logging
import random
import sqlite3
from pathlib import Path
from typing import Any

import peewee as pw

from cti.serial.sms_sender import OutboxItem

log = logging.getLogger(__name__)

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


class OutboxError(Exception):
    """The outbox file cannot be used (message says why; the file is not modified)."""


class _OutboxRow(pw.Model):
    created_at = pw.FloatField()
    recipient = pw.TextField()
    text = pw.TextField()
    concat_ref = pw.IntegerField()
    status = pw.TextField(index=True)
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.FloatField()
    last_error = pw.TextField(null=True)
    parts_total = pw.IntegerField(null=True)
    parts_sent = pw.IntegerField(default=0)
    refs = pw.TextField(default="")  # comma-separated +CMGS references, in part order
    possible_duplicate = pw.BooleanField(default=False)
    sent_at = pw.FloatField(null=True)
    updated_at = pw.FloatField()

    class Meta:
        table_name = "sms_outbox"
        database = None


def _item(row: Any) -> OutboxItem:
    refs = tuple(int(r) for r in row.refs.split(",") if r)
    return OutboxItem(
        message_id=row.id,
        recipient=row.recipient,
        text=row.text,
        concat_ref=row.concat_ref,
        parts_sent=row.parts_sent,
        references=refs,
        attempts=row.attempts,
        status=row.status,
        possible_duplicate=bool(row.possible_duplicate),
        last_error=row.last_error,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        parts_total=row.parts_total,
    )


class SmsOutbox:
    """The outbox file. Thread-safe per peewee (one connection per thread).

    Opening it recovers rows a crash left in 'sending' (see the module doc).
    """

    def __init__(self, path: str | Path, now: float, *, rng: random.Random | None = None) -> None:
        self.path = Path(path)
        self._rng = rng or random.Random()
        if self.path.exists() and self.path.stat().st_size > 0:
            with self.path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise OutboxError(f"{self.path} is not an SMS outbox (not an SQLite file)")
        self._db = pw.SqliteDatabase(
            str(self.path),
            pragmas={"journal_mode": "wal", "synchronous": "full", "busy_timeout": 5000},
        )

        class Row(_OutboxRow):
            class Meta:
                database = self._db
                table_name = "sms_outbox"

        self._Row: Any = Row
        try:
            self._db.connect(reuse_if_open=True)
            self._db.create_tables([Row], safe=True)
            self.recovered = self._recover(now)
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            self._db.close()
            raise OutboxError(f"SMS outbox {self.path} cannot be opened: {exc}") from exc

    # ----------------------------------------------------------------- writing

    def enqueue(self, recipient: str, text: str, now: float) -> int:
        """Store a message durably; returns its id. Sent by the dispatcher asap."""
        with self._db.atomic():
            row = self._Row.create(
                created_at=now,
                recipient=recipient,
                text=text,
                concat_ref=self._rng.randrange(256),
                status=PENDING,
                next_attempt_at=now,
                updated_at=now,
            )
        return int(row.id)

    def mark_sending(self, message_id: int, now: float, parts_total: int) -> OutboxItem:
        with self._db.atomic():
            row = self._get(message_id)
            row.status = SENDING
            row.attempts += 1
            row.parts_total = parts_total
            row.updated_at = now
            row.save()
        return _item(row)

    def record_part(self, message_id: int, part_index: int, reference: int, now: float) -> None:
        """Part `part_index` (1-based) was accepted with +CMGS `reference`."""
        with self._db.atomic():
            row = self._get(message_id)
            if part_index != row.parts_sent + 1:
                raise OutboxError(
                    f"SMS {message_id}: part {part_index} recorded out of order "
                    f"({row.parts_sent} already sent)"
                )
            row.parts_sent = part_index
            row.refs = ",".join(x for x in (row.refs, str(reference)) if x)
            row.updated_at = now
            row.last_error = None
            if row.parts_total is not None and part_index >= row.parts_total:
                row.status = SENT
                row.sent_at = now
            row.save()

    def record_failure(
        self, message_id: int, error: str, retry_at: float | None, now: float, in_doubt: bool
    ) -> None:
        """retry_at None = permanent failure (status 'failed'); else back to 'pending'."""
        with self._db.atomic():
            row = self._get(message_id)
            row.last_error = error
            row.updated_at = now
            if in_doubt:
                row.possible_duplicate = True
            if retry_at is None:
                row.status = FAILED
            else:
                row.status = PENDING
                row.next_attempt_at = retry_at
            row.save()

    def requeue(self, message_id: int, now: float) -> None:
        with self._db.atomic():
            row = self._get(message_id)
            if row.status != FAILED:
                raise OutboxError(f"SMS {message_id} is {row.status}, not failed")
            row.status = PENDING
            row.next_attempt_at = now
            row.updated_at = now
            row.save()

    # ----------------------------------------------------------------- reading

    def due(self, now: float, limit: int = 10) -> list[OutboxItem]:
        """Pending messages whose time has come, oldest first."""
        row_model = self._Row
        query = (
            row_model.select()
            .where((row_model.status == PENDING) & (row_model.next_attempt_at <= now))
            .order_by(row_model.created_at, row_model.id)
            .limit(limit)
        )
        return [_item(r) for r in query]

    def get(self, message_id: int) -> OutboxItem:
        return _item(self._get(message_id))

    def items(self, status: str | None = None) -> list[OutboxItem]:
        row_model = self._Row
        query = row_model.select().order_by(row_model.id)
        if status is not None:
            query = query.where(row_model.status == status)
        return [_item(r) for r in query]

    def count(self, status: str) -> int:
        row_model = self._Row
        return int(row_model.select().where(row_model.status == status).count())

    def close(self) -> None:
        self._db.close()

    # ----------------------------------------------------------------- internals

    def _get(self, message_id: int) -> Any:
        try:
            return self._Row.get_by_id(message_id)
        except pw.DoesNotExist as exc:
            raise OutboxError(f"no SMS {message_id} in the outbox") from exc

    def _recover(self, now: float) -> int:
        row_model = self._Row
        with self._db.atomic():
            n = int(
                row_model.update(
                    status=PENDING,
                    possible_duplicate=True,
                    next_attempt_at=now,
                    updated_at=now,
                    last_error="interrupted while sending (program stopped); resending",
                )
                .where(row_model.status == SENDING)
                .execute()
            )
        if n:
            log.warning("SMS outbox: %d message(s) were being sent when the program stopped", n)
        return n
