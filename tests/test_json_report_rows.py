"""The JSON report's KPI rows (kpi-check/1 `kpis`), built per view with the fields a KPI's views
share computed once (kpi_cli/render/kpi_rows.py `row`), against the row as the contract
spells it out field by field (README "JSON output"), written here from the view alone."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from kpi_cli.assess import KpiView
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.render.json_report import document
from kpi_cli.render.kpi_rows import _number
from kpi_cli.review import Review, build_context
from kpi_cli.status import Dimension
from tests.rules.test_drop_below_warn import _config, _rows


def _figure(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) or math.isinf(value) else value


def expected_row(view: KpiView) -> dict[str, Any]:
    p, kpi = view.progress, view.kpi
    row: dict[str, Any] = {
        "id": kpi.id,
        "metric": kpi.metric,
        "actual": _figure(p.actual),
        "target": _figure(kpi.target),
        "status": p.status,
        "owner": kpi.owner,
        "review_by": kpi.review_by.isoformat() if kpi.review_by else None,
        "segment": view.segment if view.dimension in (None, Dimension.SEGMENT) else None,
    }
    if view.dimension is not None:
        row[str(view.dimension)] = view.segment
        row["dimension"] = str(view.dimension)
    row |= {
        "name": kpi.name or kpi.id,
        "period": view.period_label,
        "primary": kpi.primary,
        "direction": kpi.direction,
        "expected": _figure(p.expected),
        "achievement": _figure(p.ratio),
        "in_progress": p.in_progress,
        "days_to_review": None if kpi.review_by is None else (kpi.review_by - view.as_of).days,
        "owner_confidence": view.checkin.confidence if view.checkin else None,
        "estimated": view.estimated is not None,
        "estimated_share": _figure(view.estimated),
    }
    return row


def test_every_kpi_row_of_a_by_campaign_report_is_the_row_the_contract_spells_out() -> None:
    config = _config(3, "trailing")
    reviewed = config.kpis[0].model_copy(update={"review_by": date(2026, 12, 15)})
    config = config.model_copy(update={"kpis": [reviewed, *config.kpis[1:]]})
    for as_of in (date(2026, 11, 20), date(2026, 11, 30)):  # the shared fields follow as_of
        ctx = build_context(config, Catalog({}), _rows(2, as_of), as_of, by="campaign")
        rows = document(Review(ctx, []))["kpis"]
        assert len(rows) == 3 * 201  # three KPIs, overall and per campaign
        assert rows == [expected_row(view) for view in ctx.kpis]
        assert list(rows[1]) == list(expected_row(ctx.kpis[1]))  # the contract's order of fields
        assert rows[1]["days_to_review"] == (date(2026, 12, 15) - as_of).days
        assert rows[1]["campaign"] == "c000" and rows[1]["dimension"] == "campaign"


def test_figures_print_as_safe_prints_them() -> None:
    assert _number(None) is None
    assert _number(float("nan")) is None
    assert _number(float("inf")) is None and _number(float("-inf")) is None
    assert _number(-0.0) == 0.0 and math.copysign(1.0, _number(-0.0)) == -1.0
    assert _number(2.5) == 2.5 and _number(7) == 7
