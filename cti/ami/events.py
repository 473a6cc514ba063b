# Typed AMI events: one frozen dataclass per event the console uses, GenericEvent for the rest.
#
# Normalisation rules (fixtures/asterisk-22/README.md "What an AMI client must know"):
# - Fields are detected by presence, never by version. A field missing from this PBX's
#   dialect is None (numbers, flags) or "" (text).
# - Aliases are folded: member name `MemberName`|`Name`, member interface
#   `Interface`|`Location`|`Member`, bridge id `BridgeUniqueid`|`BridgeID`|`BridgeId`, hold time
#   `HoldTime`|`Holdtime`, ring time `RingTime`|`Ringtime`.
# - Units are explicit in the names: `*_s` seconds, `*_ms` milliseconds. RingTime is seconds
#   in AgentConnect but milliseconds in AgentRingNoAnswer; both become `ring_time_ms`.
# - Caller-ID text `<unknown>` (Asterisk's "not set") becomes "".
# - Old event names map to the same classes: Join/Leave (Asterisk <= 11) -> QueueCallerJoin/
#   QueueCallerLeave, QueueMemberPaused -> QueueMemberPause; `Hold` with `Status: Off` -> Unhold.
# - Every event keeps `.message` (the raw Message, for the journal) and `.received_at` (the
#   client's clock when the frame arrived; 0.0 when built without one).
# - Channel snapshots (the `Channel`, `Dest*`, `Spyer*`, `Spyee*` header groups) become
#   ChannelInfo objects.
#
# To build an event in a test: `to_event(Message([("Event", "Hangup"), ("Channel", ...)]))`.

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Final

from cti.ami.message import Message

__all__ = [
    "DEVICE_STATES",
    "AgentCalled",
    "AgentComplete",
    "AgentConnect",
    "AgentDump",
    "AgentEvent",
    "AgentRingNoAnswer",
    "AmiEvent",
    "BridgeCreate",
    "BridgeDestroy",
    "BridgeEnter",
    "BridgeEvent",
    "BridgeLeave",
    "ChanSpyStart",
    "ChanSpyStop",
    "ChannelEvent",
    "ChannelInfo",
    "CoreShowChannel",
    "CoreShowChannelsComplete",
    "DTMFBegin",
    "DTMFEnd",
    "DeviceStateChange",
    "DialBegin",
    "DialEnd",
    "FullyBooted",
    "GenericEvent",
    "Hangup",
    "Hold",
    "ListComplete",
    "NewCallerid",
    "NewConnectedLine",
    "Newchannel",
    "Newstate",
    "OriginateResponse",
    "QueueCallerAbandon",
    "QueueCallerJoin",
    "QueueCallerLeave",
    "QueueEntry",
    "QueueMember",
    "QueueMemberAdded",
    "QueueMemberEvent",
    "QueueMemberPause",
    "QueueMemberPenalty",
    "QueueMemberRemoved",
    "QueueMemberRinginuse",
    "QueueMemberStatus",
    "QueueParams",
    "QueueStatusComplete",
    "QueueSummary",
    "QueueSummaryComplete",
    "Shutdown",
    "Unhold",
    "to_event",
    "typed_event",
]

