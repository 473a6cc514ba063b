# A small AMI server for transport tests (a TEST fake; the lab PBX is cti/lab's business).
#
# It speaks the Asterisk 22 dialect as captured in fixtures/asterisk-22: banner, plain and MD5
# login (a wrong secret is answered after `auth_fail_delay_s` and the socket is closed, as
# Asterisk does), Ping, CoreSettings, the three sync lists, a few member actions, async
# Originate, Logoff, `Permission denied` before login, `Invalid/unknown command` otherwise.
# It runs its own asyncio loop on a thread so that synchronous tests can drive it, binds
# 127.0.0.1 on an OS-chosen port, and can restart (Shutdown event, EOF, a window where the
# port refuses connections, then listening again on the same port).

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import ssl
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from cti.ami.codec import AmiCodec, ProtocolError
from cti.ami.message import Banner, Message

Headers = list[tuple[str, str]]

BANNER = Banner("Asterisk Call Manager/11.0.0", "11.0.0")


def _member(queue: str, ext: str, status: int, paused: bool, reason: str = "") -> Headers:
    return [
        ("Event", "QueueMember"),
        ("Queue", queue),
        ("Name", f"Agent {ext}"),
        ("Location", f"PJSIP/{ext}"),
        ("StateInterface", f"PJSIP/{ext}"),
        ("Membership", "dynamic"),
        ("Penalty", "0"),
        ("CallsTaken", "0"),
        ("LastCall", "0"),
        ("LastPause", "0"),
        ("LoginTime", "1795337203"),
        ("InCall", "0"),
        ("Status", str(status)),
        ("Paused", "1" if paused else "0"),
        ("PausedReason", reason),
        ("Wrapuptime", "0"),
    ]


def _params(queue: str, calls: int) -> Headers:
    return [
        ("Event", "QueueParams"),
        ("Queue", queue),
        ("Max", "0"),
        ("Strategy", "rrmemory"),
        ("Calls", str(calls)),
        ("Holdtime", "0"),
        ("TalkTime", "0"),
        ("Completed", "0"),
        ("Abandoned", "0"),
        ("ServiceLevel", "20"),
        ("ServicelevelPerf", "0.0"),
        ("ServicelevelPerf2", "0.0"),
        ("Weight", "0"),
    ]


@dataclass
class Floor:
    """What the fake PBX reports in its sync lists (header lists without ActionID)."""

    queue_status: list[Headers] = field(
        default_factory=lambda: [
            _params("support", 1),
            _member("support", "1001", 1, False),
            _member("support", "1003", 1, True, "lunch"),
            [
                ("Event", "QueueEntry"),
                ("Queue", "support"),
                ("Position", "1"),
                ("Channel", "PJSIP/2002-00000002"),
                ("Uniqueid", "1795337207.2"),
                ("CallerIDNum", "2002"),
                ("CallerIDName", "Customer 2002"),
                ("ConnectedLineNum", "<unknown>"),
                ("ConnectedLineName", "<unknown>"),
                ("Wait", "2"),
                ("Priority", "0"),
            ],
            _params("complaints", 0),
        ]
    )
    queue_summary: list[Headers] = field(
        default_factory=lambda: [
            [
                ("Event", "QueueSummary"),
                ("Queue", "support"),
                ("LoggedIn", "2"),
                ("Available", "1"),
                ("Callers", "1"),
                ("HoldTime", "0"),
                ("TalkTime", "0"),
                ("LongestHoldTime", "2"),
            ],
            [
                ("Event", "QueueSummary"),
                ("Queue", "complaints"),
                ("LoggedIn", "0"),
                ("Available", "0"),
                ("Callers", "0"),
                ("HoldTime", "0"),
                ("TalkTime", "0"),
                ("LongestHoldTime", "0"),
            ],
        ]
    )
    channels: list[Headers] = field(
        default_factory=lambda: [
            [
                ("Event", "CoreShowChannel"),
                ("Channel", "PJSIP/2002-00000002"),
                ("ChannelState", "6"),
                ("ChannelStateDesc", "Up"),
                ("CallerIDNum", "2002"),
                ("CallerIDName", "Customer 2002"),
                ("ConnectedLineNum", "<unknown>"),
                ("ConnectedLineName", "<unknown>"),
                ("Language", "en"),
                ("AccountCode", ""),
                ("Context", "customers"),
                ("Exten", "600"),
                ("Priority", "4"),
                ("Uniqueid", "1795337207.2"),
                ("Linkedid", "1795337207.2"),
                ("Application", "Queue"),
                ("ApplicationData", "support,r,,,300"),
                ("Duration", "00:00:02"),
                ("BridgeId", ""),
            ]
        ]
    )


