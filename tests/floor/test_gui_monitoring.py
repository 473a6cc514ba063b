"""L / W / B / L / S on the tile wall monitor a lab call with real SIP audio, the microphone is
linked only in whisper and barge, and the record holds the session with its mode segments.
When the monitored call ends at the PBX, the status bar says why the banner went away."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.sip, pytest.mark.timeout(150)]


def test_keys_on_the_wall_monitor_a_lab_call(repo_root: Path, tmp_path: Path) -> None:
    env = dict(os.environ, HOTLINE_CONSOLE_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("gui_monitor_run.py"))],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=140,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["ok"], out
    assert "LISTENING" in out["banner"]
    assert out["mic_linked_first_listen"] is False  # listen is structurally silent
    assert out["mic_linked_whisper"] is True and out["mic_linked_barge"] is True
    assert out["mic_linked_listen"] is False  # and cut again when back to listen
    assert out["banner_after_stop"] is False
    assert out["frames_heard"] > 10
    assert out["notice_after_stop"] == "Done: Stop"  # stopped by the supervisor: no "why"
    assert out["banner_after_hangup"] is False
    assert out["notice_after_hangup"].startswith("Monitoring of ")
    assert out["second_agent"].split("/")[-1] in out["notice_after_hangup"]
    assert "the agent's call ended (200 " in out["notice_after_hangup"]
    session, second = out["sessions"]
    assert session["agent"] == out["agent"]
    assert session["modes"] == ["listen", "whisper", "barge", "listen"]
    assert session["end"] == "stopped by supervisor"
    assert second["agent"] == out["second_agent"] and second["modes"] == ["listen"]
    assert second["end"].startswith("the PBX ended the spy call (200 ")
    # "who listened to whom, when": wall-clock times, in order, within the run
    for s in (session, second):
        times = s["times"]
        assert out["wall_start"] <= times[0] and times[-1] <= out["wall_end"], s
        assert times == sorted(times), s
    assert out["actions"] == ["listen", "whisper", "barge", "listen", "stop", "listen"]
