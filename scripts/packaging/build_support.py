"""Helpers for build.spec (the PyInstaller recipe), kept in plain Python so they can be tested.

Rules and trade-offs:
- Build metadata (`build_info.json` in the bundle): app version from console/__init__.py (read
  with `ast`, so the build process imports nothing of ours), the git commit (read-only git
  calls; "unknown" outside a checkout, "+dirty" when tracked files differ from the commit),
  the UTC build time, pjproject and PySide6 versions of the build environment.
- The Windows version resource is written as PyInstaller's text format (the one
  `pyi-grab_version` prints) rather than built from PyInstaller's classes: those import
  `pefile`, which exists only on Windows build hosts, and the text can be checked anywhere.
- Modules that main.py / the bench command load by name (importlib) are invisible to
  PyInstaller's import scan; every first-party module is therefore listed as a hidden import,
  derived from the source tree so a new `console/commands/<name>.py` is never forgotten.
- Qt platform plugins: only the ones we support ship (xcb + offscreen on Linux; windows +
  offscreen on Windows). Libraries needed only by the dropped plugins are dropped with them.
- PortAudio on Linux is bundled from the build host (sounddevice's Linux wheel has none);
  ALSA's libasound is NOT bundled: it must match the system's ALSA configuration and plugins
  (PulseAudio/PipeWire bridges), and every Linux desktop has it.
"""

from __future__ import annotations

import ast
import ctypes.util
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import struct
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path, PurePosixPath

FIRST_PARTY_PACKAGES = ("console", "cti", "db", "widgets")

# Third-party modules the app imports lazily (inside functions) or by name; listed so the
# bundle never depends on PyInstaller's scan happening to see them.
THIRD_PARTY_HIDDEN_IMPORTS = (
    "pjsua2.pjsua2",  # pjsua2 loads its SWIG bindings lazily (module __getattr__)
    "peewee",
    "serial",
    "serial.tools.list_ports",
    "sounddevice",
    "_sounddevice",
    "numpy",
    "pyqtgraph",
    "xlsxwriter",
    "orjson",
    "tzlocal",  # imported when a record is opened (db/zone.py)
    "tzdata",  # zone rules for zoneinfo where the system has none (Windows)
    "keyrings.alt.file",
    "platformdirs",
)

# Development tools that some first-party module may reference lazily (benchmarks compare
# with panoramisk) but a supervisor's install never needs.
DEV_ONLY_EXCLUDES = (
    "pytest",
    "_pytest",
    "hypothesis",
    "mypy",
    "panoramisk",
    "PyInstaller",
    "tkinter",
    "IPython",
)

QT_PLATFORMS = {
    "linux": ("xcb", "offscreen"),
    "win32": ("windows", "offscreen"),
    "darwin": ("cocoa", "offscreen"),
}

# Plugin folders and Qt libraries that only the dropped platform plugins use.
_DROPPED_PLUGIN_DIRS = (
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-shell-integration",
    "wayland-inputdevice-integration",
    "egldeviceintegrations",
)
_DROPPED_QT_LIBS = re.compile(
    r"^(lib)?Qt6(WaylandClient|WaylandEglClientHwIntegration|WlShellIntegration|"
    r"EglFSDeviceIntegration|EglFsKmsSupport|EglFsKmsGbmSupport)\b"
)

# Single plugins dropped by name: the GTK3 platform theme links GTK, which is not bundled,
# and it would mix the target's GTK with pango/cairo copied from the build host.
_DROPPED_PLUGINS = {"platformthemes": ("gtk3",)}

# Never bundle these even if a bundled library links them, the target's own copy must be used:
# - libasound: must match the system's ALSA configuration and plugins (Pulse/PipeWire);
# - libstdc++ / libgcc_s: the target's graphics drivers (Mesa) need the target's newer
#   libstdc++; a bundled older one makes them fail to load (pyinstaller issues #5573, #6993).
#   Building on the oldest supported distribution keeps the system copy new enough.
_SYSTEM_ONLY_LIBS = re.compile(r"^(libasound\.so|libstdc\+\+\.so|libgcc_s\.so)")


