"""Golden scenarios for the alarm engine: hand-written figure sequences, exact transitions."""

from __future__ import annotations

import pytest

from cti.alarms import (
    AgentCondition,
    AgentFigures,
    AgentRules,
    AlarmAckError,
    AlarmEngine,
    AlarmKind,
    AlarmRules,
    AlarmTransition,
    LinkFigures,
    LinkRules,
    QueueFigures,
    QueueRules,
    Rule,
    RuleError,
    Severity,
    TransitionKind,
    hotline_defaults,
)
from cti.alarms.rules import Direction, Level

R = TransitionKind.RAISED
C = TransitionKind.CLEARED
S = TransitionKind.SEVERITY_CHANGED
E = TransitionKind.ESCALATED
A = TransitionKind.ACKNOWLEDGED
W = Severity.WARNING
CRIT = Severity.CRITICAL
UP = LinkFigures(pbx_up=True)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def brief(ts: list[AlarmTransition]) -> list[tuple[str, str, str, int]]:
    return [
        (t.kind.value, t.alarm.key.subject, t.alarm.severity.name, t.alarm.alarm_id) for t in ts
    ]


def waiting_rules(**kw: object) -> AlarmRules:
    rule = Rule.above(5, 3, W, critical_at=10, critical_clear_at=7)
    return AlarmRules(queue_default=QueueRules(waiting=rule), escalate_after={}, **kw)  # type: ignore[arg-type]


def test_waiting_hysteresis_and_severity_golden() -> None:
    clock = Clock()
    engine = AlarmEngine(waiting_rules(), clock)
    script = [4, 6, 5, 4, 6, 3, 6, 11, 8, 7, 2]
    expected: list[list[tuple[str, str, str, int]]] = [
        [],
        [("raised", "vip", "WARNING", 1)],
        [],  # 5 is not above 3: stays raised (no flapping)
        [],
        [],
        [("cleared", "vip", "WARNING", 1)],  # 3 reaches the clear threshold
        [("raised", "vip", "WARNING", 2)],  # a new alarm, new id
        [("severity_changed", "vip", "CRITICAL", 2)],
        [],  # 8 > 7: critical holds
        [("severity_changed", "vip", "WARNING", 2)],  # 7 clears the critical level only
        [("cleared", "vip", "WARNING", 2)],
    ]
    for step, (waiting, want) in enumerate(zip(script, expected, strict=True)):
        clock.now = float(step)
        got = engine.evaluate([QueueFigures("vip", waiting=waiting)], [], UP)
        assert brief(got) == want, f"step {step}: waiting={waiting}"
    assert engine.active() == ()


def test_hovering_at_the_limit_raises_once() -> None:
    clock = Clock()
    engine = AlarmEngine(waiting_rules(), clock)
    kinds = []
    for step in range(40):
        clock.now = float(step)
        waiting = 6 if step % 2 else 5
        kinds += [t.kind for t in engine.evaluate([QueueFigures("vip", waiting=waiting)], [], UP)]
    assert kinds == [R]


def test_message_and_fields_of_a_raised_alarm() -> None:
    clock = Clock()
    clock.now = 1000.0
    engine = AlarmEngine(waiting_rules(), clock)
    (t,) = engine.evaluate([QueueFigures("vip", waiting=12, display_name="VIP 座席")], [], UP)
    assert t.kind is R and t.at == 1000.0
    alarm = t.alarm
    assert alarm.key.kind is AlarmKind.WAITING and alarm.key.subject == "vip"
    assert alarm.severity is CRIT and alarm.threshold == 10 and alarm.value == 12
    assert alarm.message == "Queue VIP 座席: 12 calls waiting (limit 10)"
    assert alarm.raised_at == alarm.severity_since == 1000.0
    assert not alarm.acknowledged


