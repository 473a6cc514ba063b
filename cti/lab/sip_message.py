"""Just enough SIP (RFC 3261) parsing and building for the lab's registrar front.

The front (`sip_registrar.py`) answers REGISTER and relays every other request to the lab's
pjsua2 endpoint, so it needs: the start line, headers in order (names compared without case,
compact forms understood), Via / name-addr / URI / parameter parsing, and serialisation with a
correct Content-Length. Bodies (SDP) pass through untouched as bytes.

Rules:
- Header order and spelling are kept; only headers the front changes are rewritten.
- Comma-separated lists (Via, Contact, Route) are split only at top-level commas (not inside
  quotes or `<…>`), because display names and URIs may contain commas.
- Malformed input raises `SipParseError`; the front drops such datagrams (UDP has no session
  to answer on when even the start line is unreadable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

COMPACT = {
    "v": "via",
    "f": "from",
    "t": "to",
    "i": "call-id",
    "m": "contact",
    "l": "content-length",
    "c": "content-type",
    "k": "supported",
    "e": "content-encoding",
    "s": "subject",
}
LIST_HEADERS = frozenset({"via", "contact", "route", "record-route"})
_RESPONSE_RE = re.compile(r"^SIP/2\.0 (\d{3}) ?(.*)$")
_REQUEST_RE = re.compile(r"^([A-Za-z]+) (\S+) SIP/2\.0$")


class SipParseError(ValueError):
    """The datagram is not a SIP message this front understands."""


def canonical(name: str) -> str:
    low = name.strip().lower()
    return COMPACT.get(low, low)


def split_top_level(value: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside double quotes and angle brackets."""
    parts: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    current: list[str] = []
    for ch in value:
        if quoted:
            current.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if ch == '"':
            quoted = True
        elif ch == "<":
            depth += 1
        elif ch == ">":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    tail = "".join(current).strip()
    if tail or parts:
        parts.append(tail)
    return [p for p in parts if p]


def parse_params(text: str) -> dict[str, str]:
    """`;a=1;b;c="x"` → {"a": "1", "b": "", "c": "x"} (names lower-cased, order kept)."""
    params: dict[str, str] = {}
    for item in split_top_level(text, ";"):
        name, _, value = item.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[name.strip().lower()] = value
    return params


def format_params(params: dict[str, str]) -> str:
    return "".join(f";{k}={v}" if v != "" else f";{k}" for k, v in params.items())


@dataclass(frozen=True)
class SipUri:
    scheme: str
    user: str
    host: str
    port: int | None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}" if self.port is not None else self.host


def parse_uri(text: str) -> SipUri:
    """`sip:user@host:port;params?headers` (no password support; the lab never needs one)."""
    text = text.strip()
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in ("sip", "sips"):
        raise SipParseError(f"not a SIP URI: {text!r}")
    rest = rest.split("?", 1)[0]
    hostpart, _, param_text = rest.partition(";")
    user = ""
    if "@" in hostpart:
        user, _, hostpart = hostpart.rpartition("@")
        user = user.split(":", 1)[0]
    host, port = split_host_port(hostpart)
    return SipUri(scheme.lower(), user, host, port, parse_params(param_text))


def split_host_port(text: str) -> tuple[str, int | None]:
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port_text = text.partition(":")
    if not host:
        raise SipParseError(f"no host in {text!r}")
    if port_text and not port_text.isdigit():
        raise SipParseError(f"bad port in {text!r}")
    return host, int(port_text) if port_text else None


@dataclass(frozen=True)
class NameAddr:
    """`"Display" <uri>;params` (also a bare URI, or `*` for Contact: *)."""

    display: str
    uri: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def is_star(self) -> bool:
        return self.uri == "*"


def parse_name_addr(text: str) -> NameAddr:
    text = text.strip()
    if text == "*":
        return NameAddr("", "*")
    if "<" in text:
        display, _, rest = text.partition("<")
        uri, close, param_text = rest.partition(">")
        if not close:
            raise SipParseError(f"unclosed '<' in {text!r}")
        display = display.strip()
        if len(display) >= 2 and display[0] == display[-1] == '"':
            display = display[1:-1]
        return NameAddr(display, uri.strip(), parse_params(param_text))
    # addr-spec without brackets: parameters after ';' belong to the header, not the URI.
    uri, _, param_text = text.partition(";")
    return NameAddr("", uri.strip(), parse_params(param_text))


@dataclass(frozen=True)
class Via:
    transport: str
    host: str
    port: int | None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def branch(self) -> str:
        return self.params.get("branch", "")

    def response_address(self, default_port: int = 5060) -> tuple[str, int]:
        """Where responses go (RFC 3261 18.2.2 + RFC 3581 rport)."""
        host = self.params.get("received") or self.host
        rport = self.params.get("rport", "")
        if rport.isdigit():
            return host, int(rport)
        return host, self.port if self.port is not None else default_port

    def __str__(self) -> str:
        sent_by = f"{self.host}:{self.port}" if self.port is not None else self.host
        return f"SIP/2.0/{self.transport} {sent_by}{format_params(self.params)}"


