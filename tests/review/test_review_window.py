"""The review window over a record made from the lab's water-hotline simulation."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QToolTip

from console.bench.sim_feed import SimFeed
from console.record_link import RecordLink
from console.review_window import ReviewWindow, action_label
from db.review import open_review
from widgets.charts import segment_text

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def water_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "water.sqlite3"
    link = RecordLink.open(path, supervisor="王班长", workstation="desk-1", snapshot_every_s=120)
    assert link.ok, link.error
    rec = link.record
    assert rec is not None
    feed = SimFeed("water", seed=3)
    for ev in feed.advance(300):
        rec.journal_event(feed.clock(), ev.name, ev.message.headers)
    # a snapshot like the one after a (re)connect, then an hour of traffic
    for ev in feed.snapshot_items():
        rec.journal_event(feed.clock(), ev.name, ev.message.headers)
    for _ in range(720):  # an hour in 5 s steps: every event keeps its own time
        for ev in feed.advance(5):
            rec.journal_event(feed.clock(), ev.name, ev.message.headers)
    t = feed.clock()
    h = rec.action_intent(
        "QueuePause", agent="PJSIP/1001", params={"reason": "training"}, ts=t - 600
    )
    rec.action_result(h, True, "Success", 0.02, ts=t - 599)
    m = rec.monitor_session_start(
        "PJSIP/1002", "listen", queue="urban", linkedid="x.1", caller="13800138000", ts=t - 500
    )
    rec.monitor_session_mode(m, "whisper", ts=t - 450)
    rec.monitor_session_end(m, "stopped", ts=t - 400)
    a = rec.alarm_raised(
        "longest_wait", "critical", "Queue urban: longest wait 3:10", queue="urban", ts=t - 300
    )
    rec.alarm_acknowledged(a, "已安排加派座席", ts=t - 250)
    link.close()
    return path


def test_review_tables_replay_export_verify(qtbot: Any, water_record: Path, tmp_path: Path) -> None:
    win = ReviewWindow(open_review(water_record))
    qtbot.addWidget(win)
    win.show()
    assert win.tables["Actions"].rowCount() == 1
    assert win.tables["Monitoring sessions"].rowCount() == 1
    sessions = win.tables["Monitoring sessions"]
    modes = sessions.table.rows[0]
    assert "whisper" in " ".join(str(c) for c in modes)
    shown = sessions.data(sessions.index(0, sessions.table.columns.index("modes")))
    assert re.fullmatch(r"Listen \d\d:\d\d:\d\d → Whisper \d\d:\d\d:\d\d", shown), shown
    # agents by the names the record holds; the interface stays in the tooltip
    agent = sessions.index(0, sessions.table.columns.index("agent"))
    name = win.agent_names["PJSIP/1002"]
    assert name and sessions.data(agent) == f"{name} · 1002"
    assert sessions.data(agent, Qt.ItemDataRole.ToolTipRole) == "PJSIP/1002"
    assert win.tables["Alarms"].rowCount() == 1
    actions = win.tables["Actions"]
    columns = actions.table.columns
    # on screen, codes in words (exports keep the codes); names other programs used stay
    assert actions.data(actions.index(0, columns.index("outcome"))) == "Succeeded"
    assert actions.data(actions.index(0, columns.index("action"))) == "QueuePause"
    assert action_label("pause") == "Not ready (pause)"
    assert "已安排加派座席" in " ".join(str(c) for c in win.tables["Alarms"].table.rows[0])
    alarms = win.tables["Alarms"]
    cols = alarms.table.columns
    assert alarms.data(alarms.index(0, cols.index("rule"))) == "Longest wait"
    assert alarms.data(alarms.index(0, cols.index("severity"))) == "Critical"
    assert alarms.table.rows[0][cols.index("rule")] == "longest_wait"  # exports keep codes

    # filter by agent: the action concerns PJSIP/1001 only
    win.agent.setCurrentIndex(win.agent.findData("PJSIP/1002"))
    win.refresh()
    assert win.tables["Actions"].rowCount() == 0
    win.agent.setCurrentIndex(0)
    win.refresh()

    # floor replay: move the slider to the middle of the record
    win.slider.setValue(win.slider.maximum() // 2)
    win._on_replay()
    assert win.replay_agents.rowCount() >= 30
    assert win.replay_queues.rowCount() == 5
    states = {r.state for r in win.replay_agents.rows}
    assert states & {"talking", "ready", "wrap_up"}
    # as the live tiles: calls answered today, and the caller and queue of a call in progress
    assert any(r.calls > 0 for r in win.replay_agents.rows)
    talking = [r for r in win.replay_agents.rows if r.state == "talking"]
    assert talking and all(r.caller and r.queue for r in talking)
    for meter in win.replay_queues.rows:
        on_shift = meter.ready + meter.talking + meter.wrap_up + meter.not_ready + meter.ringing
        assert meter.staffed == on_shift
    assert sum(m.staffed for m in win.replay_queues.rows) > 0
    # and the interval's figures up to that minute, as the live meter showed them
    busy = [m for m in win.replay_queues.rows if m.offered]
    assert busy and all(m.sl is not None and m.asa_s is not None for m in busy)
    assert all("–" in m.interval for m in win.replay_queues.rows)
    assert any(m.needed is not None for m in win.replay_queues.rows)
    assert {m.sl_target for m in win.replay_queues.rows} == {0.9}

    win._on_intervals()
    assert win.interval_model.rowCount() > 0
    # all queues first, one row per interval: each the sum of that interval's queue rows
    rows = win.interval_model.table.rows
    totals = [r for r in rows if r[0] == "All queues"]
    assert totals and rows[: len(totals)] == totals
    for total in totals:
        queues = [r for r in rows[len(totals) :] if r[1] == total[1]]
        for column in range(2, 7):  # offered, answered, answered in T, abandoned, short
            assert total[column] == sum(r[column] for r in queues), (total, column)
    assert sum(t[2] for t in totals) > 0

    for suffix in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"export.{suffix}"
        assert win.export_to(out) >= 0
        assert out.stat().st_size > 200
    win.close()


def test_opening_a_file_that_is_not_a_record_says_so(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("this is not a database", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(
        "console.review_window.QMessageBox.warning", lambda *a: shown.append(str(a[2]))
    )
    assert ReviewWindow.open(bad) is None
    assert shown and bad.read_text(encoding="utf-8") == "this is not a database"


def test_agent_timeline_covers_the_record_and_explains_a_stretch_on_hover(
    qtbot: Any, water_record: Path
) -> None:
    review = open_review(water_record)
    win = ReviewWindow(review)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    win.tabs.setCurrentWidget(win.timeline.parentWidget())
    win.agent.setCurrentIndex(win.agent.findData("PJSIP/1002"))
    qtbot.mouseClick(win.timeline_btn, Qt.MouseButton.LeftButton)
    timeline = win.timeline
    rows = timeline._rows
    assert len(rows) == 1 and rows[0]
    first, last = review.bounds() or (0.0, 0.0)
    # only what the record knows: from its first to its last PBX event, not the whole day
    assert rows[0][0].start == first and rows[0][-1].end == last
    assert "Talking" in timeline.legend.text()

    longest = max(rows[0], key=lambda s: s.end - s.start)
    vb = timeline.plot.getPlotItem().vb
    qtbot.waitUntil(lambda: vb.viewRect().width() > 0, timeout=5000)
    scene = vb.mapViewToScene(QPointF((longest.start + longest.end) / 2, 0.0))
    pos = timeline.plot.mapFromScene(scene)
    qtbot.mouseMove(timeline.plot.viewport(), pos)
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    label = timeline._labels[0]
    assert label == "李娜 · 1002"  # the agent's name from the record, and the extension
    assert QToolTip.text() == segment_text(label, longest)
    assert QToolTip.text().startswith("李娜 · 1002: ") and "–" in QToolTip.text()
    win.close()


def test_agent_timelines_page_through_every_agent_and_follow_the_queue_filter(
    qtbot: Any, water_record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every agent can be reached a page at a time (a 2,000-agent floor used to show its first
    40 and say nothing of the rest); a queue in the filter lists that queue's agents."""
    monkeypatch.setattr("console.review_window.TIMELINE_PAGE", 10)
    review = open_review(water_record)
    everyone = review.agents()
    assert len(everyone) > 20
    win = ReviewWindow(review)
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.timeline.parentWidget())
    qtbot.mouseClick(win.timeline_btn, Qt.MouseButton.LeftButton)
    assert win.timeline_count.text() == f"Agents 1–10 of {len(everyone)}"
    assert win.timeline._labels == [win._agent_label(a) for a in everyone[:10]]
    assert not win.timeline_prev.isEnabled() and win.timeline_next.isEnabled()
    # read downwards: the page's first agent on top
    vb = win.timeline.plot.getPlotItem().vb
    assert vb.mapViewToScene(QPointF(0.0, 0.0)).y() < vb.mapViewToScene(QPointF(0.0, 1.0)).y()
    seen = list(win.timeline._labels)
    while win.timeline_next.isEnabled():
        qtbot.mouseClick(win.timeline_next, Qt.MouseButton.LeftButton)
        seen += win.timeline._labels
    assert seen == [win._agent_label(a) for a in everyone]
    last_first = (len(everyone) - 1) // 10 * 10 + 1
    assert win.timeline_count.text() == f"Agents {last_first}–{len(everyone)} of {len(everyone)}"
    assert all(rows for rows in win.timeline._rows)  # each row has its day
    qtbot.mouseClick(win.timeline_prev, Qt.MouseButton.LeftButton)
    assert win.timeline_count.text().startswith(f"Agents {last_first - 10}–")

    win.queue.setCurrentIndex(win.queue.findData("urban"))
    qtbot.mouseClick(win.timeline_btn, Qt.MouseButton.LeftButton)  # a new choice: page one
    members = review.queue_members("urban")
    assert 0 < len(members) < len(everyone)
    assert win.timeline_count.text() == f"Agents 1–{min(10, len(members))} of {len(members)}"
    assert win.timeline._labels == [win._agent_label(a) for a in members[:10]]
    win.close()