def test_raise_after_ignores_short_link_blips() -> None:
    clock = Clock()
    rules = AlarmRules(
        links=LinkRules(pbx_down=Rule.flag(CRIT, raise_after=10.0)), escalate_after={}
    )
    engine = AlarmEngine(rules, clock)
    out = []
    # 3-second reconnect: nothing
    for t, up in [(0, True), (1, False), (2, False), (4, False), (4.5, True), (5, True)]:
        clock.now = t
        out += engine.evaluate([], [], LinkFigures(pbx_up=up))
    assert out == []
    # 10 seconds down: raised exactly at 10 s, cleared when back
    for t in range(10, 21):
        clock.now = float(t)
        out += engine.evaluate([], [], LinkFigures(pbx_up=False))
    assert [(o.kind, o.at) for o in out] == [(R, 20.0)]
    assert out[0].alarm.message == "PBX link down: the floor is not live"
    clock.now = 21.0
    assert [t.kind for t in engine.evaluate([], [], UP)] == [C]


def test_escalation_timing_and_acknowledgement() -> None:
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(waiting=Rule.above(5, 3, W, critical_at=10)),
        escalate_after={CRIT: 300.0, W: 900.0},
    )
    engine = AlarmEngine(rules, clock)
    (raised,) = engine.evaluate([QueueFigures("vip", waiting=12)], [], UP)
    assert raised.alarm.severity is CRIT
    clock.now = 299.0
    assert engine.tick() == []
    clock.now = 300.0
    (esc,) = engine.tick()
    assert esc.kind is E and esc.at == 300.0 and esc.alarm.escalated_at == 300.0
    clock.now = 900.0
    assert engine.evaluate([QueueFigures("vip", waiting=12)], [], UP) == []  # escalates once
    ack = engine.acknowledge(raised.alarm.alarm_id, "王班长", "  called the backup team  ")
    assert ack.kind is A and ack.alarm.acknowledged_by == "王班长"
    assert ack.alarm.ack_comment == "called the backup team" and ack.alarm.acknowledged_at == 900.0
    with pytest.raises(AlarmAckError, match="already acknowledged by 王班长"):
        engine.acknowledge(raised.alarm.alarm_id, "李", "")
    with pytest.raises(AlarmAckError, match="not active"):
        engine.acknowledge(999, "李", "")


def test_acknowledged_alarm_does_not_escalate_but_a_severity_increase_does() -> None:
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(waiting=Rule.above(5, 3, W, critical_at=10)),
        escalate_after={CRIT: 300.0, W: 900.0},
    )
    engine = AlarmEngine(rules, clock)
    (raised,) = engine.evaluate([QueueFigures("vip", waiting=6)], [], UP)
    clock.now = 50.0
    engine.acknowledge(raised.alarm.alarm_id, "sup", "watching")
    clock.now = 1000.0
    assert engine.evaluate([QueueFigures("vip", waiting=6)], [], UP) == []  # acked: no escalation
    clock.now = 1100.0
    (up,) = engine.evaluate([QueueFigures("vip", waiting=11)], [], UP)
    assert up.kind is S and up.previous_severity is W and up.alarm.severity is CRIT
    assert not up.alarm.acknowledged and up.alarm.severity_since == 1100.0
    clock.now = 1399.0
    assert engine.tick() == []
    clock.now = 1400.0
    assert [t.kind for t in engine.tick()] == [E]
    # a decrease keeps the escalation already done
    clock.now = 1500.0
    (down,) = engine.evaluate([QueueFigures("vip", waiting=6)], [], UP)
    assert down.kind is S and down.alarm.severity is W and down.alarm.escalated_at == 1400.0


