"""The lab PBX as the AMI server sees it: the simulated floor plus (optionally) the SIP side.

Rules and trade-offs:
- One outbox of AMI events, in the order things happened: simulated events (when the
  simulation is advanced to the scaled clock), events the SIP side emits (spy calls, real
  SIP calls), and the lab's own (OriginateResponse, SuccessfulAuth, Shutdown). The server
  drains it after each action response, so a Response always precedes the events its
  action caused, as on Asterisk.
- Channels created by the SIP side are followed from its events (Newchannel … Hangup), so
  CoreShowChannels / Status / Hangup see them exactly like simulated channels.
- An async Originate into ChanSpy is handed to the SIP side, which reports the outcome
  later (answered: Success, Reason 4; else Failure with its reason) from a poll(); that
  becomes the OriginateResponse. Anything else cannot be originated in the lab and fails
  the way Asterisk's does for an unreachable endpoint ("Originate failed" when sync; queued
  then OriginateResponse Failure, Reason 0, when async).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from cti.lab.clock import ScaledClock
from cti.lab.sim_model import Chan
from cti.lab.simulation import HotlineSimulation

log = logging.getLogger(__name__)

Headers = list[tuple[str, str]]

# Feature codes of the fixtures' dialplan: *221<ext> listen, *222 whisper, *223 barge.
_FEATURE_DATA = {"*221": "qEd", "*222": "qEwd", "*223": "qEBd"}
_CALLERID_RE = re.compile(r'^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$')


T = TypeVar("T")


class Deferred(Generic[T]):
    """A value that arrives later on the same thread (a synchronous Originate's outcome)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[T], None]] = []
        self._value: tuple[T] | None = None

    @property
    def done(self) -> bool:
        return self._value is not None

    def resolve(self, value: T) -> None:
        if self._value is not None:
            return
        self._value = (value,)
        callbacks, self._callbacks = self._callbacks, []
        for cb in callbacks:
            cb(value)

    def then(self, cb: Callable[[T], None]) -> None:
        """Call cb with the value when it arrives (at once if it already has)."""
        if self._value is not None:
            cb(self._value[0])
        else:
            self._callbacks.append(cb)


class SipSide(Protocol):
    """What the AMI side needs from `cti.lab.sip_pbx.LabSipPbx`."""

    def originate_chanspy(
        self,
        spyer: str,
        spyee_ext: str,
        options: str,
        *,
        caller_id: str | None = None,
        on_result: Callable[[Any], None] | None = None,
    ) -> str: ...

    def hangup(self, channel: str) -> bool: ...

    def registered_agents(self) -> set[str]: ...

    def device_state(self, interface: str) -> int: ...


def parse_caller_id(text: str) -> tuple[str, str]:
    """`"Console Spy" <1900>` → ("Console Spy", "1900"); a bare number → ("", number)."""
    m = _CALLERID_RE.match(text or "")
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return "", (text or "").strip()


def chan_from_event(fields: dict[str, str], created: float) -> Chan:
    chan = Chan(
        fields.get("Channel", ""),
        fields.get("Uniqueid", ""),
        fields.get("Linkedid", fields.get("Uniqueid", "")),
        fields.get("CallerIDNum", "<unknown>"),
        fields.get("CallerIDName", "<unknown>"),
        fields.get("Language", "en"),
        fields.get("Context", ""),
        fields.get("Exten", ""),
        created,
    )
    update_chan(chan, fields)
    return chan


def update_chan(chan: Chan, fields: dict[str, str]) -> None:
    state = fields.get("ChannelState", "")
    if state.isdigit():
        chan.state = int(state)
    chan.cid_num = fields.get("CallerIDNum", chan.cid_num)
    chan.cid_name = fields.get("CallerIDName", chan.cid_name)
    chan.conn_num = fields.get("ConnectedLineNum", chan.conn_num)
    chan.conn_name = fields.get("ConnectedLineName", chan.conn_name)
    chan.context = fields.get("Context", chan.context)
    chan.exten = fields.get("Exten", chan.exten)
    prio = fields.get("Priority", "")
    if prio.isdigit():
        chan.priority = int(prio)
    feature = chan.exten[:4]
    if feature in _FEATURE_DATA and not chan.application:
        chan.application = "ChanSpy"
        chan.app_data = f"PJSIP/{chan.exten[4:]}-,{_FEATURE_DATA[feature]}"


@dataclass(frozen=True)
class _Originate:
    """What an OriginateResponse repeats from its request."""

    action_id: str | None
    channel: str
    application: str
    data: str
    cid_name: str
    cid_num: str


@dataclass
class LabPbx:
    """The simulated hotline, its clock and the optional SIP side, behind one outbox.

    Attributes:
        sim: the simulation.
        clock: the scaled clock the simulation follows.
        real_clock: monotonic seconds (originate time-outs run in real time).
        sip: the SIP side, or None when pjsua2 is not available.
        started: simulated epoch at which the lab started (Uptime, CoreStartupTime).
    """

    sim: HotlineSimulation
    clock: ScaledClock
    real_clock: Callable[[], float]
    sip: SipSide | None = None
    started: float = 0.0
    sip_channels: dict[str, Chan] = field(default_factory=dict)
    _outbox: list[Headers] = field(default_factory=list)

    def now(self) -> float:
        return self.sim.now

    # -- the outbox ----------------------------------------------------------------------
    def sync(self) -> None:
        """Advance the simulation to the scaled clock."""
        self._outbox.extend(self.sim.advance_to(self.clock.now()))

    def take_events(self) -> list[Headers]:
        out, self._outbox = self._outbox, []
        return out

    def emit(self, event: Headers) -> None:
        """An event from the lab itself (SuccessfulAuth, Shutdown …)."""
        self._outbox.append(event)

    def emit_sip(self, event: list[tuple[str, str]]) -> None:
        """The SIP side's `emit` callback: follow its channels, then pass the event on."""
        event = list(event)
        self._observe_sip(event)
        self._outbox.append(event)

    def take_sim_events(self) -> None:
        """Move events produced by a simulation action into the outbox."""
        self._outbox.extend(self.sim.take_events())

    # -- channels ------------------------------------------------------------------------
    def all_channels(self) -> list[Chan]:
        return [*self.sim.channels.values(), *self.sip_channels.values()]

    def channel(self, name: str) -> Chan | None:
        return self.sim.channels.get(name) or self.sip_channels.get(name)

    def hangup(self, channel: str, cause: int) -> bool:
        if channel in self.sim.channels:
            ok = self.sim.hangup(channel, cause)
            self.take_sim_events()
            return ok
        if channel in self.sip_channels and self.sip is not None:
            try:
                return bool(self.sip.hangup(channel))
            except Exception:
                log.exception("SIP side failed to hang up %s", channel)
                return False
        return False

    def _observe_sip(self, event: Headers) -> None:
        fields = dict(event)
        name = fields.get("Event", "")
        chan_name = fields.get("Channel", "")
        if not chan_name:
            return
        if name == "Newchannel":
            self.sip_channels[chan_name] = chan_from_event(fields, self.sim.now)
        elif name == "Hangup":
            self.sip_channels.pop(chan_name, None)
        elif chan_name in self.sip_channels and "ChannelState" in fields:
            update_chan(self.sip_channels[chan_name], fields)

    # -- originate -----------------------------------------------------------------------
    def originate(
        self, fields: dict[str, str], action_id: str | None
    ) -> tuple[bool, str] | Deferred[tuple[bool, str]]:
        """AMI Originate (`fields` keyed by lower-case header name).

        Returns (ok, message) for the Response. An async request gets its OriginateResponse
        later, when the SIP side reports the outcome; a synchronous one handed to the SIP
        side returns a Deferred that resolves then (Asterisk, too, answers a synchronous
        Originate only once the call was answered or failed).
        """
        channel = fields.get("channel", "")
        if not channel:
            return False, "Channel not specified"
        is_async = fields.get("async", "").strip().lower() in ("true", "yes", "1", "on", "y", "t")
        application = fields.get("application", "")
        data = fields.get("data", "")
        cid_name, cid_num = parse_caller_id(fields.get("callerid", ""))
        request = _Originate(
            action_id, channel, application, data, cid_name or "<unknown>", cid_num or "<unknown>"
        )
        created = ""
        if (
            self.sip is not None
            and channel.upper().startswith("PJSIP/")
            and application.lower() == "chanspy"
            and data
        ):
            target, _, options = data.partition(",")
            spyee = target.split("/", 1)[-1].rstrip("-")
            deferred: Deferred[tuple[bool, str]] = Deferred()

            def on_result(result: Any) -> None:
                if not is_async:
                    ok = bool(result.success)
                    deferred.resolve(
                        (ok, "Originate successfully queued" if ok else "Originate failed")
                    )
                else:
                    self._originate_response(
                        request,
                        ok=bool(result.success),
                        reason=str(result.reason),
                        channel=str(result.channel) or channel,
                        uniqueid=str(result.uniqueid) or "<null>",
                        cid=(str(result.caller_id_name), str(result.caller_id_num)),
                    )

            try:
                created = self.sip.originate_chanspy(
                    channel,
                    spyee,
                    options,
                    caller_id=fields.get("callerid") or None,
                    on_result=on_result,
                )
            except ValueError as exc:  # OriginateError: unknown account, bad request
                log.info("Originate into ChanSpy refused: %s", exc)
                created = ""
            except Exception:
                log.exception("SIP side failed to originate ChanSpy on %s", spyee)
                created = ""
        if not created:
            if not is_async:
                return False, "Originate failed"
            self._originate_response(request, ok=False, reason="0")
            return True, "Originate successfully queued"
        chan = self.sip_channels.get(created)
        if chan is not None:
            chan.application, chan.app_data = application, data
        if not is_async:
            return deferred
        return True, "Originate successfully queued"

    def _originate_response(
        self,
        r: _Originate,
        *,
        ok: bool,
        reason: str,
        channel: str | None = None,
        uniqueid: str = "<null>",
        cid: tuple[str, str] | None = None,
    ) -> None:
        cid_name, cid_num = cid if cid is not None and cid[1] else (r.cid_name, r.cid_num)
        event: Headers = [("Event", "OriginateResponse"), ("Privilege", "call,all")]
        if r.action_id is not None:
            event.append(("ActionID", r.action_id))
        event += [
            ("Response", "Success" if ok else "Failure"),
            ("Channel", channel or r.channel),
            ("Application", r.application),
            ("Data", r.data),
            ("Reason", reason),
            ("Uniqueid", uniqueid),
            ("CallerIDNum", cid_num),
            ("CallerIDName", cid_name),
        ]
        self._outbox.append(event)

    # -- external members ----------------------------------------------------------------
    def device_state(self, interface: str) -> int:
        """Device state of an interface that is not a simulated agent (a real SIP phone)."""
        if self.sip is None:
            return 5
        try:
            return int(self.sip.device_state(interface))
        except Exception:
            log.exception("SIP side failed to report the device state of %s", interface)
            return 5

    def external_device_changed(self, interface: str) -> None:
        """The SIP side's `on_device_change`: re-read that member's state."""
        self.sim.external_status_changed(interface)
        self.take_sim_events()

    def refresh_external_members(self) -> None:
        for iface, agent in list(self.sim.agents.items()):
            if agent.spec is None:
                self.sim.external_status_changed(iface)
        self.take_sim_events()
