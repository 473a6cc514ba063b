"""Canonical content of a chained row and the chain hash (the definition `verify` relies on).

canonical(row) = UTF-8 bytes of   HEAD + "\n" + PAYLOAD

    HEAD    = [table, seq, ts_us, supervisor, workstation, c1, c2, ..., ck]   (a JSON array)
    PAYLOAD = the text of the table's payload column, or "" when it has none

- `table` is the table name (e.g. "journal"), `supervisor` and `workstation` are the names of
  the row's actor (not its id), c1..ck are the table's content columns in the order of the
  model's `CONTENT` tuple (db/models.py) without the payload column. `row_hash` is not part
  of it.
- The payload column is the last of `CONTENT` in tables whose model sets `PAYLOAD = True`
  (journal.fields, action_intent.params, record_open / monitor_start / alarm_raised.details,
  floor_snapshot.state): JSON text, appended exactly as stored (never re-parsed or escaped,
  which keeps hashing cheap). It cannot be NULL. HEAD contains no raw line feed (JSON escapes
  them), so the first "\n" separates HEAD from PAYLOAD unambiguously.
- HEAD values are JSON integers (seq, times in microseconds, 0/1 flags, counts), JSON strings
  or null. Never floats or booleans. Written without whitespace, "," between values; strings
  exactly as Python's `json.dumps(..., ensure_ascii=False)` writes them: characters outside
  ASCII as raw UTF-8; `"` and `\\` escaped; \\b \\f \\n \\r \\t as two-character escapes;
  other characters below U+0020 as \\u00xx (lower-case hex); everything else, including
  U+007F and U+2028/U+2029, unescaped.

row_hash(n) = SHA-256( row_hash(n-1) || canonical(row n) ), the previous hash as its 32 raw
bytes. For the first row of a record (seq 1), row_hash(0) is 32 zero bytes. After a retention
cut the chain starts from the `prev_hash` recorded by the newest `retention_cut` row.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

GENESIS = bytes(32)

Value = int | str | None

# json's own string encoder (C when available): the same escaping as
# json.dumps(..., ensure_ascii=False), called directly because building the array by hand is
# several times faster than encoding a list (this runs once per row written or verified).
_quote: Callable[[str], str] = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)
_payload_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
_dumps: Callable[[Any], bytes] = orjson.dumps


def _value(value: Value) -> str:
    if value is None:
        return "null"
    if value.__class__ is str:
        return _quote(value)
    if value.__class__ is int:
        return int.__repr__(value)
    raise TypeError(f"chained columns hold int, str or None, not {type(value).__name__}")


def canonical(
    table: str,
    seq: int,
    ts_us: int,
    supervisor: str,
    workstation: str,
    content: Sequence[Value],
    payload: bool = False,
) -> bytes:
    """The bytes that are hashed for one row (see the module docstring)."""
    head = f"[{_quote(table)},{int(seq)},{int(ts_us)},{_quote(supervisor)},{_quote(workstation)}"
    if payload:
        text = content[-1]
        if text.__class__ is not str:
            raise TypeError("a payload column holds text")
        values = content[:-1]
    else:
        text, values = "", content
    if values:
        head = head + "," + ",".join(map(_value, values))
    return (head + "]\n" + str(text)).encode("utf-8")


def journal_canonical(
    seq: int,
    ts_us: int,
    supervisor: str,
    workstation: str,
    name: str,
    interface: str | None,
    queue: str | None,
    linkedid: str | None,
    fields: Mapping[str, Any],
) -> tuple[bytes, str]:
    """`canonical("journal", ...)` of an event in one step, and its payload text.

    Once per PBX event, the hottest row of the record: orjson writes HEAD and the payload in C.
    It escapes strings exactly as `_quote` does (a test checks every code point) and writes no
    whitespace, so the bytes are those `canonical` gives for (name, interface, queue, linkedid,
    payload text). For the text, lists and integers that headers hold, the payload text is
    also what `json_text` writes. Raises TypeError where orjson stops (a lone surrogate, a
    non-text header name, an integer beyond 64 bits); the caller then takes the general path.
    """
    payload = _dumps(fields)
    head = _dumps(
        ["journal", seq, ts_us, supervisor, workstation, name, interface, queue, linkedid]
    )
    return head + b"\n" + payload, payload.decode()


def chain_hash(prev: bytes, canonical_bytes: bytes) -> bytes:
    return hashlib.sha256(prev + canonical_bytes).digest()


def json_text(value: object) -> str:
    """JSON text for payload columns (keys kept in the caller's order)."""
    return _payload_encoder.encode(value)


def scrub(text: str) -> str:
    """Replace lone surrogates (undecodable bytes smuggled into str) so UTF-8 can store it."""
    return text.encode("utf-8", "replace").decode("utf-8")
