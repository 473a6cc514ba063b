"""State of the lab's SIP side: call legs, connections, spies, simulated calls, results.

Mutable on purpose (the SIP side updates them in place from pjsua2 callbacks); private to
`cti.lab` except the frozen results `OriginateResult` and `SpyStatus`. A `Leg` is one SIP call
of the lab with its Asterisk channel (`Chan`, the same object the simulation uses, so the
AMI templates serve both). Numbers follow Asterisk: device states as QueueMemberStatus shows
them, Originate reasons as OriginateResponse shows them, Q.850 causes as Hangup shows them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cti.lab.chanspy import ChanSpyOptions
from cti.lab.sim_model import Chan
from cti.lab.sip_audio import Source
from cti.lab.sip_mixing import SpyMode

if TYPE_CHECKING:
    from cti.lab.sip_endpoint import LabCall

Headers = list[tuple[str, str]]

MAX_CALLS = 4  # the wheel's real limit, whatever maxCalls says

DEVICE_NOT_INUSE = 1
DEVICE_INUSE = 2
DEVICE_UNAVAILABLE = 5
DEVICE_RINGING = 6
DEVICE_NAMES = {1: "NOT_INUSE", 2: "INUSE", 5: "UNAVAILABLE", 6: "RINGING"}

REASON_FAILURE = 0
REASON_HANGUP = 1
REASON_NO_ANSWER = 3
REASON_ANSWERED = 4
REASON_BUSY = 5
REASON_CONGESTION = 8


@dataclass(frozen=True)
class OriginateResult:
    """Outcome of `originate_chanspy`, for the AMI server's OriginateResponse."""

    success: bool
    reason: int  # 4 answered, 0 failure, 1 hung up, 3 no answer, 5 busy, 8 congestion
    channel: str
    uniqueid: str
    caller_id_num: str
    caller_id_name: str


OnResult = Callable[[OriginateResult], None]


@dataclass(frozen=True)
class SpyStatus:
    """One monitoring session as the lab sees it."""

    channel: str
    spyer: str
    spyee_ext: str
    mode: SpyMode
    spying: bool
    spyee_channel: str


class LegRole(enum.Enum):
    INBOUND = "inbound"  # a client called the lab (queue caller, dialler, feature-code spy)
    AGENT = "agent"  # the lab rings an extension for a queue call or a direct dial
    ORIGINATE = "originate"  # the lab calls a spyer for AMI Originate


class ConnState(enum.Enum):
    WAITING = "waiting"
    RINGING = "ringing"
    CONNECTED = "connected"
    ENDED = "ended"


class SpyState(enum.Enum):
    DIALLING = "dialling"  # originate: the spyer's phone is ringing
    WAITING = "waiting"  # answered; the spied-on extension has no call (yet / any more)
    SPYING = "spying"
    ENDED = "ended"


@dataclass(eq=False)
class Leg:
    key: str
    role: LegRole
    user: str  # the SIP user on the far end (1001, 1900, 2001 …)
    chan: Chan
    call: LabCall | None
    media: object = None  # pj.AudioMedia of the call while its audio is active
    port_id: int | None = None
    answered: bool = False
    ended: bool = False
    hangup_emitted: bool = False
    ringing: bool = False
    timed_out: bool = False
    end_code: int = 0
    connection: Connection | None = None
    spy: Spy | None = None
    dtmf_digit: str | None = None
    dtmf_seen: float = 0.0
    dtmf_duration: int = 0


@dataclass(eq=False)
class Connection:
    """A caller being connected to an agent: a queue call, or a direct extension dial."""

    caller: Leg
    queue: str | None
    target_ext: str | None
    joined: float
    original_position: int
    state: ConnState = ConnState.WAITING
    agent: Leg | None = None
    attempt_started: float = 0.0
    ring_deadline: float = 0.0
    retry_at: float = 0.0
    bridge_id: str = ""
    connected_at: float = 0.0

    def party_of(self, user: str) -> Leg | None:
        """The leg of `user` in this connection (the spied-on side)."""
        if self.agent is not None and self.agent.user == user:
            return self.agent
        return self.caller if self.caller.user == user else None

    def other(self, leg: Leg) -> Leg | None:
        return self.caller if leg is self.agent else self.agent


@dataclass(eq=False)
class SimCall:
    agent_ext: str
    caller_number: str
    queue: str
    language: str
    agent_channel: Headers | None


@dataclass(eq=False)
class Spy:
    leg: Leg
    ext: str
    options: ChanSpyOptions
    mode: SpyMode
    exten: str
    state: SpyState
    target: Connection | SimCall | None = None
    spyee_block: Headers = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # caller, agent of a simulated call
    beep: Source | None = None
    on_result: OnResult | None = None
    deadline: float = 0.0

    def status(self) -> SpyStatus:
        return SpyStatus(
            self.leg.chan.name,
            self.leg.user,
            self.ext,
            self.mode,
            self.state is SpyState.SPYING,
            dict(self.spyee_block).get("Channel", ""),
        )


def cause_of(code: int) -> int:
    """SIP final status → Q.850 cause as Asterisk reports it in Hangup."""
    if code in (0, 200):
        return 16
    return {486: 17, 600: 17, 408: 19, 480: 19, 603: 21, 404: 1, 487: 16}.get(code, 16)


def dial_status(code: int, timed_out: bool) -> str:
    """DialEnd's DialStatus for a leg that ended before it was answered."""
    if timed_out or code in (408, 480, 487):
        return "NOANSWER"
    if code in (486, 600, 603):
        return "BUSY"
    return "CHANUNAVAIL"


def sip_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def parse_caller_id(caller_id: str | None, number: str, name: str) -> tuple[str, str]:
    """AMI `CallerID: "Name" <num>` (or just a number / a name) → (num, name)."""
    if not caller_id:
        return number, name
    text = caller_id.strip()
    if "<" in text and text.endswith(">"):
        shown, _, rest = text.partition("<")
        return rest[:-1].strip() or number, shown.strip().strip('"') or name
    if text.isdigit():
        return text, name
    return number, text.strip('"')
