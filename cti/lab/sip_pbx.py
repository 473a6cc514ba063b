"""The lab PBX's SIP side: registration, ChanSpy-style monitoring, queue calls — in pjsua2.

Shape of the process (`sip_registrar.py` says why there are two ports):

    public UDP port (LAB-READY sip_port) ── SipFront: REGISTER + digest auth, INVITE auth,
                                            stateless relay ──▶ pjsua2 (private port)
    pjsua2 (`sip_endpoint.py`): one Endpoint, threadCnt=0 + mainThreadOnly, polled by `poll()`
            (the lab's asyncio task calls it every 10 ms); the null audio device clocks the
            conference bridge; PCMU/PCMA only; one local account.

What a client sees (standard Asterisk behaviour with the fixtures' dialplan):
- `*221<ext>` / `*222<ext>` / `*223<ext>` (the feature codes given) → ChanSpy(PJSIP/<ext>-,
  qEd / qEwd / qEBd), `originate_chanspy` for AMI Originate: `sip_spying.py`.
- Queue numbers (600 → support, 601 → complaints) and direct extension dials: `sip_routing.py`.
- Any other number: 404 Not Found.
- Everything emits Asterisk's AMI events through `emit` (the AMI server broadcasts them); a
  channel gets exactly one Newchannel and one Hangup. Registration adds PeerStatus,
  ContactStatus and the security events; device states go out as DeviceStateChange and
  through `on_device_change` (for QueueMemberStatus of real phones).

Mixing (`sip_mixing.py`): the bridge links are recomputed from the state (connected calls,
spies and their modes) whenever something changed and only the difference is applied, stops
first. Every call leg also feeds the null sink: the bridge reads a port only while someone
listens to it, and an unread leg's jitter buffer fills with stale audio that would be heard
first (~0.4 s late) when a mode switch links it.

Timing choices:
- A DTMF digit switches the mode when it begins (first RFC 4733 packet), not when it ends as
  Asterisk does: ~200 ms faster (the digit's length), which the console's mode-switch budget
  measures. DTMFBegin/DTMFEnd are still emitted as Asterisk does.
- `set_simulated_call` / `clear_simulated_call` only record; spies react in the next `poll()`,
  so ChanSpyStart follows the simulation's own events for that call in the AMI stream.

pjsua2 rules obeyed: every Call / player / tone generator / the account is referenced here
until finished with; callbacks never raise; a Call is dropped only after DISCONNECTED, in
the next poll (never inside its own callback); `getInfo()` is never called on a Call whose
makeCall failed; shutdown is hang up all → poll until the calls are gone → drop calls and
media → gc → account → libDestroy. Limits: 4 calls per process (a real call's two legs + a
spy fit), 1 of 8 accounts, 2 of 32 players per monitored simulated call.
"""

from __future__ import annotations

import itertools
import logging
import re
import socket
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pjsua2 as pj

from cti.lab import ami_templates as tpl
from cti.lab import sip_events as ev
from cti.lab.chanspy import spyee_extension
from cti.lab.sim_model import Chan
from cti.lab.sip_audio import DEFAULT_SPEECH_DIR
from cti.lab.sip_endpoint import Endpoint, LabAccount, LabCall, create_endpoint
from cti.lab.sip_message import SipParseError, parse_message, parse_name_addr, parse_uri
from cti.lab.sip_mixing import LinkSet
from cti.lab.sip_model import (
    DEVICE_INUSE,
    DEVICE_NAMES,
    DEVICE_NOT_INUSE,
    DEVICE_RINGING,
    DEVICE_UNAVAILABLE,
    REASON_CONGESTION,
    REASON_FAILURE,
    Headers,
    Leg,
    LegRole,
    OnResult,
    OriginateResult,
    SimCall,
    SpyState,
    SpyStatus,
    cause_of,
    parse_caller_id,
    sip_quote,
)
from cti.lab.sip_registrar import ChangeKind, SipFront
from cti.lab.sip_routing import CallRouter
from cti.lab.sip_spying import SpyDesk

__all__ = [
    "DEFAULT_FEATURE_CODES",
    "LabSipError",
    "LabSipPbx",
    "OriginateError",
    "OriginateResult",
    "SpyStatus",
]

log = logging.getLogger(__name__)

Emit = Callable[[Headers], None]

