"""Normalised facts about members, waiting callers and channels (what the store consumes).

Reducers build them from typed events; `apply_snapshot` builds them from a SyncSnapshot's
list items. Keeping them free of `cti.ami` types lets the store's rules be tested and reused
(e.g. by the lab PBX) without AMI messages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A member as reported by a member event or a QueueMember list item (normalised)."""

    queue: str
    interface: str
    name: str | None
    state_interface: str | None
    status: int | None
    paused: bool | None
    paused_reason: str | None
    penalty: int | None
    calls_taken: int | None
    last_call: float | None
    wrapup_s: float | None


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    """One live channel from CoreShowChannel (used to rebuild calls and spies on resync)."""

    channel: str
    uniqueid: str
    linkedid: str
    caller_number: str | None
    caller_name: str | None
    connected_number: str | None
    connected_name: str | None
    application: str | None
    application_data: str | None
    bridge_id: str | None
    duration_s: float | None


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """A waiting caller from a QueueEntry list item."""

    queue: str
    uniqueid: str
    channel: str
    number: str | None
    name: str | None
    position: int
    wait_s: float
