"""Malformed input is answered like Asterisk 22: the requests of the captured bad-input
session (`ami-bad-input-annotated.txt`) are replayed against the lab byte for byte and the
responses compared frame by frame (Ping timestamps aside)."""

from __future__ import annotations

import ast
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from labkit import LabThread

LINE_RE = re.compile(r"^\[\+\s*[\d.]+\]\s+\[(?P<session>[\w-]+)\] (?P<dir>>>>|<<<) (?P<rest>.*)$")
SENT_RE = re.compile(r"^(.*?) (b['\"].*)$")
TIMESTAMP_RE = re.compile(r"Timestamp: \d+\.\d+")


@dataclass
class Step:
    description: str
    sent: bytes
    expected: list[bytes] = field(default_factory=list)
    eof: bool = False


def parse_session(path: Path, session: str) -> list[Step]:
    steps: list[Step] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = LINE_RE.match(line)
        if not m or m.group("session") != session:
            continue
        rest = m.group("rest")
        if m.group("dir") == ">>>":
            sent = SENT_RE.match(rest)
            assert sent is not None, rest
            steps.append(Step(sent.group(1), ast.literal_eval(sent.group(2))))
        elif rest.startswith("EOF"):
            steps[-1].eof = True
        elif rest.startswith(("b'", 'b"')):
            data = ast.literal_eval(rest)
            if data.startswith(b"Asterisk Call Manager/"):
                continue
            steps[-1].expected.extend(f + b"\r\n\r\n" for f in data.split(b"\r\n\r\n") if f)
    return steps


def normalise(frame: bytes) -> str:
    return TIMESTAMP_RE.sub("Timestamp: <t>", frame.decode())


class Reader:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.eof = False
        self.banner = b""
        while not self.banner.endswith(b"\r\n"):
            self.banner += self.sock.recv(1)

    def frames(self, n: int, timeout: float = 10.0) -> list[bytes]:
        """The next n response frames (events broadcast in between are skipped)."""
        out: list[bytes] = []
        deadline = time.monotonic() + timeout
        while len(out) < n:
            if b"\r\n\r\n" in self.buf:
                frame, _, self.buf = self.buf.partition(b"\r\n\r\n")
                if b"\r\nPrivilege: " not in frame:  # responses and list items have none
                    out.append(frame + b"\r\n\r\n")
                continue
            if self.eof or time.monotonic() > deadline:
                break
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                break
            self.eof = not data
            self.buf += data
        return out

    def wait_eof(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                break
            self.eof = not data
            self.buf += data
        return self.eof


@pytest.fixture(scope="module")
def lab() -> Iterator[LabThread]:
    # The capture's account, so the captured Login requests work unchanged.
    with LabThread(speed=1.0, ami_user="console", ami_secret="console-secret") as running:
        yield running


@pytest.mark.timeout(60)
def test_malformed_session_is_answered_like_asterisk(lab: LabThread, fixtures_dir: Path) -> None:
    steps = parse_session(fixtures_dir / "ami-bad-input-annotated.txt", "malformed")
    assert len(steps) > 25
    reader = Reader(lab.port)
    try:
        assert reader.banner == b"Asterisk Call Manager/11.0.0\r\n"
        for step in steps:
            if reader.eof:
                break  # the capture wrote after EOF too (and got EPIPE)
            reader.sock.sendall(step.sent)
            got = reader.frames(len(step.expected))
            assert [normalise(f) for f in got] == [normalise(f) for f in step.expected], (
                step.description
            )
            if step.eof:
                assert reader.wait_eof(), step.description
    finally:
        reader.sock.close()


@pytest.mark.timeout(30)
def test_wrong_password_session_like_asterisk(lab: LabThread, fixtures_dir: Path) -> None:
    steps = parse_session(fixtures_dir / "ami-bad-input-annotated.txt", "wrong-password")
    first = steps[0]
    assert first.eof and len(first.expected) == 1
    reader = Reader(lab.port)
    try:
        reader.sock.sendall(first.sent)
        for later in steps[1:]:  # written before the answer came, as the capture did
            reader.sock.sendall(later.sent)
        got = reader.frames(5)
        assert got == first.expected
        assert reader.wait_eof()
    finally:
        reader.sock.close()
