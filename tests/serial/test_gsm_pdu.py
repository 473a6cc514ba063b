"""SMS PDU vectors (3GPP TS 23.040 / 23.038): published examples, UCS-2, concatenation."""

from __future__ import annotations

import pytest

from cti.serial.gsm_pdu import (
    NumberType,
    PduError,
    SmsEncoding,
    count_parts,
    decode_pdu,
    encode_submit,
    gsm7_septets,
    pack_septets,
    unpack_septets,
)

# The widely published SMS-SUBMIT example ("hellohello" to +46708251358, VP 4 days).
PUBLISHED_SUBMIT = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37"
# And its SMS-DELIVER companion (SMSC +27381000015, sender 27838890001, 1999-03-29).
PUBLISHED_DELIVER = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37"


def test_published_submit_is_reproduced_exactly() -> None:
    (part,) = encode_submit("+46708251358", "hellohello", validity=0xAA)
    assert part.hex == PUBLISHED_SUBMIT
    assert part.tpdu_length == 23  # AT+CMGS=23: everything after the 00 SMSC octet


def test_published_submit_decodes() -> None:
    d = decode_pdu(PUBLISHED_SUBMIT)
    assert d.message_type == "SMS-SUBMIT"
    assert d.smsc is None and d.first_octet == 0x11 and d.message_reference == 0
    assert d.number == "+46708251358" and d.number_type == 0x91
    assert (d.protocol_id, d.dcs, d.validity) == (0, 0, 0xAA)
    assert d.encoding is SmsEncoding.GSM7 and d.user_data_length == 10
    assert d.text == "hellohello" and d.concat is None and d.tpdu_length == 23


def test_published_deliver_decodes() -> None:
    d = decode_pdu(PUBLISHED_DELIVER)
    assert d.message_type == "SMS-DELIVER"
    assert d.smsc == "+27381000015"
    assert d.number == "27838890001" and d.number_type == 0xC8
    assert d.timestamp == "990329151659+08"
    assert d.text == "hellohello"


def test_chinese_single_part_by_hand() -> None:
    # 你好 = U+4F60 U+597D; 13800138000 as semi-octets 31 08 10 83 00 F0, type 81 (unknown);
    # first octet 11 (SUBMIT, relative VP), MR 00, PID 00, DCS 08 (UCS-2), VP A7 (24 h), UDL 4.
    (part,) = encode_submit("13800138000", "你好")
    assert part.hex == "0011000B813108108300F00008A7044F60597D"
    assert part.encoding is SmsEncoding.UCS2
    d = decode_pdu(part.hex)
    assert (d.number, d.number_type, d.dcs, d.text) == ("13800138000", 0x81, 0x08, "你好")


def test_number_formats() -> None:
    (intl,) = encode_submit("+86 138-0013-8000", "x")
    d = decode_pdu(intl.hex)
    assert d.number == "+8613800138000" and d.number_type == NumberType.INTERNATIONAL
    (nat,) = encode_submit("02161234567", "x", local_type=NumberType.NATIONAL)
    assert decode_pdu(nat.hex).number_type == 0xA1
    (star,) = encode_submit("*100#", "x")
    assert decode_pdu(star.hex).number == "*100#"
    for bad in ("", "+", "call me", "12345678901234567890123"):
        with pytest.raises(PduError):
            encode_submit(bad, "x")


def test_gsm7_extension_characters_cost_two_septets() -> None:
    assert gsm7_septets("€[x]") == [0x1B, 0x65, 0x1B, 0x3C, 0x78, 0x1B, 0x3E]
    assert gsm7_septets("温") is None
    (part,) = encode_submit("+1555", "Price: 5€ {ok}")
    assert decode_pdu(part.hex).text == "Price: 5€ {ok}"


def test_septet_packing_roundtrip_with_fill_bits() -> None:
    septets = [0x41 + (i % 26) for i in range(37)]
    for fill in range(7):
        packed = pack_septets(septets, fill)
        assert unpack_septets(packed, len(septets), fill) == septets


