"""One exception root: every domain error is a KpiError and becomes exit 2 in cli.py, nowhere else."""

from __future__ import annotations


class KpiError(Exception):
    """A problem the user can fix: bad config, bad data or bad usage. The message is one line."""


class ConfigError(KpiError):
    """The YAML config is broken, has unknown keys or values of the wrong type."""


class DataError(KpiError):
    """A source file is missing, unreadable, or lacks what the config needs."""


class UsageError(KpiError):
    """Command-line arguments that cannot be acted on."""


def location(path: object, line: int | None = None, column: int | None = None) -> str:
    """`file:line` (and `:col`) the way editors and CI annotations read it."""
    where = str(path)
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where
