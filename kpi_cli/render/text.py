"""The review at the terminal: rich tables. Every string from config or data goes in as Text, never markup."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console, Group
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
KPI_COLUMNS = (
    "KPI",
    "segment",
    "period",
    "actual",
    "target",
    "expected",
    "status",
    "owner says",
    "trend",
    "owner",
    "review in",
)
_NUMERIC = ("actual", "target", "expected", "review in")


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
    console.print(_kpi_table(review.kpis))
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
    p = view.progress
    table = Table(title="KGI", title_justify="left")
    for column in (
        "goal",
        "actual",
        "target",
        "expected by now",
        "% of expected",
        "% of target",
        "status",
        "owner",
        "deadline",
    ):
        table.add_column(
            column, justify="right" if column.startswith(("actual", "target", "exp", "%")) else "left"
        )
    table.add_row(
        Text(view.kgi.name),
        number(p.actual),
        number(view.kgi.target),
        number(p.expected),
        percent(p.ratio),
        percent(view.share_of_target),
        styled(p.status),
        Text(view.kgi.owner or "-"),
        str(view.kgi.deadline),
    )
    return table


def _kpi_table(views: list[KpiView]) -> Table:
    table = Table(title="KPIs", title_justify="left")
    for column in KPI_COLUMNS:
        table.add_column(column, justify="right" if column in _NUMERIC else "left")
    for view in views:
        table.add_row(*_kpi_row(view))
    return table


def _kpi_row(view: KpiView) -> list[Text | str]:
    p, kpi = view.progress, view.kpi
    name = Text(("★ " if kpi.primary else "") + kpi.label)
    period = view.period_label + (" (in progress)" if p.in_progress and not kpi.cumulative else "")
    days = view.days_to_review
    review_in = "-" if days is None else (f"{days} d" if days >= 0 else f"{-days} d ago")
    return [
        name,
        Text(view.segment or "all"),
        period,
        measure(p.actual, view.is_rate),
        measure(kpi.target, view.is_rate),
        measure(p.expected, view.is_rate),
        styled(p.status),
        _confidence(view),
        sparkline(view.history),
        Text(kpi.owner or "-"),
        review_in,
    ]


def _confidence(view: KpiView) -> Text:
    """The owner's latest check-in next to the computed status, marked where they disagree."""
    if view.checkin is None:
        return Text("-")
    text = styled(view.checkin.confidence)
    return text.append(" ≠", style="bold") if view.confidence_disagrees else text


def _funnel_table(funnel: FunnelView) -> Table:
    label = periods.label(funnel.period) + (" (in progress)" if funnel.in_progress else "")
    baseline = ", ".join(funnel.baseline_periods) or "none"
    table = Table(title=f"Funnel {label} · snapshot view · baseline {baseline}", title_justify="left")
    change = "vs prev (run rate)" if funnel.in_progress else "vs prev"
    for column in ("stage", "count", "conversion", "baseline", "vs baseline", change, ""):
        table.add_column(column, justify="left" if column in ("stage", "") else "right")
    worst = funnel.bottleneck
    for stage in funnel.stages:
        mark = Text("◀ bottleneck", style="bold red") if stage is worst else Text("")
        table.add_row(
            Text(stage.name),
            number(stage.count),
            rate(stage.conversion),
            rate(stage.baseline_conversion),
            signed_percent(stage.conversion_change),
            signed_percent(stage.count_change),
            mark,
        )
    return table


def _cohort_table(cohort: CohortView) -> Table:
    title = f"Funnel {periods.label(cohort.period)} · cohort view: the {cohort.size} contacts who became {cohort.entry_stage}"
    table = Table(title=Text(title), title_justify="left")
    for column in ("stage", "reached", "conversion"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for stage in cohort.stages:
        table.add_row(Text(stage.name), number(stage.reached), rate(stage.conversion))
    return table


def findings_table(findings: list[Finding]) -> Table:
    table = Table(title=f"Findings ({len(findings)})", title_justify="left")
    for column in ("severity", "rule", "KPI", "segment", "finding"):
        table.add_column(column)
    for f in findings:
        body = Group(Text(f.message), Text("→ " + f.action, style="dim")) if f.action else Text(f.message)
        table.add_row(styled(f.severity.value), f.rule, Text(f.kpi or "-"), Text(f.segment or "-"), body)
    return table


def render_check(review: Review, console: Console) -> None:
    console.print(findings_table(review.findings))
    console.print(Text.assemble("status: ", styled(review.status), f" · as of {review.as_of}"))
