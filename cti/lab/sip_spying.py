"""ChanSpy in the lab: who spies on whom, in which mode, and what they hear.

Rules (app_chanspy as the fixtures' dialplan uses it, see `chanspy.py` for the options):
- A spy is a call of the spyer's phone: dialled in with a feature code (answered at once,
  SpyerExten `*2211001`) or placed by the lab for AMI Originate (SpyerExten `s`; the result
  goes to `on_result` once the phone answers or fails, for OriginateResponse).
- Spying starts when the extension has a call: a real SIP call through the lab (its agent or
  caller leg is the spyee) takes precedence over a simulated call the simulation announced
  (`set_simulated_call`) or that `channel_lookup` finds (a call already running when the
  SIP side started was never announced).
  Until then the spy waits, answered and silent, as ChanSpy's scan loop does.
- When the spied call ends: ChanSpyStop; with `E` the spy is hung up, else it waits again.
- DTMF 4/5/6 with `d` switches listen/whisper/barge at the first packet of the digit.
- A simulated call gets two bridge sources (caller, agent: speech clips or the 600/1100 Hz
  test tones) created at ChanSpyStart and released at ChanSpyStop; without `q` the spy first
  hears a short beep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pjsua2 as pj

from cti.lab import ami_templates as tpl
from cti.lab import sip_events as ev
from cti.lab.chanspy import ChanSpyOptions, dtmf_mode
from cti.lab.sip_audio import make_source, make_tone
from cti.lab.sip_mixing import simulated_spy_links, spy_links
from cti.lab.sip_model import (
    REASON_ANSWERED,
    REASON_BUSY,
    REASON_FAILURE,
    REASON_NO_ANSWER,
    Connection,
    ConnState,
    Headers,
    Leg,
    OriginateResult,
    SimCall,
    Spy,
    SpyState,
    SpyStatus,
    dial_status,
)

if TYPE_CHECKING:
    from cti.lab.sip_pbx import LabSipPbx

log = logging.getLogger(__name__)

BEEP_HZ = 1000.0
BEEP_MS = 250
_REASONS = {"NOANSWER": REASON_NO_ANSWER, "BUSY": REASON_BUSY, "CHANUNAVAIL": REASON_FAILURE}


class SpyDesk:
    def __init__(
        self,
        pbx: LabSipPbx,
        *,
        tone_mode: bool,
        speech_dir: Path | None,
        channel_lookup: Callable[[str], Headers | None] | None,
    ) -> None:
        self._pbx = pbx
        self.tone_mode = tone_mode
        self._speech_dir = speech_dir
        self._channel_lookup = channel_lookup
        self.spies: list[Spy] = []
        self.sim_calls: dict[str, SimCall] = {}

    def statuses(self) -> list[SpyStatus]:
        return [s.status() for s in self.spies if s.state is not SpyState.ENDED]

    # ------------------------------------------------------------------ new spies

    def add(self, leg: Leg, ext: str, options: str, exten: str, state: SpyState) -> Spy:
        parsed = ChanSpyOptions.parse(options)
        spy = Spy(leg, ext, parsed, parsed.mode, exten, state)
        leg.spy = spy
        self.spies.append(spy)
        self._pbx.changed()
        return spy

    # ------------------------------------------------------------------ leg events

    def originate_answered(self, leg: Leg) -> None:
        spy = leg.spy
        if spy is None:
            return
        pbx = self._pbx
        leg.chan.state = 6
        pbx.emit(tpl.newstate(leg.chan))
        pbx.emit(ev.dest_only("DialEnd", leg.chan, [("DialStatus", "ANSWER")]))
        spy.state = SpyState.WAITING
        if spy.on_result is not None:
            chan = leg.chan
            pbx.report(
                spy.on_result,
                OriginateResult(
                    True, REASON_ANSWERED, chan.name, chan.uniqueid, chan.cid_num, chan.cid_name
                ),
            )
        pbx.changed()

    def leg_ended(self, spy: Spy) -> None:
        pbx = self._pbx
        if spy.state is SpyState.SPYING:
            pbx.emit(ev.chanspy("ChanSpyStop", spy.leg.chan, spy.spyee_block))
        elif spy.state is SpyState.DIALLING:
            status = dial_status(spy.leg.end_code, spy.leg.timed_out)
            pbx.emit(ev.dest_only("DialEnd", spy.leg.chan, [("DialStatus", status)]))
            if spy.on_result is not None:
                chan = spy.leg.chan
                pbx.report(
                    spy.on_result,
                    OriginateResult(
                        False,
                        _REASONS[status],
                        chan.name,
                        chan.uniqueid,
                        chan.cid_num,
                        chan.cid_name,
                    ),
                )
        self._release_audio(spy)
        spy.state = SpyState.ENDED
        spy.target = None
        if spy in self.spies:
            self.spies.remove(spy)

    def digit_pressed(self, leg: Leg, digit: str) -> bool:
        """True when the digit switched the mode (the bridge must be re-wired now)."""
        spy = leg.spy
        if spy is None or spy.state is SpyState.ENDED:
            return False
        mode = dtmf_mode(spy.options, digit)
        if mode is None or mode is spy.mode:
            return False
        spy.mode = mode
        return True

    def target_gone(self, conn: Connection) -> None:
        for spy in self.spies:
            if spy.target is conn and spy.state is SpyState.SPYING:
                self._stop_spying(spy)

    def stop_all(self) -> None:
        """Shutdown: ChanSpyStop for every active spy (their legs are hung up next)."""
        for spy in self.spies:
            if spy.state is SpyState.SPYING:
                self._pbx.emit(ev.chanspy("ChanSpyStop", spy.leg.chan, spy.spyee_block))
            self._release_audio(spy)
            spy.state = SpyState.ENDED

    # ------------------------------------------------------------------ every poll

    def update(self, now: float) -> None:
        for spy in list(self.spies):
            if spy.state is SpyState.DIALLING and now >= spy.deadline and not spy.leg.timed_out:
                spy.leg.timed_out = True
                self._pbx.hangup_leg(spy.leg, 487)
            if spy.state is SpyState.SPYING:
                if not self._target_alive(spy):
                    self._stop_spying(spy)
                elif spy.beep is not None and not spy.beep.media.isBusy():
                    self._pbx.forget_port(spy.beep.key)
                    spy.beep = None
                    self._pbx.changed()
            if spy.state is SpyState.WAITING and spy.leg.answered and not spy.leg.ended:
                target = self._find_target(spy.ext)
                if target is not None:
                    self._start_spying(spy, target)

    def links(self, ports: dict[str, object]) -> set[tuple[str, str]]:
        """Bridge links of every active spy; adds the spies' own sources to `ports`."""
        desired: set[tuple[str, str]] = set()
        for spy in self.spies:
            if spy.state is not SpyState.SPYING or spy.leg.key not in ports:
                continue
            if spy.beep is not None:
                ports[spy.beep.key] = spy.beep.media
                desired.add((spy.beep.key, spy.leg.key))
            target = spy.target
            if isinstance(target, Connection):
                spied = target.party_of(spy.ext)
                other = target.other(spied) if spied is not None else None
                agent = spied.key if spied is not None and spied.key in ports else None
                caller = other.key if other is not None and other.key in ports else None
                desired |= spy_links(spy.mode, caller, agent, spy.leg.key)
            elif isinstance(target, SimCall) and len(spy.sources) == 2:
                for source in spy.sources:
                    ports[source.key] = source.media
                caller_src, agent_src = spy.sources
                desired |= simulated_spy_links(caller_src.key, agent_src.key, spy.leg.key)
        return desired

    # ------------------------------------------------------------------ internals

    def _target_alive(self, spy: Spy) -> bool:
        target = spy.target
        if isinstance(target, Connection):
            return target.state is ConnState.CONNECTED
        if isinstance(target, SimCall):
            # A newer simulated call is a new target; a real call takes precedence.
            return (
                self.sim_calls.get(spy.ext) is target
                and self._pbx.router.find_call_of(spy.ext) is None
            )
        return False

    def _find_target(self, ext: str) -> Connection | SimCall | None:
        return (
            self._pbx.router.find_call_of(ext)
            or self.sim_calls.get(ext)
            or self._looked_up_call(ext)
        )

    def _looked_up_call(self, ext: str) -> SimCall | None:
        """A simulated call nobody announced (e.g. connected before the SIP side started),
        found through `channel_lookup`; recorded so `clear_simulated_call` ends it."""
        if self._channel_lookup is None:
            return None
        block = self._channel_lookup(ext)
        if not block:
            return None
        fields = dict(block)
        sim = SimCall(
            ext, fields.get("ConnectedLineNum", ""), "", fields.get("Language", ""), list(block)
        )
        self.sim_calls[ext] = sim
        return sim

    def _start_spying(self, spy: Spy, target: Connection | SimCall) -> None:
        spy.target = target
        spy.state = SpyState.SPYING
        if isinstance(target, Connection):
            spied = target.party_of(spy.ext)
            assert spied is not None
            spy.spyee_block = tpl.channel_block(spied.chan)
        else:
            spy.spyee_block = self._sim_spyee_block(target)
            key = f"{target.agent_ext}/{target.caller_number}"
            try:
                spy.sources = [
                    make_source(
                        role,
                        target.language,
                        key,
                        tone_mode=self.tone_mode,
                        speech_dir=self._speech_dir,
                    )
                    for role in ("caller", "agent")
                ]
            except pj.Error as exc:
                log.warning(
                    "lab SIP: no audio for the simulated call of %s: %s", spy.ext, exc.info()
                )
                spy.sources = []
        if not spy.options.quiet:
            try:
                spy.beep = make_tone(BEEP_HZ, loop=False, on_ms=BEEP_MS)
            except pj.Error:
                spy.beep = None
        self._pbx.emit(ev.chanspy("ChanSpyStart", spy.leg.chan, spy.spyee_block))
        self._pbx.changed()

    def _sim_spyee_block(self, sim: SimCall) -> Headers:
        if sim.agent_channel:
            return list(sim.agent_channel)
        if self._channel_lookup is not None:
            looked_up = self._channel_lookup(sim.agent_ext)
            if looked_up:
                return list(looked_up)
        pbx = self._pbx
        chan = pbx.new_chan(sim.agent_ext, pbx.display_name(sim.agent_ext), "agents", "s")
        chan.state = 6
        chan.conn_num = sim.caller_number
        return tpl.channel_block(chan)

    def _stop_spying(self, spy: Spy) -> None:
        """The spied call ended: ChanSpyStop; E → hang up, else wait for the next call."""
        self._pbx.emit(ev.chanspy("ChanSpyStop", spy.leg.chan, spy.spyee_block))
        self._release_audio(spy)
        spy.target = None
        if spy.options.exit_on_hangup:
            spy.state = SpyState.ENDED
            self._pbx.hangup_leg(spy.leg)
        else:
            spy.state = SpyState.WAITING
        self._pbx.changed()

    def _release_audio(self, spy: Spy) -> None:
        for source in [*spy.sources, *([spy.beep] if spy.beep is not None else [])]:
            self._pbx.forget_port(source.key)
        spy.sources = []
        spy.beep = None
