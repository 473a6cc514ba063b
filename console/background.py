"""The one place where blocking work leaves the GUI thread.

`Background.submit(fn, on_result, on_error)` runs `fn` on a worker thread and calls the
callbacks back on the GUI thread (a queued signal). Database batches go through the record's
own writer thread; serial I/O, lab start-up, exports and other one-off blocking calls go
through here. Tests pass `synchronous=True` to run everything inline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class Background(QObject):
    _finished = Signal(object, object, object)

    def __init__(
        self, workers: int = 2, synchronous: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._sync = synchronous
        self._pool = (
            None if synchronous else ThreadPoolExecutor(workers, thread_name_prefix="console-bg")
        )
        self._finished.connect(self._on_finished)

    def submit(
        self,
        fn: Callable[[], Any],
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Future[Any]:
        if self._pool is None:
            fut: Future[Any] = Future()
            try:
                fut.set_result(fn())
            except Exception as exc:
                fut.set_exception(exc)
            self._on_finished(on_result, on_error, fut)
            return fut
        fut = self._pool.submit(fn)
        fut.add_done_callback(lambda f: self._finished.emit(on_result, on_error, f))
        return fut

    def _on_finished(self, on_result: Any, on_error: Any, fut: Future[Any]) -> None:
        if fut.cancelled():
            return
        exc = fut.exception()
        try:
            if exc is not None:
                if on_error is not None:
                    on_error(exc)
                else:
                    log.error("background task failed: %s", exc, exc_info=exc)
            elif on_result is not None:
                on_result(fut.result())
        except Exception:
            log.exception("background callback failed")

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
