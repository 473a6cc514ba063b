# The floor snapshot taken after every (re)connect.
#
# Rules:
# - After login the client sends SYNC_ACTIONS back to back (CoreSettings, QueueStatus,
#   QueueSummary, CoreShowChannels) and, when all four have answered, delivers ONE
#   SyncSnapshot. The store replaces its floor with it atomically; until then the floor is
#   stale (the link state is not `live`).
# - Ordering against live events (implemented in client.py): events that arrive before the
#   QueueStatus list starts happened before the snapshot was taken and are delivered at once
#   (the store is stale then; the snapshot overrides their state, counters still see them
#   exactly once). Events that arrive after it are held and delivered right after the
#   snapshot, in wire order.
# - If any sync action fails (e.g. app_queue still loading after a restart) the connection
#   is dropped and retried with back-off; a half snapshot is never delivered.

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from cti.ami.actions import (
    CoreSettings,
    CoreSettingsResult,
    CoreShowChannels,
    CoreShowChannelsResult,
    QueueStatus,
    QueueStatusResult,
    QueueSummary,
    QueueSummaryResult,
)
from cti.ami.events import CoreShowChannel, QueueEntry, QueueMember, QueueParams
from cti.ami.events import QueueSummary as QueueSummaryItem

__all__ = ["SYNC_ACTIONS", "SyncSnapshot", "build_snapshot"]

SYNC_ACTIONS: Final = (CoreSettings(), QueueStatus(), QueueSummary(), CoreShowChannels())


@dataclass(frozen=True, kw_only=True)
class SyncSnapshot:
    """Everything the PBX reported right after a (re)connect; replaces the floor atomically.

    Fields: generation (1 for the first connection, +1 per reconnect), taken_at (client
    clock when the last list completed), ami_version (banner), asterisk_version,
    system_name, queue_params, queue_members, queue_entries (waiting callers),
    queue_summaries, channels (CoreShowChannel items).
    """

    generation: int
    taken_at: float
    ami_version: str
    asterisk_version: str
    system_name: str
    queue_params: tuple[QueueParams, ...]
    queue_members: tuple[QueueMember, ...]
    queue_entries: tuple[QueueEntry, ...]
    queue_summaries: tuple[QueueSummaryItem, ...]
    channels: tuple[CoreShowChannel, ...]


def build_snapshot(
    *,
    generation: int,
    taken_at: float,
    ami_version: str,
    core: CoreSettingsResult,
    queues: QueueStatusResult,
    summary: QueueSummaryResult,
    channels: CoreShowChannelsResult,
) -> SyncSnapshot:
    return SyncSnapshot(
        generation=generation,
        taken_at=taken_at,
        ami_version=ami_version or core.ami_version,
        asterisk_version=core.asterisk_version,
        system_name=core.system_name,
        queue_params=queues.params,
        queue_members=queues.members,
        queue_entries=queues.entries,
        queue_summaries=summary.summaries,
        channels=channels.channels,
    )
