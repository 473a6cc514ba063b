"""Helpers for the serial tests: socat pseudo-terminal pairs with stable link paths (kill
socat = unplug; start it again = plug back in) (polling: tests/polling.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import IO

import pytest
from polling import wait_until

REPO = Path(__file__).resolve().parents[2]


class SocatPair:
    """`socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`.

    Attributes:
        a, b: the two link paths (the driver opens one, the simulator the other).
    """

    def __init__(self, directory: Path) -> None:
        self.a = str(directory / "ttyA")
        self.b = str(directory / "ttyB")
        self._dir = directory
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._starts = 0

    def start(self) -> None:
        socat = shutil.which("socat")
        if socat is None:
            pytest.fail("socat is not installed (apt-get install socat)")
        self._starts += 1
        log_path = self._dir / f"socat-{self._starts}.log"
        self._log = log_path.open("wb")
        self._proc = subprocess.Popen(
            [
                socat,
                "-d",
                "-d",
                f"pty,raw,echo=0,link={self.a}",
                f"pty,raw,echo=0,link={self.b}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        wait_until(
            lambda: b"starting data transfer loop" in log_path.read_bytes(),
            10.0,
            "socat to create the pty pair",
        )

    def kill(self) -> None:
        """Pull the plug: both pty masters close at once (SIGKILL, links left dangling)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait(10)
            self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
