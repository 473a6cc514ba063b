"""Durable SMS outbox + dispatcher: survives restarts, resumes multi-part messages, retries
transient failures, gives up (visibly) on permanent ones. A hand-written fake modem stands in
for the device here; the pty tests use the real driver and the modem simulator."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from cti.serial.gsm_pdu import SubmitPart, decode_pdu
from cti.serial.modem import CmsError, ModemError, ModemPortError, ModemTimeoutError
from cti.serial.sms_sender import SmsDispatcher
from db.outbox import FAILED, PENDING, SENDING, SENT, OutboxError, SmsOutbox

LONG_CHINESE = (
    "供热热线告警：城区队列排队 12 人，最长等待 3 分 05 秒，服务水平 62%。请值班经理回电。"
) * 2


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeModem:
    """Accepts parts and hands out references; `script` injects failures per call."""

    def __init__(self, script: list[ModemError | None] | None = None) -> None:
        self.script = list(script or [])
        self.sent: list[SubmitPart] = []
        self.ready = True
        self.closed = 0
        self._ref = 40

    def send_part(self, part: SubmitPart) -> int:
        step = self.script.pop(0) if self.script else None
        if step is not None:
            if isinstance(step, ModemPortError):
                self.ready = False
            raise step
        self.sent.append(part)
        self._ref += 1
        return self._ref

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def outbox(tmp_path: Path) -> SmsOutbox:
    box = SmsOutbox(tmp_path / "outbox.sqlite", now=1000.0, rng=random.Random(7))
    yield box  # type: ignore[misc]
    box.close()


def test_enqueued_message_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    box = SmsOutbox(path, now=1.0)
    mid = box.enqueue("+8613800138000", "VIP 队列排队 12 人", now=1.0)
    box.close()
    box2 = SmsOutbox(path, now=2.0)
    try:
        (item,) = box2.due(now=2.0)
        assert (item.message_id, item.text, item.status) == (mid, "VIP 队列排队 12 人", PENDING)
        assert box2.recovered == 0
    finally:
        box2.close()


def test_crash_while_sending_is_recovered_as_possible_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    box = SmsOutbox(path, now=1.0)
    mid = box.enqueue("+1555", "x" * 200, now=1.0)
    box.mark_sending(mid, now=2.0, parts_total=2)
    box.record_part(mid, 1, 77, now=2.5)
    box.close()  # "crash": part 2 was handed to the modem, nothing recorded
    box2 = SmsOutbox(path, now=10.0)
    try:
        assert box2.recovered == 1
        item = box2.get(mid)
        assert item.status == PENDING and item.possible_duplicate
        assert item.parts_sent == 1 and item.references == (77,)
        assert "interrupted" in (item.last_error or "")
    finally:
        box2.close()


def test_dispatcher_sends_all_parts_with_the_stored_reference(outbox: SmsOutbox) -> None:
    clock = Clock()
    modem = FakeModem()
    disp = SmsDispatcher(outbox, lambda: modem, clock)  # type: ignore[arg-type,return-value]
    mid = outbox.enqueue("13800138000", LONG_CHINESE, now=clock.now)
    stored_ref = outbox.get(mid).concat_ref
    (event,) = disp.poll()
    assert event.kind == "sent" and event.references == (41, 42)
    assert [decode_pdu(p.hex).concat.reference for p in modem.sent] == [stored_ref] * 2  # type: ignore[union-attr]
    assert "".join(decode_pdu(p.hex).text for p in modem.sent) == LONG_CHINESE
    item = outbox.get(mid)
    assert (item.status, item.parts_total, item.references, item.sent_at) == (
        SENT,
        2,
        (41, 42),
        clock.now,
    )
    assert disp.poll() == []  # sent once, never again
    assert len(modem.sent) == 2


def test_failure_mid_message_resumes_at_the_unsent_part(outbox: SmsOutbox) -> None:
    clock = Clock()
    lost = ModemPortError("Serial device on /dev/ttyUSB2 was disconnected", retryable=True)
    modem = FakeModem([None, lost])
    disp = SmsDispatcher(outbox, lambda: modem, clock, retry_initial=15.0)  # type: ignore[arg-type,return-value]
    mid = outbox.enqueue("13800138000", LONG_CHINESE, now=clock.now)
    (event,) = disp.poll()
    assert event.kind == "retry" and event.retry_at == clock.now + 15.0
    assert "disconnected" in (event.error or "")
    item = outbox.get(mid)
    assert (item.status, item.parts_sent, item.attempts) == (PENDING, 1, 1)
    assert not item.possible_duplicate  # failed before the part was handed over
    clock.now += 14.0
    assert disp.poll() == []  # backing off
    clock.now += 1.0
    (event,) = disp.poll()
    assert event.kind == "sent" and event.references == (41, 42)
    assert [p.index for p in modem.sent] == [1, 2]  # part 1 once, part 2 once


def test_timeout_after_handover_resends_and_flags_duplicate(outbox: SmsOutbox) -> None:
    clock = Clock()
    doubt = ModemTimeoutError("no +CMGS within 60 s", retryable=True, in_doubt=True)
    modem = FakeModem([doubt])
    disp = SmsDispatcher(outbox, lambda: modem, clock, retry_initial=5.0)  # type: ignore[arg-type,return-value]
    mid = outbox.enqueue("+1555", "short", now=clock.now)
    (event,) = disp.poll()
    assert event.kind == "retry" and event.possible_duplicate
    clock.now += 5.0
    (event,) = disp.poll()
    assert event.kind == "sent" and event.possible_duplicate
    assert outbox.get(mid).possible_duplicate


def test_backoff_doubles_and_is_capped(outbox: SmsOutbox) -> None:
    clock = Clock()
    busy = CmsError(42, "42")  # congestion: transient
    modem = FakeModem([busy] * 6)
    disp = SmsDispatcher(outbox, lambda: modem, clock, retry_initial=10.0, retry_max=60.0)  # type: ignore[arg-type,return-value]
    outbox.enqueue("+1555", "x", now=clock.now)
    delays = []
    for _ in range(6):
        (event,) = disp.poll()
        assert event.kind == "retry" and "congestion" in (event.error or "")
        assert event.retry_at is not None
        delays.append(event.retry_at - clock.now)
        clock.now = event.retry_at
    assert delays == [10.0, 20.0, 40.0, 60.0, 60.0, 60.0]
    (event,) = disp.poll()
    assert event.kind == "sent"


def test_permanent_error_fails_visibly_and_can_be_requeued(outbox: SmsOutbox) -> None:
    clock = Clock()
    modem = FakeModem([CmsError(1, "1")])
    disp = SmsDispatcher(outbox, lambda: modem, clock)  # type: ignore[arg-type,return-value]
    mid = outbox.enqueue("+1555000", "x", now=clock.now)
    (event,) = disp.poll()
    assert event.kind == "failed"
    assert event.error == "modem refused the SMS: +CMS ERROR 1 (unassigned (unallocated) number)"
    assert outbox.get(mid).status == FAILED and outbox.count(FAILED) == 1
    assert disp.poll() == []  # not retried by itself
    disp.retry(mid)
    (event,) = disp.poll()
    assert event.kind == "sent"
    with pytest.raises(OutboxError, match="not failed"):
        disp.retry(mid)


def test_unencodable_number_fails_without_touching_the_modem(outbox: SmsOutbox) -> None:
    clock = Clock()
    modem = FakeModem()
    disp = SmsDispatcher(outbox, lambda: modem, clock)  # type: ignore[arg-type,return-value]
    mid = outbox.enqueue("on-call manager", "x", now=clock.now)
    (event,) = disp.poll()
    assert event.kind == "failed" and "not a phone number" in (event.error or "")
    assert outbox.get(mid).attempts == 0 and modem.sent == []


def test_due_order_and_status_bookkeeping(outbox: SmsOutbox) -> None:
    a = outbox.enqueue("+1", "a", now=1000.0)
    b = outbox.enqueue("+2", "b", now=1001.0)
    assert [i.message_id for i in outbox.due(now=1001.0)] == [a, b]
    assert [i.message_id for i in outbox.due(now=1000.5)] == [a]
    item = outbox.mark_sending(a, now=1002.0, parts_total=1)
    assert item.status == SENDING and item.attempts == 1
    assert [i.message_id for i in outbox.due(now=2000.0)] == [b]
    with pytest.raises(OutboxError, match="out of order"):
        outbox.record_part(a, 2, 9, now=1003.0)
    with pytest.raises(OutboxError, match="no SMS 999"):
        outbox.get(999)


def test_not_an_outbox_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"shift handover notes\n")
    with pytest.raises(OutboxError, match="not an SMS outbox"):
        SmsOutbox(path, now=0.0)
    assert path.read_bytes() == b"shift handover notes\n"


def test_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xde\xad" * 600)
    with pytest.raises(OutboxError, match="cannot be opened"):
        SmsOutbox(path, now=0.0)
