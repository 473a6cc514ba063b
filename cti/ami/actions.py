# AMI actions the console sends, their typed results and typed errors.
#
# Rules:
# - An action is a frozen dataclass; building it validates its values, so a reason code typed
#   by the supervisor can never smuggle a line break (= a second action) onto the wire.
#   Problems raise InvalidActionError (a ValueError) at construction, before anything is sent.
# - How an action completes is declared on its class (`completion`): by its Response
#   ("response"), by a list `EventList: start` ... `EventList: Complete` ("list", see
#   correlation.py; a response carrying `EventList: start` is treated as a list whatever the
#   class says, e.g. Hangup with a regex channel), or by a later `OriginateResponse` event
#   with the same ActionID ("originate": Originate with Async).
# - A `Response: Error` becomes an ActionError subclass chosen from Asterisk's message text
#   (table ERROR_CLASSES), with that text kept in `.reason`. The exception's str() is a
#   complete sentence for the user; the console translates the known classes.
# - Results are frozen dataclasses holding the raw response and, for lists, typed items.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Final, Generic, Literal, TypeVar

from cti.ami import events as ev
from cti.ami.events import AmiEvent, ListComplete, OriginateResponse
from cti.ami.message import Message

__all__ = [
    "ERROR_CLASSES",
    "Action",
    "ActionError",
    "ActionResult",
    "ActionTimeoutError",
    "AlreadyMemberError",
    "AmiError",
    "AuthenticationFailedError",
    "Challenge",
    "ChallengeResult",
    "Command",
    "CommandResult",
    "ConnectionLostError",
    "CoreSettings",
    "CoreSettingsResult",
    "CoreShowChannels",
    "CoreShowChannelsResult",
    "Events",
    "GenericAction",
    "Hangup",
    "InterfaceNotFoundError",
    "InvalidActionError",
    "ListResult",
    "Login",
    "Logoff",
    "NoSuchChannelError",
    "NoSuchQueueError",
    "NotAMemberError",
    "NotConnectedError",
    "Originate",
    "OriginateFailedError",
    "OriginateResult",
    "PermissionDeniedError",
    "Ping",
    "PingResult",
    "QueueAdd",
    "QueuePause",
    "QueueRemove",
    "QueueStatus",
    "QueueStatusResult",
    "QueueSummary",
    "QueueSummaryResult",
    "Redirect",
    "Reply",
    "Status",
    "UnknownActionError",
]

Completion = Literal["response", "list", "originate"]

# -- errors ----------------------------------------------------------------------------------


class AmiError(Exception):
    """Base of every AMI failure the client reports (str() is a sentence for the user)."""


class InvalidActionError(AmiError, ValueError):
    """An action was built with values that cannot be sent (empty, or with line breaks)."""


class NotConnectedError(AmiError):
    """The link to the PBX is not up (not logged in); nothing was sent."""


class ConnectionLostError(AmiError):
    """The link dropped after the action was sent: the PBX may or may not have done it."""


class ActionTimeoutError(AmiError):
    """No complete answer in time: the PBX may or may not have done it."""


class ActionError(AmiError):
    """The PBX refused or failed an action (`Response: Error`).

    Attributes:
        action: the action's name (e.g. "QueuePause").
        action_id: the ActionID it was sent with.
        reason: Asterisk's own `Message:` text.
        response: the error frame (None if the failure was reported otherwise).
    """

    def __init__(
        self,
        action: str,
        action_id: str,
        reason: str,
        response: Message | None = None,
        subject: str = "",
    ) -> None:
        self.action = action
        self.action_id = action_id
        self.reason = reason
        self.response = response
        what = f"{action} {subject}".strip()
        super().__init__(f"{what} failed: {reason or 'error without a message'}")


class AuthenticationFailedError(ActionError):
    """Wrong user name or secret (Asterisk answers after a 1 s delay, then hangs up)."""


