"""AMI codec against the real Asterisk 22 captures: chunking, counts, bad input, limits."""

from __future__ import annotations

import ast
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from cti.ami.codec import (
    MSG_LINE_TOO_LONG,
    MSG_MISSING_ACTION,
    MSG_TOO_MANY_HEADERS,
    AmiCodec,
    ProtocolError,
    ProtocolErrorKind,
    UnsafeHeaderError,
)
from cti.ami.message import Banner, Message

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "asterisk-22"
SCENARIO = FIXTURES / "ami-scenario.txt"

Item = Message | Banner | ProtocolError


def feed(codec: AmiCodec, data: bytes, sizes: list[int] | None = None) -> list[Item]:
    out: list[Item] = []
    pos = 0
    sizes = sizes or [len(data) or 1]
    i = 0
    while pos < len(data):
        step = sizes[i % len(sizes)]
        i += 1
        codec.receive_data(data[pos : pos + step])
        pos += step
        while (item := codec.next_message()) is not None:
            out.append(item)
    return out


def parse(data: bytes, role: str = "client", sizes: list[int] | None = None) -> list[Item]:
    return feed(AmiCodec(role), data, sizes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def scenario() -> bytes:
    return SCENARIO.read_bytes()


@pytest.fixture(scope="module")
def whole(scenario: bytes) -> list[Item]:
    return parse(scenario)


def test_whole_capture_parses_cleanly(whole: list[Item]) -> None:
    assert whole[0] == Banner("Asterisk Call Manager/11.0.0", "11.0.0")
    assert not [i for i in whole if isinstance(i, ProtocolError)]
    assert all(isinstance(i, Message) for i in whole[1:])


def test_byte_at_a_time_equals_whole_chunk(scenario: bytes, whole: list[Item]) -> None:
    codec = AmiCodec("client")
    byte_wise = feed(codec, scenario, [1])
    assert byte_wise == whole
    assert codec.frames == len(whole) - 1
    assert codec.buffered_bytes == 0


def test_drain_gives_the_same_items(scenario: bytes, whole: list[Item]) -> None:
    codec = AmiCodec("client")
    drained: list[Item] = []
    for start in range(0, len(scenario), 50_000):
        codec.receive_data(scenario[start : start + 50_000])
        drained.extend(codec.drain())
    assert drained == whole
    assert codec.drain() == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_chunking_equals_whole_chunk(scenario: bytes, whole: list[Item], seed: int) -> None:
    rng = random.Random(seed)
    sizes = [rng.choice([1, 2, 3, 5, 7, 64, 333, 4096, 65536]) for _ in range(500)]
    assert parse(scenario, sizes=sizes) == whole


def test_lf_only_line_ends_give_the_same_messages(scenario: bytes, whole: list[Item]) -> None:
    lf = scenario.replace(b"\r\n", b"\n")
    assert parse(lf) == whole
    assert parse(lf, sizes=[1, 2, 3, 5, 8, 13]) == whole


def test_event_counts_match_an_independent_count(scenario: bytes, whole: list[Item]) -> None:
    # Independent count: every line of the raw capture that starts with "Event: ".
    expected = Counter(
        m.group(1).decode() for m in re.finditer(rb"^Event: ([^\r\n]*)\r$", scenario, re.M)
    )
    got = Counter(i.name for i in whole if isinstance(i, Message) and i.is_event)
    assert got == expected
    assert sum(got.values()) == 1313
    responses = Counter(i.name for i in whole if isinstance(i, Message) and i.is_response)
    # 51 "Response:" lines, one of which belongs to the OriginateResponse event.
    assert sum(responses.values()) == len(re.findall(rb"^Response: ", scenario, re.M)) - 1


def test_headers_keep_order_and_repeats() -> None:
    data = b"Event: X\r\nA: 1\r\nChanVariable: a=1\r\nChanVariable: b=2\r\nB:  two\r\n\r\n"
    (m,) = parse(b"Asterisk Call Manager/11.0.0\r\n" + data)[1:]
    assert isinstance(m, Message)
    assert m.headers == (
        ("Event", "X"),
        ("A", "1"),
        ("ChanVariable", "a=1"),
        ("ChanVariable", "b=2"),
        ("B", " two"),  # Asterisk writes one space; the rest belongs to the value
    )
    assert m.get("chanvariable") == "a=1"
    assert m.get_all("ChanVariable") == ("a=1", "b=2")
    assert m.as_dict()["ChanVariable"] == "a=1\nb=2"


def test_legacy_response_follows_body() -> None:
    data = (
        b"Asterisk Call Manager/1.1\r\n"
        b"Response: Follows\r\nPrivilege: Command\r\nActionID: c1\r\n"
        b"Channel  Location  State\n\nSIP/1001-01  s@default:1  Up\n"
        b"1 active channel--END COMMAND--\r\n\r\n"
        b"Response: Success\r\nActionID: p1\r\nPing: Pong\r\n\r\n"
    )
    items = parse(data)
    whole = items
    assert parse(data, sizes=[1]) == whole
    banner, follows, ping = items
    assert isinstance(banner, Banner) and banner.protocol_version == "1.1"
    assert isinstance(follows, Message) and isinstance(ping, Message)
    assert follows.is_response and follows.name == "Follows"
    assert follows.action_id == "c1"
    assert follows.output == (
        "Channel  Location  State",
        "",
        "SIP/1001-01  s@default:1  Up",
        "1 active channel",
    )
    assert ping.action_id == "p1"


def test_modern_command_output_headers() -> None:
    data = (
        b"Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: command-5\r\n"
        b"Message: Command output follows\r\nOutput: line one\r\nOutput: line two\r\n\r\n"
    )
    m = parse(data)[1]
    assert isinstance(m, Message)
    assert m.output == ("line one", "line two")


def test_originate_response_is_an_event_with_a_response_header(whole: list[Item]) -> None:
    (orig,) = [i for i in whole if isinstance(i, Message) and i.name == "OriginateResponse"]
    assert orig.is_event and not orig.is_response
    assert orig.get("Response") == "Success"
    assert orig.action_id == "originate-30"


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capture", "events", "responses"),
    [
        ("ami-bad-wrong-password.txt", [], ["Error"]),
        ("ami-bad-authtimeout.txt", [], []),
        ("ami-bad-restart.txt", ["FullyBooted", "Reload", "Shutdown"], ["Success"]),
        ("ami-bad-stop.txt", ["FullyBooted", "Shutdown"], ["Success"]),
        (
            "ami-bad-after-restart.txt",
            [
                "FullyBooted",
                "SuccessfulAuth",
                "QueueParams",
                "QueueParams",
                "QueueStatusComplete",
            ],
            ["Success", "Success", "Goodbye"],
        ),
    ],
)
def test_bad_captures_client_side(capture: str, events: list[str], responses: list[str]) -> None:
    data = (FIXTURES / capture).read_bytes()
    items = parse(data)
    assert parse(data, sizes=[1]) == items
    assert items[0] == Banner("Asterisk Call Manager/11.0.0", "11.0.0")
    msgs = [i for i in items[1:] if isinstance(i, Message)]
    assert len(msgs) == len(items) - 1  # no protocol errors in what Asterisk sent
    assert [m.name for m in msgs if m.is_event] == events
    assert [m.name for m in msgs if m.is_response] == responses


