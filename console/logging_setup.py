"""Logging to a rotating file and to stderr, with levels.

Secrets never reach a log: the settings and AMI layers log user names and hosts only, and the
filter below masks `Secret:`/`password=` values in case a raw protocol frame is ever logged.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRET_RE = re.compile(r"(?i)(secret|password|key)(\s*[:=]\s*)(\S+)")


class _MaskSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and _SECRET_RE.search(record.msg):
            record.msg = _SECRET_RE.sub(r"\1\2***", record.msg)
        return True


def setup_logging(log_dir: Path | None, level: str = "INFO", to_stderr: bool = True) -> Path | None:
    """Configure the root logger; returns the log file path (None when logging to stderr only)."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    root.setLevel(level.upper())
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    mask = _MaskSecrets()
    log_file: Path | None = None
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        log_file = log_dir / "console.log"
        fh = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        fh.setFormatter(fmt)
        fh.addFilter(mask)
        root.addHandler(fh)
    if to_stderr:
        sh = logging.StreamHandler()
        sh.setFormatter(fmt)
        sh.addFilter(mask)
        sh.setLevel(logging.WARNING if log_file else level.upper())
        root.addHandler(sh)
    return log_file
