"""The AT conversation against a scripted fake port: unsolicited lines, echo, verbose errors,
missing prompt, and timeouts measured on the injected clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cti.serial.gsm_pdu import encode_submit
from cti.serial.modem import (
    CmeError,
    CmsError,
    GsmModem,
    ModemCommandError,
    ModemSettings,
    ModemTimeoutError,
)

Responder = Callable[[bytes], bytes]


class ScriptedPort:
    """Answers each write with `respond(written)`; reads return what is buffered."""

    def __init__(self, respond: Responder) -> None:
        self.respond = respond
        self.written: list[bytes] = []
        self._out = bytearray()
        self.reads = 0

    @property
    def in_waiting(self) -> int:
        return len(self._out)

    def write(self, data: bytes) -> int:
        self.written.append(data)
        self._out += self.respond(data)
        return len(data)

    def flush(self) -> None:
        pass

    def read(self, size: int = 1) -> bytes:
        self.reads += 1
        chunk = bytes(self._out[:size])
        del self._out[:size]
        return chunk

    def close(self) -> None:
        pass


class TickClock:
    """Advances one second per reading: timeouts happen after a known number of polls."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def modem_with(respond: Responder, **settings: float) -> tuple[GsmModem, ScriptedPort]:
    port = ScriptedPort(respond)
    modem = GsmModem(ModemSettings("fake", **settings), TickClock(), opener=lambda _s: port)  # type: ignore[arg-type]
    modem.open()
    modem.ready = True  # skip initialise(): these tests are about single exchanges
    return modem, port


PART = encode_submit("+8613800138000", "值班")[0]


def test_unsolicited_lines_and_pdu_echo_are_skipped() -> None:
    def respond(data: bytes) -> bytes:
        if data.startswith(b"AT+CMGS="):
            return data + b'\r\n+CMTI: "SM",3\r\n> '
        return data[:-1] + b"\r\r\nRING\r\n\r\n+CREG: 1\r\n\r\n+CMGS: 201\r\n\r\nOK\r\n"

    modem, port = modem_with(respond)
    assert modem.send_part(PART) == 201
    assert port.written == [b"AT+CMGS=19\r", PART.hex.encode() + b"\x1a"]


def test_verbose_cms_error_text_is_kept() -> None:
    modem, _ = modem_with(
        lambda d: b"\r\n> " if d.startswith(b"AT") else b"\r\n+CMS ERROR: Network timeout\r\n"
    )
    with pytest.raises(CmsError) as err:
        modem.send_part(PART)
    assert err.value.code is None and err.value.retryable
    assert "Network timeout" in str(err.value)


def test_cmgs_refused_before_the_prompt_sends_nothing() -> None:
    modem, port = modem_with(lambda d: b"\r\nERROR\r\n")
    with pytest.raises(ModemCommandError, match="refused AT\\+CMGS") as err:
        modem.send_part(PART)
    assert not err.value.in_doubt
    assert port.written == [b"AT+CMGS=19\r"]


def test_missing_prompt_times_out_cancels_with_esc_and_sends_no_pdu() -> None:
    modem, port = modem_with(lambda d: b"", prompt_timeout=5.0)
    with pytest.raises(ModemTimeoutError, match="no '>' prompt") as err:
        modem.send_part(PART)
    assert not err.value.in_doubt
    assert port.written == [b"AT+CMGS=19\r", b"\x1b"]
    assert not modem.ready  # re-initialise before the next message


def test_ok_without_reference_is_in_doubt() -> None:
    modem, _ = modem_with(lambda d: b"\r\n> " if d.startswith(b"AT") else b"\r\nOK\r\n")
    with pytest.raises(ModemCommandError, match="without a \\+CMGS") as err:
        modem.send_part(PART)
    assert err.value.in_doubt


def test_cme_error_to_a_command() -> None:
    modem, _ = modem_with(lambda d: b"\r\n+CME ERROR: 10\r\n")
    with pytest.raises(CmeError, match="SIM not inserted"):
        modem.command("AT+CPIN?")


def test_command_timeout_is_measured_on_the_injected_clock() -> None:
    modem, port = modem_with(lambda d: b"", command_timeout=5.0)
    with pytest.raises(ModemTimeoutError, match="did not answer AT\\+CSQ within 5 s"):
        modem.command("AT+CSQ")
    # deadline = 1 + 5 on the ticking clock; polls at 2, 3, 4, 5 read the port, 6 gives up
    assert port.reads == 4