class UnknownActionError(ActionError):
    """The PBX does not know this action (module not loaded, or an older Asterisk)."""


class PermissionDeniedError(ActionError):
    """The AMI user lacks the write permission class for this action (manager.conf)."""


class NoSuchChannelError(ActionError):
    """The channel no longer exists (the call ended)."""


class NoSuchQueueError(ActionError):
    """The queue does not exist on the PBX."""


class InterfaceNotFoundError(ActionError):
    """The interface is not a member of the queue(s) (QueuePause)."""


class NotAMemberError(ActionError):
    """The interface is not a member of that queue (QueueRemove)."""


class AlreadyMemberError(ActionError):
    """The interface is already a member of that queue (QueueAdd)."""


class OriginateFailedError(ActionError):
    """The call could not be set up.

    Attributes:
        reason_code: Asterisk's outgoing-call reason (see ORIGINATE_REASONS) or None.
    """

    def __init__(
        self,
        action: str,
        action_id: str,
        reason: str,
        response: Message | None = None,
        subject: str = "",
        reason_code: int | None = None,
    ) -> None:
        self.reason_code = reason_code
        super().__init__(action, action_id, reason, response, subject)


# Asterisk's outgoing-call reasons (include/asterisk/frame.h AST_CONTROL_*), as in
# OriginateResponse `Reason`.
ORIGINATE_REASONS: Final[dict[int, str]] = {
    0: "the call could not be placed",
    1: "the other side hung up",
    3: "no answer (ringing timed out)",
    4: "answered",
    5: "busy",
    8: "congestion (no route or no channel available)",
}

# (substring of Asterisk's Message, lower case) -> error class; first match wins.
ERROR_CLASSES: Final[tuple[tuple[str, type[ActionError]], ...]] = (
    ("authentication failed", AuthenticationFailedError),
    ("invalid/unknown command", UnknownActionError),
    ("permission denied", PermissionDeniedError),
    ("no such channel", NoSuchChannelError),
    ("no such queue", NoSuchQueueError),
    ("interface not found", InterfaceNotFoundError),
    ("not there", NotAMemberError),
    ("already there", AlreadyMemberError),
    ("originate failed", OriginateFailedError),
)


def error_for(action: str, action_id: str, response: Message, subject: str = "") -> ActionError:
    """The ActionError subclass for an error response."""
    reason = response.get("Message") or ""
    low = reason.lower()
    for needle, cls in ERROR_CLASSES:
        if needle in low:
            return cls(action, action_id, reason, response, subject)
    return ActionError(action, action_id, reason, response, subject)


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Reply:
    """Everything the PBX sent back for one action (built by the ActionTracker).

    Fields: action_id, response (the Response frame), items (typed list items), final (the
    list's Complete event, or the OriginateResponse).
    """

    action_id: str
    response: Message
    items: tuple[AmiEvent, ...] = ()
    final: AmiEvent | None = None


@dataclass(frozen=True, kw_only=True)
class ActionResult:
    """A successful answer. Fields: action_id, response (raw frame), message (its text)."""

    action_id: str
    response: Message
    message: str


@dataclass(frozen=True, kw_only=True)
class PingResult(ActionResult):
    """Fields: timestamp (PBX clock, epoch seconds, or None)."""

    timestamp: float | None


@dataclass(frozen=True, kw_only=True)
class ChallengeResult(ActionResult):
    """Fields: challenge (the nonce for an MD5 login)."""

    challenge: str


@dataclass(frozen=True, kw_only=True)
class CoreSettingsResult(ActionResult):
    """Fields: ami_version, asterisk_version (the real one, e.g. 22.10.1), system_name."""

    ami_version: str
    asterisk_version: str
    system_name: str


@dataclass(frozen=True, kw_only=True)
class CommandResult(ActionResult):
    """Fields: output (CLI output lines)."""

    output: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ListResult(ActionResult):
    """Fields: items (typed list items, wire order), complete (the Complete event or None)."""

    items: tuple[AmiEvent, ...]
    complete: ListComplete | None


