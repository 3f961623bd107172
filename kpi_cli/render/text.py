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
from kpi_cli.findings import Finding, Severity, Verdict
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView
from kpi_cli.numbers import measure, number, percent, rate, signed_percent
from kpi_cli.review import Review
from kpi_cli.status import Status

STATUS_STYLE: dict[str, str] = {
    Status.ON_TRACK: "green",
    Status.MET: "green",
    Status.AT_RISK: "yellow",
    Status.OFF_TRACK: "red",
    Status.MISSED: "red",
    Status.NO_DATA: "dim",
    Verdict.PASS: "green",
    Severity.WARN.value: "yellow",
    Severity.FAIL.value: "red",
    Severity.INFO.value: "cyan",
}
BARS = "▁▂▃▄▅▆▇█"
Cell = Text | str
_NARROWEST = 4  # a wrapping column never gets less than this


def grid(
    title: str, headers: list[str], rows: list[list[Cell]], numeric: set[str], wrap: set[str], width: int
) -> Table:
    """A table whose numbers are never cut: only the columns named in `wrap` give way to a narrow terminal.

    The wrapping columns share what the fixed ones leave of `width`, so the table never grows past
    the terminal (rich would crop it); words longer than their share fold onto the next line.
    """
    table = Table(
        title=Text(title, overflow="fold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    widths = _min_widths(headers, rows, wrap, width)
    for header, min_width in zip(headers, widths, strict=True):
        table.add_column(
            header,
            justify="right" if header in numeric else "left",
            no_wrap=header not in wrap,
            min_width=min_width,
        )
    for row in rows:
        table.add_row(
            *(_folding(cell) if header in wrap else cell for cell, header in zip(row, headers, strict=True))
        )
    return table


def _min_widths(headers: list[str], rows: list[list[Cell]], wrap: set[str], width: int) -> list[int]:
    cells = [[str(row[i]) for row in rows] for i in range(len(headers))]
    fixed = [max([len(c) for c in column] + [len(h)]) for h, column in zip(headers, cells, strict=True)]
    words = [
        max([len(w) for c in column for w in c.split()] + [len(h)])
        for h, column in zip(headers, cells, strict=True)
    ]
    spare = width - sum(f for f, h in zip(fixed, headers, strict=True) if h not in wrap) - 2 * len(headers)
    share = max(_NARROWEST, spare // max(1, len(wrap & set(headers))))
    return [min(w, share) if h in wrap else f for h, f, w in zip(headers, fixed, words, strict=True)]


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
    width = console.width
    console.print(_kgi_table(review.kgi, width))
    console.print(_kpi_table(review.kpis, width))
    if review.funnel is not None:
        console.print(_funnel_table(review.funnel, width))
        if review.funnel.cohort is not None:
            console.print(_cohort_table(review.funnel.cohort, width))
    console.print(findings_table(review.findings, width))


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


def _kgi_table(view: KgiView, width: int) -> Table:
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
    table = grid("KGI", ["", "value"], rows, numeric=set(), wrap={"value"}, width=width)
    table.show_header = False
    return table


_TREND_FROM_WIDTH = 100  # below that the sparkline gives its room to the numbers


def _kpi_table(views: list[KpiView], width: int) -> Table:
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
        "owner · review",
    ]
    rows = [_kpi_row(view) for view in views]
    dropped = {"segment"} if all(v.segment is None for v in views) else set()
    dropped |= set() if width >= _TREND_FROM_WIDTH else {"trend"}
    keep = [i for i, header in enumerate(headers) if header not in dropped]
    table = grid(
        "KPIs"
        + (" (* period in progress: judged pro rata)" if any(v.progress.in_progress for v in views) else ""),
        [headers[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        numeric={"actual", "target", "expected"},
        wrap={"KPI", "owner · review", "status"},
        width=width,
    )
    return table


def _kpi_row(view: KpiView) -> list[Cell]:
    p, kpi = view.progress, view.kpi
    name = Text(("★ " if kpi.primary else "") + kpi.label)
    period = view.period_label + ("*" if p.in_progress and not kpi.cumulative else "")
    days = view.days_to_review
    review = "" if days is None else (f" · review in {days} d" if days >= 0 else f" · review {-days} d ago")
    return [
        name,
        Text(view.segment or "all"),
        period,
        measure(p.actual, view.is_rate),
        measure(kpi.target, view.is_rate),
        measure(p.expected, view.is_rate),
        _status_cell(view),
        sparkline(view.history),
        Text((kpi.owner or "no owner") + review),
    ]


def _status_cell(view: KpiView) -> Text:
    """The computed status, then the owner's latest check-in, marked ≠ where they disagree."""
    text = styled(view.progress.status)
    if view.checkin is None:
        return text
    text.append(" · owner: ").append_text(styled(view.checkin.confidence))
    return text.append(" ≠", style="bold") if view.confidence_disagrees else text


def _funnel_table(funnel: FunnelView, width: int) -> Table:
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
    return grid(title, headers, rows, numeric=set(headers[1:6]), wrap={"stage", ""}, width=width)


def _cohort_table(cohort: CohortView, width: int) -> Table:
    title = f"Funnel {periods.label(cohort.period)} · cohort view: the {cohort.size} contacts who became {cohort.entry_stage}"
    rows: list[list[Cell]] = [
        [Text(stage.name), number(stage.reached), rate(stage.conversion)] for stage in cohort.stages
    ]
    return grid(
        title,
        ["stage", "reached", "conversion"],
        rows,
        numeric={"reached", "conversion"},
        wrap={"stage"},
        width=width,
    )


def findings_table(findings: list[Finding], width: int) -> Table:
    rows: list[list[Cell]] = [
        [styled(f.severity.value), f.rule, Text(f.kpi or "-"), Text(f.segment or "-"), _finding_body(f)]
        for f in findings
    ]
    headers = ["severity", "rule", "KPI", "segment", "finding"]
    return grid(
        f"Findings ({len(findings)})",
        headers,
        rows,
        numeric=set(),
        wrap={"KPI", "segment", "finding"},
        width=width,
    )


def _finding_body(f: Finding) -> Text:
    body = Text(f.message)
    if f.action:
        body.append("\n→ " + f.action, style="dim")
    return body


def render_check(review: Review, console: Console) -> None:
    console.print(findings_table(review.findings, console.width))
    console.print(Text.assemble("status: ", styled(review.status), f" · as of {review.as_of}"))
