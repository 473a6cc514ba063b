"""Test harness shared by every area.

Rules enforced here (see README "Tests"): Qt runs offscreen; Qt's own warnings fail the test
that caused them; a test that leaves a QTimer running or a QThread alive fails; Python warnings
are errors (pyproject `filterwarnings`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must happen before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = (REPO / ".." / "shared" / "fixtures" / "asterisk-22").resolve()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The real Asterisk 22 captures (shared/fixtures/asterisk-22 beside the checkout)."""
    if not FIXTURES.is_dir():
        pytest.fail(f"shared fixtures not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def _no_leaked_qt_objects(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves an active QTimer or a running QThread behind."""
    yield
    if "PySide6.QtCore" not in __import__("sys").modules:
        return
    from PySide6.QtCore import QCoreApplication, QThread, QTimer

    app = QCoreApplication.instance()
    if app is None:
        return
    leaked: list[str] = []
    for obj in app.findChildren(QTimer):
        if obj.isActive():
            leaked.append(f"active QTimer {obj.objectName() or obj!r}")
    for obj in app.findChildren(QThread):
        if obj.isRunning():
            leaked.append(f"running QThread {obj.objectName() or obj!r}")
    if leaked:
        pytest.fail("test leaked Qt objects: " + ", ".join(leaked))
