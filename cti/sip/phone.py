"""The console's own SIP phone: one pjsua2 Endpoint, polled from the GUI loop.

Rules (each learnt the hard way with this pjsua2 wheel, see DESIGN.md "Facts"):

- One Endpoint per process, created in `start()`, destroyed in `shutdown()`; a second
  live `SipPhone` in the same process is refused (a second Endpoint kills the process).
- `threadCnt=0` + `mainThreadOnly=True`: pj does nothing on its own threads except the
  conference bridge's clock; the owner calls `poll()` every 10–20 ms (a QTimer in the
  console) and every SIP callback arrives inside that call, on that thread.
- Callbacks only append a frozen event to `_pending` and catch every exception (one
  escaping a pjsua2 callback is swallowed by SWIG and its traceback pins pj objects until
  exit, which then aborts). Work that calls back into pj — auto-answer, dropping a dead
  call, a monitoring session reacting — happens in `poll()` after the stack returned.
- Every pj object (accounts, calls, conference ports) is held in a dict here; an
  unreferenced outgoing Call is hung up at once and an incoming one when its callback
  returns. `shutdown()` releases them in the only safe order: hang up all, poll until
  no call is left, drop calls and ports, `gc.collect()`, shut down and drop accounts,
  `libDestroy()`. A Call or port still alive after `libDestroy` aborts the process, so
  `live_objects()` counts what is left (tests assert it is 0).
- No sound device exists in the wheel: the null device is selected because its clock is
  what drives the conference bridge (with no device nothing is mixed and RFC 2833 DTMF
  is never sent). Real audio goes through `AudioBridge` (a `FramePort`).
- PCMU, then PCMA, are preferred: the default speex/16000 adds mixing artefacts that
  reach −30 dBFS and blur who-hears-whom.
- Any *other* Python thread that must call pj registers first (`register_thread()`).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import itertools
import logging
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import pjsua2 as pj

from cti.sip.config import ConfigError, SipAccountConfig, Transport
from cti.sip.events import (
    CallMediaActive,
    CallState,
    CallStateChanged,
    DtmfReceived,
    IncomingCall,
    PhoneError,
    PhoneStopping,
    RegFailure,
    RegistrationChanged,
    RegState,
    SipEvent,
)
from cti.sip.media_port import FramePort, FrameSink, FrameSource
from cti.sip.quality import CallQuality, estimate_quality

log = logging.getLogger(__name__)
pjlog = logging.getLogger("cti.sip.pjsip")
_PJ_LEVELS = {0: logging.CRITICAL, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}

Clock = Callable[[], float]
Listener = Callable[[SipEvent], None]

MAX_QUEUED_EVENTS = 10_000

_STATE_MAP = {
    pj.PJSIP_INV_STATE_CALLING: CallState.CALLING,
    pj.PJSIP_INV_STATE_INCOMING: CallState.INCOMING,
    pj.PJSIP_INV_STATE_EARLY: CallState.EARLY,
    pj.PJSIP_INV_STATE_CONNECTING: CallState.CONNECTING,
    pj.PJSIP_INV_STATE_CONFIRMED: CallState.CONFIRMED,
    pj.PJSIP_INV_STATE_DISCONNECTED: CallState.DISCONNECTED,
}


class SipError(RuntimeError):
    """A phone operation failed; the message is meant for the supervisor."""


def _pj_message(exc: BaseException) -> str:
    if isinstance(exc, pj.Error):
        return f"{exc.title}: {exc.reason} (status {exc.status})"
    return f"{type(exc).__name__}: {exc}"


def classify_registration(code: int, expires_s: int) -> tuple[RegState, RegFailure]:
    """Map a REGISTER outcome to a state and a reason a supervisor can act on."""
    if 200 <= code < 300:
        return (RegState.REGISTERED if expires_s > 0 else RegState.UNREGISTERED), RegFailure.NONE
    if code in (401, 403, 407):
        return RegState.FAILED, RegFailure.BAD_CREDENTIALS
    # 408: no answer at all; 502/503/504 and the stack's own 503 on ICMP port-unreachable
    # or a refused TCP connect: nobody is listening where the registrar should be.
    if code in (408, 502, 503, 504) or code == 0:
        return RegState.FAILED, RegFailure.UNREACHABLE
    if 100 <= code < 200:
        return RegState.REGISTERING, RegFailure.NONE
    return RegState.FAILED, RegFailure.REJECTED


def describe_failure(failure: RegFailure, code: int, reason: str, registrar: str) -> str:
    if failure is RegFailure.BAD_CREDENTIALS:
        return f"the PBX rejected the user name or password ({code} {reason})"
    if failure is RegFailure.UNREACHABLE:
        return f"no answer from the registrar {registrar} ({code} {reason})"
    if failure is RegFailure.REJECTED:
        return f"the registrar refused the registration ({code} {reason})"
    return reason


@dataclass(frozen=True)
class RegistrationStatus:
    state: RegState
    code: int
    reason: str
    failure: RegFailure
    message: str


def _stop_clock(ep: pj.Endpoint) -> bool:
    """Stop the conference bridge's clock (the null device) so that no media callback runs
    while ports are dropped; False if pj refused. Waits out a tick already in progress."""
    try:
        ep.audDevManager().setNoDev()
    except pj.Error as exc:
        log.warning("stopping the conference clock failed: %s", _pj_message(exc))
        return False
    finally:
        time.sleep(0.05)
    return True


class _PjLog(pj.LogWriter):  # type: ignore[misc]
    """pj's log lines into Python logging (any thread; never raises)."""

    def write(self, entry: pj.LogEntry) -> None:
        with contextlib.suppress(Exception):  # logging must never break pj
            level = _PJ_LEVELS.get(int(entry.level), logging.DEBUG)
            pjlog.log(level, "%s", str(entry.msg).rstrip())


