"""Benchmark: AMI events per second the lab delivers with the 2,000-agent preset.

The lab (AMI side only, no pjsua2) runs on its own asyncio loop in a thread, warmed up for
ten simulated minutes (five with --quick) so the floor is in steady state; one client logs in with
`Events: on` and counts the event frames it receives over a fixed real-time window, once at
speed 1 and once at speed 60. At speed 60 the figure also shows whether the lab keeps up:
the simulation's own rate there is ~60 times the speed-1 rate.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

from cti.lab.main import LabConfig, LabRuntime

PRESET = "power-2000"
WARMUP_S = 600.0


def _measure(speed: float, window_s: float, warmup_s: float = WARMUP_S) -> float:
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            runtime = LabRuntime(
                LabConfig(
                    scenario=PRESET, ami_port=0, speed=speed, enable_sip=False, warmup_s=warmup_s
                )
            )
            box["runtime"] = runtime
            box["info"] = loop.run_until_complete(runtime.start())
        except BaseException as exc:
            box["error"] = exc
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runtime.stop())
        loop.close()

    thread = threading.Thread(target=run, name="bench-lab", daemon=True)
    thread.start()
    ready.wait(120)
    if "error" in box:
        raise box["error"]
    info = box["info"]
    try:
        with socket.create_connection(("127.0.0.1", info["ami_port"]), timeout=10) as sock:
            login = (
                f"Action: Login\r\nUsername: {info['ami_user']}\r\n"
                f"Secret: {info['ami_secret']}\r\nEvents: on\r\n\r\n"
            )
            sock.sendall(login.encode())
            buf = b""
            while b"Authentication accepted" not in buf:
                buf += sock.recv(65536)
            frames = 0
            tail = b""
            start = time.perf_counter()
            deadline = start + window_s
            while (now := time.perf_counter()) < deadline:
                sock.settimeout(max(0.01, deadline - now))
                try:
                    data = sock.recv(1 << 20)
                except TimeoutError:
                    break
                if not data:
                    break
                # A terminator split across two reads is counted once: 3 bytes cannot hold one.
                chunk = tail + data
                frames += chunk.count(b"\r\n\r\n")
                tail = chunk[-3:]
            elapsed = time.perf_counter() - start
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
    return frames / elapsed if elapsed > 0 else 0.0


def bench_lab(quick: bool) -> dict[str, float]:
    window, warmup = (1.5, 300.0) if quick else (20.0, WARMUP_S)
    return {
        "lab_events_per_s_speed1": round(_measure(1.0, window, warmup), 1),
        "lab_events_per_s_speed60": round(_measure(60.0, window, warmup), 1),
    }


if __name__ == "__main__":
    import sys

    print(bench_lab("--quick" in sys.argv))
