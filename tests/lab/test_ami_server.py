"""The lab's AMI server over real TCP: login, event classes, several clients, bad logins."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator

import pytest
from labkit import AmiTestClient, LabThread


@pytest.fixture(scope="module")
def lab() -> Iterator[LabThread]:
    with LabThread(speed=60.0) as running:
        yield running


@pytest.mark.timeout(30)
def test_banner_login_and_live_events(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as c:
        r = c.login(lab.user, lab.secret)
        assert c.banner is not None and c.banner.text == "Asterisk Call Manager/11.0.0"
        assert r.get("Response") == "Success" and r.get("Message") == "Authentication accepted"
        booted = c.wait_for(lambda m: m.name == "FullyBooted")
        assert booted.get("Status") == "Fully Booted"
        c.wait_for(lambda m: m.name == "SuccessfulAuth" and m.get("AccountID") == lab.user)
        join = c.wait_for(lambda m: m.name == "QueueCallerJoin", 20)
        assert join.get("Privilege") == "agent,all"


@pytest.mark.timeout(30)
def test_md5_challenge_login(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as c:
        c.send(("Action", "Challenge"), ("ActionID", "ch"), ("AuthType", "MD5"))
        challenge = c.response("ch").get("Challenge") or ""
        assert challenge.isdigit()
        key = hashlib.md5((challenge + lab.secret).encode()).hexdigest()
        c.send(
            ("Action", "Login"),
            ("ActionID", "md5"),
            ("AuthType", "MD5"),
            ("Username", lab.user),
            ("Key", key),
            ("Events", "off"),
        )
        assert c.response("md5").get("Message") == "Authentication accepted"
        c.send(("Action", "Ping"), ("ActionID", "p"))
        assert c.response("p").get("Ping") == "Pong"


@pytest.mark.timeout(30)
def test_bad_login_is_answered_after_a_second_then_closed(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as c:
        c.send(("Action", "Ping"), ("ActionID", "early"))
        assert c.response("early").get("Message") == "Permission denied"
        sent = time.monotonic()
        c.send(
            ("Action", "Login"), ("ActionID", "bad-1"), ("Username", lab.user), ("Secret", "WRONG")
        )
        c.send(
            ("Action", "Login"), ("ActionID", "L1"), ("Username", lab.user), ("Secret", lab.secret)
        )
        r = c.response("bad-1")
        assert time.monotonic() - sent >= 0.9  # Asterisk's fixed delay (a lower bound only)
        assert (r.get("Response"), r.get("Message")) == ("Error", "Authentication failed")
        c.wait_closed()
        assert not any(m.action_id == "L1" for m in c.items)  # nothing read after the failure


@pytest.mark.timeout(30)
def test_unauthenticated_idle_session_is_closed() -> None:
    with LabThread(speed=1.0) as lab:
        lab.call(lambda: setattr(lab.runtime.server, "auth_timeout_s", 0.3))  # type: ignore[union-attr]
        with AmiTestClient(lab.port) as idle, AmiTestClient(lab.port) as busy:
            busy.login(lab.user, lab.secret, events="off")
            idle.wait_closed(10)
            assert idle.items == []  # silently, as Asterisk does
            busy.send(("Action", "Ping"), ("ActionID", "still-here"))
            assert busy.response("still-here").get("Ping") == "Pong"


@pytest.mark.timeout(30)
def test_event_classes_filter_what_a_session_receives(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as off, AmiTestClient(lab.port) as agent_only:
        off.login(lab.user, lab.secret, events="off")
        agent_only.login(lab.user, lab.secret, events="agent")
        for _ in range(30):
            m = agent_only.wait_for(lambda m: m.is_event, 20)
            classes = set((m.get("Privilege") or "").split(","))
            assert "agent" in classes, m.headers
        off.send(("Action", "Ping"), ("ActionID", "p1"))
        off.response("p1")
        assert not [m for m in off.items if m.is_event]
        off.send(("Action", "Events"), ("ActionID", "ev"), ("EventMask", "call"))
        assert off.response("ev").get("Events") == "On"
        m = off.wait_for(lambda m: m.is_event, 20)
        assert "call" in (m.get("Privilege") or "")
        off.send(("Action", "Events"), ("ActionID", "ev2"), ("EventMask", "off"))
        assert off.response("ev2").get("Events") == "Off"


@pytest.mark.timeout(40)
def test_several_clients_get_the_same_stream(lab: LabThread) -> None:
    clients = [AmiTestClient(lab.port) for _ in range(3)]
    try:
        for c in clients:
            c.login(lab.user, lab.secret, events="call,agent")
        # Everything broadcast after the last login reaches all three in the same order.
        last = clients[-1]
        stream = [last.wait_for(lambda m: m.is_event, 20) for _ in range(40)]
        marker = stream[0].headers
        for c in clients[:2]:
            c.wait_for(lambda m, h=marker: m.headers == h, 20)
            got = [c.wait_for(lambda m: m.is_event, 20) for _ in range(39)]
            assert [m.headers for m in got] == [m.headers for m in stream[1:]]
    finally:
        for c in clients:
            c.close()


@pytest.mark.timeout(30)
def test_action_response_comes_before_its_events_and_logoff_closes(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as c:
        c.login(lab.user, lab.secret, events="agent")
        c.items.clear()
        c.send(
            ("Action", "QueuePause"),
            ("ActionID", "qp"),
            ("Interface", "PJSIP/1003"),
            ("Paused", "true"),
            ("Reason", "training"),
        )
        r = c.response("qp")
        assert r.get("Message") == "Interface paused successfully"
        pause = c.wait_for(
            lambda m: m.name == "QueueMemberPause" and m.get("Interface") == "PJSIP/1003"
        )
        assert (pause.get("Paused"), pause.get("PausedReason")) == ("1", "training")
        c.send(
            ("Action", "QueuePause"),
            ("ActionID", "qu"),
            ("Interface", "PJSIP/1003"),
            ("Paused", "false"),
        )
        assert c.response("qu").get("Message") == "Interface unpaused successfully"
        c.send(("Action", "Logoff"), ("ActionID", "lo"))
        bye = c.response("lo")
        assert (bye.get("Response"), bye.get("Message")) == ("Goodbye", "Thanks for all the fish.")
        c.wait_closed()


@pytest.mark.timeout(30)
def test_shutdown_event_on_stop() -> None:
    lab = LabThread(speed=1.0).__enter__()
    try:
        with AmiTestClient(lab.port) as c:
            c.login(lab.user, lab.secret, events="system")
            lab.stop()
            shutdown = c.wait_for(lambda m: m.name == "Shutdown")
            assert shutdown.headers == (
                ("Event", "Shutdown"),
                ("Privilege", "system,all"),
                ("Shutdown", "Cleanly"),
                ("Restart", "False"),
            )
            c.wait_closed()
    finally:
        lab.stop()


@pytest.mark.timeout(30)
def test_redirect_errors(lab: LabThread) -> None:
    with AmiTestClient(lab.port) as c:
        c.login(lab.user, lab.secret, events="off")
        c.send(("Action", "Redirect"), ("ActionID", "r1"), ("Channel", "PJSIP/1001-deadbeef"),
               ("Context", "customers"), ("Exten", "601"), ("Priority", "1"))  # fmt: skip
        assert c.response("r1").get("Message") == "Channel does not exist: PJSIP/1001-deadbeef"
        c.send(("Action", "Redirect"), ("ActionID", "r2"), ("Channel", "x"))
        assert c.response("r2").get("Message") == "Context not specified"
        c.send(("Action", "Redirect"), ("ActionID", "r3"), ("Channel", "x"), ("Context", "c"),
               ("Exten", "601"), ("Priority", "one"))  # fmt: skip
        assert c.response("r3").get("Message") == "Invalid priority"
