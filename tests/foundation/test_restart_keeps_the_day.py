"""The whole console restarted mid-shift on its lab: the day's figures come back from its
record before the floor is shown, and the floor then goes live as before."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

pytestmark = [pytest.mark.gui, pytest.mark.timeout(120)]


def _run(seconds: float) -> tuple[int, int, int]:
    """Calls answered today when the floor went live, after `seconds` more, and the events
    restored from the record at the start."""
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
    console = main.build_console(args, app, app_paths())
    console.window.show()
    store, floor = console.parts["store"], console.parts["floor"]
    deadline = time.monotonic() + 60
    while not (store.is_live and floor.agent_model.rowCount() > 0):
        assert time.monotonic() < deadline, "the floor did not go live"
        app.processEvents()
        time.sleep(0.01)
    at_live = sum(a.day.answered for a in store.agents())
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    answered = sum(a.day.answered for a in store.agents())
    applied = console.parts["seed"].seed.applied
    console.window.close()
    console.shutdown()
    return at_live, answered, applied


def test_a_restart_keeps_calls_today(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_CONSOLE_HOME", str(tmp_path))
    _, first_end, first_applied = _run(8)
    assert first_applied == 0  # a new record: nothing earlier today
    assert first_end > 5
    second_live, _, second_applied = _run(0)
    assert second_applied > 100
    # live again, with every call the first session saw already counted
    assert second_live >= first_end
