"""Property: for any export the reader accepts, each mapped metric's sum equals the sum over the
file's data rows, and every line of the file is either the header, a counted row or a `skipped`
entry (nothing vanishes without a reason).

Files are generated in the layouts of the fixtures (Google Ads by day and as totals of a range,
Meta Ads, YouTube, GA4 totals of a range, Meta Business Suite per-metric files) with data rows, the platform's summary rows in English and Japanese, blank lines and,
for YouTube, rows without a date. The expected sums are computed from the generated rows, not
by the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.sources import read_export


@dataclass(frozen=True)
class Layout:
    header: str
    name: str  # the name column's values come from here; "" is never generated for data rows
    metrics: tuple[str | None, ...]  # canonical names of the numeric columns, in order (None: unread)
    summaries: tuple[str, ...]  # whole summary lines, figures replaced by the sums
    row: str = "{day},{name},{figures}"
    preamble: tuple[str, ...] = ()  # lines above the header
    # The range every row totals when the file has no date column (stated in the preamble).
    totals: tuple[str, str] | None = None


LAYOUTS = {
    "google_ads": Layout(
        "Day,Campaign,Impr.,Clicks,Cost",
        "campaign",
        ("impressions", "clicks", "cost"),
        ("Total: Account,,{0},{1},{2}", "合計: アカウント,,{0},{1},{2}", "Total: Search,,{0},{1},{2}"),
    ),
    "meta_ads": Layout(
        "Day,Ad set name,Impressions,Link clicks,Amount spent (JPY)",
        "ad set",
        ("impressions", "link_clicks", "cost"),
        ("{day},,{0},{1},{2}",),
    ),
    "youtube": Layout(
        "Date,Views,Watch time (hours),Subscribers",
        "",
        ("video_views", "followers"),
        ("Total,{0},1.0,{1}",),
    ),
    # Reports of totals without a date column (sources/period.py), layouts as in
    # tests/sources/test_period_reports.py.
    "google_ads totals": Layout(
        "Campaign,Impr.,Clicks,Cost",
        "campaign",
        ("impressions", "clicks", "cost"),
        ("Total: Account,{0},{1},{2}", "合計: アカウント,{0},{1},{2}"),
        row="{name},{figures}",
        preamble=("Campaign report", '"October 1, 2026 - October 31, 2026"'),
        totals=("2026-10-01", "2026-10-31"),
    ),
    "ga4 totals": Layout(
        "Session primary channel group (Default channel group),Sessions,Key events,Total revenue",
        "channel",
        (None, "conversions", "revenue"),
        ("Grand total,{0},{1},{2}",),
        row="{name},{figures}",
        preamble=(
            "# ----------------------------------------",
            "# Start date: 20261001",
            "# End date: 20261031",
        ),
        totals=("2026-10-01", "2026-10-31"),
    ),
    # One metric per file, named by the title line (sources/titled.py).
    "meta_insights": Layout(
        '"Date","Primary"',
        "",
        ("followers",),
        (),
        row='"{day}T00:00:00","{figures}"',
        preamble=("sep=,", '"Instagram follows"'),
    ),
}

START = date(2026, 10, 1)


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, str, dict[str, int], int]:
    """(layout, file text, expected sums, lines) for one generated export."""
    platform = draw(st.sampled_from(sorted(LAYOUTS)))
    layout = LAYOUTS[platform]
    figures = st.integers(min_value=0, max_value=100_000)
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, 30), st.lists(figures, min_size=3, max_size=3)), min_size=1, max_size=12
        )
    )
    undated = (
        draw(st.lists(st.lists(figures, min_size=3, max_size=3), max_size=2)) if platform == "youtube" else []
    )
    lines, sums = [], {m: 0 for m in layout.metrics if m is not None}
    for offset, values in rows:
        day = (START + timedelta(days=offset)).isoformat()
        cells = values[: len(layout.metrics)]
        for metric, value in zip(layout.metrics, cells, strict=True):
            if metric is not None:
                sums[metric] += value
        if platform == "youtube":
            lines.append(f"{day},{cells[0]},2.5,{cells[1]}")
        else:
            name = f"{layout.name} {offset % 3}"
            lines.append(layout.row.format(day=day, name=name, figures=",".join(map(str, cells))))
    for values in undated:  # a video without a publish time: a data row, never counted as dated
        lines.append(f",{values[0]},0.5,{values[1]}")
    totals = [sum(values[i] for _, values in rows) for i in range(len(layout.metrics))]
    for summary in draw(st.lists(st.sampled_from(layout.summaries), max_size=2)) if layout.summaries else []:
        position = draw(st.integers(0, len(lines)))
        lines.insert(position, summary.format(*totals, day=START.isoformat()))
    if draw(st.booleans()):  # anywhere, right under the header included
        lines.insert(draw(st.integers(0, len(lines))), "")
    text = "\n".join([*layout.preamble, layout.header, *lines]) + "\n"
    return platform, text, sums, len(layout.preamble) + 1 + len(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_sums_match_the_data_rows_and_every_line_is_accounted_for(case):
    platform, text, sums, line_count = case
    with TemporaryDirectory() as directory:
        path = Path(directory) / "export.csv"
        path.write_text(text, encoding="utf-8")
        export = read_export(path)
    layout = LAYOUTS[platform]
    assert export.platform == platform.split()[0]
    if layout.totals is not None:  # every row totals the range the preamble states
        ranges = set(zip(export.frame["date"].astype(str), export.frame["date_end"].astype(str), strict=True))
        assert ranges == {layout.totals}
    for metric, expected in sums.items():
        assert export.frame[metric].sum() == expected, metric
    # header + counted rows + skipped lines (the preamble's included) = every line of the file
    assert 1 + export.rows + len(export.skipped) == line_count
