"""`kpi check --format json`: the versioned contract CI users script against (schema kpi-check/1)."""

from __future__ import annotations

from typing import Any

from kpi_cli.assess import FunnelView, KgiView, KpiView
from kpi_cli.findings import Finding
from kpi_cli.jsonio import dumps, safe
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView
from kpi_cli.review import Review

SCHEMA = "kpi-check/1"


def render(review: Review) -> str:
    return dumps(document(review))


def document(review: Review) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "name": review.config.name,
        "as_of": review.as_of.isoformat(),
        "period": periods.label(review.month),
        "in_progress": review.in_progress,
        "status": review.status,
        "kgi": _kgi(review.kgi),
        "kpis": [_kpi(v) for v in review.kpis],
        "funnel": _funnel(review.funnel) if review.funnel else None,
        "findings": [finding(f) for f in review.findings],
    }


def _kgi(view: KgiView) -> dict[str, Any]:
    p = view.progress
    return {
        "name": view.kgi.name,
        "metric": view.kgi.metric,
        "actual": safe(p.actual),
        "target": view.kgi.target,
        "expected": safe(p.expected),
        "achievement": safe(p.ratio),
        "share_of_target": safe(view.share_of_target),
        "status": p.status,
        "in_progress": p.in_progress,
        "start": view.kgi.start.isoformat(),
        "deadline": view.kgi.deadline.isoformat(),
        "owner": view.kgi.owner,
    }


def _kpi(view: KpiView) -> dict[str, Any]:
    p, kpi = view.progress, view.kpi
    return {
        "id": kpi.id,
        "metric": kpi.metric,
        "actual": safe(p.actual),
        "target": safe(kpi.target),
        "status": p.status,
        "owner": kpi.owner,
        "review_by": kpi.review_by.isoformat() if kpi.review_by else None,
        "segment": view.segment,
        "name": kpi.label,
        "period": view.period_label,
        "primary": kpi.primary,
        "direction": kpi.direction,
        "expected": safe(p.expected),
        "achievement": safe(p.ratio),
        "in_progress": p.in_progress,
        "days_to_review": view.days_to_review,
        "owner_confidence": view.checkin.confidence if view.checkin else None,
    }


def _funnel(view: FunnelView) -> dict[str, Any]:
    bottleneck = view.bottleneck
    return {
        "period": periods.label(view.period),
        "view": "snapshot",
        "in_progress": view.in_progress,
        "baseline_periods": view.baseline_periods,
        "bottleneck": bottleneck.name if bottleneck else None,
        "stages": [
            {
                "name": s.name,
                "metric": s.metric,
                "count": safe(s.count),
                "conversion": safe(s.conversion),
                "baseline_conversion": safe(s.baseline_conversion),
                "change_vs_previous": safe(s.count_change),
            }
            for s in view.stages
        ],
        "cohort": _cohort(view.cohort) if view.cohort else None,
    }


def _cohort(view: CohortView) -> dict[str, Any]:
    return {
        "period": periods.label(view.period),
        "view": "cohort",
        "entry_stage": view.entry_stage,
        "stages": [
            {"name": s.name, "reached": s.reached, "conversion": safe(s.conversion)} for s in view.stages
        ],
    }


def finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "kpi": f.kpi,
        "segment": f.segment,
        "message": f.message,
        "owner": f.owner,
        "evidence": safe(f.evidence),
        "action": f.action,
        "code": f.code,
    }
