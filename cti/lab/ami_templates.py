"""AMI event and list-item templates, field for field as Asterisk 22.10.1 sends them.

Every builder here was written from `shared/fixtures/asterisk-22/ami-event-examples.txt`
and `ami-scenario.txt`: same names, same field order, same units (RingTime in ms in
AgentRingNoAnswer, seconds in AgentConnect; HoldTime vs Holdtime). The conformance test
compares the field lists with the capture, so a change here must keep them identical.
Events are plain `list[tuple[str, str]]` (ordered headers), the shape the AMI codec sends.
"""

from __future__ import annotations

from cti.lab.sim_model import CAUSE_TEXT, STATE_DESC, Agent, Chan, Membership

Headers = list[tuple[str, str]]

CALL = "call,all"
AGENT = "agent,all"
DIALPLAN = "dialplan,all"
SYSTEM = "system,all"


_CHANNEL_KEYS = (
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
_PREFIXED_KEYS: dict[str, tuple[str, ...]] = {"": _CHANNEL_KEYS}
_NUMBERS = [str(i) for i in range(16)]


def channel_block(c: Chan, prefix: str = "") -> Headers:
    """The 14 channel fields every channel event carries (`Dest…` with prefix "Dest")."""
    keys = _PREFIXED_KEYS.get(prefix)
    if keys is None:
        keys = _PREFIXED_KEYS[prefix] = tuple(prefix + k for k in _CHANNEL_KEYS)
    state = c.state
    prio = c.priority
    return list(
        zip(
            keys,
            (
                c.name,
                _NUMBERS[state] if 0 <= state < 16 else str(state),
                STATE_DESC.get(state, "Unknown"),
                c.cid_num,
                c.cid_name,
                c.conn_num,
                c.conn_name,
                c.language,
                "",
                c.context,
                c.exten,
                _NUMBERS[prio] if 0 <= prio < 16 else str(prio),
                c.uniqueid,
                c.linkedid,
            ),
            strict=True,
        )
    )


def channel_event(name: str, c: Chan, privilege: str = CALL) -> Headers:
    return [("Event", name), ("Privilege", privilege), *channel_block(c)]


def newchannel(c: Chan) -> Headers:
    return channel_event("Newchannel", c)


def newstate(c: Chan) -> Headers:
    return channel_event("Newstate", c)


def hangup(c: Chan, cause: int) -> Headers:
    ev = channel_event("Hangup", c)
    ev.append(("Cause", str(cause)))
    ev.append(("Cause-txt", CAUSE_TEXT.get(cause, "Unknown")))
    return ev


def dial_begin(caller: Chan, dest: Chan, dial_string: str) -> Headers:
    return [
        *channel_event("DialBegin", caller),
        *channel_block(dest, "Dest"),
        ("DialString", dial_string),
    ]


def dial_end(caller: Chan, dest: Chan, status: str) -> Headers:
    return [*channel_event("DialEnd", caller), *channel_block(dest, "Dest"), ("DialStatus", status)]


def dial_state(caller: Chan, dest: Chan, status: str) -> Headers:
    return [
        *channel_event("DialState", caller),
        *channel_block(dest, "Dest"),
        ("DialStatus", status),
    ]


def queue_caller(name: str, c: Chan, queue: str, position: int, count: int) -> Headers:
    """QueueCallerJoin / QueueCallerLeave."""
    return [
        *channel_event(name, c, AGENT),
        ("Queue", queue),
        ("Position", str(position)),
        ("Count", str(count)),
    ]


def queue_caller_abandon(
    c: Chan, queue: str, position: int, original_position: int, hold: int
) -> Headers:
    return [
        *channel_event("QueueCallerAbandon", c, AGENT),
        ("Queue", queue),
        ("Position", str(position)),
        ("OriginalPosition", str(original_position)),
        ("HoldTime", str(hold)),
    ]


def agent_event(name: str, caller: Chan, dest: Chan, queue: str, agent: Agent) -> Headers:
    """The common head of AgentCalled / AgentConnect / AgentComplete / AgentRingNoAnswer."""
    return [
        *channel_event(name, caller, AGENT),
        *channel_block(dest, "Dest"),
        ("Queue", queue),
        ("Interface", agent.interface),
        ("MemberName", agent.member_name),
    ]


def member_fields(
    agent: Agent, queue: str, m: Membership, in_call: bool, *, list_item: bool = False
) -> Headers:
    """QueueMember* event body; `list_item` gives the QueueStatus `QueueMember` variant
    (Name/Location instead of MemberName/Interface, no Ringinuse)."""
    fields: Headers = [
        ("Queue", queue),
        ("Name" if list_item else "MemberName", agent.member_name),
        ("Location" if list_item else "Interface", agent.interface),
        ("StateInterface", agent.state_interface),
        ("Membership", "dynamic"),
        ("Penalty", str(m.penalty)),
        ("CallsTaken", str(agent.calls_taken)),
        ("LastCall", str(agent.last_call)),
        ("LastPause", str(m.last_pause)),
        ("LoginTime", str(m.login_time)),
        ("InCall", "1" if in_call else "0"),
        ("Status", str(agent.status)),
        ("Paused", "1" if m.paused else "0"),
        ("PausedReason", m.reason),
    ]
    if not list_item:
        fields.append(("Ringinuse", "0"))
    fields.append(("Wrapuptime", "0"))
    return fields


def member_event(name: str, agent: Agent, queue: str, m: Membership, in_call: bool) -> Headers:
    """QueueMemberStatus / QueueMemberAdded / QueueMemberPause / QueueMemberRemoved."""
    return [("Event", name), ("Privilege", AGENT), *member_fields(agent, queue, m, in_call)]


def bridge_block(bridge_id: str, channels: int, technology: str) -> Headers:
    return [
        ("BridgeUniqueid", bridge_id),
        ("BridgeType", "basic"),
        ("BridgeTechnology", technology),
        ("BridgeCreator", "<unknown>"),
        ("BridgeName", "<unknown>"),
        ("BridgeNumChannels", str(channels)),
        ("BridgeVideoSourceMode", "none"),
    ]


def bridge_event(name: str, bridge_id: str, channels: int, technology: str) -> Headers:
    """BridgeCreate / BridgeDestroy."""
    return [("Event", name), ("Privilege", CALL), *bridge_block(bridge_id, channels, technology)]


def bridge_member_event(
    name: str, bridge_id: str, channels: int, technology: str, c: Chan
) -> Headers:
    """BridgeEnter / BridgeLeave."""
    return [
        ("Event", name),
        ("Privilege", CALL),
        *bridge_block(bridge_id, channels, technology),
        *channel_block(c),
    ]


def new_connected_line(c: Chan) -> Headers:
    return channel_event("NewConnectedLine", c)


def newexten(c: Chan, application: str, app_data: str) -> Headers:
    return [
        *channel_event("Newexten", c, DIALPLAN),
        ("Extension", c.exten),
        ("Application", application),
        ("AppData", app_data),
    ]


def hangup_request(c: Chan) -> Headers:
    return channel_event("HangupRequest", c)


def soft_hangup_request(c: Chan, cause: int) -> Headers:
    return [*channel_event("SoftHangupRequest", c), ("Cause", str(cause))]


def device_state_change(device: str, state: str) -> Headers:
    return [
        ("Event", "DeviceStateChange"),
        ("Privilege", CALL),
        ("Device", device),
        ("State", state),
    ]


def duration_hms(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def core_show_channel(c: Chan, action_id: str | None, now: float) -> Headers:
    head: Headers = [("Event", "CoreShowChannel")]
    if action_id is not None:
        head.append(("ActionID", action_id))
    return [
        *head,
        *channel_block(c),
        ("Application", c.application),
        ("ApplicationData", c.app_data),
        ("Duration", duration_hms(now - c.created)),
        ("BridgeId", c.bridge),
    ]


def status_item(c: Chan, action_id: str | None, now: float) -> Headers:
    """`Status` list item (the Status action), fields as captured."""
    fields: Headers = [
        ("Event", "Status"),
        ("Privilege", "Call"),
        *channel_block(c),
        ("Type", "PJSIP"),
        ("DNID", c.exten if c.context != "agents" else ""),
        ("EffectiveConnectedLineNum", c.conn_num),
        ("EffectiveConnectedLineName", c.conn_name),
        ("TimeToHangup", "0"),
        ("BridgeID", c.bridge),
        ("Application", c.application),
        ("Data", c.app_data),
        ("Nativeformats", "(ulaw)"),
        ("Readformat", "ulaw"),
        ("Readtrans", ""),
        ("Writeformat", "ulaw"),
        ("Writetrans", ""),
        ("Callgroup", "0"),
        ("Pickupgroup", "0"),
        ("Seconds", str(max(0, int(now - c.created)))),
    ]
    if action_id is not None:
        fields.append(("ActionID", action_id))
    return fields


def with_action_id(fields: Headers, action_id: str | None) -> Headers:
    if action_id is not None:
        fields.append(("ActionID", action_id))
    return fields
