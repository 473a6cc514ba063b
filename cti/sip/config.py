"""Configuration of the console's own SIP phone and of a PBX's monitoring dialect.

`SipAccountConfig` is what the supervisor types into the settings (registrar, user,
password, domain, transport). `MonitorProfile` is per PBX: how a spy call is made
(feature code or AMI Originate into ChanSpy), and the ChanSpy options per mode. The
defaults are the ones captured from Asterisk 22 (`*221`/`*222`/`*223` + extension,
`ChanSpy(PJSIP/<ext>-,qEd|qEwd|qEBd)`); the trailing `-` keeps ChanSpy's prefix match
from catching extension 1001 when 100 is meant.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Transport(enum.StrEnum):
    UDP = "udp"
    TCP = "tcp"


class MonitorMode(enum.StrEnum):
    """ChanSpy's three modes; the value is what the audit records."""

    LISTEN = "listen"
    WHISPER = "whisper"
    BARGE = "barge"


class SpyMethod(enum.StrEnum):
    FEATURE_CODE = "featurecode"
    ORIGINATE = "originate"


class DtmfMethod(enum.StrEnum):
    """How mode-switch digits are sent. RFC 4733 events work with any ChanSpy set-up but
    the stream sends no voice while a digit lasts (the new party hears the supervisor
    that much later); SIP INFO keeps the voice flowing if the PBX accepts it."""

    RFC4733 = "rfc4733"
    INFO = "info"


# ChanSpy's `d` option: DTMF 4 = spy, 5 = whisper, 6 = barge.
MODE_DTMF: dict[MonitorMode, str] = {
    MonitorMode.LISTEN: "4",
    MonitorMode.WHISPER: "5",
    MonitorMode.BARGE: "6",
}


class ConfigError(ValueError):
    """A setting the user can fix; the message says which and why."""


def split_host_port(text: str, default_port: int = 5060) -> tuple[str, int]:
    """`host`, `host:port` or `[v6]:port` → (host, port); raises ConfigError."""
    text = text.strip()
    if not text:
        raise ConfigError("registrar address is empty")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    if not host:
        raise ConfigError(f"registrar address {text!r} has no host")
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"registrar port in {text!r} is not a number between 1 and 65535")
    return host, int(port_text)


@dataclass(frozen=True)
class SipAccountConfig:
    """One SIP account of this console.

    Attributes:
        registrar: `host[:port]` of the PBX's SIP registrar.
        user: the SIP user / extension (e.g. "1900").
        password: digest password (never logged).
        domain: SIP domain for the AOR; empty = the registrar host.
        transport: udp or tcp.
        register: False = no REGISTER (direct calls / PBX with static contact).
        reregister_s: registration lifetime asked for; pjsua2 refreshes before it runs out.
        retry_s: wait before retrying after a failed registration.
        register_timeout_s: no answer from the registrar for this long is reported as
            unreachable at once (SIP's own transaction timeout is 32 s); pjsua2 keeps
            trying and a late success still turns the state to registered.
        auto_answer: answer incoming calls at once (test agents; AMI-originated spy calls
            are answered by the monitoring session regardless).
        display_name: shown to the far end.
    """

    registrar: str
    user: str
    password: str = field(repr=False, default="")
    domain: str = ""
    transport: Transport = Transport.UDP
    register: bool = True
    reregister_s: int = 300
    retry_s: int = 30
    register_timeout_s: float = 5.0
    auto_answer: bool = False
    display_name: str = ""

    def __post_init__(self) -> None:
        if not self.user or any(c in self.user for c in ' @:;<>"'):
            raise ConfigError(f"SIP user {self.user!r} is empty or contains a forbidden character")
        split_host_port(self.registrar)
        if self.reregister_s < 30:
            raise ConfigError("registration lifetime must be at least 30 s")

    @property
    def registrar_host_port(self) -> tuple[str, int]:
        return split_host_port(self.registrar)

    @property
    def sip_domain(self) -> str:
        return self.domain or self._host_for_uri()

    def _host_for_uri(self) -> str:
        host, port = self.registrar_host_port
        if ":" in host:
            host = f"[{host}]"
        return host if port == 5060 else f"{host}:{port}"

    @property
    def aor(self) -> str:
        return f"sip:{self.user}@{self.sip_domain}"

    @property
    def registrar_uri(self) -> str:
        uri = f"sip:{self._host_for_uri()}"
        return uri + (";transport=tcp" if self.transport is Transport.TCP else "")

    def uri_for(self, destination: str) -> str:
        """A SIP URI for a number dialled from this account (`*2211001`, `600`, a full URI)."""
        if destination.startswith(("sip:", "sips:")):
            return destination
        uri = f"sip:{destination}@{self.sip_domain}"
        return uri + (";transport=tcp" if self.transport is Transport.TCP else "")


@dataclass(frozen=True)
class MonitorProfile:
    """How one PBX is asked to monitor (defaults: the Asterisk 22 lab dialplan).

    Attributes:
        method: dial a feature code, or have the AMI client Originate into ChanSpy.
        feature_codes: per mode, the prefix dialled before the agent extension.
        chanspy_options: per mode, ChanSpy's option string (`d` enables DTMF switching).
        spy_target: format of ChanSpy's channel argument (`{ext}` = agent extension).
        spyer_channel: format of the Originate's Channel (`{user}` = our SIP user).
        dtmf_method: RFC 4733 telephone-events (default) or SIP INFO.
        dtmf_duration_ms: length of an RFC 4733 digit (80 ms = Asterisk's minimum).
        connect_timeout_s: how long a start may stay in CONNECTING.
        media_timeout_s: no RTP for this long during a session = the PBX is gone (phones
            and Asterisk send RTP continuously, silence included; a PBX or phone with
            silence suppression may pause it, hence not shorter).
    """

    method: SpyMethod = SpyMethod.FEATURE_CODE
    feature_codes: dict[MonitorMode, str] = field(
        default_factory=lambda: {
            MonitorMode.LISTEN: "*221",
            MonitorMode.WHISPER: "*222",
            MonitorMode.BARGE: "*223",
        }
    )
    chanspy_options: dict[MonitorMode, str] = field(
        default_factory=lambda: {
            MonitorMode.LISTEN: "qEd",
            MonitorMode.WHISPER: "qEwd",
            MonitorMode.BARGE: "qEBd",
        }
    )
    spy_target: str = "PJSIP/{ext}-"
    spyer_channel: str = "PJSIP/{user}"
    dtmf_method: DtmfMethod = DtmfMethod.RFC4733
    dtmf_duration_ms: int = 80
    connect_timeout_s: float = 10.0
    media_timeout_s: float = 15.0

    def dial_string(self, mode: MonitorMode, agent_ext: str) -> str:
        return f"{self.feature_codes[mode]}{agent_ext}"

    def chanspy_data(self, mode: MonitorMode, agent_ext: str) -> str:
        return f"{self.spy_target.format(ext=agent_ext)},{self.chanspy_options[mode]}"
