from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest

from console.secrets import SecretStore
from console.settings import (
    PBX_ASTERISK,
    FloorSettings,
    PbxSettings,
    RecordSettings,
    Settings,
    SettingsStore,
    SipSettings,
    team_ranges,
)


def test_defaults_use_the_lab_and_are_valid() -> None:
    s = Settings()
    assert s.pbx.mode == "lab"
    assert s.problems() == []


@pytest.mark.parametrize(
    ("pbx", "fragment"),
    [
        (PbxSettings(mode=PBX_ASTERISK, host="", user="console"), "host"),
        (PbxSettings(mode=PBX_ASTERISK, host="bad host!", user="console"), "not a valid host"),
        (PbxSettings(mode=PBX_ASTERISK, host="10.0.0.1", port=0, user="console"), "port"),
        (PbxSettings(mode=PBX_ASTERISK, host="pbx.example", user=""), "AMI user"),
        (PbxSettings(listen_code="*22a"), "Feature code"),
    ],
)
def test_bad_pbx_settings_are_explained(pbx: PbxSettings, fragment: str) -> None:
    problems = Settings(pbx=pbx).problems()
    assert any(fragment in p for p in problems), problems


def test_record_retention_is_bounded_and_zero_keeps_everything() -> None:
    assert RecordSettings().keep_days is None
    assert RecordSettings(retention_days=30).keep_days == 30.0
    for days in (-1, 3651):
        problems = Settings(record=RecordSettings(retention_days=days)).problems()
        assert any("3650 days" in p for p in problems), problems


def test_sip_settings_checked_only_for_a_real_pbx() -> None:
    bad = SipSettings(registrar="no such host!", user="")
    assert bad.problems("lab") == []
    assert bad.problems("asterisk")


def test_settings_round_trip_and_secrets_stay_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_CONSOLE_HOME", str(tmp_path))
    store = SettingsStore(tmp_path / "settings.ini")
    s = Settings(
        pbx=PbxSettings(mode=PBX_ASTERISK, host="192.0.2.7", port=5039, user="console", tls=True),
        record=RecordSettings(retention_days=180),
    )
    store.save(s)
    secrets = SecretStore(tmp_path)
    secrets.set("ami-secret", "console-secret")
    assert SettingsStore(tmp_path / "settings.ini").load() == s
    assert "console-secret" not in (tmp_path / "settings.ini").read_text()
    assert SecretStore(tmp_path).get("ami-secret") == "console-secret"
    assert not secrets.info.secure and "not encrypted" in secrets.info.note
    assert (tmp_path / "secrets.cfg").stat().st_mode & 0o077 == 0


def test_malformed_values_fall_back_to_defaults(tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ini.write_text("[pbx]\nport=notanumber\ntls=maybe\n", encoding="utf-8")
    s = SettingsStore(ini).load()
    assert s.pbx.port == 5038
    assert s.pbx.tls is False


class _ServiceKeyring(keyring.backend.KeyringBackend):
    """Stands for a real keyring service (Secret Service, Windows Credential Manager)."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


_ServiceKeyring.__module__ = "keyring.backends.SecretService"


def test_keyrings_alt_files_are_not_called_a_system_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a Linux session without Secret Service, keyring picks keyrings.alt's plain-text file
    by itself: the console must not tell the supervisor that is a system keyring."""
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.delenv("HOTLINE_CONSOLE_HOME", raising=False)
    # what keyring chose by itself: a secret an earlier version saved there is moved over
    earlier = PlaintextKeyring()
    earlier.file_path = str(tmp_path / "keyring_pass.cfg")  # type: ignore[misc]
    earlier.set_password("hotline-console", "sip-password", "s1p")
    monkeypatch.setattr(keyring, "get_keyring", lambda: earlier)
    secrets = SecretStore(tmp_path)
    assert secrets.get("sip-password") == "s1p"
    assert earlier.get_password("hotline-console", "sip-password") is None
    assert not secrets.info.secure and secrets.info.file == tmp_path / "secrets.cfg"
    secrets.set("ami-secret", "console-secret")
    assert "ami_2dsecret" in (tmp_path / "secrets.cfg").read_text()  # ours, not keyring's
    assert SecretStore(tmp_path).get("ami-secret") == "console-secret"
    assert SecretStore(tmp_path).get("sip-password") == "s1p"
    assert (tmp_path / "secrets.cfg").stat().st_mode & 0o077 == 0

    service = _ServiceKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: service)
    secrets = SecretStore(tmp_path / "unused")
    assert secrets.info.secure and secrets.info.file is None
    secrets.set("ami-secret", "other-secret")
    assert service.saved == {("hotline-console", "ami-secret"): "other-secret"}
    assert not (tmp_path / "unused").exists()


def test_the_settings_dialog_says_where_secrets_are_in_the_ui_language(
    qtbot: Any, qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.i18n import Translations
    from console.settings_dialog import SettingsDialog

    monkeypatch.setenv("HOTLINE_CONSOLE_HOME", str(tmp_path))
    translations = Translations(qapp)
    assert translations.apply("zh_CN") == "zh_CN"
    try:
        dialog = SettingsDialog(Settings(), SecretStore(tmp_path))
        qtbot.addWidget(dialog)
        note = dialog.secret_note.text()
        assert "未加密" in note and str(tmp_path / "secrets.cfg") in note, note
    finally:
        translations.apply("en")


def test_teams_are_read_from_extension_ranges() -> None:
    teams, bad = team_ranges("一组:1001-1003, 1010;Team B : 2001 - 2002;")
    assert teams == {
        "1001": "一组",
        "1002": "一组",
        "1003": "一组",
        "1010": "一组",
        "2001": "Team B",
        "2002": "Team B",
    }
    assert bad == []
    assert FloorSettings(teams="一组:1001-1003").problems() == []


@pytest.mark.parametrize(
    "part",
    [
        "1001-1020",  # no name
        ":1001-1020",
        "一组:",  # no extensions
        "一组:1001-",
        "一组:1020-1001",  # backwards
        "一组:1001-99999",  # a slip: 98,999 extensions
        "一组:abc",
    ],
)
def test_a_malformed_team_is_named_and_the_others_still_count(part: str) -> None:
    spec = f"二组:2001-2002;{part}"
    teams, bad = team_ranges(spec)
    assert teams == {"2001": "二组", "2002": "二组"} and bad == [part]
    (problem,) = FloorSettings(teams=spec).problems()
    assert repr(part) in problem and "Team A:1001-1020" in problem
