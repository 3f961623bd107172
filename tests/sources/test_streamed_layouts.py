"""The three layouts the blocks used to hand back to the whole read (issue 7), read in blocks.

- Running totals (LINE's friends report): differenced in date order over every row, once the
  blocks are joined, as frame._dated_rows does; one row per data row, even for a review.
- Dates without a year (TikTok's overview): whether the column is `Month day`, and the year, are
  decided on the file's distinct dates; the cells are parsed by value.
- Reports of totals without a date column (GA4, Google Ads): each block gets period.py's two
  range columns.
Each is compared with the whole read at block sizes from 1 up (tests/sources/test_streamed.py's
`_assert_same`), and the figures are worked out by hand in the comments.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kpi_cli.errors import DataError
from tests.sources.conftest import FIXTURES
from tests.sources.test_streamed import _assert_same, _in_blocks, _whole
from tests.sources.test_streamed_errors import _both_fail


def _friends(tmp_path):
    """LINE's friends report, newest day first as the download writes it (`日付`, running totals).
    Net friends (total - blocks): 10-01 99, 10-02 103, 10-03 108, 10-04 107."""
    path = tmp_path / "friends.csv"
    text = "日付,総友だち数,ターゲットリーチ,ブロック数\n20261004,110,90,3\n20261003,110,88,2\n"
    text += "20261001,100,80,1\n20261002,104,82,1\n"
    path.write_bytes(text.encode("cp932"))
    return path


@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_running_totals_are_differenced_in_date_order_over_every_block(tmp_path, monkeypatch, rows):
    path = _friends(tmp_path)
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, rows)
    assert taken
    _assert_same(whole, blocks)
    # By hand, in file order (10-04, 10-03, 10-01, 10-02): -1, +5, not measured (the first day), +4.
    assert blocks.frame["followers"].fillna(-99).tolist() == [-1.0, 5.0, -99.0, 4.0]


@pytest.mark.parametrize("rows", [1, 3])
def test_a_review_of_running_totals_is_summed_once_they_are_differenced(tmp_path, monkeypatch, rows):
    """A review's aggregate (day x campaign): the whole read's differenced rows summed so. A block's
    sum of running totals would be differenced wrongly, so the blocks are joined first."""
    path = _friends(tmp_path)
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, rows, dimensions=("campaign",))
    assert taken and blocks.aggregated
    expected = (
        whole.frame.groupby(["date"], dropna=False, sort=True)[["followers"]].sum(min_count=1).reset_index()
    )
    pd.testing.assert_frame_equal(blocks.frame, expected, check_exact=True)
    # By hand, by day: 10-01 not measured, 10-02 +4, 10-03 +5, 10-04 -1.
    assert blocks.frame["followers"].fillna(-99).tolist() == [-99.0, 4.0, 5.0, -1.0]
    assert (blocks.rows, blocks.data_rows) == (whole.rows, whole.data_rows) == (4, 4)


def _overview(tmp_path, name, dates):
    """tests/sources/profiles/test_tiktok.py's overview layout (GUESS there: from memory of TikTok
    Studio's download), one row a day, views 10 x the row's number."""
    path = tmp_path / name
    rows = "".join(f'"{day}","{10 * n}","2","3","1","1"\n' for n, day in enumerate(dates, 1))
    path.write_text('"Date","Video Views","Profile Views","Likes","Comments","Shares"\n' + rows)
    return path


@pytest.mark.parametrize("rows", [1, 2, 5, 100])
def test_dates_without_a_year_in_blocks(tmp_path, monkeypatch, rows):
    """The year from the file name; `Oct. 3` is the short month spelling; line 5 is empty (undated)."""
    dates = ["September 30", "October 1", "Oct. 3", "", "October 2", "September 30"]
    path = _overview(tmp_path, "Overview_2026.csv", dates)
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, rows)
    assert taken
    _assert_same(whole, blocks)
    days = blocks.frame["date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2026-09-30", "2026-10-01", "2026-10-03", "2026-10-02", "2026-09-30"]
    assert [s.line for s in blocks.skipped] == [5]


def test_the_year_of_the_source(tmp_path, monkeypatch):
    path = _overview(tmp_path, "Overview.csv", ["October 1", "October 2"])
    whole = _whole(path, monkeypatch, year=2025)
    blocks, taken = _in_blocks(path, monkeypatch, 1, year=2025)
    assert taken
    _assert_same(whole, blocks)
    assert blocks.frame["date"].dt.year.tolist() == [2025, 2025]


def test_a_content_export_of_the_same_profile_keeps_its_dated_cells(monkeypatch):
    """TikTok's content export has full dates: the same profile, read as any dated column."""
    path = FIXTURES / "tiktok" / "content.csv"
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, 1)
    assert taken
    _assert_same(whole, blocks)


