"""The whole console restarted mid-shift on its lab: the day's figures come back from its
record before the floor is shown, and the floor then goes live as before."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]


def _run(seconds: float) -> tuple[int, int, int, list[Any]]:
    """Calls answered today when the floor went live, after `seconds` more, the events
    restored from the record at the start, and the agent panel's restored day bar of 1001."""
    import main
    from console.paths import app_paths

    args = argparse.Namespace(
        lang="en",
        log_level="WARNING",
        self_check=False,
        screenshot=None,
        scenario="water",
        lab_speed=20.0,
    )
    app = QApplication.instance()
    started = time.time()
    console = main.build_console(args, app, app_paths())
    console.window.show()
    store, floor = console.parts["store"], console.parts["floor"]
    deadline = time.monotonic() + 60
    while not (store.is_live and floor.agent_model.rowCount() > 0):
        assert time.monotonic() < deadline, "the floor did not go live"
        app.processEvents()
        time.sleep(0.01)
    at_live = sum(a.day.answered for a in store.agents())
    controller = console.parts["controller"]
    earlier = controller.earlier("PJSIP/1001") if controller.earlier else []
    assert all(s.end <= started for s in earlier)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    answered = sum(a.day.answered for a in store.agents())
    applied = console.parts["seed"].seed.applied
    console.window.close()
    console.shutdown()
    return at_live, answered, applied, earlier


def test_a_restart_keeps_calls_today(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_CONSOLE_HOME", str(tmp_path))
    _, first_end, first_applied, first_earlier = _run(8)
    assert first_applied == 0 and first_earlier == []  # a new record: nothing earlier today
    assert first_end > 5
    second_live, _, second_applied, second_earlier = _run(0)
    assert second_applied > 100
    assert second_earlier  # the agent panel's day bar shows the first session's states
    # live again, with every call the first session saw already counted
    assert second_live >= first_end


def test_the_status_bar_tells_the_restore_and_keeps_other_notices(qtbot: Any) -> None:
    from console.floor_view import FloorView
    from console.main_window import MainWindow
    from console.status import StatusPresenter

    window = MainWindow(floor=FloorView(time.time), can_open_record=True)
    qtbot.addWidget(window)
    status = StatusPresenter(window, window.floor, store=SimpleNamespace(is_live=False))
    bar = window.statusBar()
    window.show_notice("The settings file is damaged; defaults are used.")
    status.restoring_done(0)  # nothing was restored: a start-up notice stays
    assert bar.currentMessage() == "The settings file is damaged; defaults are used."
    status.show_restoring(500, 1000)
    assert bar.currentMessage() == "Restoring today's figures from the record… 50 %"
    status.restoring_done(0)
    assert bar.currentMessage() == ""
    status.restoring_done(1_234_567)
    assert bar.currentMessage() == (
        "Today's figures count from now: too many of today's events (1,234,567) to restore."
    )
