"""Subprocess body of test_gui_monitoring (pjsua2 allows one Endpoint per process, and one
that outlives pytest would abort it at exit): the real console on its embedded lab, driven by
key presses on the tile wall. Prints one JSON line with what it saw."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import main as app_main
    from console.paths import app_paths
    from cti.ami.actions import Hangup
    from cti.state.agent_state import AgentState

    app = QApplication([])
    args = argparse.Namespace(
        lang="en",
        log_level="WARNING",
        self_check=False,
        screenshot=None,
        scenario="default",
        lab_speed=1.0,
    )
    console = app_main.build_console(args, app, app_paths())
    console.window.resize(1400, 900)
    console.window.show()
    p = console.parts
    store, floor, monitor, actions = p["store"], p["floor"], p["monitor"], p["actions"]
    actions.confirm = lambda _text: True  # the barge confirmation: "yes"
    out: dict[str, object] = {"wall_start": time.time()}

    def wait(cond: object, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            if cond():  # type: ignore[operator]
                return
            time.sleep(0.01)
        raise TimeoutError(what)

    try:
        wait(lambda: store.is_live and floor.agent_model.rowCount() > 0, 60, "floor live")
        wait(
            lambda: monitor.session is not None and "registered" in console.window.sip_label.text(),
            30,
            "SIP registered",
        )
        agent = next(a for a in store.agents() if a.state is AgentState.TALKING and a.extension)
        out["agent"] = agent.interface
        assert floor.select_key(agent.interface)
        floor.wall.setFocus()
        t0 = time.monotonic()
        QTest.keyClick(floor.wall, Qt.Key.Key_L)
        wait(lambda: monitor.session.active, 15, "listen connected")
        wait(lambda: monitor.bridge.levels().speaker_dbfs > -40, 15, "audio at the supervisor")
        out["click_to_audio_ms"] = round((time.monotonic() - t0) * 1000, 1)
        out["banner"] = console.window.monitor_banner.text()
        # let the bridge tick ten more times (200 ms of its own clock): a wrong microphone
        # link made at call set-up would be in place by then
        heard = monitor.bridge.stats().frames_heard
        wait(lambda: monitor.bridge.stats().frames_heard >= heard + 10, 5, "bridge ticks")
        out["mic_linked_first_listen"] = monitor.session.mic_linked()
        for key, mode in (
            (Qt.Key.Key_W, "whisper"),
            (Qt.Key.Key_B, "barge"),
            (Qt.Key.Key_L, "listen"),
        ):
            QTest.keyClick(floor.wall, key)
            wait(lambda m=mode: monitor.session.mode.value == m, 10, f"mode {mode}")
            # the conference bridge applies link changes on its next clock tick (20 ms)
            want = mode != "listen"
            with contextlib.suppress(TimeoutError):
                wait(lambda w=want: monitor.session.mic_linked() is w, 1.0, "bridge link")
            out[f"mic_linked_{mode}"] = monitor.session.mic_linked()
        QTest.keyClick(floor.wall, Qt.Key.Key_S)
        wait(lambda: not monitor.session.busy, 10, "stopped")
        out["banner_after_stop"] = console.window.monitor_banner.isVisible()
        out["frames_heard"] = monitor.bridge.stats().frames_heard
        out["notice_after_stop"] = console.window.statusBar().currentMessage()
        # Listen again, then the caller hangs up (AMI Hangup on the lab): ChanSpy's E ends
        # the spy call, and the supervisor is told why the banner went away.
        agent = next(a for a in store.agents() if a.state is AgentState.TALKING and a.extension)
        call = next(c for c in store.calls() if c.linkedid == agent.call_linkedid)
        out["second_agent"] = agent.interface
        assert floor.select_key(agent.interface)
        QTest.keyClick(floor.wall, Qt.Key.Key_L)
        wait(lambda: monitor.session.active, 15, "second listen connected")
        p["link"].client.submit(Hangup(channel=call.caller_channel)).result(timeout=10)
        wait(lambda: not monitor.session.busy, 15, "the PBX ended the spy call")
        out["banner_after_hangup"] = console.window.monitor_banner.isVisible()
        out["notice_after_hangup"] = console.window.statusBar().currentMessage()
        out["ok"] = True
    except Exception as exc:  # reported to the test, which fails with it
        out["ok"] = False
        out["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        record_path = console.paths.record
        out["wall_end"] = time.time()
        console.window.close()
        console.shutdown()
    from db.review import open_review

    with open_review(record_path) as review:
        sessions = review.monitor_sessions()
        out["sessions"] = [
            {
                "agent": s.agent,
                "modes": [g.mode for g in s.segments],
                "end": s.end_reason,
                "times": [s.started, *(g.start for g in s.segments), s.ended],
            }
            for s in sessions
        ]
        out["actions"] = [a.action for a in review.actions()]
    print("RESULT " + json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
