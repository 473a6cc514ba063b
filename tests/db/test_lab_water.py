"""Review and replay of a record journalled from the lab's water-hotline simulation.

The lab's HotlineSimulation (pure, deterministic) is driven for an hour and a half of
simulated time; every AMI event it emits is journalled as the console would. Replaying the
record to a minute must give the floor the simulation itself had at that minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cti.lab.scenario import load_scenario
from cti.lab.simulation import HotlineSimulation
from db.chain import verify
from db.floor_replay import LOGGED_OUT, NOT_READY, ON_HOLD, TALKING
from db.record import open_record
from db.review import Review, open_review

START = 1_795_392_000.0  # a fixed day; the scenario pins the time of day to 09:00


@dataclass(frozen=True)
class Truth:
    waiting: dict[str, int]
    in_call: frozenset[str]
    paused: frozenset[str]
    logged_in: frozenset[str]


@dataclass(frozen=True)
class WaterRecord:
    path: Path
    truths: dict[float, Truth]
    events: int


def snapshot_truth(sim: HotlineSimulation) -> Truth:
    return Truth(
        waiting={name: len(q.waiting) for name, q in sim.queues.items()},
        in_call=frozenset(a.interface for a in sim.agents.values() if a.call is not None),
        paused=frozenset(
            a.interface
            for a in sim.agents.values()
            if a.memberships and all(m.paused for m in a.memberships.values())
        ),
        logged_in=frozenset(a.interface for a in sim.agents.values() if a.memberships),
    )


@pytest.fixture(scope="module")
def water(tmp_path_factory: pytest.TempPathFactory) -> WaterRecord:
    scenario = load_scenario("water")
    sim = HotlineSimulation(scenario, seed=7, start_epoch=START, warmup_s=0)
    path = tmp_path_factory.mktemp("water") / "water.sqlite"
    wrapup = {q.name: q.wrapup_s for q in scenario.queues}
    truths: dict[float, Truth] = {}
    events = 0
    checkpoints = [START + m * 60.0 for m in (7, 23, 41, 58, 75, 89)]
    with open_record(path, "班长", "ws-water", wrapup_s=wrapup, snapshot_every_s=300.0) as rec:
        for headers in sim.take_events():  # logins at construction
            rec.journal_event(sim.now, dict(headers)["Event"], headers)
            events += 1
        end = START + 90 * 60.0
        while sim.now < end:
            step = min(sim.next_event_time(), end)
            if checkpoints and checkpoints[0] <= step:
                minute = checkpoints.pop(0)
                for headers in sim.advance_to(minute):
                    rec.journal_event(sim.now, dict(headers)["Event"], headers)
                    events += 1
                truths[minute] = snapshot_truth(sim)
                continue
            for headers in sim.advance_to(step):
                rec.journal_event(sim.now, dict(headers)["Event"], headers)
                events += 1
    return WaterRecord(path, truths, events)


@pytest.fixture
def review(water: WaterRecord) -> Iterator[Review]:
    with open_review(water.path) as opened:
        yield opened


@pytest.mark.timeout(90)
def test_water_record_verifies(water: WaterRecord, review: Review) -> None:
    result = verify(water.path)
    assert result.ok, result.message
    assert water.events > 2000
    assert len(review.journal(limit=water.events + 10)) == water.events
    assert len(review.snapshot_times()) >= 15


@pytest.mark.timeout(90)
def test_replay_reproduces_the_simulated_floor(water: WaterRecord, review: Review) -> None:
    for minute, truth in water.truths.items():
        floor = review.floor_at(minute)
        waiting = {name: q.waiting for name, q in floor.queues.items()}
        assert waiting == {n: c for n, c in truth.waiting.items() if n in waiting}, minute
        assert sum(truth.waiting.values()) == sum(waiting.values())
        logged_in = {i for i, a in floor.agents.items() if a.state != LOGGED_OUT}
        assert logged_in == truth.logged_in
        talking = {i for i, a in floor.agents.items() if a.state in (TALKING, ON_HOLD)}
        assert talking == truth.in_call
        not_ready = {i for i, a in floor.agents.items() if a.state == NOT_READY}
        assert not_ready == truth.paused - truth.in_call


@pytest.mark.timeout(90)
def test_water_interval_table_and_timeline(water: WaterRecord, review: Review) -> None:
    from datetime import datetime

    day = datetime.fromtimestamp(START).date()
    table = review.interval_table(day)
    assert set(table) >= {"urban", "complaints"}
    offered = sum(r.offered for rows in table.values() for r in rows)
    answered = sum(r.answered for rows in table.values() for r in rows)
    assert offered > 100 and 0 < answered <= offered
    busy_agent = max(water.truths[max(water.truths)].in_call)
    segments = review.agent_timeline(busy_agent, day)
    assert any(s.state == TALKING for s in segments)
