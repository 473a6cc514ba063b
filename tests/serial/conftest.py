"""Fixtures for the serial tests (helpers live in serial_ptys.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serial_ptys import SocatPair


@pytest.fixture
def pty_pair(tmp_path: Path) -> Iterator[SocatPair]:
    pair = SocatPair(tmp_path)
    pair.start()
    try:
        yield pair
    finally:
        pair.kill()
