"""The console's alarm path end to end over real pseudo-terminals: a floor figure crosses a
threshold → the alarm strip shows it → the LED wallboard shows it → the alarm escalates
(not acknowledged in time) → the on-call manager's SMS arrives at the modem, in Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from polling import wait_until
from serial_ptys import SocatPair

from console.alarm_outputs import AlarmOutputs
from console.alarms_view import AlarmController, AlarmStrip
from console.settings import DeviceSettings
from cti.alarms.model import Severity
from cti.serial.sim.modem import ModemSimulator
from cti.serial.sim.sign import SignSimulator

pytestmark = [pytest.mark.serial, pytest.mark.gui, pytest.mark.timeout(60)]


class _Queue:
    def __init__(self, waiting: int) -> None:
        from types import SimpleNamespace

        self.name = "urban"
        self.waiting = waiting
        self.longest_wait_s = 400.0 if waiting else 0.0
        self.current = SimpleNamespace(sl_percent=None, offered=0, abandon_percent=None)
        self.projection = SimpleNamespace(target_percent=90.0)


class FakeStore:
    """Only what the alarm adapter reads: queues() and agents()."""

    def __init__(self) -> None:
        self.waiting = 12
        self.is_live = True

    def queues(self) -> list[Any]:
        return [_Queue(self.waiting)]

    def agents(self) -> list[Any]:
        return []


@pytest.fixture
def board_pair(tmp_path: Path) -> Iterator[SocatPair]:
    (tmp_path / "b").mkdir()
    pair = SocatPair(tmp_path / "b")
    pair.start()
    yield pair
    pair.kill()


@pytest.fixture
def modem_pair(tmp_path: Path) -> Iterator[SocatPair]:
    (tmp_path / "m").mkdir()
    pair = SocatPair(tmp_path / "m")
    pair.start()
    yield pair
    pair.kill()


def test_alarm_reaches_wallboard_and_on_call_sms(
    qtbot: Any, tmp_path: Path, board_pair: SocatPair, modem_pair: SocatPair
) -> None:
    sign = SignSimulator(board_pair.b, protocol="plain")
    modem = ModemSimulator(modem_pair.b)
    sign.start()
    modem.start()
    clock = [1_795_337_200.0]
    devices = DeviceSettings(
        alarm_sound=False,
        wallboard_port=board_pair.a,
        wallboard_protocol="plain",
        modem_port=modem_pair.a,
        sms_recipients="+8613800138000",
    )
    outputs = AlarmOutputs(devices, tmp_path / "outbox.sqlite3")
    strip = AlarmStrip()
    qtbot.addWidget(strip)
    store = FakeStore()
    alarms = AlarmController(
        store,
        strip,
        None,
        supervisor=lambda: "王班长",
        link_up=lambda: True,
        outputs=outputs,
        clock=lambda: clock[0],
        ask_comment=lambda _m: "已处理",
    )
    outputs.start()
    try:
        transitions = alarms.evaluate()
        assert any(t.alarm.key.subject == "urban" for t in transitions)
        assert strip.isVisibleTo(strip.parentWidget() or strip) or not strip.isHidden()
        assert sign.wait_for(1, 15), "the wallboard received nothing"
        wait_until(lambda: "urban" in (sign.shown or ""), 15, "the queue on the wallboard")
        # nobody acknowledges: after the escalation delay the on-call manager gets an SMS
        clock[0] += 3600
        alarms.evaluate()
        assert modem.wait_for_messages(1, 20), "no SMS reached the modem"
        sms = modem.messages[0]
        assert sms.to == "+8613800138000"
        assert "urban" in sms.text
        active = alarms.engine.active()
        assert active and max(a.severity for a in active) >= Severity.WARNING
    finally:
        outputs.stop()
        alarms.stop()
        sign.stop()
        modem.stop()