@dataclass
class Session:
    writer: asyncio.StreamWriter
    authenticated: bool = False
    events: str = "on"
    challenge: str | None = None
    actions: list[Message] = field(default_factory=list)


class FakeAmiServer:
    """Attributes (read from the test thread after a wait): logins_ok, logins_failed,
    connections, actions (every Message received, all sessions), port."""

    def __init__(
        self,
        users: dict[str, str] | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        auth_fail_delay_s: float = 0.3,
        floor: Floor | None = None,
    ) -> None:
        self.users = users if users is not None else {"console": "console-secret"}
        self.ssl_context = ssl_context
        self.auth_fail_delay_s = auth_fail_delay_s
        self.floor = floor or Floor()
        self.port = 0
        self.answer_pings = True
        # Action name -> Asterisk error text to answer with instead of Success.
        self.errors: dict[str, str] = {}
        # Action name -> events sent right after that action's response (before list items).
        self.inject_after_response: dict[str, list[Headers]] = {}
        self.logins_ok = 0
        self.logins_failed = 0
        self.connections = 0
        self.actions: list[Message] = []
        self._lock = threading.Lock()
        self._sessions: list[Session] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped: asyncio.Event | None = None
        self._uid = itertools.count(1)

    # -- control from the test thread ----------------------------------------------------------

    def start(self) -> FakeAmiServer:
        self._thread = threading.Thread(target=self._run, name="fake-ami", daemon=True)
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("fake AMI server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeAmiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 5.0) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def broadcast(self, headers: Headers) -> None:
        """Send an event to every logged-in session with events on."""
        self.call(self._broadcast(headers))

    def restart(self, down_s: float = 0.3) -> None:
        """Shutdown event + EOF to everyone; refuse connections for down_s; listen again.

        Returns once the server is down (listening again happens in the background).
        """
        self.call(self._go_down())
        assert self._loop is not None
        self._loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._come_back(down_s)))

    def actions_named(self, name: str) -> list[Message]:
        with self._lock:
            return [m for m in self.actions if (m.name or "").lower() == name.lower()]

    # -- server side ---------------------------------------------------------------------------

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        await self._listen()
        self._ready.set()
        await self._stopped.wait()
        await self._go_down(send_shutdown=False)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, "127.0.0.1", self.port, ssl=self.ssl_context
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _go_down(self, send_shutdown: bool = True) -> None:
        if send_shutdown:
            await self._broadcast(
                [
                    ("Event", "Shutdown"),
                    ("Privilege", "system,all"),
                    ("Shutdown", "Cleanly"),
                    ("Restart", "True"),
                ]
            )
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for session in list(self._sessions):
            await self._close(session)
        if server is not None:
            await server.wait_closed()

    async def _come_back(self, down_s: float) -> None:
        await asyncio.sleep(down_s)
        await self._listen()

    async def _broadcast(self, headers: Headers) -> None:
        codec = AmiCodec("server")
        data = codec.send(headers)
        for session in list(self._sessions):
            if session.authenticated and session.events.lower() != "off":
                session.writer.write(data)

    async def _close(self, session: Session) -> None:
        with contextlib.suppress(ValueError):
            self._sessions.remove(session)
        writer = session.writer
        if not writer.is_closing():
            writer.close()
        with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
            await asyncio.wait_for(writer.wait_closed(), 1.0)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        codec = AmiCodec("server")
        session = Session(writer)
        self._sessions.append(session)
        with self._lock:
            self.connections += 1
        writer.write(codec.send(BANNER))
        try:
            while session in self._sessions:
                data = await reader.read(65536)
                if not data:
                    break
                codec.receive_data(data)
                while (item := codec.next_message()) is not None:
                    if isinstance(item, ProtocolError):
                        reply: Headers = [("Response", "Error")]
                        if item.action_id:
                            reply.append(("ActionID", item.action_id))
                        reply.append(("Message", item.message))
                        writer.write(codec.send(reply))
                    elif isinstance(item, Message):
                        await self._action(codec, session, item)
                    if session not in self._sessions:
                        break
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            await self._close(session)

    async def _action(self, codec: AmiCodec, session: Session, m: Message) -> None:
        with self._lock:
            self.actions.append(m)
        session.actions.append(m)
        name = (m.name or "").lower()
        aid = m.action_id

        def send(h: Headers) -> None:
            session.writer.write(codec.send(h))

        def response(kind: str, *extra: tuple[str, str]) -> Headers:
            out: Headers = [("Response", kind)]
            if aid is not None:
                out.append(("ActionID", aid))
            out.extend(extra)
            return out

        if not session.authenticated and name not in ("login", "challenge", "logoff"):
            send(response("Error", ("Message", "Permission denied")))
            return
        if name == "challenge":
            session.challenge = str(100000000 + next(self._uid) * 7919)
            send(response("Success", ("Challenge", session.challenge)))
            return
        if name == "login":
            await self._login(session, m, send, response)
            return
        if name == "logoff":
            send(response("Goodbye", ("Message", "Thanks for all the fish.")))
            await self._close(session)
            return
        error = self.errors.get(m.name or "")
        if error is not None:
            send(response("Error", ("Message", error)))
            return
        if name == "ping":
            if self.answer_pings:
                send(response("Success", ("Ping", "Pong"), ("Timestamp", f"{time.time():.6f}")))
            return
        if name == "coresettings":
            send(
                response(
                    "Success",
                    ("AMIversion", "11.0.0"),
                    ("AsteriskVersion", "22.10.1"),
                    ("SystemName", "fake"),
                )
            )
            return
        lists = {
            "queuestatus": ("Queue status will follow", self.floor.queue_status),
            "queuesummary": ("Queue summary will follow", self.floor.queue_summary),
            "coreshowchannels": ("Channels will follow", self.floor.channels),
        }
        if name in lists:
            text, items = lists[name]
            send(response("Success", ("EventList", "start"), ("Message", text)))
            for event in self.inject_after_response.get(m.name or "", []):
                send(event)
            for item in items:
                send([*item, ("ActionID", aid or "")])
            complete = {
                "queuestatus": "QueueStatusComplete",
                "queuesummary": "QueueSummaryComplete",
                "coreshowchannels": "CoreShowChannelsComplete",
            }[name]
            send(
                [
                    ("Event", complete),
                    ("ActionID", aid or ""),
                    ("EventList", "Complete"),
                    ("ListItems", str(len(items))),
                ]
            )
            return
        if name in ("queuepause", "queueadd", "queueremove", "hangup", "redirect", "events"):
            send(response("Success", ("Message", f"{m.name} done")))
            return
        if name == "originate":
            if (m.get("Async") or "").lower() != "true":
                send(response("Success", ("Message", "Originate successfully queued")))
                return
            send(response("Success", ("Message", "Originate successfully queued")))
            await asyncio.sleep(0.01)
            send(
                [
                    ("Event", "OriginateResponse"),
                    ("Privilege", "call,all"),
                    ("ActionID", aid or ""),
                    ("Response", "Success"),
                    ("Channel", f"{m.get('Channel')}-0000000b"),
                    ("Application", m.get("Application") or ""),
                    ("Data", m.get("Data") or ""),
                    ("Reason", "4"),
                    ("Uniqueid", "1795337249.11"),
                    ("CallerIDNum", "1900"),
                    ("CallerIDName", "Console Spy"),
                ]
            )
            return
        send(
            response(
                "Error",
                (
                    "Message",
                    f"Invalid/unknown command: {m.name}. "
                    "Use Action: ListCommands to show available commands.",
                ),
            )
        )

    async def _login(
        self,
        session: Session,
        m: Message,
        send: Callable[[Headers], None],
        response: Callable[..., Headers],
    ) -> None:
        user = m.get("Username") or ""
        secret = self.users.get(user)
        ok = False
        if secret is not None:
            if (m.get("AuthType") or "").lower() == "md5":
                if session.challenge is not None:
                    expected = hashlib.md5(
                        (session.challenge + secret).encode(), usedforsecurity=False
                    ).hexdigest()
                    ok = m.get("Key") == expected
            else:
                ok = m.get("Secret") == secret
        if not ok:
            with self._lock:
                self.logins_failed += 1
            await asyncio.sleep(self.auth_fail_delay_s)
            send(response("Error", ("Message", "Authentication failed")))
            await self._close(session)
            return
        with self._lock:
            self.logins_ok += 1
        session.authenticated = True
        session.events = m.get("Events") or "on"
        send(response("Success", ("Message", "Authentication accepted")))
        if session.events.lower() != "off":
            send(
                [
                    ("Event", "FullyBooted"),
                    ("Privilege", "system,all"),
                    ("Uptime", "4"),
                    ("LastReload", "4"),
                    ("Status", "Fully Booted"),
                ]
            )
