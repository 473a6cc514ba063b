"""Console-side SIP phone scenarios, each run in its own process by the tests.

pjsua2 allows one Endpoint per process and aborts the process if a Call outlives
`libDestroy`, so every scenario runs here, in a child process, and prints ONE JSON line
(prefixed `RESULT `) that the test asserts on; the child's exit code proves that the
shutdown released every pj object (an abort would show as a signal).

Usage: python tests/sip/phone_scenarios.py SCENARIO [ARG ...]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cti.sip.audio_bridge import AudioBridge, MicSource
from cti.sip.config import MonitorMode, MonitorProfile, SipAccountConfig
from cti.sip.events import (
    MonitorEnded,
    MonitorModeChanged,
    MonitorStarted,
    RegistrationChanged,
    RegState,
    SipEvent,
)
from cti.sip.monitor import MonitorSession
from cti.sip.phone import SipPhone


class Audit:
    def __init__(self) -> None:
        self.rows: list[str] = []

    def session_started(self, event: MonitorStarted) -> None:
        self.rows.append(f"started:{event.mode}:{event.agent}:{event.agent_call}")

    def mode_changed(self, event: MonitorModeChanged) -> None:
        self.rows.append(f"mode:{event.old_mode}->{event.mode}")

    def session_ended(self, event: MonitorEnded) -> None:
        self.rows.append(f"ended:{event.reason}")


def wait(phone: SipPhone, cond: Any, timeout: float, events: list[SipEvent]) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        phone.poll(10)
        events.extend(phone.drain_events())
        if cond():
            return True
    return False


def pump(phone: SipPhone, seconds: float, events: list[SipEvent]) -> None:
    wait(phone, lambda: False, seconds, events)


def supervisor(peer_port: int) -> SipAccountConfig:
    return SipAccountConfig(registrar=f"127.0.0.1:{peer_port}", user="1900", register=False)


def result(**kw: Any) -> None:
    print("RESULT " + json.dumps(kw), flush=True)


def monitor_modes(peer_port: int) -> None:
    """listen → whisper → barge → listen against the spy peer, loud tone as microphone."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    bridge = AudioBridge(phone)
    bridge.set_mic_source(MicSource.TONE, 2500.0, -3.0)  # a loud "microphone"
    heard: list[bytes] = []
    bridge.add_tap(lambda ts, frame: heard.append(frame))
    audit = Audit()
    session = MonitorSession(phone, acc, audit, audio_port=bridge.port_name)
    session.start("1001", MonitorMode.LISTEN, agent_call="linked-1")
    ok = wait(phone, lambda: session.active, 5, events)
    linked: dict[str, bool] = {}
    for mode in (MonitorMode.LISTEN, MonitorMode.WHISPER, MonitorMode.BARGE, MonitorMode.LISTEN):
        if mode is not session.mode:
            session.set_mode(mode)
        pump(phone, 0.6, events)
        linked[f"{len(linked)}:{mode}"] = session.mic_linked()
    quality = session.quality()
    session.stop()
    wait(phone, lambda: not session.busy, 5, events)
    import numpy as np

    from cti.audio.tones import goertzel_dbfs

    x = np.frombuffer(b"".join(heard[-40:]), "<i2")
    levels = {hz: goertzel_dbfs(x, hz, 8000) for hz in (600.0, 1100.0, 2500.0)}
    session.close()
    bridge.close()
    phone.shutdown()
    result(
        started=ok,
        linked=linked,
        audit=audit.rows,
        heard={str(k): v for k, v in levels.items()},
        mos=quality.mos if quality else None,
        states=[str(e.state) for e in events if type(e).__name__ == "MonitorStateChanged"],
        live=phone.live_objects(),
        levels_meter=bridge.levels().speaker_dbfs,
    )


def headset(peer_port: int, output: str, input_: str) -> None:
    """The real audio path: PortAudio devices (ALSA file/null plugins made by the test).

    Listen 1.5 s, whisper 1 s. The "microphone" device plays a loud 2500 Hz tone.
    """
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    bridge = AudioBridge(phone)
    bridge.open_devices(output, input_)
    bridge.play_test_tone(1000.0, 0.3)  # the device check before any call
    pump(phone, 0.3, events)
    audit = Audit()
    session = MonitorSession(phone, acc, audit, audio_port=bridge.port_name)
    session.start("1001", MonitorMode.LISTEN)
    ok = wait(phone, lambda: session.active, 5, events)
    pump(phone, 1.5, events)
    listen_levels = bridge.levels()
    session.set_mode(MonitorMode.WHISPER)
    pump(phone, 1.0, events)
    whisper_levels = bridge.levels()
    session.stop()
    wait(phone, lambda: not session.busy, 5, events)
    stats = bridge.stats()
    session.close()
    bridge.close()
    phone.shutdown()
    result(
        started=ok,
        listen_speaker_dbfs=listen_levels.speaker_dbfs,
        whisper_mic_dbfs=whisper_levels.mic_dbfs,
        stats={k: getattr(stats, k) for k in stats.__dataclass_fields__},
        audit=audit.rows,
        live=phone.live_objects(),
    )


