"""Findings about a KPI or the KGI whose figure rests on prorated rows say so in their evidence.

The rules judge the figures the assessment gives them; which of those figures are estimates
(`split: prorata`, kpi_cli.spans) is known per view, so it is added here once, after every rule,
rather than in each rule: `estimated: true` and `estimated_share` (0..1) in the evidence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from kpi_cli.findings import Finding
from kpi_cli.rules import coverage, freshness, lint

if TYPE_CHECKING:
    from kpi_cli.rules.context import RuleContext


ESTIMATED = "estimated"
ESTIMATED_SHARE = "estimated_share"
# Rules that judge the config or the files, not a KPI's figure: their findings stay as they are.
_NOT_ON_FIGURES = frozenset({coverage.NAME, freshness.NAME, lint.NAME})
_KGI_SCOPE = "kgi"  # the second part of a KGI finding's code: pace.kgi.at_risk, forecast.kgi.miss


def mark_estimated(findings: list[Finding], ctx: RuleContext) -> list[Finding]:
    shares = {(v.kpi.id, v.segment): v.estimated for v in ctx.kpis if v.estimated is not None}
    kgi = ctx.kgi.estimated
    if not shares and kgi is None:
        return findings
    return [_marked(f, _share_of(f, shares, kgi)) for f in findings]


def _share_of(
    finding: Finding, shares: dict[tuple[str, str | None], float], kgi: float | None
) -> float | None:
    if finding.rule in _NOT_ON_FIGURES:
        return None
    if finding.kpi is not None:
        return shares.get((finding.kpi, finding.segment))
    parts = str(finding.code).split(".")
    return kgi if len(parts) > 1 and parts[1] == _KGI_SCOPE else None


def _marked(finding: Finding, share: float | None) -> Finding:
    if share is None or ESTIMATED in finding.evidence:  # coverage.estimated says it already
        return finding
    return replace(finding, evidence={**finding.evidence, ESTIMATED: True, ESTIMATED_SHARE: share})
