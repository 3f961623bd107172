"""`kpi compare`: accounts, influencers, segments, campaigns or channels side by side for a month."""

from __future__ import annotations

import io
import sys
from functools import partial
from pathlib import Path

from kpi_cli.commands.check import without_trailing_spaces
from kpi_cli.commands.evaluation import Rules, import_beside_the_scan
from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, check_choice, flag, review_month
from kpi_cli.compare.build import build, has_dimension, platforms_of
from kpi_cli.compare.engagement import Basis, MixedDefinitions
from kpi_cli.compare.table import Figure
from kpi_cli.config import load_config
from kpi_cli.errors import UsageError
from kpi_cli.i18n import Lang
from kpi_cli.ingest import combine
from kpi_cli.metrics import periods
from kpi_cli.render.compare_report import COMPARE_RENDERERS, CompareReport
from kpi_cli.render.console import make_console
from kpi_cli.render.format_names import Format
from kpi_cli.review import read_checked, read_grain
from kpi_cli.sources import prefetch
from kpi_cli.status import Dimension

FIGURES = tuple(f.value for f in Figure)
BASES = tuple(b.value for b in Basis)


def run(
    config: Path,
    by: str,
    metric: str | None,
    period: str | None,
    as_of: str | None,
    fmt: Format,
    lang: Lang | None,
    engagement: str | None,
) -> int:
    check_choice("--by", by, tuple(d.value for d in Dimension))
    if metric is not None:
        check_choice("--metric", metric, FIGURES)
    if engagement is not None:
        check_choice("--engagement", engagement, BASES)
    day = as_of_date(as_of)
    month = review_month(period, day)
    loaded = load_config(config)
    warm = partial(import_beside_the_scan, Rules.NONE)
    grain = read_grain(loaded, by)  # sources aggregated to a grain keep the compared dimension
    with prefetch.reading(loaded, grain, False, warm):
        spans = read_checked(loaded, grain)
    frame = combine(spans)
    with flag("--period"):
        reviewed = periods.parse_period(month, "month") if month else periods.period_of(day, "month")
        dates = frame["date"].dropna() if "date" in frame.columns else frame.index[:0]
        periods.check_has_data(reviewed, dates.min().date() if len(dates) else None)
    if by not in ("segment", "channel") and not has_dimension(frame, by):
        raise UsageError.said("error.usage.by_unset", by=by)
    try:
        comparison = build(
            frame,
            platforms_of(spans),
            by,
            reviewed,
            day,
            Figure(metric) if metric else None,
            Basis(engagement) if engagement else None,
        )
    except MixedDefinitions as exc:
        raise UsageError(str(exc)) from None
    report = CompareReport(comparison, loaded.config.name, day)
    renderer = COMPARE_RENDERERS[Format(fmt)]
    chosen = chosen_lang(lang)
    if fmt is Format.TEXT and sys.stdout.isatty():
        renderer(report, chosen, make_console())
        return 0
    buffer = io.StringIO()
    renderer(report, chosen, make_console(buffer))
    print(without_trailing_spaces(buffer.getvalue()), end="")
    return 0
