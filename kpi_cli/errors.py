"""One exception root: every domain error is a KpiError and becomes exit 2 in cli.py, nowhere else.

An error the user commonly meets carries its wording as data, like a finding: catalog keys and
their values (`KpiError.said`), so cli.py prints it in the language the user chose. Its `str()`
stays the English text, for logs, tests and `--debug`. A rare error is raised with a plain English
message and printed as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from kpi_cli.i18n.catalog import Lang, Wording, render


class KpiError(Exception):
    """A problem the user can fix: bad config, bad data or bad usage. One line per problem."""

    def __init__(self, message: str = "", *, worded: Sequence[Wording] = ()) -> None:
        super().__init__(message or "\n".join(render(w, Lang.EN) for w in worded))
        self.worded = tuple(worded)

    @classmethod
    def said(cls, key: str, **params: object) -> Self:
        """The error worded by the catalog entry `key` (in `en.cli.yaml`, `ja.cli.yaml`)."""
        return cls(worded=[Wording(key, params)])

    def lines(self, lang: Lang) -> list[str]:
        """Each problem on its own line, in `lang` where the error carries its wording."""
        if self.worded:
            return [render(w, lang) for w in self.worded]
        return str(self).splitlines() or [type(self).__name__]


class Refused(ValueError):
    """A config validator's refusal worded by a catalog key, so the loader can say it in `--lang`.

    pydantic keeps the raised exception in the error's `ctx`; its `str()` is the English text, the
    message pydantic (and anything else that prints it) shows.
    """

    def __init__(self, key: str, **params: object) -> None:
        self.wording = Wording(key, params)
        super().__init__(render(self.wording, Lang.EN))


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
