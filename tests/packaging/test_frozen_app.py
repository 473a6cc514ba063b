"""Build the PyInstaller bundle (build.spec) and run the frozen app headless.

The build is done once per session into a temporary dist dir. Its work dir (PyInstaller's
analysis cache) is kept between runs in build/pyinstaller-test/ (or $HOTLINE_BUILD_CACHE):
when no source file changed since the last run, PyInstaller reuses its analysis and the build
takes seconds instead of a minute. Nothing from the source tree is on the frozen app's path:
it is started with a clean environment from outside the checkout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
CAPTURE = REPO / ".." / "shared" / "fixtures" / "asterisk-22" / "ami-scenario.txt"
APP = "hotline-console"
BUILD_TIMEOUT_S = 900  # ~50 s of CPU; the wall time stretches on a shared 2-core machine


@dataclass(frozen=True)
class FrozenApp:
    exe: Path
    bundle: Path  # the folder with the bundled libraries and data (_internal)
    build_log: str


def _frozen_env(home: Path) -> dict[str, str]:
    """A minimal environment: no virtualenv, no PYTHONPATH, no display — offscreen only."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER", "LOGNAME")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOTLINE_CONSOLE_HOME"] = str(home)
    return env


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FrozenApp]:
    dist = tmp_path_factory.mktemp("dist")
    work = Path(os.environ.get("HOTLINE_BUILD_CACHE", REPO / "build" / "pyinstaller-test"))
    work.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(REPO / "build.spec"),
            "--noconfirm",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"PyInstaller failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
    exe = dist / APP / (APP + (".exe" if sys.platform == "win32" else ""))
    assert exe.is_file(), f"no executable at {exe}"
    yield FrozenApp(exe=exe, bundle=dist / APP / "_internal", build_log=proc.stderr)


def _run(
    app: FrozenApp, args: list[str], tmp_path: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app.exe), *args],
        cwd=tmp_path,
        env=_frozen_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(BUILD_TIMEOUT_S + 60)
def test_version_shows_components_and_build_info(frozen_app: FrozenApp, tmp_path: Path) -> None:
    from console import APP_VERSION

    proc = _run(frozen_app, ["--version"], tmp_path, 60)
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    assert lines["Hotline Console"] == APP_VERSION
    assert lines["frozen"] == "yes"
    assert lines["pjproject"].startswith("2.15.1")
    assert lines["Qt"].startswith("6.11")
    info = json.loads((frozen_app.bundle / "build_info.json").read_text(encoding="utf-8"))
    assert info["version"] == APP_VERSION
    assert info["pjproject"] == "2.15.1"
    assert lines["build"].startswith(f"{info['commit']}, {info['build_date']}")


@pytest.mark.timeout(BUILD_TIMEOUT_S + 60)
def test_help_lists_every_subcommand(frozen_app: FrozenApp, tmp_path: Path) -> None:
    # main.py finds subcommands with importlib.util.find_spec; the frozen importer must too.
    import main

    expected = {
        name
        for name, (module, _) in main.COMMANDS.items()
        if (REPO / (module.replace(".", "/") + ".py")).is_file()
    }
    proc = _run(frozen_app, ["--help"], tmp_path, 60)
    assert proc.returncode == 0, proc.stderr
    listed = {
        line.split()[0]
        for line in proc.stdout.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    }
    assert expected <= listed, f"missing from the frozen --help: {sorted(expected - listed)}"


