"""GSM modem driver: SMS in PDU mode by AT commands (3GPP TS 27.005 / 27.007).

Conversation:
    AT            → OK               (retried: the modem may be waking up / autobauding)
    ATE0          → OK               (echo off; echoed lines are ignored anyway)
    AT+CMEE=1     → OK | ERROR       (numeric +CME/+CMS errors; some modems refuse: fine)
    AT+CPIN?      → +CPIN: READY, OK (anything else: SIM needs a PIN/PUK, missing, broken)
    AT+CMGF=0     → OK               (PDU mode)
    per part:
    AT+CMGS=<n>   → "> "             (n = TPDU octets, SMSC field excluded)
    <PDU hex>^Z   → +CMGS: <mr>, OK  | +CMS ERROR: <code> | ERROR | silence (timeout)

Failures are typed (`ModemError` subclasses) and carry two facts the outbox needs:
- `retryable`: transient (network busy, no service, SIM busy, timeout, port gone) vs
  permanent (invalid number, PDU rejected, SIM missing — retrying cannot help without a
  person acting).
- `in_doubt`: the PDU and Ctrl-Z were handed to the modem but no answer came (timeout or the
  port vanished): the SMS may have gone out. Before the Ctrl-Z, nothing was sent.
Lines the modem sends unprompted (+CMTI, RING, +CREG …) are skipped while waiting.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cti.serial.gsm_pdu import SubmitPart, encode_submit
from cti.serial.link import PORT_FAILURES, PortSettings, SerialPortError, open_port, port_error

log = logging.getLogger(__name__)

CTRL_Z = b"\x1a"
ESC = b"\x1b"

# TS 27.005 3.2.5 (+CMS ERROR) — 0..127 are RP causes (TS 24.011 E.2), 128..255 TP-FCS.
CMS_ERRORS: dict[int, str] = {
    1: "unassigned (unallocated) number",
    8: "operator determined barring",
    10: "call barred",
    21: "short message transfer rejected",
    27: "destination out of service",
    28: "unidentified subscriber",
    29: "facility rejected",
    30: "unknown subscriber",
    38: "network out of order",
    41: "temporary failure",
    42: "congestion",
    47: "resources unavailable",
    50: "requested facility not subscribed",
    69: "requested facility not implemented",
    81: "invalid short message transfer reference value",
    95: "invalid message",
    96: "invalid mandatory information",
    97: "message type non-existent or not implemented",
    98: "message not compatible with short message protocol state",
    99: "information element non-existent or not implemented",
    111: "protocol error",
    127: "interworking error",
    128: "telematic interworking not supported",
    129: "short message type 0 not supported",
    130: "cannot replace short message",
    143: "unspecified TP-PID error",
    144: "data coding scheme (alphabet) not supported",
    145: "message class not supported",
    159: "unspecified TP-DCS error",
    160: "command cannot be actioned",
    161: "command unsupported",
    175: "unspecified TP-Command error",
    176: "TPDU not supported",
    192: "SC busy",
    193: "no SC subscription",
    194: "SC system failure",
    195: "invalid SME address",
    196: "destination SME barred",
    197: "SM rejected: duplicate SM",
    198: "TP-VPF not supported",
    199: "TP-VP not supported",
    208: "SIM SMS storage full",
    209: "no SMS storage capability in SIM",
    210: "error in MS",
    211: "memory capacity exceeded",
    212: "SIM application toolkit busy",
    213: "SIM data download error",
    255: "unspecified error cause",
    300: "ME failure",
    301: "SMS service of ME reserved",
    302: "operation not allowed",
    303: "operation not supported",
    304: "invalid PDU mode parameter",
    305: "invalid text mode parameter",
    310: "SIM not inserted",
    311: "SIM PIN required",
    312: "PH-SIM PIN required",
    313: "SIM failure",
    314: "SIM busy",
    315: "SIM wrong",
    316: "SIM PUK required",
    317: "SIM PIN2 required",
    318: "SIM PUK2 required",
    320: "memory failure",
    321: "invalid memory index",
    322: "memory full",
    330: "SMSC address unknown",
    331: "no network service",
    332: "network timeout",
    340: "no +CNMA acknowledgement expected",
    500: "unknown error",
}
# Worth retrying later without anyone touching anything.
TRANSIENT_CMS = frozenset(
    {21, 27, 38, 41, 42, 47, 98, 111, 127, 192, 194, 212, 300, 314, 320, 331, 332, 500}
)

# TS 27.007 9.2 (+CME ERROR), the ones a SIM/PIN check meets.
CME_ERRORS: dict[int, str] = {
    0: "phone failure",
    3: "operation not allowed",
    4: "operation not supported",
    5: "PH-SIM PIN required",
    10: "SIM not inserted",
    11: "SIM PIN required",
    12: "SIM PUK required",
    13: "SIM failure",
    14: "SIM busy",
    15: "SIM wrong",
    16: "incorrect password",
    17: "SIM PIN2 required",
    18: "SIM PUK2 required",
    30: "no network service",
    31: "network timeout",
    100: "unknown error",
}
TRANSIENT_CME = frozenset({14, 30, 31, 100})

_CPIN_MEANING = {
    "SIM PIN": "the SIM card needs its PIN (enter it on the modem or remove the PIN lock)",
    "SIM PUK": "the SIM card is blocked and needs its PUK",
    "PH-SIM PIN": "the modem needs the phone-to-SIM password",
    "SIM PIN2": "the SIM card needs PIN2",
    "SIM PUK2": "the SIM card needs PUK2",
}


class ModemError(Exception):
    """Base class; `str()` is a human message naming the port and what the modem said."""

    def __init__(self, message: str, *, retryable: bool, in_doubt: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.in_doubt = in_doubt


class ModemPortError(ModemError):
    """The serial port is missing or failed (unplugged): retryable."""


class ModemTimeoutError(ModemError):
    """The modem did not answer in time."""


class ModemCommandError(ModemError):
    """Plain `ERROR` to a command."""


class CmsError(ModemError):
    def __init__(self, code: int | None, text: str, *, in_doubt: bool = False) -> None:
        meaning = CMS_ERRORS.get(code, text) if code is not None else text
        retry = code in TRANSIENT_CMS if code is not None else True
        super().__init__(
            f"modem refused the SMS: +CMS ERROR {code if code is not None else text} ({meaning})",
            retryable=retry,
            in_doubt=in_doubt,
        )
        self.code = code
        self.meaning = meaning


class CmeError(ModemError):
    def __init__(self, code: int | None, text: str) -> None:
        meaning = CME_ERRORS.get(code, text) if code is not None else text
        super().__init__(
            f"modem error: +CME ERROR {code if code is not None else text} ({meaning})",
            retryable=code in TRANSIENT_CME if code is not None else True,
        )
        self.code = code
        self.meaning = meaning


class SimNotReadyError(ModemError):
    """AT+CPIN? did not answer READY: a person has to act (PIN, PUK, insert SIM)."""


@dataclass(frozen=True)
class ModemSettings:
    port: str
    baudrate: int = 115200
    command_timeout: float = 5.0  # plain commands
    prompt_timeout: float = 10.0  # AT+CMGS → "> "
    send_timeout: float = 60.0  # PDU → +CMGS (the network round trip)
    init_attempts: int = 3

    def port_settings(self) -> PortSettings:
        return PortSettings(port=self.port, baudrate=self.baudrate, read_timeout=0.05)


@dataclass(frozen=True)
class SendResult:
    references: tuple[int, ...]  # TP-MR per part, as reported by +CMGS
    parts: int


_CMS_RE = re.compile(r"^\+CMS ERROR:\s*(.*)$")
_CME_RE = re.compile(r"^\+CME ERROR:\s*(.*)$")
_CMGS_RE = re.compile(r"^\+CMGS:\s*(\d+)")


def _code(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


class GsmModem:
    """One modem on one serial port. Not thread-safe: use it from one worker thread.

    Attributes:
        settings: `ModemSettings`.
        ready: True after a successful `initialise()`.
    """

    def __init__(
        self,
        settings: ModemSettings,
        clock: Callable[[], float] = time.monotonic,
        *,
        opener: Callable[[PortSettings], Any] = open_port,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._opener = opener
        self._port: Any = None
        self._buf = bytearray()
        self.ready = False

    # ----------------------------------------------------------------- lifecycle

    def open(self) -> None:
        if self._port is None:
            try:
                self._port = self._opener(self.settings.port_settings())
            except SerialPortError as exc:
                raise ModemPortError(str(exc), retryable=True) from exc
            self._buf.clear()
            self.ready = False

    def close(self) -> None:
        port, self._port = self._port, None
        self.ready = False
        if port is not None:
            with contextlib.suppress(*PORT_FAILURES):
                port.close()

    def __enter__(self) -> GsmModem:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def initialise(self) -> None:
        """Open, wake, check the SIM, select PDU mode. Raises ModemError."""
        self.open()
        last: ModemError | None = None
        for _ in range(max(1, self.settings.init_attempts)):
            try:
                self.command("AT", timeout=min(2.0, self.settings.command_timeout))
                break
            except ModemTimeoutError as exc:
                last = exc
        else:
            assert last is not None
            raise ModemTimeoutError(
                f"no modem answers on {self.settings.port} (AT got no OK: wrong port, baud "
                "rate, or modem switched off)",
                retryable=True,
            )
        self.command("ATE0")
        try:
            self.command("AT+CMEE=1")
        except (ModemCommandError, CmeError):
            log.info("modem on %s does not support AT+CMEE=1", self.settings.port)
        self.check_sim()
        self.command("AT+CMGF=0")
        self.ready = True

    def check_sim(self) -> None:
        try:
            lines = self.command("AT+CPIN?")
        except CmeError as exc:
            raise SimNotReadyError(
                f"SIM problem on {self.settings.port}: {exc.meaning}", retryable=exc.retryable
            ) from exc
        status = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("+CPIN:")), "")
        if status.upper() != "READY":
            meaning = _CPIN_MEANING.get(status.upper(), f"SIM status {status or 'unknown'}")
            raise SimNotReadyError(
                f"SIM not ready on {self.settings.port}: {meaning}", retryable=False
            )

    # ----------------------------------------------------------------- sending

    def send_sms(self, number: str, text: str, concat_ref: int | None = None) -> SendResult:
        """Send all parts now. For durable sending use the outbox + `SmsDispatcher`."""
        parts = encode_submit(number, text, concat_ref=concat_ref)
        return SendResult(tuple(self.send_parts(parts)), len(parts))

    def send_parts(self, parts: Sequence[SubmitPart]) -> list[int]:
        if not self.ready:
            self.initialise()
        return [self.send_part(p) for p in parts]

    def send_part(self, part: SubmitPart) -> int:
        """Send one SMS-SUBMIT; returns the message reference from +CMGS."""
        if not self.ready:
            self.initialise()
        self._write(f"AT+CMGS={part.tpdu_length}\r".encode("ascii"))
        try:
            self._wait_prompt()
        except ModemTimeoutError:
            self._cancel_prompt()
            raise
        self._write(part.hex.encode("ascii") + CTRL_Z)
        try:
            lines = self._read_result(self.settings.send_timeout, in_doubt=True, what="+CMGS")
        except ModemPortError as exc:
            raise ModemPortError(
                f"{exc} after the SMS was handed to the modem (it may have been sent)",
                retryable=True,
                in_doubt=True,
            ) from exc
        for ln in lines:
            m = _CMGS_RE.match(ln)
            if m:
                return int(m.group(1))
        raise ModemCommandError(
            f"modem on {self.settings.port} said OK without a +CMGS message reference",
            retryable=True,
            in_doubt=True,
        )

    # ----------------------------------------------------------------- AT plumbing

    def command(self, cmd: str, timeout: float | None = None) -> list[str]:
        """Send one AT command; return the information lines before OK. Raises ModemError."""
        self._write(cmd.encode("ascii") + b"\r")
        return self._read_result(
            self.settings.command_timeout if timeout is None else timeout,
            in_doubt=False,
            what=cmd,
            echo=cmd,
        )

    def _write(self, data: bytes) -> None:
        self.open()
        try:
            self._port.write(data)
            self._port.flush()
        except PORT_FAILURES as exc:
            err = port_error(self.settings.port, exc)
            self.close()
            raise ModemPortError(str(err), retryable=True) from exc

    def _read_some(self) -> bytes:
        try:
            waiting = self._port.in_waiting
            data: bytes = self._port.read(max(1, waiting))
        except PORT_FAILURES as exc:
            err = port_error(self.settings.port, exc)
            self.close()
            raise ModemPortError(str(err), retryable=True) from exc
        return data

    def _next_line(self) -> str | None:
        while True:
            idx = next((i for i, b in enumerate(self._buf) if b in (0x0D, 0x0A)), -1)
            if idx < 0:
                return None
            raw = bytes(self._buf[:idx])
            del self._buf[: idx + 1]
            line = raw.decode("ascii", "replace").strip()
            if line:
                return line

    def _read_result(
        self, timeout: float, *, in_doubt: bool, what: str, echo: str | None = None
    ) -> list[str]:
        deadline = self._clock() + timeout
        info: list[str] = []
        while True:
            line = self._next_line()
            if line is None:
                if self._clock() >= deadline:
                    raise ModemTimeoutError(
                        f"modem on {self.settings.port} did not answer {what} within "
                        f"{timeout:g} s" + (" (the SMS may have been sent)" if in_doubt else ""),
                        retryable=True,
                        in_doubt=in_doubt,
                    )
                self._buf += self._read_some()
                continue
            if line == "OK":
                return info
            if line == "ERROR":
                raise ModemCommandError(
                    f"modem on {self.settings.port} answered ERROR to {what}",
                    retryable=False,
                    in_doubt=False,
                )
            m = _CMS_RE.match(line)
            if m:
                # +CMS ERROR is a final answer: the network/modem did not take the SMS.
                raise CmsError(_code(m.group(1)), m.group(1).strip())
            m = _CME_RE.match(line)
            if m:
                raise CmeError(_code(m.group(1)), m.group(1).strip())
            if echo is not None and line == echo:
                continue
            if line.startswith("AT"):
                continue  # echo of an earlier command
            if line.startswith(("+CMGS:", "+CPIN:", "+CSQ:", "+CREG:", "+CMEE:")):
                info.append(line)
                continue
            if line.startswith("+") or line in ("RING", "NO CARRIER"):
                log.debug("modem %s unsolicited: %s", self.settings.port, line)
                continue
            info.append(line)

    def _wait_prompt(self) -> None:
        deadline = self._clock() + self.settings.prompt_timeout
        while True:
            # The prompt is "> " without a line end, so look at the raw buffer.
            stripped = bytes(self._buf).lstrip(b"\r\n")
            if stripped.startswith(b">"):
                self._buf.clear()
                return
            line_end = next((i for i, b in enumerate(self._buf) if b in (0x0D, 0x0A)), -1)
            if line_end >= 0 and not stripped.startswith(b">"):
                line = self._next_line()
                if line is not None:
                    if line.startswith("AT+CMGS"):
                        continue  # echo
                    if line == "ERROR":
                        raise ModemCommandError(
                            f"modem on {self.settings.port} refused AT+CMGS (ERROR): "
                            "not in PDU mode or SIM/network not ready",
                            retryable=True,
                        )
                    m = _CMS_RE.match(line)
                    if m:
                        raise CmsError(_code(m.group(1)), m.group(1).strip())
                    m = _CME_RE.match(line)
                    if m:
                        raise CmeError(_code(m.group(1)), m.group(1).strip())
                    log.debug("modem %s while waiting for '>': %s", self.settings.port, line)
                    continue
            if self._clock() >= deadline:
                raise ModemTimeoutError(
                    f"modem on {self.settings.port} gave no '>' prompt for AT+CMGS within "
                    f"{self.settings.prompt_timeout:g} s (nothing was sent)",
                    retryable=True,
                )
            self._buf += self._read_some()

    def _cancel_prompt(self) -> None:
        # ESC aborts a pending AT+CMGS so the modem does not take our next command as PDU.
        with contextlib.suppress(ModemPortError):
            self._write(ESC)
        self.ready = False