def test_malformed_capture_client_side() -> None:
    data = (FIXTURES / "ami-bad-malformed.txt").read_bytes()
    items = parse(data)
    assert parse(data, sizes=[1]) == items
    msgs = [i for i in items if isinstance(i, Message)]
    assert len(msgs) == len(items) - 1
    errors = [m for m in msgs if m.name == "Error"]
    texts = Counter(m.get("Message") for m in errors)
    assert texts[MSG_MISSING_ACTION] == 7  # 4 malformed requests + 3 stray blank lines
    assert texts[MSG_LINE_TOO_LONG] == 1
    assert texts[MSG_TOO_MANY_HEADERS] == 1


def _annotated_session(name: str) -> list[tuple[bytes, list[bytes]]]:
    """(bytes the client sent, [bytes Asterisk answered]) pairs of one annotated session."""
    text = (FIXTURES / "ami-bad-input-annotated.txt").read_text()
    pairs: list[tuple[bytes, list[bytes]]] = []
    pattern = re.compile(rf"\[{re.escape(name)}\] (>>>|<<<) .*?(b'.*'|b\".*\")$")
    for line in text.splitlines():
        m = pattern.search(line)
        if not m:
            continue
        data = ast.literal_eval(m.group(2))
        if m.group(1) == ">>>":
            pairs.append((data, []))
        elif pairs:
            pairs[-1][1].append(data)
    return pairs


