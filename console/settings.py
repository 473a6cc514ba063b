"""The console's persisted settings: typed dataclasses stored through QSettings (INI file in
the per-user config directory). Secrets are not here: see console/secrets.py.

Validation lives next to the data so the dialog and the loader give the same messages.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings

PBX_LAB = "lab"
PBX_ASTERISK = "asterisk"

_HOST_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


def valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOST_RE.match(host))
    return True


@dataclass(frozen=True)
class PbxSettings:
    mode: str = PBX_LAB  # "lab" starts the embedded lab PBX; "asterisk" connects to host:port
    host: str = ""
    port: int = 5038
    user: str = ""
    tls: bool = False
    tls_verify: bool = True
    spy_method: str = "featurecode"  # or "originate"
    listen_code: str = "*221"
    whisper_code: str = "*222"
    barge_code: str = "*223"
    lab_scenario: str = ""

    # The settings `identity` depends on, as the record names their changes.
    IDENTITY_SETTINGS = frozenset({"pbx.mode", "pbx.host", "pbx.port", "pbx.lab_scenario"})

    def identity(self) -> str:
        """Which floor this is ("lab:water", "ami:10.0.0.5:5038"): a session's record names it,
        and a later session restores the day's figures only from its own floor's journal."""
        if self.mode == PBX_LAB:
            return f"lab:{self.lab_scenario or 'default'}"
        return f"ami:{self.host}:{self.port}"

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.mode not in (PBX_LAB, PBX_ASTERISK):
            out.append(
                QCoreApplication.translate("Settings", "Unknown PBX type %1.").replace(
                    "%1", repr(self.mode)
                )
            )
        if self.mode == PBX_ASTERISK:
            if not self.host:
                out.append(
                    QCoreApplication.translate("Settings", "Enter the PBX host name or IP address.")
                )
            elif not valid_host(self.host):
                out.append(
                    QCoreApplication.translate(
                        "Settings", "%1 is not a valid host name or IP address."
                    ).replace("%1", repr(self.host))
                )
            if not 1 <= self.port <= 65535:
                out.append(
                    QCoreApplication.translate(
                        "Settings", "The AMI port must be between 1 and 65535."
                    )
                )
            if not self.user:
                out.append(
                    QCoreApplication.translate(
                        "Settings", "Enter the AMI user name (manager.conf section)."
                    )
                )
        if self.spy_method not in ("featurecode", "originate"):
            out.append(
                QCoreApplication.translate(
                    "Settings", "Monitoring method must be feature code or AMI Originate."
                )
            )
        for code in (self.listen_code, self.whisper_code, self.barge_code):
            if not re.fullmatch(r"[0-9*#]{1,10}", code):
                out.append(
                    QCoreApplication.translate(
                        "Settings", "Feature code %1 may contain only digits, * and #."
                    ).replace("%1", repr(code))
                )
        return out


@dataclass(frozen=True)
class SipSettings:
    registrar: str = ""
    port: int = 5060
    user: str = ""
    domain: str = ""
    transport: str = "udp"

    def problems(self, pbx_mode: str) -> list[str]:
        out: list[str] = []
        if pbx_mode == PBX_LAB:
            return out
        if self.registrar and not valid_host(self.registrar):
            out.append(
                QCoreApplication.translate(
                    "Settings", "%1 is not a valid SIP registrar host."
                ).replace("%1", repr(self.registrar))
            )
        if self.registrar and not self.user:
            out.append(
                QCoreApplication.translate(
                    "Settings", "Enter the supervisor's SIP user (extension)."
                )
            )
        if not 1 <= self.port <= 65535:
            out.append(
                QCoreApplication.translate("Settings", "The SIP port must be between 1 and 65535.")
            )
        if self.transport not in ("udp", "tcp", "tls"):
            out.append(
                QCoreApplication.translate("Settings", "SIP transport must be UDP, TCP or TLS.")
            )
        return out


@dataclass(frozen=True)
class DeviceSettings:
    """Alarm outputs: sound device, serial LED wallboard, GSM modem for SMS."""

    alarm_sound: bool = True
    wallboard_port: str = ""
    wallboard_protocol: str = "alpha"
    wallboard_baud: int = 9600
    wallboard_address: str = "00"
    modem_port: str = ""
    sms_recipients: str = ""  # comma-separated on-call numbers, texted on escalation

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.wallboard_protocol not in ("alpha", "plain"):
            out.append(
                QCoreApplication.translate(
                    "Settings", "Wallboard protocol must be Alpha or plain text."
                )
            )
        for n in (x.strip() for x in self.sms_recipients.split(",") if x.strip()):
            if not re.fullmatch(r"\+?[0-9]{3,20}", n):
                out.append(
                    QCoreApplication.translate("Settings", "%1 is not a phone number.").replace(
                        "%1", n
                    )
                )
        if self.sms_recipients.strip() and not self.modem_port:
            out.append(QCoreApplication.translate("Settings", "SMS recipients need a modem port."))
        return out


@dataclass(frozen=True)
class UiSettings:
    language: str = ""  # "" = follow the system; "zh_CN" or "en"
    theme: str = "light"
    density: str = "comfortable"


@dataclass(frozen=True)
class FloorSettings:
    """Definitions the floor figures use (shown in tooltips); see cti/state/metrics.py."""

    interval_minutes: int = 30
    sl_threshold_s: int = 20
    sl_target_percent: int = 90
    sl_formula: str = "answered_and_late_abandoned"
    short_abandon_s: int = 5
    wrapup_s: int = 25
    talk_warn_s: int = 600
    talk_alarm_s: int = 900
    wrapup_warn_s: int = 60
    wrapup_alarm_s: int = 120
    not_ready_warn_s: int = 900
    not_ready_alarm_s: int = 1800
    teams: str = ""

    def problems(self) -> list[str]:
        out: list[str] = []
        if self.interval_minutes not in (15, 30, 60):
            out.append(
                QCoreApplication.translate("Settings", "The interval must be 15, 30 or 60 minutes.")
            )
        if not 1 <= self.sl_target_percent <= 100:
            out.append(
                QCoreApplication.translate("Settings", "The service-level target must be 1-100 %.")
            )
        if self.sl_threshold_s < 0 or self.wrapup_s < 0 or self.short_abandon_s < 0:
            out.append(QCoreApplication.translate("Settings", "Times must not be negative."))
        for part in team_ranges(self.teams)[1]:
            out.append(
                QCoreApplication.translate(
                    "Settings", "Teams: %1 is not a name and extensions (Team A:1001-1020)."
                ).replace("%1", repr(part))
            )
        return out


MAX_TEAM_RANGE = 10_000  # extensions in one range: more is a typing slip (1001-10020)


def team_ranges(spec: str) -> tuple[dict[str, str], list[str]]:
    """'一组:1001-1010,1050;二组:1011-1020' → ({extension: team}, [malformed parts])."""
    teams: dict[str, str] = {}
    bad: list[str] = []
    for part in spec.split(";"):
        if not part.strip():
            continue
        team, colon, ranges = part.partition(":")
        found: list[int] = []
        for rng in ranges.split(","):
            lo, dash, hi = (x.strip() for x in rng.partition("-"))
            if not lo.isdigit() or (dash and not hi.isdigit()):
                found = []
                break
            first, last = int(lo), int(hi or lo)
            if not 0 <= last - first < MAX_TEAM_RANGE:
                found = []
                break
            found.extend(range(first, last + 1))
        if not colon or not team.strip() or not found:
            bad.append(part.strip())
            continue
        for n in found:
            teams[str(n)] = team.strip()
    return teams, bad


def parse_teams(spec: str) -> dict[str, str]:
    """{extension: team} from the well-formed parts (the settings dialog names the others)."""
    return team_ranges(spec)[0]


@dataclass(frozen=True)
class RecordSettings:
    """The console's own record (audit trail and journal)."""

    retention_days: int = 0  # rows older than this are removed (0: keep everything)

    def problems(self) -> list[str]:
        if not 0 <= self.retention_days <= 3650:
            return [
                QCoreApplication.translate(
                    "Settings", "Keep the record for 0 (everything) to 3650 days."
                )
            ]
        return []

    @property
    def keep_days(self) -> float | None:
        return float(self.retention_days) if self.retention_days > 0 else None


