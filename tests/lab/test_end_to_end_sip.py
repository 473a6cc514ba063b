"""The whole lab process with its SIP side: an AMI Originate into ChanSpy rings the
registered supervisor phone (a pjsua2 party in its own process, from tests/lab_sip), and the
spy attaches to a *simulated* agent's call: OriginateResponse, ChanSpyStart with that
agent's channel, Hangup → ChanSpyStop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from labkit import AmiTestClient

from cti.lab.process import LabProcess

PARTY = Path(__file__).resolve().parents[1] / "lab_sip" / "sip_party.py"


class Party:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(PARTY)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        while not (line := self.proc.stdout.readline()).startswith("READY"):  # pjlib's banner
            assert line, "the SIP party did not start"

    def cmd(self, **command: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        while line := self.proc.stdout.readline():
            if line.startswith("REPLY "):
                reply: dict[str, Any] = json.loads(line[6:])
                return reply
        raise AssertionError("the SIP party ended")

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write('{"op": "quit"}\n')
            self.proc.stdin.close()
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(5)
        self.proc.stdout.close()


@pytest.mark.sip
@pytest.mark.timeout(90)
def test_ami_originate_spies_on_a_simulated_agent() -> None:
    if not PARTY.is_file():
        pytest.fail(f"the SIP test party is missing: {PARTY}")
    with LabProcess() as lab:
        info = lab.start(speed=1.0)
        assert info.raw["sip_enabled"], "the lab's SIP side did not start"
        party = Party()
        try:
            reg = party.cmd(
                op="account",
                name="sup",
                user=info.supervisor_user,
                password=info.supervisor_password,
                registrar=f"127.0.0.1:{info.sip_port}",
                auto_answer=True,
            )
            assert reg["ok"], reg
            with AmiTestClient(info.ami_port) as c:
                c.login(info.ami_user, info.ami_secret, events="call")
                c.send(("Action", "CoreShowChannels"), ("ActionID", "cs"))
                talking = [
                    m
                    for m in c.collect_list("cs", "CoreShowChannelsComplete")
                    if m.get("Context") == "agents" and m.get("ChannelStateDesc") == "Up"
                ]
                assert talking, "the warmed-up floor has agents on calls"
                # The newest call: ChanSpy waits for the agent's next call if this one ends
                # first, which at speed 1 can take longer than the test waits.
                agent = min(talking, key=lambda m: m.get("Duration") or "")
                ext = agent.get("CallerIDNum")
                c.send(
                    ("Action", "Originate"),
                    ("ActionID", "spy-1"),
                    ("Channel", "PJSIP/1900"),
                    ("Application", "ChanSpy"),
                    ("Data", f"PJSIP/{ext},qw"),
                    ("CallerID", '"Console Spy" <1900>'),
                    ("Async", "true"),
                )
                assert c.response("spy-1").get("Message") == "Originate successfully queued"
                answered = c.wait_for(lambda m: m.name == "OriginateResponse", 20)
                assert (answered.action_id, answered.get("Response"), answered.get("Reason")) == (
                    "spy-1",
                    "Success",
                    "4",
                )
                spy_channel = answered.get("Channel") or ""
                assert spy_channel.startswith("PJSIP/1900-")
                start = c.wait_for(lambda m: m.name == "ChanSpyStart", 20)
                assert start.get("SpyerChannel") == spy_channel
                # The call may have moved on since the listing; the spyee is that agent's leg.
                assert (start.get("SpyeeChannel") or "").startswith(f"PJSIP/{ext}-")
                c.send(("Action", "Hangup"), ("ActionID", "hu"), ("Channel", spy_channel))
                assert c.response("hu").get("Message") == "Channel Hungup"
                c.wait_for(lambda m: m.name == "ChanSpyStop", 20)
        finally:
            party.close()
