"""AmiClient over real TCP/TLS on 127.0.0.1 against the fake AMI server."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import random
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ami_fake_server import FakeAmiServer

from cti.ami import actions as act
from cti.ami import events as ev
from cti.ami.backoff import Backoff
from cti.ami.client import AmiClient, AmiConfig, AmiConfigError, LinkState, LinkStatus
from cti.ami.sync import SyncSnapshot


class Recorder:
    """Collects callbacks from the I/O thread; tests wait on conditions, never sleep."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: list[Any] = []
        self.states: list[LinkStatus] = []

    def on_event(self, item: Any) -> None:
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def on_link_state(self, status: LinkStatus) -> None:
        with self.cond:
            self.states.append(status)
            self.cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until predicate() holds; re-checked on every callback and every 20 ms (some
        conditions are about the server's side, which does not notify us)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(s.state.value, s.reason) for s in self.states]
                    raise AssertionError(f"condition not met; link states: {seen}")
                self.cond.wait(min(left, 0.02))

    def snapshots(self) -> list[SyncSnapshot]:
        return [i for i in self.items if isinstance(i, SyncSnapshot)]

    def live_count(self) -> int:
        return sum(1 for s in self.states if s.state == LinkState.LIVE)

    def state_names(self) -> list[str]:
        return [s.state.value for s in self.states]


def config(port: int, **kw: Any) -> AmiConfig:
    base: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "username": "console",
        "secret": "console-secret",
        "backoff_initial_s": 0.05,
        "backoff_max_s": 0.2,
        "login_timeout_s": 3.0,
        "action_timeout_s": 3.0,
    }
    base.update(kw)
    return AmiConfig(**base)


@contextmanager
def running(
    cfg: AmiConfig, rng: random.Random | None = None
) -> Iterator[tuple[AmiClient, Recorder]]:
    rec = Recorder()
    client = AmiClient(
        cfg, on_event=rec.on_event, on_link_state=rec.on_link_state, rng=rng or random.Random(1)
    )
    client.start()
    try:
        yield client, rec
    finally:
        client.stop()
    assert rec.states[-1].state == LinkState.DISCONNECTED


@pytest.fixture
def server() -> Iterator[FakeAmiServer]:
    with FakeAmiServer() as srv:
        yield srv


@pytest.mark.timeout(20)
def test_md5_login_sync_and_live_events(server: FakeAmiServer) -> None:
    with running(config(server.port)) as (client, rec):
        rec.wait(lambda: rec.live_count() == 1)
        names = rec.state_names()
        assert names[:4] == ["connecting", "authenticating", "syncing", "live"]
        (snap,) = rec.snapshots()
        assert snap.generation == 1 and snap.asterisk_version == "22.10.1"
        assert snap.ami_version == "11.0.0"
        assert [p.queue for p in snap.queue_params] == ["support", "complaints"]
        assert {m.interface for m in snap.queue_members} == {"PJSIP/1001", "PJSIP/1003"}
        assert [e.caller_id_num for e in snap.queue_entries] == ["2002"]
        assert len(snap.queue_summaries) == 2 and len(snap.channels) == 1
        assert client.link_status.is_live and client.link_status.asterisk_version == "22.10.1"
        # The secret never went over the wire: MD5 challenge, narrow event mask.
        (login,) = server.actions_named("Login")
        assert login.get("AuthType") == "MD5" and login.get("Secret") is None
        assert login.get("Events") == "system,call,agent,dtmf"
        sync = [m.name for m in server.actions if m.name not in ("Challenge", "Login")]
        assert sync[:4] == ["CoreSettings", "QueueStatus", "QueueSummary", "CoreShowChannels"]
        # The snapshot comes before any later event; FullyBooted (sent at login) before it.
        assert isinstance(rec.items[0], ev.FullyBooted)
        assert isinstance(rec.items[1], SyncSnapshot)

        server.broadcast(
            [
                ("Event", "QueueMemberStatus"),
                ("Privilege", "agent,all"),
                ("Queue", "support"),
                ("MemberName", "Agent 1001"),
                ("Interface", "PJSIP/1001"),
                ("Status", "6"),
                ("Paused", "0"),
            ]
        )
        rec.wait(lambda: isinstance(rec.items[-1], ev.QueueMemberStatus))
        event = rec.items[-1]
        assert event.status == 6 and event.received_at > 0


