"""AMI events of the lab's SIP side, field for field as Asterisk 22.10.1 sends them.

Channel-shaped events reuse `ami_templates` (the simulation's builders, checked against the
capture by the conformance test) so a real SIP channel looks exactly like a simulated one.
This module adds what only the SIP side produces: ChanSpyStart/Stop, DTMFBegin/End,
registration (PeerStatus, ContactStatus), security events, the queue/agent events of real
SIP calls (whose members are plain interfaces, not simulated agents) and the Dest-only
DialBegin/DialState/DialEnd of an AMI Originate (the capture has no source channel there).
"""

from __future__ import annotations

from cti.lab.ami_templates import AGENT, CALL, SYSTEM, Headers, channel_block, channel_event
from cti.lab.sim_model import Chan

DTMF = "dtmf,all"
SECURITY = "security,all"


def prefixed(block: Headers, prefix: str) -> Headers:
    return [(prefix + name, value) for name, value in block]


def chanspy(name: str, spyer: Chan, spyee_block: Headers) -> Headers:
    """ChanSpyStart / ChanSpyStop; `spyee_block` is an unprefixed channel block."""
    return [
        ("Event", name),
        ("Privilege", CALL),
        *channel_block(spyer, "Spyer"),
        *prefixed(spyee_block, "Spyee"),
    ]


def dtmf_begin(c: Chan, digit: str) -> Headers:
    return [*channel_event("DTMFBegin", c, DTMF), ("Digit", digit), ("Direction", "Received")]


def dtmf_end(c: Chan, digit: str, duration_ms: int) -> Headers:
    return [
        *channel_event("DTMFEnd", c, DTMF),
        ("Digit", digit),
        ("DurationMs", str(duration_ms)),
        ("Direction", "Received"),
    ]


def dest_only(name: str, dest: Chan, tail: Headers) -> Headers:
    """DialBegin / DialState / DialEnd of an originated channel (no calling channel)."""
    return [("Event", name), ("Privilege", CALL), *channel_block(dest, "Dest"), *tail]


def agent_event(
    name: str, caller: Chan, dest: Chan, queue: str, interface: str, member_name: str
) -> Headers:
    """The head of AgentCalled / AgentConnect / AgentComplete / AgentRingNoAnswer."""
    return [
        *channel_event(name, caller, AGENT),
        *channel_block(dest, "Dest"),
        ("Queue", queue),
        ("Interface", interface),
        ("MemberName", member_name),
    ]


def peer_status(user: str, reachable: bool) -> Headers:
    return [
        ("Event", "PeerStatus"),
        ("Privilege", SYSTEM),
        ("ChannelType", "PJSIP"),
        ("Peer", f"PJSIP/{user}"),
        ("PeerStatus", "Reachable" if reachable else "Unreachable"),
    ]


def contact_status(user: str, uri: str, status: str) -> Headers:
    """ContactStatus: `NonQualified` when a contact is added, `Removed` when it goes."""
    return [
        ("Event", "ContactStatus"),
        ("Privilege", SYSTEM),
        ("URI", uri),
        ("ContactStatus", status),
        ("AOR", user),
        ("EndpointName", user),
        ("RoundtripUsec", "0"),
    ]


def security_event(
    name: str,
    event_tv: str,
    account: str,
    session_id: str,
    local: tuple[str, int],
    remote: tuple[str, int],
) -> Headers:
    """ChallengeSent / SuccessfulAuth / InvalidPassword / InvalidAccountID (Service PJSIP)."""
    fields: Headers = [
        ("Event", name),
        ("Privilege", SECURITY),
        ("EventTV", event_tv),
        ("Severity", "Informational" if name in ("ChallengeSent", "SuccessfulAuth") else "Error"),
        ("Service", "PJSIP"),
        ("EventVersion", "1" if name != "InvalidPassword" else "2"),
        ("AccountID", account),
        ("SessionID", session_id),
        ("LocalAddress", f"IPV4/UDP/{local[0]}/{local[1]}"),
        ("RemoteAddress", f"IPV4/UDP/{remote[0]}/{remote[1]}"),
    ]
    if name == "ChallengeSent":
        fields.append(("Challenge", ""))
    elif name == "SuccessfulAuth":
        fields.append(("UsingPassword", "1"))
    return fields
