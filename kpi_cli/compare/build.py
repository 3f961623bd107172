"""A comparison from what the review reads: the canonical rows up to --as-of and each source's platform.

The platform behind each source is the one its export was detected as (or the `platform:` the
config names), so the engagement definition follows the files, not a second setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kpi_cli.compare.engagement import Basis
from kpi_cli.compare.table import Comparison, Figure, compare
from kpi_cli.ingest import SourceSpan
from kpi_cli.lazy_pandas import pd


def platforms_of(spans: list[SourceSpan]) -> dict[str, str]:
    """Source name -> the platform of its exports (the first file's, since a source is one kind)."""
    return {span.config.name: span.exports[0].platform for span in spans if span.exports}


def until(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Rows dated after --as-of are left out, as everywhere else in kpi."""
    if frame.empty or "date" not in frame.columns:
        return frame
    kept: pd.DataFrame = frame[frame["date"] <= pd.Timestamp(as_of)]
    return kept


def has_dimension(frame: pd.DataFrame, dimension: str) -> bool:
    return dimension in frame.columns and bool(frame[dimension].notna().any())


def default_figure(frame: pd.DataFrame) -> Figure:
    """Cost per conversion where the rows carry cost; else engagement rate (organic accounts)."""
    return Figure.CPA if "cost" in frame.columns and frame["cost"].notna().any() else Figure.ENGAGEMENT_RATE


def build(
    frame: pd.DataFrame,
    platforms: Mapping[str, str],
    dimension: str,
    period: pd.Period,
    as_of: date,
    figure: Figure | None = None,
    basis: Basis | None = None,
) -> Comparison:
    rows = until(frame, as_of)
    return compare(rows, dimension, period, figure or default_figure(rows), platforms, basis=basis)
