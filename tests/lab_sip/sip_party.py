"""Test parties for the lab's SIP side: pjsua2 phones driven by JSON lines on stdin.

Runs as its own process (pjsua2 allows one Endpoint per process and the lab has its own).
Each command line is a JSON object with "op"; each answer is one stdout line
`REPLY {"ok": ..., ...}`. Accounts register with the lab like real phones (digest auth),
play their own tone into every call and can record what each call receives.

Commands:
  account   name user password registrar(host:port) [tone_hz] [auto_answer] [register]
  call      name to [wait_s]                   → confirmed call with media
  wait_call name [wait_s]                      → an incoming call is confirmed (auto-answer)
  dtmf      name digits
  record    prefix seconds [dtmf_at dtmf_name dtmf_digits] → one WAV per account with a call
  hangup    name
  wait_gone name [wait_s]                      → the account's call has ended
  unregister name
  quit
"""

from __future__ import annotations

import contextlib
import gc
import json
import queue
import sys
import threading
import time
from typing import Any

import pjsua2 as pj


class Party(pj.Account):  # type: ignore[misc]
    def __init__(
        self, driver: Driver, name: str, tone_hz: float, auto_answer: bool, ring_only: bool
    ) -> None:
        super().__init__()
        self.ring_only = ring_only
        self.rung = 0
        self.driver = driver
        self.name = name
        self.tone_hz = tone_hz
        self.auto_answer = auto_answer
        self.reg_code = 0
        self.reg_active = False
        self.reg_done = False
        self.call: PartyCall | None = None
        self.ended_calls: list[PartyCall] = []

    def onRegState(self, prm: Any) -> None:
        self.reg_code = int(prm.code)
        self.reg_active = self.getInfo().regIsActive
        self.reg_done = True

    def onIncomingCall(self, prm: Any) -> None:
        call = PartyCall(self, prm.callId)
        self.rung += 1
        if self.ring_only and self.call is None:
            self.call = call  # rings until the caller gives up
            op = pj.CallOpParam()
            op.statusCode = 180
            call.answer(op)
            return
        if self.call is not None or not self.auto_answer:
            op = pj.CallOpParam()
            op.statusCode = 486
            call.answer(op)
            self.ended_calls.append(call)
            return
        self.call = call
        op = pj.CallOpParam()
        op.statusCode = 180
        call.answer(op)
        op = pj.CallOpParam()
        op.statusCode = 200
        call.answer(op)


