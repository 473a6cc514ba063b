"""The GSM side in one import (the name agreed in INTERFACES.md): PDU encoding/decoding lives
in `gsm_pdu`, the AT-command driver in `modem`, the outbox drain in `sms_sender`."""

from cti.serial.gsm_pdu import (
    NumberType,
    PduError,
    SmsEncoding,
    SubmitPart,
    count_parts,
    decode_pdu,
    encode_submit,
)
from cti.serial.modem import (
    CmeError,
    CmsError,
    GsmModem,
    ModemCommandError,
    ModemError,
    ModemPortError,
    ModemSettings,
    ModemTimeoutError,
    SendResult,
    SimNotReadyError,
)
from cti.serial.sms_sender import OutboxItem, SmsDispatcher, SmsEvent

__all__ = [
    "CmeError",
    "CmsError",
    "GsmModem",
    "ModemCommandError",
    "ModemError",
    "ModemPortError",
    "ModemSettings",
    "ModemTimeoutError",
    "NumberType",
    "OutboxItem",
    "PduError",
    "SendResult",
    "SimNotReadyError",
    "SmsDispatcher",
    "SmsEncoding",
    "SmsEvent",
    "SubmitPart",
    "count_parts",
    "decode_pdu",
    "encode_submit",
]
