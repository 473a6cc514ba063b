"""Test helpers for the lab PBX: run it in a thread, talk AMI over a plain socket."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from cti.ami.codec import AmiCodec, ProtocolError
from cti.ami.message import Banner, Message
from cti.lab.main import LabConfig, LabRuntime

T = TypeVar("T")

FIXTURES = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "asterisk-22"
).resolve()
START_EPOCH = 1_795_337_200.0


class LabThread:
    """A LabRuntime (AMI only: pjsua2 allows one Endpoint per process) on its own loop."""

    def __init__(self, **config: Any) -> None:
        config.setdefault("ami_port", 0)
        config.setdefault("sip_port", 0)
        config.setdefault("enable_sip", False)
        config.setdefault("start_epoch", START_EPOCH)
        self.config = LabConfig(**config)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="lab-test-loop", daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.runtime: LabRuntime | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> LabThread:
        self._thread.start()
        if not self._ready.wait(30):
            raise TimeoutError("lab did not start")
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.runtime = LabRuntime(self.config)
            self.info = self.loop.run_until_complete(self.runtime.start())
        except BaseException as exc:  # reported to the test thread
            self._error = exc
            self._ready.set()
            self.loop.close()
            return
        self._ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runtime.stop())
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    def call(self, fn: Callable[[], T]) -> T:
        """Run fn on the lab's loop thread and return its result."""

        async def wrapper() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(wrapper(), self.loop).result(10)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def stop(self) -> None:
        if self._thread.is_alive():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(30)

    @property
    def port(self) -> int:
        return int(self.info["ami_port"])

    @property
    def user(self) -> str:
        return str(self.info["ami_user"])

    @property
    def secret(self) -> str:
        return str(self.info["ami_secret"])


class AmiTestClient:
    """A blocking AMI client over a socket using the codec's client role."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.codec = AmiCodec("client")
        self.banner: Banner | None = None
        self.items: list[Message] = []
        self.closed = False
        self.timeout = timeout

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> AmiTestClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send(self, *headers: tuple[str, str]) -> None:
        self.sock.sendall(self.codec.send(list(headers)))

    def _drain(self) -> None:
        while (item := self.codec.next_message()) is not None:
            if isinstance(item, Banner):
                self.banner = item
            elif isinstance(item, ProtocolError):
                raise AssertionError(f"protocol error from lab: {item}")
            else:
                self.items.append(item)

    def _pump(self, deadline: float) -> bool:
        """Read once (until the deadline) and parse; False when the peer has closed."""
        self._drain()
        if self.closed:
            return False
        self.sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            return True
        except ConnectionResetError:
            data = b""
        if not data:
            self.closed = True
        self.codec.receive_data(data)
        self._drain()
        return True

    def wait_for(self, pred: Callable[[Message], bool], timeout: float | None = None) -> Message:
        """The first received message (kept or new) matching pred; it is consumed."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, m in enumerate(self.items):
                if pred(m):
                    del self.items[i]
                    return m
            if time.monotonic() > deadline or not self._pump(deadline):
                for i, m in enumerate(self.items):
                    if pred(m):
                        del self.items[i]
                        return m
                raise TimeoutError("no matching AMI message")

    def response(self, action_id: str, timeout: float | None = None) -> Message:
        return self.wait_for(lambda m: m.is_response and m.action_id == action_id, timeout)

    def wait_closed(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.closed:
            if time.monotonic() > deadline:
                raise TimeoutError("connection still open")
            self._pump(deadline)

    def collect_list(self, action_id: str, complete: str) -> list[Message]:
        """Response + items up to the `complete` event (inclusive)."""
        out = [self.response(action_id)]
        while True:
            m = self.wait_for(lambda m: m.action_id == action_id)
            out.append(m)
            if m.name == complete:
                return out

    def login(
        self, user: str, secret: str, events: str = "on", action_id: str = "login-1"
    ) -> Message:
        self.send(
            ("Action", "Login"),
            ("ActionID", action_id),
            ("Username", user),
            ("Secret", secret),
            ("Events", events),
        )
        return self.response(action_id)
