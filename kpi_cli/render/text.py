"""The review at the terminal: rich tables. Every string from config or data goes in as Text, never markup."""

from __future__ import annotations

import math

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpi_cli.assess import FunnelView, KgiView, KpiView
from kpi_cli.findings import Finding, Severity, Verdict
from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.metrics.cohort import CohortView
from kpi_cli.render.fit import Fit
from kpi_cli.render.grid import Cell, grid
from kpi_cli.review import Review
from kpi_cli.status import Status
from kpi_cli.untrusted import one_line

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


def styled(value: str, lang: Lang = Lang.EN) -> Text:
    """A status, severity or verdict in the reader's language, coloured by what it means."""
    return Text(term(_TERM_KEY.get(value, f"status.{value}"), lang), style=STATUS_STYLE.get(value, ""))


_TERM_KEY = {
    **{s.value: f"severity.{s.value}" for s in Severity},
    Verdict.PASS.value: "verdict.pass",
}


ESTIMATE_MARK = "≈"  # before a figure built on prorated rows (`split: prorata`); legend under the table


def estimated(text: str, share: float | None) -> str:
    """The figure marked when it rests on prorated rows (kpi_cli.metrics.estimates)."""
    return text if share is None else ESTIMATE_MARK + text


PARTIAL_MARK = "┊"  # stands before the bar of a period still running, which is not comparable


def sparkline(values: pd.Series, width: int = 6, running: bool = False) -> Text:
    """Recent periods as bars scaled between their own min and max; a gap where nothing was measured.

    With `running`, the last bar is a period still in progress: its partial number would read as a
    collapse, so it is drawn apart, after a dotted rule and dimmed, and the table's title says so.
    """
    recent = [float(v) for v in values.tail(width)]
    known = [v for v in recent if not math.isnan(v)]
    if not known:
        return Text("")
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    bars = "".join(" " if math.isnan(v) else BARS[int((v - low) / span * (len(BARS) - 1))] for v in recent)
    if not running or len(bars) < 2:
        return Text(bars)
    return Text.assemble(bars[:-1], (PARTIAL_MARK + bars[-1], "dim"))


def render_review(review: Review, console: Console, lang: Lang = Lang.EN, by: str | None = None) -> None:
    console.print(_header(review, lang))
    width = console.width
    console.print(_kgi_table(review.kgi, width, lang))
    if by is None:
        console.print(_kpi_table(review.kpis, width, lang))
    else:  # --by: the KPIs overall, then one table of the dimension's values by KPI
        from kpi_cli.render.by_table import by_table

        console.print(_kpi_table([v for v in review.kpis if v.segment is None], width, lang))
        console.print(by_table(review.kpis, by, lang))
    if review.funnel is not None:
        console.print(_funnel_table(review.funnel, review.bottleneck, width, lang))
        if review.funnel.cohort is not None:
            console.print(_cohort_table(review.funnel.cohort, width, lang))
    console.print(findings_table(review.findings, width, lang))


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def _header(review: Review, lang: Lang) -> Panel:
    elapsed = periods.elapsed_fraction(review.month, review.as_of)
    key = "ui.header.running" if review.in_progress else "ui.header"
    line = Text.assemble(
        Text(review.config.name, style="bold"),
        "\n",
        _w(
            key,
            lang,
            month=periods.label(review.month),
            elapsed=Quantity(elapsed, Unit.PERCENT),
            as_of=review.as_of,
        ),
        styled(review.status, lang),
    )
    return Panel(line, title=term("ui.title.review", lang), expand=False)


