# Matching what the PBX sends back to the actions we sent (sans-IO).
#
# Rules (observed on Asterisk 22, fixtures/asterisk-22/README.md point 10):
# - Every action gets a fresh ActionID `<prefix>-<n>`; only frames carrying it are ours.
# - A Response comes before the events its action causes.
#   * `Response: Error` -> the action failed (typed ActionError, see actions.ERROR_CLASSES).
#   * `Response: Success|Follows|Goodbye` with `EventList: start`, or any success for an
#     action declared as a list -> collect every event with our ActionID (typed list items)
#     until one says `EventList: Complete` (e.g. QueueStatusComplete, carrying ListItems).
#   * an async Originate's success only means "queued": its outcome is the later
#     OriginateResponse event with the same ActionID (Response: Success|Failure).
#   * otherwise the response completes the action.
# - List items are consumed (they belong to the answer, not to the event stream; they carry
#   no Privilege). An OriginateResponse is both the answer and a real event: it completes the
#   action and is passed on to the event stream too.
# - Frames with an unknown or no ActionID are not ours: they go to the event stream (events)
#   or are ignored by the caller (stray responses, e.g. "Missing action in request").
# - Time-outs and link loss are decided by the caller (cancel / fail_all): this module has no
#   clock.

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cti.ami.actions import ORIGINATE_REASONS as _REASONS
from cti.ami.actions import (
    Action,
    ActionResult,
    AmiError,
    OriginateFailedError,
    Reply,
    error_for,
)
from cti.ami.events import AmiEvent, OriginateResponse
from cti.ami.message import Message

__all__ = ["ActionTracker", "Outcome"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """An action finished: exactly one of `result` / `error` is set."""

    action_id: str
    action: Action[Any]
    result: ActionResult | None
    error: AmiError | None


@dataclass(slots=True)
class _Pending:
    action: Action[Any]
    action_id: str
    mode: str
    response: Message | None = None
    collecting: bool = False
    items: list[AmiEvent] = field(default_factory=list)
    early_final: AmiEvent | None = None  # an OriginateResponse that overtook its Response


class ActionTracker:
    """Pending actions by ActionID; feed it every received frame."""

    def __init__(self, prefix: str = "hsc") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)
        self._pending: dict[str, _Pending] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, action_id: object) -> bool:
        return action_id in self._pending

    def start(
        self, action: Action[Any], action_id: str | None = None
    ) -> tuple[str, list[tuple[str, str]]]:
        """Register `action` (with a fresh ActionID unless one is given); returns the
        ActionID and the headers to send."""
        if action_id is None:
            action_id = f"{self._prefix}-{next(self._counter)}"
        if action_id in self._pending:
            raise ValueError(f"ActionID {action_id!r} is already pending")
        self._pending[action_id] = _Pending(action, action_id, action.completion_mode())
        return action_id, action.headers(action_id)

    def handle(self, message: Message, event: AmiEvent | None) -> tuple[bool, Outcome | None]:
        """Account for one received frame (`event` = its typed form if it is an event).

        Returns (consumed, outcome): consumed is True when the frame is part of an answer and
        must not go to the event stream; outcome is set when an action finished.
        """
        action_id = message.action_id
        if action_id is None:
            return False, None
        p = self._pending.get(action_id)
        if p is None:
            return False, None
        if event is None:
            if not message.is_response:
                return False, None
            return True, self._on_response(p, message)
        if isinstance(event, OriginateResponse) and p.mode == "originate":
            if p.response is None:
                p.early_final = event
                return False, None
            return False, self._finish_originate(p, event)
        if p.collecting:
            status = (message.get("EventList") or "").lower()
            if status == "complete":
                return True, self._finish(p, event)
            p.items.append(event)
            return True, None
        return False, None

    def cancel(self, action_id: str, error: AmiError) -> Outcome | None:
        """Give up on one action (time-out); None if it already finished."""
        p = self._pending.pop(action_id, None)
        if p is None:
            return None
        return Outcome(action_id, p.action, None, error)

    def fail_all(self, make_error: Callable[[Action[Any]], AmiError]) -> list[Outcome]:
        """Fail every pending action (link lost)."""
        pending, self._pending = self._pending, {}
        return [Outcome(aid, p.action, None, make_error(p.action)) for aid, p in pending.items()]

    # -- internals -------------------------------------------------------------------------

    def _on_response(self, p: _Pending, message: Message) -> Outcome | None:
        if p.response is not None:
            return None  # a second response for the same ActionID: ignore it
        p.response = message
        status = (message.name or "").lower()
        if status == "error":
            del self._pending[p.action_id]
            err = error_for(p.action.action_name(), p.action_id, message, p.action.subject())
            return Outcome(p.action_id, p.action, None, err)
        if (message.get("EventList") or "").lower() == "start" or p.mode == "list":
            p.collecting = True
            return None
        if p.mode == "originate":
            if p.early_final is not None:
                early = p.early_final
                assert isinstance(early, OriginateResponse)
                return self._finish_originate(p, early)
            return None
        return self._finish(p, None)

    def _finish(self, p: _Pending, final: AmiEvent | None) -> Outcome:
        del self._pending[p.action_id]
        assert p.response is not None
        reply = Reply(action_id=p.action_id, response=p.response, items=tuple(p.items), final=final)
        try:
            result = p.action.build_result(reply)
        except Exception as exc:  # a malformed answer must not kill the link
            error = AmiError(f"{p.action.action_name()}: could not read the answer ({exc})")
            return Outcome(p.action_id, p.action, None, error)
        return Outcome(p.action_id, p.action, result, None)

    def _finish_originate(self, p: _Pending, event: OriginateResponse) -> Outcome:
        if event.success:
            return self._finish(p, event)
        del self._pending[p.action_id]
        code = event.reason
        why = _REASONS.get(code, f"reason {code}") if code is not None else "no reason given"
        err = OriginateFailedError(
            p.action.action_name(),
            p.action_id,
            why,
            event.message,
            p.action.subject(),
            reason_code=code,
        )
        return Outcome(p.action_id, p.action, None, err)
