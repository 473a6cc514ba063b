"""Secrets (AMI secret, SIP password) live in the OS keyring, never in QSettings or logs.

Where no keyring service exists (a Linux session without Secret Service), we fall back to
keyrings.alt's plain-text file backend in a 0600 file of our own, and say so in the UI: it only
protects by file permission, it is not encryption. keyring itself would then pick that same
backend on its own (keyrings.alt registers it, priority 0.5), in a file of default permissions,
and we would call it a system keyring: so keyrings.alt's backends never count as one.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)
SERVICE = "hotline-console"


@dataclass(frozen=True)
class SecretStoreInfo:
    backend: str
    secure: bool
    note: str  # for the log; the settings dialog says the same in the UI language
    file: Path | None = None  # the fallback file, when not secure


class SecretStore:
    """Attributes:
    info: which backend is in use and whether it is an announced fallback.
    """

    def __init__(self, fallback_dir: Path) -> None:
        # keyring's own choice when it is not a system keyring: secrets saved there before
        # this console kept its own file are read from it once and moved over (see `get`).
        self._earlier: keyring.backend.KeyringBackend | None = None
        self._backend = self._choose(fallback_dir)

    def _choose(self, fallback_dir: Path) -> keyring.backend.KeyringBackend:
        backend = keyring.get_keyring()
        if os.environ.get("HOTLINE_CONSOLE_HOME") or not _is_system_keyring(backend):
            from keyrings.alt.file import PlaintextKeyring

            fallback_dir.mkdir(parents=True, exist_ok=True)
            fb = PlaintextKeyring()
            fb.file_path = str(fallback_dir / "secrets.cfg")  # type: ignore[misc]
            path = Path(fb.file_path)
            if not path.exists():
                path.touch(mode=0o600)
            os.chmod(path, 0o600)
            self.info = SecretStoreInfo(
                backend="file",
                secure=False,
                note=f"No system keyring found; secrets are kept in {path} "
                "(readable only by you, not encrypted).",
                file=path,
            )
            log.warning("secrets: no system keyring, using the file fallback %s", path)
            if type(backend).__module__.startswith("keyrings.alt"):
                self._earlier = backend
            return fb
        self.info = SecretStoreInfo(
            backend=type(backend).__name__, secure=True, note="Secrets are in the system keyring."
        )
        return backend

    def get(self, key: str) -> str:
        try:
            value = self._backend.get_password(SERVICE, key) or ""
            if not value and self._earlier is not None:
                value = self._earlier.get_password(SERVICE, key) or ""
                if value:
                    self._backend.set_password(SERVICE, key, value)
                    with contextlib.suppress(keyring.errors.PasswordDeleteError):
                        self._earlier.delete_password(SERVICE, key)
                    log.info("secrets: moved %s into %s", key, self.info.file)
            return value
        except (keyring.errors.KeyringError, OSError) as exc:
            log.error("secrets: cannot read %s: %s", key, exc)
            return ""

    def set(self, key: str, value: str) -> None:
        if not value:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._backend.delete_password(SERVICE, key)
            return
        self._backend.set_password(SERVICE, key, value)


def _is_system_keyring(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether keyring's choice is a real keyring service (Windows Credential Manager, macOS
    Keychain, Secret Service, KWallet), not a fail/null backend or keyrings.alt's files."""
    chained = getattr(backend, "backends", None)  # keyring's ChainerBackend: the first one writes
    if chained:
        backend = chained[0]
    module = type(backend).__module__
    name = (module + "." + type(backend).__name__).lower()
    if module.startswith("keyrings.alt") or "fail" in name or "null" in name:
        return False
    return bool(backend.priority > 0)
