# Sans-IO AMI framing: bytes in -> Message / Banner / ProtocolError out; messages in -> bytes.
#
# Grammar (what Asterisk 22 does, see fixtures/asterisk-22/README.md "Bad input"):
# - A line ends with LF; a CR just before it is dropped (CRLF and LF-only both accepted).
# - A frame is one or more lines ended by an empty line. In the client role an empty line
#   outside a frame is skipped; in the server role each one is answered with
#   "Missing action in request", as Asterisk does.
# - The client role expects the banner line (`Asterisk Call Manager/11.0.0`) first.
# - A frame whose first line is exactly `Response: Follows` (Command before Asterisk 14) has
#   a body: after its Privilege/ActionID/Message headers every line, blank ones included, is
#   output until a line ending in `--END COMMAND--`.
# - Limits keep memory bounded whatever the peer sends. A line longer than max_line_bytes
#   poisons its frame: the rest of the line is discarded as it arrives, and when the frame
#   ends ONE error is reported ("Failed to parse message: line too long", with the ActionID if
#   it was read). More than max_headers lines: "Too many lines in message or allocation
#   failure" (server role default 128, like Asterisk). A frame still open after
#   max_frame_bytes is reported and skipped up to the next empty line. Bad input is never
#   raised: it comes out of next_message() as a ProtocolError and the session goes on.
# - Text is UTF-8. Invalid bytes become U+FFFD, are counted in `replacement_chars` and
#   logged; they are never dropped silently.
#
# Speed: the client role has a fast path. When the buffered frames are plain (CRLF only, no
# stray blank lines, no Follows body, all frames short enough that no limit can be hit) the
# whole region is decoded once and split on CRLFCRLF; each frame becomes a lazily parsed
# Message. Anything else goes through the line-by-line path. Both paths give identical
# results for any split of the input (tested byte by byte on the real capture).

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal

from cti.ami.message import Banner, Message

__all__ = ["AmiCodec", "ProtocolError", "ProtocolErrorKind", "UnsafeHeaderError"]

log = logging.getLogger(__name__)

_CRLF2: Final = b"\r\n\r\n"
_FOLLOWS_LINE: Final = "Response: Follows"
_END_COMMAND: Final = "--END COMMAND--"
_FOLLOWS_HEADERS: Final = frozenset({"privilege", "actionid", "message"})

# Asterisk's own wording where it has one (the lab server sends these back verbatim).
MSG_LINE_TOO_LONG: Final = "Failed to parse message: line too long"
MSG_TOO_MANY_HEADERS: Final = "Too many lines in message or allocation failure"
MSG_MISSING_ACTION: Final = "Missing action in request"


class ProtocolErrorKind(StrEnum):
    LINE_TOO_LONG = "line_too_long"
    TOO_MANY_HEADERS = "too_many_headers"
    FRAME_TOO_LONG = "frame_too_long"
    MISSING_ACTION = "missing_action"  # server role only
    BAD_BANNER = "bad_banner"  # client role only


@dataclass(frozen=True, slots=True)
class ProtocolError:
    """Malformed input, reported as a value (the codec never raises for bad input).

    Attributes:
        kind: what went wrong.
        message: human-readable text; Asterisk's exact wording where Asterisk has one.
        action_id: the frame's ActionID when it could be read (a server echoes it back).
        detail: a short excerpt of the offending input for the log (never header values).
    """

    kind: ProtocolErrorKind
    message: str
    action_id: str | None = None
    detail: str = ""


class UnsafeHeaderError(ValueError):
    """A header name or value to send contains CR/LF (or a name contains ':')."""


Role = Literal["client", "server"]
Outgoing = (
    Message | Banner | Mapping[str, str] | list[tuple[str, str]] | tuple[tuple[str, str], ...]
)

# Line-by-line parser states.
_S_BANNER: Final = 0
_S_FRAME: Final = 1  # reading header lines (or between frames)
_S_BODY: Final = 2  # inside a `Response: Follows` body
_S_SKIP_FRAME: Final = 3  # discarding an over-long frame up to the next blank line


