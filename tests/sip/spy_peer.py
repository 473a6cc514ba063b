"""A minimal ChanSpy-like SIP peer for the phone's tests (run as its own process).

It is what a PBX looks like from the supervisor's phone during monitoring, no more: it
answers any call (printing the dialled number), sends the monitored call's audio (a
600 Hz + 1100 Hz mix: caller + agent), tracks the mode by the RFC 2833 digits it gets
(4 listen, 5 whisper, 6 barge) and measures the 2500 Hz level of what the supervisor sent
in each mode segment. Commands on stdin: `report`, `hangup`, `quit`. One JSON object per
line on stdout. Being a separate process it can be killed to play a PBX that vanished.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import select
import sys
import time

import numpy as np
import pjsua2 as pj

MODES = {"4": "listen", "5": "whisper", "6": "barge"}


def say(**kw: object) -> None:
    print(json.dumps(kw), flush=True)


def goertzel_dbfs(x: np.ndarray, hz: float) -> float:
    if len(x) < 160:
        return -150.0
    w = np.hanning(len(x))
    amp = (
        2
        * abs(np.dot(x / 32768.0 * w, np.exp(-2j * np.pi * hz * np.arange(len(x)) / 8000)))
        / w.sum()
    )
    return max(-150.0, 20 * math.log10(amp)) if amp > 0 else -150.0


class Port(pj.AudioMediaPort):
    def __init__(self) -> None:
        super().__init__()
        self.n = 0
        self.rx: list[tuple[float, bytes]] = []
        t = np.arange(160)
        self.frames = [
            (
                (
                    np.sin(2 * np.pi * 600 * (t + k * 160) / 8000)
                    + np.sin(2 * np.pi * 1100 * (t + k * 160) / 8000)
                )
                * 0.3
                * 32767
            )
            .astype("<i2")
            .tobytes()
            for k in range(40)
        ]
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, 8000, 1, 20000, 16)
        self.createPort("peer", fmt)

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        try:
            frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
            frame.buf = pj.ByteVector(self.frames[self.n % 40])
            frame.size = 320
            self.n += 1
        except Exception as exc:
            say(error=str(exc))

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        try:
            if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO and frame.size:
                self.rx.append((time.monotonic(), bytes(frame.buf)))
        except Exception as exc:
            say(error=str(exc))


class Call(pj.Call):
    def __init__(self, acc: pj.Account, cid: int, peer: Peer) -> None:
        super().__init__(acc, cid)
        self.peer = peer

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        try:
            info = self.getInfo()
            if info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
                self.peer.ended = True
                say(event="disconnected")
        except Exception as exc:
            say(error=str(exc))

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        try:
            m = self.getAudioMedia(-1)
            self.peer.port.startTransmit(m)
            m.startTransmit(self.peer.port)
            self.peer.segments.append(("start", time.monotonic()))
        except Exception as exc:
            say(error=str(exc))

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        try:
            self.peer.segments.append((str(prm.digit), time.monotonic()))
            say(event="dtmf", digit=str(prm.digit))
        except Exception as exc:
            say(error=str(exc))


class Acc(pj.Account):
    def __init__(self, peer: Peer) -> None:
        super().__init__()
        self.peer = peer

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        try:
            call = Call(self, prm.callId, self.peer)
            self.peer.calls.append(call)
            self.peer.segments.clear()  # a report covers the latest call only
            self.peer.port.rx.clear()
            info = call.getInfo()
            say(event="incoming", uri=str(info.localUri), request=str(info.localContact))
            op = pj.CallOpParam()
            op.statusCode = 200
            call.answer(op)
        except Exception as exc:
            say(error=str(exc))


class Peer:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.segments: list[tuple[str, float]] = []
        self.ended = False
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.logConfig.level = 0
        cfg.logConfig.consoleLevel = 0
        self.ep.libInit(cfg)
        tc = pj.TransportConfig()
        tc.port = 0
        tc.boundAddress = "127.0.0.1"
        tid = self.ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
        self.port_no = int(str(self.ep.transportGetInfo(tid).localName).rsplit(":", 1)[1])
        self.ep.libStart()
        self.ep.audDevManager().setNullDev()
        self.ep.codecSetPriority("PCMU/8000", 255)
        self.port = Port()
        ac = pj.AccountConfig()
        ac.idUri = "sip:pbx@127.0.0.1"
        ac.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        self.acc = Acc(self)
        self.acc.create(ac)

    def report(self) -> dict[str, object]:
        levels: dict[str, float] = {}
        marks = [(d, t) for d, t in self.segments if d in MODES or d == "start"]
        marks.append(("end", time.monotonic()))
        mode = "listen"
        for (d, t0), (_, t1) in itertools.pairwise(marks):
            if d in MODES:
                mode = MODES[d]
            chunk = [f for ts, f in list(self.port.rx) if t0 + 0.15 <= ts < t1]
            x = np.frombuffer(b"".join(chunk), "<i2").astype(float)
            level = goertzel_dbfs(x, 2500.0)
            levels[mode] = max(levels.get(mode, -150.0), level)
        return {"levels": levels, "digits": [d for d, _ in self.segments if d != "start"]}

    def run(self) -> None:
        say(ready=self.port_no)
        while True:
            self.ep.libHandleEvents(10)
            if select.select([sys.stdin], [], [], 0)[0]:
                line = sys.stdin.readline().strip()
                if line in ("quit", ""):
                    break
                if line == "report":
                    say(**self.report())
                elif line == "hangup":
                    self.ep.hangupAllCalls()
        self.ep.hangupAllCalls()
        t = time.monotonic()
        while time.monotonic() - t < 0.3:
            self.ep.libHandleEvents(10)
        self.calls.clear()
        del self.port
        gc.collect()
        self.acc.shutdown()
        del self.acc
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        say(event="bye")


if __name__ == "__main__":
    Peer().run()
