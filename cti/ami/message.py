# One AMI frame (event, response or action) and the protocol banner.
#
# Rules and trade-offs:
# - A Message is immutable and keeps every header in wire order, repeated ones included
#   (ChanVariable, Output ...). `get()` is case-insensitive and returns the FIRST occurrence,
#   as Asterisk's own astman_get_header() does.
# - Header syntax: a line `Name: value` splits at the first ": " and the value is kept
#   verbatim (Asterisk writes exactly one space; a caller-ID name may itself start with a
#   space). A line with a ':' but no ": " (`Action:`, `Key:value`) splits at the first ':' and
#   leading blanks of the value are skipped, as Asterisk does when it reads actions. A line
#   without ':' is not a header and is dropped (Asterisk ignores it too); `raw` keeps it.
# - Parsing is lazy. The codec hands over the frame's text; the frame's name is read from its
#   first line and the headers are only split when someone asks. About three quarters of a
#   real stream (VarSet, RTCP, security events) is never looked at by the console, and never
#   splitting those frames is what makes ingest fast (see bench_codec.py). Because of that
#   laziness this is a hand-written immutable class with __slots__ rather than a frozen
#   dataclass; it behaves like one (no attribute assignment, value equality, hashable).
# - `output` is the body of a legacy `Response: Follows` frame (Command output before Asterisk
#   14) or, for newer servers, the values of the repeated `Output:` headers.
# - Values never contain CR or LF: the codec refuses to send such a value (header injection).

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Final, cast, overload

__all__ = ["Banner", "Message"]

_KIND_NONE: Final = 0
_KIND_EVENT: Final = 1
_KIND_RESPONSE: Final = 2
_KIND_ACTION: Final = 3
_BLANKS: Final = " \t"
_first_item: Final = itemgetter(0)


@dataclass(frozen=True, slots=True)
class Banner:
    """The greeting line a server sends on connect, e.g. `Asterisk Call Manager/11.0.0`.

    `protocol_version` is the AMI protocol version (11.0.0 = Asterisk 22), not Asterisk's own
    version; ask `CoreSettings` for that.
    """

    text: str
    protocol_version: str


def _split_line(line: str) -> tuple[str, str] | None:
    name, sep, value = line.partition(": ")
    if sep and ":" not in name:
        return name, value
    name, sep, value = line.partition(":")
    if not sep:
        return None
    return name, value.lstrip(_BLANKS)


def _parse_headers(raw: str) -> tuple[tuple[str, str], ...]:
    lines = raw.split("\r\n")
    pairs = [line.split(": ", 1) for line in lines]
    # Common case: every line is `Name: value` and no name holds a ':'.
    if min(map(len, pairs)) == 2 and ":" not in "".join(map(_first_item, pairs)):
        return tuple(map(tuple, pairs))  # type: ignore[arg-type]
    return tuple(p for p in map(_split_line, lines) if p is not None)


def _exact_dict(raw: str) -> dict[str, str] | None:
    """Name -> first value straight from the text, or None if some line is unusual."""
    pairs = [line.split(": ", 1) for line in raw.split("\r\n")]
    try:
        d: dict[str, str] = dict(pairs)
    except ValueError:  # a line without ": "
        return None
    if len(d) != len(pairs):  # repeated headers: the first occurrence must win
        d = dict(reversed(pairs))
    if ":" in "".join(d):
        return None
    return d


class _Lazy:
    # Everything derived from the frame text, computed on first use. Class-level defaults
    # (no __init__ body) keep creating one cheap: only what is computed gets stored.
    headers: tuple[tuple[str, str], ...] | None = None
    exact: dict[str, str] | None = None
    fold: dict[str, str] | None = None
    kind: int = -1
    name: str | None = None


class _MessageSlots:
    __slots__ = ("_body", "_lazy", "_raw")


