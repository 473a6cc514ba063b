"""ActionID correlation, lists and async Originate, replayed from the real annotated session."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from cti.ami import actions as act
from cti.ami.backoff import Backoff
from cti.ami.correlation import ActionTracker, Outcome
from cti.ami.events import to_event
from cti.ami.message import Message

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "asterisk-22"


def _blocks(path: Path) -> list[tuple[str, Message]]:
    """(">>>" sent | "<<<" received, frame) in order, from an annotated transcript."""
    out: list[tuple[str, Message]] = []
    direction: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if direction and lines:
            out.append((direction, Message.from_wire("\r\n".join(lines))))

    for line in path.read_text().splitlines():
        if line.startswith((">>>", "<<<", "###")):
            flush()
            lines = []
            direction = None if "BANNER" in line or line.startswith("###") else line[:3]
        elif not line:
            flush()
            lines = []
        elif direction:
            lines.append(line)
    flush()
    return out


def _typed(sent: Message) -> act.Action[Any]:
    name = sent.name or ""
    params = tuple((k, v) for k, v in sent.headers if k not in ("Action", "ActionID"))
    if name == "QueueStatus":
        return act.QueueStatus(queue=sent.get("Queue"))
    if name == "QueueSummary":
        return act.QueueSummary(queue=sent.get("Queue"))
    if name == "CoreShowChannels":
        return act.CoreShowChannels()
    if name == "CoreSettings":
        return act.CoreSettings()
    if name == "Ping":
        return act.Ping()
    if name == "Originate":
        return act.Originate(
            channel=sent.get("Channel") or "",
            application=sent.get("Application"),
            data=sent.get("Data"),
            caller_id=sent.get("CallerID"),
            timeout_ms=int(sent.get("Timeout") or 0),
            async_=True,
            variables=tuple(
                (k, v) for k, _, v in (x.partition("=") for x in sent.get_all("Variable"))
            ),
        )
    if name == "QueueRemove":
        return act.QueueRemove(queue=sent.get("Queue") or "", interface=sent.get("Interface") or "")
    if name == "QueuePause":
        return act.QueuePause(
            queue=sent.get("Queue"),
            interface=sent.get("Interface") or "",
            paused=sent.get("Paused") == "true",
            reason=sent.get("Reason"),
        )
    if name == "Hangup":
        return act.Hangup(channel=sent.get("Channel") or "", cause=int(sent.get("Cause") or 16))
    return act.GenericAction(action=name, params=params)


@pytest.fixture(scope="module")
def replay() -> tuple[dict[str, Outcome], list[Any], dict[str, act.Action[Any]]]:
    tracker = ActionTracker()
    outcomes: dict[str, Outcome] = {}
    forwarded: list[Any] = []
    sent_actions: dict[str, act.Action[Any]] = {}
    for direction, m in _blocks(FIXTURES / "ami-scenario-annotated.txt"):
        if direction == ">>>":
            action = _typed(m)
            aid = m.action_id or ""
            _, headers = tracker.start(action, aid)
            # Our typed actions write exactly what the capture's client wrote.
            assert headers == list(m.headers), m.name
            sent_actions[aid] = action
            continue
        event = to_event(m) if m.is_event else None
        consumed, outcome = tracker.handle(m, event)
        if outcome is not None:
            outcomes[outcome.action_id] = outcome
        if event is not None and not consumed:
            forwarded.append(event)
        assert consumed or event is not None, m  # every response belongs to an action
    assert len(tracker) == 0
    return outcomes, forwarded, sent_actions


def test_every_action_of_the_session_completes(
    replay: tuple[dict[str, Outcome], list[Any], dict[str, act.Action[Any]]],
) -> None:
    outcomes, _, sent = replay
    assert set(outcomes) == set(sent)
    failed = {aid: type(o.error) for aid, o in outcomes.items() if o.error is not None}
    assert failed == {
        "queueremove-45": act.NotAMemberError,
        "queuepause-46": act.InterfaceNotFoundError,
    }
    err = outcomes["queueremove-45"].error
    assert err is not None and "Not there" in str(err) and "PJSIP/1003" in str(err)


def test_list_results_hold_every_item(
    replay: tuple[dict[str, Outcome], list[Any], dict[str, act.Action[Any]]],
) -> None:
    outcomes, _, _ = replay
    lists = 0
    for o in outcomes.values():
        if isinstance(o.result, act.ListResult):
            lists += 1
            assert o.result.complete is not None
            assert len(o.result.items) == o.result.complete.list_items
    assert lists >= 20
    qs = outcomes["queuestatus-39"].result
    assert isinstance(qs, act.QueueStatusResult)
    assert [p.queue for p in qs.params] == ["support", "complaints"]
    assert len(qs.members) == len(qs.items) - len(qs.params) - len(qs.entries)
    csc = outcomes["coreshowchannels-18"].result
    assert isinstance(csc, act.CoreShowChannelsResult) and len(csc.channels) == 4
    core = outcomes["coresettings-3"].result
    assert isinstance(core, act.CoreSettingsResult) and core.asterisk_version == "22.10.1"
    ping = outcomes["ping-2"].result
    assert isinstance(ping, act.PingResult) and ping.timestamp == pytest.approx(1795337199.369876)
    cmd = outcomes["command-5"].result
    assert cmd is not None and isinstance(cmd, act.ActionResult)
    assert cmd.response.output[0].startswith("Asterisk 22.10.1")


def test_async_originate_completes_on_originate_response(
    replay: tuple[dict[str, Outcome], list[Any], dict[str, act.Action[Any]]],
) -> None:
    outcomes, forwarded, _ = replay
    result = outcomes["originate-30"].result
    assert isinstance(result, act.OriginateResult)
    assert (result.channel, result.reason_code) == ("PJSIP/1900-0000000b", 4)
    # The OriginateResponse is also a real event for the stream; list items are not.
    with_id = [e.name for e in forwarded if e.action_id is not None]
    assert with_id == ["OriginateResponse"]


def _resp(aid: str, *extra: tuple[str, str], kind: str = "Success") -> Message:
    return Message([("Response", kind), ("ActionID", aid), *extra])


def test_async_originate_failure_is_typed() -> None:
    tracker = ActionTracker("t")
    aid, _ = tracker.start(act.Originate.chanspy("PJSIP/1900", "PJSIP/1001-"))
    assert tracker.handle(_resp(aid), None) == (True, None)
    failure = Message(
        [
            ("Event", "OriginateResponse"),
            ("ActionID", aid),
            ("Response", "Failure"),
            ("Reason", "5"),
        ]
    )
    consumed, outcome = tracker.handle(failure, to_event(failure))
    assert not consumed and outcome is not None
    assert isinstance(outcome.error, act.OriginateFailedError)
    assert outcome.error.reason_code == 5 and "busy" in str(outcome.error)


def test_originate_response_overtaking_its_response() -> None:
    tracker = ActionTracker("t")
    aid, _ = tracker.start(act.Originate(channel="PJSIP/1900", application="Wait", data="1"))
    early = Message([("Event", "OriginateResponse"), ("ActionID", aid), ("Response", "Success")])
    assert tracker.handle(early, to_event(early)) == (False, None)
    consumed, outcome = tracker.handle(_resp(aid), None)
    assert consumed and outcome is not None and isinstance(outcome.result, act.OriginateResult)


def test_list_started_by_an_ordinary_action() -> None:
    # Hangup with a regex channel answers with a list (ami-bad-malformed.txt, hu-regex).
    tracker = ActionTracker("t")
    aid, _ = tracker.start(act.Hangup(channel="/^PJSIP/9.*$/"))
    assert tracker.handle(_resp(aid, ("EventList", "start")), None) == (True, None)
    done = Message(
        [
            ("Event", "ChannelsHungupListComplete"),
            ("ActionID", aid),
            ("EventList", "Complete"),
            ("ListItems", "0"),
        ]
    )
    consumed, outcome = tracker.handle(done, to_event(done))
    assert consumed and outcome is not None and outcome.result is not None


def test_cancel_fail_all_and_strays() -> None:
    tracker = ActionTracker("t")
    a1, _ = tracker.start(act.Ping())
    a2, _ = tracker.start(act.Ping())
    assert a1 != a2
    cancelled = tracker.cancel(a1, act.ActionTimeoutError("late"))
    assert cancelled is not None and isinstance(cancelled.error, act.ActionTimeoutError)
    assert tracker.handle(_resp(a1), None) == (False, None)  # too late: not ours any more
    lost = tracker.fail_all(lambda a: act.ConnectionLostError(a.action_name()))
    assert [o.action_id for o in lost] == [a2] and len(tracker) == 0
    stray = Message([("Response", "Error"), ("Message", "Missing action in request")])
    assert tracker.handle(stray, None) == (False, None)


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("Authentication failed", act.AuthenticationFailedError),
        ("Permission denied", act.PermissionDeniedError),
        ("No such channel", act.NoSuchChannelError),
        ("Unable to add interface to queue: No such queue", act.NoSuchQueueError),
        ("Unable to add interface: Already there", act.AlreadyMemberError),
        ("Invalid/unknown command: NoSuchAction. Use Action: ListCommands", act.UnknownActionError),
        ("Originate failed", act.OriginateFailedError),
        ("Channel not specified", act.ActionError),
    ],
)
def test_error_classes(text: str, cls: type[act.ActionError]) -> None:
    err = act.error_for("X", "id-1", Message([("Response", "Error"), ("Message", text)]))
    assert type(err) is cls and err.reason == text


def test_actions_validate_their_values() -> None:
    with pytest.raises(act.InvalidActionError):
        act.QueuePause(interface="PJSIP/1001", paused=True, reason="lunch\r\nAction: Hangup")
    with pytest.raises(act.InvalidActionError):
        act.QueueAdd(queue="", interface="PJSIP/1001")
    with pytest.raises(act.InvalidActionError):
        act.Originate(channel="PJSIP/1900")  # neither application nor extension
    with pytest.raises(act.InvalidActionError):
        act.Login(username="console")
    assert "secret" not in repr(act.Login(username="u", secret="s3cr3t"))
    assert act.QueueAdd(
        queue="support", interface="PJSIP/1001", member_name="Agent 1001", penalty=2
    ).headers("q1") == [
        ("Action", "QueueAdd"),
        ("ActionID", "q1"),
        ("Queue", "support"),
        ("Interface", "PJSIP/1001"),
        ("MemberName", "Agent 1001"),
        ("Penalty", "2"),
    ]


def test_backoff_grows_with_jitter_and_resets() -> None:
    b = Backoff(initial_s=0.5, maximum_s=4.0, factor=2.0, jitter=0.5, rng=random.Random(7))
    delays = [b.next_delay() for _ in range(8)]
    bases = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    for d, base in zip(delays, bases, strict=True):
        assert base * 0.5 <= d <= base
    assert len(set(delays)) == len(delays)  # jittered
    b.reset()
    assert b.next_delay() <= 0.5
    with pytest.raises(ValueError):
        Backoff(initial_s=0)
