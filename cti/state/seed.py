"""Seeding the live floor store with the day's earlier events (from the console's record).

When the console starts mid-day (a restart, a crash, another PC taking over), the PBX says
who is where now but not how the day went: the interval figures, the day's chart and each
agent's calls today would start from zero. The record journals every event as it arrived, so
applying the day's earlier events to the store, each at its recorded time, restores the
day's counters exactly as the earlier session counted them.

Rules:
- Only events of the same PBX (the caller picks the sessions) and of the current day.
- Events are applied in journal order with the store's clock pinned to their recorded time,
  never going back.
- A snapshot the earlier session took after (re)connecting is journalled as its list items,
  all stamped with the snapshot's one time (console/record_link.py), while events carry
  their own arrival times. Such a run of list items (queue parameters and members at one
  instant) is applied as the snapshot it was (`resync_items`), so presence and occupancy
  come out as that session counted them.
- Then the gap until the PBX's own snapshot is closed as a PBX restart would be
  (`FloorStore.resync` with nothing, at the last recorded moment): who was where is
  forgotten, so no time accrues to a state nobody saw during the gap; the day figures stay.
  Callers still waiting at that moment count as other exits, as across any outage.
- The store stays stale until the live link's snapshot arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from cti.ami.events import AmiEvent, event_from_headers
from cti.ami.message import Message
from cti.state.store import NOT_SYNCHRONISED, FloorStore


class PinnedClock:
    """The live store's clock: the wall clock, or a pinned time while history is applied."""

    __slots__ = ("_wall", "pinned")

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self.pinned: float | None = None

    def __call__(self) -> float:
        pinned = self.pinned
        return pinned if pinned is not None else self._wall()


def journal_event(name: str, fields: Mapping[str, Any]) -> AmiEvent:
    """A journalled event (its headers as the record keeps them: text values, repeated headers
    as lists) as the typed event the AMI client delivered.

    The decoded fields serve as the header look-up directly (first value of a repeated
    header, as Asterisk reads them): several times faster than rebuilding and re-parsing the
    frame, which a day of a large floor needs.
    """
    event_name = str(fields.get("Event") or name)
    get: Callable[[str], str | None]
    if set(map(type, fields.values())) <= {str}:  # the usual case, checked at C speed
        get = fields.get
        pairs = tuple(fields.items())
    else:
        firsts: dict[str, str] = {}
        flat: list[tuple[str, str]] = []
        for key, value in fields.items():
            values = value if isinstance(value, list) else [value]
            texts = ["" if v is None else str(v) for v in values]
            if texts:
                firsts[key] = texts[0]
            flat.extend((key, t) for t in texts)
        get = firsts.get
        pairs = tuple(flat)
    return event_from_headers(event_name, get, Message.from_headers(pairs))


LIST_ITEMS = frozenset({"QueueParams", "QueueMember", "QueueEntry", "CoreShowChannel"})


class DaySeed:
    """Applies recorded events to a store, then closes the gap (`finish`).

    Attributes: applied (events applied), skipped (rows that were not events), snapshots
    (recorded snapshots applied as such), first_ts / last_ts (the span applied).
    """

    def __init__(self, store: FloorStore, clock: PinnedClock) -> None:
        self.store = store
        self.clock = clock
        self.applied = 0
        self.skipped = 0
        self.snapshots = 0
        self.first_ts: float | None = None
        self.last_ts: float | None = None
        self._run: list[AmiEvent] = []  # list items sharing one time: maybe a snapshot
        self._run_ts = 0.0

    def apply(self, ts: float, name: str, fields: Mapping[str, Any]) -> None:
        if self.last_ts is not None and ts < self.last_ts:
            ts = self.last_ts
        try:
            event = journal_event(name, fields)
        except ValueError:
            self.skipped += 1
            return
        if self._run and ts != self._run_ts:
            self._flush_run()
        if name in LIST_ITEMS:
            self._run.append(event)
            self._run_ts = ts
        else:
            self._at(ts, self.store.apply, event)
        if self.first_ts is None:
            self.first_ts = ts
        self.last_ts = ts
        self.applied += 1

    def _flush_run(self) -> None:
        run, self._run = self._run, []
        names = {e.name for e in run}
        if "QueueParams" in names and "QueueMember" in names:
            self._at(self._run_ts, self.store.resync_items, run)
            self.snapshots += 1
        else:
            for event in run:
                self._at(self._run_ts, self.store.apply, event)

    def _at(self, ts: float, action: Callable[[Any], None], arg: Any) -> None:
        self.clock.pinned = ts
        try:
            action(arg)
        finally:
            self.clock.pinned = None

    def finish(self) -> None:
        """Forget who was where at the last recorded moment; keep the day's figures."""
        if self._run:
            self._flush_run()
        if self.last_ts is None:
            return
        last = self.last_ts
        self._at(last, lambda _: self.store.resync((), (), (), (), last), None)
        self.store.mark_stale(NOT_SYNCHRONISED)
