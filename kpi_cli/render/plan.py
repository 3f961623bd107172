"""`kpi plan` out: a rich table for people, and the versioned JSON contract (schema kpi-plan/1) for scripts.

Every string from config or data goes into rich as Text, never markup.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kpi_cli.jsonio import dumps, safe
from kpi_cli.metrics import periods
from kpi_cli.numbers import number, percent
from kpi_cli.plan import KgiPlan, KpiCheck, Plan, StagePlan

SCHEMA = "kpi-plan/1"
STATE_STYLE = {"open": "yellow", "reached": "green", "deadline_passed": "red"}


def plan_json(plan: Plan) -> str:
    return dumps(plan_document(plan))


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "name": plan.name,
        "as_of": plan.as_of.isoformat(),
        "kgi": _kgi(plan.kgi),
        "window": [periods.label(p) for p in plan.window],
        "window_months": plan.window_months,
        "conversions": "benchmarks" if plan.use_benchmarks else "observed",
        "stages": [_stage(s) for s in plan.stages],
        "notes": list(plan.notes),
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


def render_plan_text(plan: Plan, console: Console) -> None:
    console.print(_header(plan))
    console.print(_kgi_table(plan.kgi))
    console.print(_stage_table(plan))
    for note in plan.notes:
        console.print(Text.assemble(Text("note: ", style="yellow"), Text(note)))


def _header(plan: Plan) -> Panel:
    first, last = (periods.label(p) for p in plan.window)
    rates = "benchmarks where set, else observed" if plan.use_benchmarks else "observed"
    month = periods.period_of(plan.as_of, "month")
    elapsed = percent(periods.elapsed_fraction(month, plan.as_of))
    line = Text.assemble(
        Text(plan.name, style="bold"),
        "\n",
        f"as of {plan.as_of} · window {first}..{last} ({plan.window_months} of them with data) "
        f"· conversions {rates}\n",
        f"actual / month: window average · run rate: {periods.label(month)} so far ({elapsed} elapsed) "
        "scaled to the month",
    )
    return Panel(line, title="kpi plan", expand=False)


def _kgi_table(kgi: KgiPlan) -> Table:
    """Label and value per line: the KGI is one record, and a wide one-row table wraps badly."""
    table = Table(title="KGI", title_justify="left", show_header=False)
    table.add_column("", style="dim")
    table.add_column("")
    rows: list[tuple[str, Text | str]] = [
        ("goal", Text(f"{kgi.name} ({kgi.metric})")),
        ("actual / target", f"{number(kgi.actual)} / {number(kgi.target)}"),
        ("remaining", number(kgi.remaining)),
        ("deadline", f"{kgi.deadline} ({kgi.remaining_months:.2f} months left)"),
        ("state", Text(kgi.state.replace("_", " "), style=STATE_STYLE[kgi.state])),
        ("needed / month", number(kgi.needed_per_month)),
        ("actual / month", number(kgi.actual_per_month)),
        ("run rate", number(kgi.run_rate)),
        (f"value per {kgi.anchor}", number(kgi.value_per_unit)),
    ]
    for label, value in rows:
        table.add_row(Text(label), value)
    return table


def _stage_table(plan: Plan) -> Table:
    title = f"Needed per month to reach the KGI by {plan.kgi.deadline}, back from {plan.kgi.anchor}"
    table = Table(title=Text(title), title_justify="left")
    table.add_column("stage", overflow="fold")
    # Numbers never wrap nor get cut: on a narrow terminal the stage and KPI columns wrap instead.
    for column in ("conv.", "need/mo", "actual/mo", "gap", "×", "run rate"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("KPI target vs need", overflow="fold")
    for stage in plan.stages:
        table.add_row(*_stage_row(stage))
    return table


def _stage_row(stage: StagePlan) -> list[Text]:
    numbers = (
        number(stage.needed_per_month),
        number(stage.actual_per_month),
        _signed(stage.gap),
        "n/a" if stage.gap_ratio is None else f"×{stage.gap_ratio:.2f}",
        number(stage.run_rate),
    )
    return [Text(stage.name), _conversion(stage), *map(Text, numbers), _kpi_cell(stage.kpi)]


def _conversion(stage: StagePlan) -> Text:
    if stage.conversion_source is None:
        return Text("-")
    planned = stage.conversion_source == "planned"
    return Text(
        percent(stage.conversion, 1) + (" (plan)" if planned else ""), style="cyan" if planned else ""
    )


def _signed(value: float | None) -> str:
    text = number(value)
    return "+" + text if value is not None and value > 0 else text


def _kpi_cell(check: KpiCheck | None) -> Text:
    if check is None:
        return Text("-", style="dim")
    cell = Text(f"{check.id} {number(check.target)}: ")
    if check.consistent is None:
        return cell.append("n/a", style="dim")
    if check.consistent:
        return cell.append("covers it", style="green")
    return cell.append(f"short by {number((check.needed or 0) - check.target)}", style="red")
