"""Build generated resources: Qt translations (.ts -> .qm) and the lab's speech clips.

Run by scripts/setup.sh; safe to run again (only rebuilds what is out of date).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"


def _lrelease() -> list[str] | None:
    exe = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    return [exe] if exe else None


def build_translations() -> None:
    tool = _lrelease()
    if tool is None:
        print("build_resources: pyside6-lrelease not found", file=sys.stderr)
        sys.exit(1)
    for ts in sorted(I18N.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        subprocess.run([*tool, "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> None:
    build_translations()
    clips = ROOT / "scripts" / "make_speech_clips.py"
    if clips.exists():
        subprocess.run([sys.executable, str(clips)], check=True)


if __name__ == "__main__":
    main()
