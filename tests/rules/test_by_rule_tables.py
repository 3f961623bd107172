"""freshness and pace over `--by` views whose KPIs carry different `rules:` tables (issue 12: the
two rules look a KPI's settings up when the table changes, not for each of 40,000 views).

Reference: the loops the rules ran before, settings looked up for every view (PerTable per view),
on the same context. Campaigns as in tests/metrics/test_by_equals_alone.py: gamma's clicks stop
after July, so its views of a clicks KPI are stale; every value has a segment target, so pace
judges each value's view.
"""

from __future__ import annotations

from typing import Any

from kpi_cli.findings import Finding
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules import freshness, pace
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import PerTable
from kpi_cli.rules.stalled import StalledSettings
from tests.config_with import config_with
from tests.metrics.test_by_equals_alone import AS_OF, CAMPAIGNS, rows


def _context() -> RuleContext:
    targets = dict.fromkeys(CAMPAIGNS, 9_000.0)
    kpis: list[dict[str, Any]] = [
        {"id": "clicks_off", "metric": "clicks", "target": 9_000, "rules": {"freshness": {"enabled": False}}},
        {"id": "clicks", "metric": "clicks", "target": 9_000},
        # stalled.periods 2: two empty months are stale here, three for the KPIs above
        {"id": "clicks_two", "metric": "clicks", "target": 9_000, "rules": {"stalled": {"periods": 2}}},
        {"id": "leads_quiet", "metric": "leads", "target": 900, "rules": {"pace": {"enabled": False}}},
        {"id": "leads", "metric": "leads", "target": 900},
    ]
    config = config_with("tables", [{**k, "segment_targets": targets} for k in kpis])
    return build_context(config, Catalog({}), rows(), AS_OF, by="campaign")


def _keys(found: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.code, f.kpi, f.segment, repr(f.evidence)) for f in found]


def test_freshness_reads_each_kpis_own_table() -> None:
    ctx = _context()
    on = PerTable(ctx.config, "freshness", freshness.FreshnessKpiSettings)
    periods = PerTable(ctx.config, "stalled", StalledSettings)
    before = [
        f
        for view in ctx.kpis
        if on(view.kpi.rules).enabled
        and (f := freshness._stale_kpi(view, periods(view.kpi.rules).stale_periods)) is not None
    ]
    found = [f for f in freshness.evaluate(ctx) if f.kpi is not None]
    assert _keys(found) == _keys(before)
    # By hand: gamma's clicks are empty August..October (the complete months before November);
    # the KPI with freshness off says nothing, the one with stalled.periods 2 names two months.
    stale = {(f.kpi, f.segment): f.evidence["periods_without_data"] for f in found}
    assert stale == {
        ("clicks", "gamma"): ["2026-08", "2026-09", "2026-10"],
        ("clicks_two", "gamma"): ["2026-09", "2026-10"],
    }


def test_pace_reads_each_kpis_own_table() -> None:
    ctx = _context()
    on = PerTable(ctx.config, "pace", pace.PaceSettings)
    before = [f for view in ctx.kpis if on(view.kpi.rules).enabled and (f := pace._kpi_finding(view, ctx))]
    found = [f for f in pace.evaluate(ctx) if f.kpi is not None]
    assert _keys(found) == _keys(before)
    assert {f.kpi for f in found} >= {"clicks", "leads"} and "leads_quiet" not in {f.kpi for f in found}
