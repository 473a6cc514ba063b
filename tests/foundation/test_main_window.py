"""The shell driven by real clicks and keys: settings dialog, language switch, theme."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

pytestmark = [pytest.mark.gui, pytest.mark.timeout(60)]


@pytest.fixture
def console(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOTLINE_CONSOLE_HOME", str(tmp_path))
    import main
    from console.paths import app_paths

    args = argparse.Namespace(lang="en", log_level="WARNING", self_check=False, screenshot=None)
    c = main.build_console(args, QApplication.instance(), app_paths())
    qtbot.addWidget(c.window)
    c.window.show()
    yield c
    c.window.close()
    c.shutdown()


def test_language_switch_retranslates_menus(console, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = console.window
    assert w.file_menu.title() == "&File"
    w.language_actions["zh_CN"].trigger()
    qtbot.waitUntil(lambda: "文件" in w.file_menu.title(), timeout=3000)
    assert console.shell.settings.ui.language == "zh_CN"
    from console.floor_adapter import formula_label
    from cti.state.metrics import SlFormula

    assert formula_label(SlFormula.OFFERED) == "T 内接通 / 呼入"  # cti's own text is English
    w.language_actions["en"].trigger()
    qtbot.waitUntil(lambda: w.file_menu.title() == "&File", timeout=3000)


def test_theme_switch_persists(console) -> None:  # type: ignore[no-untyped-def]
    console.window.theme_actions["dark"].trigger()
    assert QApplication.instance().property("theme") == "dark"
    assert console.shell.store.load().ui.theme == "dark"
    console.window.theme_actions["light"].trigger()


def test_settings_dialog_validates_and_saves(console, qtbot) -> None:  # type: ignore[no-untyped-def]
    console.window.settings_action.trigger()
    dlg = console.shell.dialog
    assert dlg is not None and dlg.isVisible()
    dlg.pbx_mode.setCurrentIndex(dlg.pbx_mode.findData("asterisk"))
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dlg.isVisible(), "an empty host must not be accepted"
    assert "host" in dlg.errors.text()
    dlg.host.setText("192.0.2.10")
    dlg.user.setText("console")
    dlg.secret.setText("s3cret")
    with qtbot.waitSignal(console.shell.settings_changed, timeout=2000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    saved = console.shell.store.load()
    assert saved.pbx.host == "192.0.2.10" and saved.pbx.mode == "asterisk"
    assert "s3cret" not in console.shell.store.path.read_text()
    assert console.shell.secrets.get("ami-secret") == "s3cret"


def test_settings_changes_and_the_session_are_in_the_record(console, qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.record import default_supervisor
    from db.review import open_review

    console.window.settings_action.trigger()
    dlg = console.shell.dialog
    dlg.pbx_mode.setCurrentIndex(dlg.pbx_mode.findData("asterisk"))
    dlg.host.setText("192.0.2.10")
    dlg.user.setText("console")
    dlg.secret.setText("s3cret")
    dlg.sl_threshold.setValue(15)
    dlg.retention.setValue(90)
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(console.shell.settings_edited, timeout=2000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    # saving again without a change writes nothing more
    console.window.settings_action.trigger()
    again = console.shell.dialog
    with qtbot.assertNotEmitted(console.shell.settings_edited):
        qtbot.mouseClick(
            again.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert console.parts["record"].record.retention_days == 90  # applies at once
    console.window.density_actions["compact"].trigger()  # a personal view choice: not audited
    assert console.shell.settings.ui.density == "compact"
    path = console.paths.record
    console.shutdown()  # the session ends: signed out, record closed

    with open_review(path) as review:
        changes = {c.setting: (c.old_value, c.new_value) for c in review.setting_changes()}
        sessions = [(s.account, s.outcome, s.method) for s in review.sign_ins()]
        who = {(c.supervisor, c.workstation) for c in review.setting_changes()}
    assert changes == {
        "pbx.mode": ("lab", "asterisk"),
        "pbx.host": ("", "192.0.2.10"),
        "pbx.user": ("", "console"),
        "floor.sl_threshold_s": (20, 15),
        "record.retention_days": (0, 90),
        "pbx.secret": ("***", "***"),
    }, changes
    assert "s3cret" not in path.read_bytes().decode("latin-1")
    me = default_supervisor()
    assert who and all(sup == me and ws for sup, ws in who)
    assert sessions == [(me, "ok", "os_user"), (me, "signed_out", "console_closed")]


def test_a_long_pbx_error_does_not_widen_the_main_window(qtbot: Any) -> None:
    from console.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1000, 600)
    window.show()
    detail = "connection refused by 192.0.2.10:5038 " * 12  # an unreachable PBX, at length
    window.set_link_state("backoff", detail)
    window.show_monitor_banner("正在监听 王芳 (1001)，按 W 密语、B 强插、S 结束。" * 6)
    assert window.minimumSizeHint().width() <= 1000
    assert window.link_label.text().endswith(f"({detail})")  # whole, for tests and tooltips
