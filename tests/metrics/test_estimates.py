"""The share of a figure that rests on prorated rows (kpi_cli.metrics.estimates), worked by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd

from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.estimates import estimated_shares
from kpi_cli.metrics.formulas import Catalog

OCTOBER = pd.Period("2026-10", "M")


def _data() -> Dataset:
    # October: 310,000 of cost prorated (one row a day of 10,000) and 90,000 counted on one day;
    # leads counted only. September: nothing prorated.
    prorated = pd.DataFrame(
        {"date": pd.date_range("2026-10-01", "2026-10-31"), "cost": 10_000.0, "estimated": True}
    )
    counted = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-15", "2026-10-15"]),
            "cost": [50_000.0, 90_000.0],
            "leads": [40.0, 80.0],
        }
    )
    frame = pd.concat([prorated, counted], ignore_index=True)
    return Dataset.build(frame, Catalog({"cpl": "cost / leads"}), date(2026, 11, 20))


def test_a_mixed_month_is_estimated_by_the_share_of_its_prorated_part() -> None:
    data = _data()
    assert data.estimated_share("cost", "month", OCTOBER) == 310_000 / 400_000  # 0.775
    assert data.estimated_share("cost", "month", pd.Period("2026-09", "M")) is None
    assert data.estimated_share("leads", "month", OCTOBER) is None  # no prorated row has leads
    # A rate is as estimated as its most estimated input: cost 0.775, leads 0.
    assert data.estimated_share("cpl", "month", OCTOBER) == 0.775
    # 1 Sep..31 Oct: 310,000 of 450,000 prorated.
    assert data.estimated_share_between("cost", date(2026, 9, 1), date(2026, 10, 31)) == 310_000 / 450_000


def test_without_prorated_rows_nothing_is_estimated_and_parts_ask_no_rows() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "cost": [1.0], "campaign": ["A"]})
    data = Dataset.build(frame, Catalog({}), date(2026, 11, 20))
    assert data.may_estimate is False
    assert data.estimated_share("cost", "month", OCTOBER) is None
    assert data.split("campaign")["A"].may_estimate is False
    assert data.estimated_share_between("cost", date(2026, 10, 1), date(2026, 10, 31)) is None


def test_a_prorated_zero_still_marks_the_figure_with_a_share_of_nothing() -> None:
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01"]), "cost": [0.0], "estimated": [True]})
    keys = frame["date"].dt.to_period("M")
    assert estimated_shares(frame, ["cost"], keys).to_dict() == {OCTOBER: 0.0}
    assert estimated_shares(frame, [], keys).empty
