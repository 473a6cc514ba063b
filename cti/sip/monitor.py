"""Monitoring session: listen / whisper / barge on an agent's call through ChanSpy.

State machine (one session at a time per console):

    IDLE ──start──▶ CONNECTING ──spy call up──▶ LISTEN ⇄ WHISPER ⇄ BARGE ──▶ ENDED
                         └──── failed / timeout / stop ──────────────────────▶ ENDED

Rules:
- Start either by dialling the PBX's feature code (`*221` + ext …) or by asking the AMI
  client (an injected callable) to Originate our SIP channel into
  `ChanSpy(<channel>-,<options>)`; the PBX then calls us and we answer that call.
- Modes switch on the same call by DTMF (ChanSpy's `d`: 4 listen, 5 whisper, 6 barge).
  The PBX confirms nothing (Asterisk emits no event for it), so the session's mode is what
  it last sent.
- The microphone (our conference port) is linked to the call only in whisper and barge,
  and with push-to-talk only while the key is held. Going to listen cuts the link
  *before* the DTMF goes out; going to whisper/barge links it only after. In listen mode
  there is no link at all — silence is structural, not a mute at the far end.
- The session ends when: the supervisor stops; the spy call is hung up by the PBX (ChanSpy's
  `E`: the agent's call ended); nothing connects within `connect_timeout_s`; no RTP arrives
  for `media_timeout_s` (PBX gone without a BYE); the Originate fails.
- Every start, mode change and end is an event on the phone's queue and a call on the
  injected `MonitorAudit`; an audit failure is logged and never stops the supervisor.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from cti.sip.config import MODE_DTMF, DtmfMethod, MonitorMode, MonitorProfile, SpyMethod
from cti.sip.end_reasons import EndCode, EndReason
from cti.sip.events import (
    CallMediaActive,
    CallState,
    CallStateChanged,
    IncomingCall,
    MonitorEnded,
    MonitorModeChanged,
    MonitorStarted,
    MonitorState,
    MonitorStateChanged,
    PhoneStopping,
    SipEvent,
)
from cti.sip.phone import SipError, SipPhone
from cti.sip.quality import CallQuality

log = logging.getLogger(__name__)

Clock = Callable[[], float]

_MODE_STATE = {
    MonitorMode.LISTEN: MonitorState.LISTEN,
    MonitorMode.WHISPER: MonitorState.WHISPER,
    MonitorMode.BARGE: MonitorState.BARGE,
}
ACTIVE_STATES = frozenset(_MODE_STATE.values())


class MonitorAudit(Protocol):
    """Where the record writes monitoring rows (implemented by the db record helper)."""

    def session_started(self, event: MonitorStarted) -> None: ...

    def mode_changed(self, event: MonitorModeChanged) -> None: ...

    def session_ended(self, event: MonitorEnded) -> None: ...


@dataclass(frozen=True)
class OriginateRequest:
    """AMI `Originate` of our SIP channel into ChanSpy (`Application=ChanSpy`, `Data=...`)."""

    channel: str
    application: str
    data: str
    caller_id: str
    timeout_ms: int


# The AMI client's submit() returns a Future; a plain callable may return anything.
OriginateFn = Callable[[OriginateRequest], object]


class MonitorBusyError(RuntimeError):
    """A session is already running; stop it first."""


class MonitorSession:
    """The console's monitoring of one agent at a time.

    Attributes:
        state: MonitorState of the current (or last) session.
        mode: current mode while active, else the last one.
        agent: extension being monitored.
        call: phone call handle of the spy call (None before it exists).
        talking: push-to-talk key held.
    """

    def __init__(
        self,
        phone: SipPhone,
        account: str,
        audit: MonitorAudit,
        *,
        profile: MonitorProfile | None = None,
        audio_port: str | None = None,
        originate: OriginateFn | None = None,
        push_to_talk: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self._phone = phone
        self._account = account
        self._audit = audit
        self.profile = profile or MonitorProfile()
        self._port = audio_port
        self._originate = originate
        self.push_to_talk = push_to_talk
        self._clock = clock or phone.clock
        self._ids = itertools.count(1)
        self.session = 0
        self.state = MonitorState.IDLE
        self.mode: MonitorMode | None = None
        self.agent = ""
        self.agent_call = ""
        self.call: int | None = None
        self.talking = False
        self._method = self.profile.method
        self._requested_ts = 0.0
        self._media_up = False
        self._confirmed = False
        self._stop_requested = False
        self._originate_future: Future[object] | None = None
        self._last_rx = 0
        self._last_rx_ts = 0.0
        self._next_media_check = 0.0
        phone.add_listener(self._on_event)
        phone.add_poll_hook(self._tick)

    @property
    def supervisor(self) -> str:
        return self._phone.account_config(self._account).user

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def busy(self) -> bool:
        return self.state is MonitorState.CONNECTING or self.active

    def close(self) -> None:
        """Stop any session and detach from the phone."""
        if self.busy:
            self._end(EndReason(EndCode.CONSOLE_CLOSED))
            if self.call is not None:
                self._phone.hangup(self.call)
        self._phone.remove_listener(self._on_event)
        self._phone.remove_poll_hook(self._tick)

    # ---- commands (GUI thread) --------------------------------------------------------

    def start(
        self,
        agent_ext: str,
        mode: MonitorMode = MonitorMode.LISTEN,
        *,
        agent_call: str = "",
        method: SpyMethod | None = None,
    ) -> int:
        """Begin monitoring `agent_ext`; returns the session number. Raises MonitorBusyError."""
        if self.busy:
            raise MonitorBusyError(f"already monitoring {self.agent}; stop that session first")
        if not agent_ext or not agent_ext.replace("-", "").isalnum():
            raise ValueError(f"bad agent extension {agent_ext!r}")
        method = method or self.profile.method
        if method is SpyMethod.ORIGINATE and self._originate is None:
            raise SipError("monitoring by Originate needs the AMI connection")
        self.session = next(self._ids)
        self.agent = agent_ext
        self.agent_call = agent_call
        self.mode = mode
        self.call = None
        self.talking = False
        self._method = method
        self._media_up = False
        self._confirmed = False
        self._stop_requested = False
        self._originate_future = None
        self._requested_ts = self._clock()
        self._last_rx = 0
        self._last_rx_ts = self._requested_ts
        self._set_state(MonitorState.CONNECTING)
        try:
            if method is SpyMethod.FEATURE_CODE:
                self.call = self._phone.make_call(
                    self._account, self.profile.dial_string(mode, agent_ext)
                )
            else:
                self._request_originate(mode, agent_ext)
        except Exception as exc:
            self._end(EndReason(EndCode.START_FAILED, str(exc)))
            raise
        return self.session

    def set_mode(self, mode: MonitorMode) -> None:
        """Switch listen / whisper / barge on the running call (DTMF 4 / 5 / 6)."""
        if not self.active or self.call is None or self.mode is None:
            raise SipError("no monitoring session is running")
        if mode is self.mode:
            return
        old = self.mode
        if mode is MonitorMode.LISTEN:
            self._link_mic(False)  # before the DTMF: not one frame may leak
        self._phone.send_dtmf(
            self.call,
            MODE_DTMF[mode],
            info=self.profile.dtmf_method is DtmfMethod.INFO,
            duration_ms=self.profile.dtmf_duration_ms,
        )
        self.mode = mode
        self._link_mic(self._mic_wanted())
        now = self._clock()
        self._set_state(_MODE_STATE[mode])
        event = MonitorModeChanged(
            ts=now,
            session=self.session,
            supervisor=self.supervisor,
            agent=self.agent,
            old_mode=old,
            mode=mode,
            call=self.call,
            sip_call_id=self._phone.sip_call_id(self.call),
            agent_call=self.agent_call,
        )
        self._phone.post(event)
        self._audit_call("mode_changed", event)

    def set_talking(self, pressed: bool) -> None:
        """Push-to-talk key state (only matters in whisper / barge with push_to_talk)."""
        self.talking = pressed
        if self.active:
            self._link_mic(self._mic_wanted())

    def stop(self) -> None:
        """Hang up the spy call; the session ends when the PBX confirms (or at once)."""
        if not self.busy:
            return
        self._stop_requested = True
        self._link_mic(False)
        if self.call is None:
            self._end(EndReason(EndCode.STOPPED))
            return
        self._phone.hangup(self.call)

    def quality(self) -> CallQuality | None:
        return None if self.call is None or not self.active else self._phone.call_quality(self.call)

    def mic_linked(self) -> bool:
        """Whether the bridge really links our port to the spy call (asks pj)."""
        if self.call is None or self._port is None:
            return False
        return self._phone.is_speaking(self.call, self._port)

    # ---- phone events (inside SipPhone.poll) -------------------------------------------

    def _on_event(self, event: SipEvent) -> None:
        if isinstance(event, PhoneStopping):
            if self.busy:
                call = self.call
                self._end(EndReason(EndCode.PHONE_SHUT_DOWN))
                if call is not None:
                    self._phone.hangup(call)
        elif isinstance(event, IncomingCall):
            self._on_incoming(event)
        elif self.call is None or getattr(event, "call", None) != self.call:
            return
        elif isinstance(event, CallMediaActive):
            self._media_up = True
            if self._port is not None:
                self._phone.connect_hear(self.call, self._port)
            self._maybe_started()
        elif isinstance(event, CallStateChanged):
            if event.state is CallState.CONFIRMED:
                self._confirmed = True
                self._maybe_started()
            elif event.state is CallState.DISCONNECTED:
                self._on_disconnected(event)

    def _on_incoming(self, event: IncomingCall) -> None:
        if event.account != self._account:
            return
        if (
            self.state is MonitorState.CONNECTING
            and self._method is SpyMethod.ORIGINATE
            and self.call is None
        ):
            self.call = event.call
            self._phone.answer(event.call)
            return
        if not self._phone.account_config(self._account).auto_answer:
            # The monitoring account takes no other calls: the supervisor has no dial pad.
            self._phone.answer(event.call, 486)

    def _maybe_started(self) -> None:
        if self.state is not MonitorState.CONNECTING or not (self._media_up and self._confirmed):
            return
        assert self.call is not None and self.mode is not None
        self._link_mic(self._mic_wanted())
        now = self._clock()
        self._last_rx_ts = now
        self._set_state(_MODE_STATE[self.mode])
        event = MonitorStarted(
            ts=now,
            session=self.session,
            supervisor=self.supervisor,
            agent=self.agent,
            mode=self.mode,
            call=self.call,
            sip_call_id=self._phone.sip_call_id(self.call),
            agent_call=self.agent_call,
            method=str(self._method),
            requested_ts=self._requested_ts,
        )
        self._phone.post(event)
        self._audit_call("session_started", event)

    def _on_disconnected(self, event: CallStateChanged) -> None:
        if not self.busy:
            return
        if self._stop_requested:
            reason = EndReason(EndCode.STOPPED)
        elif self.active:
            reason = EndReason(EndCode.PBX_ENDED, f"{event.code} {event.reason}")
        else:
            reason = EndReason(EndCode.NOT_STARTED, f"{event.code} {event.reason}")
        self._end(reason)

    # ---- timers (end of every SipPhone.poll) -----------------------------------------

    def _tick(self) -> None:
        if not self.busy:
            return
        now = self._clock()
        future = self._originate_future
        if future is not None and future.done():
            self._originate_future = None
            failure = _originate_failure(future)
            if failure and self.call is None:
                self._end(EndReason(EndCode.ORIGINATE_REFUSED, failure))
                return
        if self.state is MonitorState.CONNECTING:
            if now - self._requested_ts > self.profile.connect_timeout_s:
                self._end(EndReason(EndCode.CONNECT_TIMEOUT, f"{self.profile.connect_timeout_s:g}"))
                if self.call is not None:
                    self._phone.hangup(self.call)
            return
        if self.call is None or now < self._next_media_check:
            return
        self._next_media_check = now + 0.5
        rx = self._phone.rx_packets(self.call)
        if rx != self._last_rx:
            self._last_rx = rx
            self._last_rx_ts = now
        elif now - self._last_rx_ts > self.profile.media_timeout_s:
            call = self.call
            self._end(EndReason(EndCode.NO_AUDIO, f"{self.profile.media_timeout_s:g}"))
            self._phone.hangup(call)

    # ---- helpers ------------------------------------------------------------------------

    def _request_originate(self, mode: MonitorMode, agent_ext: str) -> None:
        assert self._originate is not None
        user = self.supervisor
        request = OriginateRequest(
            channel=self.profile.spyer_channel.format(user=user),
            application="ChanSpy",
            data=self.profile.chanspy_data(mode, agent_ext),
            caller_id=f"Monitor {agent_ext} <{user}>",
            timeout_ms=int(self.profile.connect_timeout_s * 1000),
        )
        result = self._originate(request)
        if isinstance(result, Future):
            self._originate_future = result

    def _mic_wanted(self) -> bool:
        if self.mode not in (MonitorMode.WHISPER, MonitorMode.BARGE):
            return False
        return self.talking or not self.push_to_talk

    def _link_mic(self, on: bool) -> None:
        if self.call is None or self._port is None:
            return
        try:
            self._phone.set_speaking(self.call, self._port, on)
        except SipError as exc:
            log.info("microphone link %s: %s", "on" if on else "off", exc)

    def _set_state(self, state: MonitorState) -> None:
        self.state = state
        self._phone.post(MonitorStateChanged(self._clock(), self.session, state, self.agent))

    def _end(self, reason: EndReason) -> None:
        started = self.active
        self._link_mic(False)
        self._originate_future = None
        call = self.call
        self._set_state(MonitorState.ENDED)
        event = MonitorEnded(
            ts=self._clock(),
            session=self.session,
            supervisor=self.supervisor,
            agent=self.agent,
            mode=self.mode,
            call=call,
            sip_call_id=self._phone.sip_call_id(call) if call is not None else "",
            agent_call=self.agent_call,
            why=reason,
            started=started,
        )
        self._phone.post(event)
        self._audit_call("session_ended", event)

    def _audit_call(self, method: str, event: SipEvent) -> None:
        try:
            getattr(self._audit, method)(event)
        except Exception:
            log.exception("monitoring audit %s failed (session %d)", method, self.session)


def _originate_failure(future: Future[object]) -> str:
    """'' if the Originate was accepted; otherwise why not (duck-typed AMI result)."""
    exc = future.exception()
    if exc is not None:
        return str(exc) or type(exc).__name__
    result = future.result()
    ok = getattr(result, "ok", True)
    if ok is False or getattr(result, "success", True) is False:
        return str(getattr(result, "message", "") or result)
    return ""
