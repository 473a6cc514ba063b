"""Typed events of the console's SIP phone.

pjsua2 callbacks only build one of these and append it to the phone's queue; the console
drains the queue from its GUI-thread timer (`SipPhone.drain_events()`). All are frozen.
`ts` is the phone's injected clock (seconds) at the moment the callback ran.

A *call handle* (`call`) is the phone's own small integer for a call, stable for the
call's life and never reused in one process; `sip_call_id` is the SIP Call-ID (what a
PBX log shows).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cti.sip.config import MonitorMode
from cti.sip.end_reasons import EndReason


class RegState(enum.StrEnum):
    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"


class RegFailure(enum.StrEnum):
    """Why a registration failed, in words a supervisor can act on."""

    NONE = "none"
    BAD_CREDENTIALS = "bad_credentials"  # 401/407 after our digest answer, or 403
    UNREACHABLE = "unreachable"  # no answer (408), ICMP refused (503 from the stack)
    REJECTED = "rejected"  # any other final error from the registrar


class CallState(enum.StrEnum):
    CALLING = "calling"
    INCOMING = "incoming"
    EARLY = "early"
    CONNECTING = "connecting"
    CONFIRMED = "confirmed"
    DISCONNECTED = "disconnected"


class MonitorState(enum.StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"
    ENDED = "ended"


@dataclass(frozen=True)
class RegistrationChanged:
    ts: float
    account: str
    state: RegState
    code: int
    reason: str
    failure: RegFailure
    expires_s: int


@dataclass(frozen=True)
class IncomingCall:
    ts: float
    account: str
    call: int
    sip_call_id: str
    remote_uri: str


@dataclass(frozen=True)
class CallStateChanged:
    ts: float
    account: str
    call: int
    sip_call_id: str
    state: CallState
    code: int
    reason: str
    remote_uri: str


@dataclass(frozen=True)
class CallMediaActive:
    """The call's audio stream exists; ports can be connected to it now."""

    ts: float
    call: int


@dataclass(frozen=True)
class DtmfReceived:
    ts: float
    call: int
    digit: str


@dataclass(frozen=True)
class PhoneError:
    """Something failed inside the stack or a callback (already logged)."""

    ts: float
    where: str
    message: str


@dataclass(frozen=True)
class PhoneStopping:
    """`shutdown()` began: calls are about to be hung up (sessions close their audit)."""

    ts: float


@dataclass(frozen=True)
class MonitorStarted:
    """The spy call is up: audio from the agent's call reaches the supervisor."""

    ts: float
    session: int
    supervisor: str
    agent: str
    mode: MonitorMode
    call: int
    sip_call_id: str
    agent_call: str
    method: str
    requested_ts: float


@dataclass(frozen=True)
class MonitorModeChanged:
    ts: float
    session: int
    supervisor: str
    agent: str
    old_mode: MonitorMode
    mode: MonitorMode
    call: int
    sip_call_id: str
    agent_call: str


@dataclass(frozen=True)
class MonitorEnded:
    """The session is over (stopped, agent's call ended, PBX gone or start failed).

    `started` False means the spy call never connected (nothing was heard). `agent_call`
    is the console's identifier of the monitored call (e.g. the AMI Linkedid), as given to
    `MonitorSession.start`. `why` is the code and detail; `reason` its English sentence.
    """

    ts: float
    session: int
    supervisor: str
    agent: str
    mode: MonitorMode | None
    call: int | None
    sip_call_id: str
    agent_call: str
    why: EndReason
    started: bool

    @property
    def reason(self) -> str:
        """The English sentence the record keeps."""
        return self.why.text


@dataclass(frozen=True)
class MonitorStateChanged:
    """Every transition of the session state machine (drives the banner)."""

    ts: float
    session: int
    state: MonitorState
    agent: str


SipEvent = (
    RegistrationChanged
    | IncomingCall
    | CallStateChanged
    | CallMediaActive
    | DtmfReceived
    | PhoneError
    | PhoneStopping
    | MonitorStarted
    | MonitorModeChanged
    | MonitorEnded
    | MonitorStateChanged
)