DEFAULT_FEATURE_CODES: dict[str, str] = {"listen": "*221", "whisper": "*222", "barge": "*223"}
FEATURE_OPTIONS: dict[str, str] = {"listen": "qEd", "whisper": "qEwd", "barge": "qEBd"}
DEFAULT_QUEUE_NUMBERS: dict[str, str] = {"600": "support", "601": "complaints"}
DEFAULT_AGENT_PATTERN = r"1[0-8]\d\d"

_DTMF_IS_UPDATE = 1  # PJMEDIA_STREAM_DTMF_IS_UPDATE
_DTMF_IS_END = 2  # PJMEDIA_STREAM_DTMF_IS_END
_DTMF_UNKNOWN_DURATION = 0xFFFFFFFF
_DTMF_LOST_END_S = 1.0  # an RFC 4733 end packet may be lost: close the digit after this
_NULL_SINK = "null-sink"


class LabSipError(RuntimeError):
    """The SIP side cannot start or run (the message says why, e.g. a port in use)."""


class OriginateError(ValueError):
    """An Originate request that cannot even be attempted (unknown account, bad input)."""


class LabSipPbx:
    """The SIP half of the lab PBX. Single-threaded: call everything from one thread.

    Args:
        host: address to listen on (127.0.0.1 in the lab).
        port: public SIP UDP port; 0 = chosen by the OS (read `sip_port` after `start()`).
        accounts: SIP user → digest password (supervisor, agents, test callers).
        feature_codes: {"listen": "*221", "whisper": "*222", "barge": "*223"} (None: these).
        emit: receives each AMI event as ordered headers.
        clock: wall-clock seconds (time.time in the lab): registration lifetimes, nonces,
            ring timeouts and the epoch part of Uniqueids. Not the simulation's scaled clock.
        tone_mode: simulated callers/agents play 600 Hz / 1100 Hz instead of speech.
        speech_dir: where the speech clips are (default resources/speech).
        queue_numbers: dialled number → queue name (default 600 → support, 601 → complaints).
        queue_members: queue name → agent extensions to offer its calls to, in order (e.g. the
            simulation's external members); default: every registered agent extension.
        agent_pattern: regular expression of agent extensions (default 1000–1899).
        agent_users: the agent extensions exactly (e.g. the scenario's SIP agents); given,
            it replaces `agent_pattern`.
        channel_lookup: agent extension → the channel block (Channel … Linkedid) of its current
            simulated call leg, for ChanSpyStart's Spyee* fields.
        on_device_change: called with an interface (PJSIP/1001) whose device state changed.
        ids: shared sequence for Uniqueid suffixes and channel-name numbers (pass the
            simulation's so real and simulated channels never collide); default: own counter.
        display_names: user → caller-ID name (default: the From display name, or the user).
        ring_timeout_s / retry_s: queue ring timeout and pause before ringing again.
        originate_timeout_s: how long an originated spy call may ring.
        realm: digest realm ("asterisk", like Asterisk's default).
    """

    def __init__(
        self,
        host: str,
        port: int,
        accounts: Mapping[str, str],
        feature_codes: Mapping[str, str] | None,
        emit: Emit,
        clock: Callable[[], float],
        *,
        tone_mode: bool = False,
        speech_dir: Path | None = DEFAULT_SPEECH_DIR,
        queue_numbers: Mapping[str, str] | None = None,
        queue_members: Callable[[str], Sequence[str]] | None = None,
        agent_pattern: str = DEFAULT_AGENT_PATTERN,
        agent_users: Collection[str] | None = None,
        channel_lookup: Callable[[str], Headers | None] | None = None,
        on_device_change: Callable[[str], None] | None = None,
        ids: Callable[[], int] | None = None,
        display_names: Mapping[str, str] | None = None,
        ring_timeout_s: float = 15.0,
        retry_s: float = 2.0,
        originate_timeout_s: float = 30.0,
        realm: str = "asterisk",
    ) -> None:
        self.host = host
        self._requested_port = port
        self._accounts = dict(accounts)
        codes = dict(DEFAULT_FEATURE_CODES if feature_codes is None else feature_codes)
        # Longest code first, so a longer code is never read as a shorter one + digits.
        self._feature_codes = sorted(
            ((mode, code) for mode, code in codes.items() if mode in FEATURE_OPTIONS),
            key=lambda item: -len(item[1]),
        )
        self._emit_cb = emit
        self._clock = clock
        self._queue_numbers = dict(
            DEFAULT_QUEUE_NUMBERS if queue_numbers is None else queue_numbers
        )
        self._agent_re = re.compile(agent_pattern)
        self._agent_users = frozenset(agent_users) if agent_users is not None else None
        self._on_device_change = on_device_change
        counter = itertools.count(100_000)
        self._ids = ids if ids is not None else lambda: next(counter)
        self._display_names = dict(display_names or {})
        self._originate_timeout_s = originate_timeout_s
        self._realm = realm

        self.router = CallRouter(self, queue_members, ring_timeout_s, retry_s)
        self.desk = SpyDesk(
            self, tone_mode=tone_mode, speech_dir=speech_dir, channel_lookup=channel_lookup
        )
        self._endpoint: Endpoint | None = None
        self._sock: socket.socket | None = None
        self._front: SipFront | None = None
        self._public: tuple[str, int] | None = None
        self._calls: set[LabCall] = set()  # every Call object not yet disconnected
        self._graveyard: list[LabCall] = []  # finished; dropped at the next poll
        self.legs: dict[str, Leg] = {}  # key → live leg
        self._links: LinkSet[str] = LinkSet(self._start_link, self._stop_link)
        self._port_media: dict[str, Any] = {}  # link key → AudioMedia to start/stop on
        self._results: list[tuple[OnResult, OriginateResult]] = []
        self._devices: dict[str, int] = {}
        self._leg_seq = itertools.count(1)
        self._dirty = False
        self._last_expire = 0.0
        self._started = False

    # ------------------------------------------------------------------ lifecycle

    @property
    def sip_port(self) -> int:
        """The public SIP port (valid after `start()`)."""
        if self._public is None:
            raise LabSipError("the lab SIP side is not started")
        return self._public[1]

    @property
    def internal_port(self) -> int:
        """pjsua2's own SIP port (dialogs continue there after the first request)."""
        if self._endpoint is None:
            raise LabSipError("the lab SIP side is not started")
        return self._endpoint.internal[1]

    @property
    def tone_mode(self) -> bool:
        return self.desk.tone_mode

    def start(self) -> None:
        """Bind the public port and start pjsua2; raises LabSipError when that fails."""
        if self._started:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise LabSipError(
                f"cannot listen for SIP on {self.host}:{self._requested_port}: {exc.strerror}"
            ) from exc
        sock.setblocking(False)
        self._sock = sock
        self._public = (self.host, int(sock.getsockname()[1]))
        self._front = SipFront(self._accounts, self._clock, self._public, realm=self._realm)
        try:
            self._endpoint = create_endpoint(self, self.host, self._public[1])
        except pj.Error as exc:
            self._close_socket()
            raise LabSipError(f"pjsua2 failed to start: {exc.info()}") from exc
        except BaseException:
            self._close_socket()
            raise
        self._front.internal = self._endpoint.internal
        self._started = True
        log.info(
            "lab SIP on %s:%d (pjsua2 on port %d)", self.host, self.sip_port, self.internal_port
        )

    def shutdown(self) -> None:
        """Hang up everything and destroy pjsua2 (idempotent)."""
        endpoint = self._endpoint
        if not self._started or endpoint is None:
            return
        self._started = False
        self.desk.stop_all()
        endpoint.hangup_all()
        deadline = time.monotonic() + 1.0
        while self._calls and time.monotonic() < deadline:
            endpoint.handle_events(5)
        self._port_media.clear()
        self._links.current.clear()
        self.desk.spies.clear()
        self.router.connections.clear()
        for leg in self.legs.values():
            leg.media = None
            leg.call = None
        self.legs.clear()
        for call in [*self._calls, *self._graveyard]:
            call.detach()
        self._calls.clear()
        self._graveyard.clear()
        self._endpoint = None
        endpoint.destroy()
        self._close_socket()

    def _close_socket(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    # ------------------------------------------------------------------ polling

    def poll(self) -> None:
        """Do all pending SIP work without blocking (call every ~10 ms)."""
        endpoint = self._endpoint
        if not self._started or endpoint is None:
            return
        self._graveyard.clear()
        self._pump_front()
        endpoint.handle_events(0)
        self._pump_front()
        now = self._clock()
        if not 0 <= now - self._last_expire < 1.0:
            self._last_expire = now
            assert self._front is not None
            self._front.expire()
        self._report_registrations()
        self.router.run_timers(now)
        self.router.dispatch(now)
        self.desk.update(now)
        for leg in self.legs.values():
            if leg.dtmf_digit is not None and now - leg.dtmf_seen > _DTMF_LOST_END_S:
                self._dtmf_ended(leg)
        if self._dirty:
            self._dirty = False
            self._rewire()
            self._update_devices()
        results, self._results = self._results, []
        for callback, result in results:
            self._call_result(callback, result)

    def _pump_front(self) -> None:
        sock, front = self._sock, self._front
        if sock is None or front is None:
            return
        for _ in range(256):
            try:
                data, address = sock.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. an ICMP port-unreachable reported on UDP
                log.debug("lab SIP front: %s", exc)
                continue
            for out in front.handle(data, (address[0], int(address[1]))):
                try:
                    sock.sendto(out.data, out.address)
                except OSError as exc:
                    log.debug("lab SIP front: cannot send to %s: %s", out.address, exc)

    # ------------------------------------------------------------------ queries

    def registered_users(self) -> set[str]:
        return set(self._front.bindings()) if self._front is not None else set()

    def registered_agents(self) -> set[str]:
        """Registered agent extensions (users matching the agent pattern)."""
        return {u for u in self.registered_users() if self.is_agent(u)}

    def contact_of(self, user: str) -> str | None:
        binding = self._front.binding(user) if self._front is not None else None
        return binding.contact if binding is not None else None

    def device_state(self, interface: str) -> int:
        """Asterisk device state of `PJSIP/<user>`: 1 idle, 2 in use, 5 unavailable, 6 ringing."""
        user = spyee_extension(interface)
        legs = [leg for leg in self.legs.values() if leg.user == user and not leg.ended]
        if any(leg.answered for leg in legs):
            return DEVICE_INUSE
        if any(leg.role is not LegRole.INBOUND for leg in legs):
            return DEVICE_RINGING
        if legs:
            return DEVICE_INUSE  # a call from this phone being set up
        return DEVICE_NOT_INUSE if self.contact_of(user) is not None else DEVICE_UNAVAILABLE

    def spies(self) -> list[SpyStatus]:
        return self.desk.statuses()

    def channel_snapshots(self) -> list[Headers]:
        """CoreShowChannel bodies (without Event/ActionID) of the lab's live SIP channels."""
        now = self._clock()
        return [
            tpl.core_show_channel(leg.chan, None, now)[1:]
            for leg in self.legs.values()
            if not leg.hangup_emitted
        ]

    # ------------------------------------------------------------------ simulation hooks

    def set_simulated_call(
        self,
        agent_ext: str,
        caller_number: str,
        queue: str,
        language: str,
        *,
        agent_channel: Sequence[tuple[str, str]] | None = None,
    ) -> None:
        """A simulated agent started talking (spies on it hear speech or tones).

        `agent_channel`: the channel block (Channel, ChannelState … Uniqueid, Linkedid) of the
        agent's leg as the simulation reported it, for ChanSpyStart's Spyee* fields (else
        `channel_lookup` is asked).
        """
        block = list(agent_channel) if agent_channel is not None else None
        self.desk.sim_calls[agent_ext] = SimCall(agent_ext, caller_number, queue, language, block)
        self.changed()

    def clear_simulated_call(self, agent_ext: str) -> None:
        """The simulated agent's call ended (its spies stop in the next poll)."""
        if self.desk.sim_calls.pop(agent_ext, None) is not None:
            self.changed()

    # ------------------------------------------------------------------ AMI actions

    def originate_chanspy(
        self,
        spyer: str,
        spyee_ext: str,
        options: str,
        *,
        caller_id: str | None = None,
        on_result: OnResult | None = None,
    ) -> str:
        """AMI Originate of `PJSIP/<spyer>` into `ChanSpy(<spyee_ext>,<options>)`.

        Returns the spyer's new channel name at once. The outcome (answered, or why not) goes
        to `on_result` from a later `poll()`, never from inside this call. Raises
        OriginateError when not running, for an unknown account or without an extension.
        """
        if not self._started or self._endpoint is None:
            raise OriginateError("the lab SIP side is not running")
        user = spyee_extension(spyer)
        ext = spyee_extension(spyee_ext)
        if user not in self._accounts:
            raise OriginateError(f"no SIP account {user!r}")
        if not ext:
            raise OriginateError("no extension to spy on")
        cid_num, cid_name = parse_caller_id(caller_id, user, self.display_name(user))
        chan = self.new_chan(user, cid_name, "supervisor", "s")
        chan.cid_num = cid_num
        chan.application = "ChanSpy"
        chan.app_data = f"PJSIP/{ext},{options}"
        contact = self.contact_of(user)
        call = self.place_call(contact, cid_name, cid_num) if contact is not None else None
        if call is None:
            if on_result is not None:
                reason = REASON_FAILURE if contact is None else REASON_CONGESTION
                failed = OriginateResult(False, reason, f"PJSIP/{user}", "", cid_num, cid_name)
                self._results.append((on_result, failed))
            return chan.name
        leg = self.add_leg(LegRole.ORIGINATE, user, chan, call)
        spy = self.desk.add(leg, ext, options, "s", SpyState.DIALLING)
        spy.on_result = on_result
        spy.deadline = self._clock() + self._originate_timeout_s
        self.emit(tpl.newchannel(chan))
        self.emit(ev.dest_only("DialBegin", chan, [("DialString", user)]))
        return chan.name

    def hangup(self, channel: str) -> bool:
        """AMI Hangup of one of the lab's SIP channels; False when it is not one of ours."""
        for leg in self.legs.values():
            if leg.chan.name == channel and not leg.ended:
                self.hangup_leg(leg, 200 if leg.answered else 603)
                return True
        return False

    # ------------------------------------------------------------------ for router and desk

    def now(self) -> float:
        return self._clock()

    def emit(self, headers: Headers) -> None:
        try:
            self._emit_cb(headers)
        except Exception:
            log.exception("lab SIP: emit failed")

    def changed(self) -> None:
        """Something that affects mixing or device states changed: redo both in this poll."""
        self._dirty = True

    def report(self, callback: OnResult, result: OriginateResult) -> None:
        self._call_result(callback, result)

    def is_agent(self, user: str) -> bool:
        if self._agent_users is not None:
            return user in self._agent_users
        return bool(self._agent_re.fullmatch(user))

    def display_name(self, user: str) -> str:
        return self._display_names.get(user, user)

    def member_name(self, ext: str) -> str:
        # app_queue's MemberName defaults to the interface when QueueAdd named nobody.
        return self._display_names.get(ext, f"PJSIP/{ext}")

    def busy_users(self) -> set[str]:
        return {leg.user for leg in self.legs.values() if not leg.ended}

    def call_count(self) -> int:
        return len(self._calls)

    def new_chan(
        self, user: str, cid_name: str, context: str, exten: str, linkedid: str | None = None
    ) -> Chan:
        seq = self._ids()
        uniqueid = f"{int(self._clock())}.{seq}"
        return Chan(
            f"PJSIP/{user}-{seq:08x}",
            uniqueid,
            linkedid or uniqueid,
            user,
            cid_name,
            "en",
            context,
            exten,
            self._clock(),
        )

    def add_leg(self, role: LegRole, user: str, chan: Chan, call: LabCall) -> Leg:
        leg = Leg(f"leg{next(self._leg_seq)}", role, user, chan, call)
        call.leg = leg
        self._calls.add(call)
        self.legs[leg.key] = leg
        self.changed()
        return leg

    def place_call(self, uri: str, from_name: str, from_num: str) -> LabCall | None:
        """An outgoing call from the lab, or None when pjsua2 refused to start it."""
        assert self._endpoint is not None and self._public is not None
        call = LabCall(self, self._endpoint.account)
        prm = pj.CallOpParam(True)
        host, port = self._public
        prm.txOption.localUri = f'"{sip_quote(from_name)}" <sip:{from_num}@{host}:{port}>'
        try:
            call.makeCall(uri, prm)
        except pj.Error as exc:
            log.warning("lab SIP: cannot call %s: %s", uri, exc.info())
            call.detach()  # never getInfo() a call whose makeCall failed
            self._graveyard.append(call)
            return None
        return call

    def answer(self, call: LabCall, code: int) -> bool:
        prm = pj.CallOpParam()
        prm.statusCode = code
        try:
            call.answer(prm)
        except pj.Error as exc:
            log.warning("lab SIP: cannot answer %d: %s", code, exc.info())
            return False
        return True

    def hangup_leg(self, leg: Leg, code: int = 200) -> None:
        call = leg.call
        if call is None or leg.ended:
            return
        prm = pj.CallOpParam()
        prm.statusCode = code
        try:
            call.hangup(prm)
        except pj.Error as exc:
            log.debug("lab SIP: hangup of %s: %s", leg.chan.name, exc.info())

    def forget_port(self, key: str) -> None:
        """A bridge port went away (its links went with it)."""
        self._links.forget(key)
        self.changed()

    # ------------------------------------------------------------------ pjsua2 callbacks

    def on_incoming_call(self, account: LabAccount, prm: Any) -> None:
        call = LabCall(self, account, prm.callId)
        self._calls.add(call)
        try:
            request = parse_message(str(prm.rdata.wholeMsg).encode("utf-8"))
            dialled = parse_uri(request.request_uri).user
            origin = parse_name_addr(request.get("from") or "")
            user = parse_uri(origin.uri).user
        except (SipParseError, ValueError) as exc:
            log.warning("lab SIP: unreadable INVITE (%s)", exc)
            self.answer(call, 400)
            return
        name = self._display_names.get(user) or origin.display or user
        spy = self._feature_code(dialled)
        if spy is not None:
            self._incoming_spy(call, user, name, dialled, *spy)
        elif dialled in self._queue_numbers:
            self.router.queue_call(call, user, name, dialled, self._queue_numbers[dialled])
        elif dialled in self._accounts and dialled != user:
            self.router.dial(call, user, name, dialled)
        else:
            self.answer(call, 404)

    def _feature_code(self, dialled: str) -> tuple[str, str] | None:
        for mode, code in self._feature_codes:
            if dialled.startswith(code) and len(dialled) > len(code):
                return dialled[len(code) :], FEATURE_OPTIONS[mode]
        return None

    def _incoming_spy(
        self, call: LabCall, user: str, name: str, dialled: str, ext: str, options: str
    ) -> None:
        chan = self.new_chan(user, name, "supervisor", dialled)
        chan.state = 4
        leg = self.add_leg(LegRole.INBOUND, user, chan, call)
        self.emit(tpl.newchannel(chan))
        self.desk.add(leg, ext, options, dialled, SpyState.WAITING)
        chan.priority = 2
        chan.application = "ChanSpy"
        chan.app_data = f"PJSIP/{ext}-,{options}"
        if self.answer(call, 200):  # ChanSpy answers the channel itself
            leg.answered = True
            chan.state = 6
            self.emit(tpl.newstate(chan))

    def on_call_state(self, call: LabCall) -> None:
        info = call.getInfo()
        leg = call.leg
        if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self._calls.discard(call)
            self._graveyard.append(call)
            call.detach()
            if leg is not None:
                leg.call = None
                leg.end_code = int(info.lastStatusCode)
                self._leg_ended(leg)
            return
        if leg is None:
            return
        if info.state == pj.PJSIP_INV_STATE_EARLY and leg.role is not LegRole.INBOUND:
            if not leg.ringing:
                leg.ringing = True
                leg.chan.state = 5
                self.emit(tpl.newstate(leg.chan))
                if leg.role is LegRole.AGENT:
                    self.router.leg_ringing(leg)
                else:
                    self.emit(ev.dest_only("DialState", leg.chan, [("DialStatus", "RINGING")]))
                self.changed()
        elif info.state == pj.PJSIP_INV_STATE_CONFIRMED and not leg.answered:
            leg.answered = True
            if leg.role is LegRole.AGENT:
                self.router.agent_answered(leg)
            elif leg.role is LegRole.ORIGINATE:
                self.desk.originate_answered(leg)
            self.changed()

    def on_call_media(self, call: LabCall) -> None:
        leg = call.leg
        if leg is None:
            return
        media = call.audio_media()
        port = int(media.getPortId()) if media is not None else None
        if port != leg.port_id:
            self._links.forget(leg.key)
        leg.media = media
        leg.port_id = port
        self.changed()

    def on_dtmf(self, call: LabCall, digit: str, flags: int, duration: int) -> None:
        leg = call.leg
        if leg is None:
            return
        begins = not flags & (_DTMF_IS_UPDATE | _DTMF_IS_END)
        if begins or leg.dtmf_digit is None:  # SIP INFO reports only an end
            if leg.dtmf_digit is not None:
                self._dtmf_ended(leg)
            leg.dtmf_digit = digit
            if self.desk.digit_pressed(leg, digit):
                self._rewire()  # now, not at the next poll: this is the switch latency
            self.emit(ev.dtmf_begin(leg.chan, digit))  # the switch is done when this is seen
        leg.dtmf_seen = self._clock()
        if duration != _DTMF_UNKNOWN_DURATION:
            leg.dtmf_duration = duration
        if flags & _DTMF_IS_END:
            self._dtmf_ended(leg)

    def _dtmf_ended(self, leg: Leg) -> None:
        if leg.dtmf_digit is None:
            return
        self.emit(ev.dtmf_end(leg.chan, leg.dtmf_digit, leg.dtmf_duration))
        leg.dtmf_digit = None
        leg.dtmf_duration = 0

    def _leg_ended(self, leg: Leg) -> None:
        leg.ended = True
        self._links.forget(leg.key)
        leg.media = None
        leg.port_id = None
        self._dtmf_ended(leg)
        self.router.leg_ended(leg)
        if leg.spy is not None:
            self.desk.leg_ended(leg.spy)
        if not leg.hangup_emitted:
            leg.hangup_emitted = True
            self.emit(tpl.hangup(leg.chan, cause_of(leg.end_code)))
        self.legs.pop(leg.key, None)
        self.changed()

    # ------------------------------------------------------------------ mixing

    def _rewire(self) -> None:
        ports: dict[str, Any] = {}
        desired: set[tuple[str, str]] = set()
        sink = self._endpoint.null_sink if self._endpoint is not None else None
        if sink is not None:
            ports[_NULL_SINK] = sink
        for leg in self.legs.values():
            if leg.media is not None and not leg.ended:
                ports[leg.key] = leg.media
                if sink is not None:
                    desired.add((leg.key, _NULL_SINK))  # keeps its jitter buffer drained
        desired |= self.router.links(set(ports))
        desired |= self.desk.links(ports)
        self._port_media = ports
        self._links.apply(desired)

    def _start_link(self, source: str, sink: str) -> bool:
        src, dst = self._port_media.get(source), self._port_media.get(sink)
        if src is None or dst is None:
            return False
        try:
            src.startTransmit(dst)
        except pj.Error as exc:
            log.debug("lab SIP: link %s→%s refused: %s", source, sink, exc.info())
            return False
        return True

    def _stop_link(self, source: str, sink: str) -> bool:
        src, dst = self._port_media.get(source), self._port_media.get(sink)
        if src is None or dst is None:
            return False
        try:
            src.stopTransmit(dst)
        except pj.Error:
            return False
        return True

    # ------------------------------------------------------------------ registrations, devices

    def _report_registrations(self) -> None:
        front = self._front
        if front is None:
            return
        for notice in front.drain_security():
            stamp = datetime.fromtimestamp(self._clock(), UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
            local = self._public or (self.host, 0)
            self.emit(
                ev.security_event(
                    notice.kind.value,
                    stamp[:-3] + "+0000",
                    notice.account,
                    notice.session_id,
                    local,
                    notice.remote,
                )
            )
        for change in front.drain_changes():
            binding = change.binding
            if change.kind is ChangeKind.REGISTERED:
                self.emit(ev.peer_status(binding.user, True))
                self.emit(ev.contact_status(binding.user, binding.contact, "NonQualified"))
            elif change.kind in (ChangeKind.UNREGISTERED, ChangeKind.EXPIRED):
                if front.binding(binding.user) is None:
                    self.emit(ev.peer_status(binding.user, False))
                self.emit(ev.contact_status(binding.user, binding.contact, "Removed"))
            self.changed()

    def _update_devices(self) -> None:
        users = set(self._devices) | self.registered_users() | self.busy_users()
        for user in sorted(users):
            state = self.device_state(user)
            if self._devices.get(user, DEVICE_UNAVAILABLE) == state:
                self._devices[user] = state
                continue
            self._devices[user] = state
            self.emit(tpl.device_state_change(f"PJSIP/{user}", DEVICE_NAMES[state]))
            if self._on_device_change is not None:
                try:
                    self._on_device_change(f"PJSIP/{user}")
                except Exception:
                    log.exception("lab SIP: device-change callback failed")

    @staticmethod
    def _call_result(callback: OnResult, result: OriginateResult) -> None:
        try:
            callback(result)
        except Exception:
            log.exception("lab SIP: originate result callback failed")
