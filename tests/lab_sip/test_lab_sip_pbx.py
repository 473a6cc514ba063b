"""The lab's SIP side end to end: real pjsua2 phones register and call a LabSipPbx.

Two processes besides pytest (pjsua2 allows one Endpoint per process): the lab runner
(`lab_runner.py`, a LabSipPbx printing its AMI events) and the parties (`sip_party.py`:
caller 2001, agent 1001, supervisor 1900 as pjsua2 accounts). Each party plays its own tone
(caller 600 Hz, agent 1100 Hz, supervisor 2500 Hz, as in the fixtures) and records what it
receives; `cti.audio.tones` measures the recordings (present >= -20 dBFS, absent <= -45).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_sip_harness import Headers, Lab, Parties

from cti.audio import tones

pytestmark = pytest.mark.sip

ACCOUNTS = {"1001": "agent-pw", "1002": "agent2-pw", "1900": "sup-pw", "2001": "caller-pw"}
TONES = {"caller": tones.CALLER_HZ, "agent": tones.AGENT_HZ, "supervisor": tones.SUPERVISOR_HZ}
# What each listener must hear in each mode (DESIGN.md "Monitoring"): the 12 cells.
CELLS = [
    ("supervisor", "caller"),
    ("supervisor", "agent"),
    ("agent", "supervisor"),
    ("caller", "supervisor"),
]
EXPECTED = {
    "listen": {("supervisor", "caller"), ("supervisor", "agent")},
    "whisper": {("supervisor", "caller"), ("supervisor", "agent"), ("agent", "supervisor")},
    "barge": set(CELLS),
}
PARTY_OF = {"supervisor": "sup", "agent": "agent", "caller": "caller"}
SETTLE_S = 0.3  # skip the start of each recording: audio already on its way when it began


def capture_field_variants(fixtures_dir: Path) -> dict[str, set[tuple[str, ...]]]:
    """Event name → the field-name sequences Asterisk sent for it in the captured scenario."""
    text = (fixtures_dir / "ami-scenario.txt").read_bytes().decode("utf-8", "replace")
    variants: dict[str, set[tuple[str, ...]]] = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        names = [line.split(":", 1)[0] for line in block.split("\n") if ":" in line]
        if names and names[0] == "Event":
            event = block.split("\n", 1)[0].split(":", 1)[1].strip()
            variants.setdefault(event, set()).add(tuple(n for n in names if n != "ActionID"))
    return variants


def assert_like_the_capture(events: list[Headers], fixtures_dir: Path) -> set[str]:
    """Every event whose name the capture has carries one of the captured field lists."""
    variants = capture_field_variants(fixtures_dir)
    checked = set()
    for event in events:
        name = dict(event)["Event"]
        if name in variants:
            fields = tuple(k for k, _ in event)
            assert fields in variants[name], f"{name} fields differ from the capture: {fields}"
            checked.add(name)
    return checked


def named(events: list[Headers], name: str) -> list[dict[str, str]]:
    return [dict(e) for e in events if dict(e).get("Event") == name]


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    process = Lab(ACCOUNTS)
    yield process
    assert process.close() == 0, process.tail()


@pytest.fixture
def parties() -> Iterator[Parties]:
    process = Parties()
    yield process
    assert process.close() == 0, process.tail()


@pytest.mark.timeout(60)
def test_registration_with_digest_auth(lab: Lab, parties: Parties) -> None:
    start = len(lab.event_list())
    bad = parties.command(
        op="account", name="bad", user="1002", password="wrong", registrar=lab.registrar
    )
    assert not bad["ok"] and bad["code"] == 403
    ok = parties.command(
        op="account", name="temp", user="1002", password="agent2-pw", registrar=lab.registrar
    )
    assert ok == {"ok": True, "code": 200}
    assert "1002" in lab.command(op="registered")["users"]
    reachable = lab.wait_event(
        lambda e: e.get("Event") == "PeerStatus" and e["Peer"] == "PJSIP/1002", start=start
    )
    assert reachable["PeerStatus"] == "Reachable"
    events = lab.event_list()[start:]
    assert [e["AccountID"] for e in named(events, "InvalidPassword")] == ["1002"]
    assert named(events, "ContactStatus")[0]["ContactStatus"] == "NonQualified"

    off = parties.command(op="unregister", name="temp")
    assert off["ok"]
    removed = lab.wait_event(
        lambda e: e.get("Event") == "ContactStatus" and e["ContactStatus"] == "Removed",
        start=start,
    )
    assert removed["AOR"] == "1002"
    assert "1002" not in lab.command(op="registered")["users"]


@pytest.mark.timeout(60)
def test_spying_on_a_simulated_call_plays_speech(
    lab: Lab, parties: Parties, tmp_path: Path, repo_root: Path
) -> None:
    start = len(lab.event_list())
    parties.must(op="account", name="sup", user="1900", password="sup-pw", registrar=lab.registrar)
    lab.command(op="set_sim", ext="1007", caller="13700137000", queue="support", language="zh")
    parties.must(op="call", name="sup", to="*2211007")
    lab.wait_event(lambda e: e.get("Event") == "ChanSpyStart", start=start)
    path = parties.must(op="record", prefix=str(tmp_path / "speech"), seconds=1.5)["paths"]["sup"]
    audio = tones.read_wav(path).slice(SETTLE_S)
    assert tones.rms_dbfs(audio.samples) > -40.0  # speech clips (or tones without clips)
    if list((repo_root / "resources" / "speech").glob("caller-zh-*.wav")):
        # Real speech, not the fallback test tones.
        assert tones.tone_levels(audio, [tones.CALLER_HZ])[tones.CALLER_HZ] < -25.0
    lab.command(op="clear_sim", ext="1007")
    parties.must(op="wait_gone", name="sup")


def dbfs_matrix(lab: Lab, parties: Parties, tmp_path: Path) -> dict[str, dict[str, float]]:
    """Listen → whisper → barge → listen on ONE call, switched by DTMF 5/6/4."""
    measured: dict[str, dict[str, float]] = {}
    for label, digit in (("listen", None), ("whisper", "5"), ("barge", "6"), ("listen2", "4")):
        if digit is not None:
            mark = len(lab.event_list())
            parties.must(op="dtmf", name="sup", digits=digit)
            lab.wait_event(
                lambda e, d=digit: e.get("Event") == "DTMFBegin" and e["Digit"] == d, start=mark
            )
        paths = parties.must(op="record", prefix=str(tmp_path / label), seconds=1.2)["paths"]
        for listener, source in CELLS:
            path = paths[PARTY_OF[listener]]
            level = tones.wav_tone_levels(path, [TONES[source]], start_s=SETTLE_S)[TONES[source]]
            measured.setdefault(label, {})[f"{listener} hears {source}"] = round(level, 1)
    return measured


@pytest.mark.timeout(90)
def test_who_hears_whom_through_the_lab(
    lab: Lab, parties: Parties, tmp_path: Path, fixtures_dir: Path
) -> None:
    start = len(lab.event_list())
    registrar = lab.registrar
    parties.must(
        op="account",
        name="agent",
        user="1001",
        password="agent-pw",
        registrar=registrar,
        tone_hz=tones.AGENT_HZ,
        auto_answer=True,
    )
    parties.must(
        op="account",
        name="caller",
        user="2001",
        password="caller-pw",
        registrar=registrar,
        tone_hz=tones.CALLER_HZ,
    )
    parties.must(
        op="account",
        name="sup",
        user="1900",
        password="sup-pw",
        registrar=registrar,
        tone_hz=tones.SUPERVISOR_HZ,
    )
    parties.must(op="call", name="caller", to="600")
    parties.must(op="wait_call", name="agent")
    parties.must(op="call", name="sup", to="*2211001")
    spy_start = lab.wait_event(lambda e: e.get("Event") == "ChanSpyStart", start=start)

    measured = dbfs_matrix(lab, parties, tmp_path)
    print("\nwho-hears-whom dBFS (lab, PCMU):\n" + json.dumps(measured, indent=1))
    failures = []
    for label, cells in measured.items():
        mode = label.rstrip("2")
        for cell, level in cells.items():
            listener, _, source = cell.partition(" hears ")
            expected = (listener, source) in EXPECTED[mode]
            if not tones.check(level, expected):
                failures.append(f"{label}: {cell} {level} dBFS, expected present={expected}")
    assert not failures, failures

    # The caller hangs up: app_queue's end of call, then ChanSpy exits (E) and hangs up.
    parties.must(op="hangup", name="caller")
    parties.must(op="wait_gone", name="sup")
    parties.must(op="wait_gone", name="agent")
    lab.wait_event(
        lambda e: e.get("Event") == "Hangup" and e["Channel"].startswith("PJSIP/1900-"), start=start
    )
    raw = lab.event_list()[start:]
    events = [dict(e) for e in raw]

    caller_chan = named(raw, "QueueCallerJoin")[0]
    assert (caller_chan["Queue"], caller_chan["Exten"], caller_chan["Context"]) == (
        "support",
        "600",
        "customers",
    )
    connect = named(raw, "AgentConnect")[0]
    assert connect["Interface"] == "PJSIP/1001"
    assert connect["DestLinkedid"] == caller_chan["Uniqueid"]  # Linkedid = the caller's Uniqueid
    agent_channel = connect["DestChannel"]
    assert agent_channel.startswith("PJSIP/1001-")
    assert spy_start["SpyeeChannel"] == agent_channel
    assert spy_start["SpyeeLinkedid"] == caller_chan["Uniqueid"]
    assert spy_start["SpyerExten"] == "*2211001"
    spyer = spy_start["SpyerChannel"]
    digits = [
        (e["Event"], e["Digit"])
        for e in events
        if e.get("Event", "").startswith("DTMF") and e["Channel"] == spyer
    ]
    assert digits == [
        ("DTMFBegin", "5"),
        ("DTMFEnd", "5"),
        ("DTMFBegin", "6"),
        ("DTMFEnd", "6"),
        ("DTMFBegin", "4"),
        ("DTMFEnd", "4"),
    ]
    order = [
        e["Event"]
        for e in events
        if e.get("Event") in ("AgentComplete", "ChanSpyStop", "BridgeDestroy")
    ]
    assert order == ["AgentComplete", "BridgeDestroy", "ChanSpyStop"]
    assert named(raw, "AgentComplete")[0]["Reason"] == "caller"
    hung_up = {e["Channel"] for e in named(raw, "Hangup")}
    assert {caller_chan["Channel"], agent_channel, spyer} <= hung_up
    checked = assert_like_the_capture(raw, fixtures_dir)
    assert {
        "ChanSpyStart",
        "ChanSpyStop",
        "DTMFBegin",
        "DTMFEnd",
        "Newchannel",
        "Hangup",
        "DialBegin",
        "DialEnd",
        "AgentConnect",
        "AgentComplete",
        "BridgeEnter",
        "QueueCallerJoin",
        "PeerStatus",
        "ContactStatus",
    } <= checked


@pytest.fixture(scope="module")
def tone_lab() -> Iterator[Lab]:
    process = Lab(ACCOUNTS, tone_mode=True, ring_timeout=1.0)
    yield process
    assert process.close() == 0, process.tail()


def heard(parties: Parties, tmp_path: Path, label: str) -> dict[float, float]:
    path = parties.must(op="record", prefix=str(tmp_path / label), seconds=1.0)["paths"]["sup"]
    return tones.wav_tone_levels(path, [tones.CALLER_HZ, tones.AGENT_HZ], start_s=SETTLE_S)


@pytest.mark.timeout(60)
def test_spying_on_a_simulated_call_and_by_originate(
    tone_lab: Lab, parties: Parties, tmp_path: Path, fixtures_dir: Path
) -> None:
    lab = tone_lab
    start = len(lab.event_list())
    parties.must(
        op="account",
        name="sup",
        user="1900",
        password="sup-pw",
        registrar=lab.registrar,
        tone_hz=tones.SUPERVISOR_HZ,
        auto_answer=True,
    )
    lab.command(op="set_sim", ext="1005", caller="13800138000", queue="support", language="zh")
    parties.must(op="call", name="sup", to="*2221005")
    spy = lab.wait_event(lambda e: e.get("Event") == "ChanSpyStart", start=start)
    assert spy["SpyeeChannel"].startswith("PJSIP/1005-")
    assert spy["SpyeeConnectedLineNum"] == "13800138000"
    levels = heard(parties, tmp_path, "sim-whisper")
    assert all(tones.check(v, expected=True) for v in levels.values()), levels

    lab.command(op="clear_sim", ext="1005")  # the simulated call ends: E hangs the spy up
    parties.must(op="wait_gone", name="sup")
    lab.wait_event(lambda e: e.get("Event") == "ChanSpyStop", start=start)

    mark = len(lab.event_list())
    channel = lab.command(op="originate", spyer="PJSIP/1900", spyee="PJSIP/1005", options="qEw")[
        "channel"
    ]
    assert channel.startswith("PJSIP/1900-")
    result = lab.wait_result()
    assert (result["success"], result["reason"], result["channel"]) == (True, 4, channel)
    parties.must(op="wait_call", name="sup")
    lab.command(op="set_sim", ext="1005", caller="13900139000", queue="support", language="en")
    spy = lab.wait_event(lambda e: e.get("Event") == "ChanSpyStart", start=mark)
    assert (spy["SpyerChannel"], spy["SpyerExten"]) == (channel, "s")
    levels = heard(parties, tmp_path, "originate-whisper")
    assert all(tones.check(v, expected=True) for v in levels.values()), levels
    assert lab.command(op="hangup", channel=channel) == {"ok": True}
    parties.must(op="wait_gone", name="sup")
    lab.wait_event(lambda e: e.get("Event") == "Hangup" and e["Channel"] == channel, start=mark)
    assert lab.command(op="spies") == {"spies": []}

    # A simulated call nobody announced (running before the SIP side started) is found
    # through channel_lookup, with the simulation's own channel identity.
    block = [
        ("Channel", "PJSIP/1006-0000002a"),
        ("ChannelState", "6"),
        ("ChannelStateDesc", "Up"),
        ("CallerIDNum", "1006"),
        ("CallerIDName", "Agent Six"),
        ("ConnectedLineNum", "13600136000"),
        ("ConnectedLineName", "<unknown>"),
        ("Language", "en"),
        ("AccountCode", ""),
        ("Context", "agents"),
        ("Exten", "600"),
        ("Priority", "1"),
        ("Uniqueid", "1795337205.42"),
        ("Linkedid", "1795337204.41"),
    ]
    mark = len(lab.event_list())
    lab.command(op="set_lookup", ext="1006", block=block)
    parties.must(op="call", name="sup", to="*2211006")
    spy = lab.wait_event(lambda e: e.get("Event") == "ChanSpyStart", start=mark)
    assert [(k[5:], v) for k, v in spy.items() if k.startswith("Spyee")] == block
    levels = heard(parties, tmp_path, "lookup-listen")
    assert all(tones.check(v, expected=True) for v in levels.values()), levels
    lab.command(op="clear_sim", ext="1006")
    parties.must(op="wait_gone", name="sup")

    lab.command(op="originate", spyer="1002", spyee="1005", options="q")  # not registered
    failed = lab.wait_result()
    assert (failed["success"], failed["reason"]) == (False, 0)

    events = lab.event_list()[start:]
    begins = [e for e in named(events, "DialBegin") if e["DestChannel"] == channel]
    assert begins and "Channel" not in begins[0]  # an originated channel has no caller side
    assert_like_the_capture(events, fixtures_dir)


@pytest.mark.timeout(60)
def test_caller_abandons_a_queue_without_agents(tone_lab: Lab, parties: Parties) -> None:
    lab = tone_lab
    start = len(lab.event_list())
    parties.must(
        op="account",
        name="caller",
        user="2001",
        password="caller-pw",
        registrar=lab.registrar,
        tone_hz=tones.CALLER_HZ,
    )
    parties.must(op="call", name="caller", to="601")  # answered, then waits in the queue
    join = lab.wait_event(lambda e: e.get("Event") == "QueueCallerJoin", start=start)
    assert join["Queue"] == "complaints"
    parties.must(op="hangup", name="caller")
    abandon = lab.wait_event(lambda e: e.get("Event") == "QueueCallerAbandon", start=start)
    assert (abandon["Queue"], abandon["Position"], abandon["OriginalPosition"]) == (
        "complaints",
        "1",
        "1",
    )
    lab.wait_event(
        lambda e: e.get("Event") == "Hangup" and e["Channel"] == join["Channel"], start=start
    )
    not_found = parties.command(op="call", name="caller", to="*999")
    assert not not_found["ok"] and not_found["code"] == 404


@pytest.mark.timeout(60)
def test_ring_no_answer_then_next_agent_and_direct_dial(
    tone_lab: Lab, parties: Parties, tmp_path: Path
) -> None:
    lab = tone_lab
    start = len(lab.event_list())
    registrar = lab.registrar
    parties.must(
        op="account",
        name="agent",
        user="1001",
        password="agent-pw",
        registrar=registrar,
        tone_hz=tones.AGENT_HZ,
        ring_only=True,
    )
    parties.must(
        op="account",
        name="agent2",
        user="1002",
        password="agent2-pw",
        registrar=registrar,
        tone_hz=tones.AGENT_HZ,
        auto_answer=True,
    )
    parties.must(
        op="account",
        name="caller",
        user="2001",
        password="caller-pw",
        registrar=registrar,
        tone_hz=tones.CALLER_HZ,
    )
    parties.must(op="call", name="caller", to="600")
    parties.must(op="wait_call", name="agent2", wait_s=15)
    assert parties.must(op="rung", name="agent")["rung"] == 1
    lab.wait_event(lambda e: e.get("Event") == "AgentConnect", start=start)
    events = lab.event_list()[start:]
    no_answer = named(events, "AgentRingNoAnswer")
    assert [e["Interface"] for e in no_answer] == ["PJSIP/1001"]
    assert int(no_answer[0]["RingTime"]) >= 1000  # milliseconds, as app_queue reports it
    assert [e["Interface"] for e in named(events, "AgentConnect")] == ["PJSIP/1002"]
    statuses = [e["DialStatus"] for e in named(events, "DialEnd")]
    assert statuses == ["NOANSWER", "ANSWER"]

    parties.must(op="hangup", name="agent2")
    parties.must(op="wait_gone", name="caller")
    complete = lab.wait_event(lambda e: e.get("Event") == "AgentComplete", start=start)
    assert complete["Reason"] == "agent"

    mark = len(lab.event_list())
    parties.must(op="call", name="caller", to="1002")  # Dial(PJSIP/1002): rung, then bridged
    parties.must(op="wait_call", name="agent2")
    paths = parties.must(op="record", prefix=str(tmp_path / "dial"), seconds=1.0)["paths"]
    caller_hears = tones.wav_tone_levels(paths["caller"], [tones.AGENT_HZ], start_s=SETTLE_S)
    agent_hears = tones.wav_tone_levels(paths["agent2"], [tones.CALLER_HZ], start_s=SETTLE_S)
    assert tones.check(caller_hears[tones.AGENT_HZ], expected=True), caller_hears
    assert tones.check(agent_hears[tones.CALLER_HZ], expected=True), agent_hears
    parties.must(op="hangup", name="caller")
    parties.must(op="wait_gone", name="agent2")
    lab.wait_event(lambda e: e.get("Event") == "BridgeDestroy", start=mark)
    events = lab.event_list()[mark:]
    assert not named(events, "AgentConnect")  # not a queue call
    bridge = named(events, "BridgeEnter")
    assert {e["Channel"].split("-")[0] for e in bridge} == {"PJSIP/1002", "PJSIP/2001"}