@dataclass(frozen=True, kw_only=True)
class QueueStatusResult(ListResult):
    """Fields: ListResult's + params, members, entries (the items split by type)."""

    params: tuple[ev.QueueParams, ...]
    members: tuple[ev.QueueMember, ...]
    entries: tuple[ev.QueueEntry, ...]


@dataclass(frozen=True, kw_only=True)
class QueueSummaryResult(ListResult):
    """Fields: ListResult's + summaries."""

    summaries: tuple[ev.QueueSummary, ...]


@dataclass(frozen=True, kw_only=True)
class CoreShowChannelsResult(ListResult):
    """Fields: ListResult's + channels."""

    channels: tuple[ev.CoreShowChannel, ...]


@dataclass(frozen=True, kw_only=True)
class OriginateResult(ActionResult):
    """Fields: channel, uniqueid, reason_code (from the OriginateResponse of an async
    Originate; "" / None for a synchronous one), event (that OriginateResponse or None)."""

    channel: str
    uniqueid: str
    reason_code: int | None
    event: OriginateResponse | None


def _text(reply: Reply) -> str:
    return reply.response.get("Message") or ""


def _complete(reply: Reply) -> ListComplete | None:
    return reply.final if isinstance(reply.final, ListComplete) else None


# -- actions -----------------------------------------------------------------------------------

R_co = TypeVar("R_co", bound=ActionResult, covariant=True)


def _check(label: str, value: str, *, required: bool = True) -> None:
    if required and not value.strip():
        raise InvalidActionError(f"{label} must not be empty")
    if "\r" in value or "\n" in value:
        raise InvalidActionError(f"{label} must not contain line breaks")


def _flag(value: bool) -> str:
    return "true" if value else "false"


@dataclass(frozen=True, kw_only=True)
class Action(Generic[R_co]):
    """Base of every action. Subclasses define `name`, `fields()` and `build_result()`."""

    name: ClassVar[str] = ""
    completion: ClassVar[Completion] = "response"
    # Actions that may take long on big systems or by nature (sync Originate).
    timeout_s: ClassVar[float | None] = None

    def fields(self) -> list[tuple[str, str]]:
        """Headers after `Action:` and `ActionID:` (in wire order)."""
        return []

    def subject(self) -> str:
        """What the action is about, for error messages (e.g. the interface)."""
        return ""

    def action_name(self) -> str:
        return self.name

    def completion_mode(self) -> Completion:
        """How the answer ends (see the rules at the top of this module)."""
        return self.completion

    def wait_s(self, default: float) -> float:
        """How long to wait for the complete answer."""
        return self.timeout_s if self.timeout_s is not None else default

    def build_result(self, reply: Reply) -> R_co:
        raise NotImplementedError  # every concrete action overrides this

    def headers(self, action_id: str) -> list[tuple[str, str]]:
        """All headers to send, `Action` and `ActionID` first."""
        return [("Action", self.action_name()), ("ActionID", action_id), *self.fields()]


@dataclass(frozen=True, kw_only=True)
class _PlainAction(Action[ActionResult]):
    def build_result(self, reply: Reply) -> ActionResult:
        return ActionResult(
            action_id=reply.action_id, response=reply.response, message=_text(reply)
        )


