"""GSM modem simulator: answers the AT commands the driver uses and decodes the PDUs.

    python -m cti.serial.sim.modem PORT [--baud 115200] [--pin READY|"SIM PIN"|"SIM PUK"|absent]
                                         [--cms-error N [--cms-error N ...]] [--stall]

prints JSON lines: {"ready": ...} first, then {"part": {...decoded PDU fields...}} for every
AT+CMGS and {"sms": {"to", "text", "parts", "references", "encoding"}} when a (concatenated)
message is complete.

Behaves like a typical modem: echo on until ATE0; "> " prompt after AT+CMGS=<n>; the PDU ends
with Ctrl-Z (ESC cancels); the length <n> must equal the TPDU length (else +CMS ERROR: 304);
+CMGS: <mr> with a message reference counting up. Failure injection: `--cms-error` answers
the next AT+CMGS(s) with +CMS ERROR codes, `--stall` takes PDUs but never answers (a network
that hangs; the driver must time out or notice the unplug).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cti.serial.gsm_pdu import DecodedPdu, PduError, decode_pdu
from cti.serial.link import PortSettings, SerialPortError
from cti.serial.sim.device import SimulatedDevice


@dataclass(frozen=True)
class ReceivedPart:
    pdu_hex: str
    decoded: DecodedPdu
    reference: int | None  # None when the simulator did not accept it (error / stall)

    def to_json(self) -> dict[str, Any]:
        d = self.decoded
        return {
            "hex": self.pdu_hex,
            "smsc": d.smsc,
            "first_octet": f"{d.first_octet:02X}",
            "mr": d.message_reference,
            "to": d.number,
            "toa": f"{d.number_type:02X}",
            "pid": d.protocol_id,
            "dcs": f"{d.dcs:02X}",
            "encoding": d.encoding.value if d.encoding else "8bit",
            "vp": d.validity,
            "udl": d.user_data_length,
            "udh": d.udh.hex().upper(),
            "concat": None
            if d.concat is None
            else {"ref": d.concat.reference, "total": d.concat.total, "seq": d.concat.index},
            "text": d.text,
            "accepted_reference": self.reference,
        }


@dataclass(frozen=True)
class ReceivedSms:
    to: str
    text: str
    parts: int
    references: tuple[int, ...]
    encoding: str

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "text": self.text,
            "parts": self.parts,
            "references": list(self.references),
            "encoding": self.encoding,
        }


class ModemSimulator(SimulatedDevice):
    """Attributes:
    parts: every PDU received (accepted or not), in order.
    messages: complete messages (concatenated ones assembled), in completion order.
    """

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 115200,
        pin: str = "READY",
        cms_errors: list[int] | None = None,
        stall: bool = False,
        first_reference: int = 1,
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        super().__init__(PortSettings(port=port, baudrate=baudrate, read_timeout=0.05))
        self.pin = pin
        self.cms_errors = list(cms_errors or [])
        self.stall = stall
        self._next_ref = first_reference
        self._on_event = on_event
        self._echo = True
        self._cmee = 0
        self._cmgf = 0
        self._line = bytearray()
        self._pdu: bytearray | None = None
        self._pdu_length = 0
        self._pending: dict[tuple[str, int, int], dict[int, ReceivedPart]] = {}
        self._cond = threading.Condition()
        self.parts: list[ReceivedPart] = []
        self.messages: list[ReceivedSms] = []
        self.commands: list[str] = []

    # ----------------------------------------------------------------- protocol

    def handle(self, data: bytes) -> None:
        for b in data:
            if self._pdu is not None:
                self._pdu_byte(b)
            elif b in (0x0D, 0x0A):
                if self._line:
                    line = self._line.decode("ascii", "replace").strip()
                    self._line.clear()
                    if self._echo:
                        self.write(line.encode("ascii", "replace") + b"\r")
                    self._command(line)
            else:
                self._line.append(b)

    def _reply(self, *lines: str) -> None:
        self.write(b"".join(b"\r\n" + ln.encode("ascii") + b"\r\n" for ln in lines))

    def _cme(self, code: int) -> None:
        self._reply(f"+CME ERROR: {code}" if self._cmee else "ERROR")

    def _command(self, line: str) -> None:
        with self._cond:
            self.commands.append(line)
            self._cond.notify_all()
        up = line.upper()
        if up in ("AT", "ATZ", "AT&F"):
            self._reply("OK")
        elif up in ("ATE0", "ATE1"):
            self._echo = up == "ATE1"
            self._reply("OK")
        elif up.startswith("AT+CMEE="):
            self._cmee = int(up.split("=", 1)[1] or 0)
            self._reply("OK")
        elif up == "AT+CPIN?":
            if self.pin.lower() == "absent":
                self._cme(10)
            else:
                self._reply(f"+CPIN: {self.pin}", "OK")
        elif up.startswith("AT+CMGF="):
            value = up.split("=", 1)[1]
            if value in ("0", "1"):
                self._cmgf = int(value)
                self._reply("OK")
            else:
                self._reply("ERROR")
        elif up == "AT+CSQ":
            self._reply("+CSQ: 21,99", "OK")
        elif up.startswith("AT+CMGS="):
            if self.pin != "READY":
                self._reply("+CMS ERROR: 311" if self.pin == "SIM PIN" else "+CMS ERROR: 310")
                return
            if self._cmgf != 0:
                self._reply("+CMS ERROR: 305")  # this simulator only speaks PDU mode
                return
            try:
                self._pdu_length = int(up.split("=", 1)[1].split(",")[0])
            except ValueError:
                self._reply("ERROR")
                return
            self._pdu = bytearray()
            self.write(b"\r\n> ")
        else:
            self._reply("ERROR")

    def _pdu_byte(self, b: int) -> None:
        assert self._pdu is not None
        if b == 0x1B:  # ESC: cancel
            self._pdu = None
            self._reply("OK")
            return
        if b != 0x1A:
            if b not in (0x0D, 0x0A):
                self._pdu.append(b)
            return
        text = self._pdu.decode("ascii", "replace").strip()
        self._pdu = None
        if self._echo:
            self.write(text.encode("ascii") + b"\r")
        try:
            decoded = decode_pdu(text)
        except PduError:
            self._reply("+CMS ERROR: 304")
            return
        if decoded.tpdu_length != self._pdu_length:
            self._reply("+CMS ERROR: 304")
            return
        if self.cms_errors:
            self._record(ReceivedPart(text, decoded, None))
            self._reply(f"+CMS ERROR: {self.cms_errors.pop(0)}")
            return
        if self.stall:
            self._record(ReceivedPart(text, decoded, None))
            return
        ref = self._next_ref
        self._next_ref = (self._next_ref + 1) % 256
        self._record(ReceivedPart(text, decoded, ref))
        self._reply(f"+CMGS: {ref}", "OK")

    def _record(self, part: ReceivedPart) -> None:
        complete: ReceivedSms | None = None
        d = part.decoded
        if part.reference is not None:
            if d.concat is None:
                complete = ReceivedSms(
                    d.number,
                    d.text,
                    1,
                    (part.reference,),
                    d.encoding.value if d.encoding else "8bit",
                )
            else:
                key = (d.number, d.concat.reference, d.concat.total)
                got = self._pending.setdefault(key, {})
                # A resent part (same reference and number) replaces the earlier copy,
                # as a phone does.
                got[d.concat.index] = part
                if len(got) == d.concat.total:
                    ordered = [got[i] for i in sorted(got)]
                    del self._pending[key]
                    complete = ReceivedSms(
                        d.number,
                        "".join(p.decoded.text for p in ordered),
                        d.concat.total,
                        tuple(p.reference for p in ordered if p.reference is not None),
                        d.encoding.value if d.encoding else "8bit",
                    )
        with self._cond:
            self.parts.append(part)
            if complete is not None:
                self.messages.append(complete)
            self._cond.notify_all()
        if self._on_event is not None:
            self._on_event({"part": part.to_json()})
            if complete is not None:
                self._on_event({"sms": complete.to_json()})

    # ----------------------------------------------------------------- waiting (tests)

    def wait_for_parts(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.parts) >= count, timeout)

    def wait_for_messages(self, count: int, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.messages) >= count, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cti.serial.sim.modem",
        description="Simulated GSM modem: accepts SMS in PDU mode, prints them as JSON lines.",
    )
    parser.add_argument("port", help="serial port, e.g. a socat pty link")
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument(
        "--pin", default="READY", help='SIM state: READY, "SIM PIN", "SIM PUK" or absent'
    )
    parser.add_argument(
        "--cms-error",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="answer the next AT+CMGS with +CMS ERROR: N (repeatable)",
    )
    parser.add_argument("--stall", action="store_true", help="accept PDUs but never answer")
    args = parser.parse_args(argv)

    def emit(event: dict[str, Any]) -> None:
        print(json.dumps(event, ensure_ascii=False), flush=True)

    sim = ModemSimulator(
        args.port,
        baudrate=args.baud,
        pin=args.pin,
        cms_errors=args.cms_error,
        stall=args.stall,
        on_event=emit,
    )
    try:
        sim.run(on_open=lambda: emit({"ready": True, "port": args.port}))
    except SerialPortError as exc:
        print(f"modem simulator: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    if sim.ended_reason:
        print(f"modem simulator: {sim.ended_reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
