"""`python main.py check-monitoring [--json]`: end-to-end listen / whisper / barge self-test.

Default: starts the embedded lab PBX and uses its test accounts. With `--pbx-host` it runs
against a configured PBX; then it needs two test SIP accounts (`--caller`, `--agent`), the
supervisor's (`--supervisor`), the agent's extension and the queue number the caller
dials. The test caller dials the queue, the test agent answers, the supervisor monitors the
agent and steps listen → whisper → barge → listen by DTMF on one call; each party plays its
own tone and the who-hears-whom matrix is measured (present ≥ −20 dBFS, absent ≤ −45 dBFS).
Exit code 0 only when all 12 cells pass; 1 when a cell fails or the run could not finish
(the reason goes to stderr); 2 for bad options.

pjsua2 prints to stdout from C; with `--json` our stdout must be the JSON alone, so the
process's file descriptor 1 points at stderr while the phone runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any


def _user_pass(text: str) -> tuple[str, str]:
    user, sep, password = text.partition(":")
    if not sep or not user:
        raise argparse.ArgumentTypeError(f"expected USER:PASS, got {text!r}")
    return user, password


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    pbx = parser.add_argument_group("configured PBX (default: start the embedded lab)")
    pbx.add_argument("--pbx-host", metavar="HOST", help="the PBX's SIP address")
    pbx.add_argument("--sip-port", type=int, default=5060, metavar="N", help="SIP port (5060)")
    pbx.add_argument("--domain", default="", metavar="D", help="SIP domain (default: the host)")
    pbx.add_argument("--transport", choices=("udp", "tcp"), default="udp")
    pbx.add_argument("--supervisor", type=_user_pass, metavar="USER:PASS")
    pbx.add_argument("--caller", type=_user_pass, metavar="USER:PASS", help="test caller")
    pbx.add_argument("--agent", type=_user_pass, metavar="USER:PASS", help="test agent")
    pbx.add_argument("--agent-ext", metavar="EXT", help="the test agent's extension (its user)")
    pbx.add_argument("--queue-number", default="600", metavar="N", help="number the caller dials")
    pbx.add_argument("--spy-method", choices=("featurecode", "originate"), default="featurecode")
    pbx.add_argument(
        "--feature-codes",
        default="*221,*222,*223",
        metavar="L,W,B",
        help="listen, whisper, barge prefixes (featurecode method)",
    )
    pbx.add_argument("--dtmf", choices=("rfc4733", "info"), default="rfc4733")
    pbx.add_argument("--ami-host", metavar="HOST", help="AMI address (originate; default PBX host)")
    pbx.add_argument("--ami-port", type=int, default=5038, metavar="N")
    pbx.add_argument("--ami-user", metavar="U")
    pbx.add_argument("--ami-secret", metavar="S")
    parser.add_argument(
        "--step-timeout", type=float, default=8.0, metavar="S", help="longest wait per step"
    )


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[int]:
    """Point fd 1 at stderr (pjsua2's C logging); yield a dup of the real stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield saved
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        with _stdout_to_stderr():
            result = _run(args)
    except _UsageError as exc:
        print(f"check-monitoring: {exc}", file=sys.stderr)
        return 2
    if result.error:
        print(f"check-monitoring: {result.error}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(result.matrix_text())
    return 0 if result.passed else 1


class _UsageError(Exception):
    pass


def _run(args: argparse.Namespace) -> Any:
    from cti.sip.config import DtmfMethod, MonitorMode, MonitorProfile, SpyMethod, Transport
    from cti.sip.monitor_check import CheckResult, MonitoringCheck, PbxTarget

    codes = args.feature_codes.split(",")
    if len(codes) != 3 or not all(codes):
        raise _UsageError("--feature-codes needs three prefixes: listen,whisper,barge")
    method = SpyMethod(args.spy_method)
    profile = MonitorProfile(
        method=method,
        feature_codes=dict(zip(MonitorMode, codes, strict=True)),
        dtmf_method=DtmfMethod(args.dtmf),
    )
    if args.pbx_host is None:
        return _run_on_lab(args, profile, method)
    missing = [n for n in ("supervisor", "caller", "agent") if getattr(args, n) is None]
    if missing:
        raise _UsageError("with --pbx-host give " + ", ".join(f"--{n} USER:PASS" for n in missing))
    target = PbxTarget(
        sip_host=args.pbx_host,
        sip_port=args.sip_port,
        domain=args.domain,
        transport=Transport(args.transport),
        supervisor=args.supervisor,
        caller=args.caller,
        agent=args.agent,
        agent_ext=args.agent_ext or args.agent[0],
        queue_number=args.queue_number,
        spy_method=method,
        profile=profile,
    )
    originator = None
    if method is SpyMethod.ORIGINATE:
        if not (args.ami_user and args.ami_secret):
            raise _UsageError("--spy-method originate needs --ami-user and --ami-secret")
        from cti.sip.ami_originate import AmiOriginator

        originator = AmiOriginator(
            args.ami_host or args.pbx_host, args.ami_port, args.ami_user, args.ami_secret
        )
    try:
        result: CheckResult = MonitoringCheck(
            target, originate=originator, step_timeout_s=args.step_timeout
        ).run()
    finally:
        if originator is not None:
            originator.close()
    return result


def _run_on_lab(args: argparse.Namespace, profile: Any, method: Any) -> Any:
    from cti.lab.process import LabProcess, LabStartError
    from cti.sip.ami_originate import AmiOriginator
    from cti.sip.config import SpyMethod
    from cti.sip.monitor_check import CheckFailedError, CheckResult, MonitoringCheck, lab_target

    lab = LabProcess()
    originator = None
    try:
        info = lab.start()
        target = lab_target(info.raw, profile=profile, spy_method=method)
        if method is SpyMethod.ORIGINATE:
            originator = AmiOriginator(info.ami_host, info.ami_port, info.ami_user, info.ami_secret)
        return MonitoringCheck(target, originate=originator, step_timeout_s=args.step_timeout).run()
    except (LabStartError, CheckFailedError) as exc:
        return CheckResult(False, (), -1.0, -1.0, error=f"the lab PBX: {exc}")
    finally:
        if originator is not None:
            originator.close()
        lab.stop()