@dataclass(frozen=True, kw_only=True)
class Login(_PlainAction):
    """Log in. Plain: `secret`; MD5 challenge: `key` = md5(challenge + secret) hex.

    `events`: the event classes to receive (`on`, `off`, or e.g. `system,call,agent`).
    """

    name: ClassVar[str] = "Login"
    username: str
    secret: str | None = field(default=None, repr=False)
    key: str | None = field(default=None, repr=False)
    events: str | None = None

    def __post_init__(self) -> None:
        _check("user name", self.username)
        if (self.secret is None) == (self.key is None):
            raise InvalidActionError("Login needs either a secret or an MD5 key")
        for label, value in (("secret", self.secret), ("key", self.key)):
            if value is not None:
                _check(label, value, required=False)
        if self.events is not None:
            _check("event mask", self.events)

    def fields(self) -> list[tuple[str, str]]:
        out = [("Username", self.username)]
        if self.key is not None:
            out = [("AuthType", "MD5"), *out, ("Key", self.key)]
        else:
            out.append(("Secret", self.secret or ""))
        if self.events is not None:
            out.append(("Events", self.events))
        return out

    def subject(self) -> str:
        return f"as {self.username}"


@dataclass(frozen=True, kw_only=True)
class Challenge(Action[ChallengeResult]):
    """Ask for an MD5 login nonce."""

    name: ClassVar[str] = "Challenge"

    def fields(self) -> list[tuple[str, str]]:
        return [("AuthType", "MD5")]

    def build_result(self, reply: Reply) -> ChallengeResult:
        return ChallengeResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            challenge=reply.response.get("Challenge") or "",
        )


@dataclass(frozen=True, kw_only=True)
class Logoff(_PlainAction):
    """End the session (`Response: Goodbye`, then the PBX closes the socket)."""

    name: ClassVar[str] = "Logoff"


@dataclass(frozen=True, kw_only=True)
class Events(_PlainAction):
    """Change the event classes received on this session (`EventMask`)."""

    name: ClassVar[str] = "Events"
    event_mask: str

    def __post_init__(self) -> None:
        _check("event mask", self.event_mask)

    def fields(self) -> list[tuple[str, str]]:
        return [("EventMask", self.event_mask)]


@dataclass(frozen=True, kw_only=True)
class Ping(Action[PingResult]):
    """Keep-alive / round trip."""

    name: ClassVar[str] = "Ping"

    def build_result(self, reply: Reply) -> PingResult:
        ts = reply.response.get("Timestamp")
        try:
            timestamp = float(ts) if ts else None
        except ValueError:
            timestamp = None
        return PingResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            timestamp=timestamp,
        )


@dataclass(frozen=True, kw_only=True)
class CoreSettings(Action[CoreSettingsResult]):
    """The PBX's real version (the banner only gives the AMI protocol version)."""

    name: ClassVar[str] = "CoreSettings"

    def build_result(self, reply: Reply) -> CoreSettingsResult:
        r = reply.response
        return CoreSettingsResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            ami_version=r.get("AMIversion") or "",
            asterisk_version=r.get("AsteriskVersion") or "",
            system_name=r.get("SystemName") or "",
        )


@dataclass(frozen=True, kw_only=True)
class Command(Action[CommandResult]):
    """Run a CLI command (needs the `command` write class)."""

    name: ClassVar[str] = "Command"
    command: str

    def __post_init__(self) -> None:
        _check("command", self.command)

    def fields(self) -> list[tuple[str, str]]:
        return [("Command", self.command)]

    def build_result(self, reply: Reply) -> CommandResult:
        return CommandResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            output=reply.response.output,
        )


@dataclass(frozen=True, kw_only=True)
class QueueStatus(Action[QueueStatusResult]):
    """List queues (QueueParams), members (QueueMember) and waiting callers (QueueEntry)."""

    name: ClassVar[str] = "QueueStatus"
    completion: ClassVar[Completion] = "list"
    timeout_s: ClassVar[float | None] = 60.0
    queue: str | None = None
    member: str | None = None

    def __post_init__(self) -> None:
        for label, value in (("queue", self.queue), ("member", self.member)):
            if value is not None:
                _check(label, value)

    def fields(self) -> list[tuple[str, str]]:
        out = []
        if self.queue is not None:
            out.append(("Queue", self.queue))
        if self.member is not None:
            out.append(("Member", self.member))
        return out

    def build_result(self, reply: Reply) -> QueueStatusResult:
        items = reply.items
        return QueueStatusResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            items=reply.items,
            complete=_complete(reply),
            params=tuple(i for i in items if isinstance(i, ev.QueueParams)),
            members=tuple(i for i in items if isinstance(i, ev.QueueMember)),
            entries=tuple(i for i in items if isinstance(i, ev.QueueEntry)),
        )


