"""Why a monitoring session ended: one code, one detail, one English sentence.

The record keeps the English sentence (exports and logs stay readable on any PC, in any
language, and records written before the codes existed say the same words). The console
shows the reason in the supervisor's language: `parse` turns a recorded sentence back into
its code and detail, so the review can translate what a record holds, not only what this
process saw.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class EndCode(enum.StrEnum):
    STOPPED = "stopped"
    CONSOLE_CLOSED = "console_closed"
    START_FAILED = "start_failed"
    PHONE_SHUT_DOWN = "phone_shut_down"
    PBX_ENDED = "pbx_ended"
    NOT_STARTED = "not_started"
    ORIGINATE_REFUSED = "originate_refused"
    CONNECT_TIMEOUT = "connect_timeout"
    NO_AUDIO = "no_audio"


# The sentences the record has always held; `{}` is the detail (a SIP status, seconds, an
# error). Never reword one: older records would stop parsing.
SENTENCES: dict[EndCode, str] = {
    EndCode.STOPPED: "stopped by supervisor",
    EndCode.CONSOLE_CLOSED: "console closed",
    EndCode.START_FAILED: "could not start monitoring: {}",
    EndCode.PHONE_SHUT_DOWN: "the SIP phone was shut down",
    EndCode.PBX_ENDED: "the PBX ended the spy call ({})",
    EndCode.NOT_STARTED: "monitoring could not start: {}",
    EndCode.ORIGINATE_REFUSED: "the PBX refused the Originate: {}",
    EndCode.CONNECT_TIMEOUT: "no spy call within {} s",
    EndCode.NO_AUDIO: "no audio from the PBX for {} s (PBX gone?)",
}

# Ends the supervisor asked for: nothing to explain to them.
EXPECTED = frozenset({EndCode.STOPPED, EndCode.CONSOLE_CLOSED})


@dataclass(frozen=True)
class EndReason:
    code: EndCode
    detail: str = ""

    @property
    def text(self) -> str:
        """The English sentence the record keeps."""
        return SENTENCES[self.code].replace("{}", self.detail)


def _pattern(sentence: str) -> re.Pattern[str]:
    head, hole, tail = sentence.partition("{}")
    return re.compile(re.escape(head) + ("(.*)" if hole else "") + re.escape(tail) + r"\Z", re.S)


_PATTERNS = [(code, _pattern(sentence)) for code, sentence in SENTENCES.items()]


def parse(text: str) -> EndReason | None:
    """The reason behind a recorded sentence; None for words this console never writes."""
    for code, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return EndReason(code, match.group(1) if match.groups() else "")
    return None
