"""A `--by` dimension summed by month beside day rows without it (sources/grain.py, columnar_months.py).

The reference is the pandas reader: its rows, one per file row, summed by this test with pandas
by campaign and month (the month sums) and by day (the day rows). Where the columnar scan cannot
sum by month (a summary or comment row, dates that are not ISO) it must say so (no `by_month`)
and give what the read by day and campaign gives. The whole `kpi check --by campaign` report is
then the same bytes by either reader.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from kpi_cli import sources
from kpi_cli.cli import app
from kpi_cli.sources import Export, columnar, columnar_months, read_export
from kpi_cli.sources.grain import ByMonth, Grain
from tests.columnar.spying import columnar_reads

CAMPAIGNS = ("alpha", " beta", "beta", "gamma", "--")  # ` beta` reads as `beta`; `--` as no campaign
METRICS = ("clicks", "cost", "leads")


def rows(seed: int = 3) -> pd.DataFrame:
    """Jan 1 - Apr 30 2026, every campaign every day but gamma, which has no row in February, and
    alpha, whose leads fall to a fifth in April; integers, so any order of summing is exact."""
    rng = np.random.default_rng(seed)
    out = []
    for day in pd.date_range("2026-01-01", "2026-04-30"):
        for name in CAMPAIGNS:
            if name == "gamma" and day.month == 2:
                continue
            leads = int(rng.poisson(4 if name == "alpha" and day.month == 4 else 20))
            out.append(
                (day.date().isoformat(), name, int(rng.integers(100, 400)), int(rng.integers(1, 9000)), leads)
            )
    return pd.DataFrame(out, columns=["date", "campaign", *METRICS])


def write(path: Path, frame: pd.DataFrame, tail: str = "", head: str = "") -> Path:
    text = frame.to_csv(index=False)
    first, rest = text.split("\n", 1)
    path.write_text(f"{first}\n{head}{rest}{tail}", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def pandas_read(path: Path) -> pd.DataFrame:
    """The pandas reader's rows (one per data row of the file)."""
    with columnar_reads() as taken:
        export = read_export(path, unmapped_sums=False)
    assert not any(taken)
    return export.frame


def expected_months(frame: pd.DataFrame, through: date | None) -> pd.DataFrame:
    kept = frame if through is None else frame[frame["date"] <= pd.Timestamp(through)]
    kept = kept[kept["campaign"].notna()]
    months = kept["date"].dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
    grouped = kept.groupby([kept["campaign"].astype("string"), months], sort=True)[list(METRICS)]
    summed = grouped.sum(min_count=1).reset_index()
    summed["campaign"] = summed["campaign"].astype("string")
    return summed


def monthly_read(path: Path, through: date | None = None) -> Export:
    with columnar_reads() as taken:
        export = read_export(path, unmapped_sums=False, dimensions=Grain({"campaign"}, "campaign", through))
    assert taken == [True]
    return export


@pytest.mark.parametrize("through", [None, date(2026, 3, 15), date(2026, 1, 31)])
def test_the_months_are_the_pandas_readers_rows_summed_by_campaign_and_month(
    tmp_path: Path, through: date | None
) -> None:
    path = write(tmp_path / "by.csv", rows())
    slow = pandas_read(path)
    export = monthly_read(path, through)
    assert export.by_month is not None and export.by_month.through == through
    table = export.by_month.table
    pd.testing.assert_frame_equal(table, expected_months(slow, through), check_exact=True)
    # gamma has no February row; ` beta` and `beta` are one campaign; `--` is none.
    assert sorted(table["campaign"].unique()) == ["alpha", "beta", "gamma"]
    assert not ((table["campaign"] == "gamma") & (table["date"] == "2026-02-01")).any()
    # The day rows leave the campaign out: every campaign's rows of a day summed together.
    assert "campaign" not in export.frame.columns
    by_day = slow.groupby("date", sort=True)[list(METRICS)].sum(min_count=1).reset_index()
    pd.testing.assert_frame_equal(export.frame, by_day, check_exact=True)
    assert export.data_rows == len(slow)