@dataclass(frozen=True, kw_only=True)
class QueueSummary(Action[QueueSummaryResult]):
    """Per-queue counters (logged in, available, callers, longest wait)."""

    name: ClassVar[str] = "QueueSummary"
    completion: ClassVar[Completion] = "list"
    timeout_s: ClassVar[float | None] = 60.0
    queue: str | None = None

    def __post_init__(self) -> None:
        if self.queue is not None:
            _check("queue", self.queue)

    def fields(self) -> list[tuple[str, str]]:
        return [] if self.queue is None else [("Queue", self.queue)]

    def build_result(self, reply: Reply) -> QueueSummaryResult:
        return QueueSummaryResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            items=reply.items,
            complete=_complete(reply),
            summaries=tuple(i for i in reply.items if isinstance(i, ev.QueueSummary)),
        )


@dataclass(frozen=True, kw_only=True)
class CoreShowChannels(Action[CoreShowChannelsResult]):
    """Every live channel (CoreShowChannel items)."""

    name: ClassVar[str] = "CoreShowChannels"
    completion: ClassVar[Completion] = "list"
    timeout_s: ClassVar[float | None] = 60.0

    def build_result(self, reply: Reply) -> CoreShowChannelsResult:
        return CoreShowChannelsResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            items=reply.items,
            complete=_complete(reply),
            channels=tuple(i for i in reply.items if isinstance(i, ev.CoreShowChannel)),
        )


@dataclass(frozen=True, kw_only=True)
class Status(Action[ListResult]):
    """Status of one channel or of all (Status items, as GenericEvents)."""

    name: ClassVar[str] = "Status"
    completion: ClassVar[Completion] = "list"
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.channel is not None:
            _check("channel", self.channel)

    def fields(self) -> list[tuple[str, str]]:
        return [] if self.channel is None else [("Channel", self.channel)]

    def subject(self) -> str:
        return self.channel or ""

    def build_result(self, reply: Reply) -> ListResult:
        return ListResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            items=reply.items,
            complete=_complete(reply),
        )


@dataclass(frozen=True, kw_only=True)
class QueuePause(_PlainAction):
    """Pause (not ready, with a reason code) or unpause a member; all its queues when `queue`
    is None."""

    name: ClassVar[str] = "QueuePause"
    interface: str
    paused: bool
    queue: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        _check("interface", self.interface)
        if self.queue is not None:
            _check("queue", self.queue)
        if self.reason is not None:
            _check("reason", self.reason, required=False)

    def fields(self) -> list[tuple[str, str]]:
        out = [("Interface", self.interface), ("Paused", _flag(self.paused))]
        if self.queue is not None:
            out.insert(0, ("Queue", self.queue))
        if self.reason:
            out.append(("Reason", self.reason))
        return out

    def subject(self) -> str:
        return self.interface


@dataclass(frozen=True, kw_only=True)
class QueueAdd(_PlainAction):
    """Add a member to a queue (dynamic member)."""

    name: ClassVar[str] = "QueueAdd"
    queue: str
    interface: str
    member_name: str | None = None
    penalty: int | None = None
    state_interface: str | None = None
    paused: bool | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        _check("queue", self.queue)
        _check("interface", self.interface)
        for label, value in (
            ("member name", self.member_name),
            ("state interface", self.state_interface),
        ):
            if value is not None:
                _check(label, value)
        if self.reason is not None:
            _check("reason", self.reason, required=False)
        if self.penalty is not None and self.penalty < 0:
            raise InvalidActionError("penalty must not be negative")

    def fields(self) -> list[tuple[str, str]]:
        out = [("Queue", self.queue), ("Interface", self.interface)]
        if self.member_name is not None:
            out.append(("MemberName", self.member_name))
        if self.state_interface is not None:
            out.append(("StateInterface", self.state_interface))
        if self.penalty is not None:
            out.append(("Penalty", str(self.penalty)))
        if self.paused is not None:
            out.append(("Paused", _flag(self.paused)))
        if self.reason:
            out.append(("Reason", self.reason))
        return out

    def subject(self) -> str:
        return f"{self.interface} to {self.queue}"


