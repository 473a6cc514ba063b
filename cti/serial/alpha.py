"""Alpha Sign Communications Protocol (Adaptive Micro Systems, form 9708-8061): the classic
call-centre LED wallboard protocol. Encoder for Write TEXT packets + a sans-IO decoder (used
by the sign simulator and the tests).

Packet ("standard transmission packet"), as sent here:

    NUL x5          sync: the sign locks onto the baud rate
    SOH (01H)       start of header
    type code       "Z" = all sign types
    address         2 ASCII hex digits, "00" = broadcast
    STX (02H)       start of text
    command "A"     Write TEXT file
    file label      "A" (the file every sign has by default; "0" is the 125-byte priority file)
    ESC (1BH) + display position + mode code [+ special specifier when mode is "n"]
    message         printable ASCII, colour codes 1CH + colour, more ESC segments
    ETX (03H)       end of text
    checksum        4 uppercase ASCII hex digits: 16-bit sum of every byte STX..ETX inclusive
    EOT (04H)       end of transmission

Choices and why:
- We always send ETX + checksum: a sign discards a corrupted packet instead of showing
  garbage, and the simulator verifies it.
- Positions per the document's Write TEXT table: middle line 20H, top line 22H, bottom line
  26H, fill 30H, left 31H / right 32H (Alpha 3.0 signs only).
- Alpha signs have no CJK font. Text outside printable ASCII (plus the Latin letters of the
  extended set, sent as 08H + offset) cannot be shown: `encode_text` raises
  `AlphaEncodingError` (strict) or substitutes "?" (replace). Use the plain line mode for
  signs that accept UTF-8 / GB18030.
- The whole packet is written in one block: a sign treats a gap of about a second between
  bytes as the end of a packet.
- The default serial framing of Alpha signs is 9600 baud 7E1; all bytes used here are < 80H.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

NUL = 0x00
SOH = 0x01
STX = 0x02
ETX = 0x03
EOT = 0x04
ESC = 0x1B
EXTENDED = 0x08  # 08H + offset: extended character
COLOR = 0x1C  # 1CH + colour code
CMD_WRITE_TEXT = "A"
TYPE_ALL_SIGNS = "Z"
BROADCAST = "00"
SYNC_COUNT = 5

Unsupported = Literal["error", "replace"]


class Position(enum.Enum):
    MIDDLE_LINE = 0x20
    TOP_LINE = 0x22
    BOTTOM_LINE = 0x26
    FILL = 0x30
    LEFT = 0x31  # Alpha 3.0
    RIGHT = 0x32  # Alpha 3.0


class Mode(enum.Enum):
    ROTATE = "a"
    HOLD = "b"
    FLASH = "c"
    ROLL_UP = "e"
    ROLL_DOWN = "f"
    ROLL_LEFT = "g"
    ROLL_RIGHT = "h"
    WIPE_UP = "i"
    WIPE_DOWN = "j"
    WIPE_LEFT = "k"
    WIPE_RIGHT = "l"
    SCROLL = "m"
    SPECIAL = "n"  # followed by a special-mode specifier byte
    AUTOMODE = "o"
    ROLL_IN = "p"
    ROLL_OUT = "q"
    WIPE_IN = "r"
    WIPE_OUT = "s"
    COMPRESSED_ROTATE = "t"
    EXPLODE = "u"  # Alpha 3.0
    CLOCK = "v"  # Alpha 3.0


class Color(enum.Enum):
    RED = "1"
    GREEN = "2"
    AMBER = "3"
    DIM_RED = "4"
    DIM_GREEN = "5"
    BROWN = "6"
    ORANGE = "7"
    YELLOW = "8"
    RAINBOW_1 = "9"
    RAINBOW_2 = "A"
    COLOR_MIX = "B"
    AUTOCOLOR = "C"


# Extended character set, sent as 08H + offset. Only the offsets whose glyphs follow the
# code page 437 order of the document's table (Latin letters and currency signs) are mapped.
_EXTENDED_CHARS = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥"  # offsets 20H..3DH
_EXTENDED_CHARS_2 = "ƒáíóúñÑªº¿"  # offsets 3FH..48H
EXTENDED_TO_OFFSET: dict[str, int] = {c: 0x20 + i for i, c in enumerate(_EXTENDED_CHARS)}
EXTENDED_TO_OFFSET.update({c: 0x3F + i for i, c in enumerate(_EXTENDED_CHARS_2)})
OFFSET_TO_EXTENDED: dict[int, str] = {v: k for k, v in EXTENDED_TO_OFFSET.items()}


class AlphaEncodingError(ValueError):
    """The text or a parameter cannot be expressed in the Alpha protocol (message says why)."""


@dataclass(frozen=True)
class Segment:
    """One ESC-introduced part of a TEXT file: where and how the text appears."""

    text: str
    position: Position = Position.FILL
    mode: Mode = Mode.HOLD
    color: Color | None = None
    special: str | None = None  # specifier for Mode.SPECIAL, e.g. "0" twinkle


def checksum(data: bytes) -> bytes:
    """4 uppercase ASCII hex digits of the 16-bit sum of `data` (STX..ETX inclusive)."""
    return f"{sum(data) & 0xFFFF:04X}".encode("ascii")


def encode_text(text: str, unsupported: Unsupported = "error") -> bytes:
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if 0x20 <= code <= 0x7E:
            out.append(code)
        elif ch in EXTENDED_TO_OFFSET:
            out += bytes((EXTENDED, EXTENDED_TO_OFFSET[ch]))
        elif ch in "\r\n\t":
            out.append(0x20)  # control bytes would be taken as sign commands
        elif unsupported == "replace":
            out.append(ord("?"))
        else:
            raise AlphaEncodingError(
                f"Alpha signs cannot show {ch!r} (U+{code:04X}); "
                "use the plain line protocol for signs with a Chinese font"
            )
    return bytes(out)


def _check_address(type_code: str, address: str) -> None:
    if len(type_code) != 1 or not 0x20 <= ord(type_code) <= 0x7E:
        raise AlphaEncodingError(
            f"sign type code must be one printable character, not {type_code!r}"
        )
    if len(address) != 2 or any(c not in "0123456789ABCDEFabcdef?" for c in address):
        raise AlphaEncodingError(
            f"sign address must be 2 hex digits (00 = all signs), not {address!r}"
        )


def write_text_command(
    segments: Sequence[Segment], label: str = "A", unsupported: Unsupported = "error"
) -> bytes:
    """Command code + data of a Write TEXT command (what goes between STX and ETX)."""
    if len(label) != 1 or not 0x20 <= ord(label) <= 0x7E:
        raise AlphaEncodingError(f"file label must be one printable character, not {label!r}")
    body = bytearray(CMD_WRITE_TEXT.encode("ascii") + label.encode("ascii"))
    for seg in segments:
        body += bytes((ESC, seg.position.value)) + seg.mode.value.encode("ascii")
        if seg.mode is Mode.SPECIAL:
            if seg.special is None or len(seg.special) != 1:
                raise AlphaEncodingError("special mode needs a one-character specifier")
            body += seg.special.encode("ascii")
        if seg.color is not None:
            body += bytes((COLOR,)) + seg.color.value.encode("ascii")
        body += encode_text(seg.text, unsupported)
    if label == "0" and len(body) - 2 > 125:
        raise AlphaEncodingError("the priority TEXT file holds at most 125 bytes")
    return bytes(body)


def packet(
    commands: Sequence[bytes],
    type_code: str = TYPE_ALL_SIGNS,
    address: str = BROADCAST,
    sync_count: int = SYNC_COUNT,
) -> bytes:
    """Frame one or more commands (nested packet when several), each with ETX + checksum."""
    _check_address(type_code, address)
    out = bytearray(bytes(sync_count) + bytes((SOH,)) + (type_code + address).encode("ascii"))
    for command in commands:
        block = bytes((STX,)) + command + bytes((ETX,))
        out += block + checksum(block)
    out.append(EOT)
    return bytes(out)


def write_text_packet(
    text: str | Sequence[Segment],
    *,
    label: str = "A",
    type_code: str = TYPE_ALL_SIGNS,
    address: str = BROADCAST,
    position: Position = Position.FILL,
    mode: Mode = Mode.HOLD,
    color: Color | None = None,
    unsupported: Unsupported = "error",
) -> bytes:
    """The complete bytes to write to the port to show `text` on the sign."""
    segments = [Segment(text, position, mode, color)] if isinstance(text, str) else list(text)
    return packet([write_text_command(segments, label, unsupported)], type_code, address)


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class AlphaCommand:
    code: str
    data: bytes
    checksum: str | None  # as received (None: sent without ETX/checksum)
    checksum_ok: bool | None  # None when no checksum was sent


@dataclass(frozen=True)
class AlphaPacket:
    type_code: str
    address: str
    commands: tuple[AlphaCommand, ...]
    raw: bytes

    @property
    def checksum_ok(self) -> bool:
        return all(c.checksum_ok is not False for c in self.commands)


@dataclass(frozen=True)
class AlphaFrameError:
    reason: str
    raw: bytes


@dataclass(frozen=True)
class DecodedSegment:
    position: int
    mode: str
    special: str | None
    colors: tuple[str, ...]  # colour codes seen in this segment, in order
    text: str

    @property
    def position_name(self) -> str:
        try:
            return Position(self.position).name
        except ValueError:
            return f"0x{self.position:02X}"

    @property
    def mode_name(self) -> str:
        try:
            return Mode(self.mode).name
        except ValueError:
            return repr(self.mode)

    @property
    def color_names(self) -> tuple[str, ...]:
        names = []
        for c in self.colors:
            try:
                names.append(Color(c).name)
            except ValueError:
                names.append(c)
        return tuple(names)


@dataclass(frozen=True)
class TextFile:
    label: str
    segments: tuple[DecodedSegment, ...]

    @property
    def text(self) -> str:
        return " / ".join(s.text for s in self.segments) if self.segments else ""


# Control codes inside a message and how many bytes follow them (Appendix G).
_CONTROL_ARGS = {
    0x05: 1,  # double height
    0x06: 1,  # true descenders
    0x07: 1,  # flash characters
    0x0B: 1,  # date
    0x10: 1,  # STRING file
    0x14: 1,  # DOTS picture
    0x1A: 1,  # character set
    0x1D: 2,  # attribute + on/off
    0x1E: 1,  # spacing
}
_CONTROL_NONE = {0x09, 0x0C, 0x11, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19}


def parse_write_text(data: bytes) -> TextFile:
    """Decode the data of a Write TEXT command ("A" already removed): label + segments."""
    if not data:
        raise ValueError("Write TEXT without a file label")
    label = chr(data[0])
    segments: list[DecodedSegment] = []
    position, mode, special = Position.FILL.value, Mode.AUTOMODE.value, None
    colors: list[str] = []
    text: list[str] = []
    started = False
    i = 1
    n = len(data)

    def flush() -> None:
        if started or text:
            segments.append(DecodedSegment(position, mode, special, tuple(colors), "".join(text)))

    while i < n:
        b = data[i]
        if b == ESC:
            flush()
            if i + 2 >= n:
                raise ValueError("ESC without display position and mode")
            position, mode = data[i + 1], chr(data[i + 2])
            i += 3
            special = None
            if mode == Mode.SPECIAL.value and i < n:
                special = chr(data[i])
                i += 1
            colors, text, started = [], [], True
        elif b == COLOR:
            if i + 1 >= n:
                raise ValueError("colour code without a colour")
            if chr(data[i + 1]) in "ZY":  # RGB colour (Alpha 3.0): Z/Y + 6 hex digits
                colors.append(data[i + 1 : i + 8].decode("ascii", "replace"))
                i += 8
            else:
                colors.append(chr(data[i + 1]))
                i += 2
        elif b == EXTENDED:
            if i + 1 >= n:
                raise ValueError("extended-character code without an offset")
            text.append(OFFSET_TO_EXTENDED.get(data[i + 1], "\ufffd"))
            i += 2
        elif b == 0x0D:
            text.append("\n")
            i += 1
        elif b in _CONTROL_ARGS:
            i += 1 + _CONTROL_ARGS[b]
        elif b in _CONTROL_NONE:
            i += 1
        elif b == 0x1F:  # animation: type byte + 9-char name + 4 hex digits
            i += 1 + 1 + 9 + 4
        elif 0x20 <= b <= 0x7F:
            text.append(chr(b))
            i += 1
        else:
            text.append("\ufffd")
            i += 1
    flush()
    return TextFile(label, tuple(segments))


class AlphaDecoder:
    """Sans-IO: `receive_data(bytes)`, then `next_packet()` until it returns None.

    Resynchronises on SOH: garbage, sync NULs and truncated packets are skipped (a truncated
    packet is reported as `AlphaFrameError`).
    """

    def __init__(self, max_packet_bytes: int = 64 * 1024) -> None:
        self._buf = bytearray()
        self._max = max_packet_bytes

    def receive_data(self, data: bytes) -> None:
        self._buf += data

    def next_packet(self) -> AlphaPacket | AlphaFrameError | None:
        buf = self._buf
        start = buf.find(SOH)
        if start < 0:
            del buf[:]  # nothing but sync / noise
            return None
        if start:
            del buf[:start]
        # A second SOH before EOT means the first packet was cut off.
        eot = buf.find(EOT)
        nxt = buf.find(SOH, 1)
        if nxt > 0 and (eot < 0 or nxt < eot):
            raw = bytes(buf[:nxt])
            del buf[:nxt]
            return AlphaFrameError("packet cut off (new SOH before EOT)", raw)
        if eot < 0:
            if len(buf) > self._max:
                raw = bytes(buf)
                del buf[:]
                return AlphaFrameError("packet too long without EOT", raw)
            return None
        raw = bytes(buf[: eot + 1])
        del buf[: eot + 1]
        return _parse_packet(raw)


def _parse_packet(raw: bytes) -> AlphaPacket | AlphaFrameError:
    stx = raw.find(STX)
    if stx < 0:
        return AlphaFrameError("no STX in packet", raw)
    header = raw[1:stx].decode("ascii", "replace")
    if len(header) < 3:
        return AlphaFrameError(f"header too short: {header!r}", raw)
    type_code, address = header[0], header[1:3]
    commands: list[AlphaCommand] = []
    i = stx
    end = len(raw) - 1  # index of EOT
    while i < end:
        if raw[i] != STX:
            return AlphaFrameError(f"expected STX at byte {i}, found 0x{raw[i]:02X}", raw)
        etx = raw.find(ETX, i + 1, end)
        nstx = raw.find(STX, i + 1, end)
        if etx < 0 or (0 <= nstx < etx):
            stop = end if nstx < 0 else nstx
            body = raw[i + 1 : stop]
            if not body:
                return AlphaFrameError("empty command", raw)
            commands.append(AlphaCommand(chr(body[0]), body[1:], None, None))
            i = stop
            continue
        block = raw[i : etx + 1]
        got = raw[etx + 1 : etx + 5]
        if len(got) < 4 or etx + 5 > end:
            return AlphaFrameError("checksum missing after ETX", raw)
        got_s = got.decode("ascii", "replace")
        ok = got_s.upper() == checksum(block).decode("ascii")
        body = raw[i + 1 : etx]
        if not body:
            return AlphaFrameError("empty command", raw)
        commands.append(AlphaCommand(chr(body[0]), body[1:], got_s, ok))
        i = etx + 5
    if not commands:
        return AlphaFrameError("packet without command", raw)
    return AlphaPacket(type_code, address, tuple(commands), raw)
