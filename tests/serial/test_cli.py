"""`main.py wallboard` / `main.py sms` and the runnable simulators, over socat ptys."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from serial_ptys import REPO, SocatPair

from cti.serial.sim.modem import ModemSimulator
from cti.serial.sim.sign import SignSimulator
from cti.serial.wallboard import WallboardConfig, WallboardDriver

pytestmark = pytest.mark.serial


def main_py(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def sign(pty_pair: SocatPair) -> Iterator[SignSimulator]:
    sim = SignSimulator(pty_pair.b)
    sim.start()
    yield sim
    sim.stop()


@pytest.mark.timeout(60)
def test_wallboard_command_alpha(pty_pair: SocatPair, sign: SignSimulator) -> None:
    done = main_py(
        "wallboard", "--port", pty_pair.a, "--text", "VIP W:3 SL:92% LW:0:45",
        "--address", "00", "--baud", "9600", "--color", "green", "--mode", "rotate",
        "--show-bytes",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    first, hexdump = done.stdout.splitlines()
    assert first == f"sent 45 bytes to {pty_pair.a} (alpha, 9600 7E1)"
    assert hexdump.startswith("00 00 00 00 00 01 5A 30 30 02 41 41 1B 30 61 1C 32 56 49 50")
    assert sign.wait_for(1, 10)
    (msg,) = sign.messages
    assert msg.ok and msg.checksum_ok and msg.text == "VIP W:3 SL:92% LW:0:45"
    assert msg.segments[0]["colors"] == ["GREEN"] and msg.segments[0]["mode"] == "ROTATE"


@pytest.mark.timeout(60)
def test_wallboard_command_plain_chinese(pty_pair: SocatPair) -> None:
    sim = SignSimulator(pty_pair.b, protocol="plain", encoding="gb18030")
    sim.start()
    try:
        done = main_py(
            "wallboard", "--port", pty_pair.a, "--protocol", "plain", "--encoding", "gb18030",
            "--text", "城区排队 7 人，最长等待 1:35",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert sim.wait_for(1, 10)
        assert sim.messages[0].text == "城区排队 7 人，最长等待 1:35"
    finally:
        sim.stop()


@pytest.mark.timeout(60)
def test_wallboard_command_errors(pty_pair: SocatPair, tmp_path: Path) -> None:
    chinese = main_py("wallboard", "--port", pty_pair.a, "--text", "城区排队")
    assert chinese.returncode == 2
    assert "Alpha signs cannot show '城'" in chinese.stderr and "plain" in chinese.stderr
    missing = main_py("wallboard", "--port", str(tmp_path / "ttyUSB7"), "--text", "x")
    assert missing.returncode == 1
    assert "does not exist (device unplugged or wrong port name)" in missing.stderr
    bad_address = main_py("wallboard", "--port", pty_pair.a, "--text", "x", "--address", "XYZ")
    assert bad_address.returncode == 2 and "2 hex digits" in bad_address.stderr


@pytest.mark.timeout(60)
def test_sms_command_success_prints_references(pty_pair: SocatPair) -> None:
    sim = ModemSimulator(pty_pair.b, first_reference=17)
    sim.start()
    try:
        text = "热力热线夜班告警：投诉队列排队 9 人，最长等待 4 分钟。" * 3
        done = main_py("sms", "--port", pty_pair.a, "--to", "13800138000", "--text", text)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "sent 2 part(s) to 13800138000; message reference(s): 17, 18"
        assert sim.wait_for_messages(1, 10)
        assert sim.messages[0].text == text and sim.messages[0].to == "13800138000"
        js = main_py(
            "sms", "--port", pty_pair.a, "--to", "+8613800138000", "--text", "ok", "--json"
        )
        assert js.returncode == 0, js.stderr
        assert json.loads(js.stdout) == {"ok": True, "parts": 1, "references": [19]}
    finally:
        sim.stop()


@pytest.mark.timeout(60)
def test_sms_command_failures(pty_pair: SocatPair) -> None:
    sim = ModemSimulator(pty_pair.b, cms_errors=[38])
    sim.start()
    try:
        done = main_py("sms", "--port", pty_pair.a, "--to", "13800138000", "--text", "x")
        assert done.returncode == 1
        assert "+CMS ERROR 38 (network out of order)" in done.stderr
        bad = main_py("sms", "--port", pty_pair.a, "--to", "duty manager", "--text", "x")
        assert bad.returncode == 2 and "not a phone number" in bad.stderr
    finally:
        sim.stop()
    sim_pin = ModemSimulator(pty_pair.b, pin="SIM PIN")
    sim_pin.start()
    try:
        js = main_py("sms", "--port", pty_pair.a, "--to", "10086", "--text", "x", "--json")
        assert js.returncode == 1
        out = json.loads(js.stdout)
        assert out["ok"] is False and "needs its PIN" in out["error"]
        assert out["retryable"] is False and out["possibly_sent"] is False
    finally:
        sim_pin.stop()


class Lines:
    """Reads a process's stdout lines on a thread, so the test can wait with a timeout."""

    def __init__(self, stream: IO[str]) -> None:
        self._q: queue.Queue[str] = queue.Queue()
        self._t = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._t.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._q.put(line)

    def next_json(self, timeout: float = 10.0) -> dict[str, Any]:
        line = self._q.get(timeout=timeout)
        result: dict[str, Any] = json.loads(line)
        return result

    def join(self) -> None:
        self._t.join(10)


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.timeout(60)
def test_sign_simulator_is_runnable(pty_pair: SocatPair) -> None:
    with spawn("-m", "cti.serial.sim.sign", pty_pair.b) as proc:
        assert proc.stdout is not None
        lines = Lines(proc.stdout)
        try:
            assert lines.next_json() == {"ready": True, "port": pty_pair.b}
            driver = WallboardDriver(WallboardConfig(pty_pair.a, address="02"), lambda: 0.0)
            driver.send_now("Longest wait 2:05")
            driver.close()
            got = lines.next_json()
            assert got["ok"] and got["checksum_ok"] and got["address"] == "02"
            assert got["text"] == "Longest wait 2:05" and got["type"] == "Z"
            assert got["hex"].startswith("01 5A 30 32 02 41 41 1B 30 62")
        finally:
            proc.terminate()
            proc.wait(10)
            lines.join()


@pytest.mark.timeout(60)
def test_modem_simulator_is_runnable_and_ends_when_unplugged(pty_pair: SocatPair) -> None:
    with spawn("-m", "cti.serial.sim.modem", pty_pair.b) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        lines = Lines(proc.stdout)
        assert lines.next_json() == {"ready": True, "port": pty_pair.b}
        done = main_py("sms", "--port", pty_pair.a, "--to", "+8613800138000", "--text", "值班")
        assert done.returncode == 0, done.stderr
        part = lines.next_json()["part"]
        assert part["hex"] == "0011000D91683108108300F00008A704503C73ED"
        assert (part["to"], part["toa"], part["dcs"], part["text"]) == (
            "+8613800138000",
            "91",
            "08",
            "值班",
        )
        sms = lines.next_json()["sms"]
        assert sms == {
            "to": "+8613800138000",
            "text": "值班",
            "parts": 1,
            "references": [1],
            "encoding": "ucs2",
        }
        pty_pair.kill()
        assert proc.wait(10) == 1
        assert f"modem simulator: Serial device on {pty_pair.b} was disconnected" in (
            proc.stderr.read()
        )
        lines.join()