@dataclass(frozen=True, kw_only=True)
class QueueRemove(_PlainAction):
    """Remove a dynamic member from a queue."""

    name: ClassVar[str] = "QueueRemove"
    queue: str
    interface: str

    def __post_init__(self) -> None:
        _check("queue", self.queue)
        _check("interface", self.interface)

    def fields(self) -> list[tuple[str, str]]:
        return [("Queue", self.queue), ("Interface", self.interface)]

    def subject(self) -> str:
        return f"{self.interface} from {self.queue}"


@dataclass(frozen=True, kw_only=True)
class Originate(Action[OriginateResult]):
    """Place a call from `channel` into an application (e.g. ChanSpy) or a dialplan extension.

    With `async_` (the default) Asterisk answers at once and reports the outcome later in an
    `OriginateResponse`; the result (or OriginateFailedError) arrives then. Without it the
    response itself waits for the call (up to `timeout_ms`).
    """

    name: ClassVar[str] = "Originate"
    channel: str
    application: str | None = None
    data: str | None = None
    context: str | None = None
    exten: str | None = None
    priority: int | str | None = None
    caller_id: str | None = None
    timeout_ms: int | None = None
    async_: bool = True
    variables: tuple[tuple[str, str], ...] = ()
    account: str | None = None

    def __post_init__(self) -> None:
        _check("channel", self.channel)
        if self.application is None and (self.context is None or self.exten is None):
            raise InvalidActionError("Originate needs an application, or a context and extension")
        for label, value in (
            ("application", self.application),
            ("context", self.context),
            ("extension", self.exten),
        ):
            if value is not None:
                _check(label, value)
        for label, value in (
            ("data", self.data),
            ("caller ID", self.caller_id),
            ("account", self.account),
            ("priority", None if self.priority is None else str(self.priority)),
        ):
            if value is not None:
                _check(label, value, required=False)
        for name, value in self.variables:
            _check("variable name", name)
            if "=" in name:
                raise InvalidActionError("variable names must not contain '='")
            _check("variable value", value, required=False)
        if self.timeout_ms is not None and self.timeout_ms <= 0:
            raise InvalidActionError("timeout must be positive")

    @classmethod
    def chanspy(
        cls,
        supervisor: str,
        spyee: str,
        options: str = "qEd",
        caller_id: str | None = None,
        timeout_ms: int = 15000,
    ) -> Originate:
        """Ring the supervisor's phone (`PJSIP/1900`) into ChanSpy on an agent channel prefix.

        Pass the spyee with a trailing '-' (`PJSIP/1001-`): ChanSpy matches by prefix, so
        `PJSIP/100` would also match `PJSIP/1001-…`.
        """
        return cls(
            channel=supervisor,
            application="ChanSpy",
            data=f"{spyee},{options}" if options else spyee,
            caller_id=caller_id,
            timeout_ms=timeout_ms,
        )

    def completion_mode(self) -> Completion:
        return "originate" if self.async_ else "response"

    def wait_s(self, default: float) -> float:
        ring = (self.timeout_ms or 30000) / 1000.0
        return max(default, ring + 10.0)

    def fields(self) -> list[tuple[str, str]]:
        out = [("Channel", self.channel)]
        if self.application is not None:
            out.append(("Application", self.application))
            if self.data is not None:
                out.append(("Data", self.data))
        else:
            out += [("Context", self.context or ""), ("Exten", self.exten or "")]
            out.append(("Priority", str(self.priority if self.priority is not None else 1)))
        if self.caller_id is not None:
            out.append(("CallerID", self.caller_id))
        if self.timeout_ms is not None:
            out.append(("Timeout", str(self.timeout_ms)))
        if self.account is not None:
            out.append(("Account", self.account))
        if self.async_:
            out.append(("Async", "true"))
        out += [("Variable", f"{k}={v}") for k, v in self.variables]
        return out

    def subject(self) -> str:
        return self.channel

    def build_result(self, reply: Reply) -> OriginateResult:
        event = reply.final if isinstance(reply.final, OriginateResponse) else None
        return OriginateResult(
            action_id=reply.action_id,
            response=reply.response,
            message=_text(reply),
            channel=event.channel if event else "",
            uniqueid=event.uniqueid if event else "",
            reason_code=event.reason if event else None,
            event=event,
        )