def test_service_level_relative_to_target_with_noise_guard_and_interval_reset() -> None:
    clock = Clock()
    rules = hotline_defaults()
    engine = AlarmEngine(
        AlarmRules(
            queue_default=QueueRules(service_level=rules.queue_default.service_level),
            escalate_after={},
        ),
        clock,
    )

    def sl(value: float | None, calls: int) -> list[tuple[str, str]]:
        clock.now += 1.0
        fig = QueueFigures("urban", service_level=value, sl_calls=calls, sl_target=0.9)
        return [(t.kind.value, t.alarm.severity.name) for t in engine.evaluate([fig], [], UP)]

    assert sl(0.0, 3) == []  # 3 calls: below min_calls 10, not judged
    assert sl(0.85, 12) == [("raised", "WARNING")]  # below the 90 % target
    assert sl(0.91, 14) == []  # above target but below target + 3 points: holds
    assert sl(0.70, 20) == [("severity_changed", "CRITICAL")]  # 15 points below target
    assert sl(0.78, 22) == []  # critical clears only at target - 10 points
    assert sl(0.81, 24) == [("severity_changed", "WARNING")]
    assert sl(0.93, 30) == [("cleared", "WARNING")]
    assert sl(0.70, 31) == [("raised", "CRITICAL")]  # straight to critical: both levels on
    assert sl(None, 0) == [("cleared", "CRITICAL")]  # new interval, nothing counted yet
    active = engine.active()
    assert active == ()


def test_service_level_message_uses_absolute_thresholds() -> None:
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(
            service_level=Rule.below(0.0, 0.03, W, relative_to_target=True, min_calls=1)
        )
    )
    engine = AlarmEngine(rules, clock)
    fig = QueueFigures("vip", service_level=0.75, sl_calls=8, sl_target=0.8, display_name="VIP")
    (t,) = engine.evaluate([fig], [], UP)
    assert t.alarm.threshold == pytest.approx(0.8)
    assert t.alarm.message == "Queue VIP: service level 75% below 80% (target 80%)"


def test_a_figure_back_past_its_threshold_reads_as_recovering_until_it_clears() -> None:
    """Hysteresis keeps the alarm on between the raise (80 %) and the clear (83 %) level: the
    message must not say "81% below 80%" then (the strip, wallboard and SMS show it)."""
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(
            service_level=Rule.below(0.0, 0.03, W, relative_to_target=True, min_calls=1)
        )
    )
    engine = AlarmEngine(rules, clock)

    def reading(level: float) -> list[AlarmTransition]:
        clock.now += 1
        fig = QueueFigures(
            "vip", service_level=level, sl_calls=8, sl_target=0.8, display_name="VIP"
        )
        return engine.evaluate([fig], [], UP)

    assert [t.kind for t in reading(0.75)] == [R]
    assert reading(0.81) == []  # still on: not yet back to 83 %
    (alarm,) = engine.active()
    assert alarm.message == "Queue VIP: service level 81%, recovering (alarm below 80%, target 80%)"
    reading(0.78)
    (alarm,) = engine.active()
    assert alarm.message == "Queue VIP: service level 78% below 80% (target 80%)"
    assert [t.kind for t in reading(0.84)] == [C]


def test_projection_longest_wait_and_abandon_rate() -> None:
    clock = Clock()
    rules = hotline_defaults()
    engine = AlarmEngine(rules, clock)
    fig = QueueFigures(
        "suburban",
        waiting=2,
        longest_wait=125.0,
        sl_projected=0.80,
        sl_target=0.9,
        abandon_rate=0.12,
        offered=25,
    )
    got = {(t.alarm.key.kind, t.alarm.severity) for t in engine.evaluate([fig], [], UP)}
    assert got == {
        (AlarmKind.SL_PROJECTION, W),
        (AlarmKind.LONGEST_WAIT, CRIT),
        (AlarmKind.ABANDON_RATE, W),
    }
    texts = sorted(a.message for a in engine.active())
    assert "Queue suburban: longest wait 2:05 (limit 2:00)" in texts
    assert "Queue suburban: abandon rate 12% above 10%" in texts
    # abandon rate ignored while fewer than 20 calls were offered
    engine2 = AlarmEngine(rules, clock)
    low = QueueFigures("x", abandon_rate=0.5, offered=4)
    assert engine2.evaluate([low], [], UP) == []


