"""Before any rule runs: every metric the config needs is a column of at least one source.

Errors and advice are worded by the catalogs (part `errors`), in the user's language; the English
text is the contract tests and users grep.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kpi_cli.config.loader import LoadedConfig
from kpi_cli.errors import DataError
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.ingest import SourceSpan, combine
from kpi_cli.sources.canonical import METRICS


def needed(loaded: LoadedConfig) -> Iterator[tuple[str, Wording]]:
    """(canonical column, what needs it) for the KGI, every KPI and every funnel stage."""
    config, catalog = loaded.config, loaded.catalog
    uses = [(config.kgi.metric, Wording("error.paced.kgi"))]
    uses += [(k.metric, Wording("error.paced.kpi", {"kpi": k.id})) for k in config.kpis]
    uses += [(s.metric, _stage(s.name)) for s in (config.funnel.stages if config.funnel else [])]
    for metric, user in uses:
        for column in sorted(catalog.columns(metric)):
            yield (
                column,
                user if column == metric else Wording("error.verify.via", {"user": user, "metric": metric}),
            )


def _stage(name: str) -> Wording:
    return Wording("error.verify.stage", {"stage": name})


def check_metrics_present(loaded: LoadedConfig, spans: list[SourceSpan]) -> None:
    available = set().union(*(span.metrics for span in spans))
    for column, user in needed(loaded):
        if column not in available:
            said = {"column": column, "user": user, "files": _describe(spans)}
            raise DataError.said("error.verify.missing_column", **said)


def _describe(spans: list[SourceSpan]) -> Wording:
    """Each file read and the canonical columns it gave, so the user sees where the column should be."""
    parts = []
    for span in spans:
        for export in span.exports:
            # Canonical names are identifiers: joined with ", " in either language, as written.
            columns = ", ".join(c for c in export.frame.columns if c != "date")
            if columns:
                parts.append(Wording("error.verify.file_has", {"path": str(export.path), "columns": columns}))
            else:
                parts.append(Wording("error.verify.file_has_none", {"path": str(export.path)}))
    if not parts:
        return Wording("error.verify.no_files")
    files = parts[0]
    for part in parts[1:]:  # "; " between files in English, as before; the language's own mark in Japanese
        files = Wording("error.verify.files", {"first": files, "next": part})
    return files


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


def advice(spans: list[SourceSpan], lang: Lang = Lang.EN) -> list[str]:
    """`validate`'s advice about the files: look-alike layouts and numeric columns left unread.

    "`Results` (68) is not read; map it with `columns: {leads: Results}`": a count in the file
    that no KPI can see is often the one the team meant to track.
    """
    lines = []
    for span in spans:
        lines += span.notes
        for export in span.exports:
            # The readers' warnings are still English sentences (issue 10's wording).
            warned = [
                Wording("advice.source", {"source": span.config.name, "problem": w}) for w in export.warnings
            ]
            lines += [render(w, lang) for w in warned]
            for column in export.unmapped:
                if column.sum is None or column.sum == 0 or _is_ratio(column.header):
                    continue
                said = {
                    "source": span.config.name,
                    "header": column.header,
                    "sum": _figure(column.sum),
                    "file": export.path.name,
                    "metric": _suggested(column.header),
                }
                lines.append(render(Wording("advice.unread_column", said), lang))
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
    users = [(Wording("error.paced.kpi", {"kpi": kpi.id}), kpi.where) for kpi in config.kpis]
    users += [(_stage(s.name), s.where) for s in (config.funnel.stages if config.funnel else [])]
    for user, where in users:
        for dimension, wanted in where.items():
            if dimension == "source":  # checked against the configured sources (config/references.py)
                continue
            present = (
                sorted(str(v) for v in data[dimension].dropna().unique()) if dimension in data.columns else []
            )
            for value in [wanted] if isinstance(wanted, str) else wanted:
                if value not in present:
                    said = {"user": user, "dimension": dimension, "value": value}
                    existing = _existing(dimension, value, present)
                    raise DataError.said("error.verify.no_row", **said, existing=existing)


def _existing(dimension: str, value: str, present: list[str]) -> Wording:
    if not present:
        return Wording("error.verify.no_dimension", {"dimension": dimension})
    ranked = sorted(
        present, key=lambda v: -difflib.SequenceMatcher(None, value.casefold(), v.casefold()).ratio()
    )
    # Values from the data, quoted and joined as they are (", " in either language, like a list in code).
    shown = ", ".join(f"'{v}'" for v in ranked[:10]) + (", ..." if len(ranked) > 10 else "")
    return Wording("error.verify.values", {"values": shown})
