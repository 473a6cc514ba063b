# The AMI client: one asyncio loop on its own I/O thread; the GUI thread never blocks on it.
#
# Life of a connection (LinkState in brackets):
#   [connecting] TCP (or TLS) connect -> banner -> [authenticating] Login (plain secret, or
#   Challenge + MD5 key) with a narrow `Events:` mask -> [syncing] CoreSettings, QueueStatus,
#   QueueSummary, CoreShowChannels pipelined -> ONE SyncSnapshot to on_event, then the events
#   held back meanwhile (ordering rules in sync.py) -> [live] events flow; a Ping every
#   ping_interval_s keeps the link honest.
# Anything that ends a connection - EOF, a socket error, a Ping or sync time-out, a failed sync
# action, `Event: Shutdown` (PBX restart: Asterisk sends it and then closes) - fails the
# pending actions with ConnectionLostError, and leads to [backoff] with a delay from
# backoff.py, then [connecting] again. A rejected login leads to [auth_failed]: retrying a
# wrong secret is pointless (and may get the workstation banned by fail2ban), so the client
# waits for reconnect_now() unless retry_after_auth_failure is set. stop() logs off and ends
# in [disconnected]. Every state but `live` means the floor is stale.
#
# Threading: callbacks (on_event, on_link_state) run on the I/O thread, in wire order; they
# must only hand things over (e.g. to a queue polled by the GUI). An exception in a callback
# is logged and swallowed. submit() may be called from any thread and returns a
# concurrent.futures.Future resolved on the I/O thread (cancelled if the client stops first).

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, TypeVar

from cti.ami.actions import (
    Action,
    ActionResult,
    ActionTimeoutError,
    AmiError,
    AuthenticationFailedError,
    Challenge,
    ConnectionLostError,
    CoreSettingsResult,
    CoreShowChannelsResult,
    Login,
    Logoff,
    NotConnectedError,
    Ping,
    QueueStatusResult,
    QueueSummaryResult,
)
from cti.ami.backoff import Backoff
from cti.ami.codec import AmiCodec, ProtocolError, ProtocolErrorKind
from cti.ami.correlation import ActionTracker, Outcome
from cti.ami.events import AmiEvent, GenericEvent, Shutdown, to_event
from cti.ami.message import Banner, Message
from cti.ami.sync import SYNC_ACTIONS, SyncSnapshot, build_snapshot

__all__ = ["AmiClient", "AmiConfig", "AmiConfigError", "LinkState", "LinkStatus"]

log = logging.getLogger(__name__)

R = TypeVar("R", bound=ActionResult)
Delivery = AmiEvent | SyncSnapshot


class AmiConfigError(ValueError):
    """The AMI settings cannot work (empty host, bad port, ...)."""