class PartyCall(pj.Call):  # type: ignore[misc]
    def __init__(self, party: Party, call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(party, call_id)
        self.party = party
        self.confirmed = False
        self.disconnected = False
        self.media: Any = None
        self.tone: Any = None
        self.tone_desc: Any = None
        self.last_code = 0

    def onCallState(self, prm: Any) -> None:
        info = self.getInfo()
        self.last_code = int(info.lastStatusCode)
        if info.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.confirmed = True
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.disconnected = True
            self.media = None
            if self.party.call is self:
                self.party.call = None
                self.party.ended_calls.append(self)

    def onCallMediaState(self, prm: Any) -> None:
        info = self.getInfo()
        for index, item in enumerate(info.media):
            if item.type == pj.PJMEDIA_TYPE_AUDIO and item.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                self.media = self.getAudioMedia(index)
                if self.party.tone_hz and self.tone is None:
                    self.tone = pj.ToneGenerator()
                    self.tone.createToneGenerator(8000, 1)
                    desc = pj.ToneDesc()
                    desc.freq1 = int(self.party.tone_hz)
                    desc.freq2 = 0
                    desc.on_msec = 30000
                    desc.off_msec = 0
                    desc.volume = 0
                    self.tone_desc = pj.ToneDescVector()
                    self.tone_desc.append(desc)
                    self.tone.play(self.tone_desc, True)
                if self.tone is not None:
                    self.tone.startTransmit(self.media)
                # Keep the call's jitter buffer drained (the bridge reads only listened ports).
                self.media.startTransmit(self.party.driver.sink)


class Driver:
    def __init__(self) -> None:
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.maxCalls = 4
        cfg.logConfig.level = 1
        cfg.logConfig.consoleLevel = 1
        cfg.medConfig.clockRate = 8000
        cfg.medConfig.sndClockRate = 8000
        cfg.medConfig.noVad = True
        cfg.medConfig.ecTailLen = 0
        self.ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.port = 0
        tcfg.boundAddress = "127.0.0.1"
        self.tid = self.ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        self.ep.libStart()
        self.ep.audDevManager().setNullDev()
        self.sink = self.ep.audDevManager().getPlaybackDevMedia()
        for codec in self.ep.codecEnum2():
            self.ep.codecSetPriority(codec.codecId, 0)
        self.ep.codecSetPriority("PCMU/8000", 255)
        self.ep.codecSetPriority("PCMA/8000", 254)
        self.parties: dict[str, Party] = {}
        self.outgoing: list[PartyCall] = []
        self.commands: queue.Queue[str | None] = queue.Queue()

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.ep.libHandleEvents(5)

    def pump_until(self, condition: Any, seconds: float) -> bool:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if condition():
                return True
            self.ep.libHandleEvents(5)
        return bool(condition())

    # ---- commands -----------------------------------------------------------------

    def op_account(self, c: dict[str, Any]) -> dict[str, Any]:
        party = Party(
            self,
            c["name"],
            float(c.get("tone_hz", 0)),
            bool(c.get("auto_answer")),
            bool(c.get("ring_only")),
        )
        acfg = pj.AccountConfig()
        registrar = c["registrar"]
        acfg.idUri = f"sip:{c['user']}@{registrar}"
        acfg.sipConfig.transportId = self.tid
        acfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        register = bool(c.get("register", True))
        acfg.regConfig.registerOnAdd = register
        if register:
            acfg.regConfig.registrarUri = f"sip:{registrar}"
            acfg.regConfig.timeoutSec = int(c.get("expires", 300))
            acfg.regConfig.retryIntervalSec = 0
        acfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", c["user"], 0, c["password"]))
        if c.get("proxy", True):
            acfg.sipConfig.proxies.append(f"sip:{registrar};lr")
        party.create(acfg)
        self.parties[c["name"]] = party
        if not register:
            return {"ok": True}
        self.pump_until(lambda: party.reg_done, float(c.get("wait_s", 5)))
        return {"ok": party.reg_active, "code": party.reg_code}

    def op_call(self, c: dict[str, Any]) -> dict[str, Any]:
        party = self.parties[c["name"]]
        registrar = party.getInfo().uri.split("@", 1)[1]
        call = PartyCall(party)
        party.call = call
        try:
            call.makeCall(f"sip:{c['to']}@{registrar}", pj.CallOpParam(True))
        except pj.Error as exc:
            party.call = None
            return {"ok": False, "error": exc.info()}
        self.outgoing.append(call)
        ok = self.pump_until(
            lambda: call.disconnected or (call.confirmed and call.media is not None),
            float(c.get("wait_s", 5)),
        )
        return {"ok": ok and not call.disconnected, "code": call.last_code}

    def op_wait_call(self, c: dict[str, Any]) -> dict[str, Any]:
        party = self.parties[c["name"]]

        def ready() -> bool:
            return party.call is not None and party.call.confirmed and party.call.media is not None

        return {"ok": self.pump_until(ready, float(c.get("wait_s", 5)))}

    def op_dtmf(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self.parties[c["name"]].call
        if call is None:
            return {"ok": False, "error": "no call"}
        call.dialDtmf(c["digits"])
        return {"ok": True}

    def op_record(self, c: dict[str, Any]) -> dict[str, Any]:
        recorders: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for name, party in self.parties.items():
            call = party.call
            if call is None or call.media is None:
                continue
            path = f"{c['prefix']}-{name}.wav"
            recorder = pj.AudioMediaRecorder()
            recorder.createRecorder(path)
            call.media.startTransmit(recorder)
            recorders[name] = recorder
            paths[name] = path
        dtmf_at = c.get("dtmf_at")  # optional: press a digit this far into the recording
        if dtmf_at is None:
            self.pump(float(c["seconds"]))
        else:
            self.pump(float(dtmf_at))
            call = self.parties[c["dtmf_name"]].call
            if call is not None:
                call.dialDtmf(c["dtmf_digits"])
            self.pump(float(c["seconds"]) - float(dtmf_at))
        for name, rec in recorders.items():
            call = self.parties[name].call
            if call is not None and call.media is not None:
                with contextlib.suppress(pj.Error):
                    call.media.stopTransmit(rec)
        del rec, recorder
        recorders.clear()
        gc.collect()
        self.pump(0.15)  # the WAV header is written when the recorder port is gone
        return {"ok": True, "paths": paths}

    def op_hangup(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self.parties[c["name"]].call
        if call is None:
            return {"ok": False, "error": "no call"}
        call.hangup(pj.CallOpParam())
        return {"ok": True}

    def op_wait_gone(self, c: dict[str, Any]) -> dict[str, Any]:
        party = self.parties[c["name"]]
        ok = self.pump_until(lambda: party.call is None, float(c.get("wait_s", 5)))
        return {"ok": ok}

    def op_rung(self, c: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "rung": self.parties[c["name"]].rung}

    def op_unregister(self, c: dict[str, Any]) -> dict[str, Any]:
        party = self.parties[c["name"]]
        party.reg_done = False
        party.setRegistration(False)
        self.pump_until(lambda: party.reg_done, float(c.get("wait_s", 5)))
        return {"ok": not party.reg_active, "code": party.reg_code}

    # ---- loop ---------------------------------------------------------------------

    def run(self) -> None:
        def reader() -> None:
            for line in sys.stdin:
                self.commands.put(line)
            self.commands.put(None)

        threading.Thread(target=reader, daemon=True).start()
        print("READY {}", flush=True)
        while True:
            try:
                line = self.commands.get_nowait()
            except queue.Empty:
                self.ep.libHandleEvents(10)
                continue
            if line is None:
                break
            command = json.loads(line)
            if command["op"] == "quit":
                break
            try:
                reply = getattr(self, f"op_{command['op']}")(command)
            except Exception as exc:
                reply = {"ok": False, "error": repr(exc)}
            print("REPLY " + json.dumps(reply), flush=True)
        self.close()

    def close(self) -> None:
        self.ep.hangupAllCalls()
        self.pump_until(
            lambda: (
                all(p.call is None for p in self.parties.values())
                and all(c.disconnected for c in self.outgoing)
            ),
            2.0,
        )
        for party in self.parties.values():
            party.call = None
            party.ended_calls.clear()
        self.outgoing.clear()
        self.sink = None
        gc.collect()
        for party in self.parties.values():
            party.shutdown()
        self.parties.clear()
        gc.collect()
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        print("BYE {}", flush=True)


if __name__ == "__main__":
    Driver().run()
