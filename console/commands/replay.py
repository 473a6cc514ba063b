"""`python main.py replay CAPTURE --json [--chunk-size N] [--sl-threshold 20] [--short-abandon 5]
[--interval 30] [--wrapup 0] [--record DB]`

Feeds a file of raw AMI bytes as received from Asterisk (banner first) through the codec and
the floor store and prints the figures (issue 4's JSON contract with --json, a short table
otherwise). Exit 0 on success, 2 when the file cannot be read or --record cannot be honoured.

`--record DB` hands every (typed event, raw message) to a sink the record module provides
(`db.record.open_replay_sink(path) -> sink` with `sink(event, message)` and `sink.close()`);
when this build has no such sink the command says so and exits 2 rather than ignoring it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("capture", metavar="CAPTURE", help="raw AMI bytes, banner first")
    parser.add_argument("--json", action="store_true", help="print the JSON document")
    parser.add_argument(
        "--chunk-size", type=int, default=65536, help="bytes fed to the codec at a time"
    )
    parser.add_argument(
        "--sl-threshold", type=float, default=20.0, help="service-level threshold T in seconds"
    )
    parser.add_argument(
        "--short-abandon",
        type=float,
        default=5.0,
        help="abandons under this many seconds are short",
    )
    parser.add_argument(
        "--interval", type=int, default=30, choices=[15, 30, 60], help="interval minutes"
    )
    parser.add_argument(
        "--wrapup",
        type=float,
        default=0.0,
        help="queues' wrap-up seconds (queues.conf wrapuptime; AMI does not report it)",
    )
    parser.add_argument("--record", metavar="DB", help="also journal the replay into this record")


def _open_sink(path: str) -> Any:
    try:
        from db import record
    except ImportError:
        return None
    opener = getattr(record, "open_replay_sink", None)
    return None if opener is None else opener(Path(path))


def run(args: argparse.Namespace) -> int:
    from cti.state.config import FloorConfig
    from cti.state.replay import replay_file, result_json

    path = Path(args.capture)
    if args.chunk_size <= 0:
        print("replay: --chunk-size must be positive", file=sys.stderr)
        return 2
    if args.sl_threshold < 0 or args.short_abandon < 0 or args.wrapup < 0:
        print("replay: thresholds must not be negative", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"replay: no such file: {path}", file=sys.stderr)
        return 2
    sink = None
    if args.record:
        try:
            sink = _open_sink(args.record)
        except Exception as exc:  # db.errors.RecordError and friends: the message is for people
            print(f"replay: cannot open the record {args.record}: {exc}", file=sys.stderr)
            return 2
        if sink is None:
            print(
                "replay: --record needs the record module's replay sink "
                "(db.record.open_replay_sink), which this build does not have",
                file=sys.stderr,
            )
            return 2
    config = FloorConfig(
        interval_minutes=args.interval,
        sl_threshold_s=args.sl_threshold,
        short_abandon_s=args.short_abandon,
        wrapup_s=args.wrapup,
    )
    try:
        result = replay_file(path, config, args.chunk_size, sink)
    except OSError as exc:
        print(f"replay: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        close = getattr(sink, "close", None)
        if callable(close):
            close()
    doc = result_json(result)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    print(f"{result.frames} frames, {result.errors} errors, {sum(result.events.values())} events")
    for name, q in doc["queues"].items():
        sl = "-" if q["sl_percent"] is None else f"{q['sl_percent']:.1f}%"
        print(
            f"queue {name}: offered {q['offered']} answered {q['answered']} "
            f"abandoned {q['abandoned']} (short {q['short_abandoned']}) SL {sl}"
        )
    for iface, a in doc["agents"].items():
        print(
            f"agent {iface} ({a['name']}): answered {a['answered']} talk {a['talk_s']} s "
            f"ring-no-answer {a['ring_no_answer']}"
        )
    return 0
