"""Rich tables for `kpi inspect` and `kpi platforms`.

Every string that comes from a file (headers, reasons quoting values, paths) is escaped: a header
such as `[bold]` must print as written, not restyle the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kpi_cli.untrusted import clean


def _safe(value: object) -> str:
    """Text from a file for rich: control characters and bidi overrides gone, markup escaped."""
    return escape(clean(str(value)))


def render_inspect(report: Mapping[str, object], console: Console) -> None:
    console.print(_overview(report))
    console.print(_mapping(report))
    skipped = report.get("skipped")
    if isinstance(skipped, list) and skipped:
        console.print(_skipped(skipped))
    unmapped = report.get("unmapped")
    if isinstance(unmapped, list) and unmapped:
        console.print("Unmapped columns: " + _safe(", ".join(map(_unmapped, unmapped))))
    warnings = report.get("warnings")
    for warning in warnings if isinstance(warnings, list) else []:
        console.print("[yellow]warning:[/yellow] " + _safe(warning))
    unread = report.get("unread")
    if isinstance(unread, list) and unread:
        console.print(_skipped(unread, title="Figures not read"))


def _overview(report: Mapping[str, object]) -> Table:
    table = Table(title=_safe(report.get("file", "")), show_header=False, title_justify="left")
    table.add_column("", style="bold")
    table.add_column("")
    date_range = report.get("date_range")
    span = " to ".join(map(str, date_range)) if isinstance(date_range, list) else "none"
    delimiter = {"\t": "tab", "": "(workbook)"}.get(
        str(report.get("delimiter")), str(report.get("delimiter"))
    )
    for label, value in (
        ("platform", report.get("platform")),
        ("encoding", report.get("encoding")),
        ("delimiter", delimiter),
        ("rows", report.get("rows")),
        ("dates", span),
    ):
        table.add_row(label, _safe(value))
    return table


def _mapping(report: Mapping[str, object]) -> Table:
    columns = report.get("columns")
    metrics = report.get("metrics")
    columns = columns if isinstance(columns, dict) else {}
    metrics = metrics if isinstance(metrics, dict) else {}
    table = Table(title="Columns", title_justify="left")
    table.add_column("canonical")
    table.add_column("header in the file")
    table.add_column("sum", justify="right")
    for canonical, header in columns.items():
        total = metrics.get(canonical, "") if canonical in metrics else ""
        table.add_row(_safe(canonical), _safe(header), _number(total))
    return table


def _number(value: object) -> str:
    if value is None:
        return "not measured"
    if isinstance(value, int | float):
        return f"{value:,}"
    return _safe(value)


def _unmapped(entry: object) -> str:
    """`Header (sum)` for a numeric column, `Header` otherwise (escaped by the caller)."""
    if not isinstance(entry, dict):
        return str(entry)
    total = entry.get("sum")
    return (
        f"{entry.get('header')} ({total:,})" if isinstance(total, int | float) else str(entry.get("header"))
    )


def _skipped(skipped: Sequence[object], title: str = "Skipped lines") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("line", justify="right")
    table.add_column("reason")
    for entry in skipped:
        if isinstance(entry, dict):
            table.add_row(str(entry.get("line")), _safe(entry.get("reason")))
    return table


def render_platforms(rows: Sequence[Mapping[str, object]], console: Console) -> None:
    table = Table(title="Platforms", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("what it reads")
    table.add_column("maps")
    table.add_column("detected by")
    for row in rows:
        maps = row.get("maps")
        mapped = ", ".join(maps) if isinstance(maps, dict) else ""
        table.add_row(*(_safe(v) for v in (row.get("name"), row.get("title"), mapped, row.get("detect"))))
    console.print(table)