def test_stale_floor_freezes_queue_and_agent_alarms() -> None:
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(waiting=Rule.above(5, 3, W)),
        links=LinkRules(pbx_down=Rule.flag(CRIT, raise_after=10.0)),
        escalate_after={},
    )
    engine = AlarmEngine(rules, clock)
    assert [t.kind for t in engine.evaluate([QueueFigures("vip", waiting=8)], [], UP)] == [R]
    down = LinkFigures(pbx_up=False)
    for t in range(1, 12):
        clock.now = float(t)
        out = engine.evaluate([QueueFigures("vip", waiting=0)], [], down)
        # the stale "0 waiting" must not clear the queue alarm
        assert all(o.alarm.key.kind is AlarmKind.PBX_LINK_DOWN for o in out)
        # a stale "99 waiting" must not raise anything either
        engine.evaluate([QueueFigures("other", waiting=99)], [], down)
    kinds = {a.key.kind for a in engine.active()}
    assert kinds == {AlarmKind.WAITING, AlarmKind.PBX_LINK_DOWN}
    clock.now = 12.0
    back = engine.evaluate([QueueFigures("vip", waiting=0)], [], UP)
    assert sorted((t.kind.value, t.alarm.key.kind.value) for t in back) == [
        ("cleared", "pbx_link_down"),
        ("cleared", "waiting"),
    ]


def test_agent_time_in_state_with_per_reason_limits() -> None:
    clock = Clock()
    rules = AlarmRules(
        agent_default=AgentRules(
            talking=Rule.above(600.0, severity=Severity.INFO),
            wrap_up=Rule.above(120.0, severity=W),
            not_ready=Rule.above(900.0, severity=W),
            not_ready_by_reason={"meal": Rule.above(2700.0, severity=W)},
        ),
        escalate_after={},
    )
    engine = AlarmEngine(rules, clock)
    nr = AgentCondition.NOT_READY

    def step(*agents: AgentFigures) -> list[tuple[str, str, str]]:
        clock.now += 1.0
        out = engine.evaluate([], list(agents), UP)
        return [(t.kind.value, t.alarm.key.kind.value, t.alarm.key.subject) for t in out]

    assert step(AgentFigures("PJSIP/1001", nr, 1200.0, name="张三", reason="meal")) == []
    assert step(AgentFigures("PJSIP/1001", nr, 1201.0, name="张三", reason="restroom")) == [
        ("raised", "agent_not_ready", "PJSIP/1001")
    ]
    (msg,) = [a.message for a in engine.active()]
    assert msg == "Agent 张三: not ready (restroom) for 20:01 (limit 15:00)"
    assert step(AgentFigures("PJSIP/1001", AgentCondition.OTHER, 3.0)) == [
        ("cleared", "agent_not_ready", "PJSIP/1001")
    ]
    assert step(
        AgentFigures("PJSIP/1001", AgentCondition.TALKING, 601.0),
        AgentFigures("PJSIP/1002", AgentCondition.WRAP_UP, 121.0),
    ) == [
        ("raised", "agent_talking", "PJSIP/1001"),
        ("raised", "agent_wrap_up", "PJSIP/1002"),
    ]
    # 1002 logged out (absent from the snapshot): its alarm clears; 1001 hangs up and wraps up
    assert step(AgentFigures("PJSIP/1001", AgentCondition.WRAP_UP, 2.0)) == [
        ("cleared", "agent_talking", "PJSIP/1001"),
        ("cleared", "agent_wrap_up", "PJSIP/1002"),
    ]


