"""`kpi plan` out: a rich table for people, and the versioned JSON contract (schema kpi-plan/1) for scripts.

Every string from config or data goes into rich as Text, never markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.jsonio import dumps, safe
from kpi_cli.metrics import periods
from kpi_cli.plan import KgiPlan, KpiCheck, Plan, StagePlan
from kpi_cli.render.fit import Fit, fit_cell
from kpi_cli.render.grid import Cell, grid

SCHEMA = "kpi-plan/1"
STATE_STYLE = {"open": "yellow", "reached": "green", "deadline_passed": "red"}


def plan_json(plan: Plan, lang: Lang = Lang.EN) -> str:
    return dumps(plan_document(plan, lang))


def plan_document(plan: Plan, lang: Lang = Lang.EN) -> dict[str, Any]:
    """kpi-plan/1; `notes` are worded in `lang` (named by `lang`), their keys and values in `note_params`."""
    return {
        "schema": SCHEMA,
        "lang": lang.value,
        "name": plan.name,
        "as_of": plan.as_of.isoformat(),
        "kgi": _kgi(plan.kgi),
        "window": [periods.label(p) for p in plan.window],
        "window_months": plan.window_months,
        "conversions": "benchmarks" if plan.use_benchmarks else "observed",
        "stages": [_stage(s) for s in plan.stages],
        "notes": [render(note, lang) for note in plan.notes],
        "note_codes": [note.key for note in plan.notes],
    }


def _kgi(kgi: KgiPlan) -> dict[str, Any]:
    return {
        "name": kgi.name,
        "metric": kgi.metric,
        "target": safe(kgi.target),
        "actual": safe(kgi.actual),
        "remaining": safe(kgi.remaining),
        "remaining_months": safe(kgi.remaining_months),
        "value_per_unit": safe(kgi.value_per_unit),
        "anchor_stage": kgi.anchor,
        "needed_per_month": safe(kgi.needed_per_month),
        "actual_per_month": safe(kgi.actual_per_month),
        "run_rate": safe(kgi.run_rate),
        "deadline": kgi.deadline.isoformat(),
        "state": kgi.state,
    }


def _stage(stage: StagePlan) -> dict[str, Any]:
    return {
        "name": stage.name,
        "metric": stage.metric,
        "conversion": safe(stage.conversion),
        "conversion_source": stage.conversion_source,
        "observed_conversion": safe(stage.observed_conversion),
        "needed_per_month": safe(stage.needed_per_month),
        "actual_per_month": safe(stage.actual_per_month),
        "gap": safe(stage.gap),
        "gap_ratio": safe(stage.gap_ratio),
        "run_rate": safe(stage.run_rate),
        "kpi": _kpi(stage.kpi),
    }


def _kpi(check: KpiCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {"id": check.id, "target": safe(check.target), "consistent": check.consistent}


def render_plan_text(plan: Plan, console: Console, lang: Lang = Lang.EN) -> None:
    console.print(_header(plan, lang))
    width = console.width
    console.print(_kgi_table(plan.kgi, width, lang))
    console.print(_stage_table(plan, width, lang))
    if width < _KPI_COLUMN_FROM_WIDTH and any(stage.kpi is not None for stage in plan.stages):
        console.print(Text(term("plan.col.kpi", lang), style="bold"))
        for stage in plan.stages:
            if stage.kpi is not None:
                line = Text.assemble(Text(stage.name), " · ", _kpi_cell(stage.kpi, lang))
                console.print(fit_cell(line, width, Fit.PROSE))
    for note in plan.notes:
        line = Text.assemble(Text(term("plan.note", lang), style="yellow"), Text(render(note, lang)))
        console.print(fit_cell(line, width, Fit.PROSE))


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def _header(plan: Plan, lang: Lang) -> Panel:
    first, last = (periods.label(p) for p in plan.window)
    rates = term("plan.rates.benchmarks" if plan.use_benchmarks else "plan.rates.observed", lang)
    month = periods.period_of(plan.as_of, "month")
    elapsed = Quantity(periods.elapsed_fraction(month, plan.as_of), Unit.PERCENT)
    window = {"as_of": plan.as_of, "first": first, "last": last, "months": plan.window_months, "rates": rates}
    line = Text.assemble(
        Text(plan.name, style="bold"),
        "\n",
        _w("plan.header.window", lang, **window),
        "\n",
        _w("plan.header.run_rate", lang, month=periods.label(month), elapsed=elapsed),
    )
    return Panel(line, title=term("plan.title", lang), expand=False)


def _kgi_table(kgi: KgiPlan, width: int, lang: Lang) -> Table:
    """Label and value per line: the KGI is one record, and a wide one-row table wraps badly."""
    rows: list[list[Cell]] = [
        [term("ui.kgi.goal", lang), Text(_w("plan.kgi.goal.value", lang, name=kgi.name, metric=kgi.metric))],
        [
            term("ui.kgi.actual_target", lang),
            f"{fmt.number(kgi.actual, lang)} / {fmt.number(kgi.target, lang)}",
        ],
        [term("plan.kgi.remaining", lang), fmt.number(kgi.remaining, lang)],
        [
            term("plan.kgi.deadline", lang),
            _w("plan.kgi.deadline.value", lang, deadline=kgi.deadline, months=kgi.remaining_months),
        ],
        [
            term("plan.kgi.state", lang),
            Text(term(f"plan.state.{kgi.state}", lang), style=STATE_STYLE[kgi.state]),
        ],
        [term("plan.kgi.needed", lang), fmt.number(kgi.needed_per_month, lang)],
        [term("plan.kgi.actual", lang), fmt.number(kgi.actual_per_month, lang)],
        [term("plan.kgi.run_rate", lang), fmt.number(kgi.run_rate, lang)],
        [Text(_w("plan.kgi.value_per", lang, anchor=kgi.anchor)), fmt.number(kgi.value_per_unit, lang)],
    ]
    table = grid(
        "KGI",
        ["", "value"],
        rows,
        numeric=set(),
        wrap={"": Fit.NAME, "value": Fit.PROSE},
        width=width,
        lang=lang,
    )
    table.show_header = False
    return table


_STAGE_COLUMNS = ["stage", "conv", "need", "actual", "gap", "ratio", "run_rate", "kpi"]


# Below this width the KPI column was a strip of three-word lines beside seven numbers: the checks
# are printed under the table instead, one line per stage that has a KPI.
_KPI_COLUMN_FROM_WIDTH = 110


def _stage_table(plan: Plan, width: int, lang: Lang) -> Table:
    title = _w("plan.title.stages", lang, deadline=plan.kgi.deadline, anchor=plan.kgi.anchor)
    rows = [_stage_row(stage, lang) for stage in plan.stages]
    columns = _STAGE_COLUMNS if width >= _KPI_COLUMN_FROM_WIDTH else _STAGE_COLUMNS[:-1]
    # Numbers never wrap nor get cut: on a narrow terminal the stage and KPI columns give way.
    return grid(
        title,
        columns,
        [row[: len(columns)] for row in rows],
        numeric=set(_STAGE_COLUMNS[1:7]),
        wrap={"stage": Fit.NAME, "kpi": Fit.PROSE},
        width=width,
        lang=lang,
        key_prefix="plan.col.",
    )


def _stage_row(stage: StagePlan, lang: Lang) -> list[Cell]:
    ratio = fmt.number(None, lang) if stage.gap_ratio is None else f"×{stage.gap_ratio:.2f}"
    return [
        Text(stage.name),
        _conversion(stage, lang),
        fmt.number(stage.needed_per_month, lang),
        fmt.number(stage.actual_per_month, lang),
        _signed(stage.gap, lang),
        ratio,
        fmt.number(stage.run_rate, lang),
        _kpi_cell(stage.kpi, lang),
    ]


def _conversion(stage: StagePlan, lang: Lang) -> Text:
    if stage.conversion_source is None:
        return Text("-")
    shown = fmt.percent(stage.conversion, lang.value, 1)
    if stage.conversion_source == "planned":
        return Text(_w("plan.conversion.planned", lang, rate=shown), style="cyan")
    return Text(shown)


def _signed(value: float | None, lang: Lang) -> str:
    text = fmt.number(value, lang)
    return "+" + text if value is not None and value > 0 else text


def _kpi_cell(check: KpiCheck | None, lang: Lang) -> Text:
    if check is None:
        return Text("-", style="dim")
    said = {"kpi": check.id, "target": check.target}
    if check.consistent is None:
        return Text(_w("plan.kpi.unknown", lang, **said), style="dim")
    if check.consistent:
        return Text(_w("plan.kpi.covers", lang, **said), style="green")
    short = (check.needed or 0) - check.target
    return Text(_w("plan.kpi.short", lang, **said, short=short), style="red")
