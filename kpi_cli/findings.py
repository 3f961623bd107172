"""The one result type every rule returns and every renderer consumes.

Rules never print and never decide exit codes; renderers never compute. A Finding carries its
code and the typed values its wording needs, never the words: those are in the catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import total_ordering
from typing import Any

from kpi_cli.i18n import Lang, Wording, render


@total_ordering
class Severity(Enum):
    INFO = "info"
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        return ("info", "warn", "fail").index(self.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


class FindingState(StrEnum):
    """A finding against the previous run of the same config (kpi_cli.runs.memory)."""

    NEW = "new"
    ONGOING = "ongoing"
    PENDING = "pending"  # seen, but not yet on `for_runs` consecutive runs: held back


@dataclass(frozen=True)
class Finding:
    """What a rule found, as data: a code, the wording's catalog key and typed params, no prose.

    `says` is rendered per language at output time (`kpi_cli.i18n.render`); `todo` is the action
    that would close the gap, where one exists; `snooze` notes an active snooze. `evidence` keeps
    the raw numbers of the JSON contract.
    """

    rule: str
    severity: Severity
    says: Wording
    kpi: str | None = None
    segment: str | None = None
    owner: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    todo: Wording | None = None
    code: str = ""
    snooze: Wording | None = None
    state: FindingState | None = None  # set by `kpi check` from the run history (kpi_cli.runs)
    # The message per language, rendered once: a `--by` run's history and its report both read
    # each of thousands of findings. Not an init field, so `replace` starts a copy without it.
    _described: dict[Lang, str] = field(default_factory=dict, init=False, compare=False, repr=False)

    def with_severity(self, severity: Severity, **changes: Any) -> Finding:
        return replace(self, severity=severity, **changes)

    @property
    def params(self) -> dict[str, Any]:
        """Every value the message, the action and the snooze note are rendered from."""
        parts = (self.says, self.todo, self.snooze)
        return {k: v for part in parts if part is not None for k, v in part.params.items()}

    def describe(self, lang: Lang = Lang.EN) -> str:
        described = self._described.get(lang)
        if described is None:
            text = render(self.says, lang)
            described = text + render(self.snooze, lang) if self.snooze is not None else text
            self._described[lang] = described
        return described

    def action_in(self, lang: Lang = Lang.EN) -> str | None:
        return render(self.todo, lang) if self.todo is not None else None

    @property
    def message(self) -> str:
        """The English wording (logs, tests); outputs call `describe` with the reader's language."""
        return self.describe(Lang.EN)

    @property
    def action(self) -> str | None:
        return self.action_in(Lang.EN)


def worst_first(findings: list[Finding]) -> list[Finding]:
    """Most severe first; ties keep the rules' own order so output is stable."""
    return sorted(findings, key=lambda f: -f.severity.rank)


class Verdict(StrEnum):
    """The run's overall status in the JSON contract: the worst severity, info counting as pass."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


def overall_status(findings: list[Finding]) -> Verdict:
    worst = max((f.severity for f in findings), default=Severity.INFO)
    return {Severity.INFO: Verdict.PASS, Severity.WARN: Verdict.WARN, Severity.FAIL: Verdict.FAIL}[worst]
