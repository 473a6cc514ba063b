"""One reducer per typed AMI event: translate `cti.ami.events` fields into store updates.

The store's own methods (`on_member`, `on_agent_connect` ...) take plain values so the rules
live in one place; this module is the only one that knows event field names. Events the store
does not need (VarSet, RTCP, security events: three quarters of a real stream) have no entry,
so `FloorStore.apply` drops them with one dict lookup.

Counting sources (never the sync lists): offered/answered/waits from AgentConnect
`HoldTime`, abandons from QueueCallerAbandon `HoldTime`, talk from AgentComplete `TalkTime`,
ring-no-answer from AgentRingNoAnswer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cti.ami import events as ev
from cti.ami.sync import SyncSnapshot
from cti.state.facts import ChannelFacts, EntryFacts, MemberFacts

if TYPE_CHECKING:
    from cti.state.store import FloorStore

Handler = Callable[[Any], None]


def member_facts(e: ev.QueueMemberEvent) -> MemberFacts:
    return MemberFacts(
        queue=e.queue,
        interface=e.interface,
        name=e.member_name or None,
        state_interface=e.state_interface or None,
        status=e.status,
        paused=e.paused,
        paused_reason=e.paused_reason or None,
        penalty=e.penalty,
        calls_taken=e.calls_taken,
        last_call=float(e.last_call) if e.last_call is not None else None,
        wrapup_s=float(e.wrapup_time_s) if e.wrapup_time_s is not None else None,
    )


def build_dispatch(store: FloorStore) -> dict[type, Handler]:
    """Map each typed event class to a bound reducer for `store`."""
    now = store._now  # clock + due time-driven transitions, once per applied event
    s = store

    def member(e: ev.QueueMemberEvent) -> None:
        if e.interface and e.queue:
            s.on_member(member_facts(e), now())

    def member_pause(e: ev.QueueMemberPause) -> None:
        if e.interface and e.queue:
            s.on_member(member_facts(e), now(), pause_event=True)

    def member_removed(e: ev.QueueMemberRemoved) -> None:
        if e.interface and e.queue:
            s.on_member(member_facts(e), now(), removed=True)

    def device_state(e: ev.DeviceStateChange) -> None:
        if e.state_code is not None:
            s.on_device_state(e.device, e.state_code, now())

    def caller_join(e: ev.QueueCallerJoin) -> None:
        ch = e.channel
        s.on_caller_join(
            e.queue,
            ch.uniqueid,
            ch.linkedid or ch.uniqueid,
            ch.name,
            ch.caller_id_num or None,
            ch.caller_id_name or None,
            e.position or 0,
            now(),
        )

    def caller_leave(e: ev.QueueCallerLeave) -> None:
        ch = e.channel
        s.on_caller_leave(e.queue, ch.uniqueid, ch.linkedid or None, now())

    def caller_abandon(e: ev.QueueCallerAbandon) -> None:
        ch = e.channel
        s.on_caller_abandon(
            e.queue, ch.uniqueid, ch.linkedid or None, float(e.hold_time_s or 0), now()
        )

    def _ids(e: ev.AgentEvent) -> tuple[str, str]:
        ch = e.channel
        if ch is not None:
            return ch.uniqueid, ch.linkedid or ch.uniqueid
        dest = e.dest
        lid = dest.linkedid if dest is not None else ""
        return lid, lid

    def agent_called(e: ev.AgentCalled) -> None:
        if e.interface:
            ch = e.channel
            s.on_agent_called(
                e.queue,
                e.interface,
                _ids(e)[1],
                now(),
                (ch.caller_id_num or None) if ch else None,
                (ch.caller_id_name or None) if ch else None,
            )

    def ring_no_answer(e: ev.AgentRingNoAnswer) -> None:
        if e.interface:
            s.on_ring_no_answer(e.queue, e.interface, _ids(e)[1], now())

    def agent_dump(e: ev.AgentDump) -> None:
        if e.interface:
            s.on_agent_dump(e.interface, _ids(e)[1], now())

    def agent_connect(e: ev.AgentConnect) -> None:
        if not e.interface:
            return
        uniqueid, linkedid = _ids(e)
        ch = e.channel
        s.on_agent_connect(
            e.queue,
            e.interface,
            uniqueid,
            linkedid,
            (ch.caller_id_num or None) if ch else None,
            (ch.caller_id_name or None) if ch else None,
            float(e.hold_time_s or 0),
            now(),
        )

    def agent_complete(e: ev.AgentComplete) -> None:
        if e.interface:
            s.on_agent_complete(e.queue, e.interface, _ids(e)[1], float(e.talk_time_s or 0), now())

    def hold(e: ev.Hold) -> None:
        s.on_hold(e.channel.name, e.channel.linkedid or None, True, now())

    def unhold(e: ev.Unhold) -> None:
        s.on_hold(e.channel.name, e.channel.linkedid or None, False, now())

    def connected_line(e: ev.NewConnectedLine | ev.Newstate) -> None:
        ch = e.channel
        if ch.state in (5, 6) and ch.connected_line_num:
            s.on_connected_line(
                ch.name, ch.connected_line_num, ch.connected_line_name or None, now()
            )

    def hangup(e: ev.Hangup) -> None:
        ch = e.channel
        s.on_hangup(ch.name, ch.uniqueid, ch.linkedid or None, now())

    def bridge_create(e: ev.BridgeCreate) -> None:
        s.on_bridge(e.bridge_id, None, "create")

    def bridge_destroy(e: ev.BridgeDestroy) -> None:
        s.on_bridge(e.bridge_id, None, "destroy")

    def bridge_enter(e: ev.BridgeEnter) -> None:
        s.on_bridge(e.bridge_id, e.channel.name, "enter")

    def bridge_leave(e: ev.BridgeLeave) -> None:
        s.on_bridge(e.bridge_id, e.channel.name, "leave")

    def spy_start(e: ev.ChanSpyStart) -> None:
        spyee = e.spyee
        if spyee is None:
            return
        sp = e.spyer
        s.on_spy_start(
            sp.name,
            sp.caller_id_num or None,
            sp.caller_id_name or None,
            sp.exten or None,
            spyee.name,
            spyee.linkedid or None,
            now(),
        )

    def spy_stop(e: ev.ChanSpyStop) -> None:
        now()
        s.on_spy_stop(e.spyer.name)

    def dtmf_end(e: ev.DTMFEnd) -> None:
        now()
        s.on_dtmf(e.channel.name, e.digit)

    def originate_response(e: ev.OriginateResponse) -> None:
        if e.application.lower() == "chanspy" and e.channel:
            s.on_spy_options(e.channel, e.data.partition(",")[2])

    def generic(e: ev.GenericEvent) -> None:
        # Only Newexten matters: `Application: ChanSpy` tells the spy's options (w/B/d).
        if e.event != "Newexten":
            return
        m = e.message
        if (m.get("Application") or "").lower() == "chanspy":
            channel = m.get("Channel")
            if channel:
                s.on_spy_options(channel, (m.get("AppData") or "").partition(",")[2])

    def queue_params(e: ev.QueueParams) -> None:
        if e.queue:
            s.on_queue_params(e.queue, e.strategy or None)

    def queue_entry(e: ev.QueueEntry) -> None:
        if e.queue and e.uniqueid:
            s.on_entry(
                EntryFacts(
                    queue=e.queue,
                    uniqueid=e.uniqueid,
                    channel=e.channel,
                    number=e.caller_id_num or None,
                    name=e.caller_id_name or None,
                    position=e.position or 0,
                    wait_s=float(e.wait_s or 0),
                ),
                None,
                now(),
            )

    def shutdown(e: ev.Shutdown) -> None:
        now()
        s.mark_stale("PBX restarting" if e.restart else "PBX shut down")

    return {
        ev.QueueMember: member,
        ev.QueueMemberStatus: member,
        ev.QueueMemberAdded: member,
        ev.QueueMemberPenalty: member,
        ev.QueueMemberRinginuse: member,
        ev.QueueMemberPause: member_pause,
        ev.QueueMemberRemoved: member_removed,
        ev.DeviceStateChange: device_state,
        ev.QueueCallerJoin: caller_join,
        ev.QueueCallerLeave: caller_leave,
        ev.QueueCallerAbandon: caller_abandon,
        ev.AgentCalled: agent_called,
        ev.AgentRingNoAnswer: ring_no_answer,
        ev.AgentDump: agent_dump,
        ev.AgentConnect: agent_connect,
        ev.AgentComplete: agent_complete,
        ev.Hold: hold,
        ev.Unhold: unhold,
        ev.Hangup: hangup,
        ev.NewConnectedLine: connected_line,
        ev.Newstate: connected_line,
        ev.BridgeCreate: bridge_create,
        ev.BridgeDestroy: bridge_destroy,
        ev.BridgeEnter: bridge_enter,
        ev.BridgeLeave: bridge_leave,
        ev.ChanSpyStart: spy_start,
        ev.ChanSpyStop: spy_stop,
        ev.DTMFEnd: dtmf_end,
        ev.OriginateResponse: originate_response,
        ev.GenericEvent: generic,
        ev.QueueParams: queue_params,
        ev.QueueEntry: queue_entry,
        ev.Shutdown: shutdown,
    }


def snapshot_facts(
    items: Iterable[object],
) -> tuple[list[tuple[str, str | None]], list[MemberFacts], list[EntryFacts], list[ChannelFacts]]:
    """Sort a sync snapshot's list items (QueueParams, QueueMember, QueueEntry,
    CoreShowChannel; anything else is ignored) into the facts `FloorStore.resync` takes."""
    params: list[tuple[str, str | None]] = []
    members: list[MemberFacts] = []
    entries: list[EntryFacts] = []
    channels: list[ChannelFacts] = []
    for item in items:
        if isinstance(item, ev.QueueParams):
            if item.queue:
                params.append((item.queue, item.strategy or None))
        elif isinstance(item, ev.QueueMemberEvent):
            if item.queue and item.interface:
                members.append(member_facts(item))
        elif isinstance(item, ev.QueueEntry):
            if item.queue and item.uniqueid:
                entries.append(
                    EntryFacts(
                        queue=item.queue,
                        uniqueid=item.uniqueid,
                        channel=item.channel,
                        number=item.caller_id_num or None,
                        name=item.caller_id_name or None,
                        position=item.position or 0,
                        wait_s=float(item.wait_s or 0),
                    )
                )
        elif isinstance(item, ev.CoreShowChannel):
            ch = item.channel
            if ch.name:
                channels.append(
                    ChannelFacts(
                        channel=ch.name,
                        uniqueid=ch.uniqueid,
                        linkedid=ch.linkedid or ch.uniqueid,
                        caller_number=ch.caller_id_num or None,
                        caller_name=ch.caller_id_name or None,
                        connected_number=ch.connected_line_num or None,
                        connected_name=ch.connected_line_name or None,
                        application=item.application or None,
                        application_data=item.application_data or None,
                        bridge_id=item.bridge_id or None,
                        duration_s=float(item.duration_s) if item.duration_s is not None else None,
                    )
                )
    return params, members, entries, channels


def snapshot_items(snapshot: SyncSnapshot) -> tuple[list[object], str | None]:
    """The list items and the Asterisk version carried by the AMI client's SyncSnapshot."""
    items: list[object] = [
        *snapshot.queue_params,
        *snapshot.queue_members,
        *snapshot.queue_entries,
        *snapshot.channels,
    ]
    return items, snapshot.asterisk_version or None
