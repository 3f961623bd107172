"""`kpi review --by DIM`: one table, the dimension's values as rows and the KPIs as columns.

A list under every KPI made the reader hunt for one channel across nine blocks, mostly `n/a`;
side by side, a row reads as "how is Instagram doing" and a column as "where do signups come from".
Each cell is the value in the period, coloured by its status where the value has a target.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from kpi_cli.assess import KpiView
from kpi_cli.i18n import Lang, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.i18n.values import Quantity
from kpi_cli.render.text import STATUS_STYLE
from kpi_cli.untrusted import one_line


def by_table(views: list[KpiView], dimension: str, lang: Lang) -> Table:
    kpis = list(dict.fromkeys(v.kpi.id for v in views))
    labels = {v.kpi.id: ("★ " if v.kpi.primary else "") + v.kpi.label for v in views}
    values = list(
        dict.fromkeys(v.segment for v in views if v.dimension == dimension and v.segment is not None)
    )
    cells = {(v.kpi.id, v.segment): v for v in views if v.dimension == dimension or v.segment is None}
    rows: list[list[Text | str]] = []
    for value in [*values, None]:
        name = Text(one_line(value) if value is not None else term("ui.all", lang))
        rows.append([name, *(_cell(cells.get((k, value)), lang) for k in kpis)])
    table = Table(
        title=Text(term(f"compare.dimension.{dimension}", lang)),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
    )
    table.add_column(Text(term(f"compare.dimension.{dimension}", lang)), overflow="fold")
    for kpi in kpis:
        table.add_column(Text(labels[kpi]), justify="right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


def _cell(view: KpiView | None, lang: Lang) -> Text:
    if view is None:
        return Text(fmt.number(None, lang))
    shown = fmt.quantity(Quantity.measure(view.progress.actual, view.is_rate), lang)
    return Text(shown, style=STATUS_STYLE.get(view.status, ""))