def no_devices(peer_port: int) -> None:
    """PortAudio present but no device: a clear message, monitoring still works."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    bridge = AudioBridge(phone)
    from cti.sip.audio_bridge import AudioUnavailableError

    message = ""
    try:
        bridge.open_devices()
    except AudioUnavailableError as exc:
        message = str(exc)
    session = MonitorSession(phone, acc, Audit(), audio_port=bridge.port_name)
    session.start("1001")
    ok = wait(phone, lambda: session.active, 5, events)
    pump(phone, 0.5, events)
    heard = bridge.stats().frames_heard
    session.stop()
    wait(phone, lambda: not session.busy, 5, events)
    session.close()
    bridge.close()
    phone.shutdown()
    result(message=message, started=ok, heard=heard, live=phone.live_objects())


def push_to_talk(peer_port: int) -> None:
    """Whisper with push-to-talk: the microphone is linked only while the key is held;
    a second session is refused while one runs."""
    from cti.sip.monitor import MonitorBusyError

    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    bridge = AudioBridge(phone)
    session = MonitorSession(phone, acc, Audit(), audio_port=bridge.port_name, push_to_talk=True)
    session.start("1001", MonitorMode.WHISPER)
    wait(phone, lambda: session.active, 5, events)
    steps = {}
    pump(phone, 0.1, events)
    steps["released"] = session.mic_linked()
    session.set_talking(True)
    pump(phone, 0.1, events)
    steps["held"] = session.mic_linked()
    session.set_talking(False)
    pump(phone, 0.1, events)
    steps["released_again"] = session.mic_linked()
    try:
        session.start("1002")
        steps["second_refused"] = False
    except MonitorBusyError:
        steps["second_refused"] = True
    session.set_talking(True)
    session.set_mode(MonitorMode.LISTEN)  # listen wins over a held key
    pump(phone, 0.1, events)
    steps["listen_while_held"] = session.mic_linked()
    session.stop()
    wait(phone, lambda: not session.busy, 5, events)
    session.close()
    bridge.close()
    phone.shutdown()
    result(steps=steps, live=phone.live_objects())


def lifecycle_edges(peer_port: int) -> None:
    """Originate refused; Originate accepted but no call; phone shut down mid-session."""
    from concurrent.futures import Future

    from cti.sip.ami_originate import OriginateOutcome
    from cti.sip.config import SpyMethod
    from cti.sip.monitor import OriginateRequest

    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    requests: list[OriginateRequest] = []
    answers = iter([OriginateOutcome(False, "Originate failed"), OriginateOutcome(True, "")])

    def originate(request: OriginateRequest) -> Future[OriginateOutcome]:
        requests.append(request)
        future: Future[OriginateOutcome] = Future()
        future.set_result(next(answers))
        return future

    audit = Audit()
    profile = MonitorProfile(method=SpyMethod.ORIGINATE, connect_timeout_s=1.0)
    session = MonitorSession(phone, acc, audit, profile=profile, originate=originate)
    session.start("1001", MonitorMode.WHISPER)
    wait(phone, lambda: not session.busy, 5, events)
    session.start("1002", MonitorMode.BARGE)
    wait(phone, lambda: not session.busy, 5, events)
    # Now by feature code, and the phone is shut down while the session runs.
    session.start("1003", MonitorMode.LISTEN, method=SpyMethod.FEATURE_CODE)
    wait(phone, lambda: session.active, 5, events)
    phone.shutdown()
    result(
        requests=[(r.channel, r.application, r.data) for r in requests],
        audit=audit.rows,
        state=str(session.state),
        live=phone.live_objects(),
    )


def peer_vanishes(peer_port: int) -> None:
    """Listen; the test kills the peer; the session must end by media timeout."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    bridge = AudioBridge(phone)
    audit = Audit()
    profile = MonitorProfile(media_timeout_s=1.5)
    session = MonitorSession(phone, acc, audit, profile=profile, audio_port=bridge.port_name)
    session.start("1001", MonitorMode.WHISPER)
    ok = wait(phone, lambda: session.active, 5, events)
    print("ACTIVE", flush=True)
    ended = wait(phone, lambda: not session.busy, 15, events)
    session.close()
    bridge.close()
    phone.shutdown()
    result(
        started=ok,
        ended=ended,
        audit=audit.rows,
        state=str(session.state),
        live=phone.live_objects(),
    )


