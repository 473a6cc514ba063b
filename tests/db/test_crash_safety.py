"""SIGKILL at random points while writing: the file stays sound and keeps every committed row."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from db.crash_probe import run_kills

KILLS = 52


@pytest.mark.slow
@pytest.mark.timeout(110)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics")
def test_kill_nine_loses_no_committed_row(tmp_path: Path) -> None:
    done, problems = run_kills(tmp_path, KILLS, seed=2026)
    assert done == KILLS
    assert problems == []
    # the kills did land while rows were being written, not only on empty files
    files = sorted(tmp_path.glob("crash-*.sqlite"))
    assert len(files) == (KILLS + 4) // 5
    assert max(f.stat().st_size for f in files) > 100_000
