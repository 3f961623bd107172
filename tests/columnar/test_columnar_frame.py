"""columnar_frame.canonical: the groups DuckDB returns, as the canonical frame, whichever way it is built.

The sort-only path (no two groups' keys read alike) and the groupby path (they do) must give the
frame a plain pandas groupby over each row's decoded keys gives: the reference here decodes each
cell by hand (ISO dates; names stripped, `--` missing) and sums with pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from kpi_cli.sources.columnar_frame import canonical, fetched

METRICS = ["impressions", "cost"]


def _groups(dates: list[str], names: list[str | None], categorical: bool) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    table = pa.table(
        {
            "k_date": pa.array(dates, pa.string()),
            "k_campaign": pa.array(names, pa.string()),
            "impressions": pa.array(rng.integers(0, 1000, len(dates)).astype(float)),
            "cost": pa.array([None if i % 5 == 0 else float(i) for i in range(len(dates))], pa.float64()),
        }
    )
    return fetched(table) if categorical else table.to_pandas()


def _reference(groups: pd.DataFrame) -> pd.DataFrame:
    names = (
        groups["k_campaign"]
        .astype(object)
        .map(
            lambda cell: None if cell is None or cell != cell or cell.strip() in ("", "--") else cell.strip()
        )
    )
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(groups["k_date"].astype(str), format="%Y-%m-%d").astype("datetime64[ns]"),
            "campaign": names,
        }
        | {m: groups[m].to_numpy(dtype=float) for m in METRICS}
    )
    summed = rows.groupby(["date", "campaign"], dropna=False, sort=True)[METRICS].sum(min_count=1)
    return summed.reset_index()


@pytest.mark.parametrize("categorical", [True, False])
@pytest.mark.parametrize("alike", [False, True])
def test_the_frame_is_a_groupby_of_the_decoded_keys(categorical: bool, alike: bool) -> None:
    days = [f"2026-03-{d:02d}" for d in range(31, 0, -1)]
    names: list[str | None] = ["Spring", "Autumn", None, "--", "Zeta", "alpha"]
    dates = [d for d in days for _ in names]
    cells = names * len(days)
    if alike:  # ` Spring` reads as `Spring`, `` as missing like `--`: their groups are summed again
        dates += days[:3] * 2
        cells += [" Spring"] * 3 + [""] * 3
    got = canonical(_groups(dates, cells, categorical), False, ["campaign"], METRICS)
    expected = _reference(_groups(dates, cells, categorical))
    assert list(got.columns) == ["date", "campaign", *METRICS]
    # Missing names last, as pandas sorts them; the groupby path's dtype on both paths.
    assert got["campaign"].isna().to_numpy()[: len(names) - 2].tolist() == [False] * (len(names) - 2)
    assert (
        got["campaign"].dtype
        == canonical(
            _groups([*dates, days[0]], [*cells, " Spring"], categorical), False, ["campaign"], METRICS
        )["campaign"].dtype
    )
    pd.testing.assert_frame_equal(
        got.astype({"campaign": object}).fillna({"campaign": "<none>"}),
        expected.astype({"campaign": object}).fillna({"campaign": "<none>"}),
        check_exact=True,
    )


def test_a_key_only_skipped_rows_hold_is_not_decoded() -> None:
    # After the summary groups are dropped, a `Total` date left in the categories is never parsed.
    groups = _groups(["2026-03-02", "Total", "2026-03-01"], ["A", "A", "B"], categorical=True)
    got = canonical(groups.iloc[[0, 2]], False, ["campaign"], METRICS)
    assert got["date"].dt.day.tolist() == [1, 2]
    assert got["campaign"].tolist() == ["B", "A"]
