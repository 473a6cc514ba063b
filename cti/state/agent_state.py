"""Agent states and the rules that derive them from what Asterisk reports.

Asterisk has no agent state; it reports, per member, a device state number (QueueMemberStatus
`Status`), `Paused` / `PausedReason`, and queue call events. The console's state is derived
with these rules, first match wins:

1. Not a member of any queue and not on a call           -> LOGGED_OUT
2. Device invalid (4) or unavailable (5)                 -> UNAVAILABLE (device unreachable)
3. On hold (Hold event on the call, or device status 8)  -> ON_HOLD
4. Connected to a queue call (AgentConnect .. AgentComplete), or device in use / busy /
   ring-in-use (2, 3, 7; covers direct and outbound calls)  -> TALKING
   ... except a member that was offered a call (AgentCalled) and shows busy (3) is RINGING:
   with `device_state_busy_at=1` Asterisk reports ringing as busy.
5. Offered a queue call (AgentCalled, not yet answered / no-answer) or device ringing (6)
                                                         -> RINGING
6. Inside the wrap-up window after AgentComplete          -> WRAP_UP
7. Paused in every queue the agent is a member of        -> NOT_READY (reason = latest pause)
8. Otherwise (device not in use 1, or unknown 0 which app_queue also treats as free)
                                                         -> READY

Wrap-up: Asterisk sends no event for it and the member goes back to Status 1 at once. The
window is AgentComplete + the queue's wrap-up time (configured per queue in the console;
a member-level `Wrapuptime` > 0 from Asterisk 17+ overrides it). It ends early only when a
new call arrives.

"Pending": a state the agent will enter when the current call (or wrap-up) ends, because of
something already decided: paused while talking -> pending NOT_READY; removed from all
queues while talking -> pending LOGGED_OUT; or an action a controller deferred until the call
ends (`FloorStore.request_pending`).

A pause in some queues only keeps the agent READY for the others (each membership shows its
own paused flag). Not-ready time is accounted once per agent, to the reason current at the
time, so overlapping pauses are never counted twice.
"""

from __future__ import annotations

import enum


class AgentState(enum.Enum):
    LOGGED_OUT = "logged_out"
    READY = "ready"
    NOT_READY = "not_ready"
    RINGING = "ringing"
    TALKING = "talking"
    ON_HOLD = "on_hold"
    WRAP_UP = "wrap_up"
    UNAVAILABLE = "unavailable"


class DeviceStatus(enum.IntEnum):
    """Asterisk device states as numbered in QueueMemberStatus `Status`."""

    UNKNOWN = 0
    NOT_INUSE = 1
    INUSE = 2
    BUSY = 3
    INVALID = 4
    UNAVAILABLE = 5
    RINGING = 6
    RINGINUSE = 7
    ONHOLD = 8


# DeviceStateChange sends names instead of numbers.
DEVICE_STATE_NAMES: dict[str, int] = {
    "UNKNOWN": 0,
    "NOT_INUSE": 1,
    "INUSE": 2,
    "BUSY": 3,
    "INVALID": 4,
    "UNAVAILABLE": 5,
    "RINGING": 6,
    "RINGINUSE": 7,
    "ONHOLD": 8,
}

_UNREACHABLE = frozenset({4, 5})
_IN_CALL = frozenset({2, 3, 7})


def derive_state(
    *,
    member: bool,
    device: int,
    queue_call: bool,
    offered: bool,
    on_hold: bool,
    in_wrapup: bool,
    paused_everywhere: bool,
) -> AgentState:
    """Apply the rules of this module's docstring (pure; the store calls it on every change)."""
    device_call = device in _IN_CALL
    if not member and not (queue_call or device_call or on_hold or device in (6, 8)):
        return AgentState.LOGGED_OUT
    if device in _UNREACHABLE:
        return AgentState.UNAVAILABLE
    if on_hold or device == 8:
        return AgentState.ON_HOLD
    if queue_call:
        return AgentState.TALKING
    if offered and device in (0, 1, 3, 6):
        return AgentState.RINGING
    if device_call:
        return AgentState.TALKING
    if device == 6:
        return AgentState.RINGING
    if not member:
        return AgentState.LOGGED_OUT
    if in_wrapup:
        return AgentState.WRAP_UP
    if paused_everywhere:
        return AgentState.NOT_READY
    return AgentState.READY


_BUSY_STATES = frozenset(
    {AgentState.RINGING, AgentState.TALKING, AgentState.ON_HOLD, AgentState.WRAP_UP}
)


def derive_pending(
    state: AgentState, *, member: bool, paused_everywhere: bool, requested: AgentState | None
) -> AgentState | None:
    """The state the agent will fall into once the current call / wrap-up is over, if not READY."""
    if state not in _BUSY_STATES:
        return None
    if requested is not None and requested is not state:
        return requested
    if not member:
        return AgentState.LOGGED_OUT
    if paused_everywhere:
        return AgentState.NOT_READY
    return None
