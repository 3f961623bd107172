"""Tables for `kpi inspect` and `kpi platforms`, in the reader's language, no wider than the terminal.

Every string that comes from a file (headers, reasons quoting values, paths) goes into rich as Text,
never markup, cleaned of control characters: a header such as `[bold]` prints as written.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.text import Text

from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.render.export_models import InspectReport, Line, PlatformList, UnmappedColumn
from kpi_cli.render.fit import Fit, fit_cell
from kpi_cli.render.grid import Cell, grid
from kpi_cli.untrusted import clean


def _safe(value: object) -> Text:
    """Text from a file for rich: control characters and bidi overrides gone, never markup."""
    return Text(clean(str(value)))


def _report(report: InspectReport | Mapping[str, object]) -> InspectReport:
    if isinstance(report, InspectReport):
        return report
    fields = {k: v for k, v in report.items() if k not in ("schema", "lang")}
    return InspectReport.model_validate(fields)


def render_inspect(
    report: InspectReport | Mapping[str, object], console: Console, lang: Lang = Lang.EN
) -> None:
    shown = _report(report)
    width = console.width
    # The path is a line of its own, never wrapped: as a table title it was folded mid-name when
    # the path was wider than the table (`meta_ads_campai` / `gns.csv`).
    console.print(Text(clean(shown.file)), soft_wrap=True)
    console.print(_overview(shown, width, lang))
    console.print(_mapping(shown, width, lang))
    if shown.skipped:
        console.print(_lines(shown.skipped, "inspect.title.skipped", width, lang))
    if shown.unmapped:
        columns = [_unmapped(u, lang) for u in shown.unmapped]
        said = render(Wording("inspect.unmapped", {"columns": columns}), lang)
        console.print(fit_cell(_safe(said), width, Fit.PROSE))
    for warning in shown.warnings:
        line = Text.assemble(Text(term("inspect.warning", lang), style="yellow"), _safe(warning))
        console.print(fit_cell(line, width, Fit.PROSE))
    if shown.unread:
        console.print(_lines(shown.unread, "inspect.title.unread", width, lang))


def _overview(report: InspectReport, width: int, lang: Lang) -> object:
    span = (
        render(
            Wording("inspect.dates.span", {"first": report.date_range[0], "last": report.date_range[1]}), lang
        )
        if report.date_range
        else term("ui.none", lang)
    )
    named = {"\t": "inspect.delimiter.tab", "": "inspect.delimiter.workbook"}.get(report.delimiter)
    delimiter = term(named, lang) if named else report.delimiter
    rows: list[list[Cell]] = [
        [term("inspect.row.platform", lang), _safe(report.platform)],
        [term("inspect.row.encoding", lang), _safe(report.encoding)],
        [term("inspect.row.delimiter", lang), _safe(delimiter)],
        [term("inspect.row.rows", lang), fmt.number(report.rows, lang)],
        [term("inspect.row.dates", lang), span],
    ]
    table = grid("", ["", "value"], rows, set(), {"value": Fit.PROSE}, width, lang)
    table.show_header = False
    return table


def _mapping(report: InspectReport, width: int, lang: Lang) -> object:
    rows: list[list[Cell]] = [
        [_safe(canonical), _safe(header), _sum(report.metrics, canonical, lang)]
        for canonical, header in report.columns.items()
    ]
    return grid(
        term("inspect.title.columns", lang),
        ["canonical", "header", "sum"],
        rows,
        numeric={"sum"},
        wrap={"header": Fit.NAME},
        width=width,
        lang=lang,
        key_prefix="inspect.col.",
    )


def _sum(metrics: Mapping[str, int | float | None], canonical: str, lang: Lang) -> str:
    if canonical not in metrics:
        return ""  # a dimension (date, campaign): nothing to sum
    total = metrics[canonical]
    return term("inspect.not_measured", lang) if total is None else _figure(total)


def _figure(value: int | float) -> str:
    """As the file has it, with thousands separators: a sum of cells, not a rounded KPI value."""
    return f"{value:,}"


def _unmapped(entry: UnmappedColumn, lang: Lang) -> str:
    """`Header (sum)` for a numeric column, `Header` otherwise."""
    if entry.sum is None:
        return entry.header
    return (
        f"{entry.header} ({_figure(entry.sum)})"
        if lang is Lang.EN
        else f"{entry.header}（{_figure(entry.sum)}）"
    )


def _lines(lines: list[Line], title: str, width: int, lang: Lang) -> object:
    rows: list[list[Cell]] = [[str(entry.line), _safe(entry.reason)] for entry in lines]
    return grid(
        term(title, lang),
        ["line", "reason"],
        rows,
        numeric={"line"},
        wrap={"reason": Fit.PROSE},
        width=width,
        lang=lang,
        key_prefix="inspect.col.",
    )


def render_platforms(
    listed: PlatformList | list[Mapping[str, object]], console: Console, lang: Lang = Lang.EN
) -> None:
    platforms = (
        listed.platforms
        if isinstance(listed, PlatformList)
        else PlatformList.model_validate({"platforms": listed}).platforms
    )
    rows: list[list[Cell]] = [
        [Text(p.name, style="bold"), _safe(p.title_shown), _safe(", ".join(p.maps)), _safe(p.detect)]
        for p in platforms
    ]
    console.print(
        grid(
            term("platforms.title", lang),
            ["name", "title", "maps", "detect"],
            rows,
            numeric=set(),
            wrap={"title": Fit.PROSE, "maps": Fit.PROSE, "detect": Fit.PROSE},
            width=console.width,
            lang=lang,
            key_prefix="platforms.col.",
        )
    )