@pytest.mark.parametrize(
    ("case", "head", "tail"),
    [
        ("summary row", "", "Total,,9999,9999,9999\n"),
        ("comment row", "# exported by the ad manager\n", ""),
    ],
)
def test_a_file_that_needs_its_rows_looked_at_is_read_by_day_and_campaign(
    tmp_path: Path, case: str, head: str, tail: str
) -> None:
    """Its rows are each looked at for a summary (columnar_sql.grouped), which groups by the
    campaign: no months then, and the same export as a read that never asked for them."""
    path = write(tmp_path / "by.csv", rows(), tail=tail, head=head)
    export = monthly_read(path)
    assert export.by_month is None, case
    plain = read_export(path, unmapped_sums=False, dimensions=frozenset({"campaign"}))
    pd.testing.assert_frame_equal(export.frame, plain.frame)
    assert export.skipped == plain.skipped and len(export.skipped) == 1


def test_dates_that_are_not_iso_are_read_by_day_and_campaign(tmp_path: Path) -> None:
    """`2026/01/05` is a day but `left(day, 7)` is no month: the months are not summed."""
    frame = rows().assign(date=lambda f: f["date"].str.replace("-", "/"))
    path = write(tmp_path / "by.csv", frame)
    assert monthly_read(path).by_month is None
    result = {
        "label_set": [0, 2],
        "k_date": ["2026/01/05", None],
        "m_value": [None, "a"],
        "m_month": [None, "2026/0"],
    }
    assert columnar_months.day_groups(pd.DataFrame(result)) is None


def test_a_request_without_a_monthly_dimension_is_the_plain_grain(tmp_path: Path) -> None:
    path = write(tmp_path / "by.csv", rows())
    export = read_export(path, unmapped_sums=False, dimensions=Grain({"campaign"}))
    assert export.by_month is None and "campaign" in export.frame.columns
    assert Grain({"channel"}, "campaign").monthly is None  # only a dimension of the grain


def config(path: Path, sources: list[dict[str, object]] | None = None) -> Path:
    kpis = [
        {"id": "leads", "metric": "leads", "target": 500, "primary": True, "owner": "a"},
        {"id": "clicks", "metric": "clicks", "target": 8000, "owner": "a"},
        {"id": "cpl", "metric": "cpl", "target": 400, "direction": "down", "owner": "a"},
    ]
    document = {
        "version": 1,
        "name": "by month",
        "sources": sources or [{"name": "ads", "path": "by.csv", "platform": "generic"}],
        "kgi": {
            "name": "k",
            "metric": "leads",
            "target": 10_000,
            "start": "2026-01-01",
            "deadline": "2026-12-31",
        },
        "kpis": kpis,
        "metrics": {"cpl": "cost / leads"},
    }
    target = path / "kpi.yaml"
    target.write_text(yaml.safe_dump(document), encoding="utf-8")
    return target


def check(configured: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, *extra: str) -> str:
    monkeypatch.setattr(columnar, "MIN_BYTES", threshold)
    args = ["check", "-c", str(configured), "--by", "campaign", "--format", "json", "--no-history", *extra]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("as_of", [None, "2026-04-30", "2026-04-10", "2026-02-28"])
@pytest.mark.parametrize("tail", ["", "Total,,9999,9999,9999\n"])
def test_check_by_campaign_prints_the_pandas_readers_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_of: str | None, tail: str
) -> None:
    """Byte for byte, findings included (alpha's April fall), as of the newest row, a day inside a
    month (rows after it in the month are left out of the month's sums), or today (no --as-of)."""
    write(tmp_path / "by.csv", rows(), tail=tail)
    configured = config(tmp_path)
    extra = ("--as-of", as_of) if as_of else ()
    slow = check(configured, monkeypatch, 1 << 40, *extra)
    made: list[bool] = []
    real = columnar_months.by_month

    def spy(*args: Any) -> ByMonth | None:
        found = real(*args)
        made.append(found is not None)
        return found

    monkeypatch.setattr(columnar_months, "by_month", spy)
    fast = check(configured, monkeypatch, 0, *extra)
    assert fast == slow
    assert made == [not tail]  # a summary row: read by day and campaign
    report = json.loads(fast)
    views = [row for row in report["kpis"] if row.get("campaign") is not None]
    assert {row["campaign"] for row in views} == {"alpha", "beta", "gamma"}
    if as_of == "2026-04-30":
        assert any(f["segment"] == "alpha" and f["rule"] == "drop" for f in report["findings"])


