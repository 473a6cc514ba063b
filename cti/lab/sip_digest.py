"""HTTP digest authentication (RFC 2617 / RFC 3261 22) for the lab's registrar front.

Asterisk (res_pjsip) challenges REGISTER and INVITE with `401 Unauthorized` +
`WWW-Authenticate: Digest realm="asterisk",nonce=…,opaque=…,algorithm=MD5,qop="auth"`; the
client answers with an `Authorization` header whose `response` proves it knows the password.

Design:
- Nonces are stateless: `<issued-at>/<HMAC(secret, issued-at)>`, so any nonce this process
  issued is checked without a table, survives client retries and never grows memory. A nonce
  older than `nonce_lifetime_s` is answered with a fresh challenge marked `stale=true` (the
  client retries silently with the same password), as RFC 2617 3.2.1 says.
- MD5 with and without `qop=auth` is accepted (pjsip uses qop=auth when offered). `auth-int`
  and SHA-256 are not offered, so not accepted.
- Comparison of digests is constant-time. Passwords never leave this module, never logged.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from cti.lab.sip_message import split_top_level


class AuthOutcome(enum.Enum):
    MISSING = "missing"  # no credentials for our realm: send a challenge
    OK = "ok"
    STALE = "stale"  # right password, expired nonce: challenge again with stale=true
    FAILED = "failed"  # wrong password / unknown user / forged nonce


@dataclass(frozen=True)
class AuthResult:
    outcome: AuthOutcome
    username: str = ""


def parse_auth_params(value: str) -> tuple[str, dict[str, str]]:
    """`Digest a="x", b=y` → ("digest", {"a": "x", "b": "y"})."""
    scheme, _, rest = value.strip().partition(" ")
    params: dict[str, str] = {}
    for item in split_top_level(rest, ","):
        name, _, raw = item.partition("=")
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        params[name.strip().lower()] = raw
    return scheme.lower(), params


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def digest_response(
    username: str,
    realm: str,
    password: str,
    method: str,
    uri: str,
    nonce: str,
    *,
    qop: str = "",
    nc: str = "",
    cnonce: str = "",
) -> str:
    """The `response` value a client computes (MD5; qop empty or "auth")."""
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    if qop:
        return _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")
    return _md5(f"{ha1}:{nonce}:{ha2}")


class DigestAuthenticator:
    def __init__(
        self,
        realm: str,
        clock: Callable[[], float],
        *,
        secret: bytes | None = None,
        nonce_lifetime_s: float = 300.0,
    ) -> None:
        self.realm = realm
        self._clock = clock
        self._secret = secret if secret is not None else secrets.token_bytes(32)
        self._lifetime = nonce_lifetime_s
        self._opaque = hashlib.sha1(self._secret + b"opaque", usedforsecurity=False).hexdigest()

    def _sign(self, issued: str) -> str:
        return hmac.new(self._secret, issued.encode("ascii"), hashlib.sha256).hexdigest()[:24]

    def new_nonce(self) -> str:
        issued = f"{self._clock():.3f}"
        return f"{issued}/{self._sign(issued)}"

    def challenge(self, *, stale: bool = False) -> str:
        """The value of a WWW-Authenticate header."""
        text = (
            f'Digest realm="{self.realm}",nonce="{self.new_nonce()}",'
            f'opaque="{self._opaque}",algorithm=MD5,qop="auth"'
        )
        return text + (",stale=true" if stale else "")

    def _nonce_state(self, nonce: str) -> AuthOutcome:
        issued, _, signature = nonce.partition("/")
        if not signature or not hmac.compare_digest(signature, self._sign(issued)):
            return AuthOutcome.FAILED
        try:
            age = self._clock() - float(issued)
        except ValueError:
            return AuthOutcome.FAILED
        return AuthOutcome.OK if -5.0 <= age <= self._lifetime else AuthOutcome.STALE

    def verify(
        self,
        authorization: list[str],
        method: str,
        password_of: Callable[[str], str | None],
    ) -> AuthResult:
        """Check the Authorization header values of a request against our realm."""
        for value in authorization:
            scheme, params = parse_auth_params(value)
            if scheme != "digest" or params.get("realm") != self.realm:
                continue
            username = params.get("username", "")
            algorithm = params.get("algorithm", "MD5").upper()
            qop = params.get("qop", "")
            if algorithm != "MD5" or qop not in ("", "auth"):
                return AuthResult(AuthOutcome.FAILED, username)
            password = password_of(username)
            expected = digest_response(
                username,
                self.realm,
                password if password is not None else secrets.token_hex(16),
                method,
                params.get("uri", ""),
                params.get("nonce", ""),
                qop=qop,
                nc=params.get("nc", ""),
                cnonce=params.get("cnonce", ""),
            )
            if password is None or not hmac.compare_digest(expected, params.get("response", "")):
                return AuthResult(AuthOutcome.FAILED, username)
            # Only a correct response can be "stale": a wrong password must not be retried.
            state = self._nonce_state(params.get("nonce", ""))
            return AuthResult(state, username)
        return AuthResult(AuthOutcome.MISSING)
