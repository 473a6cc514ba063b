"""L / W / B / L / S on the tile wall monitor a lab call with real SIP audio, the microphone is
linked only in whisper and barge, and the record holds the session with its mode segments."""

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
    (session,) = out["sessions"]
    assert session["agent"] == out["agent"]
    assert session["modes"] == ["listen", "whisper", "barge", "listen"]
    assert session["end"]
    assert (
        out["actions"].count("listen") == 2
        and "barge" in out["actions"]
        and "stop" in out["actions"]
    )
