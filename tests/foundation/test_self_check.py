"""`main.py --self-check --screenshot` starts the real app offscreen and leaves a real picture."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _distinct_colours(png: Path) -> int:
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull(), f"{png} is not an image"
    step = max(1, img.width() // 200)
    colours = {
        img.pixel(x, y) for y in range(0, img.height(), step) for x in range(0, img.width(), step)
    }
    return len(colours)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_self_check_screenshot(repo_root: Path, tmp_path: Path, lang: str) -> None:
    shot = tmp_path / f"shot-{lang}.png"
    env = dict(os.environ, HOTLINE_CONSOLE_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "main.py", "--self-check", "--screenshot", str(shot), "--lang", lang],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=140,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-check: ok" in proc.stdout
    assert shot.stat().st_size > 5000
    assert _distinct_colours(shot) > 20, "screenshot looks blank"
