"""`kpi review`: the monthly review as tables."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from kpi_cli.commands.evaluation import Scope, evaluate
from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, by_dimension, load_with_history, review_month
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.render.console import emit
from kpi_cli.render.limit import print_note, shown
from kpi_cli.render.text import render_review


def run(
    config: Path,
    as_of: str | None,
    period: str | None,
    by: str | None,
    history: Path | None = None,
    lang: Lang | None = None,
    limit: int | None = None,
) -> ExitCode:
    day = as_of_date(as_of)
    month = review_month(period, day)
    dimension = by_dimension(by)
    review = evaluate(load_with_history(config, history), Scope(day, month, dimension))
    cut, reader = shown(review, limit), chosen_lang(lang)

    def draw(console: Console) -> None:
        render_review(cut.review, console, reader, dimension)
        print_note(cut, console, reader)

    emit(draw)
    return ExitCode.OK
