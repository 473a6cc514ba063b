"""Drains the durable SMS outbox through the GSM modem, with retries.

Delivery contract (see db/outbox.py for the storage side):
- A message is enqueued (committed) before anything is sent, so a crash never loses it.
- Each part is recorded as sent (with its +CMGS reference) the moment the modem accepts it;
  a retry resumes at the first unsent part with the *same* concatenation reference, so
  parts already accepted are not sent again and the phone still assembles the message.
- Transient failures (port unplugged, no network, timeout …) are retried with exponential
  backoff, for ever: an alarm SMS is never given up on silently. Permanent failures (invalid
  number, SIM missing/locked, PDU refused) mark the message failed with the reason, for a
  person to see; `SmsDispatcher.retry(message_id)` re-queues it after the fix.
- The one unavoidable ambiguity is the window between the modem taking a part (Ctrl-Z
  written) and us hearing "+CMGS" (or committing it): timeout, unplug, crash. We then send
  that part again (at-least-once) and flag the message `possible_duplicate`: a duplicated
  alarm text is a nuisance, a lost one can leave a night shift alone with a full queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cti.serial.gsm_pdu import PduError, encode_submit
from cti.serial.modem import GsmModem, ModemError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxItem:
    """One queued SMS as stored.

    Attributes:
        message_id: outbox row id.
        recipient: destination number.
        text: message text.
        concat_ref: concatenation reference fixed at enqueue time (0..255).
        parts_sent: how many parts the modem has accepted so far.
        references: +CMGS references of the accepted parts.
        attempts: send attempts so far.
        status: "pending" | "sending" | "sent" | "failed".
        possible_duplicate: a part may have gone out twice (see module doc).
        last_error: human message of the last failure.
        created_at / next_attempt_at / sent_at: clock times.
        parts_total: number of parts (known after the first attempt).
    """

    message_id: int
    recipient: str
    text: str
    concat_ref: int
    parts_sent: int
    references: tuple[int, ...]
    attempts: int
    status: str
    possible_duplicate: bool
    last_error: str | None
    created_at: float
    next_attempt_at: float
    sent_at: float | None
    parts_total: int | None


class OutboxStore(Protocol):
    def due(self, now: float, limit: int = 10) -> list[OutboxItem]: ...

    def mark_sending(self, message_id: int, now: float, parts_total: int) -> OutboxItem: ...

    def record_part(self, message_id: int, part_index: int, reference: int, now: float) -> None: ...

    def record_failure(
        self, message_id: int, error: str, retry_at: float | None, now: float, in_doubt: bool
    ) -> None: ...

    def requeue(self, message_id: int, now: float) -> None: ...


@dataclass(frozen=True)
class SmsEvent:
    """What happened to an outbox message during a `poll()` (for the journal / status bar).

    kind: "sent" (all parts accepted), "retry" (transient failure, will retry at
    `retry_at`), "failed" (permanent, needs a person).
    """

    kind: str
    message_id: int
    at: float
    references: tuple[int, ...] = ()
    error: str | None = None
    retry_at: float | None = None
    possible_duplicate: bool = False


class SmsDispatcher:
    """Runs on one worker thread: `poll()` sends what is due and returns what happened."""

    def __init__(
        self,
        outbox: OutboxStore,
        modem_factory: Callable[[], GsmModem],
        clock: Callable[[], float],
        *,
        retry_initial: float = 15.0,
        retry_max: float = 600.0,
    ) -> None:
        self._outbox = outbox
        self._modem_factory = modem_factory
        self._clock = clock
        self._retry_initial = retry_initial
        self._retry_max = retry_max
        self._modem: GsmModem | None = None

    def poll(self, limit: int = 10) -> list[SmsEvent]:
        events: list[SmsEvent] = []
        for item in self._outbox.due(self._clock(), limit):
            event = self._send(item)
            events.append(event)
            if event.kind == "retry":
                break  # the modem or network is in trouble: don't burn the rest now
        return events

    def retry(self, message_id: int) -> None:
        """Re-queue a failed message (after someone fixed the SIM, number …)."""
        self._outbox.requeue(message_id, self._clock())

    def close(self) -> None:
        if self._modem is not None:
            self._modem.close()
            self._modem = None

    def _send(self, item: OutboxItem) -> SmsEvent:
        now = self._clock()
        try:
            parts = encode_submit(item.recipient, item.text, concat_ref=item.concat_ref)
        except PduError as exc:
            self._outbox.record_failure(item.message_id, str(exc), None, now, False)
            return SmsEvent("failed", item.message_id, now, error=str(exc))
        item = self._outbox.mark_sending(item.message_id, now, len(parts))
        references = list(item.references)
        try:
            modem = self._modem or self._modem_factory()
            self._modem = modem
            for part in parts[item.parts_sent :]:
                ref = modem.send_part(part)
                references.append(ref)
                self._outbox.record_part(item.message_id, part.index, ref, self._clock())
        except ModemError as exc:
            return self._failed(item, exc)
        log.info("SMS %d sent to %s (%d part(s))", item.message_id, item.recipient, len(parts))
        return SmsEvent(
            "sent",
            item.message_id,
            self._clock(),
            references=tuple(references),
            possible_duplicate=item.possible_duplicate,
        )

    def _failed(self, item: OutboxItem, exc: ModemError) -> SmsEvent:
        now = self._clock()
        if self._modem is not None and not self._modem.ready:
            self._modem.close()  # reinitialise (and reopen) on the next attempt
        if isinstance(exc, ModemError) and not exc.retryable:
            self._outbox.record_failure(item.message_id, str(exc), None, now, exc.in_doubt)
            log.error("SMS %d to %s failed: %s", item.message_id, item.recipient, exc)
            return SmsEvent("failed", item.message_id, now, error=str(exc))
        delay = min(self._retry_initial * (2 ** max(0, item.attempts - 1)), self._retry_max)
        retry_at = now + delay
        self._outbox.record_failure(item.message_id, str(exc), retry_at, now, exc.in_doubt)
        log.warning(
            "SMS %d to %s: %s; retry in %.0f s", item.message_id, item.recipient, exc, delay
        )
        return SmsEvent(
            "retry",
            item.message_id,
            now,
            error=str(exc),
            retry_at=retry_at,
            possible_duplicate=item.possible_duplicate or exc.in_doubt,
        )
