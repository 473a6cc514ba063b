"""The lab PBX's public SIP address: a registrar plus a stateless relay in front of pjsua2.

Why: pjsua2 is a user agent, not a server. It answers an incoming REGISTER with an error and
has no digest-authenticating UAS, yet the console must register its account with digest auth
exactly as it does with Asterisk. So the lab's public UDP port (the `sip_port` printed in
LAB-READY) belongs to this small sans-IO front, and the lab's pjsua2 endpoint listens on a
second, private port on the same host:

    client ──REGISTER──▶ front: 401 challenge → verify → 200 (binding) / 403 (wrong password)
    client ──INVITE────▶ front: 401 challenge → verify → relay ──▶ pjsua2 (private port)
    client ◀─responses── front ◀── pjsua2           (front pops its own Via, RFC 3261 16.7)
    client ◀═ in-dialog requests, ACK/BYE, RTP ═▶ pjsua2 directly (its Contact / SDP)
    pjsua2 ──INVITE────▶ client's registered Contact (looked up here) — direct

Rules (what Asterisk's res_pjsip does, as far as a client can tell):
- REGISTER and out-of-dialog INVITE are challenged (`401`, realm "asterisk", MD5, qop=auth).
  A correct answer registers / is relayed. A wrong password or an unknown user gets
  `403 Forbidden`; an expired nonce with the right password gets a new `stale=true` challenge.
  The authenticated user must be the AOR (REGISTER) / the From user (INVITE).
- One contact per AOR (Asterisk's `max_contacts=1, remove_existing=yes`): a new REGISTER
  replaces the old contact. `Expires: 0` / `Contact: *` unregisters. Requested lifetimes are
  clamped to [60 s, 7200 s] (60 s minimum → `423 Interval Too Brief` with `Min-Expires`),
  default 3600 s. Bindings run out on the injected clock.
- The relay is stateless (RFC 3261 16.11): it adds its own Via whose branch is a hash of the
  client's branch, so retransmissions, the ACK of a non-2xx final response and CANCEL reach
  the same pjsua2 transaction. It records no route, so dialogs continue directly between the
  client and pjsua2; clients that use the front as outbound proxy (`;lr` Route) still work,
  the front pops its own Route entry and relays to pjsua2.
- Requests the front answered itself (401/403) are remembered by branch for 32 s so their ACK
  is absorbed instead of being relayed.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cti.lab.sip_digest import AuthOutcome, DigestAuthenticator
from cti.lab.sip_message import (
    SipMessage,
    SipParseError,
    Via,
    parse_message,
    parse_name_addr,
    parse_uri,
    parse_via,
    response_to,
)

log = logging.getLogger(__name__)

Address = tuple[str, int]

BRANCH_PREFIX = "z9hG4bKlabfront"
MIN_EXPIRES = 60
MAX_EXPIRES = 7200
DEFAULT_EXPIRES = 3600
ANSWERED_MEMORY_S = 32.0  # 64*T1: how long a client may retransmit / ACK a final response
SERVER_HEADER = "Hotline-Lab-PBX"


@dataclass(frozen=True)
class Datagram:
    data: bytes
    address: Address


@dataclass(frozen=True)
class Binding:
    user: str
    contact: str  # the URI inside <…>, e.g. sip:1001@127.0.0.1:39111;ob
    expires_at: float
    source: Address
    user_agent: str
    call_id: str


class ChangeKind(enum.Enum):
    REGISTERED = "registered"  # new contact (first time or a different contact)
    REFRESHED = "refreshed"
    UNREGISTERED = "unregistered"
    EXPIRED = "expired"


@dataclass(frozen=True)
class RegistrationChange:
    kind: ChangeKind
    binding: Binding


class SecurityKind(enum.Enum):
    CHALLENGE_SENT = "ChallengeSent"
    SUCCESSFUL_AUTH = "SuccessfulAuth"
    INVALID_PASSWORD = "InvalidPassword"
    INVALID_ACCOUNT_ID = "InvalidAccountID"


@dataclass(frozen=True)
class SecurityNotice:
    """What Asterisk reports as a security event (AMI class `security`)."""

    kind: SecurityKind
    account: str
    session_id: str  # the SIP Call-ID, as Asterisk uses it
    remote: Address


class SipFront:
    """Sans-IO: `handle(datagram, source)` returns the datagrams to send."""

    def __init__(
        self,
        accounts: Mapping[str, str],
        clock: Callable[[], float],
        public: Address,
        *,
        realm: str = "asterisk",
        secret: bytes | None = None,
        challenge_methods: frozenset[str] = frozenset({"REGISTER", "INVITE"}),
    ) -> None:
        self._accounts = dict(accounts)
        self._clock = clock
        self.public = public
        self.internal: Address | None = None
        self._auth = DigestAuthenticator(realm, clock, secret=secret)
        self._secret = secret if secret is not None else secrets.token_bytes(16)
        self._challenge_methods = challenge_methods
        self._bindings: dict[str, Binding] = {}
        self._answered: dict[str, float] = {}  # branch → when we sent a final response
        self._changes: list[RegistrationChange] = []
        self._security: list[SecurityNotice] = []
        self.dropped = 0  # unparsable or unexpected datagrams

    # ---- queries ------------------------------------------------------------------

    def binding(self, user: str) -> Binding | None:
        return self._bindings.get(user)

    def bindings(self) -> dict[str, Binding]:
        return dict(self._bindings)

    def drain_changes(self) -> list[RegistrationChange]:
        changes, self._changes = self._changes, []
        return changes

    def drain_security(self) -> list[SecurityNotice]:
        notices, self._security = self._security, []
        return notices

    # ---- time ---------------------------------------------------------------------

    def expire(self) -> None:
        now = self._clock()
        for user, binding in list(self._bindings.items()):
            if binding.expires_at <= now:
                del self._bindings[user]
                self._changes.append(RegistrationChange(ChangeKind.EXPIRED, binding))
        for branch, when in list(self._answered.items()):
            if now - when > ANSWERED_MEMORY_S:
                del self._answered[branch]

    # ---- datagrams ----------------------------------------------------------------

    def handle(self, data: bytes, source: Address) -> list[Datagram]:
        if not data.strip():
            return []  # CRLF keep-alive (RFC 5626 ping); nothing to answer over UDP
        try:
            message = parse_message(data)
            if self.internal is not None and source == self.internal:
                return self._from_internal(message)
            if not message.is_request:
                self.dropped += 1  # nothing we sent from this port expects a response
                return []
            return self._from_client(message, source)
        except (SipParseError, ValueError, IndexError) as exc:
            self.dropped += 1
            log.debug("dropped a datagram from %s: %s", source, exc)
            return []

    def _from_internal(self, message: SipMessage) -> list[Datagram]:
        if message.is_request:
            self.dropped += 1
            return []
        vias = message.get_all("via")
        if len(vias) < 2 or not parse_via(vias[0]).branch.startswith(BRANCH_PREFIX):
            self.dropped += 1
            return []
        message.set_all("via", vias[1:])
        return [Datagram(message.to_bytes(), parse_via(vias[1]).response_address())]

    def _from_client(self, request: SipMessage, source: Address) -> list[Datagram]:
        vias = request.get_all("via")
        if not vias:
            self.dropped += 1
            return []
        top = parse_via(vias[0])
        reply_to = _reply_address(top, source)
        method = request.method
        if method == "ACK" and top.branch in self._answered:
            return []  # ACK of a 401/403 we sent ourselves
        forwards = (request.get("max-forwards") or "70").strip()
        if forwards.isdigit() and int(forwards) <= 0:
            return [self._answer(request, reply_to, 483, "Too Many Hops")]
        if method == "REGISTER":
            return [self._register(request, source, reply_to)]
        in_dialog = "tag=" in (request.get("to") or "").lower()
        if method in self._challenge_methods and not in_dialog:
            refusal = self._authenticate(request, source, reply_to, from_user=True)
            if refusal is not None:
                return [refusal]
        return self._relay(request, source, reply_to)

    # ---- REGISTER -----------------------------------------------------------------

    def _register(self, request: SipMessage, source: Address, reply_to: Address) -> Datagram:
        refusal = self._authenticate(request, source, reply_to, from_user=False)
        if refusal is not None:
            return refusal
        aor_user = parse_uri(parse_name_addr(request.get("to") or "").uri).user
        contacts = [parse_name_addr(c) for c in request.get_all("contact")]
        expires_header = (request.get("expires") or "").strip()
        header_expires = int(expires_header) if expires_header.isdigit() else None
        now = self._clock()
        current = self._bindings.get(aor_user)
        if any(c.is_star for c in contacts):
            if header_expires != 0 or len(contacts) != 1:
                return self._answer(request, reply_to, 400, "Bad Request")
            if current is not None:
                del self._bindings[aor_user]
                self._changes.append(RegistrationChange(ChangeKind.UNREGISTERED, current))
            return self._answer(request, reply_to, 200, "OK")
        for contact in contacts:
            param = contact.params.get("expires", "")
            if param.isdigit():
                expires = int(param)
            elif header_expires is not None:
                expires = header_expires
            else:
                expires = DEFAULT_EXPIRES
            if expires == 0:
                if current is not None and current.contact == contact.uri:
                    del self._bindings[aor_user]
                    self._changes.append(RegistrationChange(ChangeKind.UNREGISTERED, current))
                    current = None
                continue
            if expires < MIN_EXPIRES:
                return self._answer(
                    request,
                    reply_to,
                    423,
                    "Interval Too Brief",
                    [("Min-Expires", str(MIN_EXPIRES))],
                )
            binding = Binding(
                aor_user,
                contact.uri,
                now + min(expires, MAX_EXPIRES),
                source,
                request.get("user-agent") or "",
                request.get("call-id") or "",
            )
            kind = (
                ChangeKind.REFRESHED
                if current is not None and current.contact == binding.contact
                else ChangeKind.REGISTERED
            )
            if current is not None and kind is ChangeKind.REGISTERED:
                # remove_existing: the old contact goes, as Asterisk reports it.
                self._changes.append(RegistrationChange(ChangeKind.UNREGISTERED, current))
            self._bindings[aor_user] = binding
            self._changes.append(RegistrationChange(kind, binding))
            current = binding
        extra: list[tuple[str, str]] = []
        if current is not None:
            remaining = max(0, round(current.expires_at - now))
            extra.append(("Contact", f"<{current.contact}>;expires={remaining}"))
        return self._answer(request, reply_to, 200, "OK", extra)

    # ---- authentication -----------------------------------------------------------

    def _authenticate(
        self, request: SipMessage, source: Address, reply_to: Address, *, from_user: bool
    ) -> Datagram | None:
        """None when the request may proceed, else the 401/403 to send."""
        call_id = request.get("call-id") or ""
        header = "from" if from_user else "to"
        claimed = parse_uri(parse_name_addr(request.get(header) or "").uri).user
        result = self._auth.verify(
            request.get_all("authorization"), request.method, self._accounts.get
        )
        if result.outcome is AuthOutcome.OK and result.username == claimed:
            self._security.append(
                SecurityNotice(SecurityKind.SUCCESSFUL_AUTH, claimed, call_id, source)
            )
            return None
        if result.outcome in (AuthOutcome.MISSING, AuthOutcome.STALE):
            stale = result.outcome is AuthOutcome.STALE
            self._security.append(
                SecurityNotice(SecurityKind.CHALLENGE_SENT, claimed, call_id, source)
            )
            return self._answer(
                request,
                reply_to,
                401,
                "Unauthorized",
                [("WWW-Authenticate", self._auth.challenge(stale=stale))],
            )
        kind = (
            SecurityKind.INVALID_PASSWORD
            if claimed in self._accounts
            else SecurityKind.INVALID_ACCOUNT_ID
        )
        self._security.append(SecurityNotice(kind, claimed, call_id, source))
        return self._answer(request, reply_to, 403, "Forbidden")

    # ---- relay --------------------------------------------------------------------

    def _relay(self, request: SipMessage, source: Address, reply_to: Address) -> list[Datagram]:
        if self.internal is None:
            return [self._answer(request, reply_to, 503, "Service Unavailable")]
        vias = request.get_all("via")
        top = parse_via(vias[0])
        branch = self._derived_branch(top.branch, top.host, top.port, request.get("call-id"))
        ours = f"SIP/2.0/UDP {self.public[0]}:{self.public[1]};branch={branch};rport"
        request.set_all("via", [ours, str(_stamped(top, source)), *vias[1:]])
        routes = request.get_all("route")
        if routes and self._is_us(parse_name_addr(routes[0]).uri):
            request.set_all("route", routes[1:])
        forwards = (request.get("max-forwards") or "70").strip()
        request.set_all("max-forwards", [str(int(forwards) - 1) if forwards.isdigit() else "69"])
        return [Datagram(request.to_bytes(), self.internal)]

    def _derived_branch(self, branch: str, host: str, port: int | None, call_id: str | None) -> str:
        seed = f"{branch}|{host}|{port}|{call_id}".encode()
        digest = hashlib.sha256(self._secret + seed).hexdigest()[:24]
        return BRANCH_PREFIX + digest

    def _is_us(self, uri_text: str) -> bool:
        try:
            uri = parse_uri(uri_text)
        except SipParseError:
            return False
        return uri.host == self.public[0] and (uri.port or 5060) == self.public[1]

    # ---- responses ----------------------------------------------------------------

    def _answer(
        self,
        request: SipMessage,
        reply_to: Address,
        code: int,
        reason: str,
        extra: list[tuple[str, str]] | None = None,
    ) -> Datagram:
        """A response generated by the front itself (remembered for ACK absorption)."""
        vias = request.get_all("via")
        if request.method == "INVITE" and code >= 200 and vias:
            self._answered[parse_via(vias[0]).branch] = self._clock()
        tag = hashlib.sha256(self._secret + (request.get("call-id") or "").encode()).hexdigest()
        reply = response_to(request, code, reason, to_tag=tag[:16])
        if vias:
            reply.set_all("via", [str(_stamped(parse_via(vias[0]), reply_to)), *vias[1:]])
        reply.add("Server", SERVER_HEADER)
        for name, value in extra or []:
            reply.add(name, value)
        return Datagram(reply.to_bytes(), reply_to)


def _stamped(via: Via, source: Address) -> Via:
    """The client's Via with `received` and a filled-in `rport` (RFC 3261 18.2.1, RFC 3581)."""
    params = dict(via.params)
    params["received"] = source[0]
    if "rport" in params:
        params["rport"] = str(source[1])
    return Via(via.transport, via.host, via.port, params)


def _reply_address(via: Via, source: Address) -> Address:
    """Where to answer a request: its source with rport, else the Via's sent-by port."""
    if "rport" in via.params or via.port is None:
        return source
    return source[0], via.port
