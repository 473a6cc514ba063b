"""How the AMI side uses the SIP side (a hand-written fake LabSipPbx here; the real one is
tested by the lab-SIP tests): ChanSpy originates, OriginateResponse, channels, hangups."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from labkit import AmiTestClient, LabThread

from cti.lab.pbx import LabPbx


@dataclass(frozen=True)
class FakeResult:
    success: bool
    reason: int
    channel: str
    uniqueid: str
    caller_id_num: str
    caller_id_name: str


class FakeSip:
    """Answers (or not) a ChanSpy originate a little later, emitting Asterisk-like events."""

    def __init__(self, pbx: LabPbx, loop: asyncio.AbstractEventLoop, answer: bool) -> None:
        self.pbx = pbx
        self.loop = loop
        self.answer = answer
        self.calls: list[tuple[str, str, str]] = []
        self.hung_up: list[str] = []

    def _chan(self, state: str, desc: str) -> list[tuple[str, str]]:
        return [
            ("Channel", "PJSIP/1900-00000fff"),
            ("ChannelState", state),
            ("ChannelStateDesc", desc),
            ("CallerIDNum", "1900"),
            ("CallerIDName", "Console Spy"),
            ("ConnectedLineNum", "<unknown>"),
            ("ConnectedLineName", "<unknown>"),
            ("Language", "en"),
            ("AccountCode", ""),
            ("Context", "supervisor"),
            ("Exten", "s"),
            ("Priority", "1"),
            ("Uniqueid", "1795337249.4095"),
            ("Linkedid", "1795337249.4095"),
        ]

    def _emit(self, name: str, state: str, desc: str) -> None:
        self.pbx.emit_sip([("Event", name), ("Privilege", "call,all"), *self._chan(state, desc)])

    def originate_chanspy(
        self,
        spyer: str,
        spyee_ext: str,
        options: str,
        *,
        caller_id: str | None = None,
        on_result: Callable[[Any], None] | None = None,
    ) -> str:
        self.calls.append((spyer, spyee_ext, options))
        self.pbx.emit_sip(
            [("Event", "Newchannel"), ("Privilege", "call,all"), *self._chan("0", "Down")]
        )

        def finish() -> None:
            if self.answer:
                self.pbx.emit_sip(
                    [("Event", "Newstate"), ("Privilege", "call,all"), *self._chan("6", "Up")]
                )
            assert on_result is not None
            on_result(
                FakeResult(self.answer, 4 if self.answer else 3, "PJSIP/1900-00000fff",
                           "1795337249.4095", "1900", "Console Spy")
            )  # fmt: skip

        self.loop.call_later(0.2, finish)
        return "PJSIP/1900-00000fff"

    def hangup(self, channel: str) -> bool:
        self.hung_up.append(channel)
        self.pbx.emit_sip([("Event", "Hangup"), ("Privilege", "call,all"), *self._chan("6", "Up"),
                           ("Cause", "16"), ("Cause-txt", "Normal Clearing")])  # fmt: skip
        return True

    def registered_agents(self) -> set[str]:
        return set()

    def device_state(self, interface: str) -> int:
        return 5


def install(lab: LabThread, answer: bool) -> FakeSip:
    runtime = lab.runtime
    assert runtime is not None
    fake = FakeSip(runtime.pbx, lab.loop, answer)
    lab.call(lambda: setattr(runtime.pbx, "sip", fake))
    return fake


@pytest.mark.timeout(30)
def test_async_chanspy_originate_answered() -> None:
    with LabThread(speed=1.0) as lab:
        fake = install(lab, answer=True)
        with AmiTestClient(lab.port) as c:
            c.login(lab.user, lab.secret, events="call")
            c.send(
                ("Action", "Originate"),
                ("ActionID", "originate-30"),
                ("Channel", "PJSIP/1900"),
                ("Application", "ChanSpy"),
                ("Data", "PJSIP/1001,qw"),
                ("CallerID", '"Console Spy" <1900>'),
                ("Async", "true"),
            )
            assert c.response("originate-30").get("Message") == "Originate successfully queued"
            r = c.wait_for(lambda m: m.name == "OriginateResponse")
            assert r.headers == (
                ("Event", "OriginateResponse"),
                ("Privilege", "call,all"),
                ("ActionID", "originate-30"),
                ("Response", "Success"),
                ("Channel", "PJSIP/1900-00000fff"),
                ("Application", "ChanSpy"),
                ("Data", "PJSIP/1001,qw"),
                ("Reason", "4"),
                ("Uniqueid", "1795337249.4095"),
                ("CallerIDNum", "1900"),
                ("CallerIDName", "Console Spy"),
            )
            assert fake.calls == [("PJSIP/1900", "1001", "qw")]
            c.send(("Action", "CoreShowChannels"), ("ActionID", "cs"))
            items = c.collect_list("cs", "CoreShowChannelsComplete")
            spy = [m for m in items if m.get("Channel") == "PJSIP/1900-00000fff"]
            assert len(spy) == 1
            assert (spy[0].get("Application"), spy[0].get("ApplicationData")) == (
                "ChanSpy",
                "PJSIP/1001,qw",
            )
            assert spy[0].get("ChannelStateDesc") == "Up"
            c.send(("Action", "Hangup"), ("ActionID", "hu"), ("Channel", "PJSIP/1900-00000fff"))
            assert c.response("hu").get("Message") == "Channel Hungup"
            assert fake.hung_up == ["PJSIP/1900-00000fff"]
            c.send(("Action", "Status"), ("ActionID", "st"), ("Channel", "PJSIP/1900-00000fff"))
            assert c.response("st").get("Message") == "No such channel"


@pytest.mark.timeout(30)
def test_sync_originate_holds_the_session_until_the_outcome() -> None:
    with LabThread(speed=1.0) as lab:
        install(lab, answer=False)
        with AmiTestClient(lab.port) as c:
            c.login(lab.user, lab.secret, events="off")
            c.send(
                ("Action", "Originate"),
                ("ActionID", "sync"),
                ("Channel", "PJSIP/1900"),
                ("Application", "ChanSpy"),
                ("Data", "PJSIP/1001-,qEd"),
            )
            c.send(("Action", "Ping"), ("ActionID", "after"))
            first = c.wait_for(lambda m: m.is_response)
            assert (first.action_id, first.get("Message")) == ("sync", "Originate failed")
            assert c.response("after").get("Ping") == "Pong"
            # Without the SIP side nothing can be originated (answered like an unreachable
            # endpoint); async requests still get their OriginateResponse.
            lab.call(lambda: setattr(lab.runtime.pbx, "sip", None))  # type: ignore[union-attr]
            c.send(("Action", "Events"), ("ActionID", "ev"), ("EventMask", "call"))
            c.response("ev")
            c.send(
                ("Action", "Originate"),
                ("ActionID", "o-nosip"),
                ("Channel", "PJSIP/1900"),
                ("Application", "ChanSpy"),
                ("Data", "PJSIP/1001,q"),
                ("Async", "yes"),
            )
            assert c.response("o-nosip").get("Message") == "Originate successfully queued"
            failed = c.wait_for(lambda m: m.name == "OriginateResponse")
            assert (failed.action_id, failed.get("Response"), failed.get("Reason")) == (
                "o-nosip",
                "Failure",
                "0",
            )
