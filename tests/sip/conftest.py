"""Helpers for the SIP phone tests: every pjsua2 Endpoint runs in a child process."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@dataclass
class Peer:
    """The spy peer child process (tests/sip/spy_peer.py)."""

    proc: subprocess.Popen[str]
    port: int

    def command(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read_until(self, key: str) -> dict[str, Any]:
        """Next JSON line from the peer that has `key` (pj's start-up chatter is skipped)."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                obj: dict[str, Any] = json.loads(line)
                if key in obj:
                    return obj
        raise AssertionError(f"spy peer ended before sending {key!r}")


def _start_peer() -> Peer:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "spy_peer.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    peer = Peer(proc, 0)
    try:
        peer.port = int(peer.read_until("ready")["ready"])
    except BaseException:
        _stop_peer(peer)
        raise
    return peer


def _stop_peer(peer: Peer) -> None:
    proc = peer.proc
    if proc.poll() is None:
        try:
            peer.command("quit")
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


@pytest.fixture(scope="module")
def _shared_peer() -> Iterator[Peer]:
    peer = _start_peer()
    try:
        yield peer
    finally:
        _stop_peer(peer)


@pytest.fixture
def spy_peer(_shared_peer: Peer) -> Peer:
    """The spy peer (shared within a module; it reports on the latest call only)."""
    assert _shared_peer.proc.poll() is None, "the shared spy peer died"
    return _shared_peer


@pytest.fixture
def own_spy_peer() -> Iterator[Peer]:
    """A spy peer of this test alone (for tests that kill it)."""
    peer = _start_peer()
    try:
        yield peer
    finally:
        _stop_peer(peer)


def run_scenario(*args: str, timeout: float = 40.0) -> dict[str, Any]:
    """Run tests/sip/phone_scenarios.py in a child; return its RESULT (exit code must be 0)."""
    proc = subprocess.run(
        [sys.executable, str(HERE / "phone_scenarios.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, f"scenario {args} exited {proc.returncode}: {proc.stderr[-3000:]}"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"scenario {args} printed no RESULT: {proc.stdout[-2000:]} {proc.stderr[-2000:]}"
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


def start_scenario(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HERE / "phone_scenarios.py"), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


@contextlib.contextmanager
def scenario_guard(proc: subprocess.Popen[str]) -> Iterator[None]:
    """Kill and reap a scenario child if the test fails before `finish_scenario`."""
    try:
        yield
    except BaseException:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)
        raise


def finish_scenario(proc: subprocess.Popen[str], timeout: float = 40.0) -> dict[str, Any]:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"scenario exited {proc.returncode}: {err[-3000:]}"
    lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
    assert lines, f"scenario printed no RESULT: {out[-2000:]} {err[-2000:]}"
    result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
    return result


def wait_for_line(proc: subprocess.Popen[str], text: str) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == text:
            return
    raise AssertionError(
        f"child ended before printing {text!r}: {proc.stderr.read() if proc.stderr else ''}"
    )