@dataclass(frozen=True, kw_only=True)
class Hangup(_PlainAction):
    """Hang up a channel (Q.850 `cause`, 16 = normal clearing)."""

    name: ClassVar[str] = "Hangup"
    channel: str
    cause: int | None = None

    def __post_init__(self) -> None:
        _check("channel", self.channel)

    def fields(self) -> list[tuple[str, str]]:
        out = [("Channel", self.channel)]
        if self.cause is not None:
            out.append(("Cause", str(self.cause)))
        return out

    def subject(self) -> str:
        return self.channel


@dataclass(frozen=True, kw_only=True)
class Redirect(_PlainAction):
    """Send a channel (and optionally its peer) to a dialplan extension (transfer)."""

    name: ClassVar[str] = "Redirect"
    channel: str
    context: str
    exten: str
    priority: int = 1
    extra_channel: str | None = None
    extra_context: str | None = None
    extra_exten: str | None = None
    extra_priority: int | None = None

    def __post_init__(self) -> None:
        _check("channel", self.channel)
        _check("context", self.context)
        _check("extension", self.exten)
        for label, value in (
            ("extra channel", self.extra_channel),
            ("extra context", self.extra_context),
            ("extra extension", self.extra_exten),
        ):
            if value is not None:
                _check(label, value)

    def fields(self) -> list[tuple[str, str]]:
        out = [
            ("Channel", self.channel),
            ("Context", self.context),
            ("Exten", self.exten),
            ("Priority", str(self.priority)),
        ]
        if self.extra_channel is not None:
            out.append(("ExtraChannel", self.extra_channel))
            out.append(("ExtraContext", self.extra_context or self.context))
            out.append(("ExtraExten", self.extra_exten or self.exten))
            out.append(("ExtraPriority", str(self.extra_priority or self.priority)))
        return out

    def subject(self) -> str:
        return self.channel


@dataclass(frozen=True, kw_only=True)
class GenericAction(Action[ActionResult]):
    """Any other action: `GenericAction(action="DBGet", params=(("Family", "x"),))`.

    Completes on its response, or as a list when the response says `EventList: start`
    (the result is then a ListResult).
    """

    action: str
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _check("action", self.action)
        for name, value in self.params:
            _check("header name", name)
            if ":" in name:
                raise InvalidActionError("header names must not contain ':'")
            _check(f"{name} value", value, required=False)

    def action_name(self) -> str:
        return self.action

    def fields(self) -> list[tuple[str, str]]:
        return list(self.params)

    def build_result(self, reply: Reply) -> ActionResult:
        if reply.items or isinstance(reply.final, ListComplete):
            return ListResult(
                action_id=reply.action_id,
                response=reply.response,
                message=_text(reply),
                items=reply.items,
                complete=_complete(reply),
            )
        return ActionResult(
            action_id=reply.action_id, response=reply.response, message=_text(reply)
        )
