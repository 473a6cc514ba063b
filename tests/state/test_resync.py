"""A PBX restart in the middle of a shift: stale floor, then one atomic resync."""

from __future__ import annotations

from pathlib import Path

import pytest
from floor_scenario import T0, Floor

from cti.ami.codec import AmiCodec
from cti.ami.events import AmiEvent, to_event
from cti.ami.message import Message
from cti.ami.sync import SyncSnapshot
from cti.state.agent_state import AgentState
from cti.state.config import FloorConfig
from cti.state.store import FloorStore
from cti.state.views import SpyMode


def _item(name: str, *headers: tuple[str, str]) -> AmiEvent:
    return to_event(Message([("Event", name), *headers, ("ActionID", "sync-1")]))


def _member_item(
    queue: str,
    ext: str,
    *,
    last_call: int = 0,
    status: int = 1,
    paused: bool = False,
    reason: str = "",
) -> AmiEvent:
    return _item(
        "QueueMember",
        ("Queue", queue),
        ("Name", f"Agent {ext}"),
        ("Location", f"PJSIP/{ext}"),
        ("StateInterface", f"PJSIP/{ext}"),
        ("Membership", "dynamic"),
        ("Penalty", "0"),
        ("CallsTaken", "0"),
        ("LastCall", str(last_call)),
        ("LastPause", "0"),
        ("LoginTime", "0"),
        ("InCall", "0"),
        ("Status", str(status)),
        ("Paused", "1" if paused else "0"),
        ("PausedReason", reason),
        ("Wrapuptime", "0"),
    )


def _params(queue: str) -> AmiEvent:
    return _item("QueueParams", ("Queue", queue), ("Strategy", "rrmemory"), ("Calls", "0"))


def test_restart_keeps_day_figures_and_counts_lost_callers_as_other_exits() -> None:
    f = Floor()
    f.store.resync_items(
        [_params("support"), _member_item("support", "1001"), _member_item("support", "1002")]
    )
    assert f.store.is_live
    f.answered_call("support", "1001", wait=4, talk=50)  # ends at +54
    f.at(200)
    f.join("support", "2002")  # will be waiting when the PBX goes down
    f.at(210)
    c3 = f.join("support", "2003", position=2)
    f.at(215)
    f.called("support", c3, "1002")
    f.connect("support", c3, "1002", hold=5)
    f.at(230)
    f.event("Shutdown", ("Shutdown", "Cleanly"), ("Restart", "True"))
    assert not f.store.is_live
    assert f.store.floor().stale_reason == "PBX restarting"
    f.at(240)
    # After the restart only 1001 is back (a static member); nobody waits, nothing talks.
    f.store.apply_snapshot(
        SyncSnapshot(
            generation=2,
            taken_at=f.t,
            ami_version="11.0.0",
            asterisk_version="22.10.1",
            system_name="",
            queue_params=(_params("support"),),  # type: ignore[arg-type]
            queue_members=(_member_item("support", "1001"),),  # type: ignore[arg-type]
            queue_entries=(),
            queue_summaries=(),
            channels=(),
        )
    )
    assert f.store.is_live and f.store.drain_changes().floor
    assert f.store.floor().pbx_version == "22.10.1"
    q = f.store.queue("support")
    assert q is not None
    c = q.current
    # 2 answered before the restart, 2002 vanished while waiting (40 s) -> other exit
    assert (c.offered, c.answered, c.abandoned, c.other_exits) == (3, 2, 0, 1)
    assert c.max_wait_s == 40
    assert q.waiting == 0
    a1, a2 = f.store.agent("PJSIP/1001"), f.store.agent("PJSIP/1002")
    assert a1 is not None and a2 is not None
    assert a1.state is AgentState.READY
    assert (a2.state, a2.caller_number, a2.day.answered) == (AgentState.LOGGED_OUT, None, 1)
    # 215..240: while the floor is stale the last known state keeps counting (documented in
    # store.py); the resync at 240 ends it.
    assert a2.day.talk_s == 25
    # counting goes on after the resync
    f.at(300)
    f.answered_call("support", "1001", wait=2, talk=10)
    q = f.store.queue("support")
    assert q is not None and q.current.answered == 3
    a1 = f.store.agent("PJSIP/1001")
    assert a1 is not None and a1.day.answered == 2


