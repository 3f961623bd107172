"""Every view `assess_parts` builds at once equals the view `assess_kpi` builds for that value alone
(issue 12: the 40,000 views of the `--by campaign` benchmark cost ~11 us each one by one).

Reference: `assess_kpi` on the same part, with the same pace settings and target copy, which is
how `review._views` built every view before. Seeded random campaigns start in different months,
skip months, miss a metric for a month; some have segment targets (0 and -0.0 among them); the
review is as of a random day (a running or a finished month), of its month or an earlier one; the
parts come from the day rows or from monthly sums read beside them (a `--by` read, ByMonth).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.assess import KpiView, assess_kpi, with_target
from kpi_cli.assess_parts import assess_parts
from kpi_cli.config.models import Config, KpiConfig
from kpi_cli.config.settings import effective_kpi, rule_settings
from kpi_cli.metrics import periods
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.rules.pace import PaceSettings
from kpi_cli.sources.grain import ByMonth
from kpi_cli.status import Dimension
from tests.config_with import config_with

CATALOG = Catalog({"cpl": "cost / leads"})


def rows(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for number in range(int(rng.integers(1, 9))):
        first = int(rng.integers(1, 13))
        days = pd.date_range(f"2026-{first:02d}-01", "2026-12-31", freq="D")
        days = days[rng.random(len(days)) < rng.uniform(0.02, 0.6)]
        leads = rng.poisson(4, len(days)).astype(float)
        leads[(days.month == int(rng.integers(1, 13))) | (rng.random(len(days)) < 0.05)] = np.nan
        name = None if number == 7 else f"c{number}"  # rows without a campaign belong to no part
        parts.append(
            pd.DataFrame(
                {
                    "date": days,
                    "campaign": pd.array([name] * len(days), dtype="string"),
                    "leads": leads,
                    "cost": rng.integers(0, 900, len(days)) * 0.25,
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values("date", kind="stable", ignore_index=True)


def kpis(seed: int) -> list[KpiConfig]:
    rng = np.random.default_rng(seed)
    targets = {
        f"c{i}": float(rng.choice([0.0, -0.0, 3.0, 40.0, 1e4])) for i in range(8) if rng.random() < 0.5
    }
    listed: list[dict[str, Any]] = [
        {"id": "leads", "metric": "leads", "target": float(rng.integers(0, 200))},
        {"id": "cost", "metric": "cost", "target": 5_000.0, "direction": "down"},
        {"id": "cpl", "metric": "cpl", "target": 30.0, "direction": "down"},  # a formula: one by one
        {"id": "weekly", "metric": "leads", "target": 20.0, "period": "week"},  # weekly: one by one
        {"id": "total", "metric": "leads", "target": 500.0, "cumulative": True},
    ]
    return [KpiConfig.model_validate({**k, "segment_targets": targets}) for k in listed]


def config(seed: int) -> Config:
    return config_with("parts", [k.model_dump() for k in kpis(seed)], metrics={"cpl": "cost / leads"})


def by_month(frame: pd.DataFrame, as_of: date) -> ByMonth:
    """The campaigns' monthly sums as a `--by` read hands them beside the day rows."""
    kept = frame[(frame["date"] <= pd.Timestamp(as_of)) & frame["campaign"].notna()]
    month = kept["date"].dt.to_period("M").dt.start_time
    table = kept[["leads", "cost"]].groupby([kept["campaign"], month.rename("date")]).sum(min_count=1)
    return ByMonth("campaign", table.reset_index(), as_of)


def one_by_one(
    config: Config, kpi: KpiConfig, data: Dataset, month: pd.Period, values: list[str]
) -> list[KpiView]:
    """How review._views built each view before: assess_kpi per value."""
    pace = rule_settings(config, kpi.rules, "pace", PaceSettings)
    effective = effective_kpi(config, kpi, data.as_of)
    parts = data.split("campaign")
    targeted = [with_target(effective, effective.segment_targets.get(v, math.nan)) for v in values]
    return [
        assess_kpi(config, kpi, parts.get(v) or data.empty(), month, v, Dimension.CAMPAIGN, pace, t)
        for v, t in zip(values, targeted, strict=True)
    ]


