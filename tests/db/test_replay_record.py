"""`replay CAPTURE --record DB`: the shared Asterisk capture journalled, verified, replayable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cti.state.config import FloorConfig
from cti.state.replay import replay_file
from db.chain import verify
from db.record import open_replay_sink
from db.review import open_review


@pytest.mark.timeout(60)
def test_capture_is_journalled(fixtures_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "capture.sqlite"
    sink = open_replay_sink(path, "replayer", "ws-replay")
    try:
        result = replay_file(fixtures_dir / "ami-scenario.txt", FloorConfig(), 4096, sink)
    finally:
        sink.close()
    events = sum(result.events.values())
    assert sink.events == events
    assert verify(path).ok
    with open_review(path) as review:
        rows = review.journal(limit=100_000)
        assert len(rows) == events
        assert [r.ts for r in rows] == sorted(r.ts for r in rows)
        assert sum(1 for r in rows if r.name == "AgentConnect") == result.events["AgentConnect"]
        connect = next(r for r in rows if r.name == "AgentConnect")
        assert connect.interface == "PJSIP/1001" and connect.queue == "support"
        assert connect.fields["Event"] == "AgentConnect"
        bounds = review.bounds()
        assert bounds is not None
        floor = review.floor_at(bounds[1])
        assert set(floor.agents) == {"PJSIP/1001", "PJSIP/1002", "PJSIP/1003"}
        assert floor.queues["support"].waiting == 0


@pytest.mark.timeout(90)
def test_replay_command_writes_the_record(
    fixtures_dir: Path, tmp_path: Path, repo_root: Path
) -> None:
    path = tmp_path / "cli.sqlite"
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "replay",
            str(fixtures_dir / "ami-scenario.txt"),
            "--json",
            "--record",
            str(path),
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=80,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    events = sum(json.loads(done.stdout)["events"].values())
    result = verify(path)
    assert result.ok
    assert result.rows >= events + 1  # + the record_open row (+ floor snapshots)


@pytest.mark.timeout(90)
def test_replay_refuses_a_file_that_is_not_a_record(
    fixtures_dir: Path, tmp_path: Path, repo_root: Path
) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a database", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "replay",
            str(fixtures_dir / "ami-scenario.txt"),
            "--record",
            str(notes),
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=80,
        check=False,
    )
    assert done.returncode == 2
    assert "not a record" in done.stderr
    assert notes.read_text(encoding="utf-8") == "not a database"
