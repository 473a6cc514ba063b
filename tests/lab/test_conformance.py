"""The lab speaks the captured Asterisk 22 dialect: per event name and per action response,
the same fields in the same order (and the same Privilege) as the real capture."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from cti.ami.codec import AmiCodec
from cti.ami.message import Banner, Message
from cti.lab.ami_session import AmiSession
from cti.lab.clock import ScaledClock
from cti.lab.pbx import LabPbx
from cti.lab.scenario import parse_scenario
from cti.lab.simulation import HotlineSimulation

T0 = 1_795_337_200.0
Shape = tuple[tuple[str, ...], str]  # field names in order, Privilege value

# Events the lab sends that the capture has no example of, and why that is fine.
NOT_IN_CAPTURE = {
    "ChannelHungup": "list item of a regex Hangup that matched channels (none in the capture)",
}
REQUIRED = {
    "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "AgentCalled", "AgentConnect",
    "AgentComplete", "AgentRingNoAnswer", "QueueMemberStatus", "QueueMemberPause",
    "QueueMemberAdded", "QueueMemberRemoved", "Newchannel", "Newstate", "Hangup", "DialBegin",
    "DialEnd", "BridgeEnter", "BridgeLeave", "BridgeCreate", "BridgeDestroy", "QueueParams",
    "QueueMember", "QueueEntry", "QueueSummary", "CoreShowChannel", "Status", "FullyBooted",
    "SuccessfulAuth", "OriginateResponse",
}  # fmt: skip


def shape(m: Message | list[tuple[str, str]]) -> Shape:
    headers = m.headers if isinstance(m, Message) else tuple(m)
    names = tuple(k for k, _ in headers)
    privilege = next((v for k, v in headers if k == "Privilege"), "")
    return names, privilege


def fixture_messages(fixtures: Path) -> list[Message]:
    out: list[Message] = []
    for name in (
        "ami-scenario.txt",
        "ami-bad-restart.txt",
        "ami-bad-stop.txt",
        "ami-bad-malformed.txt",
    ):
        codec = AmiCodec("client")
        codec.receive_data((fixtures / name).read_bytes())
        while (item := codec.next_message()) is not None:
            if isinstance(item, Message):
                out.append(item)
    text = (fixtures / "ami-event-examples.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for block in body.split("\n\n"):
        if block.strip():
            codec = AmiCodec("client")
            codec.receive_data(
                b"Asterisk Call Manager/11.0.0\r\n"
                + block.strip("\n").replace("\n", "\r\n").encode()
                + b"\r\n\r\n"
            )
            item = codec.next_message()
            while isinstance(item, Banner):
                item = codec.next_message()
            assert isinstance(item, Message)
            out.append(item)
    return out


@pytest.fixture(scope="module")
def captured(fixtures_dir: Path) -> tuple[dict[str, set[Shape]], dict[str, set[Shape]]]:
    events: dict[str, set[Shape]] = defaultdict(set)
    responses: dict[str, set[Shape]] = defaultdict(set)
    for m in fixture_messages(fixtures_dir):
        if m.is_event:
            events[m.name].add(shape(m))
        elif m.is_response and m.action_id:
            action = m.action_id.rsplit("-", 1)[0]
            responses[action].add(shape(m))
    return events, responses


def conformance_scenario() -> HotlineSimulation:
    sc = parse_scenario(
        {
            "scenario": {"name": "conformance", "start": "10:00", "verbose_events": True},
            "defaults": {"timeout_s": 8, "retry_s": 2, "wrapup_s": 5, "max_wait_s": 200},
            "queue": [
                {"name": "support", "number": "600", "calls_per_hour": 150, "talk_median_s": 60},
                {
                    "name": "complaints",
                    "number": "601",
                    "strategy": "ringall",
                    "calls_per_hour": 30,
                },
            ],
            "agents": [
                {"ext_start": 1001, "count": 3, "queues": ["support"], "no_answer_prob": 0.2},
                {
                    "ext_start": 1004,
                    "count": 2,
                    "queues": ["complaints", "support"],
                    "shift": ["10:00", "10:30"],
                },
            ],
            "breaks": [{"reason": "lunch", "rate_per_hour": 2, "mean_minutes": 3, "per_shift": 0}],
        }
    )
    return HotlineSimulation(sc, start_epoch=T0)


def lab_messages() -> tuple[list[list[tuple[str, str]]], dict[str, list[list[tuple[str, str]]]]]:
    """Every event the simulation emitted over 2 h, plus the lab's responses per action."""
    sim = conformance_scenario()
    now = [0.0]
    clock = ScaledClock(lambda: now[0], T0, 1.0)
    pbx = LabPbx(sim, clock, lambda: now[0], None, T0)
    session = AmiSession(pbx, {"console": "console-secret"})
    events = [*sim.take_events()]
    responses: dict[str, list[list[tuple[str, str]]]] = defaultdict(list)

    def act(action_id: str, *headers: tuple[str, str]) -> None:
        reply = session.handle(
            Message([("Action", action_id.rsplit("-", 1)[0]), ("ActionID", action_id), *headers])
        )
        assert reply is not None
        for frame in reply.frames:
            if frame[0][0] == "Response":
                responses[action_id.rsplit("-", 1)[0]].append(frame)
            else:
                events.append(frame)
        events.extend(pbx.take_events())

    act("login-1", ("Username", "console"), ("Secret", "console-secret"), ("Events", "on"))
    for step in range(1, 13):
        now[0] = step * 600.0
        pbx.sync()
        events.extend(pbx.take_events())
        act(f"queuestatus-{step}")
        act(f"queuesummary-{step}")
        act(f"coreshowchannels-{step}")
        act(f"status-{step}")
        act(f"ping-{step}")
    act("coresettings-1")
    act("corestatus-1")
    act("command-1", ("Command", "core show version"))
    act("queueadd-1", ("Queue", "support"), ("Interface", "PJSIP/1091"), ("MemberName", "Real"))
    act(
        "queuepause-1",
        ("Queue", "support"),
        ("Interface", "PJSIP/1001"),
        ("Paused", "true"),
        ("Reason", "lunch"),
    )
    act("queueremove-1", ("Queue", "support"), ("Interface", "PJSIP/1091"))
    act(
        "originate-1",
        ("Channel", "PJSIP/1900"),
        ("Application", "ChanSpy"),
        ("Data", "PJSIP/1001,qw"),
        ("Async", "true"),
    )
    victim = next(iter(sim.channels))
    act("hangup-1", ("Channel", victim), ("Cause", "16"))
    act("logoff-1")
    return events, responses


