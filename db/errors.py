"""Typed errors for everything a user can do wrong with a record file.

Every error carries a message meant for a person (English; the console translates) and the
path involved. None of the code paths that raise these writes to the file first: a file that
is not a record, or is newer than this program, is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path


class RecordError(Exception):
    """Base class: a record file could not be opened, read or written."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return self.message


class RecordNotFoundError(RecordError):
    """The path does not exist (review only: writing creates a new record)."""


class NotARecordError(RecordError):
    """The file is not an SQLite database at all (or is empty)."""


class WrongSchemaError(RecordError):
    """An SQLite database, but not a hotline record (or a damaged one)."""


class NewerSchemaError(RecordError):
    """A record written by a newer version of the console; this one cannot read it safely."""

    def __init__(self, message: str, path: Path | str | None, found: int, supported: int) -> None:
        super().__init__(message, path)
        self.found = found
        self.supported = supported


class RecordLockedError(RecordError):
    """Another program holds a lock on the file (or is writing the same record)."""


class ReadOnlyRecordError(RecordError):
    """The file or its folder cannot be written (read-only medium, no permission)."""


class RecordWriteError(RecordError):
    """The writer thread failed (disk full, file removed, ...); rows can no longer be saved."""


class RecordClosedError(RecordError):
    """The record was closed; nothing more can be written to it."""
