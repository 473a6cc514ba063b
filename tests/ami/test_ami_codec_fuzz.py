"""Property-based fuzzing of the AMI codec: only ProtocolError values, bounded memory, no hang,
and the same output however the bytes are split."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cti.ami.codec import AmiCodec, ProtocolError
from cti.ami.events import to_event
from cti.ami.message import Banner, Message

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "asterisk-22"
MAX_LINE = 64
MAX_FRAME = 256
BOUND = 2 * MAX_FRAME + MAX_LINE + 8

_FRAMES = (FIXTURES / "ami-event-examples.txt").read_bytes().split(b"\n\n")
SAMPLES = [f.replace(b"\n", b"\r\n") + b"\r\n\r\n" for f in _FRAMES if f.startswith(b"Event: ")]

TOKENS = [
    b"Event: QueueMemberStatus",
    b"Response: Follows",
    b"Response: Success",
    b"--END COMMAND--",
    b"x--END COMMAND--",
    b"Action: Ping",
    b"  Action: Ping",
    b"ActionID: a1",
    b"Output: line",
    b"Privilege: Command",
    b"",
    b":",
    b"Key:",
    b"Key:: v",
    b"no colon",
    b"\xff\xfe bad utf8",
    b"\xe5\xbc",
    b"Asterisk Call Manager/11.0.0",
    b"V" * 70,
    b"W" * 300,
]
ENDS = [b"\r\n", b"\n", b"\r\r\n", b"\r"]


def run(role: str, data: bytes, sizes: list[int]) -> tuple[list[object], AmiCodec]:
    codec = AmiCodec(role, max_line_bytes=MAX_LINE, max_frame_bytes=MAX_FRAME)  # type: ignore[arg-type]
    out: list[object] = []
    pos = 0
    i = 0
    while pos < len(data):
        step = sizes[i % len(sizes)] if sizes else len(data)
        i += 1
        codec.receive_data(data[pos : pos + step])
        pos += step
        while (item := codec.next_message()) is not None:
            assert isinstance(item, Message | Banner | ProtocolError)
            if isinstance(item, Message):
                # Everything a consumer does with a frame must work on garbage too.
                _ = (item.headers, item.name, item.action_id, item.output, item.as_dict())
                if item.is_event:
                    to_event(item)
            out.append(item)
        assert codec.buffered_bytes <= BOUND
    return out, codec


def check(data: bytes, sizes: list[int]) -> None:
    for role in ("client", "server"):
        whole, c1 = run(role, data, [])
        split, c2 = run(role, data, sizes)
        assert split == whole
        assert c1.replacement_chars == c2.replacement_chars
        assert c1.errors == c2.errors == sum(isinstance(i, ProtocolError) for i in whole)


chunk_sizes = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=20)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.timeout(60)
@FUZZ
@given(data=st.binary(max_size=1500), sizes=chunk_sizes)
def test_arbitrary_bytes(data: bytes, sizes: list[int]) -> None:
    check(data, sizes)


@pytest.mark.timeout(60)
@FUZZ
@given(
    lines=st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(ENDS)), max_size=40),
    sizes=chunk_sizes,
)
def test_tricky_lines(lines: list[tuple[bytes, bytes]], sizes: list[int]) -> None:
    check(b"".join(t + e for t, e in lines), sizes)


@st.composite
def mutated_frames(draw: st.DrawFn) -> bytes:
    frames = draw(st.lists(st.sampled_from(SAMPLES), min_size=1, max_size=4))
    data = bytearray(b"Asterisk Call Manager/11.0.0\r\n" + b"".join(frames))
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        if not data:
            break
        pos = draw(st.integers(min_value=0, max_value=len(data) - 1))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        blob = draw(
            st.sampled_from([b"\r", b"\n", b"\r\n", b":", b" ", b"\xff", b"\x00", b"X" * 80])
        )
        if kind == "delete":
            del data[pos : pos + draw(st.integers(min_value=1, max_value=20))]
        elif kind == "insert":
            data[pos:pos] = blob
        elif kind == "replace":
            data[pos : pos + len(blob)] = blob
        else:
            data[pos:pos] = data[pos : pos + 50]
    return bytes(data)


@pytest.mark.timeout(60)
@FUZZ
@given(data=mutated_frames(), sizes=chunk_sizes)
def test_mutated_real_frames(data: bytes, sizes: list[int]) -> None:
    check(data, sizes)
