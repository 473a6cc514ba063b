"""End-to-end monitoring self-test: who hears whom, measured (`check-monitoring`).

Three SIP parties in this one process (one Endpoint, three accounts, three calls — inside
the wheel's limit of four): a test caller dials the queue number, the test agent answers,
and the supervisor monitors the agent through the console's own `MonitorSession` and
`AudioBridge` (the real code path, with a tone instead of a microphone). Each party plays
its own tone (caller 600 Hz, agent 1100 Hz, supervisor 2500 Hz) and keeps what it
receives with timestamps; `cti.audio.tones.goertzel_dbfs` measures each tone per window.

Sequence on ONE spy call: listen → whisper (DTMF 5) → barge (DTMF 6) → listen (DTMF 4).
The matrix has 12 cells (per mode: supervisor hears caller, supervisor hears agent, agent
hears supervisor, caller hears supervisor). The listen cells take the worse of the two
listen windows, so a mode that fails to switch back also fails the check.

Latencies:
- click_to_audio_ms: `MonitorSession.start` → the first frame at the supervisor with sound
  in it (RMS above −30 dBFS).
- mode_switch_ms: DTMF sent → the first 20 ms frame in which the newly connected listener
  hears the supervisor's tone (agent for whisper, caller for barge); the larger of the two.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from cti.audio.tones import (
    AGENT_HZ,
    CALLER_HZ,
    FLOOR_DBFS,
    SUPERVISOR_HZ,
    check,
    goertzel_dbfs,
)
from cti.sip.audio_bridge import AudioBridge, MicSource, rms_dbfs
from cti.sip.config import MonitorMode, MonitorProfile, SipAccountConfig, SpyMethod, Transport
from cti.sip.events import (
    CallMediaActive,
    CallState,
    CallStateChanged,
    IncomingCall,
    MonitorEnded,
    MonitorModeChanged,
    MonitorStarted,
    RegState,
    SipEvent,
)
from cti.sip.media_port import FRAME_SAMPLES, RATE
from cti.sip.monitor import MonitorSession, OriginateFn
from cti.sip.phone import SipPhone

log = logging.getLogger(__name__)

TONE_DBFS = -10.0
HEARD_RMS_DBFS = -30.0
SETTLE_S = 0.3
WINDOW_S = 0.6
PARTIES = {"caller": CALLER_HZ, "agent": AGENT_HZ, "supervisor": SUPERVISOR_HZ}
CELLS: tuple[tuple[str, str], ...] = (
    ("supervisor", "caller"),
    ("supervisor", "agent"),
    ("agent", "supervisor"),
    ("caller", "supervisor"),
)
EXPECTED: dict[MonitorMode, dict[tuple[str, str], bool]] = {
    MonitorMode.LISTEN: {CELLS[0]: True, CELLS[1]: True, CELLS[2]: False, CELLS[3]: False},
    MonitorMode.WHISPER: {CELLS[0]: True, CELLS[1]: True, CELLS[2]: True, CELLS[3]: False},
    MonitorMode.BARGE: {CELLS[0]: True, CELLS[1]: True, CELLS[2]: True, CELLS[3]: True},
}


class CheckFailedError(RuntimeError):
    """The self-test could not get to measuring; the message says which step failed."""


@dataclass(frozen=True)
class PbxTarget:
    """Where and as whom the self-test runs."""

    sip_host: str
    sip_port: int
    supervisor: tuple[str, str]
    caller: tuple[str, str]
    agent: tuple[str, str]
    agent_ext: str
    queue_number: str
    domain: str = ""
    transport: Transport = Transport.UDP
    spy_method: SpyMethod = SpyMethod.FEATURE_CODE
    profile: MonitorProfile = field(default_factory=MonitorProfile)


@dataclass(frozen=True)
class Cell:
    mode: MonitorMode
    listener: str
    source: str
    expected: bool
    dbfs: float
    passed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": str(self.mode),
            "listener": self.listener,
            "source": self.source,
            "expected": self.expected,
            "dbfs": round(self.dbfs, 1),
            "pass": self.passed,
        }


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one run. `error` is set when the run stopped before measuring all."""

    passed: bool
    cells: tuple[Cell, ...]
    click_to_audio_ms: float
    mode_switch_ms: float
    error: str = ""
    mos: float = 0.0
    audit: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "cells": [c.to_json() for c in self.cells],
            "click_to_audio_ms": round(self.click_to_audio_ms, 1),
            "mode_switch_ms": round(self.mode_switch_ms, 1),
        }

    def matrix_text(self) -> str:
        lines = [f"{'mode':8} {'listener':11} {'hears':11} {'expected':9} {'dBFS':>7}  result"]
        for c in self.cells:
            lines.append(
                f"{c.mode!s:8} {c.listener:11} {c.source:11} "
                f"{'yes' if c.expected else 'no':9} {c.dbfs:7.1f}  {'PASS' if c.passed else 'FAIL'}"
            )
        lines.append(f"click to audio: {self.click_to_audio_ms:.0f} ms")
        lines.append(f"mode switch:    {self.mode_switch_ms:.0f} ms")
        if self.mos:
            lines.append(f"spy call MOS estimate: {self.mos:.2f}")
        if self.error:
            lines.append(f"error: {self.error}")
        lines.append("PASSED (12/12)" if self.passed else "FAILED")
        return "\n".join(lines)


