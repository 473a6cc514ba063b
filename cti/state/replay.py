"""Replay a raw AMI capture (bytes as received, banner first) through the codec and the store.

Rules:
- The capture is fed to the codec in chunks of any size; the result never depends on it (the
  codec is sans-IO and the store sees the same message sequence).
- `frames` counts every message after the banner (events and responses); `errors` counts the
  codec's ProtocolErrors; `events` counts event frames by their wire name.
- Counts per queue and per agent come from events (AgentConnect / QueueCallerAbandon HoldTime,
  AgentComplete TalkTime ...), never from the sync lists, because a raw capture has no
  timestamps and sync lists only describe the moment they were asked.
- The store needs a clock. A capture has no per-frame times, so the replay clock follows the
  time fields the stream itself carries (EventTV of security events, LoginTime / LastCall /
  LastPause of member events, Ping's Timestamp) and never goes back. Per-interval figures of
  a replay are therefore approximate; the required JSON figures do not depend on the clock.
- Day roll-over is off: a capture spanning midnight sums up as one.
- A sink (e.g. the record's journal writer) may receive every (typed event, raw message).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cti.ami.codec import AmiCodec, ProtocolError
from cti.ami.events import AmiEvent, GenericEvent, QueueMemberEvent, to_event
from cti.ami.message import Banner, Message
from cti.state.config import FloorConfig
from cti.state.metrics import IntervalMetrics
from cti.state.store import FloorStore

ReplaySink = Callable[[AmiEvent, Message], None]


class CaptureClock:
    """Monotonic clock driven by the time fields found in the stream (see module docstring)."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def observe(self, message: Message, event: AmiEvent | None) -> None:
        t: float | None = None
        if isinstance(event, QueueMemberEvent):
            t = max(event.login_time or 0, event.last_call or 0, event.last_pause or 0) or None
        elif isinstance(event, GenericEvent) or event is None:
            tv = message.get("EventTV")
            if tv:
                t = _parse_event_tv(tv)
            elif event is None:
                stamp = message.get("Timestamp")
                if stamp:
                    try:
                        t = float(stamp)
                    except ValueError:
                        t = None
        if t is not None and math.isfinite(t) and t > self.now:
            self.now = t


def _parse_event_tv(text: str) -> float | None:
    # Asterisk writes 2026-11-22T08:46:39.368+0000 (no colon in the offset).
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    except ValueError:
        try:
            return datetime.fromisoformat(text).timestamp()
        except ValueError:
            return None


@dataclass
class ReplayResult:
    frames: int
    errors: int
    events: dict[str, int]
    store: FloorStore
    banner: str | None
    trailing_bytes: int


def chunked(data: bytes, size: int) -> Iterator[bytes]:
    if size <= 0:
        raise ValueError("chunk size must be positive")
    for i in range(0, len(data), size):
        yield data[i : i + size]


def replay_chunks(
    chunks: Iterable[bytes], config: FloorConfig, sink: ReplaySink | None = None
) -> ReplayResult:
    """Feed raw AMI bytes through codec -> typed events -> store."""
    clock = CaptureClock()
    store = FloorStore(replace(config, reset_daily=False), clock)
    codec = AmiCodec("client")
    frames = 0
    errors = 0
    banner: str | None = None
    counts: Counter[str] = Counter()
    for chunk in chunks:
        codec.receive_data(chunk)
        while (item := codec.next_message()) is not None:
            if isinstance(item, Banner):
                banner = item.text
                continue
            if isinstance(item, ProtocolError):
                errors += 1
                continue
            frames += 1
            event: AmiEvent | None = None
            if item.is_event:
                event = to_event(item)
                counts[event.name] += 1
            clock.observe(item, event)
            if event is not None:
                store.apply(event)
                if sink is not None:
                    sink(event, item)
    return ReplayResult(
        frames=frames,
        errors=errors,
        events=dict(sorted(counts.items())),
        store=store,
        banner=banner,
        trailing_bytes=codec.buffered_bytes,
    )


def replay_file(
    path: Path, config: FloorConfig, chunk_size: int = 65536, sink: ReplaySink | None = None
) -> ReplayResult:
    return replay_chunks(chunked(path.read_bytes(), chunk_size), config, sink)


def _num(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(float(x), digits)


def _interval_json(m: IntervalMetrics) -> dict[str, Any]:
    return {
        "start": m.start,
        "offered": m.offered,
        "answered": m.answered,
        "abandoned": m.abandoned,
        "short_abandoned": m.short_abandoned,
        "answered_within_sl": m.answered_within,
        "other_exits": m.other_exits,
        "sl_percent": _num(m.sl_percent),
        "asa_s": _num(m.asa_s),
        "aht_s": _num(m.aht_s),
        "max_wait_s": _num(m.max_wait_s),
    }


def result_json(result: ReplayResult) -> dict[str, Any]:
    """The `replay --json` document (issue 4 contract, plus a few extra keys)."""
    store = result.store
    queues: dict[str, Any] = {}
    for qv in sorted(store.queues(), key=lambda q: q.name):
        t = qv.today
        intervals = [*qv.past_intervals, qv.current]
        queues[qv.name] = {
            "offered": t.offered,
            "answered": t.answered,
            "abandoned": t.abandoned,
            "short_abandoned": t.short_abandoned,
            "answered_within_sl": t.answered_within,
            "sl_percent": _num(t.sl_percent),
            "asa_s": _num(t.asa_s),
            "max_wait_s": _num(t.max_wait_s),
            "avg_talk_s": _num(t.avg_talk_s),
            # extra keys
            "other_exits": t.other_exits,
            "aht_s": _num(t.aht_s),
            "abandon_percent": _num(t.abandon_percent),
            "sl_formula": t.sl_formula.text,
            "waiting_at_end": qv.waiting,
            "intervals": [_interval_json(m) for m in intervals if m.offered or m.arrivals],
        }
    agents: dict[str, Any] = {}
    for av in sorted(store.agents(), key=lambda a: a.interface):
        agents[av.interface] = {
            "name": av.name,
            "answered": av.day.answered,
            "talk_s": round(av.day.queue_talk_s),
            "ring_no_answer": av.day.ring_no_answer,
            "paused": av.paused,
            "paused_reason": av.paused_reason,
            # extra keys
            "state_at_end": av.state.value,
            "queues_at_end": [m.queue for m in av.queues],
        }
    return {
        "frames": result.frames,
        "errors": result.errors,
        "events": result.events,
        "queues": queues,
        "agents": agents,
        "banner": result.banner,
        "trailing_bytes": result.trailing_bytes,
        "spy_sessions_at_end": len(store.spy_sessions()),
    }