def test_server_side_reports_what_asterisk_reported() -> None:
    """Replay what the test client sent to Asterisk through a server-role codec.

    For every request, each `Response:` Asterisk gave must correspond to one codec output:
    a ProtocolError with Asterisk's exact text and ActionID where Asterisk refused the frame
    itself, else the parsed action (with the ActionID Asterisk echoed).
    """
    codec = AmiCodec("server")
    parser = AmiCodec("client")
    parser.receive_data(b"Asterisk Call Manager/11.0.0\r\n")
    assert isinstance(parser.next_message(), Banner)
    pairs = _annotated_session("malformed")
    assert len(pairs) > 20
    protocol_texts = {MSG_MISSING_ACTION, MSG_LINE_TOO_LONG, MSG_TOO_MANY_HEADERS}
    for sent, answers in pairs:
        if not answers:
            continue  # no answer recorded (after logoff)
        got = feed(codec, sent)
        for answer in answers:
            parser.receive_data(answer)
        replies = []
        while (r := parser.next_message()) is not None:
            assert isinstance(r, Message)
            if r.is_response:
                replies.append(r)
        assert len(got) == len(replies), (sent[:60], got, replies)
        for item, reply in zip(got, replies, strict=True):
            if reply.get("Message") in protocol_texts:
                assert isinstance(item, ProtocolError), (sent[:60], item)
                assert item.message == reply.get("Message")
                assert item.action_id == reply.action_id
            else:
                assert isinstance(item, Message), (sent[:60], item)
                assert item.is_action
                assert item.action_id == reply.action_id
    # The session survived all of it, as Asterisk's did.
    assert codec.buffered_bytes == 0
    assert codec.errors == 9


def test_server_side_kinds() -> None:
    items = parse(
        b"  Action: Ping\r\nActionID: ws\r\n\r\n"
        b"Action: Ping\r\nActionID: " + b"X" * 1500 + b"\r\n\r\n"
        b"action: ping\nactionid: lower\n\n"
        b"\r\n",
        role="server",
    )
    kinds = [i.kind if isinstance(i, ProtocolError) else getattr(i, "name", None) for i in items]
    assert kinds == [
        ProtocolErrorKind.MISSING_ACTION,
        ProtocolErrorKind.LINE_TOO_LONG,
        "ping",
        ProtocolErrorKind.MISSING_ACTION,
    ]


# -- limits and encoding -----------------------------------------------------------------------


def test_over_long_line_is_reported_once_and_the_stream_goes_on() -> None:
    codec = AmiCodec("client", max_line_bytes=100, max_frame_bytes=10_000)
    data = (
        b"Asterisk Call Manager/11.0.0\r\n"
        b"Event: Big\r\nActionID: a1\r\nData: " + b"y" * 5000 + b"\r\n\r\n"
        b"Event: Small\r\n\r\n"
    )
    for sizes in ([len(data)], [1], [7, 13]):
        codec = AmiCodec("client", max_line_bytes=100, max_frame_bytes=10_000)
        items = feed(codec, data, sizes)
        assert len(items) == 3
        err = items[1]
        assert isinstance(err, ProtocolError)
        assert err.kind == ProtocolErrorKind.LINE_TOO_LONG
        assert err.action_id == "a1"
        assert isinstance(items[2], Message) and items[2].name == "Small"
        assert codec.buffered_bytes == 0


