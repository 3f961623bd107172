"""`kpi inspect FILE`: what kpi sees in an export, as the JSON contract of issue 3 (kpi-inspect/1).

`{"schema", "lang", "file", "platform", "encoding", "delimiter", "rows", "events", "columns", "metrics",
"date_range", "skipped", "unmapped", "unread", "warnings"}`; `rows` counts the data rows of the file
(summary, blank and preamble lines excluded; a HubSpot contact is one row), `events` the canonical
rows kpi counts from them (one per stage reached; none for a row without a date), and `metrics`
sums each canonical metric over those (null where nothing was measured).
`unmapped` lists the columns kpi does not read (`{"header", "sum"}`, the sum null unless every
filled cell is a number); `unread` lists figures of data rows left out, with why (a Meta result
indicator kpi does not know); `warnings` says when the file looks like another platform's export
than the one that read it.
"""

from __future__ import annotations

import math
from pathlib import Path

from kpi_cli.commands.choices import check_choice
from kpi_cli.commands.language import chosen_lang
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.jsonio import dumps
from kpi_cli.lazy_pandas import pd
from kpi_cli.render.console import emit
from kpi_cli.render.export_models import InspectReport, Line, UnmappedColumn
from kpi_cli.render.format_names import Format
from kpi_cli.render.inspect import render_inspect
from kpi_cli.sources import read_export
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.export import Export


def inspect_report(export: Export) -> InspectReport:
    frame = export.frame
    return InspectReport(
        file=str(export.path),
        platform=export.platform,
        encoding=export.encoding,
        delimiter=export.delimiter,
        rows=export.data_rows,
        events=export.rows,
        columns=dict(export.columns),
        metrics={m: _plain(frame[m].sum(min_count=1)) for m in METRICS if m in frame.columns},
        date_range=_date_range(frame),
        skipped=[Line(line=s.line, reason=s.reason) for s in export.skipped],
        unmapped=[UnmappedColumn(header=u.header, sum=_plain(u.sum)) for u in export.unmapped],
        unread=[Line(line=s.line, reason=s.reason) for s in export.unread],
        warnings=list(export.warnings),
    )


def describe(export: Export) -> dict[str, object]:
    """The report's fields as a plain dict (the CLI's JSON adds `schema` and `lang` before them)."""
    return inspect_report(export).model_dump(mode="json")


def _plain(total: float | None) -> int | float | None:
    """A JSON-friendly sum: an int when whole, None when not measured; float noise rounded off."""
    if total is None or math.isnan(total):
        return None
    rounded = round(float(total), 6)
    return int(rounded) if rounded.is_integer() else rounded


def _date_range(frame: pd.DataFrame) -> list[str] | None:
    if frame.empty or "date" not in frame.columns or frame["date"].isna().all():
        return None
    last = frame["date_end"] if "date_end" in frame.columns else frame["date"]  # a period total's last day
    return [frame["date"].min().strftime("%Y-%m-%d"), last.max().strftime("%Y-%m-%d")]


def run(path: Path, platform: str, fmt: Format, profiles: Path | None, lang: Lang | None = None) -> ExitCode:
    check_choice("--format", fmt, (Format.TEXT, Format.JSON))
    reader = chosen_lang(lang)
    # By day (`dimensions=set()`): a large file is then read by DuckDB (columnar.py), and the rows,
    # metric sums, date range and unread columns' sums shown are the same as from every row.
    export = read_export(path, platform=platform, profiles_dir=profiles or path.parent, dimensions=set())
    report = inspect_report(export)
    if fmt == Format.JSON:
        print(dumps(report.document(reader)))
    else:
        emit(lambda console: render_inspect(report, console, reader))
    return ExitCode.OK
