"""Coverage: the days of the reviewed period a source's rows cover, its gaps, a short source."""

from datetime import date

from kpi_cli.config.models import SourceConfig
from kpi_cli.coverage import coverage
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export


def _span(tmp_path, text, name="ads.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return SourceSpan(SourceConfig(name="ads", path=name), [read_export(path)])


def test_a_file_ending_on_the_10th_is_short_with_the_rest_of_the_month_a_gap(tmp_path):
    days = "".join(f"2026-10-{d:02d},A,10,1\n" for d in range(1, 11))
    result = coverage(
        _span(tmp_path, "Day,Campaign,Impr.,Cost\n" + days), date(2026, 10, 1), date(2026, 10, 31)
    )
    assert (result.covered, result.days, result.last, result.short) == (10, 31, date(2026, 10, 10), True)
    assert result.gaps == [(date(2026, 10, 11), date(2026, 10, 31))]


def test_missing_days_inside_the_period_are_gaps(tmp_path):
    # Days 1-3, 6 and 8-31 present: gaps 4-5 and 7 (worked out by hand).
    present = [1, 2, 3, 6, *range(8, 32)]
    days = "".join(f"2026-10-{d:02d},A,10,1\n" for d in present)
    result = coverage(
        _span(tmp_path, "Day,Campaign,Impr.,Cost\n" + days), date(2026, 10, 1), date(2026, 10, 31)
    )
    assert result.gaps == [(date(2026, 10, 4), date(2026, 10, 5)), (date(2026, 10, 7), date(2026, 10, 7))]
    assert (result.covered, result.short) == (28, False)


def test_a_period_total_row_covers_every_day_of_its_range(tmp_path):
    text = "Reporting starts,Reporting ends,Campaign name,Amount spent (JPY)\n2026-10-01,2026-10-31,A,100\n"
    result = coverage(_span(tmp_path, text), date(2026, 10, 1), date(2026, 10, 31))
    assert (result.covered, result.gaps, result.short) == (31, [], False)
