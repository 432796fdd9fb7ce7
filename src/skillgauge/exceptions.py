"""The error tree. Every error skillgauge raises on purpose is a ``SkillgaugeError``; each leaf also
inherits the builtin it resembles, so callers that catch ``ValueError`` or ``FileNotFoundError`` keep
working::

    SkillgaugeError
    ├── InputError (ValueError)              bad input a user can fix
    │   ├── SourceNotFound (FileNotFoundError)   a path that does not exist
    │   ├── UnknownFormat                    a file whose format cannot be told or is not supported
    │   ├── MappingError                     a --map override naming an unknown field or column
    │   └── DataFileError                    a taxonomy or roles file that fails validation
    ├── SourceError (RuntimeError)           a live source failed; the message names it and what to do
    │   ├── TransientSourceError             worth retrying later (timeouts, resets, 429, 5xx)
    │   └── TerminalSourceError              retrying will not help (404 board, 401 key, bad response)
    ├── StoreError (RuntimeError)            the database cannot be opened or is of a newer schema
    ├── UnknownRole (KeyError)               a role id that is not in the roles file
    └── MissingDependency (ImportError)      an optional extra is not installed; says the pip line

The CLI maps every ``SkillgaugeError`` to one clear line on stderr and a non-zero exit, never a
traceback. ``tests/test_exceptions.py`` checks that this drawing matches the classes.
"""

from __future__ import annotations


class SkillgaugeError(Exception):
    """Base of every error skillgauge raises on purpose."""


class InputError(SkillgaugeError, ValueError):
    """Bad input a user can fix."""


class SourceNotFound(InputError, FileNotFoundError):
    """A path that does not exist."""


class UnknownFormat(InputError):
    """A file whose format cannot be told from its name or content, or is not supported."""


class MappingError(InputError):
    """A ``--map field=column`` override naming an unknown field or malformed."""


class DataFileError(InputError):
    """A taxonomy or roles file that fails validation."""


class SourceError(SkillgaugeError, RuntimeError):
    """A live source failed. The message names the source and what the user can do."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class TransientSourceError(SourceError):
    """Worth retrying later: a timeout, a reset connection, 429 or a 5xx after the retries."""


class TerminalSourceError(SourceError):
    """Retrying will not help: an unknown board (404), a rejected key (401/403), a malformed body."""


class StoreError(SkillgaugeError, RuntimeError):
    """The database cannot be opened, or its schema is newer than this skillgauge."""


class UnknownRole(SkillgaugeError, KeyError):
    """A role id that is not in the roles file."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else "unknown role"


class MissingDependency(SkillgaugeError, ImportError):
    """An optional extra is not installed. The message carries the exact ``pip install`` line."""

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the optional extra '{extra}': pip install 'skillgauge[{extra}]'"
        )
        self.extra = extra
