"""`--by` and per-segment views from one grouped pass (issue 12: filtering the whole frame per value
cost rows x values; 10,000 campaigns on 1M rows did not finish in 10 minutes)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from tests.config_with import config_with

AS_OF = date(2026, 11, 20)


def frame(rows: int = 2_000, campaigns: int = 40, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "date": pd.Timestamp("2026-08-01") + pd.to_timedelta(rng.integers(0, 112, rows), unit="D"),
            "campaign": pd.array(
                [None if i % 97 == 0 else f"c{i % campaigns:03d}" for i in rng.integers(0, 10_000, rows)],
                dtype="string",
            ),
            "leads": rng.integers(0, 9, rows).astype(float),
            "cost": rng.integers(0, 400, rows) * 0.5,
        }
    )


def test_each_part_holds_exactly_the_rows_a_filter_keeps() -> None:
    data = Dataset.build(frame(), Catalog({}), AS_OF)
    parts = data.split("campaign")
    assert sorted(parts) == data.values("campaign")
    for value, part in parts.items():
        filtered = data.matching({"campaign": value})
        # Reference: the per-value filter the review used before (rows in the same order).
        pd.testing.assert_frame_equal(part.frame, filtered.frame.reset_index(drop=True))
        pd.testing.assert_frame_equal(part.sums("month"), filtered.sums("month"))
    # Rows without a campaign belong to no part (a filter on any value drops them too).
    assert sum(len(p.frame) for p in parts.values()) == int(data.frame["campaign"].notna().sum())


def test_each_parts_series_equal_those_of_its_rows_alone() -> None:
    """A part reads a raw metric's monthly series straight from the split's block of sums (issue 12:
    a DataFrame per part cost ~1 s over 10,000); a derived metric, a metric no column holds and the
    weekly series still go through the sums. Reference: the same series on the filtered rows."""
    data = Dataset.build(frame(), Catalog({"cpl": "cost / leads"}), AS_OF)
    for value, part in data.split("campaign").items():
        alone = data.matching({"campaign": value})
        for metric, period in [("leads", "month"), ("cost", "month"), ("cpl", "month"), ("leads", "week")]:
            pd.testing.assert_series_equal(part.series(metric, period), alone.series(metric, period))
        missing = part.series("revenue", "month")  # no such column: NaN in every month
        pd.testing.assert_index_equal(missing.index, alone.sums("month").index)
        assert missing.isna().all()


def test_a_dimension_the_data_lacks_splits_into_nothing() -> None:
    data = Dataset.build(frame(), Catalog({}), AS_OF)
    assert data.split("channel") == {}
    assert data.empty().frame.columns.tolist() == data.frame.columns.tolist() and data.empty().frame.empty


def test_by_views_filter_the_frame_once_per_kpi_not_once_per_value(monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_with(
        "split",
        [
            {"id": "leads", "metric": "leads", "target": 10},
            {"id": "cost", "metric": "cost", "target": 9},
        ],
    )
    calls: list[object] = []
    matching = Dataset.matching

    def counted(self: Dataset, where: object) -> Dataset:
        calls.append(where)
        return matching(self, where)  # type: ignore[arg-type]

    monkeypatch.setattr(Dataset, "matching", counted)
    context = build_context(config, Catalog({}), frame(), AS_OF, by="campaign")
    assert len(calls) == 2  # each KPI's own `where:` (empty), never one per campaign
    per_campaign = [v for v in context.kpis if v.segment is not None]
    assert len(per_campaign) == 2 * 40
    # The figures: c007's November leads against a direct sum over the rows.
    rows = frame()
    november = rows[
        (rows["campaign"] == "c007") & (rows["date"] >= "2026-11-01") & (rows["date"] <= "2026-11-20")
    ]
    view = next(v for v in per_campaign if v.kpi.id == "leads" and v.segment == "c007")
    assert view.progress.actual == november["leads"].sum()


def test_parts_sums_are_those_of_pandas_grouping_by_text_and_month_to_the_bit() -> None:
    """The split groups by one integer per row (the value's code and the month); pandas' grouping
    by the text and a PeriodIndex (`_monthly_sums_by_text`, the way before) sums the same rows in
    the same order, so the figures must agree to the bit (the JSON report prints every digit),
    whatever the values' order, rows without a value or a date, parts whose first month comes late.
    Each part's rows summed alone agree to rounding (pandas' one-key path adds in another order)."""
    rows = frame(rows=3_000, campaigns=25, seed=11)
    rng = np.random.default_rng(5)
    rows["cost"] = rng.gamma(2.0, 10.0, len(rows)) / 3  # sums whose order of addition shows
    names = np.array(["広告 B", "Ω", "a", "Z"], dtype=object)[rng.integers(0, 4, len(rows))]
    rows["campaign"] = pd.array(np.where(rows["campaign"].isna(), None, names + rows["campaign"].fillna("")))
    late = rows["campaign"].str.startswith("Z").fillna(False)
    rows.loc[rows.index[late], "date"] = pd.Timestamp("2026-11-02")  # their first month: November
    kept = Dataset.build(rows, Catalog({}), AS_OF).frame
    undated = pd.concat([kept, kept.iloc[:3].assign(date=pd.NaT)], ignore_index=True)
    data = Dataset(undated, Catalog({}), AS_OF)
    parts = data.split("campaign")
    assert list(parts) == sorted(parts) and len(parts) == rows["campaign"].nunique()
    by_text = {name: Dataset(kept.iloc[:0], Catalog({}), AS_OF) for name in parts}
    data._monthly_sums_by_text(by_text, data.frame["campaign"].astype("string"))
    for name, part in parts.items():
        pd.testing.assert_frame_equal(part.sums("month"), by_text[name].sums("month"), check_exact=True)
        alone = Dataset.build(kept[kept["campaign"] == name], Catalog({}), AS_OF)
        pd.testing.assert_frame_equal(part.sums("month"), alone.sums("month"))
    first_late = next(name for name in parts if name.startswith("Z"))
    assert parts[first_late].sums("month").index[0] == pd.Period("2026-11", "M")