def parse_via(text: str) -> Via:
    text = text.strip()
    proto, _, rest = text.partition(" ")
    parts = proto.split("/")
    if len(parts) != 3 or parts[0].upper() != "SIP":
        raise SipParseError(f"bad Via: {text!r}")
    sent_by, _, param_text = rest.strip().partition(";")
    host, port = split_host_port(sent_by)
    return Via(parts[2].upper(), host, port, parse_params(param_text))


@dataclass
class SipMessage:
    """A parsed message. Mutable on purpose: the front edits a copy and re-serialises it."""

    start_line: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    @property
    def is_request(self) -> bool:
        return not self.start_line.startswith("SIP/2.0 ")

    @property
    def method(self) -> str:
        """Request method, or the CSeq method of a response."""
        if self.is_request:
            return self.start_line.split(" ", 1)[0].upper()
        cseq = self.get("cseq") or ""
        return cseq.split()[-1].upper() if cseq.split() else ""

    @property
    def request_uri(self) -> str:
        return self.start_line.split(" ")[1] if self.is_request else ""

    @property
    def status_code(self) -> int:
        match = _RESPONSE_RE.match(self.start_line)
        return int(match.group(1)) if match else 0

    def get(self, name: str) -> str | None:
        want = canonical(name)
        for key, value in self.headers:
            if canonical(key) == want:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        """Every value of a header; list headers are split at top-level commas."""
        want = canonical(name)
        values: list[str] = []
        for key, value in self.headers:
            if canonical(key) == want:
                if want in LIST_HEADERS:
                    values.extend(split_top_level(value))
                else:
                    values.append(value)
        return values

    def set_all(self, name: str, values: list[str]) -> None:
        """Replace every occurrence of a header by `values` (one line each) at its first place."""
        want = canonical(name)
        replacement = [(_display_name(want), v) for v in values]
        result: list[tuple[str, str]] = []
        placed = False
        for key, value in self.headers:
            if canonical(key) != want:
                result.append((key, value))
            elif not placed:
                result.extend(replacement)
                placed = True
        if not placed:
            result.extend(replacement)
        self.headers = result

    def remove(self, name: str) -> None:
        self.set_all(name, [])

    def add(self, name: str, value: str) -> None:
        self.headers.append((name, value))

    def vias(self) -> list[Via]:
        return [parse_via(v) for v in self.get_all("via")]

    def cseq_number(self) -> int:
        cseq = (self.get("cseq") or "").split()
        return int(cseq[0]) if cseq and cseq[0].isdigit() else 0

    def to_bytes(self) -> bytes:
        lines = [self.start_line]
        lines.extend(f"{k}: {v}" for k, v in self.headers if canonical(k) != "content-length")
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


_DISPLAY = {
    "via": "Via",
    "from": "From",
    "to": "To",
    "call-id": "Call-ID",
    "contact": "Contact",
    "cseq": "CSeq",
    "route": "Route",
    "record-route": "Record-Route",
    "www-authenticate": "WWW-Authenticate",
    "max-forwards": "Max-Forwards",
}


def _display_name(canonical_name: str) -> str:
    return _DISPLAY.get(canonical_name, "-".join(p.capitalize() for p in canonical_name.split("-")))


def parse_message(data: bytes) -> SipMessage:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = data.partition(b"\n\n")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SipParseError("headers are not UTF-8") from exc
    raw_lines = text.replace("\r\n", "\n").split("\n")
    while raw_lines and not raw_lines[0].strip():
        raw_lines.pop(0)  # RFC 3261 7.5: ignore leading blank lines (keep-alive CRLFs)
    if not raw_lines:
        raise SipParseError("empty datagram")
    start = raw_lines[0].strip()
    if not (_REQUEST_RE.match(start) or _RESPONSE_RE.match(start)):
        raise SipParseError(f"bad start line: {start[:80]!r}")
    headers: list[tuple[str, str]] = []
    for line in raw_lines[1:]:
        if line[:1] in (" ", "\t") and headers:  # folded continuation line
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise SipParseError(f"bad header line: {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    message = SipMessage(start, headers, b"")
    length_text = message.get("content-length")
    if length_text is not None and length_text.strip().isdigit():
        body = body[: int(length_text.strip())]
    message.body = body
    return message


def response_to(
    request: SipMessage, code: int, reason: str, to_tag: str | None = None
) -> SipMessage:
    """A response carrying the request's Via, From, To (+tag), Call-ID and CSeq."""
    headers: list[tuple[str, str]] = [("Via", v) for v in request.get_all("via")]
    for name in ("From", "To", "Call-ID", "CSeq"):
        value = request.get(name)
        if value is None:
            continue
        if name == "To" and to_tag and code > 100 and "tag=" not in value.lower():
            value = f"{value};tag={to_tag}"
        headers.append((name, value))
    return SipMessage(f"SIP/2.0 {code} {reason}", headers)