class LinkState(StrEnum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    AUTHENTICATING = "authenticating"
    SYNCING = "syncing"
    LIVE = "live"
    AUTH_FAILED = "auth_failed"
    BACKOFF = "backoff"


@dataclass(frozen=True, kw_only=True)
class LinkStatus:
    """The link as the console shows it. Only `live` means the floor is current.

    Fields: state, reason (human text: why we are in this state), attempt (failed attempts
    in a row), retry_in_s (back-off delay, in `backoff`), since (client clock), generation
    (connections that reached `live` so far), ami_version (banner), asterisk_version.
    """

    state: LinkState
    reason: str = ""
    attempt: int = 0
    retry_in_s: float | None = None
    since: float = 0.0
    generation: int = 0
    ami_version: str = ""
    asterisk_version: str = ""

    @property
    def is_live(self) -> bool:
        return self.state == LinkState.LIVE

    @property
    def is_stale(self) -> bool:
        return self.state != LinkState.LIVE


@dataclass(frozen=True, kw_only=True)
class AmiConfig:
    """Connection settings.

    `events` is the Login `Events:` mask: the console needs system (Shutdown, FullyBooted),
    call (channels, bridges, dial, spy, hold), agent (queues, members) and dtmf; VarSet
    (dialplan), RTCP (reporting) and security events - 75 % of a full stream - stay off.
    `tls_context`: used when `tls` is set (default: system CAs, hostname checked).
    """

    host: str
    port: int = 5038
    username: str
    secret: str = field(repr=False)
    auth: Literal["md5", "plain"] = "md5"
    tls: bool = False
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)
    tls_server_hostname: str | None = None
    events: str = "system,call,agent,dtmf"
    connect_timeout_s: float = 5.0
    login_timeout_s: float = 10.0
    action_timeout_s: float = 10.0
    sync_timeout_s: float = 60.0
    ping_interval_s: float = 20.0
    ping_timeout_s: float = 10.0
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    backoff_factor: float = 2.0
    backoff_jitter: float = 0.5
    retry_after_auth_failure: bool = False
    logoff_timeout_s: float = 1.0
    action_id_prefix: str = "hsc"

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise AmiConfigError("the PBX host name is empty")
        if not 0 < self.port < 65536:
            raise AmiConfigError(f"the AMI port must be 1-65535, not {self.port}")
        if not self.username.strip():
            raise AmiConfigError("the AMI user name is empty")
        if self.auth not in ("md5", "plain"):
            raise AmiConfigError(f"unknown AMI authentication {self.auth!r} (md5 or plain)")
        for name in (
            "connect_timeout_s",
            "login_timeout_s",
            "action_timeout_s",
            "sync_timeout_s",
            "ping_interval_s",
            "ping_timeout_s",
            "logoff_timeout_s",
        ):
            if getattr(self, name) <= 0:
                raise AmiConfigError(f"{name} must be positive")
        for text in (self.username, self.secret, self.events, self.action_id_prefix):
            if "\r" in text or "\n" in text:
                raise AmiConfigError("AMI settings must not contain line breaks")

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.tls:
            return None
        return self.tls_context or ssl.create_default_context()


class _LinkDownError(Exception):
    """Ends the current connection; the message says why (shown to the user)."""


class _AuthRejectedError(Exception):
    pass


def _md5_key(challenge: str, secret: str) -> str:
    # AMI's challenge-response is MD5 by protocol definition (no choice on our side).
    return hashlib.md5((challenge + secret).encode(), usedforsecurity=False).hexdigest()


