"""The console's phone and monitoring session against a ChanSpy-like peer (child processes)."""

from __future__ import annotations

import socket

import pytest

from tests.sip.conftest import (
    Peer,
    finish_scenario,
    run_scenario,
    scenario_guard,
    start_scenario,
    wait_for_line,
)

pytestmark = pytest.mark.sip


@pytest.mark.timeout(60)
def test_modes_switch_by_dtmf_and_listen_sends_nothing(spy_peer: Peer) -> None:
    result = run_scenario("monitor_modes", str(spy_peer.port))
    spy_peer.command("report")
    report = spy_peer.read_until("levels")

    assert result["started"]
    # The feature code for listen was dialled, then 5, 6, 4 on the same call.
    assert report["digits"] == ["5", "6", "4"]
    # The microphone is linked in the conference bridge only in whisper and barge.
    assert result["linked"] == {
        "0:listen": False,
        "1:whisper": True,
        "2:barge": True,
        "3:listen": False,
    }
    # What the "PBX" received from the supervisor's loud (-3 dBFS) tone, per mode.
    assert report["levels"]["listen"] <= -45.0
    assert report["levels"]["whisper"] >= -20.0
    assert report["levels"]["barge"] >= -20.0
    # The supervisor hears the monitored call (caller 600 Hz + agent 1100 Hz).
    assert result["heard"]["600.0"] >= -20.0
    assert result["heard"]["1100.0"] >= -20.0
    assert result["heard"]["2500.0"] <= -45.0
    assert result["levels_meter"] > -30.0
    assert result["states"] == ["connecting", "listen", "whisper", "barge", "listen", "ended"]
    assert result["audit"] == [
        "started:listen:1001:linked-1",
        "mode:listen->whisper",
        "mode:whisper->barge",
        "mode:barge->listen",
        "ended:stopped by supervisor",
    ]
    assert 1.0 <= result["mos"] <= 4.5
    assert result["live"] == 0


@pytest.mark.timeout(60)
def test_push_to_talk_and_one_session_at_a_time(spy_peer: Peer) -> None:
    result = run_scenario("push_to_talk", str(spy_peer.port))
    assert result["steps"] == {
        "released": False,
        "held": True,
        "released_again": False,
        "second_refused": True,
        "listen_while_held": False,
    }
    assert result["live"] == 0


@pytest.mark.timeout(60)
def test_originate_failures_and_shutdown_mid_session_close_the_audit(spy_peer: Peer) -> None:
    result = run_scenario("lifecycle_edges", str(spy_peer.port))
    assert result["requests"] == [
        ["PJSIP/1900", "ChanSpy", "PJSIP/1001-,qEwd"],
        ["PJSIP/1900", "ChanSpy", "PJSIP/1002-,qEBd"],
    ]
    assert result["audit"] == [
        "ended:the PBX refused the Originate: Originate failed",
        "ended:no spy call within 1 s",
        "started:listen:1003:",
        "ended:the SIP phone was shut down",
    ]
    assert result["state"] == "ended"
    assert result["live"] == 0


@pytest.mark.timeout(60)
def test_dialled_feature_code_names_the_agent(spy_peer: Peer) -> None:
    proc = start_scenario("remote_hangup", str(spy_peer.port))
    with scenario_guard(proc):
        # (earlier tests' calls are in the shared peer's output too: find this one's)
        uri = ""
        while "*2211001@" not in uri:
            uri = spy_peer.read_until("uri")["uri"]
        wait_for_line(proc, "ACTIVE")
        spy_peer.command("hangup")  # ChanSpy's E: the agent's call ended
    result = finish_scenario(proc)
    assert result["started"] and result["ended"]
    assert result["audit"][0].startswith("started:listen:1001")
    assert result["audit"][-1].startswith("ended:the PBX ended the spy call")
    assert result["live"] == 0


@pytest.mark.timeout(60)
def test_pbx_vanishing_mid_session_ends_it_cleanly(own_spy_peer: Peer) -> None:
    proc = start_scenario("peer_vanishes", str(own_spy_peer.port))
    with scenario_guard(proc):
        wait_for_line(proc, "ACTIVE")
        own_spy_peer.proc.kill()  # no BYE, no RTP: the PBX is simply gone
        own_spy_peer.proc.wait()
    result = finish_scenario(proc)
    assert result["started"] and result["ended"]
    assert result["state"] == "ended"
    assert result["audit"][0].startswith("started:whisper")
    assert result["audit"][-1].startswith("ended:no audio from the PBX")
    assert result["live"] == 0


@pytest.mark.timeout(60)
def test_registrar_down_is_reported_as_unreachable() -> None:
    # A UDP port nobody listens on: ICMP port-unreachable (or no answer at all).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_scenario("register", f"127.0.0.1:{port}", "1900", "secret", timeout=50)
    assert result["state"] == "failed"
    assert result["failure"] == "unreachable"
    assert f"127.0.0.1:{port}" in result["message"]
    assert result["live"] == 0
