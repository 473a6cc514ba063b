"""`--self-check [--screenshot FILE]`: open the main window offscreen (or on the display),
wait until it is painted (and, when a floor exists, until it is live), optionally save a PNG,
then shut down in order and exit 0. The frozen build's smoke test relies on it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from console.app import Console

log = logging.getLogger(__name__)


def run_self_check(console: Console, screenshot: str | None, timeout_s: float = 60.0) -> int:
    ready = getattr(console, "floor_ready", None)
    loop = QEventLoop()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll = QTimer()
    poll.setInterval(100)

    def check() -> None:
        if ready is None or ready():
            loop.quit()

    poll.timeout.connect(check)
    deadline.start(int(timeout_s * 1000))
    poll.start()
    check()
    if ready is not None and not ready():
        loop.exec()
    poll.stop()
    timed_out = not deadline.isActive()
    deadline.stop()
    # Let delayed layouts (the wall re-flows after resizes) and repaints land before grabbing.
    settle = QEventLoop()
    QTimer.singleShot(600, settle.quit)
    settle.exec()
    code = 0
    from console.layout_check import clipped_texts

    for problem in clipped_texts(console.window):
        print(f"self-check: clipped text: {problem}")
    if timed_out:
        print("self-check: the floor did not become live in time", file=sys.stderr)
        code = 1
    if screenshot:
        pix = console.window.grab()
        path = Path(screenshot)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not pix.save(str(path), "PNG"):
            print(f"self-check: cannot write {path}", file=sys.stderr)
            code = 1
        else:
            print(f"self-check: screenshot {path} ({pix.width()}x{pix.height()})")
    console.window.close()
    console.shutdown()
    print("self-check: ok" if code == 0 else "self-check: FAILED")
    return code
