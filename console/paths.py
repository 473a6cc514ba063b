"""Where the console keeps its files (platformdirs: per-user, per-OS conventional places).

Tests and portable installs point everything elsewhere with HOTLINE_CONSOLE_HOME.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from console import APP_NAME, APP_ORG


@dataclass(frozen=True)
class AppPaths:
    data: Path
    logs: Path
    config: Path

    @property
    def record(self) -> Path:
        return self.data / "record.sqlite3"

    @property
    def outbox(self) -> Path:
        return self.data / "sms-outbox.sqlite3"

    def ensure(self) -> AppPaths:
        for p in (self.data, self.logs, self.config):
            p.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> AppPaths:
    home = os.environ.get("HOTLINE_CONSOLE_HOME")
    if home:
        root = Path(home)
        return AppPaths(data=root / "data", logs=root / "logs", config=root / "config")
    dirs = platformdirs.PlatformDirs(APP_NAME, APP_ORG)
    return AppPaths(
        data=Path(dirs.user_data_dir),
        logs=Path(dirs.user_log_dir),
        config=Path(dirs.user_config_dir),
    )
