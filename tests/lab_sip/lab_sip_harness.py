"""Drives the lab runner and the SIP party processes from a test (line protocol over pipes)."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

Headers = list[tuple[str, str]]


class ProcessError(AssertionError):
    pass


class LineProcess:
    """A child speaking `KIND payload` lines on stdout; stderr is kept for failure messages."""

    def __init__(self, args: list[str], name: str) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[tuple[str, Any] | None] = queue.Queue()
        self.stderr: list[str] = []
        self.events: list[Headers] = []
        self.results: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            kind, _, payload = line.rstrip("\n").partition(" ")
            try:
                data = json.loads(payload) if payload else None
            except json.JSONDecodeError:
                data = payload
            if kind == "EVENT":
                with self._lock:
                    self.events.append([(k, v) for k, v in data])
            elif kind == "RESULT" and isinstance(data, dict) and "originate" in data:
                with self._lock:
                    self.results.append(data["originate"])
            else:
                self.lines.put((kind, data))
        self.lines.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def expect(self, kind: str, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProcessError(f"{self.name}: no {kind} line in {timeout} s\n{self.tail()}")
            try:
                item = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if item is None:
                raise ProcessError(f"{self.name} exited before {kind}\n{self.tail()}")
            if item[0] == kind:
                return item[1]

    def send(self, command: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def tail(self) -> str:
        return "".join(self.stderr[-40:])

    def event_list(self) -> list[Headers]:
        with self._lock:
            return list(self.events)

    def wait_event(
        self, predicate: Callable[[dict[str, str]], bool], timeout: float = 10.0, start: int = 0
    ) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.event_list()[start:]:
                fields = dict(event)
                if predicate(fields):
                    return fields
            time.sleep(0.02)
        names = [dict(e).get("Event") for e in self.event_list()[start:]]
        raise ProcessError(f"{self.name}: expected event not seen; got {names}\n{self.tail()}")

    def wait_result(self, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.results:
                    return self.results.pop(0)
            time.sleep(0.02)
        raise ProcessError(f"{self.name}: no originate result\n{self.tail()}")

    def close(self, timeout: float = 10.0) -> int:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.send({"op": "quit"})
            self.proc.stdin.close()
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code


class Lab(LineProcess):
    def __init__(
        self, accounts: dict[str, str], *, tone_mode: bool = False, ring_timeout: float = 15.0
    ) -> None:
        args = [str(HERE / "lab_runner.py"), "--accounts", json.dumps(accounts)]
        args += ["--ring-timeout", str(ring_timeout)]
        if tone_mode:
            args.append("--tone-mode")
        super().__init__(args, "lab")
        try:
            self.sip_port = int(self.expect("READY")["sip_port"])
        except BaseException:
            self.close()
            raise

    @property
    def registrar(self) -> str:
        return f"127.0.0.1:{self.sip_port}"

    def command(self, **command: Any) -> dict[str, Any]:
        self.send(command)
        result = self.expect("RESULT")
        assert isinstance(result, dict)
        return result


class Parties(LineProcess):
    def __init__(self) -> None:
        super().__init__([str(HERE / "sip_party.py")], "parties")
        try:
            self.expect("READY")
        except BaseException:
            self.close()
            raise

    def command(self, timeout: float = 15.0, **command: Any) -> dict[str, Any]:
        self.send(command)
        reply = self.expect("REPLY", timeout)
        assert isinstance(reply, dict)
        return reply

    def must(self, timeout: float = 15.0, **command: Any) -> dict[str, Any]:
        reply = self.command(timeout, **command)
        if not reply.get("ok"):
            raise ProcessError(f"party command {command} failed: {reply}\n{self.tail()}")
        return reply