def _kgi_table(view: KgiView, width: int, lang: Lang) -> Table:
    """Label and value, one per line: the goal's name can be long and the numbers must stay whole."""
    p = view.progress
    rows: list[list[Cell]] = [
        [term("ui.kgi.goal", lang), Text(view.kgi.name)],
        [
            term("ui.kgi.actual_target", lang),
            _w(
                "ui.kgi.actual_target.value",
                lang,
                actual=p.actual if view.estimated is None else estimated(fmt.number(p.actual, lang), 0.0),
                target=view.kgi.target,
                share=Quantity(view.share_of_target, Unit.PERCENT),
            ),
        ],
        [
            term("ui.kgi.expected", lang),
            _w("ui.kgi.expected.value", lang, expected=p.expected, reached=Quantity(p.ratio, Unit.PERCENT)),
        ],
        [term("ui.col.status", lang), styled(p.status, lang)],
        [term("ui.kgi.owner", lang), Text(view.kgi.owner or "-")],
        [
            term("ui.col.period", lang),
            _w("ui.kgi.span", lang, start=view.kgi.start, deadline=view.kgi.deadline),
        ],
    ]
    table = grid("KGI", ["", "value"], rows, numeric=set(), wrap={"value": Fit.PROSE}, width=width, lang=lang)
    table.show_header = False
    _legend(table, view.estimated is not None, lang)
    return table


def _legend(table: Table, shown: bool, lang: Lang) -> None:
    """What ≈ means, under a table that shows it."""
    if shown:
        table.caption = Text(term("estimated.legend", lang), overflow="fold")
        table.caption_justify = "left"


_TREND_FROM_WIDTH = 100  # below that the sparkline gives its room to the numbers


