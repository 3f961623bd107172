"""`--by` views share one KPI config per segment target instead of a copy per value (issue 12)."""

from __future__ import annotations

import math

from kpi_cli.assess import with_target
from kpi_cli.config.models import KpiConfig
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from tests.metrics.test_by_equals_alone import AS_OF, config, rows


def _kpi(target: float) -> KpiConfig:
    return KpiConfig.model_validate({"id": "leads", "metric": "leads", "target": target})


def test_with_target_copies_only_a_different_target() -> None:
    kpi = _kpi(800)
    assert with_target(kpi, 800.0) is kpi
    changed = with_target(kpi, 650.0)
    assert changed is not kpi and changed.target == 650.0 and kpi.target == 800.0
    assert math.isnan(with_target(kpi, math.nan).target)
    unset = with_target(kpi, math.nan)
    assert with_target(unset, math.nan) is unset  # NaN is NaN: no second copy
    zero = _kpi(0)
    assert with_target(zero, -0.0) is not zero  # the JSON prints -0.0, not 0.0
    assert math.copysign(1.0, with_target(zero, -0.0).target) == -1.0


def test_views_with_the_same_target_share_one_config() -> None:
    """alpha and beta have a target of their own (700); gamma and delta none (NaN)."""
    plain = config({})
    own = {"alpha": 700.0, "beta": 700.0}
    cfg = plain.model_copy(
        update={"kpis": [k.model_copy(update={"segment_targets": own}) for k in plain.kpis]}
    )
    ctx = build_context(cfg, Catalog({"cpl": "cost / leads"}), rows(), AS_OF, by="campaign")
    leads = {v.segment: v.kpi for v in ctx.kpis if v.kpi.id == "leads"}
    assert leads["alpha"] is leads["beta"] and leads["alpha"].target == 700.0
    assert leads["gamma"] is leads["delta"] and math.isnan(leads["gamma"].target)
    assert leads[None].target == 800.0 and leads[None] is not leads["alpha"]
