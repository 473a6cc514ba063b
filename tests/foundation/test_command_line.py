from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.timeout(60)
def test_version_lists_components(repo_root: Path) -> None:
    out = subprocess.run(
        [sys.executable, "main.py", "--version"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=50,
        check=True,
    ).stdout
    for name in ("Hotline Console", "Python", "PySide6", "Qt", "pjproject", "peewee"):
        assert f"{name}: " in out, out
    assert "PySide6: 6.11." in out


@pytest.mark.timeout(60)
def test_help_lists_subcommands(repo_root: Path) -> None:
    out = subprocess.run(
        [sys.executable, "main.py", "--help"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=50,
        check=True,
    ).stdout
    assert "--self-check" in out and "--screenshot" in out
