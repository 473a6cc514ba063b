from __future__ import annotations

from pathlib import Path

import pytest

from console.secrets import SecretStore
from console.settings import (
    PBX_ASTERISK,
    PbxSettings,
    RecordSettings,
    Settings,
    SettingsStore,
    SipSettings,
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