def test_two_files_of_a_source_are_read_by_day_and_campaign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Months of two files would be summed in another order than their day rows: each file is
    read once, by day and campaign (decided before the read, not read again after it)."""
    frame = rows()
    write(tmp_path / "by_1.csv", frame[frame["date"] < "2026-03-01"])
    write(tmp_path / "by_2.csv", frame[frame["date"] >= "2026-03-01"])
    configured = config(tmp_path, [{"name": "ads", "path": "by_*.csv", "platform": "generic"}])
    reads: list[tuple[str, object]] = []
    real = sources.read_export

    def spy(path: Path, **options: Any) -> Export:
        reads.append((Path(path).name, getattr(options["dimensions"], "monthly", None)))
        return real(path, **options)

    monkeypatch.setattr(sources, "read_export", spy)
    fast = check(configured, monkeypatch, 0)
    assert sorted(reads) == [("by_1.csv", None), ("by_2.csv", None)]
    assert fast == check(configured, monkeypatch, 1 << 40)


def test_a_part_read_by_month_has_its_sums_and_no_rows(tmp_path: Path) -> None:
    """Its monthly sums are the split of the day-and-campaign rows' (same bits); its rows refuse,
    and so does a review as of another day than the months were summed through."""
    from kpi_cli.metrics.dataset import Dataset
    from kpi_cli.metrics.formulas import Catalog

    path = write(tmp_path / "by.csv", rows())
    as_of = date(2026, 4, 10)
    export = monthly_read(path, as_of)
    by_day = read_export(path, unmapped_sums=False, dimensions=frozenset({"campaign"}))
    summed = Dataset.build(export.frame, Catalog({}), as_of, export.by_month)
    assert summed.values("campaign") == ["alpha", "beta", "gamma"]
    whole = Dataset.build(by_day.frame, Catalog({}), as_of).split("campaign")
    for name, part in summed.split("campaign").items():
        pd.testing.assert_frame_equal(part.sums("month"), whole[name].sums("month"), check_exact=True)
        with pytest.raises(RuntimeError, match="summed by month"):
            part.frame  # noqa: B018 (reading it is the test)
    assert summed.matching({"channel": "x"}).by_month is None
    with pytest.raises(RuntimeError, match="as-of"):
        Dataset.build(export.frame, Catalog({}), date(2026, 4, 11), export.by_month)


def test_a_typed_metric_with_a_grouped_cell_later_is_read_by_day_and_campaign(tmp_path: Path) -> None:
    """The first rows showed plain numbers, so the scan typed the column; a `1,234` further down
    fails that cast and the file is read by day and campaign, as a read without months reads it."""
    frame = rows().astype({"cost": object})
    frame.loc[400, "cost"] = "1,234"
    path = write(tmp_path / "by.csv", frame)
    export = monthly_read(path)
    assert export.by_month is None
    plain = read_export(path, unmapped_sums=False, dimensions=frozenset({"campaign"}))
    pd.testing.assert_frame_equal(export.frame, plain.frame)
    assert export.frame["cost"].sum() == pandas_read(path)["cost"].sum()


def test_a_summary_word_in_a_value_after_the_review_day_is_still_looked_at(tmp_path: Path) -> None:
    """The months after `through` are summed apart (and dropped), not left out of the scan: the
    values there are listed for the summary check like every other (`Subtotal` in May)."""
    frame = pd.concat(
        [rows(), pd.DataFrame([("2026-05-02", "Subtotal", 1, 1, 1)], columns=["date", "campaign", *METRICS])]
    )
    path = write(tmp_path / "by.csv", frame)
    export = monthly_read(path, date(2026, 4, 30))
    assert export.by_month is None
    plain = read_export(path, unmapped_sums=False, dimensions=frozenset({"campaign"}))
    pd.testing.assert_frame_equal(export.frame, plain.frame)
    # A dated row is data whatever its campaign says (non_data_checks): looked at, and kept.
    assert export.skipped == plain.skipped == []
    assert "Subtotal" in set(export.frame["campaign"].dropna())
