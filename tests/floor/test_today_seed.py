"""A console started mid-day restores the day's figures from its record: the same interval
figures and calls today as the session before it counted, from its own PBX's journal only."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from console.bench.sim_feed import SimFeed
from console.today_seed import TodaySeed
from cti.state.agent_state import AgentState
from cti.state.config import FloorConfig
from cti.state.seed import PinnedClock
from cti.state.store import FloorStore
from db.record import open_record

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]

CONFIG = FloorConfig(wrapup_s=15.0)
T0 = datetime(2026, 11, 23, 9, 0).timestamp()  # 09:00 on this PC's clock
RESTART = T0 + 50 * 60
CALL_FIGURES = (
    "offered",
    "answered",
    "answered_within",
    "abandoned",
    "short_abandoned",
    "arrivals",
    "completed",
    "sl_percent",
    "asa_s",
    "aht_s",
    "max_wait_s",
    "talk_s",
)


def _first_session(path: Path) -> FloorStore:
    """The morning: an unrelated PBX at 08:00, then 40 minutes of the water hotline, fed to the
    record as the console journals it and to a live store; returns that store."""
    other = "ami:10.0.0.9:5038"
    with open_record(path, "王班长", "desk-1", pbx=other, clock=lambda: T0 - 3600) as r:
        fields = {"Queue": "elsewhere", "Interface": "PJSIP/9001", "MemberName": "别处"}
        r.journal_event(T0 - 3500, "QueueMember", {**fields, "Status": "1", "Paused": "0"})
    feed = SimFeed("water", seed=5, start_epoch=T0)
    live = FloorStore(CONFIG, feed.clock)
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: T0) as rec:
        items = feed.snapshot_items()
        for ev in items:
            rec.journal_event(feed.clock(), ev.name, ev.message.headers)
        live.resync_items(items)
        for _ in range(40 * 12):
            for ev in feed.advance(5):
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
                live.apply(ev)
    return live


def test_a_restart_mid_shift_keeps_the_days_figures(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    before = _first_session(path)
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: RESTART) as rec:
        clock = PinnedClock(wall=lambda: RESTART)
        store = FloorStore(CONFIG, clock)
        seed = TodaySeed(path, rec.opened_seq, "lab:water", store, clock, now=RESTART)
        with qtbot.waitSignal(seed.finished, timeout=60_000) as done:
            seed.start()
    assert done.args[0] > 1000 and seed.seed.skipped == 0
    # the morning's intervals, queue by queue, as the first session counted them: the closed
    # one in full; the one still running at the restart by its calls (the time in states of a
    # running interval depends on when the live store last settled them)
    for queue in before.queue_names():
        assert store.interval_metrics(queue, T0) == before.interval_metrics(queue, T0)
        got, want = (
            [getattr(s.interval_metrics(queue, T0 + 1800), f, None) for f in CALL_FIGURES]
            for s in (store, before)
        )
        assert got == want, queue
    answered = {a.interface: a.day.answered for a in before.agents()}
    assert sum(answered.values()) > 50
    assert {a.interface: a.day.answered for a in store.agents()} == answered
    # the agent panel's day bar: the morning's states, from the record, up to the restart
    segments = seed.earlier_segments("PJSIP/1001")
    assert segments and segments[0].start >= T0 and segments[-1].end <= T0 + 40 * 60
    assert all(a.end == b.start for a, b in pairwise(segments))
    assert {"talking", "ready"} <= {s.state for s in segments}
    # nothing from the other PBX; nobody is anywhere until the PBX says so
    assert "elsewhere" not in store.queue_names() and store.agent("PJSIP/9001") is None
    assert not store.is_live
    assert {a.state for a in store.agents()} == {AgentState.LOGGED_OUT}
    # the PBX's snapshot brings presence back and keeps the day
    store.resync_items(SimFeed("water", seed=5, start_epoch=RESTART).snapshot_items())
    assert store.is_live
    assert AgentState.READY in {a.state for a in store.agents()}
    assert {a.interface: a.day.answered for a in store.agents()} == answered


def test_nothing_to_restore_starts_the_floor_at_once(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    _first_session(path)
    # the next day: yesterday's figures stay yesterday's
    tomorrow = RESTART + 86400
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: tomorrow) as rec:
        clock = PinnedClock(wall=lambda: tomorrow)
        store = FloorStore(CONFIG, clock)
        seed = TodaySeed(path, rec.opened_seq, "lab:water", store, clock, now=tomorrow)
        finished: list[int] = []
        seed.finished.connect(finished.append)
        seed.start()
        assert finished == [0]  # before start() returned
    assert store.agents() == ()
    # a record that cannot be read is no reason not to start either
    clock = PinnedClock()
    seed = TodaySeed(tmp_path / "missing.sqlite3", 5, "lab:water", FloorStore(CONFIG, clock), clock)
    seed.finished.connect(finished.append)
    seed.start()
    assert finished == [0, 0]


def test_a_day_too_long_to_restore_quickly_is_left_and_said(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    _first_session(path)
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: RESTART) as rec:
        clock = PinnedClock(wall=lambda: RESTART)
        store = FloorStore(CONFIG, clock)
        seed = TodaySeed(path, rec.opened_seq, "lab:water", store, clock, now=RESTART, max_rows=500)
        finished: list[int] = []
        seed.finished.connect(finished.append)
        seed.start()
    assert finished == [0] and seed.skipped_rows > 1000
    assert store.agents() == ()


def test_recorded_headers_come_back_as_the_pbx_sent_them() -> None:
    from cti.ami.events import GenericEvent, QueueMemberStatus
    from cti.state.seed import journal_event

    fields = {"Event": "QueueMemberStatus", "Queue": "urban", "Interface": "PJSIP/1001"}
    event = journal_event("QueueMemberStatus", {**fields, "Status": "2", "Paused": "1"})
    assert isinstance(event, QueueMemberStatus)
    assert (event.queue, event.interface, event.status, event.paused) == (
        "urban",
        "PJSIP/1001",
        2,
        True,
    )
    # repeated headers are kept as lists in the record: the first one counts, all are kept
    generic = journal_event("VarSet", {"Event": "VarSet", "ChanVariable": ["a=1", "b=2"]})
    assert isinstance(generic, GenericEvent)
    assert generic.message.get("ChanVariable") == "a=1"
    assert generic.message.get_all("ChanVariable") == ("a=1", "b=2")


def test_a_session_that_switched_pbx_is_restored_only_up_to_the_switch(
    qtbot: Any, tmp_path: Path
) -> None:
    """The supervisor pointed the console at another PBX at 09:20 without restarting it: what
    the session journalled after that was another floor's and is not restored."""
    path = tmp_path / "record.sqlite3"
    feed = SimFeed("water", seed=5, start_epoch=T0)
    switch = T0 + 20 * 60
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: T0) as rec:
        for _ in range(40 * 12):
            for ev in feed.advance(5):
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
            if switch <= feed.clock() < switch + 5:
                rec.setting_changed("pbx.host", "", "10.0.0.9", ts=feed.clock())
    with open_record(path, "王班长", "desk-1", pbx="lab:water", clock=lambda: RESTART) as rec:
        clock = PinnedClock(wall=lambda: RESTART)
        store = FloorStore(CONFIG, clock)
        seed = TodaySeed(path, rec.opened_seq, "lab:water", store, clock, now=RESTART)
        with qtbot.waitSignal(seed.finished, timeout=60_000):
            seed.start()
    assert seed.seed.last_ts is not None and T0 + 15 * 60 < seed.seed.last_ts <= switch + 5