# Asterisk device states: QueueMember* `Status` numbers and DeviceStateChange `State` names.
DEVICE_STATES: Final[dict[str, int]] = {
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

_BLANK_OR_END: Final = (" ", "\t", "")
# A header line naming an event, in any case (Message's classification is case-insensitive).
_EVENT_LINE: Final = re.compile(r"(?:^|\r\n)event:", re.IGNORECASE)
_TRUE: Final = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE: Final = frozenset({"0", "false", "no", "off", "n", "f"})


def _int(value: str | None) -> int | None:
    if not value:
        return None
    if value.isdecimal():
        return int(value)
    try:
        return int(value)
    except ValueError:
        try:
            return int(float(value))
        except ValueError:
            return None


def _float(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def _cid(value: str | None) -> str:
    if value is None or value == "<unknown>":
        return ""
    return value


def _first(g: Callable[[str], str | None], *names: str) -> str | None:
    for name in names:
        value = g(name)
        if value is not None:
            return value
    return None


def _hms(value: str | None) -> int | None:
    """`HH:MM:SS` (CoreShowChannel Duration) -> seconds; a plain number is taken as is."""
    if not value:
        return None
    parts = value.split(":")
    try:
        total = 0
        for part in parts:
            total = total * 60 + int(part)
    except ValueError:
        return None
    return total


# -- channel snapshot ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelInfo:
    """A channel snapshot (one prefix group of an event).

    Fields: name (e.g. `PJSIP/1001-00000001`), state (Asterisk channel state number: 0 down,
    4 ring, 5 ringing, 6 up), state_desc, caller_id_num, caller_id_name, connected_line_num,
    connected_line_name, language, account_code, context, exten, priority, uniqueid,
    linkedid (the caller's Uniqueid on every leg of a call).
    """

    name: str
    state: int | None
    state_desc: str
    caller_id_num: str
    caller_id_name: str
    connected_line_num: str
    connected_line_name: str
    language: str
    account_code: str
    context: str
    exten: str
    priority: int | None
    uniqueid: str
    linkedid: str

    @property
    def device(self) -> str:
        """The channel name without its `-<sequence>` suffix: `PJSIP/1001-00000001` -> `PJSIP/1001`.

        Matches a queue member's interface for PJSIP/SIP/IAX2 devices (not for Local channels).
        """
        head, sep, _ = self.name.rpartition("-")
        return head if sep and head else self.name


_CHANNEL_FIELDS: Final = (
    "Channel",
    "ChannelState",
    "ChannelStateDesc",
    "CallerIDNum",
    "CallerIDName",
    "ConnectedLineNum",
    "ConnectedLineName",
    "Language",
    "AccountCode",
    "Context",
    "Exten",
    "Priority",
    "Uniqueid",
    "Linkedid",
)
_CHANNEL_KEYS: Final[dict[str, tuple[str, ...]]] = {
    prefix: tuple(prefix + f for f in _CHANNEL_FIELDS) for prefix in ("", "Dest", "Spyer", "Spyee")
}


def _channel(g: Callable[[str], str | None], prefix: str = "") -> ChannelInfo | None:
    (
        name,
        state,
        state_desc,
        cid_num,
        cid_name,
        cl_num,
        cl_name,
        language,
        account_code,
        context,
        exten,
        priority,
        uniqueid,
        linkedid,
    ) = map(g, _CHANNEL_KEYS[prefix])
    if name is None:
        return None
    return ChannelInfo(
        name=name,
        state=_int(state),
        state_desc=state_desc or "",
        caller_id_num="" if cid_num is None or cid_num == "<unknown>" else cid_num,
        caller_id_name="" if cid_name is None or cid_name == "<unknown>" else cid_name,
        connected_line_num="" if cl_num is None or cl_num == "<unknown>" else cl_num,
        connected_line_name="" if cl_name is None or cl_name == "<unknown>" else cl_name,
        language=language or "",
        account_code=account_code or "",
        context=context or "",
        exten=exten or "",
        priority=_int(priority),
        uniqueid=uniqueid or g(prefix + "UniqueID") or "",
        linkedid=linkedid or "",
    )


def _required_channel(g: Callable[[str], str | None], prefix: str = "") -> ChannelInfo:
    info = _channel(g, prefix)
    if info is not None:
        return info
    # Some dialects omit the channel (e.g. an event about a channel already gone): keep the
    # identifiers that are there rather than dropping the event.
    return ChannelInfo(
        name="",
        state=None,
        state_desc="",
        caller_id_num=_cid(g(prefix + "CallerIDNum")),
        caller_id_name=_cid(g(prefix + "CallerIDName")),
        connected_line_num="",
        connected_line_name="",
        language="",
        account_code="",
        context="",
        exten="",
        priority=None,
        uniqueid=g(prefix + "Uniqueid") or "",
        linkedid=g(prefix + "Linkedid") or "",
    )


# -- base ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AmiEvent:
    """Base of every typed event.

    Fields: message (the raw Message), received_at (client clock, seconds).
    Properties: name (wire event name), action_id, privilege.
    """

    event_name: ClassVar[str] = ""
    message: Message
    received_at: float = 0.0

    @property
    def name(self) -> str:
        return self.message.name or ""

    @property
    def action_id(self) -> str | None:
        return self.message.get("ActionID")

    @property
    def privilege(self) -> str | None:
        return self.message.get("Privilege")


@dataclass(frozen=True, slots=True, kw_only=True)
class GenericEvent(AmiEvent):
    """Any event without a typed class (VarSet, RTCP*, security events ...). Fields: event."""

    event: str

    @property
    def name(self) -> str:
        return self.event


# -- queue list items (QueueStatus / QueueSummary) -----------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueParams(AmiEvent):
    """QueueStatus list item: one queue.

    Fields: queue, max_callers, strategy, calls (waiting now), hold_time_s (average),
    talk_time_s (average), completed, abandoned, service_level_s (threshold),
    service_level_perf (%, Asterisk's own), service_level_perf2 (% or None), weight.
    """

    event_name: ClassVar[str] = "QueueParams"
    queue: str
    max_callers: int | None
    strategy: str
    calls: int | None
    hold_time_s: int | None
    talk_time_s: int | None
    completed: int | None
    abandoned: int | None
    service_level_s: int | None
    service_level_perf: float | None
    service_level_perf2: float | None
    weight: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberEvent(AmiEvent):
    """Fields shared by QueueMember (list item) and the QueueMember* events.

    Fields: queue, interface (`Interface`|`Location`), member_name (`MemberName`|`Name`),
    state_interface, membership (static/dynamic/realtime), penalty, calls_taken,
    last_call (epoch s, 0 = never), last_pause (epoch s), login_time (epoch s), in_call
    (unreliable, see README), status (device state number, see DEVICE_STATES), paused,
    paused_reason, ring_in_use, wrapup_time_s (member's own wrap-up, usually 0 = queue's).
    """

    queue: str
    interface: str
    member_name: str
    state_interface: str
    membership: str
    penalty: int | None
    calls_taken: int | None
    last_call: int | None
    last_pause: int | None
    login_time: int | None
    in_call: bool | None
    status: int | None
    paused: bool | None
    paused_reason: str
    ring_in_use: bool | None
    wrapup_time_s: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMember(QueueMemberEvent):
    """QueueStatus list item: one member of one queue (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMember"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberStatus(QueueMemberEvent):
    """A member's device state or counters changed (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberStatus"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberAdded(QueueMemberEvent):
    """A member was added to a queue (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberAdded"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberRemoved(QueueMemberEvent):
    """A member was removed from a queue (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberRemoved"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberPause(QueueMemberEvent):
    """A member was paused or unpaused; `paused`, `paused_reason` (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberPause"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberRinginuse(QueueMemberEvent):
    """A member's ringinuse flag changed; `ring_in_use` (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberRinginuse"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueMemberPenalty(QueueMemberEvent):
    """A member's penalty changed; `penalty` (fields: see QueueMemberEvent)."""

    event_name: ClassVar[str] = "QueueMemberPenalty"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueEntry(AmiEvent):
    """QueueStatus list item: one caller waiting.

    Fields: queue, position, channel (name), uniqueid, caller_id_num, caller_id_name,
    connected_line_num, connected_line_name, wait_s (waiting so far), priority.
    """

    event_name: ClassVar[str] = "QueueEntry"
    queue: str
    position: int | None
    channel: str
    uniqueid: str
    caller_id_num: str
    caller_id_name: str
    connected_line_num: str
    connected_line_name: str
    wait_s: int | None
    priority: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueSummary(AmiEvent):
    """QueueSummary list item.

    Fields: queue, logged_in, available, callers, hold_time_s (average), talk_time_s
    (average), longest_hold_time_s (longest wait of a caller waiting now).
    """

    event_name: ClassVar[str] = "QueueSummary"
    queue: str
    logged_in: int | None
    available: int | None
    callers: int | None
    hold_time_s: int | None
    talk_time_s: int | None
    longest_hold_time_s: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ListComplete(AmiEvent):
    """End of a list response (`EventList: Complete`).

    Fields: event (e.g. `StatusComplete`), list_items (count Asterisk announced, or None).
    """

    event: str
    list_items: int | None

    @property
    def name(self) -> str:
        return self.event


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueStatusComplete(ListComplete):
    """End of a QueueStatus list. Fields: see ListComplete."""

    event_name: ClassVar[str] = "QueueStatusComplete"


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueSummaryComplete(ListComplete):
    """End of a QueueSummary list. Fields: see ListComplete."""

    event_name: ClassVar[str] = "QueueSummaryComplete"


@dataclass(frozen=True, slots=True, kw_only=True)
class CoreShowChannelsComplete(ListComplete):
    """End of a CoreShowChannels list. Fields: see ListComplete."""

    event_name: ClassVar[str] = "CoreShowChannelsComplete"


# -- queue callers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerJoin(AmiEvent):
    """A caller entered a queue. Fields: channel (ChannelInfo), queue, position, count."""

    event_name: ClassVar[str] = "QueueCallerJoin"
    channel: ChannelInfo
    queue: str
    position: int | None
    count: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerLeave(AmiEvent):
    """A caller left a queue (answered, or abandoned: then QueueCallerAbandon came first).

    Fields: channel (ChannelInfo), queue, position, count (callers left waiting).
    """

    event_name: ClassVar[str] = "QueueCallerLeave"
    channel: ChannelInfo
    queue: str
    position: int | None
    count: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueCallerAbandon(AmiEvent):
    """A caller hung up while waiting.

    Fields: channel (ChannelInfo), queue, position, original_position, hold_time_s.
    """

    event_name: ClassVar[str] = "QueueCallerAbandon"
    channel: ChannelInfo
    queue: str
    position: int | None
    original_position: int | None
    hold_time_s: int | None


# -- agent (member) call progress -----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentEvent(AmiEvent):
    """Fields shared by Agent* events: channel (caller's ChannelInfo or None), dest (the
    member's ChannelInfo or None), queue, interface, member_name."""

    channel: ChannelInfo | None
    dest: ChannelInfo | None
    queue: str
    interface: str
    member_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentCalled(AgentEvent):
    """A member is being rung for a queue caller. Fields: see AgentEvent."""

    event_name: ClassVar[str] = "AgentCalled"


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentConnect(AgentEvent):
    """A member answered. Fields: AgentEvent's + hold_time_s (caller's wait), ring_time_ms."""

    event_name: ClassVar[str] = "AgentConnect"
    hold_time_s: int | None
    ring_time_ms: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentComplete(AgentEvent):
    """A queue call ended. Fields: AgentEvent's + hold_time_s, talk_time_s, reason
    (`caller`|`agent`|`transfer`; an AMI Hangup looks like `caller`)."""

    event_name: ClassVar[str] = "AgentComplete"
    hold_time_s: int | None
    talk_time_s: int | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentRingNoAnswer(AgentEvent):
    """A member did not answer in time. Fields: AgentEvent's + ring_time_ms."""

    event_name: ClassVar[str] = "AgentRingNoAnswer"
    ring_time_ms: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentDump(AgentEvent):
    """A member hung up while the caller was being announced. Fields: see AgentEvent."""

    event_name: ClassVar[str] = "AgentDump"


# -- channels --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChannelEvent(AmiEvent):
    """Fields shared by channel events: channel (ChannelInfo)."""

    channel: ChannelInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class Newchannel(ChannelEvent):
    """A channel was created. Fields: channel."""

    event_name: ClassVar[str] = "Newchannel"


@dataclass(frozen=True, slots=True, kw_only=True)
class Newstate(ChannelEvent):
    """A channel's state changed (channel.state / state_desc). Fields: channel."""

    event_name: ClassVar[str] = "Newstate"


@dataclass(frozen=True, slots=True, kw_only=True)
class Hangup(ChannelEvent):
    """A channel was destroyed. Fields: channel, cause (Q.850 number), cause_txt."""

    event_name: ClassVar[str] = "Hangup"
    cause: int | None
    cause_txt: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NewConnectedLine(ChannelEvent):
    """The connected party of a channel changed. Fields: channel."""

    event_name: ClassVar[str] = "NewConnectedLine"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewCallerid(ChannelEvent):
    """A channel's caller ID changed. Fields: channel, cid_calling_pres."""

    event_name: ClassVar[str] = "NewCallerid"
    cid_calling_pres: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Hold(ChannelEvent):
    """A channel was put on hold. Fields: channel, music_class."""

    event_name: ClassVar[str] = "Hold"
    music_class: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Unhold(ChannelEvent):
    """A channel was taken off hold. Fields: channel."""

    event_name: ClassVar[str] = "Unhold"


@dataclass(frozen=True, slots=True, kw_only=True)
class DialBegin(AmiEvent):
    """A dial started. Fields: channel (caller's ChannelInfo or None for an originate),
    dest (ChannelInfo of the dialled channel or None), dial_string."""

    event_name: ClassVar[str] = "DialBegin"
    channel: ChannelInfo | None
    dest: ChannelInfo | None
    dial_string: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DialEnd(AmiEvent):
    """A dial finished. Fields: channel, dest (as DialBegin), dial_status (ANSWER, BUSY,
    NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL ...), forward."""

    event_name: ClassVar[str] = "DialEnd"
    channel: ChannelInfo | None
    dest: ChannelInfo | None
    dial_status: str
    forward: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CoreShowChannel(AmiEvent):
    """CoreShowChannels list item: one live channel.

    Fields: channel (ChannelInfo), application, application_data, duration_s, bridge_id
    (`BridgeId`|`BridgeID`|`BridgeUniqueid`, "" when not bridged).
    """

    event_name: ClassVar[str] = "CoreShowChannel"
    channel: ChannelInfo
    application: str
    application_data: str
    duration_s: int | None
    bridge_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStateChange(AmiEvent):
    """A device's aggregate state changed. Fields: device (e.g. `PJSIP/1001`), state
    (Asterisk's name, e.g. `NOT_INUSE`), state_code (the DEVICE_STATES number or None)."""

    event_name: ClassVar[str] = "DeviceStateChange"
    device: str
    state: str
    state_code: int | None


# -- bridges ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeEvent(AmiEvent):
    """Fields shared by Bridge* events: bridge_id, bridge_type, bridge_technology,
    bridge_creator, bridge_name, bridge_num_channels (after the change)."""

    bridge_id: str
    bridge_type: str
    bridge_technology: str
    bridge_creator: str
    bridge_name: str
    bridge_num_channels: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeCreate(BridgeEvent):
    """A bridge was created. Fields: see BridgeEvent."""

    event_name: ClassVar[str] = "BridgeCreate"


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeDestroy(BridgeEvent):
    """A bridge was destroyed. Fields: see BridgeEvent."""

    event_name: ClassVar[str] = "BridgeDestroy"


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeEnter(BridgeEvent):
    """A channel entered a bridge. Fields: BridgeEvent's + channel (ChannelInfo),
    swap_uniqueid (channel it replaces, "" if none)."""

    event_name: ClassVar[str] = "BridgeEnter"
    channel: ChannelInfo
    swap_uniqueid: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeLeave(BridgeEvent):
    """A channel left a bridge. Fields: BridgeEvent's + channel (ChannelInfo)."""

    event_name: ClassVar[str] = "BridgeLeave"
    channel: ChannelInfo


# -- monitoring, originate, DTMF ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ChanSpyStart(AmiEvent):
    """A spy (listen/whisper/barge) started. Fields: spyer (ChannelInfo of the supervisor's
    channel), spyee (ChannelInfo of the agent's channel; its linkedid ties the spy to the
    call). An AMI-originated spy shows spyer.exten == "s"."""

    event_name: ClassVar[str] = "ChanSpyStart"
    spyer: ChannelInfo
    spyee: ChannelInfo | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ChanSpyStop(AmiEvent):
    """A spy stopped. Fields: spyer, spyee (None if the spyee was already gone)."""

    event_name: ClassVar[str] = "ChanSpyStop"
    spyer: ChannelInfo
    spyee: ChannelInfo | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OriginateResponse(AmiEvent):
    """Outcome of an async Originate (same ActionID as the action).

    Fields: response (`Success`|`Failure`), success, channel (name), application, data,
    context, exten, reason (Asterisk's outgoing-call reason code: 4 answered, 1 hung up,
    3 ring timeout, 5 busy, 8 congestion, 0 failed), uniqueid, caller_id_num, caller_id_name.
    """

    event_name: ClassVar[str] = "OriginateResponse"
    response: str
    success: bool
    channel: str
    application: str
    data: str
    context: str
    exten: str
    reason: int | None
    uniqueid: str
    caller_id_num: str
    caller_id_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DTMFBegin(ChannelEvent):
    """A DTMF digit started (ChanSpy mode switches show only as these). Fields: channel,
    digit, direction (`Received`|`Sent`)."""

    event_name: ClassVar[str] = "DTMFBegin"
    digit: str
    direction: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DTMFEnd(ChannelEvent):
    """A DTMF digit ended. Fields: channel, digit, direction, duration_ms."""

    event_name: ClassVar[str] = "DTMFEnd"
    digit: str
    direction: str
    duration_ms: int | None


# -- system ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Shutdown(AmiEvent):
    """The PBX is stopping (EOF follows). Fields: shutdown (`Cleanly`|`Uncleanly`),
    restart (True when it will come back)."""

    event_name: ClassVar[str] = "Shutdown"
    shutdown: str
    restart: bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FullyBooted(AmiEvent):
    """The PBX finished booting (also sent right after login). Fields: status, uptime_s,
    last_reload_s."""

    event_name: ClassVar[str] = "FullyBooted"
    status: str
    uptime_s: int | None
    last_reload_s: int | None


# -- factories -----------------------------------------------------------------------------------

_Get = Callable[[str], str | None]
_Factory = Callable[[Message, _Get, float], AmiEvent]


_MEMBER_KEYS: Final = (
    "Queue",
    "Interface",
    "Location",
    "MemberName",
    "Name",
    "StateInterface",
    "Membership",
    "Penalty",
    "CallsTaken",
    "LastCall",
    "LastPause",
    "LoginTime",
    "InCall",
    "Status",
    "Paused",
    "PausedReason",
    "Ringinuse",
    "Wrapuptime",
)


def _member(cls: type[QueueMemberEvent]) -> _Factory:
    def build(m: Message, g: _Get, ts: float) -> AmiEvent:
        # One C-level pass over the keys (this is the most frequent typed event).
        (
            queue,
            interface,
            location,
            member_name,
            name,
            state_interface,
            membership,
            penalty,
            calls_taken,
            last_call,
            last_pause,
            login_time,
            in_call,
            status,
            paused,
            paused_reason,
            ring_in_use,
            wrapup,
        ) = map(g, _MEMBER_KEYS)
        if ring_in_use is None:
            ring_in_use = g("RingInUse")
        if wrapup is None:
            wrapup = g("WrapupTime")
        return cls(
            message=m,
            received_at=ts,
            queue=queue or "",
            interface=interface or location or g("Member") or "",
            member_name=member_name or name or "",
            state_interface=state_interface or "",
            membership=membership or "",
            penalty=_int(penalty),
            calls_taken=_int(calls_taken),
            last_call=_int(last_call),
            last_pause=_int(last_pause),
            login_time=_int(login_time),
            in_call=_bool(in_call),
            status=_int(status),
            paused=_bool(paused),
            paused_reason=paused_reason or g("Reason") or "",
            ring_in_use=_bool(ring_in_use),
            wrapup_time_s=_int(wrapup),
        )

    return build


def _queue_params(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueParams(
        message=m,
        received_at=ts,
        queue=g("Queue") or "",
        max_callers=_int(g("Max")),
        strategy=g("Strategy") or "",
        calls=_int(g("Calls")),
        hold_time_s=_int(_first(g, "Holdtime", "HoldTime")),
        talk_time_s=_int(g("TalkTime")),
        completed=_int(g("Completed")),
        abandoned=_int(g("Abandoned")),
        service_level_s=_int(g("ServiceLevel")),
        service_level_perf=_float(g("ServicelevelPerf")),
        service_level_perf2=_float(g("ServicelevelPerf2")),
        weight=_int(g("Weight")),
    )


def _queue_entry(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueEntry(
        message=m,
        received_at=ts,
        queue=g("Queue") or "",
        position=_int(g("Position")),
        channel=g("Channel") or "",
        uniqueid=g("Uniqueid") or "",
        caller_id_num=_cid(_first(g, "CallerIDNum", "CallerID")),
        caller_id_name=_cid(g("CallerIDName")),
        connected_line_num=_cid(g("ConnectedLineNum")),
        connected_line_name=_cid(g("ConnectedLineName")),
        wait_s=_int(g("Wait")),
        priority=_int(g("Priority")),
    )


def _queue_summary(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueSummary(
        message=m,
        received_at=ts,
        queue=g("Queue") or "",
        logged_in=_int(g("LoggedIn")),
        available=_int(g("Available")),
        callers=_int(g("Callers")),
        hold_time_s=_int(_first(g, "HoldTime", "Holdtime")),
        talk_time_s=_int(g("TalkTime")),
        longest_hold_time_s=_int(g("LongestHoldTime")),
    )


def _list_complete(cls: type[ListComplete]) -> _Factory:
    def build(m: Message, g: _Get, ts: float) -> AmiEvent:
        return cls(
            message=m,
            received_at=ts,
            event=m.name or "",
            list_items=_int(g("ListItems")),
        )

    return build


def _caller_join(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueCallerJoin(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        queue=g("Queue") or "",
        position=_int(g("Position")),
        count=_int(g("Count")),
    )


def _caller_leave(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueCallerLeave(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        queue=g("Queue") or "",
        position=_int(g("Position")),
        count=_int(g("Count")),
    )


def _caller_abandon(m: Message, g: _Get, ts: float) -> AmiEvent:
    return QueueCallerAbandon(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        queue=g("Queue") or "",
        position=_int(g("Position")),
        original_position=_int(g("OriginalPosition")),
        hold_time_s=_int(_first(g, "HoldTime", "Holdtime")),
    )


def _agent_common(g: _Get) -> tuple[ChannelInfo | None, ChannelInfo | None, str, str, str]:
    return (
        _channel(g),
        _channel(g, "Dest"),
        g("Queue") or "",
        _first(g, "Interface", "Member", "Location") or "",
        _first(g, "MemberName", "Name") or "",
    )


def _agent_called(m: Message, g: _Get, ts: float) -> AmiEvent:
    ch, dest, queue, iface, member = _agent_common(g)
    return AgentCalled(
        message=m,
        received_at=ts,
        channel=ch,
        dest=dest,
        queue=queue,
        interface=iface,
        member_name=member,
    )


def _agent_dump(m: Message, g: _Get, ts: float) -> AmiEvent:
    ch, dest, queue, iface, member = _agent_common(g)
    return AgentDump(
        message=m,
        received_at=ts,
        channel=ch,
        dest=dest,
        queue=queue,
        interface=iface,
        member_name=member,
    )


def _agent_connect(m: Message, g: _Get, ts: float) -> AmiEvent:
    ch, dest, queue, iface, member = _agent_common(g)
    ring_s = _int(_first(g, "RingTime", "Ringtime"))  # seconds in AgentConnect
    return AgentConnect(
        message=m,
        received_at=ts,
        channel=ch,
        dest=dest,
        queue=queue,
        interface=iface,
        member_name=member,
        hold_time_s=_int(_first(g, "HoldTime", "Holdtime")),
        ring_time_ms=None if ring_s is None else ring_s * 1000,
    )


def _agent_complete(m: Message, g: _Get, ts: float) -> AmiEvent:
    ch, dest, queue, iface, member = _agent_common(g)
    return AgentComplete(
        message=m,
        received_at=ts,
        channel=ch,
        dest=dest,
        queue=queue,
        interface=iface,
        member_name=member,
        hold_time_s=_int(_first(g, "HoldTime", "Holdtime")),
        talk_time_s=_int(_first(g, "TalkTime", "Talktime")),
        reason=g("Reason") or "",
    )


def _agent_ring_no_answer(m: Message, g: _Get, ts: float) -> AmiEvent:
    ch, dest, queue, iface, member = _agent_common(g)
    return AgentRingNoAnswer(
        message=m,
        received_at=ts,
        channel=ch,
        dest=dest,
        queue=queue,
        interface=iface,
        member_name=member,
        ring_time_ms=_int(_first(g, "RingTime", "Ringtime")),  # milliseconds here
    )


def _plain_channel(cls: type[ChannelEvent]) -> _Factory:
    def build(m: Message, g: _Get, ts: float) -> AmiEvent:
        return cls(message=m, received_at=ts, channel=_required_channel(g))

    return build


def _hangup(m: Message, g: _Get, ts: float) -> AmiEvent:
    return Hangup(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        cause=_int(g("Cause")),
        cause_txt=g("Cause-txt") or "",
    )


def _new_callerid(m: Message, g: _Get, ts: float) -> AmiEvent:
    return NewCallerid(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        cid_calling_pres=g("CID-CallingPres") or "",
    )


def _hold(m: Message, g: _Get, ts: float) -> AmiEvent:
    if (g("Status") or "").lower() == "off":  # Asterisk 11: Hold with Status: Off
        return Unhold(message=m, received_at=ts, channel=_required_channel(g))
    return Hold(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        music_class=g("MusicClass") or "",
    )


def _dial_begin(m: Message, g: _Get, ts: float) -> AmiEvent:
    return DialBegin(
        message=m,
        received_at=ts,
        channel=_channel(g),
        dest=_channel(g, "Dest"),
        dial_string=g("DialString") or "",
    )


def _dial_end(m: Message, g: _Get, ts: float) -> AmiEvent:
    return DialEnd(
        message=m,
        received_at=ts,
        channel=_channel(g),
        dest=_channel(g, "Dest"),
        dial_status=g("DialStatus") or "",
        forward=g("Forward") or "",
    )


def _core_show_channel(m: Message, g: _Get, ts: float) -> AmiEvent:
    return CoreShowChannel(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        application=g("Application") or "",
        application_data=_first(g, "ApplicationData", "Data") or "",
        duration_s=_hms(g("Duration")),
        bridge_id=_first(g, "BridgeId", "BridgeID", "BridgeUniqueid", "BridgedUniqueid") or "",
    )


def _device_state(m: Message, g: _Get, ts: float) -> AmiEvent:
    state = g("State") or ""
    return DeviceStateChange(
        message=m,
        received_at=ts,
        device=g("Device") or "",
        state=state,
        state_code=DEVICE_STATES.get(state.upper()),
    )


def _bridge_plain(cls: type[BridgeCreate] | type[BridgeDestroy]) -> _Factory:
    def build(m: Message, g: _Get, ts: float) -> AmiEvent:
        return cls(
            message=m,
            received_at=ts,
            bridge_id=_first(g, "BridgeUniqueid", "BridgeID", "BridgeId") or "",
            bridge_type=g("BridgeType") or "",
            bridge_technology=g("BridgeTechnology") or "",
            bridge_creator=_cid(g("BridgeCreator")),
            bridge_name=_cid(g("BridgeName")),
            bridge_num_channels=_int(g("BridgeNumChannels")),
        )

    return build


def _bridge_enter(m: Message, g: _Get, ts: float) -> AmiEvent:
    return BridgeEnter(
        message=m,
        received_at=ts,
        bridge_id=_first(g, "BridgeUniqueid", "BridgeID", "BridgeId") or "",
        bridge_type=g("BridgeType") or "",
        bridge_technology=g("BridgeTechnology") or "",
        bridge_creator=_cid(g("BridgeCreator")),
        bridge_name=_cid(g("BridgeName")),
        bridge_num_channels=_int(g("BridgeNumChannels")),
        channel=_required_channel(g),
        swap_uniqueid=g("SwapUniqueid") or "",
    )


def _bridge_leave(m: Message, g: _Get, ts: float) -> AmiEvent:
    return BridgeLeave(
        message=m,
        received_at=ts,
        bridge_id=_first(g, "BridgeUniqueid", "BridgeID", "BridgeId") or "",
        bridge_type=g("BridgeType") or "",
        bridge_technology=g("BridgeTechnology") or "",
        bridge_creator=_cid(g("BridgeCreator")),
        bridge_name=_cid(g("BridgeName")),
        bridge_num_channels=_int(g("BridgeNumChannels")),
        channel=_required_channel(g),
    )


def _spy(cls: type[ChanSpyStart] | type[ChanSpyStop]) -> _Factory:
    def build(m: Message, g: _Get, ts: float) -> AmiEvent:
        return cls(
            message=m,
            received_at=ts,
            spyer=_required_channel(g, "Spyer"),
            spyee=_channel(g, "Spyee"),
        )

    return build


def _originate_response(m: Message, g: _Get, ts: float) -> AmiEvent:
    response = g("Response") or ""
    return OriginateResponse(
        message=m,
        received_at=ts,
        response=response,
        success=response.lower() == "success",
        channel=g("Channel") or "",
        application=g("Application") or "",
        data=g("Data") or "",
        context=g("Context") or "",
        exten=g("Exten") or "",
        reason=_int(g("Reason")),
        uniqueid=g("Uniqueid") or "",
        caller_id_num=_cid(g("CallerIDNum")),
        caller_id_name=_cid(g("CallerIDName")),
    )


def _dtmf_begin(m: Message, g: _Get, ts: float) -> AmiEvent:
    return DTMFBegin(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        digit=g("Digit") or "",
        direction=g("Direction") or "",
    )


def _dtmf_end(m: Message, g: _Get, ts: float) -> AmiEvent:
    return DTMFEnd(
        message=m,
        received_at=ts,
        channel=_required_channel(g),
        digit=g("Digit") or "",
        direction=g("Direction") or "",
        duration_ms=_int(g("DurationMs")),
    )


def _shutdown(m: Message, g: _Get, ts: float) -> AmiEvent:
    return Shutdown(
        message=m,
        received_at=ts,
        shutdown=g("Shutdown") or "",
        restart=_bool(g("Restart")),
    )


def _fully_booted(m: Message, g: _Get, ts: float) -> AmiEvent:
    return FullyBooted(
        message=m,
        received_at=ts,
        status=g("Status") or "",
        uptime_s=_int(g("Uptime")),
        last_reload_s=_int(g("LastReload")),
    )


_FACTORIES: Final[dict[str, _Factory]] = {
    "QueueParams": _queue_params,
    "QueueMember": _member(QueueMember),
    "QueueEntry": _queue_entry,
    "QueueSummary": _queue_summary,
    "QueueStatusComplete": _list_complete(QueueStatusComplete),
    "QueueSummaryComplete": _list_complete(QueueSummaryComplete),
    "CoreShowChannelsComplete": _list_complete(CoreShowChannelsComplete),
    "QueueCallerJoin": _caller_join,
    "Join": _caller_join,
    "QueueCallerLeave": _caller_leave,
    "Leave": _caller_leave,
    "QueueCallerAbandon": _caller_abandon,
    "AgentCalled": _agent_called,
    "AgentConnect": _agent_connect,
    "AgentComplete": _agent_complete,
    "AgentRingNoAnswer": _agent_ring_no_answer,
    "AgentDump": _agent_dump,
    "QueueMemberStatus": _member(QueueMemberStatus),
    "QueueMemberAdded": _member(QueueMemberAdded),
    "QueueMemberRemoved": _member(QueueMemberRemoved),
    "QueueMemberPause": _member(QueueMemberPause),
    "QueueMemberPaused": _member(QueueMemberPause),
    "QueueMemberRinginuse": _member(QueueMemberRinginuse),
    "QueueMemberPenalty": _member(QueueMemberPenalty),
    "Newchannel": _plain_channel(Newchannel),
    "Newstate": _plain_channel(Newstate),
    "Hangup": _hangup,
    "NewConnectedLine": _plain_channel(NewConnectedLine),
    "NewCallerid": _new_callerid,
    "Hold": _hold,
    "Unhold": _plain_channel(Unhold),
    "DialBegin": _dial_begin,
    "DialEnd": _dial_end,
    "BridgeCreate": _bridge_plain(BridgeCreate),
    "BridgeDestroy": _bridge_plain(BridgeDestroy),
    "BridgeEnter": _bridge_enter,
    "BridgeLeave": _bridge_leave,
    "ChanSpyStart": _spy(ChanSpyStart),
    "ChanSpyStop": _spy(ChanSpyStop),
    "OriginateResponse": _originate_response,
    "DTMFBegin": _dtmf_begin,
    "DTMFEnd": _dtmf_end,
    "Shutdown": _shutdown,
    "FullyBooted": _fully_booted,
    "CoreShowChannel": _core_show_channel,
    "DeviceStateChange": _device_state,
}

TYPED_EVENT_NAMES: Final[frozenset[str]] = frozenset(_FACTORIES)


def typed_event(message: Message, received_at: float = 0.0) -> AmiEvent | None:
    """The typed event for an event frame the console has a class for, else None.

    The fast path for consumers that ignore untyped events (the store): frames of other
    events are never split into headers.
    """
    raw = message._raw  # the hot path of ingest: read the frame's first line directly
    if raw is not None and raw.startswith("Event: ") and raw[7:8] not in _BLANK_OR_END:
        end = raw.find("\r\n")
        factory = _FACTORIES.get(raw[7:end] if end >= 0 else raw[7:])
        if factory is None:
            return None
        return factory(message, message.exact_map().get, received_at)
    if raw is not None and raw.startswith("Response: ") and _EVENT_LINE.search(raw) is None:
        return None  # a response to an action: not classified by parsing every header
    name = message.event_name
    if name is None:
        return None
    factory = _FACTORIES.get(name)
    if factory is None:
        return None
    return factory(message, message.get, received_at)


def event_from_headers(
    name: str, get: Callable[[str], str | None], message: Message, received_at: float = 0.0
) -> AmiEvent:
    """The typed event (else a GenericEvent) for event `name` whose headers `get` already
    looks up exactly (a recorded event's decoded fields), without reading `message` again."""
    factory = _FACTORIES.get(name)
    if factory is not None:
        return factory(message, get, received_at)
    return GenericEvent(message=message, received_at=received_at, event=name)


def to_event(message: Message, received_at: float = 0.0) -> AmiEvent:
    """The typed event for an event frame (GenericEvent if the console has no class for it).

    Raises ValueError if `message` is not an event (a response or an action).
    """
    name = message.event_name
    if name is None:
        raise ValueError(f"not an AMI event: {message!r}")
    factory = _FACTORIES.get(name)
    if factory is not None:
        # Asterisk's own spelling of every header is looked up directly (aliases are listed
        # explicitly); a frame that does not start with `Event: ` is from some other dialect
        # and gets case-insensitive look-ups.
        if message.raw.startswith("Event: "):
            return factory(message, message.exact_map().get, received_at)
        return factory(message, message.get, received_at)
    if name.endswith("Complete") and (message.get("EventList") or "").lower() == "complete":
        return ListComplete(
            message=message,
            received_at=received_at,
            event=name,
            list_items=_int(message.get("ListItems")),
        )
    return GenericEvent(message=message, received_at=received_at, event=name)
