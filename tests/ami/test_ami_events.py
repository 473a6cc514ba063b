"""Typed events: every event of the real capture, and the field-name drift between versions."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cti.ami import events as ev
from cti.ami.codec import AmiCodec
from cti.ami.events import TYPED_EVENT_NAMES, to_event
from cti.ami.message import Message

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "asterisk-22"


def _event_messages(path: Path) -> list[Message]:
    codec = AmiCodec("client")
    codec.receive_data(path.read_bytes())
    out = []
    while (item := codec.next_message()) is not None:
        if isinstance(item, Message) and item.is_event:
            out.append(item)
    return out


@pytest.fixture(scope="module")
def scenario_events() -> list[ev.AmiEvent]:
    return [to_event(m, 1.5) for m in _event_messages(FIXTURES / "ami-scenario.txt")]


def test_every_event_of_the_capture_converts(scenario_events: list[ev.AmiEvent]) -> None:
    raw = (FIXTURES / "ami-scenario.txt").read_bytes()
    expected = Counter(m.decode() for m in re.findall(rb"^Event: ([^\r\n]*)\r$", raw, re.M))
    assert Counter(e.name for e in scenario_events) == expected
    for e in scenario_events:
        assert e.received_at == 1.5
        assert e.message.is_event
        if e.name in TYPED_EVENT_NAMES:
            assert not isinstance(e, ev.GenericEvent), e.name
            assert type(e).event_name == e.name or e.name in ("Join", "Leave")
        elif e.name.endswith("Complete"):
            assert isinstance(e, ev.ListComplete)
        else:
            assert isinstance(e, ev.GenericEvent) and e.event == e.name


def test_examples_file_events_convert() -> None:
    text = (FIXTURES / "ami-event-examples.txt").read_text()
    blocks = [b for b in text.split("\n\n") if b.startswith("Event: ")]
    assert len(blocks) > 40
    for block in blocks:
        m = Message.from_wire(block.replace("\n", "\r\n"))
        e = to_event(m)
        assert e.name == m.name


def _first(events: list[ev.AmiEvent], cls: type[ev.AmiEvent]) -> ev.AmiEvent:
    return next(e for e in events if type(e) is cls)


def test_member_fields_from_list_item_and_event(scenario_events: list[ev.AmiEvent]) -> None:
    item = _first(scenario_events, ev.QueueMember)
    event = _first(scenario_events, ev.QueueMemberStatus)
    assert isinstance(item, ev.QueueMember) and isinstance(event, ev.QueueMemberStatus)
    # List item says Name/Location, the event MemberName/Interface: same fields after typing.
    assert (item.member_name, item.interface) == ("Agent 1001", "PJSIP/1001")
    assert (event.member_name, event.interface) == ("Agent 1001", "PJSIP/1001")
    assert item.status == 1 and item.paused is False and item.in_call is False
    assert item.ring_in_use is None  # QueueMember items carry no Ringinuse
    assert event.status == 6 and event.ring_in_use is False
    pause = _first(scenario_events, ev.QueueMemberPause)
    assert isinstance(pause, ev.QueueMemberPause)
    assert pause.paused is True and pause.paused_reason == "lunch"


def test_ring_time_is_milliseconds_everywhere(scenario_events: list[ev.AmiEvent]) -> None:
    connect = _first(scenario_events, ev.AgentConnect)
    rna = _first(scenario_events, ev.AgentRingNoAnswer)
    assert isinstance(connect, ev.AgentConnect) and isinstance(rna, ev.AgentRingNoAnswer)
    assert connect.message.get("RingTime") == "1" and connect.ring_time_ms == 1000
    assert rna.message.get("RingTime") == "8000" and rna.ring_time_ms == 8000
    assert connect.hold_time_s == 1
    assert connect.channel is not None and connect.dest is not None
    assert connect.channel.linkedid == connect.dest.linkedid == "1795337204.0"
    assert connect.dest.device == "PJSIP/1001"
    assert connect.interface == "PJSIP/1001"


def test_bridge_id_aliases(scenario_events: list[ev.AmiEvent]) -> None:
    enter = _first(scenario_events, ev.BridgeEnter)
    csc = _first(scenario_events, ev.CoreShowChannel)
    assert isinstance(enter, ev.BridgeEnter) and isinstance(csc, ev.CoreShowChannel)
    assert enter.bridge_id == csc.bridge_id == "eeb89068-4df9-4dc1-b750-36c2fd74939f"
    assert csc.duration_s == 4
    assert enter.bridge_creator == ""  # "<unknown>"


def test_spy_and_originate(scenario_events: list[ev.AmiEvent]) -> None:
    spy = _first(scenario_events, ev.ChanSpyStart)
    assert isinstance(spy, ev.ChanSpyStart) and spy.spyee is not None
    assert spy.spyer.exten == "*2211001"
    assert spy.spyee.linkedid == "1795337204.0"
    assert spy.spyer.connected_line_num == ""  # "<unknown>"
    orig = _first(scenario_events, ev.OriginateResponse)
    assert isinstance(orig, ev.OriginateResponse)
    assert orig.success and orig.reason == 4 and orig.action_id == "originate-30"
    dtmf = [e for e in scenario_events if isinstance(e, ev.DTMFEnd)]
    assert [d.digit for d in dtmf] == ["5", "6", "4"]
    assert dtmf[0].duration_ms == 200


def test_device_state_and_abandon(scenario_events: list[ev.AmiEvent]) -> None:
    ds = _first(scenario_events, ev.DeviceStateChange)
    assert isinstance(ds, ev.DeviceStateChange)
    assert (ds.device, ds.state, ds.state_code) == ("PJSIP/1002", "NOT_INUSE", 1)
    ab = _first(scenario_events, ev.QueueCallerAbandon)
    assert isinstance(ab, ev.QueueCallerAbandon)
    assert (ab.position, ab.original_position, ab.hold_time_s) == (2, 3, 10)


def test_list_items_keep_their_action_id(scenario_events: list[ev.AmiEvent]) -> None:
    params = _first(scenario_events, ev.QueueParams)
    done = _first(scenario_events, ev.QueueStatusComplete)
    assert isinstance(params, ev.QueueParams) and isinstance(done, ev.QueueStatusComplete)
    assert params.action_id == done.action_id == "queuestatus-7"
    assert params.hold_time_s == 0 and params.service_level_s == 20
    assert done.list_items == 2


def _msg(*headers: tuple[str, str]) -> Message:
    return Message(list(headers))


def test_older_dialects_by_presence() -> None:
    # Asterisk 11: Join, Location, Ringtime, QueueMemberPaused, Hold with Status: Off.
    join = to_event(
        _msg(("Event", "Join"), ("Channel", "SIP/2001-1"), ("Queue", "support"), ("Position", "1"))
    )
    assert isinstance(join, ev.QueueCallerJoin)
    assert join.channel.name == "SIP/2001-1" and join.count is None
    status = to_event(
        _msg(
            ("Event", "QueueMemberStatus"),
            ("Queue", "support"),
            ("Location", "SIP/1001"),
            ("MemberName", "Agent"),
            ("Status", "2"),
            ("Paused", "0"),
        )
    )
    assert isinstance(status, ev.QueueMemberStatus)
    assert status.interface == "SIP/1001" and status.status == 2
    assert status.wrapup_time_s is None and status.login_time is None
    paused = to_event(_msg(("Event", "QueueMemberPaused"), ("Location", "SIP/1"), ("Paused", "1")))
    assert isinstance(paused, ev.QueueMemberPause) and paused.paused is True
    connect = to_event(
        _msg(
            ("Event", "AgentConnect"), ("Member", "SIP/1001"), ("Holdtime", "7"), ("Ringtime", "3")
        )
    )
    assert isinstance(connect, ev.AgentConnect)
    assert (connect.interface, connect.hold_time_s, connect.ring_time_ms) == ("SIP/1001", 7, 3000)
    assert connect.channel is None and connect.dest is None
    unhold = to_event(_msg(("Event", "Hold"), ("Channel", "SIP/1-1"), ("Status", "Off")))
    assert isinstance(unhold, ev.Unhold)


def test_lower_case_dialect_is_read_case_insensitively() -> None:
    e = to_event(Message.from_wire("event: QueueMemberStatus\r\nqueue: q\r\ninterface: PJSIP/7"))
    assert isinstance(e, ev.QueueMemberStatus)
    assert (e.queue, e.interface) == ("q", "PJSIP/7")


def test_odd_values_do_not_break_typing() -> None:
    e = to_event(
        _msg(("Event", "QueueMemberStatus"), ("Status", "N/A"), ("Penalty", ""), ("Paused", "x"))
    )
    assert isinstance(e, ev.QueueMemberStatus)
    assert e.status is None and e.penalty is None and e.paused is None


def test_to_event_refuses_non_events() -> None:
    with pytest.raises(ValueError, match="not an AMI event"):
        to_event(_msg(("Response", "Success")))


def test_events_are_frozen(scenario_events: list[ev.AmiEvent]) -> None:
    e = scenario_events[0]
    with pytest.raises(AttributeError):
        e.received_at = 2.0  # type: ignore[misc]
