"""The lab's pjsua2 endpoint and the call/account classes whose callbacks reach the PBX.

Facts of the pjsua2-python wheel this follows (shared/DESIGN.md "Facts about our dependencies"):
- One Endpoint per process, `threadCnt=0` + `mainThreadOnly`: every callback runs inside
  `libHandleEvents`, i.e. inside `LabSipPbx.poll()` on the lab's main thread.
- `setNullDev()` (not `setNoDev()`): the null device's clock drives the conference bridge.
- Codecs: PCMU then PCMA only; speex (the default first choice) leaves mixing artefacts loud
  enough to break tone checks, and the fixtures' Asterisk allowed ulaw/alaw only.
- An exception escaping a callback is printed and swallowed by SWIG, and its traceback keeps
  objects alive until exit (then the process aborts): every callback catches everything.
- pjlib writes its start-up banner to file descriptor 1 before any log configuration applies;
  the lab's stdout carries the LAB-READY line, so fd 1 points at stderr meanwhile, and later
  pjsua2 log lines go to Python logging.
- Destroy order: calls and media first (the caller makes sure), then the account, then
  `libDestroy(PJSUA_DESTROY_NO_NETWORK)` (the calls were hung up already; 30 ms, not 1 s).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import pjsua2 as pj

if TYPE_CHECKING:
    from cti.lab.sip_model import Leg

log = logging.getLogger(__name__)


class CallEvents(Protocol):
    """What the PBX does with pjsua2's callbacks."""

    def on_incoming_call(self, account: LabAccount, prm: Any) -> None: ...

    def on_call_state(self, call: LabCall) -> None: ...

    def on_call_media(self, call: LabCall) -> None: ...

    def on_dtmf(self, call: LabCall, digit: str, flags: int, duration: int) -> None: ...


class LabCall(pj.Call):  # type: ignore[misc]
    """A pjsua2 call whose callbacks go to the PBX; never raises into pjsua2."""

    def __init__(
        self, events: CallEvents, account: LabAccount, call_id: int = pj.PJSUA_INVALID_ID
    ) -> None:
        super().__init__(account, call_id)
        self.events: CallEvents | None = events
        self.leg: Leg | None = None

    def onCallState(self, prm: Any) -> None:
        try:
            if self.events is not None:
                self.events.on_call_state(self)
        except Exception:
            log.exception("lab SIP: call state handling failed")

    def onCallMediaState(self, prm: Any) -> None:
        try:
            if self.events is not None:
                self.events.on_call_media(self)
        except Exception:
            log.exception("lab SIP: media state handling failed")

    def onDtmfEvent(self, prm: Any) -> None:
        try:
            if self.events is not None:
                self.events.on_dtmf(self, str(prm.digit), int(prm.flags), int(prm.duration))
        except Exception:
            log.exception("lab SIP: DTMF handling failed")

    def detach(self) -> None:
        """Cut the links to the PBX (the call is finished with)."""
        self.events = None
        self.leg = None

    def audio_media(self) -> Any:
        """The call's active audio port in the bridge, or None."""
        info = self.getInfo()
        for index, item in enumerate(info.media):
            if item.type == pj.PJMEDIA_TYPE_AUDIO and item.status in (
                pj.PJSUA_CALL_MEDIA_ACTIVE,
                pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
            ):
                return self.getAudioMedia(index)
        return None


class LabAccount(pj.Account):  # type: ignore[misc]
    def __init__(self, events: CallEvents) -> None:
        super().__init__()
        self.events: CallEvents | None = events

    def onIncomingCall(self, prm: Any) -> None:
        try:
            if self.events is not None:
                self.events.on_incoming_call(self, prm)
        except Exception:
            log.exception("lab SIP: incoming call handling failed")


class PjLogWriter(pj.LogWriter):  # type: ignore[misc]
    """pjlib's log lines go to Python logging (never to stdout, where LAB-READY goes)."""

    def write(self, entry: Any) -> None:
        try:
            level = logging.WARNING if entry.level <= 2 else logging.DEBUG
            log.log(level, "pj: %s", str(entry.msg).rstrip())
        except Exception:
            pass  # a log line must never break pjsua2


@dataclass
class Endpoint:
    """The running pjsua2 parts the PBX keeps references to until `destroy()`."""

    ep: Any
    account: LabAccount
    internal: tuple[str, int]  # where pjsua2's SIP transport listens
    null_sink: Any  # the null sound device's bridge port: hears and discards
    log_writer: PjLogWriter

    def handle_events(self, max_ms: int = 0) -> None:
        self.ep.libHandleEvents(max_ms)

    def hangup_all(self) -> None:
        with contextlib.suppress(pj.Error):
            self.ep.hangupAllCalls()

    def destroy(self) -> None:
        """Account, then the library. Calls, players and recorders must be gone already."""
        self.null_sink = None
        gc.collect()
        with contextlib.suppress(pj.Error):
            self.account.shutdown()
        self.account.events = None
        gc.collect()
        with contextlib.suppress(pj.Error):
            self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)


def create_endpoint(events: CallEvents, host: str, public_port: int) -> Endpoint:
    """Start pjsua2 on a private UDP port of `host` with one local account."""
    ep = pj.Endpoint()
    writer = PjLogWriter()
    try:
        with stdout_to_stderr():
            ep.libCreate()
            cfg = pj.EpConfig()
            cfg.uaConfig.threadCnt = 0
            cfg.uaConfig.mainThreadOnly = True
            cfg.uaConfig.maxCalls = 4
            cfg.uaConfig.userAgent = "Hotline-Lab-PBX"
            cfg.logConfig.writer = writer
            cfg.logConfig.level = 3
            cfg.logConfig.consoleLevel = 3
            cfg.logConfig.decor = 0
            cfg.medConfig.clockRate = 8000
            cfg.medConfig.sndClockRate = 8000
            cfg.medConfig.channelCount = 1
            cfg.medConfig.noVad = True
            cfg.medConfig.ecTailLen = 0
            ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.port = 0
        tcfg.boundAddress = host
        transport = ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        local = str(ep.transportGetInfo(transport).localName)
        bound_host, _, bound_port = local.rpartition(":")
        ep.libStart()
        ep.audDevManager().setNullDev()
        for codec in ep.codecEnum2():
            ep.codecSetPriority(codec.codecId, 0)
        ep.codecSetPriority("PCMU/8000", 255)
        ep.codecSetPriority("PCMA/8000", 254)
        acfg = pj.AccountConfig()
        acfg.idUri = f"sip:asterisk@{host}:{public_port}"
        acfg.sipConfig.transportId = transport
        acfg.mediaConfig.transportConfig.boundAddress = host
        acfg.mediaConfig.transportConfig.port = 0
        account = LabAccount(events)
        account.create(acfg)
    except BaseException:
        with contextlib.suppress(pj.Error):
            ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        raise
    return Endpoint(
        ep,
        account,
        (bound_host or host, int(bound_port)),
        ep.audDevManager().getPlaybackDevMedia(),
        writer,
    )


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Point file descriptor 1 at stderr for a moment (pjlib writes straight to fd 1)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