@pytest.mark.timeout(20)
def test_plain_login(server: FakeAmiServer) -> None:
    with running(config(server.port, auth="plain")) as (_, rec):
        rec.wait(lambda: rec.live_count() == 1)
        (login,) = server.actions_named("Login")
        assert login.get("Secret") == "console-secret" and login.get("AuthType") is None
        assert not server.actions_named("Challenge")


@pytest.mark.timeout(20)
@pytest.mark.parametrize("auth", ["md5", "plain"])
def test_wrong_secret_is_reported_as_auth_failure(server: FakeAmiServer, auth: str) -> None:
    cfg = config(server.port, secret="WRONG", auth=auth)
    with running(cfg) as (client, rec):
        rec.wait(lambda: LinkState.AUTH_FAILED in [s.state for s in rec.states])
        status = client.link_status
        assert status.state == LinkState.AUTH_FAILED and status.is_stale
        assert "rejected" in status.reason and "Authentication failed" in status.reason
        assert "WRONG" not in status.reason
        assert server.logins_failed == 1
        # No retry on its own; reconnect_now() tries again (and fails again).
        client.reconnect_now()
        rec.wait(lambda: [s.state for s in rec.states].count(LinkState.AUTH_FAILED) == 2)
        assert server.logins_failed == 2
        assert not rec.snapshots()


@pytest.mark.timeout(30)
def test_pbx_restart_mid_stream_reconnects_and_resyncs(server: FakeAmiServer) -> None:
    with running(config(server.port)) as (client, rec):
        rec.wait(lambda: rec.live_count() == 1)
        server.restart(down_s=0.4)
        # Stale at once: the Shutdown event arrives, the link leaves `live`.
        rec.wait(lambda: not client.link_status.is_live)
        rec.wait(lambda: rec.live_count() == 2)
        shutdown = [i for i in rec.items if isinstance(i, ev.Shutdown)]
        assert len(shutdown) == 1 and shutdown[0].restart is True
        after = rec.states[rec.states.index(next(s for s in rec.states if s.state == "live")) + 1 :]
        seen = [s.state for s in after]
        assert seen[0] == LinkState.BACKOFF and "restarting" in after[0].reason
        assert seen[-1] == LinkState.LIVE
        snaps = rec.snapshots()
        assert [s.generation for s in snaps] == [1, 2]
        # The second snapshot came after the Shutdown event: the store replaces the floor.
        assert rec.items.index(snaps[1]) > rec.items.index(shutdown[0])
        assert server.logins_ok == 2


@pytest.mark.timeout(20)
def test_connection_refused_backs_off_exponentially() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: connections are refused
    cfg = config(port, backoff_initial_s=0.02, backoff_max_s=0.16, backoff_jitter=0.5)
    with running(cfg, rng=random.Random(42)) as (_, rec):
        rec.wait(lambda: sum(s.state == LinkState.BACKOFF for s in rec.states) >= 6)
    waits = [s for s in rec.states if s.state == LinkState.BACKOFF][:6]
    expected = Backoff(initial_s=0.02, maximum_s=0.16, jitter=0.5, rng=random.Random(42))
    assert [s.retry_in_s for s in waits] == [expected.next_delay() for _ in range(6)]
    assert [s.attempt for s in waits] == [1, 2, 3, 4, 5, 6]
    assert "cannot connect" in waits[0].reason
    assert not rec.snapshots()


@pytest.mark.timeout(20)
def test_events_during_sync_are_held_until_after_the_snapshot(server: FakeAmiServer) -> None:
    join = [
        ("Event", "QueueCallerJoin"),
        ("Privilege", "agent,all"),
        ("Channel", "PJSIP/2005-00000009"),
        ("Uniqueid", "1795337300.9"),
        ("Linkedid", "1795337300.9"),
        ("Queue", "support"),
        ("Position", "2"),
        ("Count", "2"),
    ]
    server.inject_after_response["QueueStatus"] = [join]
    with running(config(server.port)) as (_, rec):
        rec.wait(lambda: rec.live_count() == 1)
        kinds = [type(i).__name__ for i in rec.items]
        assert kinds.index("SyncSnapshot") < kinds.index("QueueCallerJoin")
        live_at = rec.states.index(next(s for s in rec.states if s.state == LinkState.LIVE))
        assert live_at > 0


