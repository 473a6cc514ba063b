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


@pytest.fixture
def strip(qtbot: Any) -> AlarmStrip:
    widget = AlarmStrip()
    qtbot.addWidget(widget)
    widget.show()
    return widget


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
    qtbot: Any, tmp_path: Path, strip: AlarmStrip
) -> None:
    path = tmp_path / "alarms.sqlite3"
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
    qtbot: Any, tmp_path: Path, strip: AlarmStrip
) -> None:
    path = tmp_path / "escalation.sqlite3"
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


class BadEvening:
    """Seven queues far below target and three agents on very long calls: ten alarms."""

    is_live = True

    def queues(self) -> list[Any]:
        out = []
        for i in range(7):
            q = urban(waiting=0, sl_percent=40.0 + i, offered=30, abandon_percent=0.0)
            q.name = f"urban-{i}"
            out.append(q)
        return out

    def agents(self) -> list[Any]:
        return [
            SimpleNamespace(
                interface=f"PJSIP/10{i:02d}",
                name=f"座席{i}",
                state=AgentState.TALKING,
                state_since=T0 - 3600,
                reason=None,
            )
            for i in range(3)
        ]


def test_every_alarm_is_listed_and_several_are_acknowledged_with_one_comment(
    qtbot: Any, tmp_path: Path, strip: AlarmStrip
) -> None:
    """The strip has room for four; the rest used to be a "+6 more" that led nowhere."""
    from PySide6.QtCore import QItemSelectionModel

    path = tmp_path / "evening.sqlite3"
    asked: list[str] = []
    played: list[Any] = []
    with open_record(path, "王班长", "desk-2") as rec:
        alarms = AlarmController(
            BadEvening(),
            strip,
            rec,
            supervisor=lambda: rec.supervisor,
            link_up=lambda: True,
            sound=SimpleNamespace(play=played.append),
            clock=lambda: T0,
            ask_comment=lambda text: asked.append(text) or "已加派座席",
        )
        raised = alarms.evaluate()
        assert len(raised) == 10
        # one alert for the ten, at the most severe (each opens the sound device)
        assert played == [max(t.alarm.severity for t in raised)]
        more = strip.findChild(QPushButton, "alarmsMore")
        assert more is not None and more.text() == "+6 more…"
        qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
        dialog = alarms.list_dialog
        assert dialog is not None and dialog.isVisible()
        assert dialog.table.rowCount() == 10
        assert dialog.summary.text() == "10 active alarms, 10 not acknowledged"
        texts = [dialog.table.item(r, 2).text() for r in range(10)]
        assert any("urban-6" in t for t in texts) and any("座席2" in t for t in texts)
        assert not dialog.ack_button.isEnabled()

        picked = (1, 4, 8)
        ids = [dialog._ids[r] for r in picked]
        for r in picked:
            dialog.table.selectionModel().select(
                dialog.table.model().index(r, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        assert dialog.selected_ids() == ids
        qtbot.mouseClick(dialog.ack_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 1 and asked[0].startswith("3 alarms, the first: ")
        assert {a.alarm_id for a in alarms.engine.active() if a.acknowledged_by} == set(ids)
        assert dialog.summary.text() == "10 active alarms, 7 not acknowledged"
        # acknowledged ones go after the open ones, and name who acknowledged them
        assert [dialog.table.item(r, 3).text() for r in range(10)][-3:] == ["王班长"] * 3
        # the strip's four are alarms nobody has acknowledged yet
        from PySide6.QtWidgets import QLabel

        in_strip = [strip._lay.itemAt(i).widget() for i in range(strip._lay.count())]
        labels = [w.text() for w in in_strip if isinstance(w, QLabel)]
        assert len(labels) == 4 and not any("acknowledged" in t for t in labels), labels
        # a second acknowledgement of the same alarms asks nothing and changes nothing
        assert alarms.acknowledge_many(ids) == 0 and len(asked) == 1
        dialog.close()
        alarms.stop()
    with open_review(path) as review:
        acked = [a for a in review.alarms() if a.acks]
    assert len(acked) == 3
    assert all(
        [(k.supervisor, k.comment) for k in a.acks] == [("王班长", "已加派座席")] for a in acked
    )


def test_a_recovering_figure_is_not_shown_as_below_its_threshold(qapp: Any) -> None:
    """Seen on the 2,000-agent floor: "服务水平 78% 低于 75%" while the alarm waited to clear."""
    from console.alarms_view import described_alarm
    from console.i18n import Translations
    from cti.alarms.model import AlarmKind

    sl = AlarmKind.SERVICE_LEVEL
    assert described_alarm(sl, "urban", 0.72, 0.75) == "Queue urban: service level 72% below 75%"
    assert (
        described_alarm(sl, "urban", 0.78, 0.75)
        == "Queue urban: service level 78%, recovering (alarm below 75%)"
    )
    assert (
        described_alarm(AlarmKind.ABANDON_RATE, "urban", 0.04, 0.05)
        == "Queue urban: abandon rate 4%, recovering (alarm above 5%)"
    )
    assert (
        described_alarm(AlarmKind.ABANDON_RATE, "urban", 0.07, 0.05)
        == "Queue urban: abandon rate 7% above 5%"
    )
    translations = Translations(qapp)
    assert translations.apply("zh_CN") == "zh_CN"
    try:
        assert (
            described_alarm(sl, "power-194", 0.78, 0.75)
            == "技能组 power-194：服务水平 78%，正在回升（告警线 75%）"
        )
    finally:
        translations.apply("en")


def test_alarms_escalating_together_send_one_text(qtbot: Any, strip: AlarmStrip) -> None:
    """Alarms left unacknowledged escalate in the same second: the on-call manager gets one
    SMS naming the worst three and counting the rest, not one each."""
    now = [T0]
    texts: list[str] = []
    outputs = SimpleNamespace(text_on_call=texts.append, devices=SimpleNamespace(wallboard_port=""))
    alarms = AlarmController(
        BadEvening(),
        strip,
        None,
        supervisor=lambda: "王班长",
        link_up=lambda: True,
        outputs=outputs,
        clock=lambda: now[0],
    )
    assert len(alarms.evaluate()) == 10
    now[0] += 3600  # long past every escalation delay
    escalated = [t for t in alarms.evaluate() if t.kind.value == "escalated"]
    assert len(escalated) > 3
    assert len(texts) == 1
    assert texts[0].startswith(f"{len(escalated)} hotline alarms not acknowledged: ")
    assert texts[0].count("; ") == 2 and texts[0].endswith(f" (and {len(escalated) - 3} more)")
    alarms.stop()


class SlidingQueue(FloorFigures):
    """FloorFigures' queue, its service level set by the test."""

    def __init__(self) -> None:
        self.sl = 50.0

    def queues(self) -> list[Any]:
        return [urban(waiting=0, sl_percent=self.sl, offered=30, abandon_percent=0.0)]


def test_the_strip_follows_the_figures_without_swapping_its_buttons(
    qtbot: Any, strip: AlarmStrip
) -> None:
    """An alarm's figure moves every second while nothing is raised or cleared: the strip
    shows the current one, and the Acknowledge button under the pointer stays the same."""
    floor = SlidingQueue()
    alarms = AlarmController(
        floor, strip, None, supervisor=lambda: "王班长", link_up=lambda: True, clock=lambda: T0
    )
    raised = alarms.evaluate()
    sl = next(t.alarm for t in raised if t.alarm.key.kind.value == "service_level")
    button = strip.findChild(QPushButton, f"ack_{sl.alarm_id}")
    floor.sl = 55.0
    assert alarms.evaluate() == []  # still critical: no transition
    texts = [label.text() for label in strip._labels]
    assert any("service level 55% below 75%" in t for t in texts), texts
    assert strip.findChild(QPushButton, f"ack_{sl.alarm_id}") is button
    alarms.stop()


def test_long_alarm_texts_shorten_instead_of_widening_the_window(qtbot: Any) -> None:
    """Seen on the 2,000-agent floor: four long alarm texts made the main window 2,141 pixels
    wide on a 1,920-pixel screen. The strip now fits the window; each text ends in "…"."""
    from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

    window = QMainWindow()
    qtbot.addWidget(window)
    body = QWidget()
    strip = AlarmStrip()
    QVBoxLayout(body).addWidget(strip)
    window.setCentralWidget(body)
    alarms = AlarmController(
        BadEvening(),
        strip,
        None,
        supervisor=lambda: "王班长",
        link_up=lambda: True,
        clock=lambda: T0,
    )
    alarms.evaluate()
    window.resize(1000, 300)
    window.show()
    qtbot.waitUntil(lambda: window.width() == 1000, timeout=5000)
    assert window.minimumSizeHint().width() <= 1000
    assert sum(label.width() for label in strip._labels) < 1000
    image = strip._labels[0].grab().toImage()
    assert not image.isNull() and image.width() == strip._labels[0].width()
    alarms.stop()
