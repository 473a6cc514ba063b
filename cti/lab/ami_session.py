"""One AMI client session on the lab's server, without I/O (the server feeds it and writes).

Rules (Asterisk 22 manager.c as captured in `ami-bad-input-annotated.txt`):
- Before login only Login, Challenge and Logoff are allowed; anything else is answered
  `Permission denied`. A failed login is answered `Authentication failed` after a fixed 1 s
  delay and the connection is closed; the session reads nothing more. An unauthenticated
  session is closed silently 30 s after connecting (the server runs that timer).
- Login takes the secret in plain text, or `AuthType: MD5` + `Key: md5(challenge + secret)`
  after `Action: Challenge`. A second Login on an authenticated session: `Already
  authenticated`.
- `Events:` on Login and the `Events` action (`EventMask:`) set which event classes the
  session receives: `on` = all, `off` = none, or a comma list (system, call, agent, …).
  An event is sent if one of its Privilege classes is in the mask.
- Malformed input comes from the codec as `ProtocolError` and is answered with Asterisk's
  words (with the ActionID when one was readable); the session goes on.
- Logoff: `Response: Goodbye` / `Thanks for all the fish.`, then close.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cti.ami.codec import ProtocolError
from cti.ami.message import Message
from cti.lab.ami_actions import ACTIONS, error, response
from cti.lab.pbx import Deferred, LabPbx

Headers = list[tuple[str, str]]

BANNER = "Asterisk Call Manager/11.0.0"
BAD_LOGIN_DELAY_S = 1.0
AUTH_TIMEOUT_S = 30.0
ALL_CLASSES = frozenset(
    {
        "system",
        "call",
        "log",
        "verbose",
        "command",
        "agent",
        "user",
        "config",
        "dtmf",
        "reporting",
        "cdr",
        "dialplan",
        "originate",
        "agi",
        "cc",
        "aoc",
        "test",
        "security",
        "message",
    }
)


@dataclass(frozen=True)
class Reply:
    """Frames to send for one input, and what to do around them."""

    frames: tuple[Headers, ...]
    delay_s: float = 0.0  # wait this long before sending (failed login)
    close: bool = False  # close the connection after sending
    # The frames come later (synchronous Originate): the session reads nothing meanwhile.
    pending: Deferred[list[Headers]] | None = None


def parse_event_mask(value: str) -> frozenset[str]:
    v = value.strip().lower()
    if v in ("on", "yes", "true", "all", "-1"):
        return ALL_CLASSES
    if v in ("off", "no", "false", "0", ""):
        return frozenset()
    return frozenset(p.strip() for p in v.split(",") if p.strip() and p.strip() != "all")


class AmiSession:
    """State of one connection: authentication, event mask, the challenge.

    Attributes:
        authenticated: a Login succeeded.
        username: the account that logged in.
        event_mask: event classes this session receives.
        closing: the session has ended (Logoff, failed login); ignore further input.
    """

    def __init__(
        self,
        pbx: LabPbx,
        accounts: Mapping[str, str],
        *,
        local_address: str = "IPV4/TCP/127.0.0.1/5038",
        remote_address: str = "IPV4/TCP/127.0.0.1/0",
        session_id: int = 0,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._pbx = pbx
        self._accounts = dict(accounts)
        self._rng = rng or random.Random()
        self._wall = wall_clock
        self.local_address = local_address
        self.remote_address = remote_address
        self.session_id = session_id
        self.authenticated = False
        self.username = ""
        self.event_mask: frozenset[str] = ALL_CLASSES
        self.closing = False
        self._challenge = ""
        self._mask_cache: dict[str, bool] = {}

    # -- events ----------------------------------------------------------------------------
    def wants(self, privilege: str) -> bool:
        """Should an event with this Privilege value be sent to this session?"""
        if not self.authenticated or self.closing or not self.event_mask:
            return False
        hit = self._mask_cache.get(privilege)
        if hit is None:
            classes = {p.strip().lower() for p in privilege.split(",")} - {"all"}
            hit = bool(classes & self.event_mask) if classes else True
            self._mask_cache[privilege] = hit
        return hit

    def _set_mask(self, mask: frozenset[str]) -> None:
        self.event_mask = mask
        self._mask_cache.clear()

    # -- input -----------------------------------------------------------------------------
    def handle(self, item: Message | ProtocolError) -> Reply | None:
        if self.closing:
            return None
        if isinstance(item, ProtocolError):
            return Reply((error(item.action_id, item.message),))
        action = (item.get("Action") or "").strip()
        key = action.lower()
        aid = item.action_id
        if key == "login":
            return self._login(item)
        if key == "challenge":
            return self._challenge_reply(item)
        if key == "logoff":
            self.closing = True
            return Reply(
                (response("Goodbye", aid, ("Message", "Thanks for all the fish.")),), close=True
            )
        if not self.authenticated:
            return Reply((error(aid, "Permission denied"),))
        if key == "events":
            mask = parse_event_mask(item.get("EventMask") or "")
            self._set_mask(mask)
            return Reply((response("Success", aid, ("Events", "On" if mask else "Off")),))
        handler = ACTIONS.get(key)
        if handler is None:
            return Reply(
                (
                    error(
                        aid,
                        f"Invalid/unknown command: {action}. "
                        "Use Action: ListCommands to show available commands.",
                    ),
                )
            )
        result = handler(self._pbx, item)
        if isinstance(result, Deferred):
            return Reply((), pending=result)
        return Reply(tuple(result))

    def _challenge_reply(self, m: Message) -> Reply:
        if (m.get("AuthType") or "").lower() != "md5":
            return Reply((error(m.action_id, "Must specify AuthType"),))
        if not self._challenge:
            self._challenge = str(self._rng.randrange(10**8, 10**9))
        return Reply((response("Success", m.action_id, ("Challenge", self._challenge)),))

    def _login(self, m: Message) -> Reply:
        aid = m.action_id
        if self.authenticated:
            return Reply((response("Success", aid, ("Message", "Already authenticated")),))
        user = m.get("Username") or ""
        secret = self._accounts.get(user)
        ok = False
        if secret is not None:
            if (m.get("AuthType") or "").lower() == "md5":
                key = (m.get("Key") or "").lower()
                if self._challenge:
                    expected = hashlib.md5((self._challenge + secret).encode()).hexdigest()
                    ok = hmac.compare_digest(key, expected)
            else:
                ok = hmac.compare_digest((m.get("Secret") or "").encode(), secret.encode())
        if not ok:
            self.closing = True
            return Reply(
                (error(aid, "Authentication failed"),), delay_s=BAD_LOGIN_DELAY_S, close=True
            )
        self.authenticated = True
        self.username = user
        events = m.get("Events")
        if events is not None:
            self._set_mask(parse_event_mask(events))
        frames: list[Headers] = [response("Success", aid, ("Message", "Authentication accepted"))]
        if self.wants("system,all"):
            uptime = str(max(0, int(self._pbx.now() - self._pbx.started)))
            frames.append(
                [
                    ("Event", "FullyBooted"),
                    ("Privilege", "system,all"),
                    ("Uptime", uptime),
                    ("LastReload", uptime),
                    ("Status", "Fully Booted"),
                ]
            )
        self._pbx.emit(self._successful_auth(user))
        return Reply(tuple(frames))

    def _successful_auth(self, user: str) -> Headers:
        wall = self._wall()
        ms = int(wall * 1000) % 1000
        tv = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(wall)) + f".{ms:03d}+0000"
        return [
            ("Event", "SuccessfulAuth"),
            ("Privilege", "security,all"),
            ("EventTV", tv),
            ("Severity", "Informational"),
            ("Service", "AMI"),
            ("EventVersion", "1"),
            ("AccountID", user),
            ("SessionID", f"0x{self.session_id:012x}"),
            ("LocalAddress", self.local_address),
            ("RemoteAddress", self.remote_address),
            ("UsingPassword", "0"),
            ("SessionTV", tv),
        ]
