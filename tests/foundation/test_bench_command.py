"""`main.py bench --quick` still runs and reports BENCH.md's keys (figures are not judged here:
speed is measured by benchmarks, never asserted in tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_quick_bench_reports_its_keys(repo_root: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "main.py",
            "bench",
            "--quick",
            "--json",
            "--only",
            "ingest,store,startup,floor",
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=230,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    for key in (
        "ingest_msgs_per_s",
        "panoramisk_parse_msgs_per_s",
        "ingest_ratio_vs_panoramisk",
        "store_events_per_s",
        "store_bytes_per_agent",
        "startup_s",
        "event_to_pixel_p50_ms",
        "event_to_pixel_p99_ms",
        "gui_thread_cpu_percent",
        "tile_wall_repaint_ms",
    ):
        assert isinstance(figures[key], float) and figures[key] > 0, key
    assert "machine: cpus" in proc.stderr


@pytest.mark.timeout(60)
def test_unknown_benchmark_is_refused(repo_root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "main.py", "bench", "--only", "nonsense"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert proc.returncode == 2 and "unknown benchmark" in proc.stderr
