"""`python main.py wallboard --port PORT --text TEXT [--protocol alpha|plain] ...`

Sends one text to a serial LED wallboard and reports what was written (administrators run it
from the settings dialog to test the sign). Exit 0 when the bytes were written; 1 when the
port failed; 2 when the text cannot be shown with that protocol (e.g. Chinese on an Alpha
sign). The sign itself does not answer, so "written" is all a sender can know.
"""

from __future__ import annotations

import argparse
import sys

_MODES = [
    "rotate", "hold", "flash", "roll_up", "roll_down", "roll_left", "roll_right", "wipe_up",
    "wipe_down", "wipe_left", "wipe_right", "scroll", "automode", "roll_in", "roll_out",
    "wipe_in", "wipe_out", "compressed_rotate",
]  # fmt: skip
_POSITIONS = ["middle_line", "top_line", "bottom_line", "fill", "left", "right"]
_COLORS = [
    "red", "green", "amber", "dim_red", "dim_green", "brown", "orange", "yellow",
    "rainbow_1", "rainbow_2", "color_mix", "autocolor",
]  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    parser.add_argument("--text", required=True, help="text to show")
    parser.add_argument("--protocol", choices=["alpha", "plain"], default="alpha")
    parser.add_argument("--baud", type=int, default=9600, help="baud rate (default 9600)")
    parser.add_argument(
        "--address", default="00", help="Alpha sign address, 2 hex digits (00 = all signs)"
    )
    parser.add_argument("--type-code", default="Z", help="Alpha sign type code (Z = all types)")
    parser.add_argument("--label", default="A", help="Alpha TEXT file label (default A)")
    parser.add_argument("--mode", choices=_MODES, default="hold", help="Alpha display mode")
    parser.add_argument("--position", choices=_POSITIONS, default="fill", help="Alpha position")
    parser.add_argument("--color", choices=_COLORS, help="Alpha text colour")
    parser.add_argument(
        "--encoding", default="utf-8", help="plain protocol text encoding (utf-8, gb18030 ...)"
    )
    parser.add_argument("--bytesize", type=int, choices=[7, 8], help="default: alpha 7, plain 8")
    parser.add_argument("--parity", choices=["N", "E", "O"], help="default: alpha E, plain N")
    parser.add_argument("--stopbits", type=int, choices=[1, 2], help="default 1")
    parser.add_argument(
        "--show-bytes", action="store_true", help="also print the bytes written, in hex"
    )


def run(args: argparse.Namespace) -> int:
    import time

    from cti.serial import alpha
    from cti.serial.alpha import AlphaEncodingError
    from cti.serial.link import SerialPortError
    from cti.serial.plain import PlainEncodingError
    from cti.serial.wallboard import (
        SignProtocol,
        WallboardConfig,
        WallboardContent,
        WallboardDriver,
        render,
    )

    try:
        config = WallboardConfig(
            port=args.port,
            baudrate=args.baud,
            address=args.address.upper(),
            protocol=SignProtocol(args.protocol),
            type_code=args.type_code,
            file_label=args.label,
            mode=alpha.Mode[args.mode.upper()],
            position=alpha.Position[args.position.upper()],
            text_color=alpha.Color[args.color.upper()] if args.color else None,
            encoding=args.encoding,
            bytesize=args.bytesize,
            parity=args.parity,
            stopbits=args.stopbits,
        )
        content = WallboardContent(text=args.text)
        data = render(content, config, strict=True)
    except (AlphaEncodingError, PlainEncodingError, ValueError) as exc:
        print(f"wallboard: {exc}", file=sys.stderr)
        return 2
    driver = WallboardDriver(config, time.monotonic)
    try:
        driver.send_now(content)
    except SerialPortError as exc:
        print(f"wallboard: {exc}", file=sys.stderr)
        return 1
    finally:
        driver.close()
    framing = config.port_settings().framing()
    print(f"sent {len(data)} bytes to {args.port} ({args.protocol}, {framing})")
    if args.show_bytes:
        print(data.hex(" ").upper())
    return 0
