"""The lab PBX process: simulation + AMI server (+ SIP side) on one asyncio loop.

Rules and trade-offs:
- One asyncio loop on the main thread runs everything: the AMI server, a pump task that
  advances the simulation to the scaled clock and broadcasts (batched every 5–50 ms), and,
  when `cti.lab.sip_pbx` imports, a task polling `LabSipPbx.poll()` every 10 ms (pjsua2 runs
  with threadCnt=0, so its callbacks happen inside poll(), on this thread).
- Ready means listening: `LAB-READY {json}` is printed (one line, flushed) only after every
  socket is bound, then human-readable lines. Credentials not given are random per run.
- Stopping: SIGTERM, SIGINT, or EOF on stdin when stdin is a pipe or socket (a parent that
  dies closes it; an interactive terminal or /dev/null is not watched). On stop the AMI
  sessions get `Event: Shutdown`, then the SIP side is shut down in order.
- `LabRuntime` is the same thing without the process concerns, for in-process tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import signal
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from cti.lab.ami_server import AmiServer
from cti.lab.ami_templates import channel_block
from cti.lab.clock import ScaledClock
from cti.lab.pbx import LabPbx, SipSide
from cti.lab.scenario import Scenario, ScenarioError, load_scenario
from cti.lab.simulation import HotlineSimulation

log = logging.getLogger(__name__)

FEATURE_CODES = {"listen": "*221", "whisper": "*222", "barge": "*223"}
SIP_POLL_S = 0.010
PUMP_MIN_S = 0.005
PUMP_MAX_S = 0.050
EXTERNAL_REFRESH_S = 1.0


@dataclass(frozen=True)
class LabConfig:
    """What `run_lab` / `LabRuntime` start: scenario (preset name or file), where to listen
    (port 0 = a free port), credentials (None = random), speed and seed (None = the
    scenario's), and whether to try the SIP side at all."""

    scenario: str | Path | None = None
    host: str = "127.0.0.1"
    ami_port: int = 5038
    sip_port: int = 5060
    ami_user: str | None = None
    ami_secret: str | None = None
    speed: float | None = None
    seed: int | None = None
    enable_sip: bool = True
    start_epoch: float | None = None  # simulated epoch when live; default: the wall clock
    warmup_s: float | None = None  # default: the scenario's warmup_minutes


class _SipObserver:
    """Tells the SIP side which simulated agents are on a call (so a spy hears speech)."""

    def __init__(self) -> None:
        self.sip: Any = None

    def call_connected(self, agent_ext: str, caller_number: str, queue: str, language: str) -> None:
        if self.sip is not None:
            try:
                self.sip.set_simulated_call(agent_ext, caller_number, queue, language)
            except Exception:
                log.exception("SIP side failed in set_simulated_call(%s)", agent_ext)

    def call_ended(self, agent_ext: str) -> None:
        if self.sip is not None:
            try:
                self.sip.clear_simulated_call(agent_ext)
            except Exception:
                log.exception("SIP side failed in clear_simulated_call(%s)", agent_ext)


def _load_sip_class() -> type[Any] | None:
    try:
        from cti.lab import sip_pbx
    except ImportError as exc:
        log.warning("lab SIP side not available (%s); AMI only", exc)
        return None
    cls: type[Any] | None = getattr(sip_pbx, "LabSipPbx", None)
    return cls


class LabRuntime:
    """A running lab PBX inside the current asyncio loop.

    Attributes:
        scenario, sim, pbx, server: the parts, once `start()` returned.
        sip: the `LabSipPbx`, or None (not importable, disabled, or failed to start).
        info: the LAB-READY dictionary.
    """

    def __init__(
        self,
        config: LabConfig,
        *,
        real_clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.real_clock = real_clock
        self.wall_clock = wall_clock
        self.scenario: Scenario = load_scenario(config.scenario)
        self.speed = config.speed if config.speed is not None else self.scenario.speed
        if self.speed <= 0:
            raise ScenarioError("speed must be positive")
        self.seed = config.seed if config.seed is not None else self.scenario.seed
        self.ami_user = config.ami_user or f"lab-{secrets.token_hex(3)}"
        self.ami_secret = config.ami_secret or secrets.token_urlsafe(12)
        spec = self.scenario.sip
        self.sip_accounts = {
            ext: secrets.token_urlsafe(9) for ext in (spec.supervisor, *spec.agents, *spec.callers)
        }
        self.sip: Any = None
        self.info: dict[str, Any] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._observer = _SipObserver()
        start = config.start_epoch if config.start_epoch is not None else wall_clock()
        self.sim = HotlineSimulation(
            self.scenario,
            seed=self.seed,
            start_epoch=start,
            warmup_s=config.warmup_s,
            observer=self._observer,
            device_state=self._device_state,
        )
        self.clock = ScaledClock(real_clock, start, self.speed)
        self.pbx = LabPbx(self.sim, self.clock, real_clock, None, start)
        self.server = AmiServer(
            self.pbx,
            {self.ami_user: self.ami_secret},
            config.host,
            config.ami_port,
            wall_clock=wall_clock,
        )

    def _device_state(self, interface: str) -> int:
        return self.pbx.device_state(interface)

    async def start(self) -> dict[str, Any]:
        await self.server.start()
        cfg = self.config
        sip_port: int | None = None
        if cfg.enable_sip:
            sip_port = self._start_sip()
        self.pbx.take_events()  # nobody is connected yet: what happened so far is history
        self._tasks.append(asyncio.create_task(self._pump_loop(), name="lab-pump"))
        if self.sip is not None:
            self._tasks.append(asyncio.create_task(self._sip_loop(), name="lab-sip-poll"))
        spec = self.scenario.sip
        self.info = {
            "ami_host": cfg.host,
            "ami_port": self.server.port,
            "ami_user": self.ami_user,
            "ami_secret": self.ami_secret,
            "sip_host": cfg.host if sip_port is not None else None,
            "sip_port": sip_port,
            "sip_domain": spec.domain if sip_port is not None else None,
            "supervisor_user": spec.supervisor,
            "supervisor_password": self.sip_accounts[spec.supervisor],
            "feature_codes": dict(FEATURE_CODES),
            "scenario": self.scenario.name,
            "scenario_file": self.scenario.source,
            "title": self.scenario.title,
            "speed": self.speed,
            "seed": self.seed,
            "sip_enabled": sip_port is not None,
            "agent_users": list(spec.agents),
            "caller_users": list(spec.callers),
            "sip_accounts": dict(self.sip_accounts),
            "queues": {q.name: q.number for q in self.scenario.queues},
            "simulated_agents": len(self.scenario.agents),
            "pid": os.getpid(),
        }
        return self.info

    def _start_sip(self) -> int | None:
        cls = _load_sip_class()
        if cls is None:
            return None
        cfg = self.config
        first = self.scenario.queues[0]
        try:
            sip = cls(
                cfg.host,
                cfg.sip_port,
                dict(self.sip_accounts),
                dict(FEATURE_CODES),
                self.pbx.emit_sip,
                self.wall_clock,
                queue_numbers={q.number: q.name for q in self.scenario.queues},
                queue_members=self._queue_members_for_sip,
                agent_users=list(self.scenario.sip.agents),
                channel_lookup=self._agent_channel_block,
                on_device_change=self.pbx.external_device_changed,
                ids=self.sim.next_channel_seq,
                ring_timeout_s=first.timeout_s,
                retry_s=first.retry_s,
            )
            sip.start()
        except Exception:
            log.exception("lab SIP side failed to start; running AMI only")
            return None
        self.sip = sip
        sip_side: SipSide = sip
        self.pbx.sip = sip_side
        self._observer.sip = sip
        return int(sip.sip_port)

    def _queue_members_for_sip(self, queue: str) -> list[str]:
        """Real SIP agents a real SIP call into `queue` may ring: its unpaused external
        members (added by QueueAdd), else every registered agent phone."""
        members = self.sim.external_members(queue)
        if members:
            return [a.ext for a in members if not a.memberships[queue].paused]
        sip = self.sip
        return sorted(sip.registered_agents()) if sip is not None else []

    def _agent_channel_block(self, ext: str) -> list[tuple[str, str]] | None:
        chan = self.sim.agent_call_channel(ext)
        return None if chan is None else channel_block(chan)

    async def _pump_loop(self) -> None:
        server, clock, sim = self.server, self.clock, self.sim
        next_refresh = self.real_clock() + EXTERNAL_REFRESH_S
        while True:
            server.pump()
            if self.sip is not None and self.real_clock() >= next_refresh:
                next_refresh = self.real_clock() + EXTERNAL_REFRESH_S
                self.pbx.refresh_external_members()
                server.flush()
            delay = clock.real_delay_until(sim.next_event_time())
            await asyncio.sleep(min(max(delay, PUMP_MIN_S), PUMP_MAX_S))

    async def _sip_loop(self) -> None:
        while True:
            try:
                self.sip.poll()
            except Exception:
                log.exception("LabSipPbx.poll failed")
            self.server.flush()
            await asyncio.sleep(SIP_POLL_S)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.server.close()
        if self.sip is not None:
            sip, self.sip = self.sip, None
            self._observer.sip = None
            self.pbx.sip = None
            try:
                sip.shutdown()
            except Exception:
                log.exception("LabSipPbx.shutdown failed")


def describe(info: dict[str, Any]) -> list[str]:
    """The human-readable lines printed after LAB-READY."""
    fc = info["feature_codes"]
    lines = [
        f"lab PBX: {info['title']} (scenario {info['scenario']}, "
        f"{info['simulated_agents']} simulated agents, "
        f"speed {info['speed']:g}x, seed {info['seed']})",
        f"AMI listening on {info['ami_host']}:{info['ami_port']} "
        f"user {info['ami_user']} secret {info['ami_secret']}",
    ]
    if info["sip_enabled"]:
        lines.append(
            f"SIP listening on {info['sip_host']}:{info['sip_port']} domain {info['sip_domain']}; "
            f"supervisor user {info['supervisor_user']} password {info['supervisor_password']}; "
            f"listen {fc['listen']}<ext>, whisper {fc['whisper']}<ext>, barge {fc['barge']}<ext>"
        )
    else:
        lines.append("SIP side not available: AMI only (no monitoring audio)")
    queues = ", ".join(f"{n} {num}" for n, num in list(info["queues"].items())[:8])
    more = "" if len(info["queues"]) <= 8 else f" … ({len(info['queues'])} queues)"
    lines.append(f"queues: {queues}{more}")
    return lines


def _stdin_is_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


async def serve(config: LabConfig, out: TextIO, watch_stdin: bool) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    runtime = LabRuntime(config)
    installed: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError):
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    stdin_fd: int | None = None
    if watch_stdin:
        stdin_fd = fd = sys.stdin.fileno()

        def _on_stdin() -> None:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                log.info("stdin closed: the parent is gone, stopping")
                stop.set()

        loop.add_reader(stdin_fd, _on_stdin)
    try:
        info = await runtime.start()
        out.write("LAB-READY " + json.dumps(info, ensure_ascii=False) + "\n")
        for line in describe(info):
            out.write(line + "\n")
        out.flush()
        await stop.wait()
    finally:
        if stdin_fd is not None:
            loop.remove_reader(stdin_fd)
        for sig in installed:
            loop.remove_signal_handler(sig)
        await runtime.stop()


def run_lab(
    scenario: str | Path | None = None,
    *,
    ami_port: int = 5038,
    sip_port: int = 5060,
    ami_user: str | None = None,
    ami_secret: str | None = None,
    speed: float | None = None,
    seed: int | None = None,
    host: str = "127.0.0.1",
    out: TextIO | None = None,
    watch_stdin: bool | None = None,
) -> int:
    """Run the lab until SIGTERM/SIGINT/stdin EOF. Returns the process exit code."""
    set_parent_death_signal()
    config = LabConfig(
        scenario=scenario,
        host=host,
        ami_port=ami_port,
        sip_port=sip_port,
        ami_user=ami_user,
        ami_secret=ami_secret,
        speed=speed,
        seed=seed,
    )
    if watch_stdin is None:
        watch_stdin = _stdin_is_pipe()
    try:
        asyncio.run(serve(config, out or sys.stdout, watch_stdin))
    except ScenarioError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"lab: cannot listen on {host}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def set_parent_death_signal() -> None:
    """Linux: die with SIGTERM when the parent goes, if the parent asked for it.

    Only when HOTLINE_LAB_PDEATHSIG=1 (set by LabProcess when it spawns from the main
    thread): the signal fires when the spawning *thread* ends, which must not kill a lab
    started from a worker thread. Also covers a parent that died before we got here.
    """
    if os.environ.get("HOTLINE_LAB_PDEATHSIG") != "1" or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    parent = os.environ.get("HOTLINE_LAB_PARENT_PID", "")
    if parent.isdigit() and os.getppid() != int(parent):
        os.kill(os.getpid(), signal.SIGTERM)
