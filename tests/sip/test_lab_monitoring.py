"""Monitoring through the embedded lab PBX (a child process), end to end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from cti.lab.process import LabInfo, LabProcess
from tests.sip.conftest import (
    REPO,
    finish_scenario,
    run_scenario,
    scenario_guard,
    start_scenario,
    wait_for_line,
)

pytestmark = pytest.mark.sip


@pytest.fixture(scope="module")
def lab() -> Iterator[LabInfo]:
    with LabProcess() as process:
        yield process.start()


def _cells(cells: list[dict[str, Any]], mode: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["listener"], c["source"]): c for c in cells if c["mode"] == mode}


@pytest.mark.timeout(90)
def test_check_monitoring_passes_all_twelve_cells_against_the_lab() -> None:
    proc = subprocess.run(
        [sys.executable, "main.py", "check-monitoring", "--json"],
        capture_output=True,
        text=True,
        timeout=80,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-2000:]
    result = json.loads(proc.stdout)  # stdout is the JSON alone (pjsua2's chatter went to stderr)
    assert set(result) == {"passed", "cells", "click_to_audio_ms", "mode_switch_ms"}
    assert result["passed"] is True
    assert len(result["cells"]) == 12
    expected = {
        "listen": {
            ("supervisor", "caller"): True,
            ("supervisor", "agent"): True,
            ("agent", "supervisor"): False,
            ("caller", "supervisor"): False,
        },
        "whisper": {
            ("supervisor", "caller"): True,
            ("supervisor", "agent"): True,
            ("agent", "supervisor"): True,
            ("caller", "supervisor"): False,
        },
        "barge": {
            ("supervisor", "caller"): True,
            ("supervisor", "agent"): True,
            ("agent", "supervisor"): True,
            ("caller", "supervisor"): True,
        },
    }
    for mode, table in expected.items():
        cells = _cells(result["cells"], mode)
        assert set(cells) == set(table)
        for key, present in table.items():
            cell = cells[key]
            assert cell["expected"] is present and cell["pass"] is True
            assert cell["dbfs"] >= -20.0 if present else cell["dbfs"] <= -45.0
            assert set(cell) == {"mode", "listener", "source", "expected", "dbfs", "pass"}
    assert result["click_to_audio_ms"] > 0 and result["mode_switch_ms"] > 0


@pytest.mark.timeout(60)
def test_listen_mode_a_shouting_supervisor_reaches_neither_agent_nor_caller(lab: LabInfo) -> None:
    result = run_scenario("loud_listen", json.dumps(lab.raw), timeout=50)
    assert result["error"] == ""
    listen = _cells(result["cells"], "listen")
    assert listen[("agent", "supervisor")]["dbfs"] <= -45.0
    assert listen[("caller", "supervisor")]["dbfs"] <= -45.0
    # ... while the same loud input does reach the agent once whisper is chosen.
    assert _cells(result["cells"], "whisper")[("agent", "supervisor")]["dbfs"] >= -20.0
    assert result["audit"][0] == "started listen" and result["audit"][-1].startswith("ended")
    # This run's spy call was made by AMI Originate (the lab called the supervisor back).


@pytest.mark.timeout(60)
def test_wrong_password_is_reported_as_bad_credentials(lab: LabInfo) -> None:
    result = run_scenario(
        "register", f"{lab.sip_host}:{lab.sip_port}", lab.supervisor_user, "not-the-password"
    )
    assert result["state"] == "failed"
    assert result["failure"] == "bad_credentials"
    assert "user name or password" in result["message"]
    assert result["live"] == 0


@pytest.mark.timeout(90)
def test_pbx_restart_during_monitoring_ends_the_session_and_settles_registration() -> None:
    first = LabProcess()
    info = first.start()
    second = LabProcess()
    try:
        agent = str(info.raw["agent_users"][0])
        proc = start_scenario(
            "pbx_restart",
            str(info.sip_host),
            str(info.sip_port),
            info.supervisor_user,
            info.supervisor_password,
            agent,
        )
        with scenario_guard(proc):
            wait_for_line(proc, "ACTIVE")
            assert first.pid is not None
            os.killpg(first.pid, signal.SIGKILL)  # a crash: no BYE, no Shutdown
            first.stop()
            wait_for_line(proc, "DOWN")
            # The PBX comes back on the same port (with fresh credentials: the lab makes them).
            second.start(sip_port=int(info.sip_port or 0))
            result = _finish_with_line(proc, "RESTARTED\n")
    finally:
        second.stop()
        first.stop()
    assert result["registered"] and result["started"] and result["ended"]
    assert result["audit"][0].startswith("started:listen")
    assert result["audit"][-1].startswith("ended:no audio from the PBX")
    assert result["down"] and result["down_failure"] == "unreachable"
    assert result["settled"]
    # The new PBX answered: its fresh password differs, so the phone says exactly that.
    assert result["after_state"] == "failed" and result["after_failure"] == "bad_credentials"
    assert result["live"] == 0


def _finish_with_line(proc: subprocess.Popen[str], line: str) -> dict[str, Any]:
    assert proc.stdin is not None
    proc.stdin.write(line)
    proc.stdin.flush()
    return finish_scenario(proc)
