"""Floor replay's queue cards: a replayed minute must show the interval figures the live queue
meter showed at that minute, from the same definitions (cti/state/metrics.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from console.bench.sim_feed import SimFeed
from cti.state.config import FloorConfig
from cti.state.metrics import SlFormula
from cti.state.store import FloorStore
from db.record import open_record
from db.review import open_review

pytestmark = pytest.mark.timeout(120)

FIGURES = ("offered", "answered", "answered_within", "abandoned", "short_abandoned")


def _shown(m: object) -> tuple[object, ...]:
    sl = getattr(m, "sl_percent", None)
    asa = getattr(m, "asa_s", None)
    return (
        *(getattr(m, name) for name in FIGURES),
        None if sl is None else round(sl, 6),
        None if asa is None else round(asa, 6),
    )


@pytest.mark.parametrize("formula", [SlFormula.ANSWERED_AND_LATE_ABANDONED, SlFormula.OFFERED])
def test_replayed_queue_figures_are_the_live_meters_of_that_minute(
    tmp_path: Path, formula: SlFormula
) -> None:
    feed = SimFeed("water", seed=11, warmup_s=0)
    config = FloorConfig(
        interval_minutes=15,
        sl_threshold_s=15.0,
        sl_threshold_by_queue={"urban": 8.0},  # as the live meter: T per queue
        sl_formula=formula,
        wrapup_s=25,
    )
    store = FloorStore(config, feed.clock)
    live: dict[float, dict[str, tuple[object, ...]]] = {}
    path = tmp_path / "figures.sqlite3"
    with open_record(path, "班长", "ws-1", snapshot_every_s=300.0) as rec:
        for second in range(1, 50 * 60 + 1):
            for ev in feed.advance(1):
                store.apply(ev)
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
            if second % 420 == 0:  # every 7 minutes: mid-interval and across boundaries
                store.tick()
                live[feed.clock()] = {q.name: _shown(q.current) for q in store.queues()}
    with open_review(path) as review:
        compared = 0
        for ts, meters in live.items():
            replayed = review.interval_at(ts, config)
            for queue, shown in meters.items():
                m = replayed.get(queue)
                if m is None:  # no call has left this queue yet in this interval
                    assert shown[: len(FIGURES)] == (0,) * len(FIGURES), (ts, queue, shown)
                    continue
                assert _shown(m) == shown, (ts, queue)
                compared += 1
    assert compared >= 20
    busy = [m for meters in live.values() for m in meters.values() if m[0]]
    assert len(busy) >= 20, "the hour must have traffic in most intervals"


def test_replayed_agent_states_are_the_live_tiles_of_that_minute(tmp_path: Path) -> None:
    """With the console's wrap-up time (Asterisk does not report it), the replay shows the
    agents in wrap-up that the live tiles showed, and every other state as they were."""
    feed = SimFeed("water", seed=5, warmup_s=0)
    store = FloorStore(FloorConfig(wrapup_s=25), feed.clock)
    live: dict[float, dict[str, str]] = {}
    path = tmp_path / "states.sqlite3"
    with open_record(path, "班长", "ws-1", snapshot_every_s=300.0, default_wrapup_s=25) as rec:
        for ev in feed.snapshot_items():
            store.apply(ev)
            rec.journal_event(feed.clock(), ev.name, ev.message.headers)
        for second in range(1, 40 * 60 + 1):
            for ev in feed.advance(1):
                store.apply(ev)
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
            if second % 330 == 0:
                store.tick()
                live[feed.clock()] = {a.interface: a.state.value for a in store.agents()}
    with open_review(path) as review:
        for ts, states in live.items():
            floor = review.floor_at(ts)
            replayed = {i: a.state.lower() for i, a in floor.agents.items()}
            assert replayed == {i: s for i, s in states.items() if i in replayed}, ts
    wrapping = sum(1 for states in live.values() for s in states.values() if s == "wrap_up")
    assert wrapping >= 3, "the check must cover agents in wrap-up"


def test_a_past_day_is_reviewed_by_the_definitions_its_console_ran_with(tmp_path: Path) -> None:
    from cti.state.config import definitions_json

    path = tmp_path / "sessions.sqlite3"
    morning = FloorConfig(sl_threshold_s=15.0, sl_target=0.8)
    evening = FloorConfig(sl_threshold_s=30.0, sl_formula=SlFormula.OFFERED, interval_minutes=60)
    t0 = 1_795_337_200.0
    for start, config in ((t0, morning), (t0 + 8 * 3600, evening)):
        with open_record(
            path, "班长", "ws-1", clock=lambda s=start: s, definitions=definitions_json(config)
        ) as rec:
            rec.journal_event(start + 1, "QueueCallerJoin", {"Queue": "urban", "Uniqueid": "1"})
    mine = FloorConfig(sl_threshold_s=20.0)  # the reviewing console's own settings
    with open_review(path) as review:
        zone = review.zone  # days and intervals on the recording console's clock
        assert zone is not None
        assert review.definitions_at(t0 - 60, mine) == (replace(mine, tz=zone), None)
        assert review.definitions_at(t0 + 3600, mine) == (replace(morning, tz=zone), t0)
        assert review.definitions_at(t0 + 9 * 3600, mine) == (
            replace(evening, tz=zone),
            t0 + 8 * 3600,
        )


def test_a_day_with_two_definitions_counts_each_interval_by_the_one_running_then(
    tmp_path: Path,
) -> None:
    """Definitions changed at 13:10 (the console restarted with T = 30 s and hourly intervals):
    the day is cut at 14:00, the next boundary both sessions' intervals share; the 13:00
    interval counts whole by the morning's definitions, as the floor showed it until then."""
    from datetime import date, datetime

    from cti.state.config import definitions_json

    noon = datetime(2026, 11, 23, 12, 0).timestamp()
    restart = noon + 70 * 60
    morning = FloorConfig(sl_threshold_s=15.0, sl_target=0.8)
    afternoon = FloorConfig(sl_threshold_s=30.0, interval_minutes=60, wrapup_s=10.0)
    path = tmp_path / "two.sqlite3"
    feed = SimFeed("water", seed=2, start_epoch=noon + 1800)
    with open_record(
        path, "班长", "ws-1", clock=lambda: noon, definitions=definitions_json(morning)
    ) as rec:
        for _ in range(24 * 6):  # 12:30 to 14:30 in 50 s steps
            for ev in feed.advance(50):
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
    with open_record(
        path, "班长", "ws-1", clock=lambda: restart, definitions=definitions_json(afternoon)
    ):
        pass
    day = date(2026, 11, 23)
    cut = datetime(2026, 11, 23, 14, 0).timestamp()
    with open_review(path) as review:
        zone = review.zone
        parts = review.definitions_parts(day, FloorConfig())
        assert [(p.start, p.since) for p in parts] == [(parts[0].start, noon), (cut, restart)]
        assert parts[0].config == replace(morning, tz=zone)
        assert parts[1].config == replace(afternoon, tz=zone)
        table, _ = review.day_intervals(day, FloorConfig())
        by_morning = review.interval_table(day, replace(morning, tz=zone))
        by_afternoon = review.interval_table(day, replace(afternoon, tz=zone))
    expected = {
        q: [m for m in by_morning.get(q, []) if m.start < cut]
        + [m for m in by_afternoon.get(q, []) if m.start >= cut]
        for q in set(by_morning) | set(by_afternoon)
    }
    assert table == {q: ms for q, ms in expected.items() if ms}
    urban = [(m.start, m.end - m.start, m.sl_threshold_s) for m in table["urban"]]
    assert urban == [
        (cut - 5400, 1800, 15.0),
        (cut - 3600, 1800, 15.0),
        (cut - 1800, 1800, 15.0),
        (cut, 3600, 30.0),
    ]