def test_resync_rebuilds_calls_waiting_callers_spies_and_wrap_up() -> None:
    f = Floor(wrapup_s=30)
    f.at(1000)
    now = int(T0) + 1000
    items = [
        _params("support"),
        _member_item("support", "1001", status=2),
        _member_item("support", "1002", last_call=now - 3),
        _member_item("support", "1003", paused=True, reason="lunch"),
        _item(
            "QueueEntry",
            ("Queue", "support"),
            ("Position", "1"),
            ("Channel", "PJSIP/2009-00000011"),
            ("Uniqueid", "1795340000.17"),
            ("CallerIDNum", "2009"),
            ("CallerIDName", "Customer 2009"),
            ("Wait", "12"),
        ),
    ]

    def channel(
        name: str,
        uid: str,
        linked: str,
        num: str,
        app: str,
        data: str,
        bridge: str = "",
        dur: str = "00:00:42",
        connected: str = "",
    ) -> AmiEvent:
        return _item(
            "CoreShowChannel",
            ("Channel", name),
            ("ChannelState", "6"),
            ("CallerIDNum", num),
            ("CallerIDName", ""),
            ("ConnectedLineNum", connected or "<unknown>"),
            ("Uniqueid", uid),
            ("Linkedid", linked),
            ("Application", app),
            ("ApplicationData", data),
            ("Duration", dur),
            ("BridgeId", bridge),
        )

    items += [
        channel("PJSIP/2005-0000000e", "1.5", "1.5", "2005", "Queue", "support,r,,,300", "br-1"),
        channel(
            "PJSIP/1001-0000000f",
            "1.6",
            "1.5",
            "1001",
            "AppQueue",
            "(Outgoing Line)",
            "br-1",
            connected="2005",
        ),
        channel(
            "PJSIP/1900-00000010",
            "1.7",
            "1.7",
            "1900",
            "ChanSpy",
            "PJSIP/1001-,qEd",
            dur="00:00:05",
        ),
        channel(
            "PJSIP/2009-00000011",
            "1795340000.17",
            "1795340000.17",
            "2009",
            "Queue",
            "support,r,,,300",
            dur="00:00:12",
        ),
    ]
    f.store.resync_items(items)
    a1 = f.store.agent("PJSIP/1001")
    assert a1 is not None
    assert (a1.state, a1.caller_number, a1.call_queue) == (AgentState.TALKING, "2005", "support")
    assert a1.state_since == T0 + 1000 - 42
    (spy,) = a1.monitored_by
    assert (spy.spyer_number, spy.mode, spy.dtmf_switch) == ("1900", SpyMode.LISTEN, True)
    assert spy.spyee_channel == "PJSIP/1001-0000000f" and spy.call_linkedid == "1.5"
    a2 = f.store.agent("PJSIP/1002")
    assert a2 is not None
    assert (a2.state, a2.wrapup_until) == (AgentState.WRAP_UP, T0 + 1000 - 3 + 30)
    a3 = f.store.agent("PJSIP/1003")
    assert a3 is not None and (a3.state, a3.reason) == (AgentState.NOT_READY, "lunch")
    q = f.store.queue("support")
    assert q is not None
    assert q.waiting == 1 and q.longest_wait_s == 12 and q.callers[0].number == "2009"
    assert q.current.offered == 0  # sync lists are never counted
    # The waiting caller is answered after the resync: counted once, with its real wait.
    f.at(1010)
    f.leave("support", "1795340000.17")
    f.store.apply(
        to_event(
            Message(
                [
                    ("Event", "AgentConnect"),
                    ("Channel", "PJSIP/2009-00000011"),
                    ("CallerIDNum", "2009"),
                    ("Uniqueid", "1795340000.17"),
                    ("Linkedid", "1795340000.17"),
                    ("Queue", "support"),
                    ("Interface", "PJSIP/1003"),
                    ("MemberName", "Agent 1003"),
                    ("HoldTime", "22"),
                    ("RingTime", "1"),
                ]
            )
        )
    )
    q = f.store.queue("support")
    assert q is not None and (q.waiting, q.current.answered, q.current.asa_s) == (0, 1, 22)


def _events(data: bytes) -> list[tuple[Message, AmiEvent | None]]:
    codec = AmiCodec("client")
    codec.receive_data(data)
    out: list[tuple[Message, AmiEvent | None]] = []
    while (item := codec.next_message()) is not None:
        if isinstance(item, Message):
            out.append((item, to_event(item) if item.is_event else None))
    return out


@pytest.mark.timeout(30)
def test_real_restart_spliced_into_the_real_scenario(fixtures_dir: Path) -> None:
    """The shared scenario up to 2003 and 2004 waiting (2001, 2002 talking), then the real
    `core restart now` capture, then the real post-restart QueueStatus as the resync."""
    scenario = (fixtures_dir / "ami-scenario.txt").read_bytes()
    cut = scenario.index(b"Event: QueueCallerAbandon")
    prefix = scenario[: scenario.rindex(b"\r\n\r\n", 0, cut) + 4]
    clock = [T0]
    store = FloorStore(FloorConfig(), lambda: clock[0])
    for _, event in _events(prefix):
        if event is not None:
            store.apply(event)
    before = store.queue("support")
    assert before is not None and before.waiting == 2
    assert {a.interface: a.state for a in store.agents()} == {
        "PJSIP/1001": AgentState.TALKING,
        "PJSIP/1002": AgentState.TALKING,
        "PJSIP/1003": AgentState.NOT_READY,
    }
    clock[0] += 60
    for _, event in _events((fixtures_dir / "ami-bad-restart.txt").read_bytes()):
        if event is not None:
            store.apply(event)
    assert not store.is_live
    clock[0] += 5
    sync: list[AmiEvent] = []
    for _, event in _events((fixtures_dir / "ami-bad-after-restart.txt").read_bytes()):
        if event is None:
            continue
        if event.action_id == "qs-after":
            sync.append(event)
        else:
            store.apply(event)
    store.resync_items(sync)
    assert store.is_live
    q = store.queue("support")
    assert q is not None
    t = q.today
    # 2001 and 2002 were answered before the restart; 2003 and 2004 were lost in it.
    assert (t.offered, t.answered, t.abandoned, t.other_exits) == (4, 2, 0, 2)
    assert q.waiting == 0 and q.members == ()
    assert {a.interface: a.state for a in store.agents()} == {
        "PJSIP/1001": AgentState.LOGGED_OUT,
        "PJSIP/1002": AgentState.LOGGED_OUT,
        "PJSIP/1003": AgentState.LOGGED_OUT,
    }
    a1 = store.agent("PJSIP/1001")
    assert a1 is not None and a1.day.answered == 1 and a1.monitored_by == ()