def remote_hangup(peer_port: int) -> None:
    """Listen; the test makes the peer hang up (ChanSpy's E: the agent's call ended)."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    acc = phone.add_account(supervisor(peer_port))
    audit = Audit()
    session = MonitorSession(phone, acc, audit)  # no audio port: silent monitoring works
    session.start("1001")
    ok = wait(phone, lambda: session.active, 5, events)
    print("ACTIVE", flush=True)
    ended = wait(phone, lambda: not session.busy, 10, events)
    session.close()
    phone.shutdown()
    result(started=ok, ended=ended, audit=audit.rows, live=phone.live_objects())


def register(registrar: str, user: str, password: str) -> None:
    """Register and report the first final outcome (and the phone's clean exit)."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    cfg = SipAccountConfig(
        registrar=registrar, user=user, password=password, retry_s=60, register_timeout_s=2.0
    )
    acc = phone.add_account(cfg)
    wait(
        phone,
        lambda: phone.registration(acc).state in (RegState.REGISTERED, RegState.FAILED),
        40,
        events,
    )
    status = phone.registration(acc)
    regs = [e for e in events if isinstance(e, RegistrationChanged)]
    phone.shutdown()
    result(
        state=str(status.state),
        failure=str(status.failure),
        code=status.code,
        message=status.message,
        events=len(regs),
        live=phone.live_objects(),
    )


def loud_listen(ready_json: str) -> None:
    """The self-test on the lab with the supervisor's input at -1 dBFS (a shout), the spy
    call made by AMI Originate this time."""
    from cti.sip.ami_originate import AmiOriginator
    from cti.sip.config import SpyMethod
    from cti.sip.monitor_check import MonitoringCheck, lab_target

    ready = json.loads(ready_json)
    target = lab_target(ready, spy_method=SpyMethod.ORIGINATE)
    originator = AmiOriginator(
        ready["ami_host"], ready["ami_port"], ready["ami_user"], ready["ami_secret"]
    )
    check = MonitoringCheck(target, originate=originator, supervisor_tone_dbfs=-1.0)
    outcome = check.run()
    originator.close()
    result(
        cells=[c.to_json() for c in outcome.cells],
        error=outcome.error,
        audit=list(outcome.audit),
    )


def pbx_restart(host: str, port: int, user: str, password: str, agent: str) -> None:
    """Registered + monitoring on the lab; the test kills the lab, then starts a new one on
    the same SIP port (stdin line RESTARTED). Session must end, registration must settle."""
    phone = SipPhone(bind_host="127.0.0.1", fast_destroy=True)
    phone.start()
    events: list[SipEvent] = []
    cfg = SipAccountConfig(
        registrar=f"{host}:{port}", user=user, password=password, register_timeout_s=2.0
    )
    acc = phone.add_account(cfg)
    registered = wait(
        phone, lambda: phone.registration(acc).state is RegState.REGISTERED, 10, events
    )
    bridge = AudioBridge(phone)
    audit = Audit()
    profile = MonitorProfile(media_timeout_s=1.5)
    session = MonitorSession(phone, acc, audit, profile=profile, audio_port=bridge.port_name)
    session.start(agent, MonitorMode.LISTEN)
    ok = wait(phone, lambda: session.active, 10, events)
    print("ACTIVE", flush=True)
    ended = wait(phone, lambda: not session.busy, 15, events)
    phone.reregister(acc)
    down = wait(phone, lambda: phone.registration(acc).state is RegState.FAILED, 10, events)
    down_status = phone.registration(acc)
    print("DOWN", flush=True)
    sys.stdin.readline()  # the test restarted the PBX
    phone.reregister(acc)
    settled = wait(
        phone,
        lambda: (
            phone.registration(acc).state is not RegState.FAILED
            or phone.registration(acc).failure is not down_status.failure
        ),
        10,
        events,
    )
    after = phone.registration(acc)
    session.close()
    bridge.close()
    phone.shutdown()
    result(
        registered=registered,
        started=ok,
        ended=ended,
        audit=audit.rows,
        down=down,
        down_failure=str(down_status.failure),
        settled=settled,
        after_state=str(after.state),
        after_failure=str(after.failure),
        after_message=after.message,
        live=phone.live_objects(),
    )


if __name__ == "__main__":
    name, args = sys.argv[1], sys.argv[2:]
    scenarios = {
        "monitor_modes": lambda: monitor_modes(int(args[0])),
        "peer_vanishes": lambda: peer_vanishes(int(args[0])),
        "remote_hangup": lambda: remote_hangup(int(args[0])),
        "register": lambda: register(args[0], args[1], args[2]),
        "headset": lambda: headset(int(args[0]), args[1], args[2]),
        "no_devices": lambda: no_devices(int(args[0])),
        "loud_listen": lambda: loud_listen(args[0]),
        "push_to_talk": lambda: push_to_talk(int(args[0])),
        "lifecycle_edges": lambda: lifecycle_edges(int(args[0])),
        "pbx_restart": lambda: pbx_restart(args[0], int(args[1]), args[2], args[3], args[4]),
    }
    scenarios[name]()
