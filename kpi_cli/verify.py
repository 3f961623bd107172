"""Before any rule runs: every metric the config needs is a column of at least one source."""

from __future__ import annotations

from collections.abc import Iterator

from kpi_cli.config.loader import LoadedConfig
from kpi_cli.errors import DataError
from kpi_cli.ingest import SourceSpan


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