def test_endless_frame_is_bounded_and_skipped() -> None:
    codec = AmiCodec("client", max_line_bytes=1000, max_frame_bytes=5000)
    codec.receive_data(b"Asterisk Call Manager/11.0.0\r\n")
    assert isinstance(codec.next_message(), Banner)
    errors = 0
    for _ in range(2000):  # 2000 header lines, never a blank line: ~60 KB
        codec.receive_data(b"Header: " + b"v" * 20 + b"\r\n")
        while (item := codec.next_message()) is not None:
            assert isinstance(item, ProtocolError)
            assert item.kind == ProtocolErrorKind.FRAME_TOO_LONG
            errors += 1
        assert codec.buffered_bytes <= 5000 + 1000
    assert errors == 1
    codec.receive_data(b"\r\nEvent: After\r\n\r\n")
    item = codec.next_message()
    assert isinstance(item, Message) and item.name == "After"


def test_endless_line_keeps_memory_bounded() -> None:
    codec = AmiCodec("client", max_line_bytes=1000, max_frame_bytes=5000)
    codec.receive_data(b"Asterisk Call Manager/11.0.0\r\nEvent: X\r\nData: ")
    assert isinstance(codec.next_message(), Banner)
    for _ in range(1000):
        codec.receive_data(b"z" * 1000)
        codec.next_message()
        assert codec.buffered_bytes <= 5000 + 1000
    codec.receive_data(b"\r\n\r\nEvent: Next\r\n\r\n")
    items = []
    while (item := codec.next_message()) is not None:
        items.append(item)
    assert isinstance(items[0], ProtocolError)
    assert isinstance(items[-1], Message) and items[-1].name == "Next"


def test_invalid_utf8_is_replaced_and_counted() -> None:
    data = b"Asterisk Call Manager/11.0.0\r\nEvent: X\r\nCallerIDName: \xe5\xbc\xa0\xff\xfe\r\n\r\n"
    for sizes in ([len(data)], [1]):
        codec = AmiCodec("client")
        items = feed(codec, data, sizes)
        m = items[1]
        assert isinstance(m, Message)
        assert m.get("CallerIDName") == "张\ufffd\ufffd"
        assert codec.replacement_chars == 2


def test_chinese_text_round_trips() -> None:
    codec = AmiCodec("server")
    wire = codec.send([("Action", "QueuePause"), ("Reason", "午餐")])
    client = AmiCodec("client")
    client.receive_data(b"Asterisk Call Manager/11.0.0\r\n" + wire.replace(b"Action", b"Event"))
    client.next_message()
    m = client.next_message()
    assert isinstance(m, Message)
    assert m.get("Reason") == "午餐"
    assert client.replacement_chars == 0


def test_bad_banner_is_reported() -> None:
    items = parse(b"SSH-2.0-OpenSSH_9.2\r\n")
    assert len(items) == 1
    assert isinstance(items[0], ProtocolError)
    assert items[0].kind == ProtocolErrorKind.BAD_BANNER


def test_send_refuses_header_injection() -> None:
    codec = AmiCodec("client")
    with pytest.raises(UnsafeHeaderError):
        codec.send([("Action", "QueuePause"), ("Reason", "lunch\r\nAction: Originate")])
    with pytest.raises(UnsafeHeaderError):
        codec.send({"Bad:Name": "x"})
    assert codec.send({"Action": "Ping", "ActionID": "1"}) == b"Action: Ping\r\nActionID: 1\r\n\r\n"


def test_message_is_immutable_and_comparable() -> None:
    a = Message([("Event", "X"), ("A", "1")])
    b = Message.from_wire("Event: X\r\nA: 1")
    assert a == b and hash(a) == hash(b)
    assert b.is_event and b.name == "X" and b.event_name == "X"
    with pytest.raises(AttributeError):
        b.foo = 1  # mypy allows it (Message defines __setattr__); the class refuses it
    assert Message({"Action": "Ping"}).is_action