class AmiCodec:
    """Sans-IO AMI framing for either end of the connection.

    Feed bytes with `receive_data()`, then call `next_message()` until it returns None (need
    more data). `send()` turns a message into bytes to write.

    Attributes:
        role: "client" (expects a banner, reads events/responses) or "server" (reads actions).
        replacement_chars: invalid UTF-8 sequences replaced by U+FFFD so far.
        frames: frames decoded so far.
        errors: ProtocolErrors reported so far.
    """

    def __init__(
        self,
        role: Role,
        max_line_bytes: int | None = None,
        max_frame_bytes: int | None = None,
        max_headers: int | None = None,
    ) -> None:
        if role not in ("client", "server"):
            raise ValueError(f"role must be 'client' or 'server', not {role!r}")
        self.role: Final[Role] = role
        server = role == "server"
        # Asterisk reads actions with a 1 KB line buffer and 128 headers; events it sends can
        # be much longer (Command output, ChanVariable lists), so the client is generous.
        self.max_line_bytes: Final = max_line_bytes or (1024 if server else 64 * 1024)
        self.max_frame_bytes: Final = max_frame_bytes or (64 * 1024 if server else 4 * 1024 * 1024)
        self.max_headers: Final = max_headers if max_headers is not None else (128 if server else 0)
        self.replacement_chars = 0
        self.frames = 0
        self.errors = 0

        self._buf = bytearray()
        self._ready: deque[Message | Banner | ProtocolError] = deque()
        self._state = _S_BANNER if role == "client" else _S_FRAME
        # The frame being assembled by the line path.
        self._lines: list[bytes] = []
        self._frame_bytes = 0
        self._poison: ProtocolErrorKind | None = None
        self._skip_line = False  # discarding the tail of an over-long line
        self._header_lines = 0
        self._body: list[bytes] = []
        # A frame can't exceed either limit if it has at most this many characters.
        # (UTF-8 needs at most 4 bytes per character; 2 more for the frame's last CRLF.)
        self._fast_max_chars = (min(self.max_line_bytes, self.max_frame_bytes) - 2) // 4
        # The buffer holds no empty line before this index (see _parse).
        self._clean_upto = 0

    # -- input ---------------------------------------------------------------------------

    def receive_data(self, data: bytes) -> None:
        """Add bytes received from the peer (b"" is allowed and ignored)."""
        if data:
            self._buf += data

    def next_message(self) -> Message | Banner | ProtocolError | None:
        """The next complete item, or None when more data is needed."""
        ready = self._ready
        if not ready:
            self._parse()
            if not ready:
                return None
        return ready.popleft()

    def drain(self) -> list[Message | Banner | ProtocolError]:
        """Every complete item at once (the same items next_message() would return)."""
        out: list[Message | Banner | ProtocolError] = []
        ready = self._ready
        while True:
            if not ready:
                self._parse()
                if not ready:
                    return out
            out.extend(ready)
            ready.clear()

    @property
    def buffered_bytes(self) -> int:
        """Bytes held for incomplete input (bounded by the limits)."""
        return len(self._buf) + self._frame_bytes

    # -- output --------------------------------------------------------------------------

    def send(self, message: Outgoing) -> bytes:
        """Wire bytes for a message (headers in order, then the blank line).

        Raises UnsafeHeaderError if a name or value would break the framing (CR/LF).
        """
        if isinstance(message, Banner):
            _check_value(message.text)
            return f"{message.text}\r\n".encode()
        body: tuple[str, ...] = ()
        pairs: Iterable[tuple[str, str]]
        if isinstance(message, Message):
            pairs = message.headers
            body = message.body
        elif isinstance(message, Mapping):
            pairs = message.items()
        else:
            pairs = message
        parts: list[str] = []
        for raw_name, raw_value in pairs:
            name = str(raw_name)
            value = str(raw_value)
            _check_name(name)
            _check_value(value)
            parts.append(f"{name}: {value}\r\n")
        if body:
            for line in body:
                _check_value(line)
                parts.append(f"{line}\n")
            parts.append(f"{_END_COMMAND}\r\n")
        parts.append("\r\n")
        return "".join(parts).encode()

    # -- parsing -------------------------------------------------------------------------

    def _parse(self) -> None:
        if self._state == _S_FRAME and not self._lines and not self._skip_line:
            # Between frames: unless the new bytes hold an empty line, no frame is complete
            # yet. Only the bytes not searched before are searched (2 bytes of overlap for a
            # split "\n\r\n"), so feeding one byte at a time stays linear.
            buf = self._buf
            start = max(0, self._clean_upto - 2)
            if (
                buf.find(b"\n\n", start) < 0
                and buf.find(b"\n\r\n", start) < 0
                and not buf.startswith(b"\n")
                and not buf.startswith(b"\r\n")
                and len(buf) <= self.max_frame_bytes
            ):
                self._clean_upto = len(buf)
                return
            if self.role == "client" and self._fast_path():
                return
        self._line_path()

    def _fast_path(self) -> bool:
        """Split every complete plain frame at once; False if the line path must do it."""
        buf = self._buf
        end = buf.rfind(_CRLF2)
        if end < 0:
            return False
        end += 4
        region = bytes(buf[:end]) if end != len(buf) else bytes(buf)
        if (
            region.count(b"\n") != region.count(b"\r\n")
            or b"\r\n\r\n\r\n" in region
            or region.startswith(b"\r\n")
            or b"Response: Follows" in region
        ):
            return False
        try:
            text = region.decode("utf-8")
        except UnicodeDecodeError:
            return False
        frames = text.split("\r\n\r\n")
        frames.pop()  # region ends with the terminator: the last piece is empty
        limit = self._fast_max_chars
        if max(map(len, frames)) > limit:
            return False
        if self.max_headers and any(f.count("\r\n") >= self.max_headers for f in frames):
            return False
        del buf[:end]
        self._clean_upto = 0
        from_wire = Message.from_wire
        self._ready.extend(map(from_wire, frames))
        self.frames += len(frames)
        return True

    def _line_path(self) -> None:
        buf = self._buf
        pos = 0
        n = len(buf)
        ready = self._ready
        # Index just past the last empty line: beyond it the buffer holds at most a partial
        # frame. Such a tail is left in the buffer (bounded by max_frame_bytes) instead of being
        # taken apart line by line, so that the next call can use the fast path again.
        last_end = 0
        if (i := buf.rfind(b"\n\n")) >= 0:
            last_end = i + 2
        if (i := buf.rfind(b"\n\r\n")) >= 0:
            last_end = max(last_end, i + 3)
        if buf.startswith(b"\r\n"):
            last_end = max(last_end, 2)
        elif buf.startswith(b"\n"):
            last_end = max(last_end, 1)
        while pos < n:
            state = self._state
            if (
                pos >= last_end
                and state == _S_FRAME
                and not self._lines
                and not self._skip_line
                and n - pos <= self.max_frame_bytes
            ):
                break
            if state == _S_SKIP_FRAME:
                new_pos = self._skip_frame(pos)
                if new_pos == pos:
                    break  # only a possible CR of a blank line is left: wait for more
                pos = new_pos
                continue
            nl = buf.find(b"\n", pos)
            if self._skip_line:
                if nl < 0:
                    pos = n  # still inside the over-long line: drop what we have
                    break
                self._skip_line = False
                pos = nl + 1
                continue
            if nl < 0:
                # +1: a line of exactly max_line_bytes may still be waiting for its CRLF.
                if n - pos > self.max_line_bytes + 1:
                    self._line_overflow(state, bytes(buf[pos : pos + 40]))
                    pos = n
                break
            line = bytes(buf[pos:nl])
            pos = nl + 1
            if line.endswith(b"\r"):
                line = line[:-1]
            if len(line) > self.max_line_bytes:
                self._line_overflow(state, line[:40])
                self._skip_line = False  # the whole line is already consumed
                continue
            if state == _S_BANNER:
                self._banner(line)
                break  # the frames after the banner may suit the fast path
            if state == _S_BODY:
                self._body_line(line)
            else:
                self._frame_line(line)
            if len(ready) > 256:
                break  # hand out what we have; the rest stays buffered
        del buf[:pos]
        self._clean_upto = 0

    def _line_overflow(self, state: int, excerpt: bytes) -> None:
        if state == _S_BANNER:
            self._state = _S_FRAME
            self._report(
                ProtocolErrorKind.BAD_BANNER, "no AMI banner (line too long)", None, excerpt
            )
        else:
            if self._poison is None:
                self._poison = ProtocolErrorKind.LINE_TOO_LONG
            # Keep the frame open (even if it had no lines yet) so that its end is found.
            self._lines.append(b"")
            self._frame_bytes += self.max_line_bytes
        self._skip_line = True
        if self._frame_bytes > self.max_frame_bytes:
            self._frame_overflow()

    def _skip_frame(self, pos: int) -> int:
        """Discard input up to and including the next empty line."""
        buf = self._buf
        n = len(buf)
        while True:
            nl = buf.find(b"\n", pos)
            if nl < 0:
                # Keep a possible partial line only up to the limit, so memory stays bounded.
                if n - pos > 2:
                    self._skip_line = True
                    return n
                return pos
            line_len = nl - pos
            at_line_start = not self._skip_line
            self._skip_line = False
            if at_line_start and (line_len == 0 or (line_len == 1 and buf[pos] == 0x0D)):
                self._state = _S_FRAME
                return nl + 1
            pos = nl + 1

    def _banner(self, line: bytes) -> None:
        text = self._decode(line)
        self._state = _S_FRAME
        head, sep, version = text.rpartition("/")
        if sep and head and version and ":" not in text and " " not in version:
            self._ready.append(Banner(text, version))
            return
        self._report(ProtocolErrorKind.BAD_BANNER, "no AMI banner from the server", None, line[:40])
        if ":" in text:
            self._frame_line(line)  # a server without a banner: keep its first header

    def _frame_line(self, line: bytes) -> None:
        if not line:
            if self._lines:
                self._end_frame()
            elif self.role == "server":
                self._report(ProtocolErrorKind.MISSING_ACTION, MSG_MISSING_ACTION, None, b"")
            return
        self._frame_bytes += len(line) + 2
        if self._frame_bytes > self.max_frame_bytes:
            self._frame_overflow()
            return
        if self.max_headers and self._header_lines >= self.max_headers:
            # Keep the first lines (they hold the ActionID), count the rest.
            self._poison = self._poison or ProtocolErrorKind.TOO_MANY_HEADERS
            return
        self._header_lines += 1
        if not self._lines and line == b"Response: Follows":
            self._lines.append(line)
            self._state = _S_BODY
            return
        self._lines.append(line)

    def _body_line(self, line: bytes) -> None:
        self._frame_bytes += len(line) + 2
        if self._frame_bytes > self.max_frame_bytes:
            self._frame_overflow()
            return
        if not self._body and line:
            name, sep, _ = line.partition(b":")
            if sep and name.decode("latin-1").lower() in _FOLLOWS_HEADERS:
                self._lines.append(line)
                return
        text_end = line.endswith(_END_COMMAND.encode())
        if text_end:
            rest = line[: -len(_END_COMMAND)]
            if rest:
                self._body.append(rest)
            self._end_frame()
            return
        self._body.append(line)

    def _end_frame(self) -> None:
        lines = self._lines
        body = self._body
        poison = self._poison
        self._lines = []
        self._body = []
        self._poison = None
        self._frame_bytes = 0
        self._header_lines = 0
        self._state = _S_FRAME
        raw = self._decode(b"\r\n".join(lines))
        message = Message.from_wire(raw, tuple(self._decode(b) for b in body))
        if poison is not None:
            text = (
                MSG_LINE_TOO_LONG
                if poison == ProtocolErrorKind.LINE_TOO_LONG
                else MSG_TOO_MANY_HEADERS
            )
            self._report(poison, text, message.action_id, b"")
            return
        if self.role == "server" and not message.get("Action"):
            # Asterisk matches header names exactly after the line start, so "  Action: x"
            # and "Action:" both count as missing.
            self._report(
                ProtocolErrorKind.MISSING_ACTION, MSG_MISSING_ACTION, message.action_id, b""
            )
            return
        self.frames += 1
        self._ready.append(message)

    def _frame_overflow(self) -> None:
        action_id = None
        if self._lines:
            action_id = Message.from_wire(self._decode(b"\r\n".join(self._lines))).action_id
        self._lines = []
        self._body = []
        self._poison = None
        self._frame_bytes = 0
        self._header_lines = 0
        self._state = _S_SKIP_FRAME
        self._report(
            ProtocolErrorKind.FRAME_TOO_LONG,
            f"message longer than {self.max_frame_bytes} bytes discarded",
            action_id,
            b"",
        )

    def _report(
        self, kind: ProtocolErrorKind, text: str, action_id: str | None, excerpt: bytes
    ) -> None:
        self.errors += 1
        detail = excerpt.decode("utf-8", "replace")
        log.warning("AMI protocol error (%s): %s", kind.value, text)
        self._ready.append(ProtocolError(kind, text, action_id, detail))

    def _decode(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "replace")
            bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
            self.replacement_chars += bad
            log.warning("AMI: %d invalid UTF-8 sequence(s) replaced with U+FFFD", bad)
            return text


def _check_name(name: str) -> None:
    if not name or "\r" in name or "\n" in name or ":" in name:
        raise UnsafeHeaderError(f"invalid AMI header name {name!r}")


def _check_value(value: str) -> None:
    if "\r" in value or "\n" in value:
        raise UnsafeHeaderError("AMI header values must not contain line breaks")
