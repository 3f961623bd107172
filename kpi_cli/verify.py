"""Before any rule runs: every metric the config needs is a column of at least one source."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kpi_cli.config.loader import LoadedConfig
from kpi_cli.errors import DataError
from kpi_cli.ingest import SourceSpan, combine
from kpi_cli.sources.canonical import METRICS


def needed(loaded: LoadedConfig) -> Iterator[tuple[str, str]]:
    """(canonical column, what needs it) for the KGI, every KPI and every funnel stage."""
    config, catalog = loaded.config, loaded.catalog
    uses = [(config.kgi.metric, "the KGI")] + [(k.metric, f"KPI '{k.id}'") for k in config.kpis]
    uses += [(s.metric, f"funnel stage '{s.name}'") for s in (config.funnel.stages if config.funnel else [])]
    for metric, user in uses:
        for column in sorted(catalog.columns(metric)):
            yield column, user if column == metric else f"{user} (via {metric})"


def check_metrics_present(loaded: LoadedConfig, spans: list[SourceSpan]) -> None:
    available = set().union(*(span.metrics for span in spans))
    for column, user in needed(loaded):
        if column not in available:
            raise DataError(f"missing column '{column}' needed by {user}: {_describe(spans)}")


def _describe(spans: list[SourceSpan]) -> str:
    """Each file read and the canonical columns it gave, so the user sees where the column should be."""
    parts = []
    for span in spans:
        for export in span.exports:
            columns = [c for c in export.frame.columns if c != "date"]
            parts.append(f"{export.path} has {', '.join(columns) or 'no metric columns'}")
    return "; ".join(parts) or "no source files"


# Headers of ratios and averages: numeric, but never a flow to count, so no advice to map them.
_RATIO_WORDS = (
    "rate",
    "%",
    "ctr",
    "cpc",
    "cpm",
    "cpa",
    "roas",
    "cost per",
    "frequency",
    "average",
    "avg",
    "position",
    "duration",
    "単価",
    "率",
    "平均",
    "順位",
    "フリークエンシー",
)


def advice(spans: list[SourceSpan]) -> list[str]:
    """`validate`'s advice about the files: look-alike layouts and numeric columns left unread.

    "`Results` (68) is not read; map it with `columns: {leads: Results}`": a count in the file
    that no KPI can see is often the one the team meant to track.
    """
    lines = []
    for span in spans:
        lines += span.notes
        for export in span.exports:
            lines += [f"source '{span.config.name}': {warning}" for warning in export.warnings]
            for column in export.unmapped:
                if column.sum is None or column.sum == 0 or _is_ratio(column.header):
                    continue
                lines.append(
                    f"source '{span.config.name}': `{column.header}` ({_figure(column.sum)}) in "
                    f"{export.path.name} is not read; map it with "
                    f"`columns: {{{_suggested(column.header)}: {column.header}}}`"
                )
    return lines


def _is_ratio(header: str) -> bool:
    folded = header.casefold()
    return any(word in folded for word in _RATIO_WORDS)


def _suggested(header: str) -> str:
    """The canonical metric named as a word of the header (`Soft Bounces` → bounces), else METRIC."""
    words = header.casefold().replace("_", " ").split()
    named = [m for m in METRICS if " ".join(m.split("_")) in " ".join(words) and m.split("_")[0] in words]
    return max(named, key=len) if named else "METRIC"


def _figure(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def check_filters(loaded: LoadedConfig, spans: list[SourceSpan]) -> None:
    """Every `where:` value of a KPI or a funnel stage names a value the loaded data has (exact, as matching is).

    A typo (`social media` for `Social`) would leave the KPI with no rows: "no data" in the review
    while every check passed. The error lists the values that exist, the closest first.
    """
    data = combine(spans)
    config = loaded.config
    users = [(f"KPI '{kpi.id}'", kpi.where) for kpi in config.kpis]
    users += [(f"funnel stage '{s.name}'", s.where) for s in (config.funnel.stages if config.funnel else [])]
    for user, where in users:
        for dimension, wanted in where.items():
            if dimension == "source":  # checked against the configured sources (config/references.py)
                continue
            present = (
                sorted(str(v) for v in data[dimension].dropna().unique()) if dimension in data.columns else []
            )
            for value in [wanted] if isinstance(wanted, str) else wanted:
                if value not in present:
                    raise DataError(
                        f"{user}: where: {dimension} '{value}' matches no row; "
                        f"{_existing(dimension, value, present)}"
                    )


def _existing(dimension: str, value: str, present: list[str]) -> str:
    if not present:
        return f"no source gives a {dimension} (tag one with `{dimension}:` on the source)"
    ranked = sorted(
        present, key=lambda v: -difflib.SequenceMatcher(None, value.casefold(), v.casefold()).ratio()
    )
    shown = ", ".join(f"'{v}'" for v in ranked[:10]) + (", ..." if len(ranked) > 10 else "")
    return f"values in the data (closest first): {shown}"
