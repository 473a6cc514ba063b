"""Wallboard content from the alarm engine's figures and alarms (no port involved)."""

from __future__ import annotations

from cti.alarms import AlarmEngine, AlarmRules, LinkFigures, QueueFigures, QueueRules, Rule
from cti.serial.wallboard import QueueBoardLine, floor_content


def test_floor_content_from_alarm_engine_state() -> None:
    queues = [
        QueueFigures("vip", waiting=1, service_level=0.95, longest_wait=12.0, display_name="VIP"),
        QueueFigures("complaints", waiting=11, service_level=0.7, longest_wait=200.0),
    ]
    engine = AlarmEngine(
        AlarmRules(queue_default=QueueRules(waiting=Rule.above(10, 7)), escalate_after={}),
        lambda: 0.0,
    )
    engine.evaluate(queues, [], LinkFigures())
    content = floor_content(queues, engine.active())
    assert content.alarm_text == "Queue complaints: 11 calls waiting (limit 10)"
    assert content.queues == (
        QueueBoardLine("VIP", 1, 0.95, 12.0, alarm=False),
        QueueBoardLine("complaints", 11, 0.7, 200.0, alarm=True),
    )
    assert floor_content(queues, ()).alarm_text is None
