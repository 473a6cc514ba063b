"""The console's alarms in the record: who and what each alarm concerned, its acknowledgement
by a real click, and the review showing rule and severity in the UI language."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from console.alarms_view import AlarmController, AlarmStrip, kind_label, severity_label
from cti.state.agent_state import AgentState
from db.record import open_record
from db.review import open_review

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]

T0 = 1_795_337_200.0


def urban(waiting: int, **current: Any) -> SimpleNamespace:
    """The queue view fields the alarm adapter reads (90 % target)."""
    return SimpleNamespace(
        name="urban",
        waiting=waiting,
        longest_wait_s=None,
        current=SimpleNamespace(**current),
        projection=SimpleNamespace(target_percent=90.0),
    )


class FloorFigures:
    """Only what the alarm adapter reads: one queue far below its target, one long call."""

    is_live = True

    def queues(self) -> list[Any]:
        return [urban(waiting=0, sl_percent=50.0, offered=30, abandon_percent=0.0)]

    def agents(self) -> list[Any]:
        return [
            SimpleNamespace(
                interface="PJSIP/1007",
                name="李娜",
                state=AgentState.TALKING,
                state_since=T0 - 3600,
                reason=None,
            )
        ]


def test_alarms_name_their_queue_or_agent_and_the_acknowledgement(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "alarms.sqlite3"
    strip = AlarmStrip()
    qtbot.addWidget(strip)
    strip.show()
    with open_record(path, "王班长", "desk-2") as rec:
        alarms = AlarmController(
            FloorFigures(),
            strip,
            rec,
            supervisor=lambda: rec.supervisor,
            link_up=lambda: True,
            clock=lambda: T0,
            ask_comment=lambda _text: "已电话提醒",
        )
        raised = alarms.evaluate()
        kinds = {t.alarm.key.kind.value for t in raised}
        assert {"service_level", "agent_talking"} <= kinds
        sl = next(t.alarm for t in raised if t.alarm.key.kind.value == "service_level")
        button = strip.findChild(QPushButton, f"ack_{sl.alarm_id}")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        alarms.stop()
    with open_review(path) as review:
        rows = {a.rule: a for a in review.alarms()}
    assert rows["service_level"].queue == "urban" and rows["service_level"].agent is None
    assert rows["agent_talking"].agent == "PJSIP/1007" and rows["agent_talking"].queue is None
    assert [(k.supervisor, k.comment) for k in rows["service_level"].acks] == [
        ("王班长", "已电话提醒")
    ]
    # 50 % against a 90 % target is past the critical margin (15 points below): 75 %
    assert rows["service_level"].severity == "critical"
    assert rows["service_level"].details["threshold"] == pytest.approx(0.75)
    assert kind_label("service_level") == "Service level"
    assert severity_label("critical") == "Critical"
    assert kind_label("someone_elses_rule") == "someone_elses_rule"

    # the review shows the message in the UI language, rebuilt from the recorded figures
    from console.review_window import ReviewWindow

    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    table = win.tables["Alarms"]
    cols = table.table.columns
    shown = {
        table.table.rows[r][cols.index("rule")]: table.data(table.index(r, cols.index("message")))
        for r in range(table.rowCount())
    }
    assert shown["service_level"] == "Queue urban: service level 50% below 75%"
    assert shown["agent_talking"] == "Agent PJSIP/1007: on one call for 1:00:00 (limit 15:00)"
    tip = table.data(table.index(0, cols.index("message")), Qt.ItemDataRole.ToolTipRole)
    assert tip == table.table.rows[0][cols.index("message")]  # what was recorded
    # the figures as the message reads them (the exports keep the numbers)
    figures = {
        table.table.rows[r][cols.index("rule")]: tuple(
            table.data(table.index(r, cols.index(c))) for c in ("value", "threshold")
        )
        for r in range(table.rowCount())
    }
    assert figures["service_level"] == ("50%", "75%")
    assert figures["agent_talking"] == ("1:00:00", "15:00")
    raw = table.table.rows[0][cols.index("value")]
    assert isinstance(raw, float)
    assert table.data(table.index(0, cols.index("value")), Qt.ItemDataRole.ToolTipRole) == str(raw)
    win.close()


class WaitingQueue:
    """One queue whose callers waiting the test sets."""

    is_live = True

    def __init__(self) -> None:
        self.waiting = 0

    def queues(self) -> list[Any]:
        return [urban(waiting=self.waiting, sl_percent=None, offered=0, abandon_percent=None)]

    def agents(self) -> list[Any]:
        return []


def test_severity_changes_and_escalation_are_recorded_and_reviewed(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "escalation.sqlite3"
    strip = AlarmStrip()
    qtbot.addWidget(strip)
    floor = WaitingQueue()
    clock = [T0]
    with open_record(path, "王班长", "desk-2") as rec:
        alarms = AlarmController(
            floor,
            strip,
            rec,
            supervisor=lambda: rec.supervisor,
            link_up=lambda: True,
            clock=lambda: clock[0],
        )
        floor.waiting = 6  # above 5: warning
        alarms.evaluate()
        clock[0] += 30
        floor.waiting = 12  # above 10: critical
        alarms.evaluate()
        clock[0] += 3600  # nobody acknowledged: escalated
        alarms.evaluate()
        alarms.stop()
    with open_review(path) as review:
        (alarm,) = review.alarms()
    assert (alarm.rule, alarm.severity) == ("waiting", "warning")
    assert [(c.change, c.severity, c.ts - T0) for c in alarm.changes] == [
        ("severity", "critical", 30.0),
        ("escalated", "critical", 3630.0),
    ]

    from console.review_window import ReviewWindow

    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    table = win.tables["Alarms"]
    column = table.table.columns.index("changes")
    recorded = table.table.rows[0][column]
    assert re.fullmatch(
        r"\d\d:\d\d:\d\d severity critical; \d\d:\d\d:\d\d escalated critical", recorded
    )
    shown = table.data(table.index(0, column))
    assert "→ Critical" in shown and "Escalated (not acknowledged in time)" in shown
    win.close()
