"""startup_s: process start → main window shown (BENCH.md). Measured on a fresh process with
an empty home folder, offscreen; the embedded lab starts in the background and is not waited
for (the window shows first, then goes live)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _one() -> float:
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            HOTLINE_CONSOLE_HOME=home,
            QT_QPA_PLATFORM="offscreen",
            HOTLINE_STARTUP_MARK="1",
        )
        t0 = time.time()
        proc = subprocess.run(
            [sys.executable, "main.py", "--self-check", "--lang", "en"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        for line in proc.stdout.splitlines():
            if line.startswith("STARTUP-SHOWN "):
                return float(line.split()[1]) - t0
        raise RuntimeError(f"no start-up mark (exit {proc.returncode}): {proc.stderr[-1500:]}")


def bench_startup(quick: bool) -> dict[str, float]:
    _one()  # warm-up: writes the bytecode cache, fills the OS file cache
    runs = [_one() for _ in range(2 if quick else 5)]
    return {"startup_s": statistics.median(runs)}


if __name__ == "__main__":
    print(bench_startup(True))
