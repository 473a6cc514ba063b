"""The lab's registrar + relay front (cti/lab/sip_registrar.py), sans-IO, with a fake clock."""

from __future__ import annotations

import pytest

from cti.lab.sip_digest import digest_response, parse_auth_params
from cti.lab.sip_message import SipMessage, parse_message, parse_via
from cti.lab.sip_registrar import (
    BRANCH_PREFIX,
    ChangeKind,
    Datagram,
    SecurityKind,
    SipFront,
)

PUBLIC = ("127.0.0.1", 5060)
INTERNAL = ("127.0.0.1", 40000)
CLIENT = ("127.0.0.1", 39111)
ACCOUNTS = {"1001": "agent-secret", "1900": "sup-secret"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def front(clock: Clock) -> SipFront:
    f = SipFront(ACCOUNTS, clock, PUBLIC, secret=b"test-secret")
    f.internal = INTERNAL
    return f


def request(
    method: str,
    uri: str,
    user: str,
    *,
    branch: str,
    cseq: int = 1,
    call_id: str = "call-1",
    extra: list[tuple[str, str]] | None = None,
    to_tag: str = "",
    body: bytes = b"",
) -> SipMessage:
    to_user = user if method == "REGISTER" else uri.split(":", 1)[1].split("@", 1)[0]
    headers = [
        ("Via", f"SIP/2.0/UDP 127.0.0.1:39111;rport;branch={branch}"),
        ("Max-Forwards", "70"),
        ("From", f"<sip:{user}@127.0.0.1>;tag=from-tag"),
        ("To", f"<sip:{to_user}@127.0.0.1>" + (f";tag={to_tag}" if to_tag else "")),
        ("Call-ID", call_id),
        ("CSeq", f"{cseq} {method}"),
        *(extra or []),
    ]
    return SipMessage(f"{method} {uri} SIP/2.0", headers, body)


def only(datagrams: list[Datagram]) -> tuple[SipMessage, tuple[str, int]]:
    assert len(datagrams) == 1
    return parse_message(datagrams[0].data), datagrams[0].address


def authorization(challenge: str, user: str, password: str, method: str, uri: str) -> str:
    _, params = parse_auth_params(challenge)
    response = digest_response(
        user,
        params["realm"],
        password,
        method,
        uri,
        params["nonce"],
        qop="auth",
        nc="00000001",
        cnonce="abc",
    )
    return (
        f'Digest username="{user}", realm="{params["realm"]}", nonce="{params["nonce"]}", '
        f'uri="{uri}", response="{response}", algorithm=MD5, cnonce="abc", '
        f'opaque="{params["opaque"]}", qop=auth, nc=00000001'
    )


def register(
    front: SipFront,
    user: str,
    password: str,
    *,
    contact: str = "<sip:1001@127.0.0.1:39111;ob>",
    expires: str = "300",
) -> SipMessage:
    """REGISTER, answer the challenge, return the final response."""
    uri = "sip:127.0.0.1:5060"
    extra = [("Contact", contact), ("Expires", expires)]
    first, address = only(
        front.handle(
            request("REGISTER", uri, user, branch="z9hG4bK1", extra=extra).to_bytes(), CLIENT
        )
    )
    assert address == CLIENT
    assert first.status_code == 401
    challenge = first.get("www-authenticate")
    assert challenge is not None and 'realm="asterisk"' in challenge and 'qop="auth"' in challenge
    auth = authorization(challenge, user, password, "REGISTER", uri)
    second = request(
        "REGISTER",
        uri,
        user,
        branch="z9hG4bK2",
        cseq=2,
        extra=[*extra, ("Authorization", auth)],
    )
    final, _ = only(front.handle(second.to_bytes(), CLIENT))
    return final


def test_register_with_digest_auth(front: SipFront, clock: Clock) -> None:
    final = register(front, "1001", "agent-secret")
    assert final.status_code == 200
    assert final.get("contact") == "<sip:1001@127.0.0.1:39111;ob>;expires=300"
    assert "tag=" in (final.get("to") or "")
    via = parse_via(final.get_all("via")[0])
    assert via.params["rport"] == "39111" and via.params["received"] == "127.0.0.1"
    binding = front.binding("1001")
    assert binding is not None and binding.contact == "sip:1001@127.0.0.1:39111;ob"
    assert binding.expires_at == clock.now + 300
    changes = front.drain_changes()
    assert [c.kind for c in changes] == [ChangeKind.REGISTERED]
    kinds = [n.kind for n in front.drain_security()]
    assert kinds == [SecurityKind.CHALLENGE_SENT, SecurityKind.SUCCESSFUL_AUTH]


def test_wrong_password_is_forbidden_after_the_challenge(front: SipFront) -> None:
    final = register(front, "1001", "not-the-password")
    assert final.status_code == 403
    assert front.binding("1001") is None
    assert front.drain_changes() == []
    kinds = [n.kind for n in front.drain_security()]
    assert kinds == [SecurityKind.CHALLENGE_SENT, SecurityKind.INVALID_PASSWORD]


def test_unknown_user_is_challenged_then_forbidden(front: SipFront) -> None:
    final = register(front, "7777", "whatever")
    assert final.status_code == 403
    assert SecurityKind.INVALID_ACCOUNT_ID in [n.kind for n in front.drain_security()]


def test_credentials_of_another_user_are_forbidden(front: SipFront) -> None:
    uri = "sip:127.0.0.1:5060"
    first, _ = only(
        front.handle(
            request(
                "REGISTER", uri, "1001", branch="z9hG4bKa", extra=[("Contact", "<sip:1001@h>")]
            ).to_bytes(),
            CLIENT,
        )
    )
    auth = authorization(first.get("www-authenticate") or "", "1900", "sup-secret", "REGISTER", uri)
    final, _ = only(
        front.handle(
            request(
                "REGISTER",
                uri,
                "1001",
                branch="z9hG4bKb",
                cseq=2,
                extra=[("Contact", "<sip:1001@h>"), ("Authorization", auth)],
            ).to_bytes(),
            CLIENT,
        )
    )
    assert final.status_code == 403


def test_stale_nonce_gets_a_fresh_challenge(front: SipFront, clock: Clock) -> None:
    uri = "sip:127.0.0.1:5060"
    first, _ = only(
        front.handle(
            request(
                "REGISTER", uri, "1001", branch="z9hG4bKa", extra=[("Contact", "<sip:1001@h>")]
            ).to_bytes(),
            CLIENT,
        )
    )
    auth = authorization(
        first.get("www-authenticate") or "", "1001", "agent-secret", "REGISTER", uri
    )
    clock.now += 3600
    again, _ = only(
        front.handle(
            request(
                "REGISTER",
                uri,
                "1001",
                branch="z9hG4bKb",
                cseq=2,
                extra=[("Contact", "<sip:1001@h>"), ("Authorization", auth)],
            ).to_bytes(),
            CLIENT,
        )
    )
    assert again.status_code == 401
    assert "stale=true" in (again.get("www-authenticate") or "")


def test_unregister_and_expiry(front: SipFront, clock: Clock) -> None:
    assert register(front, "1001", "agent-secret").status_code == 200
    assert (
        register(front, "1900", "sup-secret", contact="<sip:1900@127.0.0.1:39111;ob>").status_code
        == 200
    )
    front.drain_changes()
    final = register(front, "1001", "agent-secret", expires="0")
    assert final.status_code == 200 and final.get("contact") is None
    assert front.binding("1001") is None
    assert [c.kind for c in front.drain_changes()] == [ChangeKind.UNREGISTERED]
    clock.now += 299
    front.expire()
    assert front.binding("1900") is not None
    clock.now += 2
    front.expire()
    assert front.binding("1900") is None
    assert [c.kind for c in front.drain_changes()] == [ChangeKind.EXPIRED]


def test_refresh_and_replacement_of_the_contact(front: SipFront) -> None:
    register(front, "1001", "agent-secret")
    register(front, "1001", "agent-secret")
    register(front, "1001", "agent-secret", contact="<sip:1001@127.0.0.1:40404>")
    kinds = [c.kind for c in front.drain_changes()]
    assert kinds == [
        ChangeKind.REGISTERED,
        ChangeKind.REFRESHED,
        ChangeKind.UNREGISTERED,
        ChangeKind.REGISTERED,
    ]
    binding = front.binding("1001")
    assert binding is not None and binding.contact == "sip:1001@127.0.0.1:40404"


def test_too_short_expiry_is_refused_with_min_expires(front: SipFront) -> None:
    final = register(front, "1001", "agent-secret", expires="10")
    assert final.status_code == 423
    assert final.get("min-expires") == "60"


def test_invite_is_challenged_then_relayed_with_our_via(front: SipFront) -> None:
    uri = "sip:*2211001@127.0.0.1:5060"
    sdp = b"v=0\r\n"
    invite = request(
        "INVITE",
        uri,
        "1900",
        branch="z9hG4bKinv1",
        body=sdp,
        extra=[("Route", "<sip:127.0.0.1:5060;lr>"), ("Contact", "<sip:1900@h>")],
    )
    challenge, _ = only(front.handle(invite.to_bytes(), CLIENT))
    assert challenge.status_code == 401
    # The ACK of our own 401 is absorbed, not relayed.
    ack = request("ACK", uri, "1900", branch="z9hG4bKinv1", to_tag="x")
    assert front.handle(ack.to_bytes(), CLIENT) == []
    auth = authorization(
        challenge.get("www-authenticate") or "", "1900", "sup-secret", "INVITE", uri
    )
    invite2 = request(
        "INVITE",
        uri,
        "1900",
        branch="z9hG4bKinv2",
        cseq=2,
        body=sdp,
        extra=[("Route", "<sip:127.0.0.1:5060;lr>"), ("Authorization", auth)],
    )
    relayed, address = only(front.handle(invite2.to_bytes(), CLIENT))
    assert address == INTERNAL
    vias = relayed.vias()
    assert vias[0].branch.startswith(BRANCH_PREFIX)
    assert (vias[0].host, vias[0].port) == PUBLIC
    assert vias[1].branch == "z9hG4bKinv2" and vias[1].params["rport"] == "39111"
    assert relayed.get("route") is None  # our own Route entry is consumed
    assert relayed.get("max-forwards") == "69"
    assert relayed.body == sdp
    # A retransmission and the CANCEL map to the same pjsua2 transaction.
    again, _ = only(front.handle(invite2.to_bytes(), CLIENT))
    cancel = request("CANCEL", uri, "1900", branch="z9hG4bKinv2", cseq=2)
    cancelled, _ = only(front.handle(cancel.to_bytes(), CLIENT))
    assert again.vias()[0].branch == vias[0].branch == cancelled.vias()[0].branch
    # The response from pjsua2 goes back to the client without our Via.
    response = SipMessage(
        "SIP/2.0 200 OK",
        [("Via", v) for v in relayed.get_all("via")]
        + [
            ("From", relayed.get("from") or ""),
            ("To", "<sip:x@h>;tag=t"),
            ("Call-ID", "call-1"),
            ("CSeq", "2 INVITE"),
        ],
    )
    back, address = only(front.handle(response.to_bytes(), INTERNAL))
    assert address == CLIENT
    assert [v.branch for v in back.vias()] == ["z9hG4bKinv2"]


def test_invite_with_a_wrong_password_is_forbidden(front: SipFront) -> None:
    uri = "sip:600@127.0.0.1:5060"
    first, _ = only(
        front.handle(request("INVITE", uri, "1001", branch="z9hG4bKw1").to_bytes(), CLIENT)
    )
    auth = authorization(first.get("www-authenticate") or "", "1001", "bad", "INVITE", uri)
    final, _ = only(
        front.handle(
            request(
                "INVITE", uri, "1001", branch="z9hG4bKw2", cseq=2, extra=[("Authorization", auth)]
            ).to_bytes(),
            CLIENT,
        )
    )
    assert final.status_code == 403


def test_in_dialog_requests_are_relayed_without_a_challenge(front: SipFront) -> None:
    bye = request(
        "BYE",
        "sip:asterisk@127.0.0.1:40000",
        "1900",
        branch="z9hG4bKbye",
        to_tag="lab",
        extra=[("Route", "<sip:127.0.0.1:5060;lr>")],
    )
    relayed, address = only(front.handle(bye.to_bytes(), CLIENT))
    assert address == INTERNAL and relayed.method == "BYE"


def test_garbage_and_keepalives_are_dropped(front: SipFront) -> None:
    assert front.handle(b"\r\n\r\n", CLIENT) == []
    assert front.handle(b"hello world\r\n\r\n", CLIENT) == []
    assert front.handle(b"\xff\xfe\r\n\r\n", CLIENT) == []
    assert front.dropped == 2
