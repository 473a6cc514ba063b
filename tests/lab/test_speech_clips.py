"""scripts/make_speech_clips.py: 8 kHz mono 16-bit clips per role and language, idempotent,
and a clean skip without espeak-ng."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_speech_clips.py"


def run(out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=110,
        check=False,
    )


@pytest.mark.timeout(120)
@pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="espeak-ng / sox not installed (scripts/setup.sh installs them)",
)
def test_clips_are_made_once_in_the_lab_format(tmp_path: Path) -> None:
    first = run(tmp_path)
    assert first.returncode == 0, first.stderr
    clips = sorted(tmp_path.glob("*.wav"))
    names = {p.name for p in clips}
    for role in ("caller", "agent"):
        for lang in ("zh", "en"):
            assert f"{role}-{lang}-1.wav" in names
    for clip in clips:
        with wave.open(str(clip), "rb") as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
            assert 1.0 < w.getnframes() / 8000 < 12.0
    stamps = {p.name: p.stat().st_mtime_ns for p in clips}
    second = run(tmp_path)
    assert second.returncode == 0 and "0 clip(s) made" in second.stdout
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("*.wav")} == stamps
    clips[0].write_bytes(b"not a wav")  # a damaged clip is remade
    third = run(tmp_path)
    assert "1 clip(s) made" in third.stdout


@pytest.mark.timeout(60)
def test_missing_espeak_is_a_clean_skip(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path / "empty-bin"))
    done = run(tmp_path / "out", env)
    assert done.returncode == 0
    assert "skipped" in done.stdout and "espeak-ng" in done.stdout
    assert not (tmp_path / "out").exists()
