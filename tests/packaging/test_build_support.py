"""The helpers build.spec relies on (scripts/packaging/build_support.py), without building."""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_build_support() -> ModuleType:
    path = REPO / "scripts" / "packaging" / "build_support.py"
    spec = importlib.util.spec_from_file_location("build_support", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bs = _load_build_support()


def test_app_version_is_read_from_console_package() -> None:
    from console import APP_VERSION

    assert bs.app_version(REPO) == APP_VERSION


@pytest.mark.timeout(30)
def test_build_info_has_the_documented_keys(tmp_path: Path) -> None:
    info = bs.build_info(REPO, debug=True)
    for key in ("version", "commit", "build_date", "pjproject", "python", "debug"):
        assert key in info
    assert info["debug"] is True
    assert info["pjproject"] == "2.15.1"
    assert str(info["build_date"]).endswith("Z")
    written = bs.write_build_info(info, tmp_path / "x" / "build_info.json")
    assert json.loads(written.read_text(encoding="utf-8")) == info


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1+g1", (2, 0, 1, 0))],
)
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert bs.version_tuple(version) == expected


def _eval_version_text(text: str) -> Any:
    """Evaluate the resource text the way PyInstaller does, with recording stand-ins."""

    def record(kind: str) -> Any:
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable"]
    names += ["StringStruct", "VarFileInfo", "VarStruct"]
    env = {n: record(n) for n in names}
    return eval(compile(ast.parse(text, mode="eval"), "<version>", "eval"), env)


def test_windows_version_resource_text_is_well_formed() -> None:
    info = {"version": "1.4.2", "commit": "abc123", "build_date": "2026-01-02T03:04:05Z"}
    text = bs.windows_version_text(info, "hotline-console")
    kind, _, kwargs = _eval_version_text(text)
    assert kind == "VSVersionInfo"
    _, _, ffi = kwargs["ffi"]
    assert ffi["filevers"] == (1, 4, 2, 0) == ffi["prodvers"]
    string_table = kwargs["kids"][0][1][0][0]
    strings = dict(s[1] for s in string_table[1][1])
    assert strings["FileVersion"] == "1.4.2"
    assert strings["OriginalFilename"] == "hotline-console.exe"
    assert "abc123" in strings["ProductVersion"]


def test_every_subcommand_module_is_a_hidden_import() -> None:
    import main

    modules = set(bs.first_party_modules(REPO))
    for module, _ in main.COMMANDS.values():
        if (REPO / (module.replace(".", "/") + ".py")).is_file():
            assert module in modules
    assert "cti.lab.main" in modules
    assert "console" in modules and "console.commands" in modules
    assert not any("__pycache__" in m for m in modules)


def test_data_files_lists_resources_and_requires_translations(tmp_path: Path) -> None:
    pairs = bs.data_files(REPO)
    dests = {(Path(src).name, dest) for src, dest in pairs}
    assert ("console_zh_CN.qm", "resources/i18n") in dests
    assert ("default.toml", "resources/scenarios") in dests
    assert ("light.qss", "resources/qss") in dests
    assert all("\\" not in dest for _, dest in pairs)
    (tmp_path / "resources" / "qss").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="i18n"):
        bs.data_files(tmp_path)


@pytest.mark.parametrize(
    ("dest", "platform", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "linux", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", "linux", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "linux", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "linux", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", "linux", True),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", "linux", False),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", "linux", True),
        (
            "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
            "linux",
            True,
        ),
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", "linux", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "linux", True),
        ("libasound.so.2", "linux", False),
        ("libstdc++.so.6", "linux", False),
        ("libportaudio.so.2", "linux", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "win32", True),
        ("PySide6\\plugins\\platforms\\qoffscreen.dll", "win32", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", "win32", False),
    ],
)
def test_binary_policy(dest: str, platform: str, kept: bool) -> None:
    assert bs.keep_binary(dest, platform) is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF only")
def test_elf_needed_reads_direct_dependencies() -> None:
    import pjsua2

    ext = next((Path(pjsua2.__file__).parent).glob("_pjsua2*.so"))
    needed = bs.elf_needed(str(ext))
    assert "libc.so.6" in needed
    assert any(n.startswith("libssl") for n in needed)
    assert bs.elf_needed(__file__) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF only")
def test_select_binaries_drops_libraries_only_dropped_plugins_link(tmp_path: Path) -> None:
    # Real ELF files standing in for a bundle: libqgtk3.so (dropped) links "libfoo";
    # libqxcb.so (kept) links "libbar". Only libfoo goes with the dropped plugin.
    import pjsua2

    real = next((Path(pjsua2.__file__).parent).glob("_pjsua2*.so"))
    needed = bs.elf_needed(str(real))
    ssl = next(n for n in needed if n.startswith("libssl"))
    crypto = next(n for n in needed if n.startswith("libcrypto"))
    entries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", str(real), "BINARY"),
        (ssl, str(tmp_path / "ssl"), "BINARY"),
        (crypto, str(tmp_path / "crypto"), "BINARY"),
        ("libunrelated.so.1", str(tmp_path / "unrelated"), "BINARY"),
        ("libportaudio.so.2", str(tmp_path / "pa"), "BINARY"),
    ]
    for _, src, _ in entries[1:]:
        Path(src).write_bytes(b"not an ELF file")
    kept, removed = bs.select_binaries(entries, explicit={crypto}, platform_name="linux")
    kept_names = [e[0] for e in kept]
    assert "PySide6/Qt/plugins/platformthemes/libqgtk3.so" in removed
    assert ssl in removed  # only the dropped plugin linked it
    assert crypto in kept_names  # explicitly wanted
    assert "libunrelated.so.1" in kept_names  # not reached from the dropped plugin
    assert "libportaudio.so.2" in kept_names