def app_version(root: Path) -> str:
    """APP_VERSION from console/__init__.py, without importing it."""
    tree = ast.parse((root / "console" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "APP_VERSION" for t in node.targets)
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    raise ValueError("console/__init__.py defines no APP_VERSION string")


def git_commit(root: Path) -> str:
    """The checkout's commit (short), with "+dirty" when tracked files were changed."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def pjproject_version() -> str:
    """pjproject's own version as the pjsua2-python wheel records it (e.g. 2.15.1)."""
    spec = importlib.util.find_spec("pjsua2")
    if spec is None or spec.origin is None:
        return "missing"
    ref = Path(spec.origin).parent / "_pjproject_ref"
    if ref.is_file():
        return ref.read_text(encoding="utf-8").strip()
    return _dist_version("pjsua2-python")


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "missing"


def build_info(root: Path, *, debug: bool, now: dt.datetime | None = None) -> dict[str, object]:
    """The build's own metadata, shown by `--version` and Help → About of the frozen app."""
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return {
        "version": app_version(root),
        "commit": git_commit(root),
        "build_date": when.isoformat().replace("+00:00", "Z"),
        "pjproject": pjproject_version(),
        "pjsua2_python": _dist_version("pjsua2-python"),
        "pyside6": _dist_version("PySide6-Essentials"),
        "pyinstaller": _dist_version("pyinstaller"),
        "python": platform.python_version(),
        "build_platform": f"{sys.platform}-{platform.machine()}",
        "debug": debug,
    }


def write_build_info(info: dict[str, object], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Version "1.2.3rc1" → (1, 2, 3, 0): Windows wants four 16-bit numbers."""
    nums = [int(m) for m in re.findall(r"\d+", version.split("+", maxsplit=1)[0])[:4]]
    nums = [min(n, 65535) for n in nums] + [0] * (4 - len(nums))
    return (nums[0], nums[1], nums[2], nums[3])


def windows_version_text(info: dict[str, object], exe_name: str) -> str:
    """A Windows VERSIONINFO resource in PyInstaller's text format (EXE(version=<file>))."""
    version = str(info["version"])
    vt = version_tuple(version)
    strings = {
        "CompanyName": "Hotline Console",
        "FileDescription": "Hotline Supervisor Console",
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": "Hotline Console authors",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": "Hotline Supervisor Console",
        "ProductVersion": f"{version} ({info['commit']}, {info['build_date']})",
    }
    rows = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "# UTF-8\n"
        "# Generated by build.spec (scripts/packaging/build_support.py); do not edit.\n"
        "VSVersionInfo(\n"
        "  ffi=FixedFileInfo(\n"
        f"    filevers={vt!r},\n"
        f"    prodvers={vt!r},\n"
        "    mask=0x3f,\n"
        "    flags=0x0,\n"
        "    OS=0x40004,\n"
        "    fileType=0x1,\n"
        "    subtype=0x0,\n"
        "    date=(0, 0)\n"
        "  ),\n"
        "  kids=[\n"
        "    StringFileInfo([\n"
        "      StringTable(\n"
        "        '040904B0',\n"
        "        [\n"
        f"{rows}\n"
        "        ])\n"
        "    ]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])])\n"
        "  ]\n"
        ")\n"
    )


def first_party_modules(root: Path, packages: tuple[str, ...] = FIRST_PARTY_PACKAGES) -> list[str]:
    """Every module of our own packages, as dotted names (hidden imports for PyInstaller)."""
    names: list[str] = []
    for pkg in packages:
        base = root / pkg
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            if "__pycache__" in rel.parts:
                continue
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def data_files(root: Path) -> list[tuple[str, str]]:
    """Every data file the app reads, as (source, destination folder) pairs.

    Raises FileNotFoundError when something the console cannot work without is missing
    (the compiled translations: run scripts/build_resources.py first).
    """
    res = root / "resources"
    out: list[tuple[str, str]] = []

    def add(pattern: str, dest: str, *, required: bool) -> None:
        found = sorted(res.glob(pattern))
        if required and not found:
            raise FileNotFoundError(
                f"no resources/{pattern} (run scripts/setup.sh or scripts/build_resources.py)"
            )
        out.extend((str(p), dest) for p in found if p.is_file())

    add("i18n/*.qm", "resources/i18n", required=True)
    add("qss/*.qss", "resources/qss", required=True)
    add("scenarios/*.toml", "resources/scenarios", required=True)
    add("speech/*.wav", "resources/speech", required=False)
    add("speech/clips.json", "resources/speech", required=False)
    add("icons/*", "resources/icons", required=False)
    # Destination folders use "/" on every OS (PyInstaller normalises them); source paths
    # are native Path strings. See the README's Windows notes.
    return out


def keep_qt_file(dest: str, platform_name: str = sys.platform) -> bool:
    """Whether a collected Qt file (binary or data, by its path in the bundle) is shipped."""
    p = PurePosixPath(dest.replace("\\", "/"))
    parts = p.parts
    if "plugins" in parts:
        i = parts.index("plugins")
        group = parts[i + 1] if len(parts) > i + 1 else ""
        if group in _DROPPED_PLUGIN_DIRS:
            return False
        stem = re.sub(r"^(lib)?q", "", parts[-1].split(".")[0])
        if group == "platforms" and len(parts) > i + 2:
            return stem in QT_PLATFORMS.get(platform_name, QT_PLATFORMS["linux"])
        if stem in _DROPPED_PLUGINS.get(group, ()):
            return False
    return not _DROPPED_QT_LIBS.match(p.name)


def keep_binary(dest: str, platform_name: str = sys.platform) -> bool:
    """Whether a collected shared library is shipped (Qt plugin policy + system-only libs)."""
    if _SYSTEM_ONLY_LIBS.match(PurePosixPath(dest.replace("\\", "/")).name):
        return False
    return keep_qt_file(dest, platform_name)


def system_portaudio() -> str | None:
    """Full path of the build host's PortAudio (libportaudio.so.2), or None."""
    name = ctypes.util.find_library("portaudio")
    if name is None:
        return None
    if os.path.isabs(name):
        return name
    for ldconfig in ("/sbin/ldconfig", "ldconfig"):
        try:
            listing = subprocess.run(
                [ldconfig, "-p"], capture_output=True, text=True, check=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        for line in listing.splitlines():
            entry, _, target = line.partition("=>")
            if entry.strip().split(" ")[0] == name and Path(target.strip()).is_file():
                return target.strip()
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"):
        candidate = Path(d) / name
        if candidate.is_file():
            return str(candidate.resolve())
    return None


def elf_needed(path: str) -> list[str]:
    """The DT_NEEDED entries (direct shared-library dependencies) of an ELF file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return []
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        (shoff,) = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
        sh_fmt, dyn_fmt = end + "IIQQQQIIQQ", end + "qQ"
    else:
        (shoff,) = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
        sh_fmt, dyn_fmt = end + "IIIIIIIIII", end + "iI"
    sections = [struct.unpack_from(sh_fmt, data, shoff + i * shentsize) for i in range(shnum)]
    out: list[str] = []
    for sec in sections:
        if sec[1] != 6:  # SHT_DYNAMIC
            continue
        offset, size, link = sec[4], sec[5], sec[6]
        strtab = sections[link][4]
        step = struct.calcsize(dyn_fmt)
        for pos in range(offset, offset + size, step):
            tag, val = struct.unpack_from(dyn_fmt, data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                stop = data.index(b"\0", strtab + val)
                out.append(data[strtab + val : stop].decode())
    return out


def _is_dependency_lib(dest: str) -> bool:
    """A shared library PyInstaller put at the bundle's top only because something needs it."""
    name = dest.replace("\\", "/")
    return "/" not in name and ".so" in name and ".cpython-" not in name and ".abi3." not in name


def select_binaries(
    entries: list[tuple[str, str, str]],
    explicit: Collection[str] = (),
    platform_name: str = sys.platform,
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Apply the plugin/system-library policy to Analysis.binaries; returns (kept, dropped).

    On Linux, top-level dependency libraries that only dropped files needed (e.g. GTK's
    pango/cairo for the dropped gtk3 platform theme) are dropped too: computed from the ELF
    DT_NEEDED entries, so a library is removed only when no shipped file links it.
    `explicit` names (basenames) are never dropped for that reason.
    """
    dropped = [e for e in entries if not keep_binary(e[0], platform_name)]
    kept = [e for e in entries if keep_binary(e[0], platform_name)]
    if not platform_name.startswith("linux") or not dropped:
        return kept, [e[0] for e in dropped]
    by_name: dict[str, str] = {}
    for dest, src, typecode in entries:
        base = PurePosixPath(dest).name
        if typecode == "SYMLINK":
            by_name.setdefault(base, PurePosixPath(src).name)
        else:
            by_name[base] = base
    sources = {PurePosixPath(d).name: s for d, s, t in entries if t != "SYMLINK"}
    needed_cache: dict[str, list[str]] = {}

    def reach(roots: list[str]) -> set[str]:
        seen: set[str] = set()
        todo = list(roots)
        while todo:
            name = by_name.get(todo.pop())
            if name is None or name in seen or name not in sources:
                continue
            seen.add(name)
            if name not in needed_cache:
                needed_cache[name] = elf_needed(sources[name])
            todo.extend(needed_cache[name])
        return seen

    dropped_reach = reach([PurePosixPath(e[0]).name for e in dropped])
    root_names = [
        PurePosixPath(e[0]).name
        for e in kept
        if not _is_dependency_lib(e[0]) or PurePosixPath(e[0]).name in explicit
    ]
    kept_reach = reach(root_names)
    orphans = {n for n in dropped_reach - kept_reach if n not in explicit}
    final = []
    removed = [e[0] for e in dropped]
    for e in kept:
        base = PurePosixPath(e[0]).name
        target = by_name.get(base, base)
        if _is_dependency_lib(e[0]) and (base in orphans or target in orphans):
            removed.append(e[0])
        else:
            final.append(e)
    return final, removed
