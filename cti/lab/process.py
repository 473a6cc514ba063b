"""Start the lab PBX as a child process and stop it again — never leaving it behind.

Rules and trade-offs:
- The child is `sys.executable main.py lab …` (or the frozen executable itself with `lab …`)
  on free ports (0) with fresh random credentials; `start()` returns once the child printed
  its `LAB-READY {json}` line, as a `LabInfo`.
- Never left behind, by three independent means: the child's stdin is a pipe from this
  process and the lab exits on EOF (works whatever kills the parent, even SIGKILL); on Linux
  the child also asks for PR_SET_PDEATHSIG (only when spawned from the main thread, because
  the signal fires when the spawning *thread* ends); and an atexit hook stops every lab this
  process started. The child runs in its own process group, so `stop()` can signal the whole
  group and a Ctrl-C in a terminal reaches the parent only.
- The child's stderr goes to this process's log (logger `cti.lab.process`), its stdout after
  LAB-READY is drained, so neither pipe can fill up and block the lab.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

READY_PREFIX = "LAB-READY "
REPO_ROOT = Path(__file__).resolve().parents[2]


class LabStartError(RuntimeError):
    """The lab process did not become ready (the message carries its last stderr lines)."""


@dataclass(frozen=True)
class LabInfo:
    """Where the lab listens and how to log in (the LAB-READY line).

    Attributes:
        raw: the whole LAB-READY dictionary (agent_users, sip_accounts, queues, …).
    """

    ami_host: str
    ami_port: int
    ami_user: str
    ami_secret: str
    sip_host: str | None
    sip_port: int | None
    sip_domain: str | None
    supervisor_user: str
    supervisor_password: str
    feature_codes: dict[str, str]
    scenario: str
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabInfo:
        return cls(
            ami_host=str(data["ami_host"]),
            ami_port=int(data["ami_port"]),
            ami_user=str(data["ami_user"]),
            ami_secret=str(data["ami_secret"]),
            sip_host=data.get("sip_host"),
            sip_port=None if data.get("sip_port") is None else int(data["sip_port"]),
            sip_domain=data.get("sip_domain"),
            supervisor_user=str(data["supervisor_user"]),
            supervisor_password=str(data["supervisor_password"]),
            feature_codes=dict(data["feature_codes"]),
            scenario=str(data["scenario"]),
            raw=data,
        )

    def __repr__(self) -> str:  # never show secrets in logs or test output
        return (
            f"LabInfo(ami={self.ami_host}:{self.ami_port}, sip={self.sip_host}:{self.sip_port}, "
            f"scenario={self.scenario!r})"
        )


_LIVE: weakref.WeakSet[LabProcess] = weakref.WeakSet()


def _stop_all_at_exit() -> None:
    for lab in list(_LIVE):
        with contextlib.suppress(Exception):
            lab.stop(timeout=3.0)


atexit.register(_stop_all_at_exit)


def lab_command(args: Sequence[str]) -> list[str]:
    """The command line that runs `main.py lab <args>` in this installation."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "lab", *args]
    return [sys.executable, str(REPO_ROOT / "main.py"), "lab", *args]


class LabProcess:
    """A lab PBX child process.

    Attributes:
        info: the LabInfo once started.
        returncode: the child's exit code once it ended.
    """

    def __init__(self, *, ready_timeout_s: float = 60.0, log_level: str = "WARNING") -> None:
        self.ready_timeout_s = ready_timeout_s
        self.log_level = log_level
        self.info: LabInfo | None = None
        self.returncode: int | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr_tail: list[str] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> LabProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(
        self,
        scenario: str | Path | None = None,
        speed: float = 1.0,
        seed: int | None = None,
        *,
        ami_port: int = 0,
        sip_port: int = 0,
        extra_args: Sequence[str] = (),
    ) -> LabInfo:
        if self._proc is not None:
            raise RuntimeError("this LabProcess was already started")
        args = ["--ami-port", str(ami_port), "--sip-port", str(sip_port), "--speed", f"{speed:g}"]
        if scenario is not None:
            args += ["--scenario", str(scenario)]
        if seed is not None:
            args += ["--seed", str(seed)]
        args += list(extra_args)
        cmd = lab_command(args)
        if not getattr(sys, "frozen", False):
            cmd[2:2] = ["--log-level", self.log_level]
        else:
            cmd[1:1] = ["--log-level", self.log_level]
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONUTF8"] = "1"
        env["HOTLINE_LAB_PARENT_PID"] = str(os.getpid())
        if threading.current_thread() is threading.main_thread():
            env["HOTLINE_LAB_PDEATHSIG"] = "1"
        else:
            env.pop("HOTLINE_LAB_PDEATHSIG", None)
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(REPO_ROOT) if not getattr(sys, "frozen", False) else None,
            env=env,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
        _LIVE.add(self)
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._spawn_reader(self._proc.stdout, self._on_stdout, "lab-stdout")
        self._spawn_reader(self._proc.stderr, self._on_stderr, "lab-stderr")
        try:
            self.info = self._wait_ready()
        except BaseException:
            self.stop()
            raise
        log.info("lab PBX started (pid %d): %r", self._proc.pid, self.info)
        return self.info

    def _spawn_reader(self, stream: IO[str], sink: Any, name: str) -> None:
        def pump() -> None:
            try:
                for line in stream:
                    sink(line.rstrip("\n"))
            except (OSError, ValueError):
                pass
            finally:
                sink(None)

        t = threading.Thread(target=pump, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def _on_stdout(self, line: str | None) -> None:
        self._lines.put(line)

    def _on_stderr(self, line: str | None) -> None:
        if line is None:
            return
        self._stderr_tail = [*self._stderr_tail[-29:], line]
        log.info("lab: %s", line)

    def _wait_ready(self) -> LabInfo:
        try:
            while True:
                line = self._lines.get(timeout=self.ready_timeout_s)
                if line is None:
                    raise LabStartError(self._failure("the lab process ended before it was ready"))
                if line.startswith(READY_PREFIX):
                    return LabInfo.from_json(json.loads(line[len(READY_PREFIX) :]))
        except queue.Empty:
            raise LabStartError(
                self._failure(f"the lab was not ready within {self.ready_timeout_s:g} s")
            ) from None

    def _failure(self, what: str) -> str:
        tail = "\n".join(self._stderr_tail[-10:])
        return f"{what}" + (f":\n{tail}" if tail else "")

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the lab (stdin EOF + SIGTERM to its group, then SIGKILL); returns its exit code."""
        proc = self._proc
        if proc is None:
            return self.returncode
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                if proc.stdin is not None:
                    proc.stdin.close()
            # stdin EOF already starts a clean shutdown; a SIGTERM landing while the lab is
            # tearing down its event loop (signal handlers gone) would kill it mid-way.
            try:
                proc.wait(min(3.0, timeout))
            except subprocess.TimeoutExpired:
                self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("lab PBX (pid %d) did not stop in %g s; killing it", proc.pid, timeout)
                self._signal_group(proc, signal.SIGKILL)
                proc.wait(5)
        for t in self._threads:
            t.join(5)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.returncode = proc.returncode
        _LIVE.discard(self)
        return self.returncode

    @staticmethod
    def _signal_group(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
        try:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, sig)
            elif sig == signal.SIGTERM:
                proc.terminate()
            else:
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
