"""`main.py lab` as a process: LAB-READY, clean exits, and never left behind."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from labkit import AmiTestClient

import console.commands.lab as lab_cmd
from cti.lab.process import LabProcess, LabStartError, lab_command

REPO = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie nobody reaped yet is gone for our purposes
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" not in status


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.timeout(60)
def test_lab_process_starts_serves_and_stops() -> None:
    with LabProcess() as lab:
        info = lab.start(speed=60.0, seed=5)
        pid = lab.pid
        assert pid is not None and lab.running
        assert info.ami_host == "127.0.0.1" and info.ami_port > 0
        assert info.feature_codes == {"listen": "*221", "whisper": "*222", "barge": "*223"}
        assert info.scenario == "default" and info.raw["seed"] == 5
        assert info.supervisor_user == "1900" and info.supervisor_password
        assert info.ami_secret not in repr(info)
        if info.raw["sip_enabled"]:
            assert info.sip_port and info.sip_port > 0 and info.sip_domain
        with AmiTestClient(info.ami_port) as c:
            assert c.login(info.ami_user, info.ami_secret).get("Response") == "Success"
            c.wait_for(lambda m: m.name == "QueueCallerJoin", 30)
    assert lab.returncode == 0
    assert wait_gone(pid, 5)


@pytest.mark.timeout(60)
def test_lab_dies_with_its_parent() -> None:
    parent_code = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from cti.lab.process import LabProcess
        lab = LabProcess()
        lab.start(speed=1.0)
        print(lab.pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    lab_pid = 0
    try:
        assert parent.stdout is not None
        lab_pid = int(parent.stdout.readline())
        assert alive(lab_pid)
        parent.kill()  # SIGKILL: no atexit, no cleanup in the parent at all
        parent.wait(10)
        assert wait_gone(lab_pid, 15), "the lab outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(10)
        if parent.stdout is not None:
            parent.stdout.close()
        if lab_pid and alive(lab_pid):
            os.kill(lab_pid, signal.SIGKILL)


@pytest.mark.timeout(60)
def test_cli_prints_ready_then_human_lines_and_stops_on_sigint() -> None:
    proc = subprocess.Popen(
        lab_command(
            ["--ami-port", "0", "--sip-port", "0", "--ami-user", "sup", "--ami-secret", "pw"]
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("LAB-READY ")
        info = json.loads(first[len("LAB-READY ") :])
        for key in (
            "ami_host", "ami_port", "ami_user", "ami_secret", "sip_host", "sip_port",
            "sip_domain", "supervisor_user", "supervisor_password", "feature_codes", "scenario",
        ):  # fmt: skip
            assert key in info
        assert (info["ami_user"], info["ami_secret"]) == ("sup", "pw")
        human = [proc.stdout.readline() for _ in range(3)]
        assert any(
            f"listening on 127.0.0.1:{info['ami_port']} user sup secret pw" in line
            for line in human
        )
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--speed", "0"], "--speed must be positive"),
        (["--ami-port", "70000"], "--ami-port must be 0..65535"),
        (["--sip-port", "-1"], "--sip-port must be 0..65535"),
    ],
)
def test_cli_checks_its_options(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    lab_cmd.add_arguments(parser)
    assert lab_cmd.run(parser.parse_args(args)) == 2
    assert message in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_start_failure_is_reported() -> None:
    lab = LabProcess(ready_timeout_s=30)
    with pytest.raises(LabStartError, match="ended before it was ready") as failed:
        lab.start(scenario="no-such-preset")
    assert "unknown scenario 'no-such-preset'" in str(failed.value)  # the lab's stderr
    assert lab.returncode == 2 and not lab.running
