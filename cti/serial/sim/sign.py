"""LED sign simulator: decodes Alpha packets (checksum verified) or plain lines and reports
what the sign would show.

    python -m cti.serial.sim.sign PORT [--protocol alpha|plain] [--baud 9600]
                                        [--address 01] [--encoding utf-8]

prints one JSON object per received message on stdout (and a "ready" line first), e.g.
    {"protocol": "alpha", "ok": true, "type": "Z", "address": "00", "label": "A",
     "checksum": "0297", "checksum_ok": true, "text": "HELLO", "segments": [...]}
A packet with a bad checksum is reported with "ok": false and not "shown", as a real sign
would drop it. With --address, packets for other addresses are reported as ignored
("00" always reaches every sign).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cti.serial.alpha import (
    CMD_WRITE_TEXT,
    AlphaDecoder,
    AlphaFrameError,
    AlphaPacket,
    parse_write_text,
)
from cti.serial.link import PortSettings, SerialPortError
from cti.serial.plain import LineDecoder
from cti.serial.sim.device import SimulatedDevice


@dataclass(frozen=True)
class SignMessage:
    """One received message as the simulator understood it."""

    protocol: str
    ok: bool
    text: str
    raw: bytes
    error: str | None = None
    type_code: str | None = None
    address: str | None = None
    label: str | None = None
    checksum: str | None = None
    checksum_ok: bool | None = None
    for_me: bool = True
    segments: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"protocol": self.protocol, "ok": self.ok, "text": self.text}
        if self.protocol == "alpha":
            out.update(
                type=self.type_code,
                address=self.address,
                label=self.label,
                checksum=self.checksum,
                checksum_ok=self.checksum_ok,
                for_me=self.for_me,
                segments=list(self.segments),
                hex=self.raw.hex(" ").upper(),
            )
        if self.error:
            out["error"] = self.error
        return out


def _alpha_message(item: AlphaPacket | AlphaFrameError, my_address: str | None) -> SignMessage:
    if isinstance(item, AlphaFrameError):
        return SignMessage("alpha", False, "", item.raw, error=item.reason)
    for_me = my_address is None or item.address in ("00", my_address.upper())
    texts: list[str] = []
    segments: list[dict[str, Any]] = []
    label: str | None = None
    checksum: str | None = None
    error: str | None = None
    for cmd in item.commands:
        checksum = cmd.checksum
        if cmd.checksum_ok is False:
            error = "checksum mismatch: packet dropped"
            continue
        if cmd.code != CMD_WRITE_TEXT:
            error = f"command {cmd.code!r} not simulated"
            continue
        try:
            tf = parse_write_text(cmd.data)
        except ValueError as exc:
            error = f"bad TEXT data: {exc}"
            continue
        label = tf.label
        texts.append(tf.text)
        segments += [
            {
                "position": s.position_name,
                "mode": s.mode_name,
                "special": s.special,
                "colors": list(s.color_names),
                "text": s.text,
            }
            for s in tf.segments
        ]
    return SignMessage(
        "alpha",
        ok=error is None,
        text=" / ".join(texts),
        raw=item.raw,
        error=error,
        type_code=item.type_code,
        address=item.address,
        label=label,
        checksum=checksum,
        checksum_ok=item.checksum_ok,
        for_me=for_me,
        segments=tuple(segments),
    )


class SignSimulator(SimulatedDevice):
    """Attributes:
    messages: every message received, in order (thread-safe to read after `wait_for`).
    """

    def __init__(
        self,
        port: str,
        *,
        protocol: str = "alpha",
        baudrate: int = 9600,
        bytesize: int | None = None,
        parity: str | None = None,
        stopbits: float = 1,
        encoding: str = "utf-8",
        address: str | None = None,
        on_message: Callable[[SignMessage], None] | None = None,
    ) -> None:
        alpha = protocol == "alpha"
        super().__init__(
            PortSettings(
                port=port,
                baudrate=baudrate,
                bytesize=bytesize or (7 if alpha else 8),
                parity=parity or ("E" if alpha else "N"),
                stopbits=stopbits,
                read_timeout=0.05,
            )
        )
        self.protocol = protocol
        self.address = address
        self._alpha = AlphaDecoder()
        self._lines = LineDecoder(encoding)
        self._on_message = on_message
        self._cond = threading.Condition()
        self.messages: list[SignMessage] = []

    @property
    def shown(self) -> str | None:
        """What the sign shows now: the last good message addressed to it."""
        with self._cond:
            for m in reversed(self.messages):
                if m.ok and m.for_me:
                    return m.text
        return None

    def handle(self, data: bytes) -> None:
        found: list[SignMessage] = []
        if self.protocol == "alpha":
            self._alpha.receive_data(data)
            while (item := self._alpha.next_packet()) is not None:
                found.append(_alpha_message(item, self.address))
        else:
            self._lines.receive_data(data)
            while (line := self._lines.next_line()) is not None:
                found.append(SignMessage("plain", True, line, line.encode(self._lines.encoding)))
        for msg in found:
            with self._cond:
                self.messages.append(msg)
                self._cond.notify_all()
            if self._on_message is not None:
                self._on_message(msg)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until at least `count` messages arrived."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.messages) >= count, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cti.serial.sim.sign",
        description="Simulated LED wallboard: prints what it receives as JSON lines.",
    )
    parser.add_argument("port", help="serial port, e.g. /dev/ttyUSB0 or a socat pty link")
    parser.add_argument("--protocol", choices=["alpha", "plain"], default="alpha")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--address", help="this sign's address (2 hex digits); default: all")
    parser.add_argument("--encoding", default="utf-8", help="plain protocol text encoding")
    args = parser.parse_args(argv)

    def show(msg: SignMessage) -> None:
        print(json.dumps(msg.to_json(), ensure_ascii=False), flush=True)

    sim = SignSimulator(
        args.port,
        protocol=args.protocol,
        baudrate=args.baud,
        encoding=args.encoding,
        address=args.address,
        on_message=show,
    )
    try:
        sim.run(on_open=lambda: print(json.dumps({"ready": True, "port": args.port}), flush=True))
    except SerialPortError as exc:
        print(f"sign simulator: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    if sim.ended_reason:
        print(f"sign simulator: {sim.ended_reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
