# Benchmark: AMI ingest vs panoramisk's parser on the same bytes, in the same run.
#
# What is measured (BENCH.md `ingest_msgs_per_s`, `panoramisk_parse_msgs_per_s`):
# - The bytes: the banner of fixtures/asterisk-22/ami-scenario.txt followed by its frames
#   repeated N times (a real Asterisk 22 session, every event class switched on, so ~75 % of
#   it is VarSet/RTCP/security noise).
# - Ours: 64 KiB chunks -> AmiCodec -> for every event frame whose name has a typed class,
#   typed_event() (= to_event() for those) -> `sink` (the store's apply). Frames of
#   event types the console does not use are framed and named but not split into headers:
#   parsing only what is needed is the point of the lazy Message (the live client asks
#   Asterisk not to send most of them at all).
# - panoramisk 1.4: the same 64 KiB chunks through AMIProtocol.data_received (decode, split,
#   Message.from_line for every frame), with its dispatch replaced by a counter.
# - Rates are messages (frames) per second of wall time. Each side runs several times,
#   interleaved so that machine load hits both alike; the best run of each counts.

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cti.ami.codec import AmiCodec
from cti.ami.events import AmiEvent, typed_event
from cti.ami.message import Message

__all__ = ["bench_ingest", "default_capture", "ingest_bytes", "panoramisk_parse_bytes"]

CHUNK = 64 * 1024


def default_capture() -> Path:
    """`<repo>/../shared/fixtures/asterisk-22/ami-scenario.txt`."""
    repo = Path(__file__).resolve().parents[2]
    return (repo / ".." / "shared" / "fixtures" / "asterisk-22" / "ami-scenario.txt").resolve()


def _stream(capture: Path, copies: int) -> bytes:
    data = capture.read_bytes()
    cut = data.index(b"\n") + 1  # the banner comes once per session
    return data[:cut] + data[cut:] * copies


def ingest_bytes(data: bytes, sink: Callable[[AmiEvent], None] | None = None) -> int:
    """Run `data` through codec + to_event (+ sink); returns the number of frames."""
    codec = AmiCodec("client")
    frames = 0
    for start in range(0, len(data), CHUNK):
        codec.receive_data(data[start : start + CHUNK])
        for item in codec.drain():
            if type(item) is not Message:
                continue
            frames += 1
            event = typed_event(item)
            if event is not None and sink is not None:
                sink(event)
    return frames


def panoramisk_parse_bytes(data: bytes) -> int:
    """Run `data` through panoramisk's AMIProtocol parser; returns the number of frames."""
    from panoramisk.ami_protocol import AMIProtocol

    class _Counting(AMIProtocol):  # type: ignore[misc]
        count = 0

        def handle_message(self, message: Any) -> None:
            self.count += 1

    class _NullTransport:
        def write(self, data: bytes) -> None:
            pass

        def close(self) -> None:
            pass

    proto = _Counting()
    proto.connection_made(_NullTransport())
    for start in range(0, len(data), CHUNK):
        proto.data_received(data[start : start + CHUNK])
    return int(proto.count)


def bench_ingest(
    quick: bool,
    sink: Callable[[AmiEvent], None] | None = None,
    capture: Path | None = None,
) -> dict[str, float]:
    """BENCH.md `ingest_msgs_per_s`, `panoramisk_parse_msgs_per_s` and their ratio."""
    # Many short interleaved rounds: on a shared machine the best of many is the figure
    # least disturbed by other processes.
    copies, rounds = (3, 5) if quick else (5, 25)
    data = _stream(capture or default_capture(), copies)
    best_ours = best_theirs = float("inf")
    frames_ours = frames_theirs = 0
    for _ in range(rounds):
        t0 = time.perf_counter()
        frames_ours = ingest_bytes(data, sink)
        t1 = time.perf_counter()
        frames_theirs = panoramisk_parse_bytes(data)
        t2 = time.perf_counter()
        best_ours = min(best_ours, t1 - t0)
        best_theirs = min(best_theirs, t2 - t1)
    if frames_ours != frames_theirs:
        raise RuntimeError(f"frame counts differ: ours {frames_ours}, panoramisk {frames_theirs}")
    ours = frames_ours / best_ours
    theirs = frames_theirs / best_theirs
    return {
        "ingest_msgs_per_s": round(ours, 1),
        "panoramisk_parse_msgs_per_s": round(theirs, 1),
        "ingest_ratio_vs_panoramisk": round(ours / theirs, 3),
    }


if __name__ == "__main__":
    print(bench_ingest(quick=False))
