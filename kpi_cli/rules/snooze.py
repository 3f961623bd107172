"""Snoozes: a known finding silenced until a date, never forgotten.

Not a rule but a step after the rules: a finding matching an active snooze (same rule; same KPI
and segment where the snooze names them; `until` on or after as_of) is kept at severity info with
the snooze in its message and evidence. When a snooze has expired the finding is back as it was,
and a `lint` warning says the snooze expired; an expired snooze nothing matches any more is an
info finding that it can be removed. A lapsed snooze is thus never silent either way.
"""

from __future__ import annotations

from datetime import date

from kpi_cli.config.models import Config, Snooze
from kpi_cli.findings import Finding, Severity

LINT = "lint"


def apply_snoozes(findings: list[Finding], config: Config, as_of: date) -> list[Finding]:
    active = [s for s in config.snooze if s.until >= as_of]
    expired = [s for s in config.snooze if s.until < as_of]
    kept = [_snoozed(f, active) for f in findings]
    return kept + [_expired(s, any(matches(s, f) for f in findings), config) for s in expired]


def matches(snooze: Snooze, finding: Finding) -> bool:
    """Same rule, and the same KPI and segment where the snooze names them."""
    return (
        snooze.rule == finding.rule
        and snooze.kpi in (None, finding.kpi)
        and snooze.segment in (None, finding.segment)
    )


def _snoozed(finding: Finding, active: list[Snooze]) -> Finding:
    """The longest-running matching snooze wins, so the message names the date it really ends."""
    snooze = max((s for s in active if matches(s, finding)), key=lambda s: s.until, default=None)
    if snooze is None:
        return finding
    return finding.with_severity(
        Severity.INFO,
        message=f"{finding.message} (snoozed until {snooze.until.isoformat()}: {snooze.reason})",
        evidence={
            **finding.evidence,
            "snoozed_until": snooze.until.isoformat(),
            "snooze_reason": snooze.reason,
            "severity_before_snooze": finding.severity.value,
        },
    )


def _owner(snooze: Snooze, config: Config) -> str | None:
    return next((k.owner for k in config.kpis if k.id == snooze.kpi), None)


def _describe(snooze: Snooze) -> str:
    scope = "".join(
        [
            f" on KPI '{snooze.kpi}'" if snooze.kpi else "",
            f" for segment '{snooze.segment}'" if snooze.segment else "",
        ]
    )
    return f"snooze of rule '{snooze.rule}'{scope} ({snooze.reason})"


def _expired(snooze: Snooze, still_firing: bool, config: Config) -> Finding:
    when = snooze.until.isoformat()
    evidence = {
        "rule": snooze.rule,
        "kpi": snooze.kpi,
        "segment": snooze.segment,
        "until": when,
        "reason": snooze.reason,
    }
    if still_firing:
        return Finding(
            rule=LINT,
            severity=Severity.WARN,
            kpi=snooze.kpi,
            segment=snooze.segment,
            owner=_owner(snooze, config),
            message=f"{_describe(snooze)} expired on {when} and the finding it silenced is back",
            evidence=evidence,
            action="deal with the finding, or extend `until:` with a new reason",
            code="lint.snooze_expired",
        )
    return Finding(
        rule=LINT,
        severity=Severity.INFO,
        kpi=snooze.kpi,
        segment=snooze.segment,
        owner=_owner(snooze, config),
        message=f"{_describe(snooze)} expired on {when} and nothing matches it any more",
        evidence=evidence,
        action="remove it from `snooze:` in the config",
        code="lint.snooze_unused",
    )