class _Account(pj.Account):  # type: ignore[misc]
    def __init__(self, phone: SipPhone, key: str, config: SipAccountConfig) -> None:
        super().__init__()
        self._phone = phone
        self.key = key
        self.config = config

    def onRegStarted(self, prm: pj.OnRegStartedParam) -> None:
        try:
            if prm.renew:
                self._phone._on_reg_started(self.key)
        except Exception as exc:
            self._phone._callback_failed("onRegStarted", exc)

    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        try:
            self._phone._on_reg_state(self.key, int(prm.code), str(prm.reason), int(prm.expiration))
        except Exception as exc:
            self._phone._callback_failed("onRegState", exc)

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        try:
            self._phone._on_incoming(self, int(prm.callId))
        except Exception as exc:
            self._phone._callback_failed("onIncomingCall", exc)


class _Call(pj.Call):  # type: ignore[misc]
    def __init__(
        self, phone: SipPhone, account: _Account, handle: int, call_id: int = pj.PJSUA_INVALID_ID
    ) -> None:
        super().__init__(account, call_id)
        self._phone = phone
        self.account_key = account.key
        self.handle = handle
        self.sip_call_id = ""
        self.remote_uri = ""
        self.state = CallState.CALLING
        self.audio_index = -1
        self.ended = False

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        try:
            info = self.getInfo()
            self.sip_call_id = str(info.callIdString)
            self.remote_uri = str(info.remoteUri)
            self.state = _STATE_MAP.get(info.state, self.state)
            if self.state is CallState.DISCONNECTED:
                self.ended = True
            self._phone._emit(
                CallStateChanged(
                    ts=self._phone.clock(),
                    account=self.account_key,
                    call=self.handle,
                    sip_call_id=self.sip_call_id,
                    state=self.state,
                    code=int(info.lastStatusCode),
                    reason=str(info.lastReason),
                    remote_uri=self.remote_uri,
                )
            )
        except Exception as exc:
            self._phone._callback_failed("onCallState", exc)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        try:
            info = self.getInfo()
            for index, media in enumerate(info.media):
                if (
                    media.type == pj.PJMEDIA_TYPE_AUDIO
                    and media.status == pj.PJSUA_CALL_MEDIA_ACTIVE
                ):
                    first = self.audio_index < 0
                    self.audio_index = index
                    if first:
                        self._phone._emit(CallMediaActive(ts=self._phone.clock(), call=self.handle))
                    break
        except Exception as exc:
            self._phone._callback_failed("onCallMediaState", exc)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        try:
            self._phone._emit(
                DtmfReceived(ts=self._phone.clock(), call=self.handle, digit=str(prm.digit))
            )
        except Exception as exc:
            self._phone._callback_failed("onDtmfDigit", exc)


def _shutdown_at_exit(ref: weakref.ref[SipPhone]) -> None:
    phone = ref()
    if phone is not None and phone.started:
        log.warning("SIP phone still running at exit: shutting it down")
        phone.shutdown()