@dataclass(frozen=True)
class Settings:
    pbx: PbxSettings = field(default_factory=PbxSettings)
    sip: SipSettings = field(default_factory=SipSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    floor: FloorSettings = field(default_factory=FloorSettings)
    devices: DeviceSettings = field(default_factory=DeviceSettings)
    record: RecordSettings = field(default_factory=RecordSettings)

    def problems(self) -> list[str]:
        return (
            self.pbx.problems()
            + self.sip.problems(self.pbx.mode)
            + self.floor.problems()
            + self.devices.problems()
            + self.record.problems()
        )


_SECTIONS = {
    "pbx": PbxSettings,
    "sip": SipSettings,
    "ui": UiSettings,
    "floor": FloorSettings,
    "devices": DeviceSettings,
    "record": RecordSettings,
}


def _coerce(value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        return str(value).lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default
    return "" if value is None else str(value)


class SettingsStore:
    """Loads and saves Settings in an INI file; malformed values fall back to defaults."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def load(self) -> Settings:
        parts: dict[str, Any] = {}
        for section, cls in _SECTIONS.items():
            default = cls()
            values = {}
            for f in fields(cls):
                key = f"{section}/{f.name}"
                dv = getattr(default, f.name)
                values[f.name] = (
                    _coerce(self._qs.value(key, dv), dv) if self._qs.contains(key) else dv
                )
            parts[section] = cls(**values)
        return Settings(**parts)

    def save(self, settings: Settings) -> None:
        for section in _SECTIONS:
            for key, value in asdict(getattr(settings, section)).items():
                self._qs.setValue(f"{section}/{key}", value)
        self._qs.sync()

    def status(self) -> str:
        st = self._qs.status()
        if st == QSettings.Status.AccessError:
            return QCoreApplication.translate(
                "Settings", "Cannot write the settings file %1."
            ).replace("%1", str(self.path))
        if st == QSettings.Status.FormatError:
            return QCoreApplication.translate(
                "Settings", "The settings file %1 is damaged; defaults are used."
            ).replace("%1", str(self.path))
        return ""


@dataclass(frozen=True)
class SettingChange:
    """One setting changed by the supervisor, as the record keeps it ("pbx.host")."""

    key: str
    old: Any
    new: Any
    secret: bool = False  # the record stores neither value


# What the record keeps: the settings that change how the floor is run and watched. The UI
# section (language, theme, density) is each supervisor's own view, not part of the audit.
AUDITED_SECTIONS = ("pbx", "sip", "floor", "devices", "record")


def settings_diff(old: Settings, new: Settings) -> list[SettingChange]:
    """The audited settings that differ, section by section in field order."""
    out: list[SettingChange] = []
    for section in AUDITED_SECTIONS:
        before, after = getattr(old, section), getattr(new, section)
        for f in fields(before):
            a, b = getattr(before, f.name), getattr(after, f.name)
            if a != b:
                out.append(SettingChange(f"{section}.{f.name}", a, b))
    return out


def with_ui(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, ui=replace(settings.ui, **changes))
