"""GSM modem driver + outbox → real pseudo-terminal → modem simulator (decodes PDUs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from serial_ptys import SocatPair

from cti.serial.modem import (
    CmsError,
    GsmModem,
    ModemPortError,
    ModemSettings,
    ModemTimeoutError,
    SimNotReadyError,
)
from cti.serial.sim.modem import ModemSimulator
from cti.serial.sms_sender import SmsDispatcher, SmsEvent
from db.outbox import FAILED, PENDING, SENT, SmsOutbox

pytestmark = pytest.mark.serial

ALARM_ZH = (
    "【962740 供水热线告警】城区队列排队 12 人，最长等待 3 分 05 秒，"
    "本时段服务水平 62%（目标 90%）。值班长已确认，请值班经理尽快回电。"
)


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sims() -> Iterator[list[ModemSimulator]]:
    started: list[ModemSimulator] = []
    yield started
    for sim in started:
        sim.stop()


def start_modem(sims: list[ModemSimulator], port: str, **kw: object) -> ModemSimulator:
    sim = ModemSimulator(port, **kw)  # type: ignore[arg-type]
    sim.start()
    sims.append(sim)
    return sim


@pytest.mark.timeout(30)
def test_chinese_multipart_sms_arrives_exactly(
    pty_pair: SocatPair, sims: list[ModemSimulator]
) -> None:
    sim = start_modem(sims, pty_pair.b)
    with GsmModem(ModemSettings(pty_pair.a)) as modem:
        result = modem.send_sms("+8613800138000", ALARM_ZH, concat_ref=0x5A)
    assert result.parts == 2 and result.references == (1, 2)
    assert sim.wait_for_messages(1, 10)
    (sms,) = sim.messages
    assert (sms.to, sms.text, sms.parts, sms.encoding) == ("+8613800138000", ALARM_ZH, 2, "ucs2")
    assert [p.decoded.concat.reference for p in sim.parts] == [0x5A, 0x5A]  # type: ignore[union-attr]
    # the conversation the modem saw (echo was on until ATE0)
    assert sim.commands == ["AT", "ATE0", "AT+CMEE=1", "AT+CPIN?", "AT+CMGF=0"] + [
        f"AT+CMGS={len(bytes.fromhex(p.pdu_hex)) - 1}" for p in sim.parts
    ]


@pytest.mark.timeout(30)
def test_gsm7_text_with_extension_characters(
    pty_pair: SocatPair, sims: list[ModemSimulator]
) -> None:
    sim = start_modem(sims, pty_pair.b)
    text = "Queue [VIP]: SL 62% < 90% target; ~3 min wait; cost 5€ {test}"
    with GsmModem(ModemSettings(pty_pair.a)) as modem:
        modem.send_sms("13800138000", text)
    assert sim.wait_for_messages(1, 10)
    assert sim.messages[0].text == text and sim.messages[0].encoding == "gsm7"


@pytest.mark.timeout(30)
def test_cms_error_is_reported_with_its_meaning(
    pty_pair: SocatPair, sims: list[ModemSimulator]
) -> None:
    start_modem(sims, pty_pair.b, cms_errors=[331, 1])
    with GsmModem(ModemSettings(pty_pair.a)) as modem:
        with pytest.raises(CmsError) as transient:
            modem.send_sms("+8613800138000", "x")
        assert transient.value.code == 331 and transient.value.retryable
        assert "no network service" in str(transient.value)
        with pytest.raises(CmsError) as permanent:
            modem.send_sms("+8613800138000", "x")
        assert permanent.value.code == 1 and not permanent.value.retryable
        assert str(permanent.value) == (
            "modem refused the SMS: +CMS ERROR 1 (unassigned (unallocated) number)"
        )
        assert modem.send_sms("+8613800138000", "x").references == (1,)  # third time works


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("pin", "match"),
    [("SIM PIN", "needs its PIN"), ("SIM PUK", "needs its PUK"), ("absent", "SIM not inserted")],
)
def test_sim_problems_are_named(
    pty_pair: SocatPair, sims: list[ModemSimulator], pin: str, match: str
) -> None:
    start_modem(sims, pty_pair.b, pin=pin)
    with GsmModem(ModemSettings(pty_pair.a)) as modem, pytest.raises(SimNotReadyError, match=match):
        modem.initialise()


@pytest.mark.timeout(30)
def test_network_that_never_answers_times_out_in_doubt(
    pty_pair: SocatPair, sims: list[ModemSimulator]
) -> None:
    sim = start_modem(sims, pty_pair.b, stall=True)
    settings = ModemSettings(pty_pair.a, send_timeout=0.5)
    with GsmModem(settings) as modem, pytest.raises(ModemTimeoutError) as err:
        modem.send_sms("+8613800138000", "hello")
    assert err.value.in_doubt and err.value.retryable
    assert "may have been sent" in str(err.value)
    assert len(sim.parts) == 1


@pytest.mark.timeout(30)
def test_no_modem_on_the_port(pty_pair: SocatPair, tmp_path: Path) -> None:
    # Nobody answers on the other end of the pty: AT is retried, then a clear message.
    settings = ModemSettings(pty_pair.a, command_timeout=0.3, init_attempts=2)
    with GsmModem(settings) as modem, pytest.raises(ModemTimeoutError, match="no modem answers"):
        modem.initialise()
    with (
        GsmModem(ModemSettings(str(tmp_path / "ttyUSB9"))) as modem,
        pytest.raises(ModemPortError, match="does not exist"),
    ):
        modem.initialise()


@pytest.mark.timeout(60)
def test_unplug_mid_send_keeps_the_message_and_resends_once_the_port_returns(
    pty_pair: SocatPair, sims: list[ModemSimulator], tmp_path: Path
) -> None:
    clock = Clock()
    outbox = SmsOutbox(tmp_path / "outbox.sqlite", now=clock.now)
    settings = ModemSettings(pty_pair.a, send_timeout=30.0)
    dispatcher = SmsDispatcher(outbox, lambda: GsmModem(settings), clock, retry_initial=20.0)
    try:
        stalled = start_modem(sims, pty_pair.b, stall=True)  # takes the PDU, answers nothing
        mid = outbox.enqueue("+8613800138000", ALARM_ZH, now=clock.now)
        events: list[SmsEvent] = []
        worker = threading.Thread(target=lambda: events.extend(dispatcher.poll()))
        worker.start()
        assert stalled.wait_for_parts(1, 10)  # part 1 is in the modem, no +CMGS yet
        pty_pair.kill()  # unplugged mid-send
        worker.join(20)
        assert not worker.is_alive()
        (event,) = events
        assert event.kind == "retry" and event.message_id == mid
        assert event.possible_duplicate  # the modem had the PDU: it may have gone out
        assert event.error is not None and "may have been sent" in event.error
        item = outbox.get(mid)
        assert (item.status, item.parts_sent, item.attempts) == (PENDING, 0, 1)
        # port back (same device name); the modem sends nothing until the retry is due
        pty_pair.start()
        fresh = start_modem(sims, pty_pair.b)
        clock.now += 19.0
        assert dispatcher.poll() == []
        clock.now += 1.0
        (event,) = dispatcher.poll()
        assert event.kind == "sent" and event.references == (1, 2)
        assert fresh.wait_for_messages(1, 10)
        (sms,) = fresh.messages
        assert sms.text == ALARM_ZH and sms.to == "+8613800138000"
        assert len(fresh.parts) == 2  # each part exactly once on the new port
        assert outbox.get(mid).status == SENT
        assert dispatcher.poll() == [] and len(fresh.parts) == 2  # never again
    finally:
        dispatcher.close()
        outbox.close()


@pytest.mark.timeout(60)
def test_outbox_survives_restart_and_unplugged_modem(
    pty_pair: SocatPair, sims: list[ModemSimulator], tmp_path: Path
) -> None:
    clock = Clock()
    path = tmp_path / "outbox.sqlite"
    settings = ModemSettings(pty_pair.a)
    pty_pair.kill()  # modem unplugged from the start
    first = SmsOutbox(path, now=clock.now)
    d1 = SmsDispatcher(first, lambda: GsmModem(settings), clock, retry_initial=10.0)
    mid = first.enqueue("13800138000", "夜班告警：投诉队列排队 8 人", now=clock.now)
    (event,) = d1.poll()
    assert event.kind == "retry" and "does not exist" in (event.error or "")
    assert not event.possible_duplicate  # never reached a modem
    d1.close()
    first.close()  # console restarted
    second = SmsOutbox(path, now=clock.now)
    d2 = SmsDispatcher(second, lambda: GsmModem(settings), clock, retry_initial=10.0)
    try:
        pty_pair.start()
        sim = start_modem(sims, pty_pair.b)
        clock.now += 10.0
        (event,) = d2.poll()
        assert event.kind == "sent"
        assert sim.wait_for_messages(1, 10)
        assert sim.messages[0].text == "夜班告警：投诉队列排队 8 人"
        assert second.get(mid).status == SENT
    finally:
        d2.close()
        second.close()


@pytest.mark.timeout(30)
def test_permanent_refusal_marks_failed(
    pty_pair: SocatPair, sims: list[ModemSimulator], tmp_path: Path
) -> None:
    clock = Clock()
    start_modem(sims, pty_pair.b, cms_errors=[1])
    outbox = SmsOutbox(tmp_path / "o.sqlite", now=clock.now)
    dispatcher = SmsDispatcher(outbox, lambda: GsmModem(ModemSettings(pty_pair.a)), clock)
    try:
        mid = outbox.enqueue("+8613800000000", "x", now=clock.now)
        (event,) = dispatcher.poll()
        assert event.kind == "failed" and "unassigned" in (event.error or "")
        assert outbox.get(mid).status == FAILED
    finally:
        dispatcher.close()
        outbox.close()
