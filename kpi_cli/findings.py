"""The one result type every rule returns and every renderer consumes.

Rules never print and never decide exit codes; renderers never compute. A Finding carries the
numbers behind it (`evidence`) so that JSON, tables and later history/webhook outputs all tell the
same story.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from functools import total_ordering
from typing import Any


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


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    kpi: str | None = None
    segment: str | None = None
    owner: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    action: str | None = None
    code: str = ""

    def with_severity(self, severity: Severity, **changes: Any) -> Finding:
        return replace(self, severity=severity, **changes)


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
