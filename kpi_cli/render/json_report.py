"""`kpi check --format json`: the versioned contract CI users script against (schema kpi-check/1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from kpi_cli.assess import FunnelView, KgiView
from kpi_cli.collector import collector_held
from kpi_cli.config.models import KpiConfig
from kpi_cli.findings import Finding
from kpi_cli.i18n import Lang, Wording
from kpi_cli.i18n.values import Quantity, Term
from kpi_cli.jsonio import dumps, safe
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView
from kpi_cli.render import kpi_rows
from kpi_cli.review import Review

SCHEMA = "kpi-check/1"


def render(review: Review, lang: Lang = Lang.EN) -> str:
    return dumps(to_write(review, lang))


def document(review: Review, lang: Lang = Lang.EN) -> dict[str, Any]:
    """Additive to kpi-check/1 only: `lang`, each finding's `params`, a KPI's `dimension` field,
    `estimated`/`estimated_share` on the KGI and each KPI."""
    with collector_held():  # a row of plain values per view: 40,000 under `--by campaign`
        return _document(review, lang, written=False)


def to_write(review: Review, lang: Lang = Lang.EN) -> dict[str, Any]:
    """`document` for `jsonio.dumps` to print: the KPI rows written straight from the views
    (kpi_cli/render/kpi_rows.py), the same text as `dumps(document(...))`."""
    with collector_held():
        return _document(review, lang, written=True)


def _document(review: Review, lang: Lang, written: bool) -> dict[str, Any]:
    _SHARED.clear()  # a KPI config's shared fields are kept for one document only (ids are reused)
    return {
        "schema": SCHEMA,
        "lang": lang.value,
        "name": review.config.name,
        "as_of": review.as_of.isoformat(),
        "period": periods.label(review.month),
        "in_progress": review.in_progress,
        "status": review.status,
        "kgi": _kgi(review.kgi),
        "kpis": kpi_rows.written(review.kpis, _shared)
        if written
        else [kpi_rows.row(v, _shared) for v in review.kpis],
        "funnel": _funnel(review.funnel, review.bottleneck) if review.funnel else None,
        "findings": [finding(f, lang, written) for f in review.findings],
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
        **_estimate(view.estimated),
    }


def _shared(kpi: KpiConfig, as_of: dt.date) -> kpi_rows.Shared:
    """A KPI's fields that every view of it prints alike (its views share one config or a few
    copies: one per segment target), kept for the document being built."""
    key = (id(kpi), as_of)
    hit = _SHARED.get(key)
    if hit is None or hit[0] is not kpi:
        hit = _SHARED[key] = (kpi, kpi_rows.shared_fields(kpi, as_of))
    return hit[1]


_SHARED: dict[tuple[int, dt.date], tuple[KpiConfig, kpi_rows.Shared]] = {}


def _estimate(share: float | None) -> dict[str, Any]:
    """Whether the figure rests on prorated rows (`split: prorata`), and what share of it does."""
    return {"estimated": share is not None, "estimated_share": safe(share)}


def _funnel(view: FunnelView, bottleneck: str | None) -> dict[str, Any]:
    return {
        "period": periods.label(view.period),
        "view": "snapshot",
        "in_progress": view.in_progress,
        "baseline_periods": view.baseline_periods,
        "bottleneck": bottleneck,
        "stages": [
            {
                "name": s.name,
                "metric": s.metric,
                "count": safe(s.count),
                "conversion": safe(s.conversion),
                "baseline_conversion": safe(s.baseline_conversion),
                "change_vs_previous": safe(s.count_change),
                **_estimate(s.estimated),
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


def finding(f: Finding, lang: Lang = Lang.EN, written: bool = False) -> dict[str, Any]:
    """One finding; `written` (for `jsonio.dumps` to print) leaves the evidence as the rule made it:
    the writer prints every value as `safe` turns it (kpi_cli/json_indent.py, its strings cleaned),
    and `safe` twice is `safe` once, so a pass of `safe` first only cost time (~0.05 s over the
    3,330 findings of a `--by campaign` report)."""
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "kpi": f.kpi,
        "segment": f.segment,
        "message": f.describe(lang),
        "owner": f.owner,
        "evidence": f.evidence if written else safe(f.evidence),
        "action": f.action_in(lang),
        "code": str(f.code),
        "params": {key: plain(value, _as_is if written else safe) for key, value in f.params.items()},
        **({"state": f.state.value} if f.state is not None else {}),
    }


def plain(value: Any, made_safe: Callable[[Any], Any] = safe) -> Any:
    """A typed param as JSON: numbers bare, dates ISO, catalog words by key, phrases as key + params.

    `made_safe` finishes each plain value: `safe`, or, for the writer (which makes them safe as it
    prints them), the value as it is.
    """
    if type(value) is str:  # periods and labels: most params
        return made_safe(value)
    if isinstance(value, Quantity):
        return made_safe(value.value)
    if isinstance(value, Term):
        return value.key
    if isinstance(value, Wording):
        return {"key": str(value.key), "params": {k: plain(v, made_safe) for k, v in value.params.items()}}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v, made_safe) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return made_safe(value)


def _as_is(value: Any) -> Any:
    return value
