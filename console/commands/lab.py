"""`python main.py lab`: run the embedded lab PBX standalone (simulated hotline, AMI + SIP).

Prints one `LAB-READY {json}` line when listening, then where it listens and the
credentials (random unless given). Stops on Ctrl-C / SIGTERM, or when stdin (a pipe from a
parent process) closes. Port 0 means "any free port".
"""

from __future__ import annotations

import argparse
import logging
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario TOML file or preset name (default, heating, water, power-2000)",
    )
    parser.add_argument(
        "--ami-port", type=int, default=5038, metavar="N", help="AMI TCP port (0 = free port)"
    )
    parser.add_argument(
        "--sip-port", type=int, default=5060, metavar="N", help="SIP UDP port (0 = free port)"
    )
    parser.add_argument("--ami-user", metavar="U", help="AMI user name (random when omitted)")
    parser.add_argument("--ami-secret", metavar="S", help="AMI secret (random when omitted)")
    parser.add_argument(
        "--speed", type=float, metavar="X", help="simulation speed factor (e.g. 60)"
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="random seed (default: the scenario's)"
    )


def run(args: argparse.Namespace) -> int:
    from cti.lab.main import run_lab

    level = str(getattr(args, "log_level", "WARNING") or "WARNING").upper()
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s"
    )
    if args.speed is not None and args.speed <= 0:
        print("lab: --speed must be positive", file=sys.stderr)
        return 2
    for name in ("ami_port", "sip_port"):
        port = getattr(args, name)
        if not 0 <= port <= 65535:
            print(f"lab: --{name.replace('_', '-')} must be 0..65535", file=sys.stderr)
            return 2
    return run_lab(
        args.scenario,
        ami_port=args.ami_port,
        sip_port=args.sip_port,
        ami_user=args.ami_user,
        ami_secret=args.ami_secret,
        speed=args.speed,
        seed=args.seed,
    )
