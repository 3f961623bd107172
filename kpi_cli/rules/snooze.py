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
from kpi_cli.i18n import Wording
from kpi_cli.rules.lint import Code

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
        snooze=Wording("snoozed", {"snoozed_until": snooze.until, "snooze_reason": snooze.reason}),
        evidence={
            **finding.evidence,
            "snoozed_until": snooze.until.isoformat(),
            "snooze_reason": snooze.reason,
            "severity_before_snooze": finding.severity.value,
        },
    )


def _owner(snooze: Snooze, config: Config) -> str | None:
    return next((k.owner for k in config.kpis if k.id == snooze.kpi), None)


def _scope(snooze: Snooze) -> Wording:
    """Which snooze, in words: its rule, and its KPI and segment where it names them."""
    key = "lint.snooze" + (".kpi" if snooze.kpi else "") + (".segment" if snooze.segment else "")
    params = {
        "rule": snooze.rule,
        "kpi": snooze.kpi or "",
        "segment": snooze.segment or "",
        "reason": snooze.reason,
    }
    return Wording(key, params)


def _expired(snooze: Snooze, still_firing: bool, config: Config) -> Finding:
    evidence = {
        "rule": snooze.rule,
        "kpi": snooze.kpi,
        "segment": snooze.segment,
        "until": snooze.until.isoformat(),
        "reason": snooze.reason,
    }
    params = {"snooze": _scope(snooze), "until": snooze.until}
    if still_firing:
        return Finding(
            rule=LINT,
            severity=Severity.WARN,
            kpi=snooze.kpi,
            segment=snooze.segment,
            owner=_owner(snooze, config),
            says=Wording(Code.SNOOZE_EXPIRED, params),
            evidence=evidence,
            todo=Wording("lint.snooze_expired.action"),
            code=Code.SNOOZE_EXPIRED,
        )
    return Finding(
        rule=LINT,
        severity=Severity.INFO,
        kpi=snooze.kpi,
        segment=snooze.segment,
        owner=_owner(snooze, config),
        says=Wording(Code.SNOOZE_UNUSED, params),
        evidence=evidence,
        todo=Wording("lint.snooze_unused.action"),
        code=Code.SNOOZE_UNUSED,
    )
