"""Alpha Sign Communications Protocol: frame and checksum vectors, decoder robustness."""

from __future__ import annotations

import pytest

from cti.serial import alpha
from cti.serial.alpha import (
    AlphaDecoder,
    AlphaEncodingError,
    AlphaFrameError,
    AlphaPacket,
    Color,
    Mode,
    Position,
    Segment,
    checksum,
    parse_write_text,
    write_text_packet,
)

# "HELLO", file A, fill position, hold mode, all signs, broadcast. Checksum by hand:
# STX 02 + 'A' 41 + 'A' 41 + ESC 1B + '0' 30 + 'b' 62 = 131H; "HELLO" = 48+45+4C+4C+4F = 174H;
# + ETX 03 → 2A8H → ASCII "02A8".
HELLO_FRAME = bytes.fromhex(
    "00 00 00 00 00 01 5A 30 30 02 41 41 1B 30 62 48 45 4C 4C 4F 03 30 32 41 38 04"
)


def decode_all(data: bytes, chunk: int = 1) -> list[AlphaPacket | AlphaFrameError]:
    dec = AlphaDecoder()
    out: list[AlphaPacket | AlphaFrameError] = []
    for i in range(0, len(data), chunk):
        dec.receive_data(data[i : i + chunk])
        while (item := dec.next_packet()) is not None:
            out.append(item)
    return out


def test_checksum_vectors() -> None:
    assert checksum(b"\x02AA\x1b0bHELLO\x03") == b"02A8"
    assert checksum(b"\x02\x03") == b"0005"
    # 16-bit wrap-around: 300 bytes of FFH sum to 12AD4H → "2AD4"
    assert checksum(b"\xff" * 300) == b"2AD4"


def test_write_text_packet_matches_hand_built_frame() -> None:
    assert write_text_packet("HELLO") == HELLO_FRAME


def test_frame_fields_position_mode_colour_address() -> None:
    frame = write_text_packet(
        "Queue VIP: 12 waiting",
        label="0",
        type_code="Z",
        address="1F",
        position=Position.TOP_LINE,
        mode=Mode.FLASH,
        color=Color.RED,
    )
    assert frame.startswith(b"\x00" * 5 + b"\x01Z1F\x02A0\x1b\x22c\x1c1Queue VIP")
    stx, etx = frame.index(b"\x02"), frame.index(b"\x03")
    assert frame[etx + 1 : etx + 5] == checksum(frame[stx : etx + 1])
    assert frame.endswith(b"\x04")


def test_published_frame_without_checksum_decodes() -> None:
    # The classic BASIC example: CHR$(1)+"Z00"+CHR$(2)+"AA"+CHR$(27)+" b"+"Message"+CHR$(4)
    raw = b"\x00" * 20 + b"\x01Z00\x02AA\x1b bMessage\x04"
    (pkt,) = decode_all(raw)
    assert isinstance(pkt, AlphaPacket)
    (cmd,) = pkt.commands
    assert (cmd.code, cmd.checksum, cmd.checksum_ok) == ("A", None, None)
    tf = parse_write_text(cmd.data)
    assert tf.label == "A"
    (seg,) = tf.segments
    assert (seg.position_name, seg.mode_name, seg.text) == ("MIDDLE_LINE", "HOLD", "Message")


def test_decoder_byte_at_a_time_with_noise_and_resync() -> None:
    good = write_text_packet([Segment("One", color=Color.GREEN), Segment("Two", mode=Mode.ROTATE)])
    cut = good[: len(good) // 2]
    stream = b"\xff\x17garbage" + cut + good + b"\x00\x00" + HELLO_FRAME
    items = decode_all(stream, chunk=1)
    assert isinstance(items[0], AlphaFrameError) and "cut off" in items[0].reason
    assert isinstance(items[1], AlphaPacket) and items[1].checksum_ok
    tf = parse_write_text(items[1].commands[0].data)
    assert [(s.text, s.color_names, s.mode_name) for s in tf.segments] == [
        ("One", ("GREEN",), "HOLD"),
        ("Two", (), "ROTATE"),
    ]
    assert isinstance(items[2], AlphaPacket)
    assert parse_write_text(items[2].commands[0].data).text == "HELLO"
    assert len(items) == 3


def test_corrupted_byte_fails_the_checksum() -> None:
    bad = bytearray(HELLO_FRAME)
    bad[bad.index(b"E")] = ord("A")
    (pkt,) = decode_all(bytes(bad), chunk=7)
    assert isinstance(pkt, AlphaPacket)
    assert pkt.commands[0].checksum == "02A8" and pkt.commands[0].checksum_ok is False
    assert not pkt.checksum_ok


def test_nested_packet_two_commands() -> None:
    a = alpha.write_text_command([Segment("first")], "A")
    b = alpha.write_text_command([Segment("second")], "B")
    (pkt,) = decode_all(alpha.packet([a, b], address="07"))
    assert isinstance(pkt, AlphaPacket) and pkt.address == "07"
    assert [parse_write_text(c.data).label for c in pkt.commands] == ["A", "B"]
    assert all(c.checksum_ok for c in pkt.commands)


def test_extended_characters_and_unsupported_text() -> None:
    assert alpha.encode_text("Café £5") == b"Caf\x08\x22 \x08\x3c5"
    frame = write_text_packet("Café £5")
    (pkt,) = decode_all(frame)
    assert isinstance(pkt, AlphaPacket)
    assert parse_write_text(pkt.commands[0].data).text == "Café £5"
    with pytest.raises(AlphaEncodingError, match="U\\+57CE"):
        alpha.encode_text("城区排队 3")
    assert alpha.encode_text("城区 W:3", unsupported="replace") == b"?? W:3"
    assert alpha.encode_text("a\nb") == b"a b"  # a control byte would be a sign command


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"address": "1"}, "2 hex digits"),
        ({"address": "G0"}, "2 hex digits"),
        ({"type_code": "ZZ"}, "one printable character"),
        ({"label": ""}, "file label"),
    ],
)
def test_bad_parameters(kwargs: dict[str, str], match: str) -> None:
    with pytest.raises(AlphaEncodingError, match=match):
        write_text_packet("x", **kwargs)  # type: ignore[arg-type]


def test_priority_file_limit() -> None:
    write_text_packet("x" * 120, label="0")
    with pytest.raises(AlphaEncodingError, match="125"):
        write_text_packet("x" * 130, label="0")


def test_special_mode_needs_specifier() -> None:
    frame = write_text_packet([Segment("Hi", mode=Mode.SPECIAL, special="0")])
    (pkt,) = decode_all(frame)
    assert isinstance(pkt, AlphaPacket)
    (seg,) = parse_write_text(pkt.commands[0].data).segments
    assert (seg.mode_name, seg.special, seg.text) == ("SPECIAL", "0", "Hi")
    with pytest.raises(AlphaEncodingError, match="specifier"):
        write_text_packet([Segment("Hi", mode=Mode.SPECIAL)])
