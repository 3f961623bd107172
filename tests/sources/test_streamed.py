"""The row-by-row reader in blocks of rows (streamed.py) gives what the whole read gives (issue 7).

Each file is read twice through `read_export`: whole (streaming off) and in blocks of a few rows
(streaming on at any size), and everything an Export carries is compared, frame dtypes included.
The files put what spans blocks across a block boundary: a quoted line break, blank lines, an
undated row, summary rows, Results indicators that first appear in a later block, dates whose
format only a later block decides. Expected values that do not come from the whole read are
worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kpi_cli.errors import DataError
from kpi_cli.sources import Export, read_export, streamed
from kpi_cli.sources.canonical import METRICS
from tests.sources.conftest import FIXTURES


def _whole(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> Export:
    with monkeypatch.context() as patch:
        patch.setattr(streamed, "wanted", lambda path: False)
        return read_export(path, **options)  # type: ignore[arg-type]


def _in_blocks(
    path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, **options: object
) -> tuple[Export, bool]:
    """The export read in blocks of `rows`, and whether the blocks were what it came from."""
    taken: list[bool] = []
    real = streamed.read

    def spy(*args: object, **kwargs: object) -> streamed.Streamed | None:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(found is not None)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(streamed, "MIN_BYTES", 0)
        patch.setattr(streamed, "ROWS_PER_BLOCK", rows)
        patch.setattr(streamed, "read", spy)
        export = read_export(path, **options)  # type: ignore[arg-type]
    return export, taken == [True]


def _assert_same(whole: Export, blocks: Export) -> None:
    pd.testing.assert_frame_equal(whole.frame, blocks.frame, check_dtype=True, check_exact=True)
    assert whole.skipped == blocks.skipped
    assert whole.unread == blocks.unread
    assert whole.unmapped == blocks.unmapped
    assert whole.columns == blocks.columns
    assert (whole.data_rows, whole.platform, whole.encoding, whole.delimiter) == (
        blocks.data_rows,
        blocks.platform,
        blocks.encoding,
        blocks.delimiter,
    )
    assert whole.warnings == blocks.warnings


META = (
    "Reporting starts,Reporting ends,Campaign name,Ad set name,Impressions,Amount spent (JPY),"
    "Leads,Results,Result indicator,Frequency\n"
)


def _meta_results(path: Path) -> None:
    """Line 2 is Meta's summary row (no campaign, no ad set); lines 3-12 are data rows.

    Link clicks first appear on line 9 and the unknown `actions:video_view` on line 11, so with
    blocks of 3 rows the first blocks have no `link_clicks` column of their own.
    """
    rows = [
        "2026-10-01,2026-10-31,,,9999,99999,99,99,actions:lead,2.0",
        *(
            f"2026-10-0{d},2026-10-0{d},Camp {d % 2},Set 1,{100 * d},{10 * d},{d},{d},actions:lead,1.5"
            for d in range(1, 7)
        ),
        "2026-10-07,2026-10-07,Camp 1,Set 1,700,70,,7,actions:link_click,1.5",
        "2026-10-08,2026-10-08,Camp 1,Set 1,800,80,,8,offsite_conversion.fb_pixel_purchase,1.5",
        "2026-10-09,2026-10-09,Camp 1,Set 2,900,90,,9,actions:video_view,1.5",
        '2026-10-09,2026-10-09,Camp 2,Set 2,"1,000","¥1,200",,0,actions:link_click,1.5',
    ]
    path.write_text(META + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 100])
def test_meta_results_in_blocks_is_the_whole_read(tmp_path, monkeypatch, rows):
    path = tmp_path / "meta.csv"
    _meta_results(path)
    whole = _whole(path, monkeypatch, unmapped_sums=True)
    blocks, taken = _in_blocks(path, monkeypatch, rows, unmapped_sums=True)
    assert taken
    _assert_same(whole, blocks)
    # By hand: 10 data rows; leads 1..6 from `Leads` (Results of lead not added again: 6 unread
    # lines 3-8), link_clicks 7 (line 9) and 0 (line 12), conversions 8, video_view 9 unread.
    assert blocks.data_rows == 10
    assert blocks.frame["link_clicks"].sum() == 7
    assert blocks.frame["conversions"].sum() == 8
    assert blocks.frame["cost"].sum() == 10 * 21 + 70 + 80 + 90 + 1200
    assert [s.line for s in blocks.unread] == [3, 4, 5, 6, 7, 8, 11]
    assert [s.line for s in blocks.skipped] == [2]
    # Frequency is unmapped: 9 x 1.5 + 1.5 over the data rows (the summary row's 2.0 left out).
    assert {u.header: u.sum for u in blocks.unmapped}["Frequency"] == 15.0


def _plain_with_breaks(path: Path) -> None:
    """Quoted line breaks, blank lines, a comment, an undated row and a `Total` row.

    Physical lines: 1 header; 2 data; 3-4 one record (a campaign name over two lines); 5 blank;
    6 data; 7 comment; 8 undated (clicks 5); 9-11 one record (three lines); 12 data; 13 Total.
    """
    path.write_text(
        "date,campaign,impressions,clicks,cost\n"
        "2026-10-01,a,10,1,¥100\n"
        '2026-10-01,"b\nb",20,2,"¥1,000"\n'
        "\n"
        "2026-10-02,a,30,3,300\n"
        "# a comment\n"
        ",a,40,5,400\n"
        '2026-10-03,"c\nc\nc",50,5,500\n'
        "2026-10-03,a,60,6,600\n"
        "Total,,210,22,2900\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("rows", [1, 2, 3, 5, 100])
def test_line_numbers_and_skipped_rows_carry_across_blocks(tmp_path, monkeypatch, rows):
    path = tmp_path / "plain.csv"
    _plain_with_breaks(path)
    whole = _whole(path, monkeypatch, platform="generic", unmapped_sums=True)
    blocks, taken = _in_blocks(path, monkeypatch, rows, platform="generic", unmapped_sums=True)
    assert taken
    _assert_same(whole, blocks)
    assert [(s.line, s.reason.split(" ")[0]) for s in blocks.skipped] == [
        (5, "blank"),
        (7, "comment"),
        (8, "no"),
        (13, "summary"),
    ]
    assert blocks.frame["cost"].tolist() == [100.0, 1000.0, 300.0, 500.0, 600.0]
    assert blocks.frame["campaign"].tolist() == ["a", "b\nb", "a", "c\nc\nc", "a"]


def test_the_date_format_is_decided_by_the_whole_column_not_the_first_block(tmp_path, monkeypatch):
    """`03/10/2026` is March 10 month-first; line 4's `25/10/2026` only reads day-first, so the
    column is day-first and line 2 is October 3 (the first block alone would say March 10)."""
    path = tmp_path / "days.csv"
    path.write_text(
        "date,campaign,impressions\n03/10/2026,a,1\n04/10/2026,a,2\n25/10/2026,a,3\n", encoding="utf-8"
    )
    whole = _whole(path, monkeypatch, platform="generic")
    blocks, taken = _in_blocks(path, monkeypatch, 1, platform="generic")
    assert taken
    _assert_same(whole, blocks)
    assert blocks.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-03", "2026-10-04", "2026-10-25"]


def test_a_dimension_missing_in_every_row_of_a_block_keeps_the_whole_reads_dtype(tmp_path, monkeypatch):
    """pandas types a column of missing labels as object and one with names as `str`: the blocks
    are joined before the column is typed, as the whole read types it."""
    path = tmp_path / "dims.csv"
    path.write_text(
        "date,campaign,impressions\n2026-10-01,,1\n2026-10-02,,2\n2026-10-03,x,3\n", encoding="utf-8"
    )
    whole = _whole(path, monkeypatch, platform="generic")
    blocks, taken = _in_blocks(path, monkeypatch, 2, platform="generic")
    assert taken
    _assert_same(whole, blocks)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # The bad cell on line 4 is in the first block, but the whole read parses the body before
        # it reads a cell: the extra fields on line 6 are named, as they always were.
        (
            "2026-10-01,a,1\n2026-10-02,a,2\n2026-10-03,a,x\n2026-10-04,a,4\n2026-10-05,a,5,9,9\n",
            ":6: 5 fields where",
        ),
        # a negative count in a later block than a bad date: the whole read checks dates first
        ("2026-10-01,a,-1\n2026-10-02,a,2\n2026-10-03,a,3\nnot a date,a,4\n", ":5:1: column 'date'"),
        ('2026-10-01,a,1\n2026-10-02,"a,2\n', ":3: a quoted field opens on this line and is never closed"),
    ],
)
def test_errors_name_the_cell_the_whole_read_names(tmp_path, monkeypatch, body, message):
    path = tmp_path / "bad.csv"
    path.write_text("date,campaign,impressions\n" + body, encoding="utf-8")
    with pytest.raises(DataError) as whole:
        _whole(path, monkeypatch, platform="generic")
    with pytest.raises(DataError) as blocks:
        _in_blocks(path, monkeypatch, 1, platform="generic")
    assert str(blocks.value) == str(whole.value)
    assert f"{path}{message}" in str(blocks.value)


HUBSPOT = FIXTURES / "hubspot" / "all-contacts.csv"


@pytest.mark.parametrize("rows", [1, 2, 100])
def test_a_contacts_export_in_blocks_makes_the_whole_reads_stage_events(monkeypatch, rows):
    """HubSpot: each stage date reached is one event (a CRM's contacts export is the 200 MB file
    of the kind). By hand from the fixture: leads 5 (contacts 101-104, 106), MQL 3 (101, 103, 104),
    SQL 2 and opportunity 2 (101, 104), customer 1 (101): 13 events, stage by stage in file order;
    contact 105 (line 6) reached only `Subscriber`, which no metric reads: skipped."""
    whole = _whole(HUBSPOT, monkeypatch)
    blocks, taken = _in_blocks(HUBSPOT, monkeypatch, rows)
    assert taken
    _assert_same(whole, blocks)
    stages = [c for c in blocks.frame.columns if c in METRICS]
    assert len(stages) == 5
    assert blocks.frame[stages].sum().tolist() == [5.0, 3.0, 2.0, 2.0, 1.0]
    assert (blocks.frame[stages].sum(axis=1) == 1.0).all()  # one stage per event, 0 in the others
    assert [(s.line, s.reason) for s in blocks.skipped] == [(6, "reached none of the mapped stages")]


@pytest.mark.parametrize("rows", [1, 4])
def test_a_review_gets_a_contacts_export_summed_by_day_and_channel(monkeypatch, rows):
    """The events summed to the columnar grain (day x channel, `Original Source`): the whole read's
    events grouped the same way. By hand: 4 leads in October (Oct 1, 3, 4, 8), 1 in September."""
    whole = _whole(HUBSPOT, monkeypatch)
    blocks, taken = _in_blocks(HUBSPOT, monkeypatch, rows, dimensions=("channel",))
    assert taken and blocks.aggregated
    stages = [c for c in whole.frame.columns if c in METRICS]
    expected = (
        whole.frame.groupby(["date", "channel"], dropna=False, sort=True)[stages]
        .sum(min_count=1)
        .reset_index()
    )
    expected["channel"] = expected["channel"].astype("string").to_numpy()
    pd.testing.assert_frame_equal(blocks.frame, expected, check_exact=True)
    leads = blocks.frame.groupby(blocks.frame["date"].dt.month)[stages[0]].sum()
    assert leads.to_dict() == {9: 1.0, 10: 4.0}
    assert (blocks.rows, blocks.data_rows) == (whole.rows, whole.data_rows) == (13, 6)
    assert whole.skipped == blocks.skipped


def test_only_large_text_files_are_streamed(tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("date,impressions\n2026-10-01,1\n", encoding="utf-8")
    assert not streamed.wanted(small)
    assert not streamed.wanted(tmp_path / "missing.csv")
    large = tmp_path / "large.xlsx"
    large.write_bytes(b"\0" * 16)
    assert not streamed.wanted(large)


def test_unread_columns_with_a_non_number_in_a_later_block_have_no_sum(tmp_path, monkeypatch):
    path = tmp_path / "notes.csv"
    path.write_text(
        "date,impressions,note,extra\n2026-10-01,1,5,1.25\n2026-10-02,2,6,2.5\n2026-10-03,3,n/a,\n2026-10-04,4,text,4\n",
        encoding="utf-8",
    )
    whole = _whole(path, monkeypatch, platform="generic", unmapped_sums=True)
    blocks, taken = _in_blocks(path, monkeypatch, 2, platform="generic", unmapped_sums=True)
    assert taken
    _assert_same(whole, blocks)
    sums = {u.header: u.sum for u in blocks.unmapped}
    assert sums == {"note": None, "extra": 7.75}  # 1.25 + 2.5 + 4; `text` is not a number
    assert np.isclose(blocks.frame["impressions"].sum(), 10)


@pytest.mark.parametrize("rows", [1, 3, 100])
def test_a_review_gets_each_block_summed_by_day_and_its_dimensions(tmp_path, monkeypatch, rows):
    """With `dimensions` (a review) the blocks are summed as they are read, to the columnar path's
    grain: the same sums as the whole read's rows grouped by day x campaign (and account, which
    the compare rule always reads; this file has none). `Ad set` is not a dimension kpi groups by."""
    path = tmp_path / "meta.csv"
    _meta_results(path)
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, rows, dimensions=("campaign",))
    assert taken
    assert blocks.aggregated
    metrics = [c for c in whole.frame.columns if c not in ("date", "date_end", "campaign")]
    expected = (
        whole.frame.groupby(["date", "date_end", "campaign"], dropna=False, sort=True)[metrics]
        .sum(min_count=1)
        .reset_index()
    )
    expected["campaign"] = expected["campaign"].astype("string").to_numpy()
    pd.testing.assert_frame_equal(blocks.frame, expected, check_exact=True)
    # By hand: Oct 9 holds two rows, Camp 1 (video_view: 9 unread) and Camp 2 (link_clicks 0).
    october_9 = blocks.frame[blocks.frame["date"] == "2026-10-09"]
    assert october_9["impressions"].tolist() == [900.0, 1000.0]
    assert whole.skipped == blocks.skipped and whole.unread == blocks.unread
    assert whole.data_rows == blocks.data_rows == 10


def test_an_aggregate_with_undated_rows_counts_the_rows_the_whole_read_counts(monkeypatch):
    """YouTube's content export: line 5 has no publish time, so 3 data rows give 2 canonical rows."""
    path = FIXTURES / "youtube" / "Content 2026-10-01_2026-10-31.csv"
    whole = _whole(path, monkeypatch)
    blocks, taken = _in_blocks(path, monkeypatch, 2, dimensions=("campaign",))
    assert taken and blocks.aggregated
    assert (blocks.rows, blocks.data_rows) == (whole.rows, whole.data_rows) == (2, 3)
    assert whole.skipped == blocks.skipped