@pytest.mark.parametrize(
    ("text", "ref", "encoding", "per_part", "udh_prefix"),
    [
        ("A" * 161, 0x2A, SmsEncoding.GSM7, 153, "0500032A"),
        ("A" * 161, 0x1234, SmsEncoding.GSM7, 152, "0608041234"),
        ("排" * 71, 0x2A, SmsEncoding.UCS2, 67, "0500032A"),
        ("排" * 71, 0x1234, SmsEncoding.UCS2, 66, "0608041234"),
    ],
)
def test_concatenation_limits_and_headers(
    text: str, ref: int, encoding: SmsEncoding, per_part: int, udh_prefix: str
) -> None:
    parts = encode_submit("+8613800138000", text, concat_ref=ref)
    assert len(parts) == 2
    assert [len(p.text) for p in parts] == [per_part, len(text) - per_part]
    for i, p in enumerate(parts, start=1):
        d = decode_pdu(p.hex)
        assert d.first_octet & 0x40  # TP-UDHI
        assert d.udh.hex().upper() == f"{udh_prefix}02{i:02X}"
        assert d.concat is not None and (d.concat.reference, d.concat.total, d.concat.index) == (
            ref,
            2,
            i,
        )
        assert d.encoding is encoding
        assert p.tpdu_length == len(p.pdu) - 1
    assert "".join(decode_pdu(p.hex).text for p in parts) == text
    # a full part fills the 140 user-data octets (UCS-2 after a 7-octet header: 139, as the
    # 133 octets left hold 66 two-octet characters); 15 = TPDU octets before the user data
    assert decode_pdu(parts[0].hex).tpdu_length - 15 in (139, 140)


def test_single_part_limits() -> None:
    assert count_parts("a" * 160) == 1
    assert count_parts("a" * 161) == 2
    assert count_parts("中" * 70) == 1
    assert count_parts("中" * 71) == 2
    assert count_parts("€" * 80) == 1  # 160 septets
    assert count_parts("€" * 81) == 2


def test_escape_sequences_and_surrogates_are_never_split() -> None:
    text = "a" * 152 + "€" + "b" * 10  # € would straddle septets 153/154
    parts = encode_submit("+1", text, concat_ref=1)
    assert parts[0].text == "a" * 152 and parts[1].text.startswith("€")
    emoji = "队" * 66 + "🚨" + "列" * 5  # the siren needs 2 UTF-16 units
    parts = encode_submit("+1", emoji, concat_ref=2)
    assert parts[0].text == "队" * 66 and parts[1].text.startswith("🚨")
    assert "".join(decode_pdu(p.hex).text for p in parts) == emoji


def test_multipart_requires_a_reference_and_at_most_255_parts() -> None:
    with pytest.raises(PduError, match="concatenation reference"):
        encode_submit("+1", "x" * 200)
    with pytest.raises(PduError, match="255"):
        encode_submit("+1", "中" * (67 * 255 + 1), concat_ref=3)


def test_status_report_and_no_validity() -> None:
    (p,) = encode_submit("+1", "hi", status_report=True, validity=None)
    d = decode_pdu(p.hex)
    assert d.first_octet == 0x21 and d.validity is None and d.text == "hi"


def test_smsc_field() -> None:
    (p,) = encode_submit("+46708251358", "hellohello", smsc="+8613800100500")
    assert p.hex.startswith("0891683108100005F0")
    d = decode_pdu(p.hex)
    assert d.smsc == "+8613800100500" and d.text == "hellohello"
    assert p.tpdu_length == len(p.pdu) - 9


@pytest.mark.parametrize("bad", ["zz", "0011", "0011000B916407281553F80000AA0AE832"])
def test_malformed_pdus_raise_pdu_error(bad: str) -> None:
    with pytest.raises(PduError):
        decode_pdu(bad)
