"""Why a monitoring session ended: the record's English sentences, and back to their codes."""

from __future__ import annotations

import pytest

from cti.sip.end_reasons import SENTENCES, EndCode, EndReason, parse

# Sentences as records written by earlier consoles hold them: they must keep parsing.
RECORDED = [
    ("stopped by supervisor", EndCode.STOPPED, ""),
    ("console closed", EndCode.CONSOLE_CLOSED, ""),
    ("the SIP phone was shut down", EndCode.PHONE_SHUT_DOWN, ""),
    (
        "the PBX ended the spy call (200 Normal call clearing)",
        EndCode.PBX_ENDED,
        "200 Normal call clearing",
    ),
    ("monitoring could not start: 486 Busy Here", EndCode.NOT_STARTED, "486 Busy Here"),
    ("could not start monitoring: no account 3", EndCode.START_FAILED, "no account 3"),
    (
        "the PBX refused the Originate: Originate failed",
        EndCode.ORIGINATE_REFUSED,
        "Originate failed",
    ),
    ("no spy call within 8 s", EndCode.CONNECT_TIMEOUT, "8"),
    ("no audio from the PBX for 2.5 s (PBX gone?)", EndCode.NO_AUDIO, "2.5"),
]


@pytest.mark.parametrize(("text", "code", "detail"), RECORDED)
def test_recorded_sentences_parse_to_their_code(text: str, code: EndCode, detail: str) -> None:
    assert parse(text) == EndReason(code, detail)
    assert EndReason(code, detail).text == text


def test_every_code_has_a_sentence_that_round_trips() -> None:
    assert set(SENTENCES) == set(EndCode)
    for code in EndCode:
        # details with the sentence's own punctuation in them: "(", ")", ":"
        reason = EndReason(
            code, "503 (Service Unavailable): retry" if "{}" in SENTENCES[code] else ""
        )
        assert parse(reason.text) == reason


@pytest.mark.parametrize(
    "text", ["hangup", "", "stopped by supervisor!", "Stopped by supervisor", "no spy call within"]
)
def test_other_words_are_not_guessed_at(text: str) -> None:
    assert parse(text) is None
