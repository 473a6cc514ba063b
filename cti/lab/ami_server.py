"""The lab's AMI server: asyncio TCP on 127.0.0.1, the AMI codec (server role), many clients.

Rules and trade-offs:
- The socket layer only moves bytes: framing is `cti.ami.codec.AmiCodec("server")`, the
  dialect is `AmiSession` + `ami_actions`. One asyncio loop, no threads.
- Before answering input the server brings the simulation up to the clock and sends what
  happened (`pump`); after answering it sends the events the action caused (`flush`), so
  a Response always precedes its events.
- An event is encoded once and written to every session whose class mask accepts it,
  one write per connection per batch.
- A client that does not read (write buffer over `max_buffer_bytes`) is disconnected rather
  than letting the lab's memory grow; Asterisk drops such sessions too (writetimeout).
- `close()` sends `Event: Shutdown` (Shutdown: Cleanly, Restart: False) to every
  authenticated session, as Asterisk does on `core stop`, then closes the sockets.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Mapping

from cti.ami.codec import AmiCodec
from cti.ami.message import Banner
from cti.lab.ami_session import AUTH_TIMEOUT_S, BANNER, AmiSession, Reply
from cti.lab.pbx import LabPbx

log = logging.getLogger(__name__)

Headers = list[tuple[str, str]]


class AmiServer:
    """Serves the AMI dialect for one `LabPbx`.

    Attributes:
        host, port: where it listens (port is the bound one when 0 was asked for).
        events_sent: events written to clients so far (all sessions together).
    """

    def __init__(
        self,
        pbx: LabPbx,
        accounts: Mapping[str, str],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        auth_timeout_s: float = AUTH_TIMEOUT_S,
        wall_clock: Callable[[], float] = time.time,
        max_buffer_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        self.pbx = pbx
        self.accounts = dict(accounts)
        self.host = host
        self.port = port
        self.auth_timeout_s = auth_timeout_s
        self.wall_clock = wall_clock
        self.max_buffer_bytes = max_buffer_bytes
        self.events_sent = 0
        self._encoder = AmiCodec("server")
        self._server: asyncio.Server | None = None
        self._connections: set[_Connection] = set()
        self._ids = itertools.count(0x7F2378001AB0, 0x40)

    @property
    def clients(self) -> int:
        return len(self._connections)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Connection(self), self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("AMI server listening on %s:%d", self.host, self.port)

    def new_session(self, local: str, remote: str) -> AmiSession:
        return AmiSession(
            self.pbx,
            self.accounts,
            local_address=local,
            remote_address=remote,
            session_id=next(self._ids),
            wall_clock=self.wall_clock,
        )

    # -- events ------------------------------------------------------------------------------
    def pump(self) -> None:
        """Advance the lab to now and send every pending event."""
        self.pbx.sync()
        self.flush()

    def flush(self) -> None:
        events = self.pbx.take_events()
        if events:
            self.broadcast(events)

    def broadcast(self, events: list[Headers]) -> None:
        conns = [c for c in self._connections if c.session.authenticated and not c.session.closing]
        if not conns:
            return
        encode = self._encoder.send
        chunks: dict[_Connection, list[bytes]] = {c: [] for c in conns}
        for ev in events:
            privilege = ev[1][1] if len(ev) > 1 and ev[1][0] == "Privilege" else ""
            data: bytes | None = None
            for c in conns:
                if c.session.wants(privilege):
                    if data is None:
                        data = encode(ev)
                    chunks[c].append(data)
        for c, parts in chunks.items():
            if parts:
                self.events_sent += len(parts)
                c.write(b"".join(parts))

    async def close(self, *, restart: bool = False) -> None:
        """Send Shutdown to every session, close them and stop listening."""
        shutdown: Headers = [
            ("Event", "Shutdown"),
            ("Privilege", "system,all"),
            ("Shutdown", "Cleanly"),
            ("Restart", "True" if restart else "False"),
        ]
        self.flush()
        self.broadcast([shutdown])
        for c in list(self._connections):
            c.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        # Let the transports finish their close callbacks before the loop goes away.
        for _ in range(3):
            if not self._connections:
                break
            await asyncio.sleep(0)

    def _forget(self, conn: _Connection) -> None:
        self._connections.discard(conn)


class _Connection(asyncio.Protocol):
    def __init__(self, server: AmiServer) -> None:
        self.server = server
        self.codec = AmiCodec("server")
        self.transport: asyncio.Transport | None = None
        self.session: AmiSession = server.new_session("", "")
        self._timers: list[asyncio.TimerHandle] = []
        self._waiting = False  # a deferred answer is outstanding

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername") or ("127.0.0.1", 0)
        sock = transport.get_extra_info("sockname") or ("127.0.0.1", 0)
        self.session = self.server.new_session(
            f"IPV4/TCP/{sock[0]}/{sock[1]}", f"IPV4/TCP/{peer[0]}/{peer[1]}"
        )
        self.server._connections.add(self)
        transport.write(f"{BANNER}\r\n".encode())
        loop = asyncio.get_running_loop()
        self._timers.append(loop.call_later(self.server.auth_timeout_s, self._auth_timeout))

    def _auth_timeout(self) -> None:
        if not self.session.authenticated:
            log.info(
                "closing AMI session %s: not authenticated in time", self.session.remote_address
            )
            self.close()

    def data_received(self, data: bytes) -> None:
        if self.session.closing:
            return
        self.codec.receive_data(data)
        if not self._waiting:
            self._process()

    def _process(self) -> None:
        """Answer every complete request buffered so far (stops at a deferred answer)."""
        server = self.server
        server.pump()
        encode = self.codec.send
        while not self.session.closing:
            item = self.codec.next_message()
            if item is None:
                break
            if isinstance(item, Banner):  # a server-role codec never yields one
                continue
            reply = self.session.handle(item)
            if reply is None:
                continue
            if reply.pending is not None:
                # Like Asterisk, a synchronous Originate holds the session until it is done.
                self._waiting = True
                if self.transport is not None:
                    self.transport.pause_reading()
                reply.pending.then(self._deferred_done)
                break
            if reply.delay_s > 0:
                loop = asyncio.get_running_loop()
                self._timers.append(loop.call_later(reply.delay_s, self._send_reply, reply))
                break
            self.write(b"".join(encode(f) for f in reply.frames))
            if reply.close:
                self.close()
                break
            server.flush()
        server.flush()

    def _deferred_done(self, frames: list[Headers]) -> None:
        self._waiting = False
        if self.transport is None or self.transport.is_closing():
            return
        self.write(b"".join(self.codec.send(f) for f in frames))
        self.server.flush()
        self.transport.resume_reading()
        self._process()

    def _send_reply(self, reply: Reply) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.write(b"".join(self.codec.send(f) for f in reply.frames))
        if reply.close:
            self.close()

    def write(self, data: bytes) -> None:
        t = self.transport
        if t is None or t.is_closing():
            return
        t.write(data)
        if t.get_write_buffer_size() > self.server.max_buffer_bytes:
            log.warning(
                "AMI client %s does not read its events; disconnecting it",
                self.session.remote_address,
            )
            t.abort()

    def close(self) -> None:
        self.session.closing = True
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self.session.closing = True
        self.server._forget(self)