def test_per_queue_and_per_agent_overrides() -> None:
    clock = Clock()
    rules = AlarmRules(
        queue_default=QueueRules(waiting=Rule.above(5, 3, W)),
        queue_overrides={"vip": QueueRules(waiting=Rule.above(1, 0, CRIT))},
        agent_default=AgentRules(talking=Rule.above(600.0)),
        agent_overrides={"PJSIP/2000": AgentRules(talking=None)},
        escalate_after={},
    )
    engine = AlarmEngine(rules, clock)
    out = engine.evaluate(
        [QueueFigures("vip", waiting=2), QueueFigures("urban", waiting=2)],
        [
            AgentFigures("PJSIP/1000", AgentCondition.TALKING, 700.0),
            AgentFigures("PJSIP/2000", AgentCondition.TALKING, 7000.0),
        ],
        UP,
    )
    assert brief(out) == [("raised", "vip", "CRITICAL", 1), ("raised", "PJSIP/1000", "WARNING", 2)]


def test_removing_a_rule_clears_its_alarm() -> None:
    clock = Clock()
    engine = AlarmEngine(waiting_rules(), clock)
    engine.evaluate([QueueFigures("vip", waiting=7)], [], UP)
    engine.set_rules(AlarmRules(escalate_after={}))
    clock.now = 1.0
    assert [t.kind for t in engine.evaluate([QueueFigures("vip", waiting=7)], [], UP)] == [C]


def test_sip_unregistered_only_when_configured() -> None:
    clock = Clock()
    rules = AlarmRules(links=LinkRules(sip_unregistered=Rule.flag(W, raise_after=30.0)))
    engine = AlarmEngine(rules, clock)
    for t in range(0, 100, 10):
        clock.now = float(t)
        assert engine.evaluate([], [], LinkFigures(sip_registered=None)) == []
    out = []
    for t in range(100, 140, 10):
        clock.now = float(t)
        out += engine.evaluate([], [], LinkFigures(sip_registered=False))
    assert [(o.kind, o.at, o.alarm.severity) for o in out] == [(R, 130.0, W)]


def test_clear_after_delays_the_clear() -> None:
    clock = Clock()
    rule = Rule.above(5, 3, W, clear_after=60.0)
    engine = AlarmEngine(
        AlarmRules(queue_default=QueueRules(waiting=rule), escalate_after={}), clock
    )
    engine.evaluate([QueueFigures("q", waiting=9)], [], UP)
    seen = []
    for t, w in [(10, 2), (40, 2), (50, 4), (60, 2), (119, 2), (120, 2)]:
        clock.now = float(t)
        seen += [(t, x.kind) for x in engine.evaluate([QueueFigures("q", waiting=w)], [], UP)]
    assert seen == [(120, C)]  # the 4 at t=50 restarted the 60-second clear timer


def test_active_is_sorted_by_severity_then_age() -> None:
    clock = Clock()
    engine = AlarmEngine(waiting_rules(), clock)
    engine.evaluate([QueueFigures("a", waiting=6)], [], UP)
    clock.now = 5.0
    engine.evaluate([QueueFigures("a", waiting=6), QueueFigures("b", waiting=12)], [], UP)
    assert [(a.key.subject, a.severity) for a in engine.active()] == [("b", CRIT), ("a", W)]
    assert engine.alarm(1) is not None and engine.alarm(1).key.subject == "a"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("direction", "levels", "match"),
    [
        (Direction.ABOVE, (Level(W, 5, 6),), "must not be above"),
        (Direction.BELOW, (Level(W, 0.8, 0.7),), "must not be below"),
        (Direction.ABOVE, (Level(CRIT, 10, 8), Level(W, 5, 3)), "least to the most severe"),
        (Direction.ABOVE, (Level(W, 10, 8), Level(CRIT, 5, 3)), "worse value"),
        (Direction.ABOVE, (), "at least one level"),
        (Direction.ABOVE, (Level(W, 5, 3), Level(W, 9, 8)), "only once"),
    ],
)
def test_inconsistent_rules_are_refused(
    direction: Direction, levels: tuple[Level, ...], match: str
) -> None:
    with pytest.raises(RuleError, match=match):
        Rule(direction, levels)
