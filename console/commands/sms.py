"""`python main.py sms --port PORT --to NUMBER --text TEXT`

Sends one SMS through a serial GSM modem right away (no outbox: this is the administrator's
test). Prints the +CMGS message reference(s) and exits 0 when the modem accepted every part;
otherwise prints what went wrong (+CMS ERROR code and meaning, SIM state, timeout, port) and
exits 1 — or 2 for a number/text that cannot be encoded.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", required=True, help="modem serial port, e.g. /dev/ttyUSB2")
    parser.add_argument("--to", required=True, help="recipient: +8613800138000 or 13800138000")
    parser.add_argument("--text", required=True, help="message text (Chinese is sent as UCS-2)")
    parser.add_argument("--baud", type=int, default=115200, help="baud rate (default 115200)")
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds to wait for the network (default 60)"
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="mark a number without + as national (type A1) instead of unknown (81)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")


def run(args: argparse.Namespace) -> int:
    import random

    from cti.serial.gsm_pdu import NumberType, PduError, encode_submit
    from cti.serial.modem import GsmModem, ModemError, ModemSettings

    def report(ok: bool, **fields: object) -> None:
        if args.json:
            print(json.dumps({"ok": ok, **fields}, ensure_ascii=False))

    try:
        parts = encode_submit(
            args.to,
            args.text,
            concat_ref=random.randrange(256),
            local_type=NumberType.NATIONAL if args.national else NumberType.UNKNOWN,
        )
    except PduError as exc:
        report(False, error=str(exc))
        if not args.json:
            print(f"sms: {exc}", file=sys.stderr)
        return 2
    settings = ModemSettings(port=args.port, baudrate=args.baud, send_timeout=args.timeout)
    try:
        with GsmModem(settings) as modem:
            modem.initialise()
            references = modem.send_parts(parts)
    except ModemError as exc:
        report(False, error=str(exc), retryable=exc.retryable, possibly_sent=exc.in_doubt)
        if not args.json:
            print(f"sms: {exc}", file=sys.stderr)
        return 1
    report(True, parts=len(parts), references=references)
    if not args.json:
        refs = ", ".join(str(r) for r in references)
        print(f"sent {len(parts)} part(s) to {args.to}; message reference(s): {refs}")
    return 0