@pytest.mark.timeout(BUILD_TIMEOUT_S + 60)
def test_bundle_holds_resources_and_the_chosen_libraries(frozen_app: FrozenApp) -> None:
    internal = frozen_app.bundle
    for rel in ("i18n/console_zh_CN.qm", "i18n/console_en.qm", "qss/light.qss", "qss/dark.qss"):
        assert (internal / "resources" / rel).is_file(), rel
    for toml in (REPO / "resources" / "scenarios").glob("*.toml"):
        assert (internal / "resources" / "scenarios" / toml.name).is_file(), toml.name
    for wav in (REPO / "resources" / "speech").glob("*.wav"):
        assert (internal / "resources" / "speech" / wav.name).is_file(), wav.name
    assert any((internal / "PySide6" / "Qt" / "translations").glob("qtbase_zh_CN.qm"))
    # a record's time zone is found by name on Windows too, which has no zone files
    assert (internal / "tzdata" / "zoneinfo" / "Asia" / "Shanghai").is_file()
    if sys.platform.startswith("linux"):
        platforms = {
            p.name for p in (internal / "PySide6" / "Qt" / "plugins" / "platforms").iterdir()
        }
        assert platforms == {"libqxcb.so", "libqoffscreen.so"}
        assert (internal / "libportaudio.so.2").is_file()
        for system_only in ("libasound.so.2", "libstdc++.so.6", "libgcc_s.so.1"):
            assert not (internal / system_only).exists(), system_only
        assert any((internal / "pjsua2").glob("_pjsua2*.so"))


@pytest.mark.timeout(BUILD_TIMEOUT_S + 60)
def test_replay_gives_the_same_json_as_the_source_tree(
    frozen_app: FrozenApp, tmp_path: Path
) -> None:
    capture = str(CAPTURE.resolve())
    frozen = _run(frozen_app, ["replay", capture, "--json"], tmp_path, 60)
    assert frozen.returncode == 0, frozen.stderr
    source = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "replay", capture, "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert json.loads(frozen.stdout) == json.loads(source.stdout)


@pytest.mark.timeout(BUILD_TIMEOUT_S + 60)
def test_frozen_lab_starts_and_speaks_ami(frozen_app: FrozenApp, tmp_path: Path) -> None:
    # The console starts its embedded lab as `<app> lab`; with the frozen executable that is
    # the same binary again (cti/lab/process.py: lab_command uses sys.executable).
    proc = subprocess.Popen(
        [str(frozen_app.exe), "lab", "--ami-port", "0", "--sip-port", "0", "--speed", "10"],
        cwd=tmp_path,
        env=_frozen_env(tmp_path / "home"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdin is not None and proc.stdout is not None
    # If the lab hangs without a word, kill it: its stdout then ends and the test fails.
    watchdog = threading.Timer(90, proc.kill)
    watchdog.start()
    try:
        ready = ""
        for line in proc.stdout:
            if line.startswith("LAB-READY "):
                ready = line
                break
        watchdog.cancel()
        assert ready, (
            f"the frozen lab ended before LAB-READY:\n{proc.stderr.read() if proc.stderr else ''}"
        )
        info = json.loads(ready[len("LAB-READY ") :])
        assert info["sip_enabled"] is True  # pjsua2 works inside the bundle
        assert Path(info["scenario_file"]).is_relative_to(frozen_app.bundle)
        with (
            socket.create_connection(("127.0.0.1", int(info["ami_port"])), timeout=10) as sock,
            sock.makefile("rb") as reader,
        ):
            banner = reader.readline()
        assert banner.startswith(b"Asterisk Call Manager/")
    finally:
        watchdog.cancel()
        watchdog.join()
        proc.stdin.close()  # the lab stops when its stdin closes
        try:
            code = proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
            raise
        finally:
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
    assert code == 0


@pytest.mark.timeout(BUILD_TIMEOUT_S + 120)
def test_self_check_screenshot_is_not_blank(frozen_app: FrozenApp, tmp_path: Path) -> None:
    import numpy as np
    from PySide6.QtGui import QImage

    shot = tmp_path / "shot.png"
    proc = _run(frozen_app, ["--self-check", "--screenshot", str(shot)], tmp_path, 120)
    log_dir = tmp_path / "home" / "logs"
    logs = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in log_dir.glob("*.log"))
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr[-4000:]}\n{logs[-4000:]}"
    image = QImage(str(shot))
    assert not image.isNull(), "the screenshot is not a readable PNG"
    assert image.width() >= 640 and image.height() >= 400
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(rgb.constBits(), dtype=np.uint32, count=rgb.width() * rgb.height())
    colours = len(np.unique(pixels))
    assert colours >= 64, f"the screenshot looks blank: {colours} distinct colours"