@pytest.mark.timeout(20)
def test_actions_with_typed_results_and_errors(server: FakeAmiServer) -> None:
    server.errors["QueueRemove"] = "Unable to remove interface: Not there"
    with running(config(server.port)) as (client, rec):
        rec.wait(lambda: rec.live_count() == 1)
        pause = client.submit(act.QueuePause(interface="PJSIP/1001", paused=True, reason="午餐"))
        assert isinstance(pause.result(5), act.ActionResult)
        (sent,) = server.actions_named("QueuePause")
        assert sent.get("Reason") == "午餐" and sent.get("Paused") == "true"
        with pytest.raises(act.NotAMemberError, match="Not there"):
            client.submit(act.QueueRemove(queue="support", interface="PJSIP/1003")).result(5)
        spy = client.submit(act.Originate.chanspy("PJSIP/1900", "PJSIP/1001-", "qEw")).result(5)
        assert isinstance(spy, act.OriginateResult) and spy.reason_code == 4
        assert spy.channel == "PJSIP/1900-0000000b"
        status = client.submit(act.QueueStatus(queue="support")).result(5)
        assert isinstance(status, act.QueueStatusResult) and len(status.members) == 2
        with pytest.raises(act.UnknownActionError):
            client.submit(act.GenericAction(action="NoSuchAction")).result(5)
        # The OriginateResponse also went to the event stream.
        assert any(isinstance(i, ev.OriginateResponse) for i in rec.items)


@pytest.mark.timeout(20)
def test_submit_when_not_connected() -> None:
    client = AmiClient(
        config(1), on_event=lambda _: None, on_link_state=lambda _: None, rng=random.Random(1)
    )
    with pytest.raises(act.NotConnectedError):
        client.submit(act.Ping()).result(1)
    client.start()
    try:
        with pytest.raises(act.NotConnectedError):
            client.submit(act.Ping()).result(5)
    finally:
        client.stop()


@pytest.mark.timeout(20)
def test_unanswered_keepalive_drops_the_link(server: FakeAmiServer) -> None:
    cfg = config(server.port, ping_interval_s=0.1, ping_timeout_s=0.3)
    with running(cfg) as (_, rec):
        rec.wait(lambda: rec.live_count() == 1)
        rec.wait(lambda: len(server.actions_named("Ping")) >= 2)
        server.answer_pings = False
        rec.wait(lambda: any("keep-alive" in s.reason for s in rec.states))
        server.answer_pings = True
        rec.wait(lambda: rec.live_count() == 2)


@pytest.mark.timeout(20)
def test_stop_logs_off(server: FakeAmiServer) -> None:
    with running(config(server.port)) as (_, rec):
        rec.wait(lambda: rec.live_count() == 1)
    assert len(server.actions_named("Logoff")) == 1


def test_config_is_validated() -> None:
    with pytest.raises(AmiConfigError):
        config(0)
    with pytest.raises(AmiConfigError):
        AmiConfig(host=" ", username="u", secret="s")
    assert "console-secret" not in repr(config(5038))


# -- TLS ------------------------------------------------------------------------------------


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:  # pragma: no cover - cryptography is normally installed
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return cert, key
    pkey = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(pkey.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(pkey, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        pkey.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.mark.timeout(30)
def test_tls(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    with FakeAmiServer(ssl_context=server_ctx) as srv:
        with running(config(srv.port, tls=True, tls_context=trusting)) as (client, rec):
            rec.wait(lambda: rec.live_count() == 1)
            assert client.submit(act.Ping()).result(5).timestamp is not None
        # A client that does not trust the certificate never gets to log in.
        with running(config(srv.port, tls=True)) as (_, rec):
            rec.wait(lambda: any(s.state == LinkState.BACKOFF for s in rec.states))
            assert "TLS" in next(s for s in rec.states if s.state == LinkState.BACKOFF).reason
        assert srv.logins_ok == 1


@pytest.mark.timeout(20)
def test_submissions_never_hang_around_stop(server: FakeAmiServer) -> None:
    rec = Recorder()
    client = AmiClient(config(server.port), on_event=rec.on_event, on_link_state=rec.on_link_state)
    client.start()
    rec.wait(lambda: rec.live_count() == 1)
    futures = [client.submit(act.Ping()) for _ in range(20)]
    client.stop()
    futures += [client.submit(act.Ping()) for _ in range(3)]
    for fut in futures:
        # Answered before the stop, or a typed error; never left pending (TimeoutError).
        with contextlib.suppress(act.AmiError):
            fut.result(5)
    late = client.submit(act.Ping())
    assert late.done() and isinstance(late.exception(), act.NotConnectedError)
