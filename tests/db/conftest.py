"""Helpers for the record tests: small records with every kind of row, read-only media."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from db.record import Record, open_record

T0 = 1_795_337_199.0  # 2026-11-22 08:46:39 UTC, the shared capture's day


def fill(record: Record, events: int = 200, t0: float = T0) -> None:
    """Journal events plus one row of every supervisor kind, with Chinese text."""
    for i in range(events):
        record.journal_event(
            t0 + i,
            "QueueMemberStatus",
            {
                "Queue": "support",
                "Interface": f"PJSIP/100{i % 3 + 1}",
                "MemberName": "张三",
                "Status": "1",
                "Paused": "0",
                "n": str(i),
            },
        )
    handle = record.action_intent(
        "QueuePause", agent="PJSIP/1001", queue="support", params={"reason": "午餐"}, ts=t0 + 1
    )
    record.action_result(handle, True, "Success", duration=0.05, ts=t0 + 2)
    session = record.monitor_session_start("PJSIP/1002", "listen", ts=t0 + 3)
    record.monitor_session_mode(session, "whisper", ts=t0 + 13)
    record.monitor_session_mode(session, "barge", ts=t0 + 23)
    record.monitor_session_end(session, "hangup", ts=t0 + 33)
    alarm = record.alarm_raised("sl_low", "warning", "服务水平低于 80%", queue="support", ts=t0 + 4)
    record.alarm_acknowledged(alarm, "已通知值班长", ts=t0 + 5)
    record.sign_in("李四", ts=t0 + 6)
    record.setting_changed("ami.host", "127.0.0.1", "10.0.0.5", ts=t0 + 7)
    record.flush()


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
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
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
