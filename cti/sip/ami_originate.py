"""A one-shot AMI Originate for monitoring when no AMI client is running (the self-test).

The console passes `MonitorSession` its live `AmiClient` wrapped as an `OriginateFn`.
`check-monitoring` has no console around it, so this module gives the same callable from a
short AMI session of its own: connect, Login, `Originate` (Async) of our SIP channel into
ChanSpy, read the Response, Logoff. It runs on a worker thread and returns a Future, so
the caller (the GUI thread) never blocks; the session reads the Future's outcome. Only the
agreed codec interface (`AmiCodec`, `Message`) is used.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from cti.ami.codec import AmiCodec
from cti.ami.message import Banner, Message
from cti.sip.monitor import OriginateRequest

_ids = itertools.count(1)


@dataclass(frozen=True)
class OriginateOutcome:
    ok: bool
    message: str


class AmiOriginateError(RuntimeError):
    """The AMI session failed (connect, login); the message says which step."""


def _exchange(
    sock: socket.socket, codec: AmiCodec, headers: list[tuple[str, str]], action_id: str
) -> Message:
    sock.sendall(codec.send(headers))
    while True:
        item = codec.next_message()
        if item is None:
            data = sock.recv(65536)
            if not data:
                raise AmiOriginateError("the PBX closed the AMI connection")
            codec.receive_data(data)
            continue
        if isinstance(item, Banner):
            continue
        if isinstance(item, Message) and item.is_response and item.action_id == action_id:
            return item


def originate_once(
    host: str, port: int, user: str, secret: str, request: OriginateRequest, timeout_s: float = 5.0
) -> OriginateOutcome:
    """Log in, send the Originate, return the PBX's Response (Success / Error + Message)."""
    codec = AmiCodec("client")
    try:
        sock = socket.create_connection((host, port), timeout=timeout_s)
    except OSError as exc:
        raise AmiOriginateError(f"cannot reach AMI at {host}:{port}: {exc}") from exc
    with sock:
        login_id = f"mon-login-{next(_ids)}"
        reply = _exchange(
            sock,
            codec,
            [("Action", "Login"), ("Username", user), ("Secret", secret), ("ActionID", login_id)],
            login_id,
        )
        if (reply.get("Response") or "").lower() != "success":
            raise AmiOriginateError(f"AMI login failed: {reply.get('Message', '')}")
        action_id = f"mon-orig-{next(_ids)}"
        reply = _exchange(
            sock,
            codec,
            [
                ("Action", "Originate"),
                ("ActionID", action_id),
                ("Channel", request.channel),
                ("Application", request.application),
                ("Data", request.data),
                ("CallerID", request.caller_id),
                ("Timeout", str(request.timeout_ms)),
                ("Async", "true"),
            ],
            action_id,
        )
        ok = (reply.get("Response") or "").lower() == "success"
        message = str(reply.get("Message", ""))
        with contextlib.suppress(OSError):
            sock.sendall(codec.send([("Action", "Logoff"), ("ActionID", f"mon-bye-{next(_ids)}")]))
        return OriginateOutcome(ok, message)


class AmiOriginator:
    """An OriginateFn backed by short AMI sessions on one worker thread. Call `close()`."""

    def __init__(self, host: str, port: int, user: str, secret: str) -> None:
        self._args = (host, port, user, secret)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ami-originate")

    def __call__(self, request: OriginateRequest) -> Future[OriginateOutcome]:
        return self._pool.submit(originate_once, *self._args, request)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