def test_every_event_matches_the_capture(
    captured: tuple[dict[str, set[Shape]], dict[str, set[Shape]]],
) -> None:
    fixture_events, _ = captured
    events, _ = lab_messages()
    seen: dict[str, set[Shape]] = defaultdict(set)
    for e in events:
        seen[dict(e)["Event"]].add(shape(e))
    missing = REQUIRED - set(seen)
    assert not missing, f"the lab never sent {sorted(missing)}"
    for name, shapes in sorted(seen.items()):
        if name in NOT_IN_CAPTURE:
            continue
        assert name in fixture_events, f"{name} is not in the capture"
        for s in shapes:
            assert s in fixture_events[name], (
                f"{name}: {s} not among the captured {fixture_events[name]}"
            )


def test_every_response_matches_the_capture(
    captured: tuple[dict[str, set[Shape]], dict[str, set[Shape]]],
) -> None:
    _, fixture_responses = captured
    _, responses = lab_messages()
    assert set(responses) >= {"login", "ping", "queuestatus", "queueadd", "logoff", "originate"}
    for action, frames in responses.items():
        for frame in frames:
            assert shape(frame) in fixture_responses[action], f"{action}: {frame}"


def test_units_and_values_follow_the_capture() -> None:
    events, _ = lab_messages()
    by_name: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in events:
        by_name[dict(e)["Event"]].append(dict(e))
    assert {e["RingTime"] for e in by_name["AgentRingNoAnswer"]} == {"8000"}  # ms
    assert all(int(e["RingTime"]) < 8 for e in by_name["AgentConnect"])  # seconds
    assert {e["Membership"] for e in by_name["QueueMemberStatus"]} == {"dynamic"}
    assert {e["Status"] for e in by_name["QueueMemberStatus"]} <= {"1", "2", "6"}
    assert {e["DialStatus"] for e in by_name["DialEnd"]} <= {"ANSWER", "NOANSWER", "CANCEL"}
    assert {e["Cause-txt"] for e in by_name["Hangup"]} <= {
        "Normal Clearing",
        "Unknown",
        "Answered elsewhere",
    }
    for e in by_name["CoreShowChannel"]:
        hh, mm, ss = e["Duration"].split(":")
        assert len(hh) == len(mm) == len(ss) == 2
    for e in by_name["QueueParams"]:
        assert "." in e["ServicelevelPerf"] and "." in e["ServicelevelPerf2"]