class _Connection:
    """One TCP/TLS session: codec + tracker + the read loop (lives on the I/O loop)."""

    def __init__(
        self,
        client: AmiClient,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        self.client = client
        self.reader = reader
        self.writer = writer
        self.codec = AmiCodec("client")
        self.tracker = ActionTracker(client.config.action_id_prefix)
        self.waiters: dict[str, asyncio.Future[ActionResult]] = {}
        self.banner: asyncio.Future[Banner] = asyncio.get_running_loop().create_future()
        self.authenticated = False
        self.live = False
        self.holding = False
        self.held: list[AmiEvent] = []
        self.gate_action_id: str | None = None
        self.down_reason: str | None = None

    # -- sending -------------------------------------------------------------------------

    def send(self, action: Action[Any]) -> tuple[str, asyncio.Future[ActionResult]]:
        """Write `action` now; returns its ActionID and the future of its answer."""
        if self.writer.is_closing():
            raise NotConnectedError("the link to the PBX is down")
        action_id, headers = self.tracker.start(action)
        fut: asyncio.Future[ActionResult] = asyncio.get_running_loop().create_future()
        self.waiters[action_id] = fut
        self.writer.write(self.codec.send(headers))
        return action_id, fut

    async def wait(
        self, action: Action[R], action_id: str, fut: asyncio.Future[ActionResult], wait_s: float
    ) -> R:
        try:
            done, _ = await asyncio.wait({fut}, timeout=wait_s)
        except asyncio.CancelledError:
            self.waiters.pop(action_id, None)
            self.tracker.cancel(action_id, ConnectionLostError("cancelled"))
            raise
        if not done:
            self.waiters.pop(action_id, None)
            self.tracker.cancel(action_id, ActionTimeoutError(""))
            raise ActionTimeoutError(
                f"{action.action_name()}: no answer from the PBX within {wait_s:g} s "
                "(it may or may not have been done)"
            )
        return fut.result()  # type: ignore[return-value]

    async def request(self, action: Action[R], timeout_s: float | None = None) -> R:
        action_id, fut = self.send(action)
        wait_s = timeout_s or action.wait_s(self.client.config.action_timeout_s)
        return await self.wait(action, action_id, fut, wait_s)

    def _resolve(self, outcome: Outcome) -> None:
        fut = self.waiters.pop(outcome.action_id, None)
        if fut is None or fut.done():
            return
        if outcome.error is not None:
            fut.set_exception(outcome.error)
        else:
            assert outcome.result is not None
            fut.set_result(outcome.result)

    def fail_pending(self, reason: str) -> None:
        for outcome in self.tracker.fail_all(
            lambda a: ConnectionLostError(
                f"{a.action_name()}: the link to the PBX was lost ({reason}); "
                "it may or may not have been done"
            )
        ):
            self._resolve(outcome)
        for fut in self.waiters.values():
            if not fut.done():
                fut.set_exception(ConnectionLostError(f"the link to the PBX was lost ({reason})"))
        self.waiters.clear()

    # -- receiving -----------------------------------------------------------------------

    async def read_loop(self) -> None:
        """Runs until EOF or an error; sets down_reason and returns."""
        reader = self.reader
        codec = self.codec
        try:
            while True:
                data = await reader.read(256 * 1024)
                if not data:
                    self.down_reason = self.down_reason or "the PBX closed the connection"
                    return
                codec.receive_data(data)
                while (item := codec.next_message()) is not None:
                    self._dispatch(item)
                    if self.down_reason is not None:
                        return
        except (OSError, ssl.SSLError) as exc:
            self.down_reason = self.down_reason or f"connection error: {exc}"
        finally:
            if not self.banner.done():
                self.banner.set_exception(_LinkDownError(self.down_reason or "no banner"))

    def _dispatch(self, item: Message | Banner | ProtocolError) -> None:
        if isinstance(item, Banner):
            if not self.banner.done():
                self.banner.set_result(item)
            return
        if isinstance(item, ProtocolError):
            log.warning("AMI: %s (%s)", item.message, item.kind.value)
            if item.kind == ProtocolErrorKind.BAD_BANNER and not self.banner.done():
                self.banner.set_exception(
                    _LinkDownError("the server did not greet like an AMI server (wrong port?)")
                )
            return
        client = self.client
        event: AmiEvent | None = None
        if item.is_event:
            try:
                event = to_event(item, client.clock())
            except Exception:  # a typing bug must not take the link down
                log.exception("AMI: could not type event %s", item.name)
                event = GenericEvent(
                    message=item, received_at=client.clock(), event=item.name or ""
                )
        consumed, outcome = self.tracker.handle(item, event)
        if outcome is not None:
            self._resolve(outcome)
        if (
            self.gate_action_id is not None
            and item.is_response
            and item.action_id == self.gate_action_id
        ):
            self.holding = True  # the first sync list has started: hold events until done
        if event is None:
            if not consumed and item.is_response:
                log.info("AMI: response without a pending action: %s", item.get("Message"))
            return
        if consumed:
            return
        if self.holding:
            self.held.append(event)
        else:
            client.deliver(event)
        if isinstance(event, Shutdown):
            self.down_reason = (
                "the PBX is restarting" if event.restart else "the PBX is shutting down"
            )

    # -- closing -----------------------------------------------------------------------------

    async def close(self) -> None:
        writer = self.writer
        if not writer.is_closing():
            writer.close()
        try:
            await asyncio.wait_for(writer.wait_closed(), 1.0)
        except (TimeoutError, OSError, ssl.SSLError):
            writer.transport.abort()
        except asyncio.CancelledError:
            writer.transport.abort()
            raise


class AmiClient:
    """Connects to the PBX's AMI, keeps the link up and feeds typed events to the console.

    Attributes:
        config: the AmiConfig.
        clock: injected time source (seconds), stamped on events and statuses.

    Callbacks (called on the I/O thread, in order):
        on_event(AmiEvent | SyncSnapshot): every event not consumed as an answer, and one
            SyncSnapshot per (re)connect.
        on_link_state(LinkStatus): every state change.
    """

    def __init__(
        self,
        config: AmiConfig,
        *,
        on_event: Callable[[Delivery], None],
        on_link_state: Callable[[LinkStatus], None],
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self._on_event = on_event
        self._on_link_state = on_link_state
        self._rng = rng or random.Random()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None
        self._conn: _Connection | None = None
        self._generation = 0
        self._status = LinkStatus(state=LinkState.DISCONNECTED, since=clock())
        self._status_lock = threading.Lock()
        self._outstanding: set[concurrent.futures.Future[Any]] = set()
        self._outstanding_lock = threading.Lock()

    # -- public API (any thread) -------------------------------------------------------------

    @property
    def link_status(self) -> LinkStatus:
        with self._status_lock:
            return self._status

    def start(self) -> None:
        """Start the I/O thread and begin connecting (returns at once)."""
        if self._thread is not None:
            raise RuntimeError("AmiClient.start() called twice")
        self._thread = threading.Thread(
            target=self._thread_main, name=f"ami-io-{self.config.host}", daemon=True
        )
        self._thread.start()
        self._ready.wait()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Log off, close the link and end the I/O thread (waits up to timeout_s)."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None:
            return
        if loop is not None and stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stop.set)
        thread.join(timeout_s)
        if thread.is_alive():
            log.error("AMI I/O thread did not stop within %.1f s", timeout_s)

    def reconnect_now(self) -> None:
        """Cut a back-off wait short, or retry after an authentication failure."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    def submit(self, action: Action[R]) -> concurrent.futures.Future[R]:
        """Send `action` when logged in. The future holds its typed result or raises an
        AmiError (NotConnectedError at once if the link is down). Cancelling the future
        stops waiting for the answer (the action may still have been sent)."""
        result: concurrent.futures.Future[R] = concurrent.futures.Future()
        loop = self._loop
        if loop is None or self._thread is None or not self._thread.is_alive():
            result.set_exception(NotConnectedError("the AMI client is not running"))
            return result
        with self._outstanding_lock:
            self._outstanding.add(result)
        result.add_done_callback(self._forget)
        try:
            loop.call_soon_threadsafe(self._start_submit, action, result)
        except RuntimeError:  # the loop has closed: the client has stopped
            _settle(result, NotConnectedError("the AMI client has stopped"))
        return result

    def _forget(self, fut: concurrent.futures.Future[Any]) -> None:
        with self._outstanding_lock:
            self._outstanding.discard(fut)

    def _start_submit(self, action: Action[R], result: concurrent.futures.Future[R]) -> None:
        if not result.set_running_or_notify_cancel():
            return  # cancelled before it was sent
        task = asyncio.ensure_future(self._submit(action))

        def settle(t: asyncio.Future[R]) -> None:
            if t.cancelled():
                _settle(result, ConnectionLostError("the AMI client stopped"))
            elif (exc := t.exception()) is not None:
                _settle(result, exc)
            elif not result.done():
                result.set_result(t.result())

        task.add_done_callback(settle)

    # -- I/O thread ----------------------------------------------------------------------------

    def deliver(self, item: Delivery) -> None:
        try:
            self._on_event(item)
        except Exception:
            log.exception("AMI on_event callback failed")

    def _publish(self, state: LinkState, reason: str = "", **extra: Any) -> None:
        old = self._status
        status = LinkStatus(
            state=state,
            reason=reason,
            since=self.clock(),
            generation=self._generation,
            ami_version=extra.pop("ami_version", old.ami_version),
            asterisk_version=extra.pop("asterisk_version", old.asterisk_version),
            **extra,
        )
        with self._status_lock:
            self._status = status
        log.info("AMI link %s%s", state.value, f": {reason}" if reason else "")
        try:
            self._on_link_state(status)
        except Exception:
            log.exception("AMI on_link_state callback failed")

    def _thread_main(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:
            log.exception("AMI I/O thread crashed")
        finally:
            # A submit() that raced with stop() must not wait forever.
            with self._outstanding_lock:
                left = list(self._outstanding)
            for fut in left:
                _settle(fut, NotConnectedError("the AMI client has stopped"))

    async def _submit(self, action: Action[R]) -> R:
        conn = self._conn
        if conn is None or not conn.authenticated:
            raise NotConnectedError(
                f"{action.action_name()}: not connected to the PBX ({self._status.state.value})"
            )
        return await conn.request(action)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._ready.set()
        cfg = self.config
        backoff = Backoff(
            initial_s=cfg.backoff_initial_s,
            maximum_s=cfg.backoff_max_s,
            factor=cfg.backoff_factor,
            jitter=cfg.backoff_jitter,
            rng=self._rng,
        )
        reason = ""
        try:
            while not self._stop.is_set():
                self._publish(LinkState.CONNECTING, reason, attempt=backoff.attempt)
                try:
                    await self._connection(backoff)
                    reason = ""
                except _AuthRejectedError as exc:
                    self._publish(LinkState.AUTH_FAILED, str(exc), attempt=backoff.attempt)
                    if not cfg.retry_after_auth_failure:
                        await self._sleep(None)
                        backoff.reset()
                        reason = "retrying after an authentication failure"
                        continue
                    reason = str(exc)
                except _LinkDownError as exc:
                    reason = str(exc)
                if self._stop.is_set():
                    break
                delay = backoff.next_delay()
                self._publish(LinkState.BACKOFF, reason, attempt=backoff.attempt, retry_in_s=delay)
                await self._sleep(delay)
        finally:
            self._publish(LinkState.DISCONNECTED, "stopped")

    async def _sleep(self, delay: float | None) -> None:
        """Wait `delay` s (None: forever) or until stop() / reconnect_now()."""
        assert self._stop is not None and self._wake is not None
        self._wake.clear()
        waiters = {
            asyncio.ensure_future(self._stop.wait()),
            asyncio.ensure_future(self._wake.wait()),
        }
        try:
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)

    async def _connection(self, backoff: Backoff) -> None:
        """One connection from connect to its end.

        Raises _LinkDownError / _AuthRejectedError; returns only when stop() was requested.
        """
        cfg = self.config
        assert self._stop is not None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    cfg.host,
                    cfg.port,
                    ssl=cfg.ssl_context(),
                    server_hostname=(cfg.tls_server_hostname or cfg.host) if cfg.tls else None,
                ),
                cfg.connect_timeout_s,
            )
        except TimeoutError:
            raise _LinkDownError(
                f"no answer from {cfg.host}:{cfg.port} within {cfg.connect_timeout_s:g} s"
            ) from None
        except ssl.SSLError as exc:
            raise _LinkDownError(
                f"TLS handshake with {cfg.host}:{cfg.port} failed: {exc}"
            ) from None
        except OSError as exc:
            raise _LinkDownError(f"cannot connect to {cfg.host}:{cfg.port}: {exc}") from None

        conn = _Connection(self, reader, writer)
        reader_task = asyncio.ensure_future(conn.read_loop())
        stop_task = asyncio.ensure_future(self._stop.wait())
        session_task = asyncio.ensure_future(self._session(conn, backoff))
        tasks = {reader_task, stop_task, session_task}
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            if reader_task.done() and not session_task.done() and not conn.live:
                # The answer that explains the end (e.g. "Authentication failed" right before
                # the PBX hangs up) may be waiting in the session task: let it run first.
                conn.fail_pending(conn.down_reason or "connection closed")
                await asyncio.wait({session_task}, timeout=0.5)
            if stop_task.done():
                if conn.authenticated and not writer.is_closing():
                    with contextlib.suppress(AmiError, OSError, ssl.SSLError):
                        await conn.request(Logoff(), cfg.logoff_timeout_s)
                return
            if session_task.done() and not session_task.cancelled():
                failure = session_task.exception()
                if failure is not None:
                    raise failure
            raise _LinkDownError(conn.down_reason or "the connection ended")
        finally:
            self._conn = None
            conn.authenticated = False
            conn.fail_pending(conn.down_reason or "connection closed")
            # Events held during an unfinished sync really happened: pass them on.
            held, conn.held, conn.holding = conn.held, [], False
            for event in held:
                self.deliver(event)
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if conn.banner.done() and not conn.banner.cancelled():
                conn.banner.exception()  # retrieved: no "exception never retrieved" noise
            await conn.close()

    async def _session(self, conn: _Connection, backoff: Backoff) -> None:
        """Banner, login, sync, then keep-alive until the connection fails."""
        cfg = self.config
        try:
            banner = await asyncio.wait_for(asyncio.shield(conn.banner), cfg.login_timeout_s)
        except TimeoutError:
            raise _LinkDownError("the server sent no AMI banner (wrong port?)") from None
        self._publish(
            LinkState.AUTHENTICATING, ami_version=banner.protocol_version, attempt=backoff.attempt
        )
        await self._login(conn)
        conn.authenticated = True
        self._conn = conn

        self._publish(LinkState.SYNCING, "reading the floor from the PBX", attempt=backoff.attempt)
        parts = await self._sync(conn, banner)
        self._generation += 1
        snapshot = build_snapshot(
            generation=self._generation,
            taken_at=parts.taken_at,
            ami_version=parts.ami_version,
            core=parts.core,
            queues=parts.queues,
            summary=parts.summary,
            channels=parts.channels,
        )
        self.deliver(snapshot)
        held, conn.held, conn.holding = conn.held, [], False
        for event in held:
            self.deliver(event)
        backoff.reset()
        conn.live = True
        self._publish(LinkState.LIVE, asterisk_version=snapshot.asterisk_version)
        if conn.down_reason is not None:  # a Shutdown was among the held events
            raise _LinkDownError(conn.down_reason)

        while True:
            await asyncio.sleep(cfg.ping_interval_s)
            try:
                await conn.request(Ping(), cfg.ping_timeout_s)
            except ActionTimeoutError:
                raise _LinkDownError(
                    f"the PBX did not answer a keep-alive Ping within {cfg.ping_timeout_s:g} s"
                ) from None
            except ConnectionLostError as exc:
                raise _LinkDownError(str(exc)) from None

    async def _login(self, conn: _Connection) -> None:
        cfg = self.config
        try:
            if cfg.auth == "md5":
                try:
                    challenge = await conn.request(Challenge(), cfg.login_timeout_s)
                except AmiError as exc:
                    if isinstance(exc, ConnectionLostError):
                        raise
                    raise _AuthRejectedError(
                        f"the PBX refused the MD5 challenge ({exc}); try plain authentication"
                    ) from None
                login = Login(
                    username=cfg.username,
                    key=_md5_key(challenge.challenge, cfg.secret),
                    events=cfg.events,
                )
            else:
                login = Login(username=cfg.username, secret=cfg.secret, events=cfg.events)
            await conn.request(login, cfg.login_timeout_s)
        except AuthenticationFailedError as exc:
            raise _AuthRejectedError(
                f"the PBX rejected AMI user {cfg.username!r}: {exc.reason or 'wrong secret'}"
            ) from None
        except ActionTimeoutError:
            raise _LinkDownError("no answer to the login") from None
        except ConnectionLostError:
            raise _LinkDownError(
                conn.down_reason or "the PBX closed the connection during login"
            ) from None
        except AmiError as exc:
            raise _AuthRejectedError(f"login failed: {exc}") from None

    async def _sync(self, conn: _Connection, banner: Banner) -> _SyncParts:
        cfg = self.config
        # Pipelined: all four are written before the first answer is read.
        sent = [(action, *conn.send(action)) for action in SYNC_ACTIONS]
        conn.gate_action_id = sent[1][1]  # QueueStatus: events after its response are held
        tasks = [
            asyncio.ensure_future(conn.wait(action, aid, fut, cfg.sync_timeout_s))
            for action, aid, fut in sent
        ]
        try:
            core, queues, summary, channels = await asyncio.gather(*tasks)
        except AmiError as exc:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if isinstance(exc, ConnectionLostError):
                raise _LinkDownError(conn.down_reason or str(exc)) from None
            raise _LinkDownError(f"could not read the floor from the PBX: {exc}") from None
        assert isinstance(core, CoreSettingsResult)
        assert isinstance(queues, QueueStatusResult)
        assert isinstance(summary, QueueSummaryResult)
        assert isinstance(channels, CoreShowChannelsResult)
        return _SyncParts(
            taken_at=self.clock(),
            ami_version=banner.protocol_version,
            core=core,
            queues=queues,
            summary=summary,
            channels=channels,
        )


def _settle(fut: concurrent.futures.Future[Any], exc: BaseException) -> None:
    """Fail `fut` unless it is already done or cancelled (whatever its state)."""
    if fut.done():
        return
    with contextlib.suppress(concurrent.futures.InvalidStateError, RuntimeError):
        if fut.running() or fut.set_running_or_notify_cancel():
            fut.set_exception(exc)


@dataclass(frozen=True, kw_only=True)
class _SyncParts:
    taken_at: float
    ami_version: str
    core: CoreSettingsResult
    queues: QueueStatusResult
    summary: QueueSummaryResult
    channels: CoreShowChannelsResult

    @property
    def asterisk_version(self) -> str:
        return self.core.asterisk_version
