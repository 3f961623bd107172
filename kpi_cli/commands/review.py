"""`kpi review`: the monthly review as tables."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, by_dimension, flag, load_with_history, review_month
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.render.console import make_console
from kpi_cli.render.limit import print_note, shown
from kpi_cli.render.text import render_review
from kpi_cli.review import run_review


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
    with flag("--period"):
        review = run_review(load_with_history(config, history), day, month, by_dimension(by))
    cut, console, reader = shown(review, limit), make_console(), chosen_lang(lang)
    render_review(cut.review, console, reader, by_dimension(by))
    print_note(cut, console, reader)
    return ExitCode.OK