def test_the_filter_starts_with_everything_in_the_record(qtbot: Any, tmp_path: Path) -> None:
    """A console signs in before its first PBX event (here the PBX answered only after two minutes)
    and signs out after the last: the window's first view must show both."""
    from db.record import open_record

    path = tmp_path / "session.sqlite3"
    t0 = 1_795_337_230.5
    with open_record(path, "王班长", "desk-3") as rec:
        rec.sign_in("王班长", method="os_user", ts=t0)
        for i in range(5):
            rec.journal_event(
                t0 + 40 + i, "QueueCallerJoin", {"Queue": "urban", "Uniqueid": f"{i}"}
            )
        rec.setting_changed("floor.sl_threshold_s", 20, 15, ts=t0 + 200)
        rec.sign_out(method="console_closed", ts=t0 + 260)
    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    sign_ins = win.tables["Sign-ins"]
    assert sign_ins.rowCount() == 2
    cols = sign_ins.table.columns
    shown = [sign_ins.data(sign_ins.index(r, cols.index("method"))) for r in range(2)]
    assert shown == ["Console started (system user)", "Console closed"]
    settings = win.tables["Settings"]
    assert settings.rowCount() == 1
    column = settings.table.columns.index("setting")
    shown = settings.data(settings.index(0, column))
    assert shown == "Floor · Service level: answered within"
    assert settings.data(settings.index(0, column), Qt.ItemDataRole.ToolTipRole) == (
        "floor.sl_threshold_s"
    )
    win.close()


