"""The review at the terminal: rich tables. Every string from config or data goes in as Text, never markup."""

from __future__ import annotations

import math

import pandas as pd
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpi_cli.assess import FunnelView, KgiView, KpiView
from kpi_cli.findings import Finding
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView
from kpi_cli.numbers import measure, number, percent, rate, signed_percent
from kpi_cli.review import Review

STATUS_STYLE = {
    "on_track": "green",
    "met": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "missed": "red",
    "no_data": "dim",
    "pass": "green",
    "warn": "yellow",
    "fail": "red",
    "info": "cyan",
}
BARS = "▁▂▃▄▅▆▇█"
Cell = Text | str
_LONGEST_WORD = 10  # wider would push a 100-column terminal's last columns off screen


def grid(title: str, headers: list[str], rows: list[list[Cell]], numeric: set[str], wrap: set[str]) -> Table:
    """A table whose numbers are never cut: only the columns named in `wrap` give way to a narrow terminal."""
    table = Table(
        title=Text(title, overflow="fold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    for index, header in enumerate(headers):
        cells = [str(row[index]) for row in rows]
        if header in wrap:  # wraps between words; on a very narrow terminal long words fold, never vanish
            width = min(max([len(w) for c in cells for w in c.split()] + [len(header)]), _LONGEST_WORD)
        else:
            width = max([len(c) for c in cells] + [len(header)])
        table.add_column(
            header,
            justify="right" if header in numeric else "left",
            no_wrap=header not in wrap,
            min_width=width,
        )
    for row in rows:
        table.add_row(
            *(_folding(cell) if header in wrap else cell for cell, header in zip(row, headers, strict=True))
        )
    return table


def _folding(cell: Cell) -> Cell:
    """Text keeps its own overflow over the column's: make it fold rather than end in an ellipsis."""
    if isinstance(cell, Text):
        cell.overflow = "fold"
    return cell


def styled(value: str) -> Text:
    return Text(value.replace("_", " "), style=STATUS_STYLE.get(value, ""))


def sparkline(values: pd.Series, width: int = 6) -> str:
    """Recent periods as bars scaled between their own min and max; a gap where nothing was measured."""
    recent = [float(v) for v in values.tail(width)]
    known = [v for v in recent if not math.isnan(v)]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    return "".join(" " if math.isnan(v) else BARS[int((v - low) / span * (len(BARS) - 1))] for v in recent)


def render_review(review: Review, console: Console) -> None:
    console.print(_header(review))
    console.print(_kgi_table(review.kgi))
    console.print(_kpi_table(review.kpis, with_trend=console.width >= _TREND_FROM_WIDTH))
    if review.funnel is not None:
        console.print(_funnel_table(review.funnel))
        if review.funnel.cohort is not None:
            console.print(_cohort_table(review.funnel.cohort))
    console.print(findings_table(review.findings))


def _header(review: Review) -> Panel:
    month = periods.label(review.month)
    running = f", in progress ({percent(periods.elapsed_fraction(review.month, review.as_of))} elapsed)"
    line = Text.assemble(
        Text(review.config.name, style="bold"),
        "\n",
        f"period {month}{running if review.in_progress else ''} · as of {review.as_of} · status ",
        styled(review.status),
    )
    return Panel(line, title="kpi review", expand=False)


def _kgi_table(view: KgiView) -> Table:
    """Label and value, one per line: the goal's name can be long and the numbers must stay whole."""
    p = view.progress
    rows: list[list[Cell]] = [
        ["goal", Text(view.kgi.name)],
        [
            "actual / target",
            f"{number(p.actual)} / {number(view.kgi.target)} ({percent(view.share_of_target)})",
        ],
        ["expected by now", f"{number(p.expected)} ({percent(p.ratio)} of it reached)"],
        ["status", styled(p.status)],
        ["owner", Text(view.kgi.owner or "-")],
        ["period", f"{view.kgi.start} to {view.kgi.deadline}"],
    ]
    table = grid("KGI", ["", "value"], rows, numeric=set(), wrap={"value"})
    table.show_header = False
    return table


_TREND_FROM_WIDTH = 100  # below that the sparkline gives its room to the numbers


def _kpi_table(views: list[KpiView], with_trend: bool = True) -> Table:
    """The segment column appears only when some KPI is read per segment."""
    headers = [
        "KPI",
        "segment",
        "period",
        "actual",
        "target",
        "expected",
        "status",
        "trend",
        "owner",
        "review",
    ]
    rows = [_kpi_row(view) for view in views]
    dropped = {"segment"} if all(v.segment is None for v in views) else set()
    dropped |= set() if with_trend else {"trend"}
    keep = [i for i, header in enumerate(headers) if header not in dropped]
    table = grid(
        "KPIs"
        + (" (* period in progress: judged pro rata)" if any(v.progress.in_progress for v in views) else ""),
        [headers[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        numeric={"actual", "target", "expected", "review"},
        wrap={"KPI", "owner", "status"},
    )
    return table


def _kpi_row(view: KpiView) -> list[Cell]:
    p, kpi = view.progress, view.kpi
    name = Text(("★ " if kpi.primary else "") + kpi.label)
    period = view.period_label + ("*" if p.in_progress and not kpi.cumulative else "")
    days = view.days_to_review
    review_in = "-" if days is None else (f"{days} d" if days >= 0 else f"{-days} d ago")
    return [
        name,
        Text(view.segment or "all"),
        period,
        measure(p.actual, view.is_rate),
        measure(kpi.target, view.is_rate),
        measure(p.expected, view.is_rate),
        _status_cell(view),
        sparkline(view.history),
        Text(kpi.owner or "-"),
        review_in,
    ]


def _status_cell(view: KpiView) -> Text:
    """The computed status, then the owner's latest check-in, marked ≠ where they disagree."""
    text = styled(view.progress.status)
    if view.checkin is None:
        return text
    text.append(" · owner: ").append_text(styled(view.checkin.confidence))
    return text.append(" ≠", style="bold") if view.confidence_disagrees else text


def _funnel_table(funnel: FunnelView) -> Table:
    label = periods.label(funnel.period) + (" (in progress)" if funnel.in_progress else "")
    baseline = ", ".join(funnel.baseline_periods) or "none"
    headers = ["stage", "count", "conversion", "baseline", "vs baseline", "vs prev", ""]
    worst = funnel.bottleneck
    rows: list[list[Cell]] = [
        [
            Text(stage.name),
            number(stage.count),
            rate(stage.conversion),
            rate(stage.baseline_conversion),
            signed_percent(stage.conversion_change),
            signed_percent(stage.count_change),
            Text("◀ bottleneck", style="bold red") if stage is worst else Text(""),
        ]
        for stage in funnel.stages
    ]
    run_rate = "; vs prev compares this month's run rate" if funnel.in_progress else ""
    title = f"Funnel {label} · snapshot view · conversion vs baseline {baseline}{run_rate}"
    return grid(title, headers, rows, numeric=set(headers[1:6]), wrap={"stage", ""})


def _cohort_table(cohort: CohortView) -> Table:
    title = f"Funnel {periods.label(cohort.period)} · cohort view: the {cohort.size} contacts who became {cohort.entry_stage}"
    rows: list[list[Cell]] = [
        [Text(stage.name), number(stage.reached), rate(stage.conversion)] for stage in cohort.stages
    ]
    return grid(
        title, ["stage", "reached", "conversion"], rows, numeric={"reached", "conversion"}, wrap={"stage"}
    )


def findings_table(findings: list[Finding]) -> Table:
    rows: list[list[Cell]] = [
        [styled(f.severity.value), f.rule, Text(f.kpi or "-"), Text(f.segment or "-"), _finding_body(f)]
        for f in findings
    ]
    headers = ["severity", "rule", "KPI", "segment", "finding"]
    return grid(
        f"Findings ({len(findings)})", headers, rows, numeric=set(), wrap={"KPI", "segment", "finding"}
    )


def _finding_body(f: Finding) -> Text:
    body = Text(f.message)
    if f.action:
        body.append("\n→ " + f.action, style="dim")
    return body


def render_check(review: Review, console: Console) -> None:
    console.print(findings_table(review.findings))
    console.print(Text.assemble("status: ", styled(review.status), f" · as of {review.as_of}"))