def _kpi_table(views: list[KpiView], width: int, lang: Lang) -> Table:
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
    rows = [_kpi_row(view, lang) for view in views]
    dropped = {"segment"} if all(v.segment is None for v in views) else set()
    dropped |= set() if width >= _TREND_FROM_WIDTH else {"trend"}
    keep = [i for i, header in enumerate(headers) if header not in dropped]
    running = any(v.progress.in_progress for v in views)
    table = grid(
        term(_kpi_title(running, width >= _TREND_FROM_WIDTH), lang),
        [headers[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        numeric={"actual", "target", "expected"},
        wrap={"KPI": Fit.NAME, "owner · review": Fit.NAME, "status": Fit.NAME},
        width=width,
        lang=lang,
    )
    _legend(table, any(v.estimated is not None for v in views), lang)
    return table


def _kpi_title(running: bool, with_trend: bool) -> str:
    if not running:
        return "ui.title.kpis"
    return "ui.title.kpis.running.trend" if with_trend else "ui.title.kpis.running"


def _kpi_row(view: KpiView, lang: Lang) -> list[Cell]:
    p, kpi = view.progress, view.kpi
    name = Text(("★ " if kpi.primary else "") + kpi.label)
    label = term("cumulative", lang) if kpi.cumulative else view.period_label
    period = label + ("*" if p.in_progress and not kpi.cumulative else "")
    days = view.days_to_review
    review = ""
    if days is not None:
        review = _w("ui.review_in" if days >= 0 else "ui.review_ago", lang, days=abs(days))
    return [
        name,
        Text(view.segment or term("ui.all", lang)),
        period,
        estimated(fmt.quantity(Quantity.measure(p.actual, view.is_rate), lang), view.estimated),
        fmt.quantity(Quantity.measure(kpi.target, view.is_rate), lang),
        fmt.quantity(Quantity.measure(p.expected, view.is_rate), lang),
        _status_cell(view, lang),
        sparkline(view.history, running=p.in_progress and not kpi.cumulative),
        Text((kpi.owner or term("no_owner_set", lang)) + review),
    ]


def _status_cell(view: KpiView, lang: Lang) -> Text:
    """The computed status, then the owner's latest check-in, marked ≠ where they disagree."""
    text = styled(view.progress.status, lang)
    if view.checkin is None:
        return text
    text.append(term("ui.owner_says", lang)).append_text(styled(view.checkin.confidence, lang))
    return text.append(" ≠", style="bold") if view.confidence_disagrees else text


def _funnel_table(funnel: FunnelView, worst: str | None, width: int, lang: Lang) -> Table:
    label = periods.label(funnel.period)
    baseline = funnel.baseline_periods or term("ui.none", lang)
    headers = ["stage", "count", "conversion", "baseline", "vs baseline", "vs prev", ""]
    rows: list[list[Cell]] = [
        [
            Text(stage.name),
            estimated(fmt.number(stage.count, lang), stage.estimated),
            fmt.rate(stage.conversion, lang),
            fmt.rate(stage.baseline_conversion, lang),
            fmt.signed_percent(stage.conversion_change, lang),
            fmt.signed_percent(stage.count_change, lang),
            Text(term("ui.bottleneck", lang), style="bold red") if stage.name == worst else Text(""),
        ]
        for stage in funnel.stages
    ]
    key = "ui.title.funnel.running" if funnel.in_progress else "ui.title.funnel"
    title = _w(key, lang, period=label, baseline=baseline)
    table = grid(
        title,
        headers,
        rows,
        numeric=set(headers[1:6]),
        wrap={"stage": Fit.NAME, "": Fit.PROSE},
        width=width,
        lang=lang,
    )
    _legend(table, any(s.estimated is not None for s in funnel.stages), lang)
    return table


def _cohort_table(cohort: CohortView, width: int, lang: Lang) -> Table:
    title = _w(
        "ui.title.cohort",
        lang,
        period=periods.label(cohort.period),
        size=cohort.size,
        stage=cohort.entry_stage,
    )
    rows: list[list[Cell]] = [
        [Text(stage.name), fmt.number(stage.reached, lang), fmt.rate(stage.conversion, lang)]
        for stage in cohort.stages
    ]
    return grid(
        title,
        ["stage", "reached", "conversion"],
        rows,
        numeric={"reached", "conversion"},
        wrap={"stage": Fit.NAME},
        width=width,
        lang=lang,
    )


def findings_table(findings: list[Finding], width: int, lang: Lang = Lang.EN) -> Table:
    rows: list[list[Cell]] = [
        [
            styled(f.severity.value, lang),
            f.rule,
            Text(f.kpi or "-"),
            Text(f.segment or "-"),
            _finding_body(f, lang),
        ]
        for f in findings
    ]
    headers = ["severity", "rule", "KPI", "segment", "finding"]
    return grid(
        _w("ui.title.findings", lang, count=len(findings)),
        headers,
        rows,
        numeric=set(),
        wrap={"KPI": Fit.NAME, "segment": Fit.NAME, "finding": Fit.PROSE},
        width=width,
        lang=lang,
    )


def _finding_body(f: Finding, lang: Lang) -> Text:
    body = Text()
    if f.state is not None:  # against the previous run (kpi_cli.runs): new or ongoing
        body.append(_w(f"history.mark.{f.state.value}", lang) + " ", style="bold" if f.state == "new" else "")
    body.append(f.describe(lang))
    action = f.action_in(lang)
    if action:
        body.append("\n→ " + action, style="dim")
    return body


def render_check(review: Review, console: Console, lang: Lang = Lang.EN, config_name: str = "") -> None:
    """The KGI and KPI tables first (what is being judged), then the findings, then where it came from."""
    width = console.width
    console.print(_kgi_table(review.kgi, width, lang))
    console.print(_kpi_table(review.kpis, width, lang))
    console.print(findings_table(review.findings, width, lang))
    console.print(Text(footer(review, lang, config_name or review.config.name)), soft_wrap=True)


def footer(review: Review, lang: Lang, config: str) -> str:
    return _w("ui.footer", lang, config=config, period=periods.label(review.month), as_of=review.as_of)


def render_compact(review: Review, console: Console, lang: Lang = Lang.EN) -> None:
    """One line per finding, grep-able in cron mail: `severity code kpi[/segment]: message → action`."""
    for f in review.findings:
        subject = (f.kpi or "-") + (f"/{f.segment}" if f.segment else "")
        action = f.action_in(lang)
        state = f"[{f.state.value}] " if f.state is not None else ""  # grep-able in any language
        line = f"{f.severity.value} {f.code} {subject}: {state}{f.describe(lang)}" + (
            f" → {action}" if action else ""
        )
        console.file.write(one_line(line) + "\n")
