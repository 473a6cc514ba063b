"""`python main.py bench [--quick] [--json] [--only NAME,...]` — the figures of shared/BENCH.md.

Each area contributes benchmark functions `fn(quick: bool) -> dict[str, float]`; they run in
separate subprocesses so one benchmark's memory, threads or pjsua2 Endpoint never skews
another's. A figure whose function is missing or fails is simply absent (and the failure is
printed on stderr).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

# name → "module:function" ; the names are what --only selects.
BENCHES: dict[str, str] = {
    "ingest": "cti.state.bench_store:bench_ingest_with_store",
    "store": "cti.state.bench_store:bench_store",
    "record": "db.bench_record:bench_record",
    "record_crash": "db.bench_record:bench_record_crash",
    "floor": "console.bench.floor:bench_floor",
    "startup": "console.bench.startup:bench_startup",
    "shift": "console.bench.shift:bench_shift",
    "monitoring": "cti.sip.bench_sip:bench_monitoring",
    "lab": "cti.lab.bench_lab:bench_lab",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="short runs (about a minute in all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of: {', '.join(BENCHES)}"
    )
    parser.add_argument("--timeout", type=float, default=0.0, help="per-benchmark limit in seconds")


def machine() -> dict[str, str]:
    info = {
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        info["pyside6"] = PySide6.__version__
        info["qt"] = qVersion()
    except ImportError:
        pass
    try:
        import pjsua2

        info["pjproject"] = str(pjsua2.__version__)
    except ImportError:
        pass
    return info


def run_one(target: str, quick: bool, timeout: float) -> dict[str, float]:
    """Run one benchmark function in a fresh interpreter; returns its figures."""
    module, func = target.split(":")
    code = (  # a fresh interpreter set up as the console's own process is (main.main)
        "import json, sys\n"
        "from console.gc_tuning import tune_collector\n"
        "tune_collector()\n"
        f"from {module} import {func} as f\n"
        f"r = f({quick!r})\n"
        "sys.stdout.write('\\nBENCH-RESULT ' + json.dumps(r) + '\\n')\n"
    )
    if getattr(sys, "frozen", False):  # no interpreter to spawn: run in this process
        fn = getattr(importlib.import_module(module), func)
        return {k: float(v) for k, v in fn(quick).items()}
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-c", code]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    proc = subprocess.run(
        cmd, cwd=root, capture_output=True, text=True, timeout=timeout or None, env=env, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return {k: float(v) for k, v in json.loads(line[len("BENCH-RESULT ") :]).items()}
    raise RuntimeError(f"{target} failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")


def run(args: argparse.Namespace) -> int:
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHES)
    unknown = [n for n in chosen if n not in BENCHES]
    if unknown:
        print(f"bench: unknown benchmark(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    figures: dict[str, float] = {}
    info = machine()
    print(
        "machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        file=sys.stderr if args.json else sys.stdout,
    )
    failed = 0
    for name in chosen:
        target = BENCHES[name]
        module = target.split(":")[0]
        if importlib.util.find_spec(module) is None:
            print(f"bench: {name}: not built ({module} missing)", file=sys.stderr)
            continue
        t0 = time.monotonic()
        try:
            result = run_one(target, args.quick, args.timeout)
        except Exception as exc:
            failed += 1
            print(f"bench: {name}: {exc}", file=sys.stderr)
            continue
        figures.update(result)
        if not args.json:
            for k, v in result.items():
                print(f"{k:32s} {v:14.3f}")
            print(f"  ({name} took {time.monotonic() - t0:.1f} s)")
    if args.json:
        print(json.dumps(figures))
    return 1 if failed else 0