class SipPhone:
    """One pjsua2 Endpoint with its accounts, calls and conference ports.

    Attributes:
        clock: injected time source (seconds) stamped on every event.
        started: True between `start()` and `shutdown()`.

    Events (from `drain_events()`): RegistrationChanged, IncomingCall, CallStateChanged,
    CallMediaActive, DtmfReceived, PhoneError, and the monitoring session's events.
    """

    _live: ClassVar[weakref.WeakSet[SipPhone]] = weakref.WeakSet()

    def __init__(
        self,
        clock: Clock = time.monotonic,
        *,
        bind_host: str = "0.0.0.0",
        sip_port: int = 0,
        rtp_port: int = 0,
        log_level: int = 1,
        user_agent: str = "HotlineConsole",
        fast_destroy: bool = False,
    ) -> None:
        self.clock = clock
        self._bind_host = bind_host
        self._sip_port = sip_port
        self._rtp_port = rtp_port
        self._log_level = log_level
        self._user_agent = user_agent
        self._fast_destroy = fast_destroy
        self._ep: pj.Endpoint | None = None
        self._log_writer = _PjLog()  # must outlive libDestroy: pj logs until the end
        self._transports: dict[Transport, int] = {}
        self._accounts: dict[str, _Account] = {}
        self._reg: dict[str, RegistrationStatus] = {}
        self._reg_since: dict[str, float] = {}  # account → when REGISTER went unanswered
        self._calls: dict[int, _Call] = {}
        self._ports: dict[str, FramePort] = {}
        self._links: set[tuple[str, int]] = set()  # (port name, call handle): port → call
        self._handles = itertools.count(1)
        self._pending: deque[SipEvent] = deque()
        self._out: deque[SipEvent] = deque()
        self._listeners: list[Listener] = []
        self._poll_hooks: list[Callable[[], None]] = []
        self._tracked: weakref.WeakSet[object] = weakref.WeakSet()
        self.dropped_events = 0
        self.callback_errors = 0
        self.started = False

    # ---- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        if self.started:
            return
        if any(p.started for p in SipPhone._live if p is not self):
            raise SipError("another SIP phone is already running in this process")
        ep = pj.Endpoint()
        ep.libCreate()
        self._ep = ep
        SipPhone._live.add(self)
        self.started = True
        # A pj object alive after interpreter teardown aborts the process: whatever the
        # owner forgot (an exception, a missing shutdown), release everything in order.
        atexit.register(_shutdown_at_exit, weakref.ref(self))
        try:
            cfg = pj.EpConfig()
            cfg.uaConfig.threadCnt = 0
            cfg.uaConfig.mainThreadOnly = True
            cfg.uaConfig.userAgent = self._user_agent
            cfg.logConfig.level = self._log_level
            cfg.logConfig.consoleLevel = self._log_level
            cfg.logConfig.decor = 0  # logging adds its own time and level
            cfg.logConfig.writer = self._log_writer
            cfg.medConfig.hasIoqueue = True
            # Keep RTP flowing while we are silent (listen mode): with VAD the PBX's jitter
            # buffer for our stream runs dry and must re-prime when whisper starts.
            cfg.medConfig.noVad = True
            # A narrowband bridge: no resampling between G.711, our 8 kHz ports and the mix.
            cfg.medConfig.clockRate = 8000
            cfg.medConfig.sndClockRate = 8000
            ep.libInit(cfg)
            for transport, kind in (
                (Transport.UDP, pj.PJSIP_TRANSPORT_UDP),
                (Transport.TCP, pj.PJSIP_TRANSPORT_TCP),
            ):
                tcfg = pj.TransportConfig()
                tcfg.port = self._sip_port if transport is Transport.UDP else 0
                tcfg.boundAddress = self._bind_host
                self._transports[transport] = ep.transportCreate(kind, tcfg)
            ep.libStart()
            ep.audDevManager().setNullDev()
            ep.codecSetPriority("PCMU/8000", 255)
            ep.codecSetPriority("PCMA/8000", 254)
            for codec in ep.codecEnum2():
                if not str(codec.codecId).startswith(("PCMU/", "PCMA/")):
                    ep.codecSetPriority(str(codec.codecId), 0)
        except pj.Error as exc:
            self._destroy_endpoint()
            raise SipError(f"could not start the SIP stack: {_pj_message(exc)}") from exc

    def local_address(self, transport: Transport = Transport.UDP) -> tuple[str, int]:
        """Where our SIP transport listens (host, port)."""
        info = self._endpoint().transportGetInfo(self._transports[transport])
        host, _, port = str(info.localName).rpartition(":")
        return host.strip("[]"), int(port)

    def register_thread(self, name: str) -> None:
        """Call once from any other Python thread before it touches pj."""
        ep = self._endpoint()
        if not ep.libIsThreadRegistered():
            ep.libRegisterThread(name)

    def poll(self, max_ms: int = 0) -> None:
        """Run the stack for up to `max_ms` and deliver what its callbacks queued."""
        if not self.started or self._ep is None:
            return
        try:
            self._ep.libHandleEvents(max_ms)
        except pj.Error as exc:
            self._emit(PhoneError(self.clock(), "poll", _pj_message(exc)))
        self._dispatch()
        self._check_registration_timeouts()
        for hook in list(self._poll_hooks):
            try:
                hook()
            except Exception as exc:
                self._callback_failed(f"poll hook {hook!r}", exc)
        self._dispatch()

    def drain_events(self) -> list[SipEvent]:
        events = list(self._out)
        self._out.clear()
        return events

    def add_listener(self, listener: Listener) -> None:
        """`listener(event)` runs inside `poll()` (GUI thread, pj idle) for every event."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def add_poll_hook(self, hook: Callable[[], None]) -> None:
        """`hook()` runs at the end of every `poll()` (timers of the monitoring session)."""
        self._poll_hooks.append(hook)

    def remove_poll_hook(self, hook: Callable[[], None]) -> None:
        if hook in self._poll_hooks:
            self._poll_hooks.remove(hook)

    def post(self, event: SipEvent) -> None:
        """Queue an event of our own (monitoring) in order with the stack's events."""
        self._push_out(event)

    def shutdown(self, timeout_s: float = 2.0) -> None:
        """Hang up, release every pj object in order, destroy the Endpoint. Idempotent."""
        if not self.started or self._ep is None:
            return
        ep = self._ep
        self._emit(PhoneStopping(self.clock()))
        self._dispatch()
        try:
            ep.hangupAllCalls()
        except pj.Error as exc:
            log.warning("hangupAllCalls failed: %s", _pj_message(exc))
        deadline = time.monotonic() + timeout_s
        while self._calls and time.monotonic() < deadline:
            ep.libHandleEvents(10)
            self._dispatch()
            for handle in [h for h, c in self._calls.items() if c.ended]:
                del self._calls[handle]
        self._calls.clear()
        self._links.clear()
        # Stop the bridge's clock before dropping our media ports: pjmedia removes a port
        # from the conference asynchronously (on the clock thread's next tick), so a port
        # deleted while the null device still clocks the bridge can be called after it is
        # gone — a crash in onFrameReceived, seen here about one shutdown in four.
        if self._ports:
            _stop_clock(ep)
        self._ports.clear()
        self._listeners.clear()
        self._poll_hooks.clear()
        gc.collect()
        for account in self._accounts.values():
            try:
                account.shutdown()
            except pj.Error as exc:
                log.warning("account shutdown failed: %s", _pj_message(exc))
        self._accounts.clear()
        gc.collect()
        self._destroy_endpoint()

    def _destroy_endpoint(self) -> None:
        ep = self._ep
        self._ep = None
        self.started = False
        SipPhone._live.discard(self)
        if ep is None:
            return
        flags = pj.PJSUA_DESTROY_NO_NETWORK if self._fast_destroy else 0
        try:
            ep.libDestroy(flags)
        except pj.Error as exc:
            log.warning("libDestroy failed: %s", _pj_message(exc))
        del ep
        gc.collect()

    def live_objects(self) -> int:
        """pj objects this phone created that are still alive (0 after a clean shutdown)."""
        gc.collect()
        return len(self._tracked)

    # ---- accounts --------------------------------------------------------------------

    def add_account(self, config: SipAccountConfig, key: str | None = None) -> str:
        """Create an account (registers at once when `config.register`); returns its key."""
        self._endpoint()
        key = key or config.user
        if key in self._accounts:
            raise ConfigError(f"account {key!r} exists already")
        acfg = pj.AccountConfig()
        name = f'"{config.display_name}" ' if config.display_name else ""
        acfg.idUri = f"{name}<{config.aor}>"
        acfg.sipConfig.transportId = self._transports[config.transport]
        if config.register:
            acfg.regConfig.registrarUri = config.registrar_uri
            acfg.regConfig.registerOnAdd = True
            acfg.regConfig.timeoutSec = config.reregister_s
            acfg.regConfig.retryIntervalSec = config.retry_s
            acfg.regConfig.firstRetryIntervalSec = min(config.retry_s, 5)
        else:
            acfg.regConfig.registerOnAdd = False
        if config.password:
            acfg.sipConfig.authCreds.append(
                pj.AuthCredInfo("digest", "*", config.user, 0, config.password)
            )
        if config.register:
            # Outgoing calls go through the PBX (it routes feature codes and queues).
            acfg.sipConfig.proxies.append(config.registrar_uri + ";lr")
        acfg.mediaConfig.transportConfig.port = self._rtp_port
        acfg.mediaConfig.transportConfig.portRange = 0 if self._rtp_port == 0 else 1000
        acfg.mediaConfig.transportConfig.boundAddress = self._bind_host
        account = _Account(self, key, config)
        # Known before create(): the first REGISTER's outcome may be reported inside it.
        self._accounts[key] = account
        self._tracked.add(account)
        self._reg[key] = RegistrationStatus(RegState.UNREGISTERED, 0, "", RegFailure.NONE, "")
        if config.register:
            self._reg_since[key] = self.clock()
            self._set_reg(key, RegState.REGISTERING, 0, "registering", RegFailure.NONE, 0)
        try:
            account.create(acfg)
        except pj.Error as exc:
            del self._accounts[key]
            self._reg.pop(key, None)
            self._reg_since.pop(key, None)
            raise SipError(
                f"could not create SIP account {config.user}: {_pj_message(exc)}"
            ) from exc
        return key

    def remove_account(self, key: str) -> None:
        account = self._accounts.pop(key, None)
        if account is None:
            return
        for handle in [h for h, c in self._calls.items() if c.account_key == key]:
            self.hangup(handle)
        account.shutdown()
        self._reg.pop(key, None)

    def reregister(self, key: str) -> None:
        """Register again now (after the supervisor fixed the network, say).

        If a REGISTER is already under way the stack refuses a second one; that one's
        outcome will be reported, so this is not an error.
        """
        account = self._account(key)
        self._reg_since.setdefault(key, self.clock())
        try:
            account.setRegistration(True)
        except pj.Error as exc:
            log.info("re-registration of %s not started: %s", key, _pj_message(exc))

    def registration(self, key: str) -> RegistrationStatus:
        return self._reg[key]

    def account_config(self, key: str) -> SipAccountConfig:
        return self._account(key).config

    # ---- calls -----------------------------------------------------------------------

    def make_call(self, account: str, destination: str) -> int:
        """Dial `destination` (number or URI) from `account`; returns the call handle."""
        acc = self._account(account)
        handle = next(self._handles)
        call = _Call(self, acc, handle)
        self._calls[handle] = call
        self._tracked.add(call)
        uri = acc.config.uri_for(destination)
        prm = pj.CallOpParam(True)
        try:
            call.makeCall(uri, prm)
        except pj.Error as exc:
            # getInfo() on a Call whose makeCall failed aborts: never touch it again.
            del self._calls[handle]
            raise SipError(f"could not call {destination}: {_pj_message(exc)}") from exc
        return handle

    def answer(self, call: int, code: int = 200) -> None:
        prm = pj.CallOpParam()
        prm.statusCode = code
        try:
            self._call(call).answer(prm)
        except pj.Error as exc:
            raise SipError(f"could not answer: {_pj_message(exc)}") from exc

    def hangup(self, call: int) -> None:
        c = self._calls.get(call)
        if c is None or c.ended:
            return
        prm = pj.CallOpParam()
        try:
            c.hangup(prm)
        except pj.Error as exc:
            log.info("hangup of call %d: %s", call, _pj_message(exc))

    def send_dtmf(
        self, call: int, digits: str, *, info: bool = False, duration_ms: int = 80
    ) -> None:
        """RFC 4733 (2833) telephone-events, as ChanSpy's `d` option expects (or SIP INFO).

        While an RFC 4733 digit is being sent the stream sends no voice, so the digit's
        length (plus ~60 ms of end packets) is dead air right after a mode switch: 80 ms
        is Asterisk's minimum digit length (AST_MIN_DTMF_DURATION).
        """
        prm = pj.CallSendDtmfParam()
        prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO if info else pj.PJSUA_DTMF_METHOD_RFC2833
        prm.duration = duration_ms
        prm.digits = digits
        try:
            self._call(call).sendDtmf(prm)
        except pj.Error as exc:
            raise SipError(f"could not send DTMF {digits}: {_pj_message(exc)}") from exc

    def call_state(self, call: int) -> CallState | None:
        c = self._calls.get(call)
        return None if c is None else c.state

    def sip_call_id(self, call: int) -> str:
        c = self._calls.get(call)
        return "" if c is None else c.sip_call_id

    def calls(self) -> list[int]:
        return sorted(self._calls)

    def call_quality(self, call: int) -> CallQuality | None:
        """Receive-side jitter, loss and MOS of the call's audio stream, if it has one."""
        c = self._calls.get(call)
        if c is None or c.ended or c.audio_index < 0:
            return None
        try:
            stat = c.getStreamStat(c.audio_index)
        except pj.Error:
            return None
        rx = stat.rtcp.rxStat
        return estimate_quality(
            packets=int(rx.pkt),
            lost=int(rx.loss),
            jitter_ms=float(rx.jitterUsec.mean) / 1000.0,
            rtt_ms=float(stat.rtcp.rttUsec.mean) / 1000.0,
            jitter_buffer_ms=float(stat.jbuf.avgDelayMsec),
        )

    def rx_packets(self, call: int) -> int:
        """RTP packets received so far on the call (for dead-peer detection)."""
        c = self._calls.get(call)
        if c is None or c.ended or c.audio_index < 0:
            return 0
        try:
            return int(c.getStreamStat(c.audio_index).rtcp.rxStat.pkt)
        except pj.Error:
            return 0

    # ---- audio -----------------------------------------------------------------------

    def create_port(self, name: str, source: FrameSource | None, sink: FrameSink | None) -> str:
        """A conference port fed by `source()` and feeding `sink(frame)` (media thread!)."""
        self._endpoint()
        if name in self._ports:
            raise ConfigError(f"audio port {name!r} exists already")
        port = FramePort(name, source, sink)
        self._ports[name] = port
        self._tracked.add(port)
        return name

    def port_counters(self, name: str) -> tuple[int, int, int]:
        """(frames in, frames out, callback errors) of a port. The port object itself is
        never handed out: a reference kept past `shutdown()` would abort the process."""
        port = self._ports[name]
        return port.frames_in, port.frames_out, port.errors

    def remove_port(self, name: str) -> None:
        """Drop a port while the phone runs.

        The bridge's clock thread may be inside this port's callback at any moment, and a
        port destroyed under it crashes the process (seen under load about once in ten
        closes). So the clock is stopped for the removal - one or two frames of silence on
        other ports - exactly as `shutdown()` does before dropping every port.
        """
        port = self._ports.pop(name, None)
        self._links = {link for link in self._links if link[0] != name}
        if port is None:
            return
        ep = self._ep
        clock_stopped = ep is not None and _stop_clock(ep)
        del port
        gc.collect()
        if clock_stopped and ep is not None:
            try:
                ep.audDevManager().setNullDev()
            except pj.Error as exc:
                log.error("restarting the conference clock failed: %s", _pj_message(exc))

    def connect_hear(self, call: int, port: str) -> None:
        """The call's received audio → port (what we hear)."""
        media = self._audio_media(call)
        media.startTransmit(self._ports[port])

    def set_speaking(self, call: int, port: str, on: bool) -> None:
        """Port → the call (our microphone) on or off. Off means no link at all."""
        c = self._call(call)
        link = (port, call)
        if on == (link in self._links):
            return
        if c.ended or c.audio_index < 0:
            self._links.discard(link)
            return
        media = self._audio_media(call)
        if on:
            self._ports[port].startTransmit(media)
            self._links.add(link)
        else:
            self._ports[port].stopTransmit(media)
            self._links.discard(link)

    def is_speaking(self, call: int, port: str) -> bool:
        """True if the conference bridge links `port` to the call (checked in pj itself)."""
        c = self._calls.get(call)
        if c is None or c.ended or c.audio_index < 0:
            return False
        target = self._audio_media(call).getPortId()
        info = self._ports[port].getPortInfo()  # keep it: .listeners points into it
        return any(int(x) == target for x in list(info.listeners))

    def _audio_media(self, call: int) -> pj.AudioMedia:
        c = self._call(call)
        if c.audio_index < 0:
            raise SipError("the call has no audio yet")
        return c.getAudioMedia(c.audio_index)

    # ---- internals -------------------------------------------------------------------

    def _endpoint(self) -> pj.Endpoint:
        if self._ep is None:
            raise SipError("the SIP phone is not started")
        return self._ep

    def _account(self, key: str) -> _Account:
        try:
            return self._accounts[key]
        except KeyError:
            raise SipError(f"no SIP account {key!r}") from None

    def _call(self, handle: int) -> _Call:
        try:
            return self._calls[handle]
        except KeyError:
            raise SipError(f"no call {handle}") from None

    def _emit(self, event: SipEvent) -> None:
        self._pending.append(event)

    def _push_out(self, event: SipEvent) -> None:
        if len(self._out) >= MAX_QUEUED_EVENTS:
            self._out.popleft()
            self.dropped_events += 1
        self._out.append(event)

    def _callback_failed(self, where: str, exc: BaseException) -> None:
        self.callback_errors += 1
        log.error("pjsua2 callback %s failed: %s", where, _pj_message(exc), exc_info=exc)
        self._pending.append(PhoneError(self.clock(), where, _pj_message(exc)))

    def _dispatch(self) -> None:
        while self._pending:
            event = self._pending.popleft()
            self._push_out(event)
            self._act_on(event)
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception as exc:
                    self._callback_failed(f"listener {listener!r}", exc)
            if isinstance(event, CallStateChanged) and event.state is CallState.DISCONNECTED:
                call = self._calls.pop(event.call, None)
                self._links = {link for link in self._links if link[1] != event.call}
                del call

    def _act_on(self, event: SipEvent) -> None:
        if isinstance(event, IncomingCall):
            account = self._accounts.get(event.account)
            if account is not None and account.config.auto_answer:
                self.answer(event.call)

    def _on_reg_started(self, key: str) -> None:
        self._reg_since.setdefault(key, self.clock())
        current = self._reg.get(key)
        if current is not None and current.state is RegState.UNREGISTERED:
            self._set_reg(key, RegState.REGISTERING, 0, "registering", RegFailure.NONE, 0)

    def _check_registration_timeouts(self) -> None:
        now = self.clock()
        for key, since in list(self._reg_since.items()):
            account = self._accounts.get(key)
            if account is None:
                del self._reg_since[key]
            elif now - since > account.config.register_timeout_s:
                del self._reg_since[key]
                if self._reg[key].state is not RegState.FAILED:
                    self._set_reg(
                        key,
                        RegState.FAILED,
                        408,
                        f"no answer within {account.config.register_timeout_s:g} s",
                        RegFailure.UNREACHABLE,
                        0,
                    )
        self._dispatch()

    def _on_reg_state(self, key: str, code: int, reason: str, expires: int) -> None:
        state, failure = classify_registration(code, expires)
        self._reg_since.pop(key, None)
        current = self._reg.get(key)
        if (
            current is not None
            and state is RegState.FAILED
            and current.state is RegState.FAILED
            and current.failure is failure
        ):
            return  # the stack's own late timeout after our watchdog: nothing new
        self._set_reg(key, state, code, reason, failure, expires)

    def _set_reg(
        self, key: str, state: RegState, code: int, reason: str, failure: RegFailure, expires: int
    ) -> None:
        account = self._accounts.get(key)
        registrar = account.config.registrar if account is not None else "?"
        message = describe_failure(failure, code, reason, registrar)
        self._reg[key] = RegistrationStatus(state, code, reason, failure, message)
        self._emit(RegistrationChanged(self.clock(), key, state, code, message, failure, expires))

    def _on_incoming(self, account: _Account, call_id: int) -> None:
        handle = next(self._handles)
        call = _Call(self, account, handle, call_id)
        call.state = CallState.INCOMING
        self._calls[handle] = call
        self._tracked.add(call)
        info = call.getInfo()
        call.sip_call_id = str(info.callIdString)
        call.remote_uri = str(info.remoteUri)
        self._emit(
            IncomingCall(self.clock(), account.key, handle, call.sip_call_id, call.remote_uri)
        )
