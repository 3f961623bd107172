"""`kpi compare` in every format: one row per group, each rate with its interval, a total row.

Registered by `--format` name in `COMPARE_RENDERERS` (the same `Format` names as `kpi check`).
Group names come from the data: cleaned (`untrusted.one_line`), put in as rich Text, and
Markdown-escaped in the Markdown table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpi_cli.compare.intervals import Estimate
from kpi_cli.compare.table import MIN_EVENTS, MIN_TRIALS, NOT_SET, Comparison, Figure, Group
from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.jsonio import dumps
from kpi_cli.metrics import periods
from kpi_cli.render.format_names import Format
from kpi_cli.render.markdown import escape
from kpi_cli.untrusted import one_line

SCHEMA = "kpi-compare/1"
MONEY_RATIOS = (Figure.CPA, Figure.ROAS)


@dataclass(frozen=True)
class CompareReport:
    comparison: Comparison
    name: str  # the config's name
    as_of: date


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def _figure_value(figure: Figure, value: float | None, lang: Lang) -> str:
    return fmt.number(value, lang) if figure in MONEY_RATIOS else fmt.rate(value, lang)


def interval(figure: Figure, estimate: Estimate, lang: Lang) -> str:
    """`4.3% (3.9–4.7%)`; an end the data cannot bound is `…` (no conversion: no upper CPA)."""
    if estimate.value is None:
        return fmt.number(None, lang)

    def end(value: float | None) -> str:
        return "…" if value is None else _figure_value(figure, value, lang)

    return f"{_figure_value(figure, estimate.value, lang)} ({end(estimate.low)}–{end(estimate.high)})"


def _name(group: Group, lang: Lang) -> str:
    if group.name == "total":
        return term("compare.total", lang)
    return term("compare.not_set", lang) if group.name == NOT_SET else one_line(group.name)


def _rank(group: Group) -> str:
    return "†" if group.too_small else ("" if group.rank is None else str(group.rank))


def _volume(comparison: Comparison, group: Group) -> float | None:
    return group.impressions if comparison.engagement.basis.value == "impressions" else group.reach


def _cells(comparison: Comparison, group: Group, lang: Lang, total: bool = False) -> list[str]:

    def share(value: float | None) -> str:
        return "" if total else fmt.percent(value, lang)

    return [
        "" if total else _rank(group),
        "" if total or group.previous_rank is None else str(group.previous_rank),
        _name(group, lang),
        fmt.number(_volume(comparison, group), lang),
        fmt.number(group.followers, lang),
        *(interval(f, group.figures[f], lang) for f in Figure),
        fmt.number(group.cost, lang),
        share(group.cost_share),
        share(group.conversion_share),
    ]


COLUMNS = [
    "rank",
    "previous",
    "group",
    "volume",
    "followers",
    *Figure,
    "cost",
    "cost_share",
    "conversion_share",
]


def headers(comparison: Comparison, lang: Lang) -> list[str]:
    basis = term(f"compare.basis.{comparison.engagement.basis.value}", lang)
    return [_w(f"compare.col.{c}", lang, basis=basis) for c in COLUMNS]


def notes(report: CompareReport, lang: Lang) -> list[str]:
    c = report.comparison
    figure = term(f"compare.figure.{c.ranked_by.value}", lang)
    out = [
        _w("compare.ranked_by", lang, figure=figure, previous=periods.label(c.period - 1)),
        _w("compare.engagement", lang, definition=c.engagement.text),
    ]
    if any(g.too_small for g in c.groups):
        out.append(_w("compare.small", lang, trials=MIN_TRIALS, events=MIN_EVENTS))
    return out


def title(report: CompareReport, lang: Lang) -> str:
    c = report.comparison
    return _w(
        "compare.title",
        lang,
        name=one_line(report.name),
        dimension=term(f"compare.dimension.{c.dimension}", lang),
        period=periods.label(c.period),
        as_of=report.as_of,
    )


def render_text(report: CompareReport, lang: Lang, console: Console) -> None:
    """Three tables that each fit 80 columns: volume, the rates, then money (each with intervals).

    One table of thirteen columns folded every number into a column of digits at 80 columns.
    """
    c = report.comparison
    shown = headers(c, lang)
    rows = [_cells(c, g, lang) for g in c.groups]
    total = _cells(c, c.total, lang, total=True)
    volume, rates, money = [0, 1, 2, 3, 4, 11, 12], [0, 2, 5, 6, 7], [0, 2, 10, 8, 9]
    console.print(Text(title(report, lang), overflow="fold"))
    for picked in (volume, rates, money):
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        for i in picked:
            table.add_column(
                shown[i],
                justify="left" if i == 2 else "right",
                no_wrap=i != 2,
                min_width=12 if i == 2 else None,
                overflow="fold",
            )
        for row in rows:
            table.add_row(*(Text(_two_lines(row[i])) for i in picked))
        table.add_section()
        table.add_row(*(Text(_two_lines(total[i])) for i in picked), style="bold")
        console.print(table)
    for line in notes(report, lang):
        console.print(Text(line), soft_wrap=True)


def _two_lines(cell: str) -> str:
    """`4.3% (3.9–4.7%)` as the value over its interval, so a rate column stays narrow."""
    return cell.replace(" (", "\n(", 1) if cell.endswith(")") and " (" in cell else cell


def render_markdown(report: CompareReport, lang: Lang) -> str:
    c = report.comparison
    lines = [f"**{escape(title(report, lang))}**", ""]
    lines.append("| " + " | ".join(escape(h) for h in headers(c, lang)) + " |")
    lines.append("|" + "---|" * len(COLUMNS))
    rows = [_cells(c, g, lang) for g in c.groups] + [_cells(c, c.total, lang, total=True)]
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    lines += ["", *(f"- {escape(line)}" for line in notes(report, lang)), ""]
    return "\n".join(lines)


def _estimate(estimate: Estimate) -> dict[str, Any]:
    return {"value": estimate.value, "low": estimate.low, "high": estimate.high, "basis": estimate.basis}


def _group(group: Group) -> dict[str, Any]:
    return {
        "name": group.name,
        "rank": group.rank,
        "previous_rank": group.previous_rank,
        "too_small": group.too_small,
        "impressions": group.impressions,
        "reach": group.reach,
        "followers": group.followers,
        "cost": group.cost,
        "conversions": group.conversions,
        "cost_share": group.cost_share,
        "conversion_share": group.conversion_share,
        "figures": {str(f): _estimate(group.figures[f]) for f in Figure},
    }


def document(report: CompareReport, lang: Lang) -> dict[str, Any]:
    c = report.comparison
    total = _group(c.total)
    del total["rank"], total["previous_rank"], total["too_small"]
    return {
        "schema": SCHEMA,
        "lang": lang.value,
        "name": report.name,
        "as_of": report.as_of.isoformat(),
        "period": periods.label(c.period),
        "previous_period": periods.label(c.period - 1),
        "dimension": c.dimension,
        "ranked_by": str(c.ranked_by),
        "confidence": 0.95,
        "min_trials": MIN_TRIALS,
        "min_events": MIN_EVENTS,
        "engagement": {
            "basis": c.engagement.basis.value,
            "numerator": list(c.engagement.numerator),
            "definition": c.engagement.text,
        },
        "groups": [_group(g) for g in c.groups],
        "total": total,
    }


CompareRenderer = Callable[[CompareReport, Lang, Console], None]


def _text(report: CompareReport, lang: Lang, console: Console) -> None:
    render_text(report, lang, console)


def _json(report: CompareReport, lang: Lang, console: Console) -> None:
    console.file.write(dumps(document(report, lang)) + "\n")


def _markdown(report: CompareReport, lang: Lang, console: Console) -> None:
    console.file.write(render_markdown(report, lang))


COMPARE_RENDERERS: dict[Format, CompareRenderer] = {
    Format.TEXT: _text,
    Format.JSON: _json,
    Format.MARKDOWN: _markdown,
}
