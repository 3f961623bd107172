"""New, ongoing, pending, resolved: a run's findings against the previous run of the same config.

A finding is identified across runs by its key: rule, KPI, dimension and value (segment, or the
`--by` channel or campaign), code, and the subject a rule without a KPI is about (a source, a
funnel stage, a snoozed rule). Severity is not part of it: a warn that becomes a fail is the same
problem, still going on.

As alerting systems do (Prometheus' `for:`, Alertmanager's `repeat_interval`), a finding whose
rule says `for_runs: N` is held as *pending* until it was seen on N consecutive runs; a pending
finding is not reported and does not gate. A reported finding is *new* the first run it is
reported and *ongoing* after; one reported last run and not seen now is *resolved*.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kpi_cli.findings import Finding, FindingState, Severity
from kpi_cli.rules.spec import AlertSettings

# Evidence fields naming what a finding without a KPI is about, in the order they are looked for.
_SUBJECT_FIELDS = ("source", "stage", "rule")


State = FindingState
REPORTED = frozenset({State.NEW, State.ONGOING})


def finding_keys(findings: Sequence[Finding], by: str | None) -> list[str]:
    """One key per finding; a key repeated within a run gets `#2`, `#3` in the rules' stable order."""
    seen: dict[str, int] = {}
    keys = []
    for finding in findings:
        base = _base_key(finding, by)
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def _base_key(finding: Finding, by: str | None) -> str:
    dimension = (by or "segment") if finding.segment is not None else ""
    subject = next((str(finding.evidence[f]) for f in _SUBJECT_FIELDS if finding.evidence.get(f)), "")
    parts = [finding.rule, finding.kpi or "", dimension, finding.segment or "", str(finding.code), subject]
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Seen:
    """One finding as the previous run stored it."""

    key: str
    rule: str
    kpi: str | None
    segment: str | None
    code: str
    severity: Severity
    state: State
    streak: int  # consecutive runs it was seen on, this one included
    last_notified: date | None  # the as-of of its last delivered notification in this episode
    messages: Mapping[str, str]  # language -> its wording when last seen


@dataclass(frozen=True)
class Judged:
    """One finding of this run with its key and state."""

    finding: Finding
    key: str
    state: State
    streak: int
    last_notified: date | None


@dataclass(frozen=True)
class Assessment:
    judged: list[Judged]
    resolved: list[Seen]  # reported last run, gone now

    @property
    def reported(self) -> list[Judged]:
        return [j for j in self.judged if j.state in REPORTED]

    @property
    def pending(self) -> list[Judged]:
        return [j for j in self.judged if j.state is State.PENDING]


def assess(
    findings: Sequence[Finding],
    keys: Sequence[str],
    previous: Mapping[str, Seen],
    alert: Callable[[Finding], AlertSettings],
) -> Assessment:
    """States against the previous run's findings (empty when there is none)."""
    judged = []
    for finding, key in zip(findings, keys, strict=True):
        before = previous.get(key)
        streak = before.streak + 1 if before else 1
        if streak < alert(finding).for_runs:
            state = State.PENDING
        elif before is not None and before.state in REPORTED:
            state = State.ONGOING
        else:
            state = State.NEW
        carried = before.last_notified if before is not None and state is State.ONGOING else None
        judged.append(Judged(finding, key, state, streak, carried))
    now = set(keys)
    resolved = [s for s in previous.values() if s.state in REPORTED and s.key not in now]
    return Assessment(judged, resolved)


def due(judged: Judged, as_of: date, alert: AlertSettings, least: Severity) -> bool:
    """Whether a reported finding goes into this run's notification.

    New: yes. Ongoing: when it was never delivered in this episode (notify added later, or the
    delivery failed), or its last delivery is `repeat_every` days or more before this as-of.
    """
    if judged.state not in REPORTED or judged.finding.severity < least:
        return False
    if judged.state is State.NEW or judged.last_notified is None:
        return True
    every = alert.repeat_every
    return every is not None and (as_of - judged.last_notified).days >= every