class _Recorder:
    """Received frames with their arrival time (appended on pj's media thread)."""

    def __init__(self) -> None:
        self.frames: list[tuple[float, bytes]] = []

    def add(self, ts: float, frame: bytes) -> None:
        self.frames.append((ts, frame))

    def samples(self, start: float, end: float) -> np.ndarray[Any, np.dtype[np.int16]]:
        chunks = [f for ts, f in list(self.frames) if start <= ts < end]
        return np.frombuffer(b"".join(chunks), dtype="<i2")

    def level(self, hz: float, start: float, end: float) -> float:
        x = self.samples(start, end)
        return goertzel_dbfs(x, hz, RATE) if len(x) >= FRAME_SAMPLES else FLOOR_DBFS

    def first(self, since: float, hit: Callable[[bytes], bool]) -> float | None:
        for ts, frame in list(self.frames):
            if ts >= since and hit(frame):
                return ts
        return None


class _ToneSource:
    def __init__(self, hz: float, dbfs: float = TONE_DBFS) -> None:
        self._step = 2.0 * math.pi * hz / RATE
        self._amp = 32767.0 * 10 ** (dbfs / 20.0)
        self._phase = 0.0

    def __call__(self) -> bytes:
        x = self._amp * np.sin(self._phase + self._step * np.arange(FRAME_SAMPLES))
        self._phase = (self._phase + self._step * FRAME_SAMPLES) % (2.0 * math.pi)
        return bytes(x.astype("<i2").tobytes())


