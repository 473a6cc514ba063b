"""Runs a LabSipPbx in its own process for the tests (pjsua2: one Endpoint per process).

Prints `READY {"sip_port": …}` once started, then every AMI event the lab emits as
`EVENT [[name, value], …]`, and `RESULT {…}` for command answers and originate outcomes.
Commands come as JSON lines on stdin: originate, set_sim, clear_sim, hangup, spies, quit.
The process exits when stdin closes (a crashed test never leaves it behind).
"""

from __future__ import annotations

import argparse
import json
import logging
import queue
import sys
import threading
import time
from typing import Any

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))

from cti.lab.sip_pbx import LabSipPbx, OriginateResult


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", required=True, help="JSON user → password")
    parser.add_argument("--tone-mode", action="store_true")
    parser.add_argument("--ring-timeout", type=float, default=15.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    def emit(headers: list[tuple[str, str]]) -> None:
        print("EVENT " + json.dumps(headers), flush=True)

    def on_result(result: OriginateResult) -> None:
        print("RESULT " + json.dumps({"originate": result.__dict__}), flush=True)

    lookup: dict[str, list[tuple[str, str]]] = {}  # what a simulation would report per agent

    pbx = LabSipPbx(
        "127.0.0.1",
        0,
        json.loads(args.accounts),
        None,
        emit,
        time.time,
        tone_mode=args.tone_mode,
        ring_timeout_s=args.ring_timeout,
        channel_lookup=lookup.get,
    )
    pbx.start()
    commands: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        for line in sys.stdin:
            commands.put(line)
        commands.put(None)

    threading.Thread(target=reader, daemon=True).start()
    print("READY " + json.dumps({"sip_port": pbx.sip_port}), flush=True)
    try:
        while True:
            pbx.poll()
            try:
                line = commands.get(timeout=0.01)
            except queue.Empty:
                continue
            if line is None:
                break
            command: dict[str, Any] = json.loads(line)
            op = command["op"]
            if op == "quit":
                break
            reply: dict[str, Any]
            if op == "originate":
                channel = pbx.originate_chanspy(
                    command["spyer"], command["spyee"], command["options"], on_result=on_result
                )
                reply = {"channel": channel}
            elif op == "set_sim":
                pbx.set_simulated_call(
                    command["ext"], command["caller"], command["queue"], command["language"]
                )
                reply = {"ok": True}
            elif op == "set_lookup":  # a call the simulation never announced
                lookup[command["ext"]] = [(k, v) for k, v in command["block"]]
                reply = {"ok": True}
            elif op == "clear_sim":
                lookup.pop(command["ext"], None)
                pbx.clear_simulated_call(command["ext"])
                reply = {"ok": True}
            elif op == "hangup":
                reply = {"ok": pbx.hangup(command["channel"])}
            elif op == "spies":
                reply = {"spies": [s.__dict__ for s in pbx.spies()]}
            elif op == "registered":
                reply = {"users": sorted(pbx.registered_users())}
            else:
                reply = {"error": f"unknown op {op}"}
            print("RESULT " + json.dumps(reply), flush=True)
    finally:
        pbx.shutdown()
        print("BYE {}", flush=True)


if __name__ == "__main__":
    main()
