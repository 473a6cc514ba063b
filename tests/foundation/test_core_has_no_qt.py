"""cti/ and db/ must never import Qt: import every module there with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BLOCKER = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError(f'Qt is not allowed here: {name}')
        return None
sys.meta_path.insert(0, Block())
failed = []
count = 0
for pkg in ('cti', 'db'):
    mod = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):
        count += 1
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            if 'Qt is not allowed' in str(exc):
                failed.append(f'{info.name}: {exc}')
loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]
print(count)
if failed or loaded:
    print('\n'.join(failed + loaded))
    sys.exit(1)
"""


@pytest.mark.timeout(120)
def test_cti_and_db_import_without_qt(repo_root: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", BLOCKER],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert int(proc.stdout.split()[0]) > 0, "no modules were imported: the check proves nothing"