def test_figures_use_the_definitions_the_recording_console_ran_with(
    qtbot: Any, tmp_path: Path
) -> None:
    from cti.state.config import FloorConfig, definitions_json
    from db.record import open_record

    feed = SimFeed("water", seed=9)
    recorded = FloorConfig(sl_threshold_s=15.0, sl_target=0.8, wrapup_s=25.0)
    path = tmp_path / "defs.sqlite3"
    with open_record(
        path, "王班长", "desk-4", clock=feed.clock, definitions=definitions_json(recorded)
    ) as rec:
        for ev in feed.snapshot_items():
            rec.journal_event(feed.clock(), ev.name, ev.message.headers)
        for _ in range(120):
            for ev in feed.advance(5):
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
    win = ReviewWindow(open_review(path), config=FloorConfig(sl_threshold_s=20.0))
    qtbot.addWidget(win)
    win._on_intervals()
    text = win.definitions_label.text()
    assert "T = 15 s, target 80 %" in text and "as the console started at" in text, text
    win.slider.setValue(win.slider.maximum())
    win._on_replay()
    assert {(m.sl_threshold_s, m.sl_target) for m in win.replay_queues.rows} == {(15, 0.8)}
    win.close()
    # later that day the console restarted with T = 30 s: one line per set of definitions
    later = feed.clock() + 7200
    with open_record(
        path,
        "王班长",
        "desk-4",
        clock=lambda: later,
        definitions=definitions_json(FloorConfig(sl_threshold_s=30.0)),
    ):
        pass
    win = ReviewWindow(open_review(path), config=FloorConfig(sl_threshold_s=20.0))
    qtbot.addWidget(win)
    win._on_intervals()
    first, second = win.definitions_label.text().split("\n")
    assert first.startswith("from 00:00: ") and "T = 15 s" in first, first
    cut = datetime.fromtimestamp(later // 1800 * 1800 + 1800).strftime("%H:%M")
    assert second.startswith(f"from {cut}: ") and "T = 30 s, target 90 %" in second, second
    win.close()


@pytest.fixture
def chinese(qapp: Any) -> Any:
    from console.i18n import Translations

    translations = Translations(qapp)
    assert translations.apply("zh_CN") == "zh_CN"
    yield translations
    translations.apply("en")


def test_why_monitoring_ended_reads_in_the_ui_language(
    qtbot: Any, tmp_path: Path, chinese: Any
) -> None:
    """The record keeps the English sentence (exports too); the table shows it in Chinese, and
    says so when a session's end or an action's result never reached the record."""
    from cti.sip.end_reasons import EndCode, EndReason
    from db.record import open_record

    path = tmp_path / "ends.sqlite3"
    t0 = 1_795_337_230.5
    ends = [
        EndReason(EndCode.STOPPED).text,
        EndReason(EndCode.PBX_ENDED, "200 Normal call clearing").text,
        EndReason(EndCode.NO_AUDIO, "2").text,
        "hangup",  # words another program wrote: shown as they are
        None,  # the console was killed while monitoring
    ]
    with open_record(path, "王班长", "desk-3") as rec:
        for i, end in enumerate(ends):
            m = rec.monitor_session_start(f"PJSIP/100{i}", "listen", ts=t0 + 60 * i)
            if end is not None:
                rec.monitor_session_end(m, end, ts=t0 + 60 * i + 30)
        rec.action_intent("QueuePause", agent="PJSIP/1001", ts=t0 + 400)
    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    sessions = win.tables["Monitoring sessions"]
    column = sessions.table.columns.index("end")
    shown = [sessions.data(sessions.index(r, column)) for r in range(sessions.rowCount())]
    assert shown == [
        "班长结束",
        "交换机结束了监听通话，通常是因为坐席的通话已结束（200 Normal call clearing）",
        "交换机 2 秒没有语音：交换机是否失联？",
        "hangup",
        "（记录中没有结束）",
    ]
    tip = sessions.data(sessions.index(1, column), Qt.ItemDataRole.ToolTipRole)
    assert tip == "the PBX ended the spy call (200 Normal call clearing)"
    actions = win.tables["Actions"]
    column = actions.table.columns.index("result")
    assert actions.data(actions.index(0, column)) == "（记录中没有结果）"
    win.close()


def test_replay_starts_at_the_first_whole_minute_the_floor_is_known(
    qtbot: Any, tmp_path: Path
) -> None:
    """A console's record begins with FullyBooted, then the snapshot's lists a few ms later:
    the replay's first position must show that floor, not the empty one before it."""
    from db.record import open_record

    path = tmp_path / "start.sqlite3"
    t0 = 1_795_337_220.0  # a whole minute
    with open_record(path, "王班长", "desk-3") as rec:
        rec.journal_event(t0 + 58.688, "FullyBooted", {"Status": "Fully Booted"})
        for i in range(3):
            member = {"Queue": "urban", "Location": f"PJSIP/100{i}", "Name": f"座席{i}"}
            rec.journal_event(t0 + 58.707, "QueueMember", {**member, "Status": "1"})
        rec.journal_event(t0 + 150, "QueueMemberStatus", {**member, "Status": "2"})
    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    assert win.slider.value() == 0 and win.slider.maximum() == 2
    assert [win.replay_time(v) - t0 for v in range(3)] == [60.0, 120.0, 150.0]
    assert win.replay_agents.rowCount() == 3  # the first replay, as the window opened
    win.close()


def test_an_empty_table_says_so(qtbot: Any, chinese: Any) -> None:
    from PySide6.QtGui import QStandardItemModel

    from console.review_window import HintedTableView

    model = QStandardItemModel(0, 3)
    view = HintedTableView("所选时段和筛选条件下没有记录。")
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(500, 200)
    view.show()

    def inked() -> int:
        image = view.viewport().grab().toImage()
        background = image.pixelColor(5, image.height() - 5)
        return sum(
            1
            for x in range(100, 400)
            for y in range(20, 50)
            if image.pixelColor(x, y) != background
        )

    assert inked() > 50  # the sentence is drawn where the first rows would be
    model.setRowCount(0)
    view.empty_text = ""
    view.viewport().update()
    assert inked() == 0


def test_an_agent_is_found_by_typing_part_of_a_name_or_an_extension(
    qtbot: Any, water_record: Path
) -> None:
    """Among 2,000 agents nobody scrolls a list: the supervisor types "1002" or "李娜"."""
    win = ReviewWindow(open_review(water_record))
    qtbot.addWidget(win)
    win.show()
    edit = win.agent.lineEdit()

    def type_in(text: str) -> None:
        edit.clear()
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:  # Chinese arrives from the input method, committed as a whole
            from PySide6.QtGui import QInputMethodEvent
            from PySide6.QtWidgets import QApplication

            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(edit, event)
        assert edit.text() == text

    for typed in ("1002", "李娜", "李娜 · 1002"):
        type_in(typed)
        assert win.chosen_agent() == "PJSIP/1002", typed
    win.tabs.setCurrentWidget(win.timeline.parentWidget())
    qtbot.mouseClick(win.timeline_btn, Qt.MouseButton.LeftButton)
    assert win.timeline._labels == ["李娜 · 1002"]
    type_in("10")  # every extension has it
    assert win.chosen_agent() is None
    assert "showing all agents" in win.statusBar().currentMessage()
    edit.clear()
    assert win.chosen_agent() is None
    win.close()


def test_verify_chain_shows_progress_and_speaks_the_window_language(
    qtbot: Any, water_record: Path, tmp_path: Path, chinese: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking "Verify chain": progress while it runs (a 10 M-row record takes minutes), the
    result in Chinese with the verifier's explanation as the detail, and a cancel that stops."""
    import shutil
    import sqlite3

    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    import db.chain

    path = tmp_path / "verify.sqlite3"
    shutil.copyfile(water_record, path)
    shown: list[tuple[str, str]] = []
    labels: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(("i", text)))
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(("c", text)))
    monkeypatch.setattr(db.chain, "PROGRESS_EVERY", 500)
    set_label = QProgressDialog.setLabelText
    monkeypatch.setattr(
        QProgressDialog, "setLabelText", lambda d, text: (labels.append(text), set_label(d, text))
    )
    win = ReviewWindow(open_review(path))
    qtbot.addWidget(win)
    win.show()
    head = win.review.head()

    qtbot.mouseClick(win.verify_btn, Qt.MouseButton.LeftButton)
    assert shown[-1][0] == "i"
    intact = f"审计链完整：共 {head[0]:,} 行。\n链头：第 #{head[0]} 行，SHA-256 "
    assert shown[-1][1].startswith(intact)
    assert head[1] in shown[-1][1]
    assert f"正在校验审计链… 已查 500 / 共 {head[0]:,} 行" in labels

    connection = sqlite3.connect(path)
    try:
        connection.execute("UPDATE journal SET name = 'Hangup' WHERE seq = 700")
        connection.commit()
    finally:
        connection.close()
    qtbot.mouseClick(win.verify_btn, Qt.MouseButton.LeftButton)
    kind, text = shown[-1]
    first, detail = text.split("\n")
    assert kind == "c"
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert re.fullmatch(rf"记录已被改动：第 #700 行（journal，{when}）被修改。", first), first
    assert detail.startswith("详情：row #700 (journal, ")

    count = len(shown)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda _d: True)
    qtbot.mouseClick(win.verify_btn, Qt.MouseButton.LeftButton)
    assert len(shown) == count
    assert win.statusBar().currentMessage() == "已取消审计链校验"
    win.close()