@pytest.mark.parametrize(
    ("name", "dates", "message"),
    [
        # No year anywhere: the example is the first filled cell (line 3; line 2 is empty).
        (
            "Overview.csv",
            ["", "October 1", "October 2"],
            "column 'Date' has dates without a year ('October 1') and the year is missing",
        ),
        # `Octobre 9` is `Month day` but no month: the first such cell in file order is line 3's
        # (sorted, the distinct values would put `Octobre 5` first).
        (
            "Overview_2026.csv",
            ["October 1", "Octobre 9", "Octobre 5", "Octobre 9"],
            "cannot read 'Octobre 9'",
        ),
    ],
)
@pytest.mark.parametrize("rows", [1, 2, 100])
def test_errors_of_dates_without_a_year_are_the_whole_reads(
    tmp_path, monkeypatch, name, dates, message, rows
):
    path = _overview(tmp_path, name, dates)
    whole, blocks = _both_fail(path, monkeypatch, rows)
    assert whole == blocks
    assert blocks.startswith(f"{path}: ") and message in blocks


GA4 = FIXTURES / "ga4" / "traffic_acquisition_period_total.csv"


@pytest.mark.parametrize("rows", [1, 2, 100])
def test_a_report_of_totals_gets_its_range_on_every_block(tmp_path, monkeypatch, rows):
    """GA4's period total (`# Start date: 20261001`, `# End date: 20261031`): a `Grand total` row,
    then one row per channel, each dated 2026-10-01 to 2026-10-31."""
    path = tmp_path / GA4.name
    shutil.copy(GA4, path)
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, rows)
    assert taken
    _assert_same(whole, blocks)
    assert set(blocks.frame["date"].dt.strftime("%Y-%m-%d")) == {"2026-10-01"}
    assert set(blocks.frame["date_end"].dt.strftime("%Y-%m-%d")) == {"2026-10-31"}


@pytest.mark.parametrize("rows", [1, 3])
def test_a_review_of_a_report_of_totals_is_summed_by_its_range_and_channel(monkeypatch, rows):
    whole = _whole(GA4, monkeypatch)
    blocks, taken = _in_blocks(GA4, monkeypatch, rows, dimensions=("channel",))
    assert taken and blocks.aggregated
    metrics = [c for c in whole.frame.columns if c not in ("date", "date_end", "channel")]
    expected = whole.frame.groupby(["date", "date_end", "channel"], dropna=False)[metrics].sum(min_count=1)
    summed = blocks.frame.set_index(["date", "date_end", "channel"])[metrics]
    assert summed.sort_index().to_dict() == expected.sort_index().to_dict()
    assert blocks.rows == whole.rows


def test_a_report_of_totals_whose_file_and_source_disagree_is_refused_as_before(tmp_path, monkeypatch):
    from kpi_cli.sources.period import from_source

    path = tmp_path / GA4.name
    shutil.copy(GA4, path)
    with pytest.raises(DataError) as whole:
        _whole(path, monkeypatch, totals_range=from_source("2026-09", None, None))
    with pytest.raises(DataError) as blocks:
        _in_blocks(path, monkeypatch, 1, totals_range=from_source("2026-09", None, None))
    assert str(blocks.value) == str(whole.value)


def test_running_totals_summed_by_day_and_campaign(tmp_path, monkeypatch):
    """Two series in one file (`タイトル` is LINE's campaign): differenced over the whole file in
    date order, as the whole read does, then summed by day x campaign. By hand, net totals
    (total - blocks) in date order: 10-01 a 99, 10-01 b 50, 10-02 a 103, 10-02 b 52: changes
    (stable sort by date) NaN, -49, +53, -51."""
    path = tmp_path / "friends.csv"
    text = "日付,タイトル,総友だち数,ターゲットリーチ,ブロック数\n20261002,a,104,90,1\n20261001,a,100,80,1\n"
    text += "20261002,b,52,40,0\n20261001,b,50,30,0\n"
    path.write_bytes(text.encode("cp932"))
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, 1, dimensions=("campaign",))
    assert taken and blocks.aggregated
    expected = (
        whole.frame.groupby(["date", "campaign"], dropna=False, sort=True)[["followers"]]
        .sum(min_count=1)
        .reset_index()
    )
    expected["campaign"] = expected["campaign"].astype("string").to_numpy()
    pd.testing.assert_frame_equal(blocks.frame, expected, check_exact=True)
    assert blocks.frame["followers"].fillna(-99).tolist() == [-99.0, -49.0, 53.0, -51.0]
