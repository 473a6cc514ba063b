"""SMS PDUs per 3GPP TS 23.040 (SMS-SUBMIT encoder; SUBMIT/DELIVER decoder) with the GSM
7-bit default alphabet and UCS-2 per TS 23.038.

Rules applied (and why):
- GSM 7-bit when every character is in the default alphabet or its extension table (an
  extension character, e.g. "€" or "[", costs two septets: escape + code); otherwise UCS-2
  (big-endian UTF-16) so Chinese arrives intact. Characters beyond the BMP (emoji) go as
  surrogate pairs, which is what phones do.
- One part holds 160 septets / 70 UCS-2 characters. Longer texts are split into
  concatenated parts with a User Data Header: IEI 00H (8-bit reference, 6-octet UDH → 153
  septets / 67 characters per part) or IEI 08H (16-bit reference, 7-octet UDH → 152 / 66).
  A part never ends in the middle of an escape sequence or a surrogate pair. At most 255
  parts.
- With a UDH in 7-bit mode, fill bits pad the header to a septet boundary and TP-UDL counts
  septets including header and fill (TS 23.040 9.2.3.24).
- The caller supplies the concatenation reference: the outbox stores it with the message, so
  a retried part carries the same reference and the phone can still assemble the message.
- Destination number: a leading "+" means international (type of address 91H); otherwise
  the number is sent as dialled with type "unknown" (81H) — what phones do and what the
  network expects for a domestic mobile number like 13800138000 — or "national" (A1H) when
  asked. "*" and "#" are allowed (semi-octets A and B).
- SMS-SUBMIT first octet: TP-MTI=01, TP-VPF=relative (validity 24 h by default), TP-UDHI
  when there is a header, TP-SRR when a status report is requested. TP-MR=00: the modem
  assigns the reference it reports in +CMGS.
- The PDU given to AT+CMGS starts with a zero-length SMSC field (00 = the SMSC stored in the
  SIM); the length argument of AT+CMGS counts the TPDU only (`SubmitPart.tpdu_length`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# 3GPP TS 23.038 6.2.1: the default alphabet (index = septet value); 1BH is the escape.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_ESCAPE = 0x1B
# 6.2.1.1: extension table (after the escape).
GSM7_EXTENSION = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
_BASIC_INDEX = {c: i for i, c in enumerate(GSM7_BASIC) if i != GSM7_ESCAPE}
_EXTENSION_CHAR = {v: k for k, v in GSM7_EXTENSION.items()}

assert len(GSM7_BASIC) == 128

DCS_GSM7 = 0x00
DCS_UCS2 = 0x08
VP_24_HOURS = 0xA7  # relative validity: 12 h + (167 - 143) x 30 min
IEI_CONCAT_8BIT = 0x00
IEI_CONCAT_16BIT = 0x08
MAX_PARTS = 255


class SmsEncoding(enum.Enum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


class NumberType(enum.IntEnum):
    """Type of address octet (TON + NPI E.164)."""

    UNKNOWN = 0x81
    INTERNATIONAL = 0x91
    NATIONAL = 0xA1


class PduError(ValueError):
    """Cannot encode (bad number, text too long) or decode (malformed PDU)."""


# --------------------------------------------------------------------------- 7-bit alphabet


def gsm7_septets(text: str) -> list[int] | None:
    """Septets for `text`, or None if any character is not in the GSM 7-bit alphabet."""
    out: list[int] = []
    for ch in text:
        idx = _BASIC_INDEX.get(ch)
        if idx is not None:
            out.append(idx)
            continue
        ext = GSM7_EXTENSION.get(ch)
        if ext is None:
            return None
        out += (GSM7_ESCAPE, ext)
    return out


def gsm7_decode(septets: list[int]) -> str:
    out: list[str] = []
    escaped = False
    for s in septets:
        if escaped:
            # Unknown extension codes show the basic character (TS 23.038 6.2.1.1 note).
            out.append(_EXTENSION_CHAR.get(s, GSM7_BASIC[s] if s != GSM7_ESCAPE else " "))
            escaped = False
        elif s == GSM7_ESCAPE:
            escaped = True
        else:
            out.append(GSM7_BASIC[s])
    return "".join(out)


def pack_septets(septets: list[int], fill_bits: int = 0) -> bytes:
    acc = 0
    nbits = fill_bits
    out = bytearray()
    for s in septets:
        acc |= (s & 0x7F) << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits > 0:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack_septets(data: bytes, count: int, fill_bits: int = 0) -> list[int]:
    acc = 0
    nbits = 0
    out: list[int] = []
    skip = fill_bits
    for b in data:
        acc |= b << nbits
        nbits += 8
        if skip:
            acc >>= skip
            nbits -= skip
            skip = 0
        while nbits >= 7 and len(out) < count:
            out.append(acc & 0x7F)
            acc >>= 7
            nbits -= 7
    if len(out) < count:
        raise PduError(f"user data holds {len(out)} septets, header says {count}")
    return out


# --------------------------------------------------------------------------- addresses


def normalise_number(number: str) -> str:
    cleaned = "".join(c for c in number.strip() if c not in " -().")
    body = cleaned[1:] if cleaned.startswith("+") else cleaned
    if not body or any(c not in "0123456789*#" for c in body):
        raise PduError(f"{number!r} is not a phone number (digits, optional leading +)")
    if len(body) > 20:
        raise PduError(f"phone number {number!r} is longer than 20 digits")
    return cleaned


def _semi_octets(digits: str) -> bytes:
    table = {"*": 0xA, "#": 0xB}
    nibbles = [table[d] if d in table else int(d) for d in digits]
    if len(nibbles) % 2:
        nibbles.append(0xF)
    return bytes(nibbles[i] | (nibbles[i + 1] << 4) for i in range(0, len(nibbles), 2))


def encode_address(number: str, local_type: NumberType = NumberType.UNKNOWN) -> bytes:
    """TP-DA: digit count, type of address, semi-octets."""
    cleaned = normalise_number(number)
    if cleaned.startswith("+"):
        digits, toa = cleaned[1:], NumberType.INTERNATIONAL
    else:
        digits, toa = cleaned, local_type
    return bytes((len(digits), int(toa))) + _semi_octets(digits)


def _decode_semi_octets(data: bytes, digits: int) -> str:
    chars = "0123456789*#abc"
    out: list[str] = []
    for b in data:
        for nib in (b & 0x0F, b >> 4):
            if len(out) < digits and nib != 0xF:
                out.append(chars[nib])
    return "".join(out)


def _decode_address(data: bytes, pos: int) -> tuple[str, int, int]:
    """(number, type of address, next position) for TP-OA/TP-DA at `pos`."""
    if pos + 2 > len(data):
        raise PduError("PDU ends inside an address")
    digits = data[pos]
    toa = data[pos + 1]
    n_octets = (digits + 1) // 2
    raw = data[pos + 2 : pos + 2 + n_octets]
    if len(raw) < n_octets:
        raise PduError("PDU ends inside an address")
    if (toa & 0x70) == 0x50:  # alphanumeric sender (TON 101): packed 7-bit
        text = gsm7_decode(unpack_septets(raw, digits * 4 // 7))
        return text, toa, pos + 2 + n_octets
    number = _decode_semi_octets(raw, digits)
    if (toa & 0x70) == 0x10:
        number = "+" + number
    return number, toa, pos + 2 + n_octets


def _encode_smsc(smsc: str | None) -> bytes:
    if not smsc:
        return b"\x00"
    addr = encode_address(smsc)
    # SMSC length counts octets (type + semi-octets), unlike TP-DA which counts digits.
    return bytes((len(addr) - 1,)) + addr[1:]


# --------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class SubmitPart:
    """One SMS-SUBMIT ready for AT+CMGS.

    Attributes:
        pdu: SMSC field + TPDU.
        tpdu_length: the AT+CMGS length argument (octets after the SMSC field).
        index: 1-based part number; total: number of parts.
        reference: concatenation reference (None for a single-part message).
        text: the characters carried by this part.
    """

    pdu: bytes
    tpdu_length: int
    index: int
    total: int
    reference: int | None
    text: str
    encoding: SmsEncoding

    @property
    def hex(self) -> str:
        return self.pdu.hex().upper()


def choose_encoding(text: str) -> SmsEncoding:
    return SmsEncoding.GSM7 if gsm7_septets(text) is not None else SmsEncoding.UCS2


def _split_gsm7(text: str, budget: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = 2 if ch in GSM7_EXTENSION else 1
        if used + cost > budget:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    if current or not parts:
        parts.append("".join(current))
    return parts


def _split_ucs2(text: str, budget_units: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        cost = 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair stays in one part
        if used + cost > budget_units:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += cost
    if current or not parts:
        parts.append("".join(current))
    return parts


def _ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-be")) // 2


def split_text(text: str, ref16: bool = False) -> tuple[SmsEncoding, list[str]]:
    """Encoding and the text of each part (one part when it fits without a header)."""
    encoding = choose_encoding(text)
    if encoding is SmsEncoding.GSM7:
        septets = gsm7_septets(text)
        assert septets is not None
        if len(septets) <= 160:
            return encoding, [text]
        return encoding, _split_gsm7(text, 152 if ref16 else 153)
    if _ucs2_units(text) <= 70:
        return encoding, [text]
    return encoding, _split_ucs2(text, 66 if ref16 else 67)


def count_parts(text: str) -> int:
    return len(split_text(text)[1])


# --------------------------------------------------------------------------- encoding


def encode_submit(
    number: str,
    text: str,
    *,
    concat_ref: int | None = None,
    local_type: NumberType = NumberType.UNKNOWN,
    validity: int | None = VP_24_HOURS,
    status_report: bool = False,
    smsc: str | None = None,
    force_ucs2: bool = False,
) -> list[SubmitPart]:
    """SMS-SUBMIT PDUs for `text` to `number`.

    `concat_ref` is required when the text needs more than one part (0..255 uses IEI 00H,
    256..65535 IEI 08H).
    """
    if concat_ref is not None and not 0 <= concat_ref <= 0xFFFF:
        raise PduError("concatenation reference must be 0..65535")
    ref16 = concat_ref is not None and concat_ref > 0xFF
    if force_ucs2:
        encoding = SmsEncoding.UCS2
        pieces = [text] if _ucs2_units(text) <= 70 else _split_ucs2(text, 66 if ref16 else 67)
    else:
        encoding, pieces = split_text(text, ref16)
    total = len(pieces)
    if total > MAX_PARTS:
        raise PduError(f"text needs {total} SMS parts; at most {MAX_PARTS} are possible")
    if total > 1 and concat_ref is None:
        raise PduError(f"text needs {total} parts: a concatenation reference is required")
    dest = encode_address(number, local_type)
    smsc_field = _encode_smsc(smsc)
    parts: list[SubmitPart] = []
    for index, piece in enumerate(pieces, start=1):
        udh = b""
        if total > 1:
            assert concat_ref is not None
            if ref16:
                ie = bytes((IEI_CONCAT_16BIT, 4, concat_ref >> 8, concat_ref & 0xFF, total, index))
            else:
                ie = bytes((IEI_CONCAT_8BIT, 3, concat_ref, total, index))
            udh = bytes((len(ie),)) + ie
        if encoding is SmsEncoding.GSM7:
            septets = gsm7_septets(piece)
            assert septets is not None
            fill = (7 - (len(udh) * 8) % 7) % 7 if udh else 0
            ud = udh + pack_septets(septets, fill)
            udl = (len(udh) * 8 + fill) // 7 + len(septets)
            dcs = DCS_GSM7
        else:
            body = piece.encode("utf-16-be")
            ud = udh + body
            udl = len(ud)
            dcs = DCS_UCS2
        first = 0x01
        if validity is not None:
            first |= 0x10  # TP-VPF = relative
        if status_report:
            first |= 0x20
        if udh:
            first |= 0x40
        tpdu = bytes((first, 0x00)) + dest + bytes((0x00, dcs))
        if validity is not None:
            if not 0 <= validity <= 255:
                raise PduError("relative validity must be 0..255")
            tpdu += bytes((validity,))
        tpdu += bytes((udl,)) + ud
        if len(ud) > 140:
            raise PduError(f"part {index} user data is {len(ud)} octets (max 140)")
        parts.append(
            SubmitPart(
                pdu=smsc_field + tpdu,
                tpdu_length=len(tpdu),
                index=index,
                total=total,
                reference=concat_ref if total > 1 else None,
                text=piece,
                encoding=encoding,
            )
        )
    return parts


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class ConcatInfo:
    reference: int
    total: int
    index: int


@dataclass(frozen=True)
class DecodedPdu:
    """The fields of an SMS-SUBMIT or SMS-DELIVER.

    `number` is the destination (SUBMIT) or originator (DELIVER); `validity` is the raw
    relative VP octet (None if absent or not relative); `timestamp` the raw SCTS semi-octets
    of a DELIVER as "YYMMDDhhmmss+tz".
    """

    message_type: str  # "SMS-SUBMIT" | "SMS-DELIVER"
    smsc: str | None
    first_octet: int
    message_reference: int | None
    number: str
    number_type: int
    protocol_id: int
    dcs: int
    encoding: SmsEncoding | None  # None = 8-bit data
    validity: int | None
    timestamp: str | None
    user_data_length: int
    udh: bytes
    concat: ConcatInfo | None
    text: str
    tpdu_length: int


def _parse_concat(udh: bytes) -> ConcatInfo | None:
    i = 1  # skip UDHL
    while i + 2 <= len(udh):
        iei, length = udh[i], udh[i + 1]
        value = udh[i + 2 : i + 2 + length]
        if iei == IEI_CONCAT_8BIT and length == 3:
            return ConcatInfo(value[0], value[1], value[2])
        if iei == IEI_CONCAT_16BIT and length == 4:
            return ConcatInfo((value[0] << 8) | value[1], value[2], value[3])
        i += 2 + length
    return None


def _alphabet(dcs: int) -> SmsEncoding | None:
    group = dcs & 0xF0
    if (dcs & 0xC0) == 0x00:  # general data coding
        alpha = (dcs >> 2) & 0x03
        return {0: SmsEncoding.GSM7, 1: None, 2: SmsEncoding.UCS2}.get(alpha, SmsEncoding.GSM7)
    if group == 0xF0:
        return None if dcs & 0x04 else SmsEncoding.GSM7
    if group == 0xE0:
        return SmsEncoding.UCS2
    return SmsEncoding.GSM7


def decode_pdu(pdu: str | bytes, *, has_smsc: bool = True) -> DecodedPdu:
    """Decode a PDU as given to AT+CMGS / read with AT+CMGL (hex string or bytes)."""
    try:
        data = bytes.fromhex(pdu) if isinstance(pdu, str) else bytes(pdu)
    except ValueError as exc:
        raise PduError(f"PDU is not hexadecimal: {exc}") from exc
    try:
        return _decode(data, has_smsc)
    except IndexError as exc:
        raise PduError("PDU is truncated") from exc


def _decode(data: bytes, has_smsc: bool) -> DecodedPdu:
    pos = 0
    smsc: str | None = None
    if has_smsc:
        smsc_len = data[0]
        if smsc_len:
            toa = data[1]
            smsc = _decode_semi_octets(data[2 : 1 + smsc_len], (smsc_len - 1) * 2)
            if (toa & 0x70) == 0x10:
                smsc = "+" + smsc
        pos = 1 + smsc_len
    tpdu_start = pos
    first = data[pos]
    pos += 1
    mti = first & 0x03
    mr: int | None = None
    if mti == 0x01:
        message_type = "SMS-SUBMIT"
        mr = data[pos]
        pos += 1
    elif mti == 0x00:
        message_type = "SMS-DELIVER"
    else:
        raise PduError(f"unsupported message type indicator {mti}")
    number, toa, pos = _decode_address(data, pos)
    pid = data[pos]
    dcs = data[pos + 1]
    pos += 2
    validity: int | None = None
    timestamp: str | None = None
    if message_type == "SMS-SUBMIT":
        vpf = (first >> 3) & 0x03
        if vpf == 0b10:
            validity = data[pos]
            pos += 1
        elif vpf in (0b01, 0b11):
            pos += 7
    else:
        raw = data[pos : pos + 7]
        if len(raw) < 7:
            raise PduError("PDU ends inside the timestamp")
        digits = _decode_semi_octets(raw, 14)
        timestamp = digits[:12] + "+" + digits[12:]
        pos += 7
    udl = data[pos]
    pos += 1
    ud = data[pos:]
    encoding = _alphabet(dcs)
    udh = b""
    if first & 0x40:
        udh_len = ud[0]
        udh = ud[: 1 + udh_len]
        if len(udh) < 1 + udh_len:
            raise PduError("PDU ends inside the user data header")
    if encoding is SmsEncoding.GSM7:
        fill = (7 - (len(udh) * 8) % 7) % 7 if udh else 0
        header_septets = (len(udh) * 8 + fill) // 7
        septets = unpack_septets(ud[len(udh) :], udl - header_septets, fill)
        text = gsm7_decode(septets)
    else:
        body = ud[len(udh) : udl]
        if len(ud) < udl:
            raise PduError(f"user data is {len(ud)} octets, header says {udl}")
        text = body.decode("utf-16-be", "replace") if encoding is SmsEncoding.UCS2 else body.hex()
    return DecodedPdu(
        message_type=message_type,
        smsc=smsc,
        first_octet=first,
        message_reference=mr,
        number=number,
        number_type=toa,
        protocol_id=pid,
        dcs=dcs,
        encoding=encoding,
        validity=validity,
        timestamp=timestamp,
        user_data_length=udl,
        udh=udh,
        concat=_parse_concat(udh) if udh else None,
        text=text,
        tpdu_length=len(data) - tpdu_start,
    )