def assert_same_view(got: KpiView, want: KpiView) -> None:
    assert repr(got.kpi.model_dump()) == repr(want.kpi.model_dump())
    assert (got.segment, got.period, got.as_of, got.dimension) == (
        want.segment,
        want.period,
        want.as_of,
        want.dimension,
    )
    assert repr(got.progress) == repr(want.progress)  # repr: -0.0 and the float types too
    assert got.data is want.data and got.estimated == want.estimated and got.checkin is None
    assert got.trail.values.tobytes() == want.trail.values.tobytes()  # bit for bit, NaN included
    # Handed to the view by assess_parts (freshness reads it), worked out by the view itself alone.
    assert got.complete is not None and want.complete is None
    assert got.complete_values.tobytes() == want.complete_values.tobytes()
    assert got.trail.ordinals.tolist() == want.trail.ordinals.tolist() and got.trail.freq == want.trail.freq
    pd.testing.assert_series_equal(got.history, want.history)
    pd.testing.assert_index_equal(got.trail.index, want.trail.index)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    as_of=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    months_back=st.integers(-1, 3),  # -1: a `--period` after as-of's month
    summed=st.booleans(),
)
def test_each_view_equals_assess_kpi_of_that_value_alone(
    seed: int, as_of: date, months_back: int, summed: bool
) -> None:
    frame, cfg = rows(seed), config(seed)
    data = Dataset.build(frame, CATALOG, as_of, by_month(frame, as_of) if summed else None)
    month = periods.period_of(as_of, "month") - months_back
    values = [*data.values("campaign"), "never seen"]  # a value without a part: one by one
    for kpi in cfg.kpis:
        if summed and (kpi.period != "month" or kpi.cumulative):
            continue  # such a KPI reads day rows: a `--by` review reads no monthly sums (months_suffice)
        pace = rule_settings(cfg, kpi.rules, "pace", PaceSettings)
        effective = effective_kpi(cfg, kpi, data.as_of)
        copies: dict[object, KpiConfig] = {}

        def targeted(
            value: str, effective: KpiConfig = effective, copies: dict[object, KpiConfig] = copies
        ) -> KpiConfig:
            target = effective.segment_targets.get(value, math.nan)
            key = "none" if math.isnan(target) else target
            return copies.setdefault(key, with_target(effective, target))

        at_once = assess_parts(effective, data, month, Dimension.CAMPAIGN, pace, values, targeted)
        expected = one_by_one(cfg, kpi, data, month, values)
        if kpi.id in ("leads", "cost") and data.values("campaign"):
            assert sorted(at_once) == data.values("campaign")  # every value with a part, at once
        else:
            assert not at_once  # a formula, a weekly or cumulative KPI: left to assess_kpi
        for want in expected:
            if want.segment in at_once:
                assert_same_view(at_once[want.segment], want)


def test_a_running_month_by_hand() -> None:
    """c0: 10 leads in March, 30 in April; as of 15 April (half of a 30-day month), target 40:
    expected 20 (15 of 30 days), achievement 1.5, on track. c1 has no April row: no data."""
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-03-03", "2026-04-02", "2026-03-09"]),
            "campaign": pd.array(["c0", "c0", "c1"], dtype="string"),
            "leads": [10.0, 30.0, 5.0],
        }
    )
    targets = {"c0": 40.0, "c1": 40.0}  # without one a value's view is not judged (no_target)
    kpi = KpiConfig.model_validate(
        {"id": "leads", "metric": "leads", "target": 1.0, "segment_targets": targets}
    )
    kpi = with_target(kpi, 40.0)
    data = Dataset.build(frame, Catalog({}), date(2026, 4, 15))
    views = assess_parts(
        kpi, data, pd.Period("2026-04", "M"), Dimension.CAMPAIGN, PaceSettings(), ["c0", "c1"], lambda _: kpi
    )
    c0, c1 = views["c0"].progress, views["c1"].progress
    assert (c0.actual, c0.expected, c0.ratio, c0.status) == (30.0, 20.0, 1.5, "on_track")
    assert (c1.actual, c1.status) == (None, "no_data")
    assert views["c0"].trail.values.tolist() == [10.0, 30.0]


@pytest.mark.parametrize("dtype", ["int64"])
def test_a_split_summed_per_part_is_left_to_assess_kpi(dtype: str) -> None:
    """Columns not all floats: the split sums each part by text and has no array to read."""
    frame = rows(4).astype({"cost": dtype})
    data = Dataset.build(frame, CATALOG, date(2026, 12, 31))
    kpi = kpis(4)[0]
    month = pd.Period("2026-12", "M")
    assert data.split_sums("campaign") is None
    assert assess_parts(kpi, data, month, Dimension.CAMPAIGN, PaceSettings(), ["c0"], lambda _: kpi) == {}
