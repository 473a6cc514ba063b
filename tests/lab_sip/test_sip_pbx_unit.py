"""LabSipPbx behaviour that needs no pjsua2 endpoint (so it runs inside the pytest process)."""

from __future__ import annotations

import socket
import time

import pytest

from cti.lab.sip_model import parse_caller_id
from cti.lab.sip_pbx import LabSipError, LabSipPbx, OriginateError

pytestmark = pytest.mark.sip


def test_a_busy_port_is_a_clear_error_and_starts_nothing() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        pbx = LabSipPbx("127.0.0.1", port, {"1900": "pw"}, None, lambda e: None, time.time)
        with pytest.raises(LabSipError, match=f"127.0.0.1:{port}"):
            pbx.start()
        with pytest.raises(LabSipError):
            _ = pbx.sip_port
        pbx.poll()  # not started: nothing to do, no error
        pbx.shutdown()


def test_originate_before_start_is_refused() -> None:
    pbx = LabSipPbx("127.0.0.1", 0, {"1900": "pw"}, None, lambda e: None, time.time)
    with pytest.raises(OriginateError, match="not running"):
        pbx.originate_chanspy("PJSIP/1900", "1001", "q")
    assert pbx.registered_agents() == set()
    assert pbx.device_state("PJSIP/1001") == 5  # unavailable: not registered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, ("1900", "Supervisor")),
        ('"Console Spy" <1900>', ("1900", "Console Spy")),
        ("<1901>", ("1901", "Supervisor")),
        ("1902", ("1902", "Supervisor")),
        ("Night shift", ("1900", "Night shift")),
    ],
)
def test_originate_caller_id(text: str | None, expected: tuple[str, str]) -> None:
    assert parse_caller_id(text, "1900", "Supervisor") == expected
