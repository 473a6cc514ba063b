"""A hand-driven floor for golden scenarios: AMI events built exactly as Asterisk 22 words
them (header names and order as in fixtures/asterisk-22/ami-event-examples.txt), applied to a
FloorStore whose clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cti.ami.events import to_event
from cti.ami.message import Message
from cti.state.config import FloorConfig
from cti.state.store import FloorStore

# 2026-11-22 08:00:00 UTC: scenarios are written in seconds after this.
T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC).timestamp()


class Floor:
    def __init__(self, **config: Any) -> None:
        config.setdefault("tz", UTC)
        self.t = T0
        self.config = FloorConfig(**config)
        self.store = FloorStore(self.config, lambda: self.t)
        self._seq = 0

    # -- time --------------------------------------------------------------------------------

    def at(self, seconds: float) -> Floor:
        """Move the clock to T0 + seconds (never backwards)."""
        assert T0 + seconds >= self.t, "scenario time must not go back"
        self.t = T0 + seconds
        return self

    def hm(self, hhmm: str, sec: float = 0) -> Floor:
        h, m = hhmm.split(":")
        return self.at((int(h) - 8) * 3600 + int(m) * 60 + sec)

    # -- raw -----------------------------------------------------------------------------------

    def event(self, name: str, *headers: tuple[str, str]) -> None:
        self.store.apply(to_event(Message([("Event", name), *headers])))

    def _uid(self) -> str:
        self._seq += 1
        return f"{int(self.t)}.{self._seq}"

    # -- members -------------------------------------------------------------------------------

    @staticmethod
    def _member(
        queue: str,
        ext: str,
        status: int = 1,
        paused: bool = False,
        reason: str = "",
        wrapup: int = 0,
        last_call: int = 0,
    ) -> list[tuple[str, str]]:
        return [
            ("Privilege", "agent,all"),
            ("Queue", queue),
            ("MemberName", f"Agent {ext}"),
            ("Interface", f"PJSIP/{ext}"),
            ("StateInterface", f"PJSIP/{ext}"),
            ("Membership", "dynamic"),
            ("Penalty", "0"),
            ("CallsTaken", "0"),
            ("LastCall", str(last_call)),
            ("LastPause", "0"),
            ("LoginTime", "0"),
            ("InCall", "0"),
            ("Status", str(status)),
            ("Paused", "1" if paused else "0"),
            ("PausedReason", reason),
            ("Ringinuse", "0"),
            ("Wrapuptime", str(wrapup)),
        ]

    def add(self, queue: str, ext: str, **kw: Any) -> None:
        self.event("QueueMemberAdded", *self._member(queue, ext, **kw))

    def remove(self, queue: str, ext: str) -> None:
        self.event("QueueMemberRemoved", *self._member(queue, ext))

    def pause(self, queue: str, ext: str, reason: str = "", paused: bool = True) -> None:
        self.event("QueueMemberPause", *self._member(queue, ext, paused=paused, reason=reason))

    def unpause(self, queue: str, ext: str) -> None:
        self.pause(queue, ext, paused=False)

    def status(
        self, queue: str, ext: str, status: int, paused: bool = False, reason: str = ""
    ) -> None:
        self.event(
            "QueueMemberStatus", *self._member(queue, ext, status, paused=paused, reason=reason)
        )

    # -- callers -------------------------------------------------------------------------------

    @staticmethod
    def _caller(uid: str, number: str) -> list[tuple[str, str]]:
        return [
            ("Privilege", "agent,all"),
            ("Channel", f"PJSIP/trunk-{uid}"),
            ("ChannelState", "6"),
            ("ChannelStateDesc", "Up"),
            ("CallerIDNum", number),
            ("CallerIDName", f"Customer {number}"),
            ("ConnectedLineNum", "<unknown>"),
            ("ConnectedLineName", "<unknown>"),
            ("Language", "en"),
            ("AccountCode", ""),
            ("Context", "customers"),
            ("Exten", "600"),
            ("Priority", "4"),
            ("Uniqueid", uid),
            ("Linkedid", uid),
        ]

    @staticmethod
    def _dest(uid: str, ext: str) -> list[tuple[str, str]]:
        return [
            ("DestChannel", f"PJSIP/{ext}-0000{uid[-4:].replace('.', '0')}"),
            ("DestChannelState", "6"),
            ("DestCallerIDNum", ext),
            ("DestUniqueid", uid + "9"),
            ("DestLinkedid", uid),
        ]

    def join(self, queue: str, number: str, position: int = 1) -> str:
        uid = self._uid()
        self.event(
            "QueueCallerJoin",
            *self._caller(uid, number),
            ("Queue", queue),
            ("Position", str(position)),
            ("Count", str(position)),
        )
        return uid

    def called(self, queue: str, uid: str, ext: str, number: str = "2000") -> None:
        self.event(
            "AgentCalled",
            *self._caller(uid, number),
            *self._dest(uid, ext),
            ("Queue", queue),
            ("Interface", f"PJSIP/{ext}"),
            ("MemberName", f"Agent {ext}"),
        )

    def ring_no_answer(self, queue: str, uid: str, ext: str, ms: int = 8000) -> None:
        self.event(
            "AgentRingNoAnswer",
            *self._caller(uid, "2000"),
            *self._dest(uid, ext),
            ("Queue", queue),
            ("Interface", f"PJSIP/{ext}"),
            ("MemberName", f"Agent {ext}"),
            ("RingTime", str(ms)),
        )

    def leave(self, queue: str, uid: str, position: int = 1) -> None:
        self.event(
            "QueueCallerLeave",
            *self._caller(uid, "2000"),
            ("Queue", queue),
            ("Position", str(position)),
            ("Count", "0"),
        )

    def connect(self, queue: str, uid: str, ext: str, hold: int, number: str = "2000") -> None:
        """QueueCallerLeave then AgentConnect, in Asterisk's order."""
        self.leave(queue, uid)
        self.event(
            "AgentConnect",
            *self._caller(uid, number),
            *self._dest(uid, ext),
            ("Queue", queue),
            ("Interface", f"PJSIP/{ext}"),
            ("MemberName", f"Agent {ext}"),
            ("HoldTime", str(hold)),
            ("RingTime", "1"),
        )

    def complete(self, queue: str, uid: str, ext: str, hold: int, talk: int) -> None:
        self.event(
            "AgentComplete",
            *self._caller(uid, "2000"),
            *self._dest(uid, ext),
            ("Queue", queue),
            ("Interface", f"PJSIP/{ext}"),
            ("MemberName", f"Agent {ext}"),
            ("HoldTime", str(hold)),
            ("TalkTime", str(talk)),
            ("Reason", "caller"),
        )

    def abandon(self, queue: str, uid: str, hold: int, position: int = 1) -> None:
        """QueueCallerAbandon, QueueCallerLeave, Hangup: Asterisk's order."""
        self.event(
            "QueueCallerAbandon",
            *self._caller(uid, "2000"),
            ("Queue", queue),
            ("Position", str(position)),
            ("OriginalPosition", str(position)),
            ("HoldTime", str(hold)),
        )
        self.leave(queue, uid, position)
        self.hangup(uid)

    def hangup(self, uid: str, number: str = "2000") -> None:
        self.event("Hangup", *self._caller(uid, number), ("Cause", "16"), ("Cause-txt", "Normal"))

    def answered_call(
        self, queue: str, ext: str, wait: int, talk: int, number: str = "2000"
    ) -> str:
        """Join now, answered after `wait` s, completed `talk` s later (moves the clock)."""
        start = self.t - T0
        uid = self.join(queue, number)
        self.at(start + wait)
        self.called(queue, uid, ext, number)
        self.connect(queue, uid, ext, wait, number)
        self.at(start + wait + talk)
        self.complete(queue, uid, ext, wait, talk)
        return uid
