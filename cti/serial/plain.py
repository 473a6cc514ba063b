"""Plain-text line mode for simple LED signs: one line of text + a terminator per message.

Many inexpensive signs (and most Chinese ones) show whatever line arrives last. They usually
take GB2312/GB18030 or UTF-8, so the encoding is a setting. Line breaks and other control
characters inside the text become spaces: a terminator in the middle would split the message
into two screens.
"""

from __future__ import annotations

import codecs
from typing import Literal

Unsupported = Literal["error", "replace"]
DEFAULT_TERMINATOR = b"\r\n"


class PlainEncodingError(ValueError):
    """The text cannot be encoded for the sign (message names the character and encoding)."""


def check_encoding(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError as exc:
        raise PlainEncodingError(f"unknown text encoding {encoding!r}") from exc


def encode_line(
    text: str,
    encoding: str = "utf-8",
    terminator: bytes = DEFAULT_TERMINATOR,
    unsupported: Unsupported = "error",
) -> bytes:
    check_encoding(encoding)
    clean = "".join(" " if (ord(c) < 0x20 or ord(c) == 0x7F) else c for c in text)
    try:
        body = clean.encode(encoding, "strict" if unsupported == "error" else "replace")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise PlainEncodingError(f"{bad!r} cannot be encoded in {encoding}") from exc
    return body + terminator


class LineDecoder:
    """Sans-IO line splitter for the sign simulator."""

    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = check_encoding(encoding)
        self._buf = bytearray()

    def receive_data(self, data: bytes) -> None:
        self._buf += data

    def next_line(self) -> str | None:
        """The next complete line, or None. CR, LF and CRLF all end a line; empty lines
        (the LF of a CRLF) are skipped."""
        buf = self._buf
        while True:
            ends = [i for i in (buf.find(0x0D), buf.find(0x0A)) if i >= 0]
            if not ends:
                return None
            i = min(ends)
            line = bytes(buf[:i])
            del buf[: i + 1]
            if line:
                return line.decode(self.encoding, "replace")
