"""Scenario files: presets load, compact forms expand, mistakes are named."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cti.lab.scenario import (
    PRESETS,
    ScenarioError,
    load_scenario,
    parse_scenario,
    parse_time_of_day,
)

MINIMAL = {
    "queue": [{"name": "support", "number": "600"}],
    "agents": [{"ext_start": 1001, "count": 2, "queues": ["support"]}],
}


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads(name: str) -> None:
    sc = load_scenario(name)
    assert sc.name == name
    assert sc.queues and sc.agents
    queue_names = {q.name for q in sc.queues}
    for agent in sc.agents:
        assert agent.memberships
        assert {q for q, _ in agent.memberships} <= queue_names


def test_presets_are_shaped_like_their_hotlines() -> None:
    heating = load_scenario("heating")
    assert 6 <= sum(1 for a in heating.agents if a.shift and a.shift[0] < a.shift[1]) <= 9
    assert any(a.shift and a.shift[0] > a.shift[1] for a in heating.agents)  # night shift
    assert any(b.after_s is not None and b.factor > 1 for b in heating.bursts)
    water = load_scenario("water")
    assert {q.name for q in water.queues} >= {"vip", "complaints", "english"}
    assert len(water.queues) == 5
    english = water.queue("english")
    assert english is not None and english.language == "en"
    power = load_scenario("power-2000")
    assert len(power.agents) == 2000 and len(power.queues) == 200
    per_queue = Counter(q for a in power.agents for q, _ in a.memberships)
    assert set(per_queue.values()) == {20}  # skills spread evenly
    assert {p for a in power.agents for _, p in a.memberships} == {0, 1}
    default = load_scenario(None)
    assert [q.number for q in default.queues] == ["600", "601"]
    assert {r.reason for r in default.breaks} == {"lunch", "training", "meeting", "restroom"}


def test_compact_queue_and_agent_forms_expand() -> None:
    sc = parse_scenario(
        {
            "queue": [{"name": "q-{n:02d}", "number": "0700", "count": 3, "strategy": "ringall"}],
            "agents": [
                {
                    "ext_start": 3000,
                    "count": 3,
                    "queues": ["q-*"],
                    "skills": 2,
                    "penalties": [0, 5],
                    "names": ["A", "B"],
                }
            ],
        }
    )
    assert [(q.name, q.number, q.strategy) for q in sc.queues] == [
        ("q-01", "0700", "ringall"),
        ("q-02", "0701", "ringall"),
        ("q-03", "0702", "ringall"),
    ]
    assert [a.ext for a in sc.agents] == ["3000", "3001", "3002"]
    assert [a.member_name for a in sc.agents] == ["A", "B", "A"]
    assert sc.agents[0].memberships == (("q-01", 0), ("q-02", 5))
    assert sc.agents[1].memberships == (("q-03", 0), ("q-01", 5))


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        ({"scenario": {"sped": 2}}, "unknown key(s) sped"),
        ({"queue": []}, "at least one [[queue]]"),
        ({"queue": [{"name": "a", "number": "600", "strategy": "roundrobin"}]}, "strategy"),
        ({"agents": [{"ext_start": 1, "queues": ["nosuch"]}]}, "'nosuch' matches no queue"),
        (
            {"agents": [{"ext_start": 1001, "queues": ["support"], "shift": ["25:00", "08:00"]}]},
            "HH:MM",
        ),
        ({"defaults": {"timeout_s": -1}}, "timeout_s"),
        ({"sip": {"supervisor": "1001"}}, "also simulated agents"),
        ({"arrivals": {"bursts": [{"minutes": 5}]}}, "exactly one of 'start'"),
        ({"breaks": [{"rate_per_hour": 1}]}, "needs 'reason'"),
    ],
)
def test_mistakes_are_reported_with_the_key(mutation: dict[str, object], message: str) -> None:
    data = {**MINIMAL, **mutation}
    with pytest.raises(ScenarioError, match=re.escape(message)):
        parse_scenario(data, source="test.toml")


def test_bad_files_give_scenario_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[scenario\nname=", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="unknown scenario"):
        load_scenario("no-such-preset")


def test_time_of_day() -> None:
    assert parse_time_of_day("08:30") == 8 * 3600 + 30 * 60
    assert parse_time_of_day("23:59:59") == 86399
    assert parse_time_of_day("24:00") == 86400
    for bad in ("8", "8:60", "x:00", "24:01"):
        with pytest.raises(ValueError):
            parse_time_of_day(bad)