def _setter(name: str) -> Callable[[_MessageSlots, object], None]:
    # Message forbids attribute assignment; its own code writes through the slot descriptors.
    descriptor = _MessageSlots.__dict__[name]
    return cast("Callable[[_MessageSlots, object], None]", descriptor.__set__)


_set_raw: Final = _setter("_raw")
_set_body: Final = _setter("_body")
_set_lazy: Final = _setter("_lazy")
_new: Final = object.__new__
_NO_BODY: Final[tuple[str, ...]] = ()


class Message(_MessageSlots):
    """An AMI frame: ordered headers plus an optional `Response: Follows` body.

    Build one with `Message([("Action", "Ping"), ("ActionID", "1")])` or
    `Message({"Action": "Ping"})`; the codec builds them from the wire with `from_wire`.

    Attributes:
        headers: ordered (name, value) pairs, repeated headers kept.
        output: lines of a `Response: Follows` body, else the values of `Output:` headers.
    """

    __slots__ = ()

    _raw: str | None
    _body: tuple[str, ...]
    _lazy: _Lazy | None

    def __init__(
        self,
        headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        output: Iterable[str] = (),
    ) -> None:
        items = headers.items() if isinstance(headers, Mapping) else headers
        lazy = _Lazy()
        lazy.headers = tuple((str(k), str(v)) for k, v in items)
        _set_raw(self, None)
        _set_body(self, tuple(output))
        _set_lazy(self, lazy)

    @classmethod
    def from_wire(cls, raw: str, body: tuple[str, ...] = _NO_BODY) -> Message:
        """A message over the frame text `raw` (lines joined by CRLF, no final blank line).

        Headers are parsed on first use. `body` is the `Response: Follows` body, if any.
        """
        self: Message = _new(cls)
        _set_raw(self, raw)
        _set_lazy(self, None)
        if body:  # almost never: `_body` stays unset (see the `body` property)
            _set_body(self, body)
        return self

    @classmethod
    def from_headers(cls, headers: tuple[tuple[str, str], ...]) -> Message:
        """A message over header pairs that are already strings, kept as they are (no copy,
        no checks): rebuilding recorded events in bulk (cti.state.seed)."""
        self: Message = _new(cls)
        _set_raw(self, None)
        lazy = _Lazy()
        lazy.headers = headers
        _set_lazy(self, lazy)
        return self

    # -- immutability -------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Message is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Message is immutable (cannot delete {name!r})")

    def __reduce__(
        self,
    ) -> tuple[type[Message], tuple[tuple[tuple[str, str], ...], tuple[str, ...]]]:
        return (Message, (self.headers, self.body))

    # -- headers -------------------------------------------------------------------------

    def _cache(self) -> _Lazy:
        lazy = self._lazy
        if lazy is None:
            lazy = _Lazy()
            _set_lazy(self, lazy)
        return lazy

    @property
    def headers(self) -> tuple[tuple[str, str], ...]:
        lazy = self._cache()
        hs = lazy.headers
        if hs is None:
            hs = lazy.headers = _parse_headers(self._raw or "")
        return hs

    @property
    def body(self) -> tuple[str, ...]:
        """The `Response: Follows` body lines (empty for every other frame)."""
        try:
            return self._body
        except AttributeError:
            return _NO_BODY

    @property
    def output(self) -> tuple[str, ...]:
        return self.body or self.get_all("Output")

    @property
    def raw(self) -> str:
        """The frame text: CRLF-joined lines as received (built from headers otherwise)."""
        raw = self._raw
        if raw is not None:
            return raw
        return "\r\n".join(f"{k}: {v}" for k, v in self.headers)

    def exact_map(self) -> dict[str, str]:
        """Header name (exact spelling) -> first value. Treat as read-only; the fast look-up
        used by `to_event` for Asterisk's own spelling."""
        lazy = self._cache()
        d = lazy.exact
        if d is None:
            raw = self._raw
            if raw is not None and lazy.headers is None:
                d = _exact_dict(raw)
            if d is None:
                # reversed(): the first occurrence of a repeated header wins.
                d = dict(reversed(self.headers))
            lazy.exact = d
        return d

    def _fold_map(self) -> dict[str, str]:
        lazy = self._cache()
        d = lazy.fold
        if d is None:
            d = lazy.fold = {k.lower(): v for k, v in reversed(self.headers)}
        return d

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    @overload
    def get(self, name: str, default: None) -> str | None: ...
    def get(self, name: str, default: str | None = None) -> str | None:
        """Value of the first header called `name` (case-insensitive), else `default`."""
        value = self.exact_map().get(name)
        if value is not None:
            return value
        return self._fold_map().get(name.lower(), default)

    def get_all(self, name: str) -> tuple[str, ...]:
        """Values of every header called `name` (case-insensitive), in wire order."""
        low = name.lower()
        return tuple(v for k, v in self.headers if k.lower() == low)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.headers)

    def __len__(self) -> int:
        return len(self.headers)

    def as_dict(self) -> dict[str, str]:
        """Headers as a dict for journalling; repeated headers are joined with a newline."""
        out: dict[str, str] = {}
        for k, v in self.headers:
            out[k] = f"{out[k]}\n{v}" if k in out else v
        return out

    # -- classification ---------------------------------------------------------------------

    def _classify(self) -> _Lazy:
        lazy = self._cache()
        if lazy.kind >= 0:
            return lazy
        raw = self._raw
        # Asterisk puts Event/Response first: its first line names the frame without parsing
        # the rest. Anything unusual falls back to the (case-insensitive) parsed headers.
        if raw is not None and raw.startswith("Event: ") and raw[7:8] not in (" ", "\t", ""):
            end = raw.find("\r\n")
            lazy.name = raw[7:end] if end >= 0 else raw[7:]
            lazy.kind = _KIND_EVENT
            return lazy
        fold = self._fold_map()
        if (value := fold.get("event")) is not None:
            lazy.kind, lazy.name = _KIND_EVENT, value
        elif (value := fold.get("response")) is not None:
            lazy.kind, lazy.name = _KIND_RESPONSE, value
        elif (value := fold.get("action")) is not None:
            lazy.kind, lazy.name = _KIND_ACTION, value
        else:
            lazy.kind, lazy.name = _KIND_NONE, None
        return lazy

    @property
    def event_name(self) -> str | None:
        """The Event value, or None if this is not an event (fast: reads the first line)."""
        raw = self._raw
        if raw is not None and raw.startswith("Event: ") and raw[7:8] not in (" ", "\t", ""):
            end = raw.find("\r\n")
            return raw[7:end] if end >= 0 else raw[7:]
        lazy = self._classify()
        return lazy.name if lazy.kind == _KIND_EVENT else None

    @property
    def is_event(self) -> bool:
        return self._classify().kind == _KIND_EVENT

    @property
    def is_response(self) -> bool:
        """True for a `Response:` frame. `OriginateResponse` carries both and is an event."""
        return self._classify().kind == _KIND_RESPONSE

    @property
    def is_action(self) -> bool:
        return self._classify().kind == _KIND_ACTION

    @property
    def name(self) -> str | None:
        """The Event, Response or Action value (in that order of precedence)."""
        return self._classify().name

    @property
    def action_id(self) -> str | None:
        return self.get("ActionID")

    # -- value semantics -------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self.headers == other.headers and self.body == other.body

    def __hash__(self) -> int:
        return hash((self.headers, self.body))

    def __repr__(self) -> str:
        hs = ", ".join(f"{k}={v!r}" for k, v in self.headers[:6])
        more = f", …+{len(self.headers) - 6}" if len(self.headers) > 6 else ""
        body = f", output={len(self.body)} lines" if self.body else ""
        return f"<Message {hs}{more}{body}>"
