"""Helpers for the record tests: small records with every kind of row, read-only media."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from db_test_support import fill

from db.record import Record, open_record


@pytest.fixture
def make_record(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Factory: a closed record file with `events` journal rows and one of everything else."""
    made: list[Record] = []

    def factory(name: str = "r.sqlite", events: int = 200, **kwargs: object) -> Path:
        path = tmp_path / name
        record = open_record(path, "alice", "ws-01", snapshot_every_s=60.0, **kwargs)  # type: ignore[arg-type]
        made.append(record)
        fill(record, events)
        record.close()
        return path

    yield factory
    for record in made:
        record.close()


def _can_chattr() -> bool:
    return os.geteuid() == 0 and shutil.which("chattr") is not None  # type: ignore[attr-defined]


@pytest.fixture
def read_only_medium() -> Iterator[Callable[[Path], None]]:
    """Make files/folders unwritable even for root (chattr +i) or for a normal user (chmod)."""
    changed: list[tuple[Path, int | None]] = []

    def make(path: Path) -> None:
        if _can_chattr():
            result = subprocess.run(["chattr", "+i", str(path)], check=False, capture_output=True)
            if result.returncode != 0:
                pytest.skip(f"chattr +i not permitted here: {result.stderr!r}")
            changed.append((path, None))
        elif os.geteuid() != 0:  # type: ignore[attr-defined]
            changed.append((path, path.stat().st_mode))
            path.chmod(0o555 if path.is_dir() else 0o444)
        else:
            pytest.skip("running as root without chattr: cannot make a read-only medium")

    yield make
    for path, mode in reversed(changed):
        if mode is None:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        else:
            path.chmod(mode)