class _Audit:
    """Collects the session's audit calls (the check proves they happen)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def session_started(self, event: MonitorStarted) -> None:
        self.calls.append(f"started {event.mode}")

    def mode_changed(self, event: MonitorModeChanged) -> None:
        self.calls.append(f"mode {event.old_mode}->{event.mode}")

    def session_ended(self, event: MonitorEnded) -> None:
        self.calls.append(f"ended: {event.reason}")


def _tone_hit(hz: float) -> Callable[[bytes], bool]:
    def hit(frame: bytes) -> bool:
        return goertzel_dbfs(np.frombuffer(frame, "<i2"), hz, RATE) >= -20.0

    return hit


def _sound_hit(frame: bytes) -> bool:
    return rms_dbfs(np.frombuffer(frame, "<i2")) >= HEARD_RMS_DBFS


class MonitoringCheck:
    """Runs the self-test against `target`; `run()` returns a CheckResult, never raises."""

    def __init__(
        self,
        target: PbxTarget,
        *,
        originate: OriginateFn | None = None,
        clock: Callable[[], float] = time.monotonic,
        bind_host: str | None = None,
        step_timeout_s: float = 8.0,
        supervisor_tone_dbfs: float = TONE_DBFS,
    ) -> None:
        self.target = target
        self._originate = originate
        self._clock = clock
        self._bind = bind_host or (
            "127.0.0.1" if target.sip_host in ("127.0.0.1", "localhost") else "0.0.0.0"
        )
        self._timeout = step_timeout_s
        self._supervisor_dbfs = supervisor_tone_dbfs
        self._rec = {name: _Recorder() for name in PARTIES}
        self._events: list[SipEvent] = []

    def run(self) -> CheckResult:
        phone = SipPhone(self._clock, bind_host=self._bind, fast_destroy=True)
        audit = _Audit()
        try:
            phone.start()
            return self._run(phone, audit)
        except CheckFailedError as exc:
            return CheckResult(False, (), -1.0, -1.0, error=str(exc), audit=tuple(audit.calls))
        except Exception as exc:
            log.exception("monitoring check failed")
            return CheckResult(False, (), -1.0, -1.0, error=f"{type(exc).__name__}: {exc}")
        finally:
            phone.shutdown()

    # ---- steps ---------------------------------------------------------------------

    def _run(self, phone: SipPhone, audit: _Audit) -> CheckResult:
        t = self.target
        registrar = f"{t.sip_host}:{t.sip_port}"
        accounts = {}
        for role, (user, password) in (
            ("supervisor", t.supervisor),
            ("caller", t.caller),
            ("agent", t.agent),
        ):
            cfg = SipAccountConfig(
                registrar=registrar,
                user=user,
                password=password,
                domain=t.domain,
                transport=t.transport,
                auto_answer=role == "agent",
            )
            accounts[role] = phone.add_account(cfg, key=role)
        phone.add_listener(self._events.append)
        self._wait(
            phone,
            lambda: all(
                phone.registration(k).state is RegState.REGISTERED for k in accounts.values()
            ),
            "registration of the three test accounts",
            lambda: "; ".join(
                f"{k}: {phone.registration(k).message or phone.registration(k).state}"
                for k in accounts.values()
            ),
        )
        # Parties' audio: caller and agent are tone ports, the supervisor is the console's
        # own headset bridge with a tone instead of a microphone.
        for role in ("caller", "agent"):
            phone.create_port(
                f"check-{role}", _ToneSource(PARTIES[role]), self._sink(self._rec[role])
            )
        bridge = AudioBridge(phone, name="check-supervisor", clock=self._clock)
        bridge.set_mic_source(MicSource.TONE, SUPERVISOR_HZ, self._supervisor_dbfs)
        bridge.add_tap(self._rec["supervisor"].add)

        caller_call = phone.make_call("caller", t.queue_number)
        agent_call = self._wait_for_value(
            phone,
            lambda: next(
                (
                    e.call
                    for e in self._events
                    if isinstance(e, IncomingCall) and e.account == "agent"
                ),
                None,
            ),
            f"the test agent {t.agent_ext} being offered the call to {t.queue_number}",
        )
        self._wait(
            phone,
            lambda: self._media(caller_call) and self._media(agent_call),
            "the test call's audio (caller and agent connected)",
        )
        for role, call in (("caller", caller_call), ("agent", agent_call)):
            phone.connect_hear(call, f"check-{role}")
            phone.set_speaking(call, f"check-{role}", True)
        start = self._clock()
        self._wait(
            phone,
            lambda: (
                self._rec["caller"].first(start, _tone_hit(AGENT_HZ)) is not None
                and self._rec["agent"].first(start, _tone_hit(CALLER_HZ)) is not None
            ),
            "caller and agent hearing each other",
        )

        session = MonitorSession(
            phone,
            "supervisor",
            audit,
            profile=t.profile,
            audio_port=bridge.port_name,
            originate=self._originate,
        )
        windows: dict[str, tuple[float, float]] = {}
        click = self._clock()
        session.start(t.agent_ext, MonitorMode.LISTEN, method=t.spy_method)
        self._wait(phone, lambda: session.active, "the spy call to connect", lambda: session.state)
        first = self._wait_for_value(
            phone,
            lambda: self._rec["supervisor"].first(click, _sound_hit),
            "the first audio at the supervisor",
        )
        click_ms = (first - click) * 1000.0
        windows["listen"] = self._window(phone, self._clock() + SETTLE_S)

        switch_ms = []
        for mode, listener in ((MonitorMode.WHISPER, "agent"), (MonitorMode.BARGE, "caller")):
            sent = self._clock()
            session.set_mode(mode)
            heard = self._wait_for_value(
                phone,
                partial(self._rec[listener].first, sent, _tone_hit(SUPERVISOR_HZ)),
                f"the {listener} hearing the supervisor after DTMF ({mode})",
            )
            switch_ms.append((heard - sent) * 1000.0)
            windows[str(mode)] = self._window(phone, max(self._clock(), heard) + SETTLE_S)
        session.set_mode(MonitorMode.LISTEN)
        windows["listen-again"] = self._window(phone, self._clock() + 2 * SETTLE_S)
        quality = session.quality()
        mos = quality.mos if quality is not None else 0.0
        session.stop()
        self._wait(phone, lambda: not session.busy, "the spy call to end")
        session.close()
        for call in (caller_call, agent_call):
            phone.hangup(call)
        cells = self._cells(windows)
        return CheckResult(
            passed=len(cells) == 12 and all(c.passed for c in cells),
            cells=tuple(cells),
            click_to_audio_ms=click_ms,
            mode_switch_ms=max(switch_ms),
            mos=mos,
            audit=tuple(audit.calls),
        )

    def _cells(self, windows: dict[str, tuple[float, float]]) -> list[Cell]:
        cells = []
        for mode in (MonitorMode.LISTEN, MonitorMode.WHISPER, MonitorMode.BARGE):
            names = ["listen", "listen-again"] if mode is MonitorMode.LISTEN else [str(mode)]
            for listener, source in CELLS:
                expected = EXPECTED[mode][(listener, source)]
                levels = [self._rec[listener].level(PARTIES[source], *windows[n]) for n in names]
                dbfs = min(levels) if expected else max(levels)
                cells.append(Cell(mode, listener, source, expected, dbfs, check(dbfs, expected)))
        return cells

    def _sink(self, rec: _Recorder) -> Callable[[bytes], None]:
        def sink(frame: bytes) -> None:
            rec.add(self._clock(), frame)

        return sink

    # ---- waiting -------------------------------------------------------------------

    def _media(self, call: int) -> bool:
        return any(isinstance(e, CallMediaActive) and e.call == call for e in self._events) and any(
            isinstance(e, CallStateChanged) and e.call == call and e.state is CallState.CONFIRMED
            for e in self._events
        )

    def _window(self, phone: SipPhone, start: float) -> tuple[float, float]:
        end = start + WINDOW_S
        self._wait(phone, lambda: self._clock() >= end + 0.05, "the measuring window")
        return start, end

    def _wait(
        self,
        phone: SipPhone,
        done: Callable[[], bool],
        what: str,
        detail: Callable[[], object] | None = None,
    ) -> None:
        self._wait_for_value(phone, lambda: True if done() else None, what, detail)

    def _wait_for_value(
        self,
        phone: SipPhone,
        value: Callable[[], Any],
        what: str,
        detail: Callable[[], object] | None = None,
    ) -> Any:
        deadline = self._clock() + self._timeout
        while True:
            phone.poll(10)
            phone.drain_events()
            result = value()
            if result is not None:
                return result
            ended = [e for e in self._events if isinstance(e, MonitorEnded)]
            if ended and "spy call to end" not in what:
                raise CheckFailedError(
                    f"monitoring ended while waiting for {what}: {ended[-1].reason}"
                )
            if self._clock() > deadline:
                extra = f" ({detail()})" if detail is not None else ""
                raise CheckFailedError(f"timed out waiting for {what}{extra}")


def lab_target(
    ready: dict[str, Any],
    *,
    profile: MonitorProfile | None = None,
    spy_method: SpyMethod = SpyMethod.FEATURE_CODE,
) -> PbxTarget:
    """The self-test's target from the lab's LAB-READY dictionary (its first test agent
    and caller accounts, its first queue's number). Raises CheckFailedError without SIP."""
    if not ready.get("sip_enabled") or not ready.get("sip_port") or not ready.get("sip_host"):
        raise CheckFailedError("the lab PBX runs without SIP")
    accounts: dict[str, str] = ready["sip_accounts"]
    agent = str(ready["agent_users"][0])
    caller = str(ready["caller_users"][0])
    queue = str(next(iter(ready.get("queues", {}).values()), "600"))
    codes = ready.get("feature_codes") or {}
    base = profile or MonitorProfile()
    if codes and profile is None:
        base = MonitorProfile(
            method=spy_method,
            feature_codes={m: str(codes.get(str(m), base.feature_codes[m])) for m in MonitorMode},
        )
    return PbxTarget(
        sip_host=str(ready["sip_host"]),
        sip_port=int(ready["sip_port"]),
        domain=str(ready.get("sip_domain") or ""),
        supervisor=(str(ready["supervisor_user"]), str(ready["supervisor_password"])),
        caller=(caller, accounts[caller]),
        agent=(agent, accounts[agent]),
        agent_ext=agent,
        queue_number=queue,
        spy_method=spy_method,
        profile=base,
    )
