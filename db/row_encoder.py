"""Turning queued record items into chained rows (seq order, hashes, floor snapshots).

Used by the writer thread and by bulk loaders (the benchmark's generated record), so both
produce byte-identical rows. Not thread-safe: one encoder per writer.

Snapshot policy: the encoder feeds every journal event to the replay reducer
(db/floor_replay.py). When an event's time crosses a multiple of `snapshot_every_s` (wall
clock aligned, e.g. every 5 minutes), or `snapshot_every_rows` journal rows have passed since
the last snapshot, it asks for a `floor_snapshot` row holding the reducer's state *before*
that event (`through_seq` = the last journal row applied). The caller gives that row the
next free seq; replay then applies journal rows with seq > through_seq.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.canonical import Value, canonical, chain_hash, journal_canonical, json_text, scrub
from db.floor_replay import FloorReducer, key_interface, key_linkedid, key_queue
from db.models import CHAINED_MODELS, TABLE_INDEX

JOURNAL = TABLE_INDEX["journal"]
FLOOR_SNAPSHOT = TABLE_INDEX["floor_snapshot"]
TABLE_NAMES: tuple[str, ...] = tuple(m.KIND for m in CHAINED_MODELS)
HAS_PAYLOAD: tuple[bool, ...] = tuple(m.PAYLOAD for m in CHAINED_MODELS)

ActorKey = tuple[str, str]  # (supervisor, workstation)


def fields_object(fields: Mapping[str, Any] | Sequence[tuple[str, Any]]) -> Mapping[str, Any]:
    """A header list (repeats allowed) as a mapping; repeated headers become lists."""
    if fields.__class__ is dict or isinstance(fields, Mapping):
        return fields
    out: dict[str, Any] = {}
    for key, value in fields:
        if key in out:
            previous = out[key]
            out[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[key] = value
    return out


def _canonical(
    kind: str, seq: int, ts_us: int, actor: ActorKey, content: tuple[Value, ...], payload: bool
) -> tuple[bytes, tuple[Value, ...]]:
    """`canonical` of a row, and its content as stored: lone surrogates made storable."""
    try:
        return canonical(kind, seq, ts_us, actor[0], actor[1], content, payload), content
    except UnicodeEncodeError:
        content = tuple(scrub(v) if isinstance(v, str) else v for v in content)
        canon = canonical(kind, seq, ts_us, scrub(actor[0]), scrub(actor[1]), content, payload)
        return canon, content


@dataclass
class SnapshotDue:
    ts_us: int
    through_seq: int
    state: str


@dataclass
class EncodedBatch:
    """Rows ready to insert in one transaction, grouped by table index."""

    rows: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    new_actors: list[tuple[int, str, str]] = field(default_factory=list)
    first_seq: int = 0
    last_seq: int = 0
    last_hash: bytes = b""
    count: int = 0


class RowEncoder:
    def __init__(
        self,
        *,
        last_seq: int,
        last_hash: bytes,
        actors: dict[ActorKey, int],
        reducer: FloorReducer,
        snapshot_every_s: float,
        snapshot_every_rows: int,
        last_journal_ts_us: int | None = None,
        last_journal_seq: int = 0,
        rows_since_snapshot: int = 0,
    ) -> None:
        self.last_seq = last_seq
        self.last_hash = last_hash
        self.actors = dict(actors)
        self._next_actor = max(self.actors.values(), default=0) + 1
        self.reducer = reducer
        self._every_us = max(1, int(snapshot_every_s * 1_000_000))
        self._every_rows = snapshot_every_rows
        self._boundary_us = (
            (last_journal_ts_us // self._every_us + 1) * self._every_us
            if last_journal_ts_us is not None
            else None
        )
        self._last_journal_seq = last_journal_seq
        self._last_journal_ts_us = last_journal_ts_us or 0
        self._rows_since_snapshot = rows_since_snapshot
        self.due: list[SnapshotDue] = []
        self._last_actor_key: ActorKey | None = None
        self._last_actor_id = 0
        self.batch = EncodedBatch()

    def take_batch(self) -> EncodedBatch:
        batch, self.batch = self.batch, EncodedBatch()
        return batch

    def _actor(self, key: ActorKey) -> int:
        if key is self._last_actor_key:
            return self._last_actor_id
        actor_id = self.actors.get(key)
        if actor_id is None:
            actor_id = self._next_actor
            self._next_actor += 1
            self.actors[key] = actor_id
            self.batch.new_actors.append((actor_id, key[0], key[1]))
        self._last_actor_key, self._last_actor_id = key, actor_id
        return actor_id

    def add(self, table: int, seq: int, ts_us: int, actor: ActorKey, payload: Any) -> None:
        """Encode one item (payload: (name, fields) for the journal, else the content tuple)."""
        if seq != self.last_seq + 1:
            raise RuntimeError(f"record sequence broken: got {seq} after {self.last_seq}")
        if table == JOURNAL:
            self._add_journal(seq, ts_us, actor, payload)
            return
        content: tuple[Value, ...] = tuple(payload)
        actor_id = self._actor(actor)
        canon, content = _canonical(
            TABLE_NAMES[table], seq, ts_us, actor, content, HAS_PAYLOAD[table]
        )
        self._append(table, seq, ts_us, actor_id, canon, content)

    def _add_journal(self, seq: int, ts_us: int, actor: ActorKey, payload: Any) -> None:
        # The hottest path of the record (once per PBX event): the same result as the
        # generic path through `canonical`, in fewer steps.
        name, raw = payload
        fields = raw if raw.__class__ is dict else fields_object(raw)
        interface = key_interface(fields, name)
        get = fields.get
        queue = get("Queue")  # fast paths: a single, non-empty text header
        if not queue or queue.__class__ is not str:
            queue = key_queue(fields)
        linkedid = get("Linkedid")
        if not linkedid or linkedid.__class__ is not str:
            linkedid = key_linkedid(fields)
        boundary = self._boundary_us
        if boundary is None or ts_us >= boundary or self._rows_since_snapshot >= self._every_rows:
            self._snapshot_policy(ts_us)
        self.reducer.apply(ts_us / 1_000_000, name, fields)
        self._last_journal_seq = seq
        self._last_journal_ts_us = ts_us
        self._rows_since_snapshot += 1
        actor_id = self._last_actor_id if actor is self._last_actor_key else self._actor(actor)
        try:
            canon, text = journal_canonical(
                seq, ts_us, actor[0], actor[1], name, interface, queue, linkedid, fields
            )
            content: tuple[Value, ...] = (name, interface, queue, linkedid, text)
        except TypeError:  # a lone surrogate, an unusual header name or value: the long way
            content = (name, interface, queue, linkedid, json_text(fields))
            canon, content = _canonical("journal", seq, ts_us, actor, content, True)
        self._append(JOURNAL, seq, ts_us, actor_id, canon, content)

    def _append(
        self,
        table: int,
        seq: int,
        ts_us: int,
        actor_id: int,
        canon: bytes,
        content: tuple[Value, ...],
    ) -> None:
        digest = chain_hash(self.last_hash, canon)
        batch = self.batch
        rows = batch.rows.get(table)
        if rows is None:
            rows = batch.rows[table] = []
        rows.append((seq, ts_us, actor_id, digest, *content))
        if not batch.count:
            batch.first_seq = seq
        batch.count += 1
        batch.last_seq = seq
        batch.last_hash = digest
        self.last_seq = seq
        self.last_hash = digest

    def _snapshot_policy(self, ts_us: int) -> None:
        """Before a journal row at `ts_us`: set the first boundary, or ask for a snapshot."""
        boundary = self._boundary_us
        if boundary is None:
            self._boundary_us = (ts_us // self._every_us + 1) * self._every_us
        elif ts_us >= boundary:
            if self._rows_since_snapshot:
                self._snapshot((ts_us // self._every_us) * self._every_us)
            self._boundary_us = (ts_us // self._every_us + 1) * self._every_us
        elif self._rows_since_snapshot >= self._every_rows:
            self._snapshot(self._last_journal_ts_us)

    def _snapshot(self, ts_us: int) -> None:
        self.due.append(SnapshotDue(ts_us, self._last_journal_seq, self.reducer.to_json()))
        self._rows_since_snapshot = 0
